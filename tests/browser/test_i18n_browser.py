"""The Chinese interface in a real browser: Map and Profile, with a CJK font (fonts-noto-cjk)."""
import subprocess

import pytest

from tests.browser.helpers import main_text, map_frame, no_exception, open_page, shot


def cjk_font_installed() -> bool:
    try:
        out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.strip())


def test_a_cjk_font_is_installed():
    assert cjk_font_installed(), "install fonts-noto-cjk (make browser-deps) or Chinese renders as boxes"


def test_map_in_chinese(server, page):
    open_page(page, f"{server}/?lang=zh")
    assert page.locator("[data-testid='stMain'] h1").inner_text() == "开发区与产业集群地图"
    frame = map_frame(page)
    legend = frame.locator(".atlas-legend").inner_text()
    assert "图层" in legend and "经济特区" in legend
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    assert "筛选" in sidebar and "省份" in sidebar
    no_exception(page)
    shot(page, "zh-map")
    # the language is kept when moving to another page
    page.get_by_role("link", name="对比").first.click()
    page.wait_for_url("**/compare?lang=zh", timeout=20_000)
    assert page.locator("[data-testid='stMain'] h1").inner_text() != "Compare"
    assert "对比" in page.locator("[data-testid='stMain'] h1").inner_text()


def test_profile_in_chinese(server, page):
    open_page(page, f"{server}/profile?zone=sez-shenzhen&lang=zh")
    # elements draw when their lazily loaded code arrives: wait for the facts table and the indicator section
    page.locator("[data-testid='stTable']").get_by_text("英文名称").wait_for()
    page.locator("[data-testid='stMain'] h2, [data-testid='stMain'] h3").filter(has_text="指标").first.wait_for()
    text = main_text(page)
    assert "深圳经济特区" in text and "英文名称" in text and "中文名称" in text
    no_exception(page)
    page.mouse.wheel(0, 900)
    page.wait_for_timeout(500)
    shot(page, "zh-profile")
