"""Hostile names, URL values and files in a real Chromium: no script runs, the text shows as written.

A second server reads a copy of the layers in which a few features carry HTML/JavaScript names
(tests/hostile_data.py). Every payload calls alert(); an init script records alert/confirm/prompt calls in
every frame (the map is an iframe) and the page's dialog event is watched too: both must stay empty.
"""
from __future__ import annotations

from urllib.parse import quote, unquote

import pytest
from playwright.sync_api import expect

from tests import hostile_data as H
from tests.browser.conftest import ARTIFACTS, free_port, start_server
from tests.browser.helpers import main_text, map_frame, no_exception, open_page, shot, wait_idle

WATCH = """
window.__xss = [];
for (const name of ["alert", "confirm", "prompt"]) {
    const original = window[name];
    window[name] = function (message) { window.__xss.push(name + ":" + message); return original.apply(this, arguments); };
}"""
MARKUP_INSIDE = "script, img[src='x'], svg[onload], iframe[src^='javascript'], b[onmouseover], a[href^='javascript']"


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    ARTIFACTS.mkdir(exist_ok=True)
    layers = H.make_hostile_layers(tmp_path_factory.mktemp("hostile-layers"))
    port = free_port()
    proc = start_server(port, env={"ATLAS_LAYERS_DIR": str(layers)})
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def watched(page):
    dialogs: list[str] = []
    page.add_init_script(WATCH)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    return page


def fired(page) -> list[str]:
    calls = list(page.dialogs)
    for frame in page.frames:
        try:
            calls += frame.evaluate("() => window.__xss || []")
        except Exception:  # a frame that went away meanwhile
            pass
    return calls


def no_markup_in_main(page) -> None:
    """No element made of data or URL text, and no link with a hidden target ([text](url)). A bare URL may be
    autolinked by GFM (escaping cannot stop it): then its text is its own address, so nothing is hidden."""
    main = page.locator("[data-testid='stMain']")
    assert main.locator(MARKUP_INSIDE).count() == 0
    for link in main.locator("a[href*='evil']").all():
        href, text = unquote(link.get_attribute("href")), link.inner_text().strip()
        assert href.rstrip("/") == text.rstrip("/"), f"a link whose text {text!r} hides its target {href!r}"


OPEN_TOOLTIPS = """(id) => new Promise(done => {
    // the Map page's component (window.atlasMap): a marker's tooltip is bound when it is first hovered and
    // read from a list fetched once per language, so hover and wait until it is more than the placeholder
    const map = window.atlasMap, points = [];
    const text = l => { const c = l.getTooltip().getContent(); return String(typeof c === "function" ? c(l) : c); };
    map.eachLayer(l => {
        if (l.feature && l.feature.id === id.province) l.openTooltip();  // a province outline
        else if (l.getLatLng && !l.feature) {
            if (l.options.pos === undefined) { if (l.getTooltip()) l.openTooltip(); }  // the selection ring
            else { l.fire("mouseover", {}, true); points.push(l); }  // a marker (the selected one is drawn
        }                                                             // outside the cluster bubbles)
    });
    const started = Date.now();
    (function look() {
        const marker = points.find(m => m.getTooltip() && text(m).includes(id.zone));
        if (marker) { marker.openTooltip(); return done(true); }
        if (Date.now() - started > 15000) return done(false);
        setTimeout(look, 200);
    })();
})"""


def test_map_shows_hostile_names_as_text_in_tooltips_panel_and_outlines(hostile_server, watched):
    page = watched
    open_page(page, f"{hostile_server}/?layers=sez&zone={H.ZONE}&tiles=none")
    frame = map_frame(page)
    assert frame.evaluate(OPEN_TOOLTIPS, {"zone": H.ZONE, "province": H.PROVINCE})
    tips = frame.locator(".leaflet-tooltip")
    tips.filter(has_text="name_en").first.wait_for()
    shown = "\n".join(tips.all_inner_texts())
    assert H.SCRIPT in shown and H.IMG in shown and H.SVG in shown, shown  # marker tooltip and selection ring
    assert H.PROVINCE_TEXT["name_en"] in shown, shown  # the outline label
    assert frame.locator(f".leaflet-tooltip :is({MARKUP_INSIDE})").count() == 0
    text = main_text(page)  # the profile panel beside the map
    for value in (H.SCRIPT, H.IMG, H.CLOSE_SCRIPT, H.MD_LINK):
        assert value in text, value
    no_markup_in_main(page)
    page.wait_for_timeout(1000)
    assert fired(page) == []
    no_exception(page)
    shot(page, "hostile-map-tooltips")


def test_hostile_url_values_show_as_text_in_notices_and_the_search_box(hostile_server, watched):
    page = watched
    q = '<img src=x onerror=alert("q")>'
    zone = '<script>alert("zone")</script>'
    open_page(page, f"{hostile_server}/?tiles=none&q={quote(q)}&zone={quote(zone)}"
                    f"&province={quote('[click](https://evil.example)')}&year_min={quote('1e9')}")
    expect(page.get_by_label("Search names").first).to_have_value(q)
    page.get_by_text("No feature matches these filters").first.wait_for()
    text = main_text(page)
    assert f"'{zone}'" in text and "'[click](https://evil.example)'" in text and "'1e9' is not a year" in text
    no_markup_in_main(page)
    page.wait_for_timeout(1000)
    assert fired(page) == []
    no_exception(page)


def test_profile_and_clusters_pages_show_hostile_names_as_written(hostile_server, watched):
    page = watched
    open_page(page, f"{hostile_server}/profile?zone={H.ZONE}")
    map_frame(page)  # the inset map ran its script
    assert page.locator("[data-testid='stMain'] h1").first.inner_text().strip() == f"{H.SCRIPT} ({H.IMG})"
    table = page.locator("[data-testid='stTable']").first.inner_text()
    for value in (H.SCRIPT, H.IMG, H.SVG, H.CLOSE_SCRIPT, H.IFRAME, H.MD_LINK, H.BARE_URL, H.TEMPLATE, H.FORMULA):
        assert value in table, value
    no_markup_in_main(page)
    shot(page, "hostile-profile")

    open_page(page, f"{hostile_server}/clusters?prefecture={quote('湖州市')}")
    map_frame(page)
    assert H.TOWN_TEXT["name_en"] in main_text(page)
    no_markup_in_main(page)
    page.wait_for_timeout(1000)
    assert fired(page) == []
    no_exception(page)


def test_backtick_name_does_not_break_out_of_the_selection_ring_tooltip(hostile_server, watched):
    page = watched
    open_page(page, f"{hostile_server}/?layers=sez&zone={H.TICK}&tiles=none")
    frame = map_frame(page)  # a broken script would leave the map empty
    ring = frame.evaluate("""() => { let text = null; window.atlasMap.eachLayer(l => {
        if (l.getTooltip && l.getTooltip() && l.getLatLng && !l.feature && l.options.pos === undefined) { l.openTooltip(); text = l.getTooltip().getElement().innerText; } });
        return text; }""")
    assert ring and H.BACKTICK in ring
    page.wait_for_timeout(1000)
    assert fired(page) == []
    no_exception(page)


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
BAD_FILES = [
    ("empty.csv", b"", "the file is empty"),
    ("photo.csv", PNG + bytes(range(256)) * 4, "PNG image"),
    ("broken.csv", b'id,value\n"sez-shenzhen,5\netdz,3\n', "is never closed"),
    ("latin1.csv", "name,value\ncafé,1\n".encode("latin-1"), "wrong encoding"),
    ("ragged.csv", b"id,value\na,1\nb,2,3\n", "line 3 has 3 cells"),
]
GOOD = "名称,省份,year,exports_index\n濮院镇,浙江省,2020,120\nsez-shenzhen,,2020,300\nNowhere town,,2020,5\n"


def test_bad_uploads_give_a_clear_error_and_the_page_keeps_working(hostile_server, watched, tmp_path):
    page = watched
    open_page(page, f"{hostile_server}/upload")
    uploader = page.locator("input[type='file']")
    for name, content, message in BAD_FILES:
        path = tmp_path / name
        path.write_bytes(content)
        uploader.set_input_files(str(path))
        page.get_by_text(f"{name} could not be read").wait_for(timeout=30_000)
        wait_idle(page)
        expect(page.locator("[data-testid='stMain'] [data-testid='stCode']").first).to_contain_text(message)
        assert page.locator("[data-testid='stMain'] h1").first.inner_text() == "Bring your own indicators"
        no_exception(page)
    good = tmp_path / "good.csv"
    good.write_bytes(GOOD.encode("gbk"))
    uploader.set_input_files(str(good))
    page.get_by_text("Join report").wait_for(timeout=30_000)
    wait_idle(page)
    assert "3 rows read, 2 matched, 1 unmatched" in main_text(page)
    assert fired(page) == []
    no_exception(page)
    shot(page, "hostile-upload-recovered")
