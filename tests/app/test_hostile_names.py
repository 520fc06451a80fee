"""Feature names and uploaded cells holding HTML, JavaScript or template syntax stay text.

Checked in the map HTML the app sends to the browser (tooltips, outline labels, legends, selection ring), in the
pages' Markdown, tables and profiles (AppTest, in a subprocess pointed at a hostile copy of the layers with
ATLAS_LAYERS_DIR, since the layers directory is read once at import), and through upload → join → map.
"""
from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from dashboard import data, maps, upload
from dashboard.layers import POINT_LAYERS, POINT_LAYER_IDS
from tests import hostile_data as H

ROOT = Path(__file__).resolve().parents[2]
TEXTS = {"legend_title": "Layers", "year_not_given": "no year", "choropleth_caption_count": "Features",
         "choropleth_caption_density": "per 10,000 km²"}
SHORT = {info.id: info.short_en for info in POINT_LAYERS}


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    return H.make_hostile_layers(tmp_path_factory.mktemp("hostile-layers"))


@pytest.fixture(scope="module")
def hostile(hostile_dir):
    return data.load_points(hostile_dir), data.load_layer("province", hostile_dir)


def render(m) -> str:
    return m.get_root().render()


def assert_no_payload(text: str, where: str) -> None:
    for payload in H.PAYLOADS:
        assert payload not in text, f"{payload!r} unescaped in {where}"
    assert "jinja-ran" not in text or "{% if true %}" in text.replace("&#123;", "{").replace("&#125;", "}")


def test_explorer_map_escapes_hostile_names_in_tooltips_outlines_legend_and_ring(hostile):
    points, provinces = hostile
    zone = points.loc[H.ZONE].to_dict()
    m = maps.explorer_map(points, provinces, "count", "none", POINT_LAYER_IDS, SHORT, {}, TEXTS, zone,
                          f"{zone['name_en']} ({zone['name_zh']})", highlights=[(points.loc[H.TOWN].to_dict(), H.SCRIPT)])
    page = render(m)
    assert_no_payload(page, "the explorer map")
    # the names are there, as escaped text (tooltips, outline label, selection ring)
    assert maps.esc(H.SCRIPT) in page and maps.esc(H.IMG) in page and maps.esc(H.SVG) in page
    assert maps.esc(H.PROVINCE_TEXT["name_en"]) in page
    assert maps.esc(H.TOWN_TEXT["name_en"]) in page
    # what a browser shows of a tooltip is the name itself
    tip = maps.tooltip_html(zone, "SEZ", {}, "no year")
    assert html.unescape(tip.split("<br>")[0]) == f"<b>{H.SCRIPT}</b>"


def test_every_map_builder_escapes_a_hostile_label(hostile):
    points, provinces = hostile
    m = maps.base_map(provinces, tiles="none")
    maps.add_provinces(m, provinces, maps.province_values(points, provinces, "density"), caption=H.SCRIPT)
    maps.add_outlines(m, provinces, label_col="name_en")
    maps.add_points(m, points, maps.tooltips(points, SHORT, {"textiles": H.IMG}, H.SVG), clustered=False)
    maps.add_legend(m, [("#000000", H.IMG, 1), ("#D55E00", H.SCRIPT, None)], H.CLOSE_SCRIPT)
    maps.add_gradient_legend(m, H.IFRAME, 0, 1, "{:,.0f}")
    assert_no_payload(render(m), "the map builders")


def test_backtick_in_a_name_cannot_leave_the_selection_ring_tooltip(hostile):
    """folium.Tooltip puts its text inside a JavaScript template literal (`…`): a backtick must be an entity."""
    points, provinces = hostile
    rec = points.loc[H.TICK].to_dict()
    m = maps.explorer_map(points.loc[[H.TICK]], provinces, "off", "none", ["sez"], SHORT, {}, TEXTS, rec,
                          f"{rec['name_en']} ({rec['name_zh']})")
    page = render(m)
    assert "`+alert(" not in page


def test_uploaded_html_js_and_formula_cells_stay_text_from_upload_to_map_tooltip():
    column = '<img src=x onerror=alert("column")>'
    csv = (f"id,{column},note\n"
           "sez-shenzhen,42,<script>alert('cell')</script>\n"
           "sez-xiamen,7,=cmd|' /C calc'!A0\n"
           "<script>alert('key')</script>,5,x\n"
           "=cmd|' /C calc'!A0,6,y\n"
           "sez-zhuhai,<svg onload=alert(1)>,z\n").encode()
    read = upload.read_table(csv, "evil.csv")
    assert read.ok, read.problems
    points = data.load_points()
    joined = upload.join_indicators(read.frame, points, "id", [column], source_label="uploaded: evil.csv")
    # hostile keys and cells are reported as they were written (text in a dataframe), not dropped or run
    assert "<script>alert('key')</script>" in joined.unmatched["key"].tolist()
    assert "=cmd|' /C calc'!A0" in joined.unmatched["key"].tolist()
    assert "<svg onload=alert(1)>" in joined.non_numeric["text"].tolist()
    assert set(joined.indicators["indicator"]) == {column}
    # the download neutralises formulas
    exported = upload.to_csv_bytes(joined.table).decode("utf-8-sig")
    assert "\n=cmd" not in exported and ",=cmd" not in exported
    # the map: the uploaded column's name reaches tooltips and the colour legend escaped
    values = maps.latest_values(joined.indicators, column).rename(column)
    selected = points[points["layer"] == "sez"]
    m = maps.explorer_map(selected, data.load_layer("province"), "off", "none", ["sez"], SHORT, {}, TEXTS,
                          values=values)
    page = render(m)
    assert column not in page and "<svg onload" not in page and "<script>alert('" not in page
    assert maps.esc(column) in page  # tooltip line and legend caption, as text


# -- the pages, in a subprocess that reads the hostile layers

CASES = {
    "profile": ("profile", {"zone": H.ZONE}),
    "profile_town": ("profile", {"zone": H.TOWN}),
    "map_zone": ("map", {"zone": H.ZONE, "layers": "sez", "table": "1"}),
    "map_all": ("map", {"tiles": "none", "table": "1"}),
    "map_search": ("map", {"q": "<script>", "table": "1"}),
    "compare": ("compare", {"compare": f"{H.ZONE},{H.TOWN},{H.PROVINCE}"}),
    "clusters": ("clusters", {"prefecture": "湖州市"}),
    "timeline": ("timeline", {"year": "1990"}),
    "regions": ("regions", {}),
    "story": ("story", {"story": "thirty-years", "step": "1"}),
    "profile_zh": ("profile", {"zone": H.ZONE, "lang": "zh"}),
}


NAMES = [H.TOWN_TEXT["name_en"], H.PROVINCE_TEXT["name_en"]]


def worker() -> None:
    """Run in the subprocess: every case through AppTest; print one JSON line of findings per case."""
    from tests.app.test_hostile_params import walk
    from tests.app.test_pages import run
    out = {}
    for name, (page, params) in CASES.items():
        at = run(page, **params)
        nodes = list(walk(at._tree))
        protos = [getattr(n, "proto", None) for n in nodes]
        bodies = [p.body for p in protos if isinstance(getattr(p, "body", None), str)]
        html_bodies = [p.body for p in protos if getattr(p, "allow_html", False)]
        maps_html = [p.json_args for p in protos if getattr(p, "json_args", "")]
        tables = ["\n".join(map(str, [*df.columns, *df.index, *df.to_numpy().ravel()]))
                  for t in list(at.table) + list(at.dataframe) for df in [t.value] if isinstance(df, pd.DataFrame)]
        texts = [w.value for w in at.multiselect] + [str(o) for s in at.multiselect for o in s.options]
        out[name] = {
            "exceptions": [str(e.value) for e in at.exception],
            "titles": [t.value for t in at.title] + [s.value for s in at.subheader],
            "payloads_in_raw_html": [p for p in H.PAYLOADS for b in html_bodies if p in b],
            "payloads_in_map_html": [p for p in H.PAYLOADS for a in maps_html if p in a],
            "escaped_in_map_html": [p for p in H.PAYLOADS + NAMES for a in maps_html if maps.esc(p) in a],
            "n_maps": len(maps_html),
            "markdown_with_alert": [b[:300] for b in bodies if "alert" in b],
            "tables": "\n".join(tables)[:200_000],
            "options": " ".join(map(str, texts))[:50_000],
        }
    print("RESULT " + json.dumps(out, ensure_ascii=False))


@pytest.fixture(scope="module")
def pages(hostile_dir) -> dict:
    env = {**os.environ, "ATLAS_LAYERS_DIR": str(hostile_dir), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", "from tests.app.test_hostile_names import worker; worker()"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    lines = [l for l in proc.stdout.splitlines() if l.startswith("RESULT ")]
    assert proc.returncode == 0 and lines, proc.stderr[-3000:]
    return json.loads(lines[-1].removeprefix("RESULT "))


@pytest.mark.parametrize("case", list(CASES))
def test_page_with_hostile_names_renders_them_as_text(pages, case):
    found = pages[case]
    assert not found["exceptions"], found["exceptions"]
    assert not found["payloads_in_raw_html"], "hostile text inside Markdown that allows HTML"
    assert not found["payloads_in_map_html"], f"unescaped in the map HTML: {found['payloads_in_map_html']}"
    assert found["titles"], "the page rendered"


def unmd(text: str) -> str:
    """What Markdown shows of backslash-escaped ASCII punctuation."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def test_profile_shows_the_hostile_name_literally_in_title_and_table(pages):
    found = pages["profile"]
    # st.title and st.table render Markdown (without HTML): the page escapes it, so the name shows as written
    assert f"{H.SCRIPT} ({H.IMG})" in map(unmd, found["titles"])
    assert not re.search(r"(?<!\\)[\[\]<*_`]", found["titles"][0]), found["titles"][0]
    for text in (H.SCRIPT, H.IMG, H.SVG, H.CLOSE_SCRIPT, H.TEMPLATE, H.FORMULA, H.MD_LINK, H.BARE_URL):
        assert text in unmd(found["tables"]), text
    assert H.MD_LINK not in found["tables"] and "https://evil" not in found["tables"]
    assert found["n_maps"] == 1 and H.SCRIPT in found["escaped_in_map_html"]  # inset map tooltip and ring


def test_map_profile_panel_escapes_markdown_of_the_selected_feature(pages):
    found = pages["map_zone"]
    assert H.SCRIPT in found["escaped_in_map_html"] and H.IMG in found["escaped_in_map_html"]
    panel = [b for b in found["markdown_with_alert"] if b.startswith("**")]
    assert len(panel) >= 4, "the profile panel lists the feature's facts"
    for body in panel:  # st.markdown(f"**{label}:** {md_escape(value)}"): no link made of the note, no tag
        assert "[click me](javascript" not in body and not re.search(r"(?<!\\)<[a-z/]", body), body


def test_clusters_list_and_compare_show_hostile_names_as_text(pages):
    assert H.TOWN_TEXT["name_en"] in pages["compare"]["tables"] or H.TOWN_TEXT["name_en"] in pages["compare"]["options"]
    assert H.SCRIPT in pages["compare"]["options"]
    bodies = pages["clusters"]["markdown_with_alert"]
    assert bodies and not any(re.search(r"(?<!\\)<[a-z/]", b) for b in bodies), bodies
    assert H.TOWN_TEXT["name_en"] in pages["clusters"]["escaped_in_map_html"]
    assert H.PROVINCE_TEXT["name_en"] in pages["regions"]["escaped_in_map_html"]
