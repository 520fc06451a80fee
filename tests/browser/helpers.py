"""Helpers for driving Streamlit pages in Chromium."""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboard.bench import ATLAS_IFRAME

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def open_page(page, url: str):
    """Go to `url` and wait until Streamlit has finished running the script."""
    page.goto(url)
    wait_idle(page)


def wait_idle(page, timeout: int = 30_000):
    """Wait until the page is drawn and its script has finished; on the Map page, also for the filters it
    draws once its map has drawn (the next run)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=timeout)  # every page has a title
    not_running(page, timeout)
    page.wait_for_timeout(300)
    if page.locator(ATLAS_IFRAME).count():
        page.wait_for_selector("[data-testid='stMain'] [data-testid='stPopover']", timeout=timeout)  # Download
        page.wait_for_selector("[data-testid='stSidebar'] [data-testid='stSlider']", state="attached",
                               timeout=timeout)
        not_running(page, timeout)
        page.wait_for_timeout(300)


def not_running(page, timeout: int = 30_000):
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=timeout)


def no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, page.locator(
        "[data-testid='stException']").first.inner_text()


MAP_IFRAMES = f"iframe[title='streamlit_folium.st_folium'], {ATLAS_IFRAME}"


def map_frame(page):
    """The map's iframe (streamlit-folium, or the Map page's atlas_map component), once markers are drawn."""
    handle = page.wait_for_selector(MAP_IFRAMES, timeout=30_000)
    frame = handle.content_frame()
    frame.wait_for_function(
        "() => [...document.querySelectorAll('.marker-cluster, path.leaflet-interactive')]"
        ".some(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })",
        timeout=30_000)
    return frame


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def main_text(page) -> str:
    """The visible text of the page body (not the sidebar)."""
    return page.locator("[data-testid='stMain']").inner_text()


def popover_button(page, popover: str, name: str):
    """The button `name` inside the popover opened by the button `popover` (opened if it is not yet)."""
    button = page.get_by_role("button", name=name)
    if not button.is_visible():
        page.get_by_role("button", name=popover, exact=True).click()
    button.wait_for()
    return button


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the selectbox or multiselect labelled `label` (a combobox in Streamlit ≥ 1.50)."""
    for attempt in range(3):  # a rerun (e.g. the Map component's first value) can close the list under the click
        box = page.get_by_role("combobox", name=label).first
        box.scroll_into_view_if_needed()
        box.click()
        try:
            page.get_by_role("option", name=option, exact=True).first.click(timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            wait_idle(page)
    wait_idle(page)
