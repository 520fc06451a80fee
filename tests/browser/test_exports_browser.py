"""Exports and presentation mode in a real Chromium: a deck downloaded from a Story, a slide image from the Map,
and ?present=1 without sidebar or app chrome."""
import io

from PIL import Image
from playwright.sync_api import expect
from pptx import Presentation

from tests.browser.helpers import (main_text, map_frame, no_exception, open_page, popover_button, shot,
                                   wait_idle)


def test_story_deck_downloads(server, page):
    open_page(page, f"{server}/story?story=thirty-years&step=2")
    page.get_by_text("For a presentation: slides of this view").click()
    with page.expect_download(timeout=120_000) as dl:
        page.get_by_role("button", name="PowerPoint deck").click()
    assert dl.value.suggested_filename == "Thirty-years-of-zones.pptx"
    deck = Presentation(dl.value.path())
    assert len(deck.slides) == 10  # one slide per step
    titles = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.name == "Title"]
    assert titles[1] == "1980: the four special economic zones"
    no_exception(page)


def test_map_slide_image_downloads(server, page):
    open_page(page, f"{server}/?province=Guangdong&layers=sez,hidz&tiles=none")
    map_frame(page)
    wait_idle(page)  # the map's first value reruns the page; a lazy download made before that rerun is void
    with page.expect_download(timeout=120_000) as dl:
        popover_button(page, "Download", "Slide image (PNG)").click()
    assert dl.value.suggested_filename.endswith(".png")
    with open(dl.value.path(), "rb") as fh:
        image = Image.open(io.BytesIO(fh.read()))
    assert image.size == (1920, 1080)
    no_exception(page)


def test_presentation_mode_hides_sidebar_and_chrome(server, page):
    open_page(page, f"{server}/story?story=thirty-years&step=3&present=1")
    expect(page.locator("[data-testid='stSidebar']")).to_be_hidden()  # waits for the page's style to apply
    expect(page.locator("[data-testid='stHeader']")).to_be_hidden()  # waits for the page's style to apply
    expect(page.locator("[data-testid='stToolbar']")).to_be_hidden()  # waits for the page's style to apply
    size = page.evaluate("() => getComputedStyle(document.querySelector('[data-testid=stMain] h1')).fontSize")
    assert float(size.removesuffix("px")) >= 40  # enlarged for a projector
    shot(page, "present-story")
    page.get_by_role("button", name="Next").click()
    wait_idle(page)
    assert "step=4" in page.url and "present=1" in page.url  # Previous/Next keep the mode and the view
    no_exception(page)
    open_page(page, f"{server}/?province=Guangdong&present=1&tiles=none")
    map_frame(page)
    expect(page.locator("[data-testid='stSidebar']")).to_be_hidden()  # waits for the page's style to apply
    assert "Features matching" in main_text(page)
    shot(page, "present-map")
