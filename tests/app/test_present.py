"""Presentation mode (?present=1) and the export buttons, in AppTest."""
from __future__ import annotations

import pytest

from tests.app.test_pages import assert_clean, run


def styles(at) -> str:
    return " ".join(str(el.proto) for el in at.get("html"))


@pytest.mark.parametrize("page, params", [
    (None, {"province": "Guangdong"}), ("compare", {"compare": "sez-shenzhen,sez-xiamen"}),
    ("profile", {"zone": "sez-shenzhen"}), ("regions", {"measure": "hidz"}), ("story", {"story": "thirty-years"}),
])
def test_present_hides_the_chrome_and_keeps_the_view(page, params):
    at = run(page, present="1", **params)
    assert_clean(at)
    css = styles(at)
    assert "stSidebar" in css and "stHeader" in css and "stToolbar" in css
    assert at.query_params["present"] in ("1", ["1"])  # the page's own URL updates keep it
    for key, value in params.items():
        assert at.query_params[key] in (value, [value])
    at.button(key="present_exit").click().run()  # the way back: the same view with the app's chrome
    assert_clean(at)
    assert "present" not in at.query_params and "stHeader" not in styles(at)
    for key, value in params.items():
        assert at.query_params[key] in (value, [value])


def test_without_present_the_chrome_stays():
    at = run(None, province="Guangdong")
    assert_clean(at)
    assert "stHeader" not in styles(at)
    assert "present" not in at.query_params
    assert "present_exit" not in [b.key for b in at.button]


def test_story_steps_keep_presentation_mode():
    at = run("story", present="1", story="thirty-years", step="2")
    assert_clean(at)
    at.button(key="s_next").click().run()
    assert_clean(at)
    assert at.query_params["step"] in ("3", ["3"]) and at.query_params["present"] in ("1", ["1"])
    assert "stHeader" in styles(at)


@pytest.mark.parametrize("page, params, keys", [
    (None, {}, ["m_slide_png", "m_slide_svg"]),
    ("regions", {}, ["r_slide_png", "r_slide_svg"]),
    ("compare", {"compare": "sez-shenzhen,prov-44"}, ["c_deck_pptx", "c_deck_pdf", "c_deck_png", "c_deck_svg"]),
    ("profile", {"zone": "hidz-zhongguancun"}, ["p_deck_pptx", "p_deck_pdf"]),
    ("story", {"story": "zhejiang-clusters", "step": "1"}, ["s_deck_pptx", "s_deck_pdf"]),
])
def test_every_view_offers_its_exports(page, params, keys):
    at = run(page, **params)
    assert_clean(at)
    found = {el.proto.id for el in at.get("download_button")} | {getattr(el, "key", None) for el in at.get("download_button")}
    text = " ".join(str(el.proto) for el in at.get("download_button"))
    for key in keys:
        assert key in text or key in found, (key, text[:500])
