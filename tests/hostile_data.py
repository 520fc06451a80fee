"""A copy of the built layers in which a few features carry hostile text (HTML, JavaScript, template syntax).

Point the app at it with ATLAS_LAYERS_DIR (a subprocess or a second server: the layers directory is read once,
at import). Every payload calls alert() with its own label, so a browser test knows which one ran.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

BUILT = Path(__file__).resolve().parents[1] / "geodata" / "layers"

SCRIPT = '<script>alert("name_en")</script>'
IMG = '<img src=x onerror=alert("name_zh")>'
SVG = '"><svg onload=alert("products")>'
CLOSE_SCRIPT = '</script><script>alert("city")</script>'
BARE_URL = "log in again at https://evil.example/login"  # GFM would autolink it
MD_LINK = '[click me](javascript:alert("note"))'
IFRAME = '<iframe src="javascript:alert(\'source\')"></iframe>'
TEMPLATE = "{{ 7*7 }}{% if true %}jinja-ran{% endif %}"
FORMULA = "=cmd|' /C calc'!A0"
# breaks out of a JavaScript template literal (folium's Tooltip puts its text between backticks)
BACKTICK = "`+alert(/backtick/.source)+`"  # no quotes: html.escape leaves it as it is

ZONE = "sez-shenzhen"        # a comprehensive SEZ: on the map, profile, compare, timeline, story pages
TOWN = "zj-anji"             # a Zhejiang cluster county: on the clusters page
TICK = "sez-xiamen"          # named with a backtick (selection ring tooltip)
PROVINCE = "prov-33"         # Zhejiang's outline label

ZONE_TEXT = {"name_en": SCRIPT, "name_zh": IMG, "products": SVG, "city": CLOSE_SCRIPT, "note": MD_LINK,
             "source": IFRAME, "leading_industries": TEMPLATE, "year_note": FORMULA, "catalogue_link_note": BARE_URL}
TOWN_TEXT = {"name_en": '<b onmouseover=alert("town")>Anji</b>', "name_zh": SCRIPT, "products": IMG}
TICK_TEXT = {"name_en": BACKTICK, "name_zh": "厦门" + BACKTICK}
PROVINCE_TEXT = {"name_en": 'Zhejiang<img src=x onerror=alert("province")>'}

# every payload as it must never appear in HTML that a browser parses
PAYLOADS = [SCRIPT, IMG, SVG, CLOSE_SCRIPT, IFRAME, '<b onmouseover', '<img src=x onerror=alert("province")>']


def _patch(path: Path, changes: dict[str, dict[str, str]]) -> None:
    fc = json.loads(path.read_text(encoding="utf-8"))
    found = set()
    for feature in fc["features"]:
        props = feature["properties"]
        if props["id"] in changes:
            props.update(changes[props["id"]])
            found.add(props["id"])
    assert found == set(changes), f"{path.name}: missing {set(changes) - found}"
    path.write_text(json.dumps(fc, ensure_ascii=False), encoding="utf-8")


def make_hostile_layers(dest: Path) -> Path:
    """Copy the built layers to `dest` and give four features hostile names; returns `dest`."""
    shutil.copytree(BUILT, dest, dirs_exist_ok=True)
    _patch(dest / "sez.geojson", {ZONE: ZONE_TEXT, TICK: TICK_TEXT})
    _patch(dest / "zj_town.geojson", {TOWN: TOWN_TEXT})
    _patch(dest / "province.geojson", {PROVINCE: PROVINCE_TEXT})
    return dest
