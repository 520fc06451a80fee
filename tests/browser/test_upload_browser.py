"""Upload a table in the browser, use it, and see the joined values colour the map."""
from pathlib import Path

from tests.browser.helpers import MAP_IFRAMES, choose, main_text, map_frame, no_exception, open_page, shot, wait_idle

CSV = "名称,省份,year,exports_index\n濮院镇,浙江省,2020,120\nsez-shenzhen,,2020,300\nNowhere town,,2020,5\n"


def test_upload_join_and_colour_the_map(server, page, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_bytes(CSV.encode("gbk"))  # a GBK file, as Chinese offices' Excel writes them
    open_page(page, f"{server}/upload")
    page.locator("input[type='file']").set_input_files(str(path))
    page.get_by_text("Join report").wait_for(timeout=30_000)
    wait_idle(page)
    text = main_text(page)
    assert "3 rows read, 2 matched, 1 unmatched" in text
    assert "no match: row 4" in text  # the unmatched row is reported, not dropped
    page.get_by_role("button", name="Use these 2 values in the atlas").click()
    page.get_by_text("Done: the values now colour the map").wait_for()
    # the session keeps the values: the map page offers them as a colouring
    page.get_by_role("link", name="Map").first.click()
    wait_idle(page)
    page.get_by_text("Colour the map by your indicator").wait_for()
    choose(page, "Colour the map by your indicator", "exports_index")
    wait_idle(page)
    frame = map_frame(page)
    frame.locator(".atlas-choropleth-legend", has_text="exports_index").wait_for(timeout=30_000)
    no_exception(page)
    shot(page, "upload-coloured-map")


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def settled_map_frame(page):
    """The map's iframe after a rerun that may have replaced it (a detached iframe has no frame)."""
    for _ in range(5):
        try:
            return map_frame(page)
        except AttributeError:
            page.wait_for_timeout(500)
    return map_frame(page)


def test_gbk_provincial_table_colours_the_map_and_regions_choropleth_with_a_legend(server, page):
    """Issue 15: a GBK table keyed 广东省, 江苏省 … joins to provinces and colours both choropleths."""
    open_page(page, f"{server}/upload")
    page.locator("input[type='file']").set_input_files(str(FIXTURES / "provincial_gdp_test.csv"))
    page.get_by_text("Join report").wait_for(timeout=30_000)
    wait_idle(page)
    text = main_text(page)
    assert "10 rows read, 10 matched, 0 unmatched" in text
    assert "The rows were joined to: Provinces (34 units)" in text
    page.get_by_label("Unit of the values (optional, shown in legends)").fill("test units")
    page.keyboard.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Use these 10 values in the atlas").click()
    page.get_by_text("Done: the values now colour the map").wait_for()
    # the Map: before, the count choropleth; after choosing the indicator, its classes and legend
    page.get_by_role("link", name="Map").first.click()
    wait_idle(page)
    frame = map_frame(page)
    assert frame.locator(".atlas-value-legend").count() == 0
    choose(page, "Colour the map by your indicator", "GDP_test_value")
    frame = settled_map_frame(page)
    legend = frame.locator(".atlas-value-legend", has_text="GDP_test_value")
    legend.wait_for(timeout=30_000)
    assert "test units" in legend.inner_text() and "provincial_gdp_test.csv" in legend.inner_text()
    darkest = frame.locator("path.leaflet-interactive[fill='#b30000']")  # the top class: the largest test value
    darkest.first.wait_for(timeout=30_000)
    no_exception(page)
    shot(page, "upload-provincial-map")
    # the Regions page offers it as a measure, with the same legend
    page.get_by_role("link", name="Regions").first.click()
    wait_idle(page)
    choose(page, "Measure", "Your indicator: GDP_test_value")
    # the rerun replaces the map's iframe: wait until the stale one is gone, then find it again
    page.wait_for_function(f"document.querySelectorAll({MAP_IFRAMES!r}).length === 1", timeout=30_000)
    page.frame_locator(MAP_IFRAMES).locator(".atlas-value-legend", has_text="test units").wait_for(timeout=30_000)
    page.frame_locator(MAP_IFRAMES).locator("path.leaflet-interactive[fill='#b30000']").first.wait_for(timeout=30_000)
    no_exception(page)
    shot(page, "upload-provincial-regions")


def test_accept_a_suggestion_in_the_page(server, page, tmp_path):
    path = tmp_path / "zones.csv"
    path.write_bytes("开发区名称,value\n漕河泾开发区,1\n杭州高新区,2\n".encode("gbk"))
    open_page(page, f"{server}/upload")
    page.locator("input[type='file']").set_input_files(str(path))
    page.get_by_text("Join report").wait_for(timeout=30_000)
    wait_idle(page)
    assert "2 rows read, 1 matched, 1 unmatched" in main_text(page)
    assert "short form" in main_text(page)  # 杭州高新区 resolved, and listed as not exact
    choose(page, "Row 2: 漕河泾开发区", "漕河泾新兴技术开发区 / Caohejing Hi-Tech Park (Shanghai) [etdz-g311013]")
    page.get_by_role("button", name="Apply the chosen candidates").click()
    page.get_by_text("2 rows read, 2 matched, 0 unmatched").wait_for(timeout=30_000)
    wait_idle(page)
    assert "accepted suggestion" in main_text(page)
    no_exception(page)
    shot(page, "upload-accepted-suggestion")
