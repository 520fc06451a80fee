"""Upload a table in the browser, use it, and see the joined values colour the map."""
from tests.browser.helpers import choose, main_text, map_frame, no_exception, open_page, shot, wait_idle

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
    page.get_by_text("Colour markers by your indicator").wait_for()
    choose(page, "Colour markers by your indicator", "exports_index")
    wait_idle(page)
    frame = map_frame(page)
    frame.locator(".atlas-choropleth-legend", has_text="exports_index").wait_for(timeout=30_000)
    no_exception(page)
    shot(page, "upload-coloured-map")
