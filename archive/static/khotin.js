// khotin's reading room: "copy" buttons for citations. Nothing else, nothing remote.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button.khotin-copy");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source) return;
  const text = source.textContent.trim();
  try {
    await navigator.clipboard.writeText(text);
  } catch (err) {
    // No clipboard permission (plain http, old browsers): select the text to copy by hand.
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    document.execCommand && document.execCommand("copy");
  }
  button.classList.add("copied");
  button.textContent = "Đã chép · Copied";
});
