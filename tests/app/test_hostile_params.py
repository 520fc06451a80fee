"""Every page's URL parameters with hostile and random values: defaults plus a notice, never an exception.

A fixed list of hostile values is tried on every parameter of every page at once; hypothesis then draws
random mixes (random text, integers, valid values, hostile values, repeated parameters). For each run:
no exception element, a page title, a notice naming every parameter whose value was invalid (the oracle
below says which are), the value never inside Markdown that allows HTML nor inside the map's HTML, and no
Markdown link or image with a hidden target made of it.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import clusters, data, stories
from dashboard.filters import CHOROPLETH_MODES, PAPER_MODES, REGION_KEYS, TILE_MODES, YEAR_MAX, YEAR_MIN
from dashboard.layers import POINT_LAYER_IDS, REGION_IDS
from dashboard.paths import STORIES_DIR
from tests.app.test_pages import run

EVIL_LINK = "[click](https://evil.example)"
HOSTILE = [
    "x" * 10_000,
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE zones; --",
    "1 OR 1=1",
    "\u202eevil\u202c مرحبا 😀\u200d👩\u200d💻 \ufeff",
    "\x00\x01\x1f",
    "%00%3Cscript%3E",
    EVIL_LINK,
    "![x](https://evil.example/x.png)",
    "https://evil.example",
    ":red[pwned] :material/warning: :smile:",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "../../etc/passwd",
    "no-such-id",
    "-1", "99999", "1e9", "abc", "1979.5", "0x7c3",
    ",,,", " ", "",
]
MARKUP = [v for v in HOSTILE if re.search(r"<[a-z/!%]", v)]

MEASURES = ["zones_total", "zones_per_10k_km2", "approved_area_km2"] + list(POINT_LAYER_IDS)


@lru_cache(maxsize=None)
def vocab() -> dict:
    points = data.load_points()
    regions = data.load_table("regions")
    sectors = list(data.load_table("sectors")["key"])
    provinces = {}
    for rec in regions.to_dict("records"):
        for spelling in (rec["province_en"], rec["province_en"].lower(), rec["province_zh"], str(rec["province_code"])):
            provinces[spelling] = rec["province_en"]
    pts = clusters.cluster_points(points)
    provinces_gdf = data.load_layer("province")
    story_vocab = stories.vocab_from_frames(points, data.load_indicators(), sectors)
    return {
        "ids": set(points["id"]), "provinces": provinces, "sectors": sectors,
        "entities": set(points["id"]) | set(provinces_gdf["id"]) | set(REGION_IDS.values()),
        "cl_sector": {s for ss in pts["sectors"] for s in (ss or [])}, "cl_type": set(clusters.type_values(pts)),
        "cl_pref": {v for v in pts["prefecture_zh"].fillna("") if v}, "cl_zone": set(clusters.ZJ_ZONES),
        "stories": {i.id: i.n_steps for i in stories.list_stories(STORIES_DIR, story_vocab) if i.ok},
    }


# -- the oracle: True = invalid (a notice must name it), False = valid, None = no claim (blank, free text)

def _items(value: str, strip: bool = True) -> list[str]:
    parts = [p.strip() for p in value.split(",")] if strip else value.split(",")
    return [p for p in parts if p]


def _int(value: str):
    try:
        return int(value)
    except ValueError:
        return None


def _all_known(value: str, known, canon=lambda v: v, strip=True):
    items = _items(value, strip)
    if not items:
        return None
    return not all(canon(v) in known for v in items)


def _choice(value: str, choices):
    return None if not value.strip() else value.strip().lower() not in choices


def _year(value: str, lo: int, hi: int):
    if not value.strip():
        return None
    n = _int(value)
    return n is None or not lo <= n <= hi


def judge_map(p: dict) -> dict:
    v = vocab()
    prov = v["provinces"]
    out = {
        "layers": lambda s: _all_known(s, POINT_LAYER_IDS),
        "province": lambda s: _all_known(s, set(prov.values()), lambda x: prov.get(x, prov.get(x.lower()))),
        "region": lambda s: _all_known(s, REGION_KEYS, lambda x: x.lower().removeprefix("region-")),
        "sector": lambda s: _all_known(s, v["sectors"], str.lower),
        "coastal": lambda s: _choice(s, ("all", "coastal", "inland")),
        "paper": lambda s: _choice(s, PAPER_MODES),
        "choropleth": lambda s: _choice(s, CHOROPLETH_MODES),
        "tiles": lambda s: _choice(s, TILE_MODES),
        "year_min": lambda s: _year(s, YEAR_MIN, YEAR_MAX),
        "year_max": lambda s: _year(s, YEAR_MIN, YEAR_MAX),
        "q": lambda s: len(s.strip()) > 100,
        "zone": lambda s: None if not s.strip() else s.strip() not in v["ids"],
    }
    verdict = {name: out[name](val) for name, val in p.items() if name in out}
    if verdict.get("year_min") is False and verdict.get("year_max") is False \
            and int(p["year_min"]) > int(p["year_max"]):
        verdict["year range"] = True
    return verdict


def judge(page: str, p: dict) -> dict:
    """Parameter -> invalid? for the (last) value of each parameter the page reads."""
    v = vocab()
    if page == "map":
        return judge_map(p)
    if page == "profile" and "zone" in p:
        return {"zone": None if not p["zone"].strip() else p["zone"].strip() not in v["ids"]}
    if page == "compare" and "compare" in p:
        items = list(dict.fromkeys(_items(p["compare"])))
        return {"compare": None if not items else (any(i not in v["entities"] for i in items) or len(items) > 4)}
    if page == "clusters":
        names = {"sector": "cl_sector", "type": "cl_type", "prefecture": "cl_pref", "zj_zone": "cl_zone"}
        out = {n: _all_known(p[n], v[key], strip=False) for n, key in names.items() if n in p}
        if "q" in p:
            out["q"] = len(p["q"]) > 100
        return out
    if page == "regions" and "measure" in p:
        return {"measure": None if not p["measure"].strip() else p["measure"] not in MEASURES}
    if page == "timeline" and "year" in p:
        return {"year": _year(p["year"], 1979, 2018)}
    if page == "story" and "story" in p:
        story = p["story"].strip()
        if not story:
            return {}
        if story not in v["stories"]:
            return {"story": True}
        if "step" not in p:
            return {"story": False}
        return {"story": False, "step": _year(p["step"], 1, v["stories"][story]) if p["step"].strip() else True}
    return {}


PARAMS = {
    "map": ["layers", "province", "region", "sector", "coastal", "paper", "choropleth", "tiles", "year_min",
            "year_max", "q", "zone"],
    "profile": ["zone"], "compare": ["compare"], "clusters": ["sector", "type", "prefecture", "zj_zone", "q"],
    "regions": ["measure"], "timeline": ["year"], "story": ["story", "step", "present"], "upload": [], "data": [],
}
VALID = {
    "layers": ["sez", "sez,hidz", "cluster,zj_town"], "province": ["Guangdong", "zhejiang", "浙江省", "33"],
    "region": ["yrd", "region-prd", "PRD"], "sector": ["textiles", "Apparel"], "coastal": ["coastal", "INLAND "],
    "paper": ["paper", "catalogue"], "choropleth": ["density", "off"], "tiles": ["none", "osm"],
    "year_min": ["1990", " 1980 "], "year_max": ["2000", "2018"], "q": ["深圳", "socks", ""],
    "zone": ["sez-shenzhen", "zj-datang"], "compare": ["sez-shenzhen,sez-zhuhai", "region-yrd,prov-44,zj-datang"],
    "type": ["top_down", "bottom_up,top_down"], "prefecture": ["温州市"], "zj_zone": ["north"],
    "measure": MEASURES, "year": ["1992", "1979"], "story": ["thirty-years", "zhejiang-clusters"],
    "step": ["1", "2"], "present": ["0", "1"], "lang": ["en", "zh"],
}


# -- checks on a finished run

def walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


# a link or image whose text hides its target, or Streamlit's coloured text, made of a URL value (a bare URL may
# still be autolinked by GFM, whatever the escaping: its text then is its address)
UNESCAPED_LINK = re.compile(r"(?<!\\)\]\((?:https?://evil|javascript:)|(?<!\\):red\[pwned")
NOTICE = re.compile(r"(?:ignored: |已忽略：)(.*)", re.S)


def check_page(at, page: str, params: dict) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert at.title and at.title[0].value.strip(), "the page still has its title"
    last = {k: (v[-1] if isinstance(v, list) else v) for k, v in params.items()}
    nodes = list(walk(at._tree))
    bodies = [n.proto.body for n in nodes if isinstance(getattr(getattr(n, "proto", None), "body", None), str)]
    raw_html = [n.proto.body for n in nodes if getattr(getattr(n, "proto", None), "allow_html", False)]
    components = [n.proto.json_args for n in nodes if getattr(getattr(n, "proto", None), "json_args", "")]
    values = [x for v in params.values() for x in (v if isinstance(v, list) else [v])]
    for value in values:
        if re.search(r"<[a-z/!%]", value, re.I) and len(value) > 3:
            for body in raw_html:
                assert value not in body, f"{value[:40]!r} inside Markdown that allows HTML"
            for args in components:
                assert value not in args, f"{value[:40]!r} inside the map's HTML"
    for body in bodies:
        assert not UNESCAPED_LINK.search(body), f"a Markdown link or image made from the URL: {body[:300]!r}"

    warnings = [w.value for w in at.warning]
    invalid = [name for name, bad in judge(page, last).items() if bad]
    if invalid:
        assert warnings, f"no notice for invalid {invalid}: {params!r:.300}"
    if not invalid and all(bad is False for bad in judge(page, last).values()):
        assert not warnings, f"a notice for valid parameters {params!r:.300}: {warnings}"
    for name in invalid:
        if page in ("profile", "compare") or name == "year range":
            continue  # one parameter (or a combination): any notice will do
        details = [m.group(1) for w in warnings for m in [NOTICE.search(w)] if m]
        assert any(re.match(rf"{re.escape(name)}[:：]", d) for d in details), (name, warnings)


# -- the fixed hostile list: every parameter of a page at once

@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:20]))
@pytest.mark.parametrize("page", list(PARAMS))
def test_hostile_value_in_every_parameter(page, value):
    params = {name: value for name in PARAMS[page]} | {"lang": value}
    if page == "story":  # a step only counts with a valid story
        params["story"] = "thirty-years" if value in ("-1", "99999", "1e9", "abc") else value
    at = run(page, **params)
    check_page(at, page, params)


@pytest.mark.parametrize("page", ["map", "profile", "compare", "clusters", "regions", "timeline", "story"])
def test_repeated_parameters_use_the_last_value(page):
    """?name=a&name=b: the page reads the last value; a hostile one gets its notice."""
    params = {name: [VALID[name][0], "<script>alert(1)</script>"] for name in PARAMS[page]}
    if page == "story":
        params = {"story": ["<b>x</b>", "thirty-years"], "step": ["1", "<script>alert(1)</script>"]}
    at = run(page, **params)
    check_page(at, page, params)
    assert at.warning


def test_long_search_text_is_cut_with_a_notice_on_the_clusters_page():
    at = run("clusters", q="socks" * 100)
    check_page(at, "clusters", {"q": "socks" * 100})
    assert at.text_input(key="cl_q").value == ("socks" * 100)[:100]


def test_url_values_cannot_make_links_in_notices():
    at = run("timeline", year=EVIL_LINK)
    check_page(at, "timeline", {"year": EVIL_LINK})
    assert r"\[click\]\(https\:\/\/evil\.example\)" in at.warning[0].value


# -- random mixes

def value_for(name: str):
    one = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60), st.sampled_from(VALID.get(name, ["x"])),
                    st.integers(-10**12, 10**12).map(str))
    return st.one_of(one, one, one, st.lists(one, min_size=2, max_size=3))  # a quarter repeated


def params_for(page: str):
    names = PARAMS[page] + ["lang"]
    return st.fixed_dictionaries({}, optional={n: value_for(n) for n in names}) | st.fixed_dictionaries(
        {}, optional={n: value_for(n) for n in names + ["zone", "q", "year", "unknown_param"]})


HYPOTHESIS = settings(max_examples=18, deadline=None, derandomize=True, database=None,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("page", list(PARAMS))
def test_random_url_parameters(page):
    @HYPOTHESIS
    @given(params=params_for(page))
    def check(params):
        at = run(page, **params)
        check_page(at, page, params)

    check()
