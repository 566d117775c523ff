"""The bundled offline sample portal: a department news site in the style of the
Sở Nội vụ tỉnh Bình Dương, generated from ``articles.json`` and served on loopback.

It exists so that ``khotin demo`` and the end-to-end tests crawl a realistic site
without touching the internet, complete with the traps of real portals: a "today"
banner in the header, sidebar lists with other articles' dates, visit counters,
photo captions, and a byline at the end of the body.
"""
