"""The Map page in a real Chromium against a real server: markers, click -> profile, filters, downloads."""
from tests.browser.helpers import (main_text, map_frame, no_exception, open_page, popover_button, shot,
                                   wait_idle)


def test_map_draws_markers_and_outlines_offline(server, page):
    open_page(page, f"{server}/?tiles=none")
    frame = map_frame(page)
    assert frame.locator(".marker-cluster").count() > 5
    assert frame.locator("path.leaflet-interactive").count() >= 34  # province outlines + circle markers
    assert "Features matching" in main_text(page)
    no_exception(page)
    shot(page, "map-all-layers")


def test_click_marker_opens_profile(server, page):
    open_page(page, f"{server}/?layers=sez&tiles=none&province=Fujian")
    frame = map_frame(page)
    marker = frame.locator("path.leaflet-interactive[fill='#D55E00']").first
    marker.wait_for()
    marker.click(force=True)
    page.wait_for_timeout(1500)
    wait_idle(page)
    page.get_by_text("Open full profile").wait_for(timeout=20_000)
    assert "zone=sez-xiamen" in page.url
    assert page.get_by_text("厦门经济特区").count() >= 1
    no_exception(page)
    shot(page, "map-selected-zone")


def test_filters_change_what_is_shown_and_download(server, page):
    open_page(page, f"{server}/?province=Zhejiang&sector=textiles&tiles=none")
    frame = map_frame(page)
    text = main_text(page)
    assert "Features matching" in text
    assert frame.locator(".atlas-legend").count() == 1
    shot(page, "map-zhejiang-textiles")
    wait_idle(page)  # the map's first value reruns the page; a lazy download made before that rerun is void
    with page.expect_download() as dl:
        popover_button(page, "Download", "Download CSV").click()
    path = dl.value.path()
    content = open(path, encoding="utf-8-sig").read()
    assert "zj-" in content and "Zhejiang" in content
    with page.expect_download() as dl:
        popover_button(page, "Download", "Download GeoJSON").click()
    geojson = open(dl.value.path(), encoding="utf-8").read()
    assert geojson.count('"Feature"') == content.count("\n") - 1  # exactly the rows of the table
    no_exception(page)


def test_one_sector_across_layers(server, page):
    """One sector filter shows the zones whose leading industries include it and the clusters of it."""
    open_page(page, f"{server}/?sector=electronics_ict&tiles=none")
    frame = map_frame(page)
    legend = frame.locator(".atlas-legend").inner_text()
    assert "ETDZ" in legend and "Clusters" in legend
    assert "Features matching" in main_text(page)
    no_exception(page)
    shot(page, "map-sector-electronics")


def test_deep_link_runs_through_the_frame(server, page):
    """A shared link to a page (not the home page) gets the frame: navigation titles, wide layout."""
    open_page(page, f"{server}/profile?zone=zj-datang")
    nav = page.locator("[data-testid='stSidebarNav']").inner_text()
    assert "Map" in nav and "Profile" in nav and "streamlit app" not in nav
    assert "大唐" in main_text(page)
    no_exception(page)


def test_map_link_by_its_own_path(server, page):
    """`/map?...` (the path the README documents) opens the Map with its filters, not a 'Page not found'."""
    open_page(page, f"{server}/map?province=Zhejiang&zone=zj-datang&tiles=none")
    map_frame(page)
    assert page.get_by_text("Page not found").count() == 0
    text = main_text(page)
    assert "Zones and clusters map" in text and "大唐" in text
    assert "zone=zj-datang" in page.url
    no_exception(page)


def test_filter_change_redraws_points_in_the_same_map_document_and_keeps_the_view(server, page):
    """A filter change sends only the points: the map iframe is not reloaded and the zoom stays."""
    open_page(page, f"{server}/?tiles=none")
    frame = map_frame(page)
    frame.evaluate("window.__sameDocument = 'yes'; atlasMap.setView([30.5, 120.5], 6)")
    drawn = frame.evaluate("window.atlasDrawn.seq")
    page.locator("[data-testid='stSidebar']").get_by_text("Economic & technological").click()
    frame.wait_for_function(f"window.atlasDrawn.seq > {drawn}", timeout=30_000)
    wait_idle(page)
    assert "layers=" in page.url and "etdz" not in page.url.split("layers=")[1].split("&")[0]
    assert frame.evaluate("window.__sameDocument") == "yes"  # the map document survived the rerun
    assert frame.evaluate("atlasMap.getZoom()") == 6
    assert abs(frame.evaluate("atlasMap.getCenter().lat") - 30.5) < 0.01
    etdz = "path.leaflet-interactive[fill='#0072B2'], .atlas-cluster div[style*='background:#0072B2']"
    assert frame.locator(etdz).count() == 0  # no ETDZ marker or bubble left
    assert frame.locator("path.leaflet-interactive[fill='#009E73']").count() > 0  # HIDZ still drawn
    assert "ETDZ" not in frame.locator(".atlas-legend").inner_text()
    no_exception(page)
    shot(page, "map-after-filter-change")


def test_a_link_with_a_province_opens_the_map_fitted_to_it(server, page):
    """The first render fits the selection (the map has its height before Streamlit sizes the iframe)."""
    open_page(page, f"{server}/?province=Zhejiang&tiles=none")
    frame = map_frame(page)
    frame.wait_for_function("window.atlasDrawn && window.atlasMap.getZoom() >= 6", timeout=30_000)
    lat, lon = frame.evaluate("[atlasMap.getCenter().lat, atlasMap.getCenter().lng]")
    assert 27 < lat < 31.5 and 118 < lon < 123  # Zhejiang
    no_exception(page)
    shot(page, "map-fitted-zhejiang")


def test_benchmark_times_the_first_marker_in_the_page(server, browser):
    """The benchmark's first-render figure (dashboard.bench.one_load) is stamped in the page: the map's iframe
    comes before its first visible marker, that before every layer is drawn and before the filters are
    shown, and the page raised nothing."""
    from dashboard.bench import ATLAS_IFRAME, one_load
    load = one_load(browser, f"{server}/?layers=sez&tiles=none", ATLAS_IFRAME)
    assert 0 < load["iframe_ms"] < load["markers_ms"] <= load["drawn_ms"] < 60_000, load
    assert load["markers_ms"] < load["filters_ms"] < 60_000, load  # the filters come once the map has drawn
    assert load["page_errors"] == [] and load["exceptions"] == 0, load


def test_the_filters_come_once_the_map_has_drawn_in_the_same_map_document(server, browser):
    """The first run sends the map without the filters' widgets (whose scripts would load first); the map
    reports its first draw and the next run draws them, set from the link, around the same map document."""
    import json

    from dashboard.bench import ATLAS_IFRAME, MARKER_SELECTOR, STAMP_JS
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    try:
        context.add_init_script(STAMP_JS % (json.dumps(ATLAS_IFRAME), json.dumps(MARKER_SELECTOR)))
        context.add_init_script("""(() => { if (window !== window.top) return; (function look() {
          if (window.__benchMarkerAt) {  // the map document that drew the first marker
            window.__mapDoc = document.querySelector(%s).contentDocument; return; }
          requestAnimationFrame(look); })(); })();""" % json.dumps(ATLAS_IFRAME))
        page = context.new_page()
        open_page(page, f"{server}/?province=Zhejiang&layers=zj_town&tiles=none")
        marker_at, filters_at, same = page.evaluate(
            f"[window.__benchMarkerAt, window.__benchFiltersAt,"
            f" document.querySelector({json.dumps(ATLAS_IFRAME)}).contentDocument === window.__mapDoc]")
        assert 0 < marker_at < filters_at, (marker_at, filters_at)
        assert same  # the run that drew the filters did not reload the map
        sidebar = page.locator("[data-testid='stSidebar']")
        assert "Zhejiang" in sidebar.locator("[data-testid='stMultiSelect']").first.inner_text()
        assert "appear here once the map has drawn" not in sidebar.inner_text()
        no_exception(page)
    finally:
        context.close()


def test_a_click_on_the_map_after_coming_back_to_the_page_opens_the_profile(server, page):
    """Leaving the Map and coming back gives a new map document, whose click count starts again: its first
    click is still a new click (it carries the document's tag)."""
    sez = "path.leaflet-interactive[fill='#D55E00']"
    open_page(page, f"{server}/?layers=sez&tiles=none&province=Fujian")
    map_frame(page).locator(sez).first.click(force=True)
    page.get_by_text("Open full profile").wait_for(timeout=20_000)
    page.get_by_role("link", name="Timeline").click()
    wait_idle(page)
    page.get_by_role("link", name="Map").first.click()  # the Map's defaults, a new map document
    wait_idle(page)
    assert page.get_by_text("Open full profile").count() == 0
    search = page.locator("[data-testid='stSidebar'] [data-testid='stTextInput'] input")
    search.fill("厦门经济特区")  # the SEZ alone
    search.press("Enter")
    wait_idle(page)
    map_frame(page).locator(sez).first.click(force=True)
    page.get_by_text("Open full profile").wait_for(timeout=20_000)
    assert "zone=sez-xiamen" in page.url
    no_exception(page)
