"""The Clusters and Story pages in a real Chromium against a real server: the sector widget and the product
search change the map's markers and the list; the presenter steps through both shipped stories with
Next / Previous (URL step and title follow), and every step is saved as a screenshot for review."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Error as PlaywrightError

from tests.browser.helpers import choose, main_text, map_frame, no_exception, open_page, shot, wait_idle

ROOT = Path(__file__).resolve().parents[2]
# the clusters map draws towns/clusters as circle markers with a #1a1a1a stroke; province and Zhejiang county
# outlines are leaflet-interactive paths too, but stroked grey (#6b6b6b / #8a8a8a)
MARKER = "path.leaflet-interactive[stroke='#1a1a1a']"
N_ALL = 98  # 66 Zhejiang towns + 32 other clusters


def _story(sid: str) -> dict:
    with open(ROOT / "stories" / f"{sid}.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def drawn_map(page, tries: int = 5):
    """map_frame, retried: a rerun (a new story step, a new filter) may replace the iframe found first."""
    for attempt in range(tries):
        try:
            return map_frame(page)
        except (AttributeError, PlaywrightError):
            if attempt == tries - 1:
                raise
            page.wait_for_timeout(500)


def markers(page, expected: int | None = None, timeout: int = 30_000) -> int:
    """Circle markers in the streamlit-folium iframe; with `expected`, wait until there are that many."""
    if expected == 0:
        page.wait_for_function(
            "() => { const f = document.querySelector(\"iframe[title='streamlit_folium.st_folium']\");"
            " const d = f && f.contentDocument; return !!(d && d.querySelector('.leaflet-container')"
            " && d.querySelectorAll(\"" + MARKER.replace('"', '\\"') + "\").length === 0); }", timeout=timeout)
        return 0
    frame = drawn_map(page)
    if expected is not None:
        page.wait_for_function(
            "(n) => { const f = document.querySelector(\"iframe[title='streamlit_folium.st_folium']\");"
            " const d = f && f.contentDocument;"
            " return !!d && d.querySelectorAll(\"" + MARKER.replace('"', '\\"') + "\").length === n; }",
            arg=expected, timeout=timeout)
        frame = drawn_map(page)
    return frame.locator(MARKER).count()


def listed(page) -> set[str]:
    """Feature ids of the cluster list (each entry links to its profile)."""
    hrefs = page.locator("[data-testid='stMain'] a[href*='profile?zone=']").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))")
    return {re.search(r"zone=([^&]+)", h).group(1) for h in hrefs}


def matching(page) -> tuple[int, int]:
    m = re.search(r"(\d+) of (\d+) towns and clusters match", main_text(page))
    assert m, main_text(page)[:500]
    return int(m.group(1)), int(m.group(2))


def search(page, q: str) -> None:
    box = page.get_by_role("textbox", name="Product or name")
    box.fill(q)
    box.press("Enter")
    page.wait_for_timeout(500)
    wait_idle(page)


# ------------------------------------------------------------------ Clusters page

def test_clusters_page_shows_every_town_and_cluster(server, page):
    open_page(page, f"{server}/clusters")
    assert markers(page, N_ALL) == N_ALL
    assert matching(page) == (N_ALL, N_ALL)
    assert len(listed(page)) == 30  # the list draws 30 cards at a time
    for _ in range(N_ALL // 30 + 1):  # "show more" until every card is there
        before = len(listed(page))
        if before >= N_ALL:
            break
        page.get_by_role("button", name=re.compile("show more")).first.click()
        page.wait_for_function(  # the rerun has drawn more cards (a stale button may linger until then)
            "n => document.querySelectorAll(\"[data-testid='stMain'] a[href*='profile?zone=']\").length > n",
            arg=before)
        wait_idle(page)
    assert len(listed(page)) == N_ALL
    no_exception(page)
    shot(page, "clusters-all")


def test_sector_widget_narrows_markers_list_and_url(server, page):
    # the options list is virtualised (only the first ~8 labels are in the DOM): pick two near the top
    open_page(page, f"{server}/clusters")
    assert markers(page, N_ALL) == N_ALL
    choose(page, "Sector", "Electrical equipment")
    electrical = {"zj-liushi", "zj-linhai"}  # low-voltage electrical apparatus; multicoloured lights
    assert markers(page, len(electrical)) == len(electrical)
    assert matching(page) == (len(electrical), N_ALL)
    assert listed(page) == electrical
    assert "sector=electrical_equipment" in page.url
    shot(page, "clusters-sector-electrical")
    # a second sector widens the view (OR within the widget)
    choose(page, "Sector", "Biotech & pharma")
    both = electrical | {"cl-pudong-biotech", "cl-shanghai-zjht", "zj-zhoushan"}
    assert markers(page, len(both)) == len(both)
    assert listed(page) == both
    assert re.search(r"sector=electrical_equipment(%2C|,)biotech_pharma", page.url), page.url
    no_exception(page)


@pytest.mark.parametrize("q,expected", [
    ("socks", {"zj-datang"}),
    ("袜", {"zj-datang"}),
    ("lighters", {"zj-wenzhou", "zj-wenzhou-lighters"}),
    ("pearls", {"zj-shanxiahu"}),
], ids=["socks", "wa-zh", "lighters", "pearls"])
def test_product_search_narrows_markers_and_list(server, page, q, expected):
    open_page(page, f"{server}/clusters")
    assert markers(page, N_ALL) == N_ALL
    search(page, q)
    assert markers(page, len(expected)) == len(expected)
    assert listed(page) == expected
    assert matching(page) == (len(expected), N_ALL)
    assert "q=" in page.url
    no_exception(page)
    if q == "socks":
        assert "Datang" in main_text(page)
        shot(page, "clusters-search-socks")


def test_search_and_sector_combined_can_empty_the_view(server, page):
    open_page(page, f"{server}/clusters?sector=textiles")
    assert markers(page, 7) == 7
    search(page, "lighters")
    assert matching(page) == (0, N_ALL)
    assert "No feature matches these filters" in main_text(page)
    assert listed(page) == set()
    assert markers(page, 0) == 0
    no_exception(page)


# ------------------------------------------------------------------ Story page

def _check_step(page, sid: str, steps: list[dict], n: int) -> None:
    page.wait_for_function("(n) => new URL(location.href).searchParams.get('step') === String(n)", arg=n)
    title = steps[n - 1]["title_en"]
    page.locator("[data-testid='stMain'] h1").filter(has_text=title).first.wait_for()
    wait_idle(page)
    assert f"story={sid}" in page.url and f"step={n}" in page.url
    assert page.locator("[data-testid='stMain'] h1").first.inner_text().strip() == title
    assert f"step {n} of {len(steps)}" in main_text(page)
    drawn_map(page)
    page.wait_for_timeout(800)  # let Leaflet finish drawing before the picture
    no_exception(page)


@pytest.mark.parametrize("sid", ["thirty-years", "zhejiang-clusters"])
def test_story_next_through_every_step_then_previous(server, page, sid):
    steps = _story(sid)["steps"]
    assert len(steps) >= 5
    open_page(page, f"{server}/story?story={sid}&step=1")
    titles = []
    for n in range(1, len(steps) + 1):
        _check_step(page, sid, steps, n)
        titles.append(page.locator("[data-testid='stMain'] h1").first.inner_text().strip())
        shot(page, f"story-{sid}-{n}")
        nxt = page.get_by_role("button", name="Next")
        if n < len(steps):
            assert nxt.is_enabled()
            nxt.click()
        else:
            assert nxt.is_disabled()
    assert len(set(titles)) == len(steps)  # the title changes on every step
    page.get_by_role("button", name="Previous").click()
    _check_step(page, sid, steps, len(steps) - 1)
    page.get_by_role("button", name="Previous").click()
    _check_step(page, sid, steps, len(steps) - 2)


def test_story_first_step_has_previous_disabled(server, page):
    open_page(page, f"{server}/story?story=thirty-years&step=1")
    assert page.get_by_role("button", name="Previous").is_disabled()
    assert page.get_by_role("button", name="Next").is_enabled()
