"""The 2025 merger of provinces: the registry's data, the profiles it gives every former
province, and `crawl --all` crawling only the sites known to be live."""

from __future__ import annotations

import os
import sqlite3
import unicodedata

from scraper.sites import all_profiles, load_profile
from scraper.sites.registry import _data, province_rows

from conftest import ROOT, run_khotin


def test_the_registry_has_every_former_and_current_province_with_sources():
    data = _data()
    former, current = data["former"], data["current"]
    assert len(former) == 63 and len(current) == 34
    assert len({f["code"] for f in former}) == 63 and len({c["code"] for c in current}) == 34
    absorbed = [code for c in current for code in c["absorbed"]]
    assert sorted(absorbed) == sorted(f["code"] for f in former)  # each in exactly one
    by_code = {c["code"]: c for c in current}
    for province in former:
        assert province["code"] in by_code[province["current"]]["absorbed"], province["code"]
    for row in (*former, *current):
        assert unicodedata.is_normalized("NFC", row["name"])
    assert all(c["source"].startswith("https://") for c in current)
    assert data["meta"]["resolution"] == "202/2025/QH15"
    assert data["meta"]["effective"] == "2025-07-01"
    # The 11 provinces that were not merged, and one that was.
    kept = {c["code"] for c in current if c["absorbed"] == [c["code"]]}
    assert len(kept) == 11 and {"ha-noi", "hue", "cao-bang", "quang-ninh"} <= kept
    assert set(by_code["ho-chi-minh"]["absorbed"]) == {
        "ho-chi-minh",
        "binh-duong",
        "ba-ria-vung-tau",
    }
    rows = province_rows()
    assert len(rows) == 97 and all(r["source"] and r["legal_source"] for r in rows)


def test_every_former_province_has_a_portal_and_a_home_affairs_site():
    profiles = all_profiles()
    served = {
        (p.facts.former_province, "portal" if "portal" in p.id or "Cổng" in p.name else "noivu")
        for p in profiles
        if p.facts.former_province
    }
    codes = {f["code"] for f in _data()["former"]}
    assert {code for code, kind in served if kind == "portal"} == codes
    assert {code for code, kind in served if kind == "noivu"} == codes
    registry = [p for p in profiles if p.id.startswith(("portal-", "noivu-"))]
    for profile in registry:
        assert profile.status == "unchecked"
        assert profile.facts.availability == "unknown"
        assert profile.facts.current_province and profile.facts.province_source
        assert profile.facts.host_source  # a source, or "guess" where nobody had one
        assert profile.urls.article and profile.urls.listing
    # A hand-written profile takes the place of the registry's for its host.
    assert not any(p.id == "noivu-binh-duong" for p in profiles)
    binh_duong = load_profile("sonoivu-binhduong")
    assert binh_duong.facts.current_province == "ho-chi-minh"
    assert load_profile("portal-binh-phuoc").facts.successor == "portal-dong-nai"
    guessed = [p for p in registry if p.facts.host_source == "guess"]
    assert guessed and all("GUESSED" in (p.notes or "") for p in guessed)


def test_crawl_all_crawls_only_the_sites_known_to_be_live(tmp_path, portal):
    folder = tmp_path / "sites"
    folder.mkdir()
    sample = (ROOT / "scraper/sites/sample-sonoivu.toml").read_text(encoding="utf-8")
    sample = sample.replace('base_url = "http://127.0.0.1:8721/"', f'base_url = "{portal.url}/"')
    sample = sample.replace('status = "sample"', 'status = "checked"')
    for site, availability in (("live-site", "live"), ("gone-site", "archive-only")):
        text = sample.replace('id = "sample-sonoivu"', f'id = "{site}"')
        text += f'\n[facts]\navailability = "{availability}"\nformer_province = "binh-duong"\n'
        (folder / f"{site}.toml").write_text(text, encoding="utf-8")
    db = tmp_path / "khotin.db"
    env = {**os.environ, "KHOTIN_SITES": str(folder)}
    result = run_khotin("crawl", "--all", "--db", str(db), env=env)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        runs = {row[0] for row in conn.execute("SELECT site_id FROM crawl_runs")}
        site = conn.execute(
            "SELECT availability, former_province, current_province FROM sites "
            "WHERE id = 'live-site'"
        ).fetchone()
    assert runs == {"live-site"}
    assert site == ("live", "binh-duong", "ho-chi-minh")


def test_a_profile_naming_a_province_nobody_knows_is_an_error(tmp_path):
    folder = tmp_path / "sites"
    folder.mkdir()
    text = (ROOT / "scraper/sites/sonoivu-hanoi.toml").read_text(encoding="utf-8")
    (folder / "sonoivu-hanoi.toml").write_text(
        text.replace('former_province = "ha-noi"', 'former_province = "sai-gon"'), encoding="utf-8"
    )
    result = run_khotin("sites", env={**os.environ, "KHOTIN_SITES": str(folder)})
    assert result.returncode == 2
    assert "former_province 'sai-gon' is not in the registry" in result.stderr
