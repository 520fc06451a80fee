"""All 2,543 catalogue zones in Chromium: a province with every zone on the Map (national filled, provincial
hollow), a provincial zone's profile with the land around it, and four zones aligned on years since designation."""
from tests.browser.helpers import main_text, map_frame, no_exception, open_page, shot, wait_idle

ZHEJIANG = "Zhejiang"


def _expected(province: str) -> tuple[int, int, int]:
    from dashboard.data import load_points
    from dashboard.paths import LAYERS_DIR
    points = load_points(LAYERS_DIR)
    mine = points[points["province_en"] == province]
    return len(mine), int((mine["level"] == "national").sum()), int((mine["level"] == "provincial").sum())


def test_a_province_with_all_its_zones(server, page):
    total, national, provincial = _expected(ZHEJIANG)
    assert provincial > national > 0
    open_page(page, f"{server}/?province={ZHEJIANG}&tiles=none&choropleth=off")
    frame = map_frame(page)
    assert f"Features matching: {total}" in main_text(page)
    legend = frame.locator(".atlas-legend").inner_text()
    assert "Prov. EDZ" in legend and "ETDZ" in legend and "hollow" in legend
    # the link alone fits the map to the province (the fit waits until the frame has its height)
    frame.wait_for_function("() => window.atlasMap.getZoom() >= 6")
    centre = frame.evaluate("() => window.atlasMap.getCenter()")
    assert 27.0 < centre["lat"] < 31.2 and 118.0 < centre["lng"] < 122.9, centre
    page.wait_for_timeout(1000)
    shot(page, "catalogue-zhejiang-all-zones")
    # closer in, where markers are no longer clustered
    frame.evaluate("() => window.atlasMap.setView([30.25, 120.2], 10)")
    page.wait_for_timeout(1500)
    hollow = frame.locator("path.leaflet-interactive[fill='#ffffff'][stroke='#0072B2']")  # provincial EDZ
    filled = frame.locator("path.leaflet-interactive[fill='#0072B2']")  # national ETDZ
    assert hollow.count() > 0 and filled.count() > 0
    no_exception(page)
    shot(page, "catalogue-hangzhou-national-vs-provincial")


def test_provincial_zone_profile_shows_the_land_around_it(server, page):
    open_page(page, f"{server}/profile?zone=prov_hidz-s138035")
    page.get_by_text("Land around the zone (5 km)").wait_for()
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for()
    text = main_text(page)
    assert "provincial" in text and "2000.09" in text  # level and provincial approval date in the facts
    assert "Descriptive, not causal" in text
    no_exception(page)
    page.set_viewport_size({"width": 1500, "height": 2000})
    page.wait_for_timeout(1000)
    shot(page, "catalogue-provincial-profile")


def test_failed_point_profile_withholds_the_land_values(server, page):
    open_page(page, f"{server}/profile?zone=prov_ipark-s339086&lang=zh")
    page.get_by_text("未显示土地利用数值").wait_for()
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 0
    no_exception(page)


def test_four_zones_aligned_on_years_since_designation(server, page):
    ids = "etdz-g331018,prov_edz-s337006,prov_ipark-s339013,hidz-g332086"
    open_page(page, f"{server}/compare?compare={ids}&align=designation")
    page.get_by_text("Land around the zones (5 km)").wait_for()
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for()
    assert page.get_by_role("radio", name="years since designation").is_checked()
    no_exception(page)
    page.get_by_text("Land around the zones (5 km)").scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    shot(page, "catalogue-compare-years-since-designation")
    page.get_by_text("calendar year", exact=True).click()
    wait_idle(page)
    assert page.get_by_role("radio", name="calendar year").is_checked()
    page.wait_for_function("() => !window.location.search.includes('align=')", timeout=10_000)  # the URL follows
