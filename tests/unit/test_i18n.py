"""The translation catalogue is complete: every interface string exists in English and Chinese."""
import re
import string
from pathlib import Path

import pytest

from dashboard import clusters, filters
from dashboard.i18n import LANGS, STRINGS, normalise_lang, t
from dashboard.layers import COORD_PRECISIONS, LAYERS, POINT_LAYER_IDS, REGION_ZH, REGIONS

ROOT = Path(__file__).resolve().parents[2]
CODE = [*ROOT.glob("app_pages/*.py"), *ROOT.glob("dashboard/*.py"), ROOT / "streamlit_app.py"]
CJK = re.compile(r"[\u4e00-\u9fff]")
# strings that are the same in both languages on purpose (symbols, codes)
SAME_IN_BOTH: set[str] = set()


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_exists_in_both_languages(key):
    entry = STRINGS[key]
    assert set(entry) == set(LANGS), f"{key}: languages {sorted(entry)}"
    assert all(entry[lang].strip() for lang in LANGS), f"{key}: empty text"
    assert placeholders(entry["en"]) == placeholders(entry["zh"]), f"{key}: placeholders differ"
    if key not in SAME_IN_BOTH:
        assert CJK.search(entry["zh"]), f"{key}: the Chinese text has no Chinese in it: {entry['zh']!r}"


def literal_keys() -> set[tuple[str, str]]:
    found = set()
    for path in CODE:
        for key in re.findall(r"\b(?:tr|t)\(\s*\"([a-z0-9_]+)\"", path.read_text(encoding="utf-8")):
            found.add((path.relative_to(ROOT).as_posix(), key))
    return found


def test_every_key_used_in_the_code_is_in_the_catalogue():
    used = literal_keys()
    assert len(used) > 100, "the scan found the pages' strings"
    missing = sorted((path, key) for path, key in used if key not in STRINGS)
    assert not missing, missing


@pytest.mark.parametrize("prefix, values", [
    ("coastal_", ["all", "coastal", "inland"]),
    ("paper_", filters.PAPER_MODES),
    ("choropleth_", filters.CHOROPLETH_MODES),
    ("tiles_", filters.TILE_MODES),
    ("precision_", COORD_PRECISIONS),
    ("zjzone_", clusters.ZJ_ZONES),
    ("m_", ["zones_total", "zones_per_10k_km2", "approved_area_km2"]),
    ("col_", __import__("dashboard.exports", fromlist=["x"]).EXPORT_COLUMNS),
    ("ctype_", ["marshallian", "hub_and_spoke", "satellite", "state_anchored", "traditional_integrated",
                "high_tech", "foreign_firm", "sme_large_firm", "bottom_up", "top_down"]),
])
def test_keys_built_at_run_time_exist(prefix, values):
    """Keys the pages build with f-strings (tr(f"coastal_{v}") …) exist for every value they can take."""
    assert [v for v in values if f"{prefix}{v}" not in STRINGS] == []


def test_layer_region_and_sector_names_have_both_languages():
    from dashboard import data
    for lid, info in LAYERS.items():
        assert info.label_en and CJK.search(info.label_zh) and info.short_en and CJK.search(info.short_zh), lid
    assert set(REGION_ZH) == set(REGIONS) and all(CJK.search(v) for v in REGION_ZH.values())
    vocab = data.load_table("sectors")
    assert vocab["label_en"].str.strip().astype(bool).all() and vocab["label_zh"].map(lambda v: bool(CJK.search(v))).all()
    assert len(POINT_LAYER_IDS) >= 9


def test_lookup_and_fallbacks():
    assert t("map_title", "zh") == "开发区与产业集群地图" and t("map_title", "en") == "Zones and clusters map"
    assert t("no_such_key", "zh") == "no_such_key"
    assert normalise_lang("ZH") == "zh" and normalise_lang("fr") == "en" and normalise_lang(None) == "en"


def test_notices_follow_the_language():
    vocab = filters.Vocab(provinces={}, sectors=set(), feature_ids=set())
    _, en = filters.parse_query({"year_min": "abc", "zone": "nope"}, vocab, "en")
    _, zh = filters.parse_query({"year_min": "abc", "zone": "nope"}, vocab, "zh")
    assert en == ["year_min: 'abc' is not a year", "zone: no feature with id 'nope'"]
    assert zh == ["year_min：'abc' 不是年份", "zone：没有编号为 'nope' 的要素"]


def test_every_unit_of_the_indicator_table_is_said_in_both_languages():
    from dashboard import data
    from dashboard.i18n import UNITS
    units = set(data.load_indicators()["unit"].fillna("")) - {""}
    assert sorted(units - set(UNITS)) == []
    for unit, (en, en_factor, zh, zh_factor) in UNITS.items():
        assert en and zh and en_factor > 0 and zh_factor > 0, unit
        assert CJK.search(zh) or zh.startswith("%"), unit


@pytest.mark.parametrize("value, unit, lang, shown, label", [
    (480, "RMB 100 million", "en", 48, "RMB billion"),      # seed 002 Table 3 revenue: RMB 480 bn
    (480, "RMB 100 million", "zh", 480, "亿元"),
    (12.5, "RMB billion", "zh", 125, "亿元"),
    (3.2, "10000 persons", "en", 32, "thousand persons"),
    (3.2, "10000 persons", "zh", 3.2, "万人"),
    (1.5, "million persons", "zh", 150, "万人"),
    (2.5, "USD million", "zh", 250, "万美元"),
    (40.3, "percent", "zh", 40.3, "%"),
    (7, "no such unit", "zh", 7, "no such unit"),
])
def test_units_follow_the_language(value, unit, lang, shown, label):
    import pandas as pd

    from dashboard import charts
    rows = pd.DataFrame([{"entity_id": "x", "indicator": "gdp", "year": 2000, "value": value, "unit": unit,
                          "source": "s", "note": "", "flag": "preliminary;partial_year:Jan-Sep"}])
    out = charts.localise(rows, lang, {"gdp": "GDP"})
    assert out["value"].iloc[0] == pytest.approx(shown) and out["unit"].iloc[0] == label
    assert out["printed"].iloc[0] == f"{value:,.10g} {unit}"  # what the source printed stays visible
    assert out["flag"].iloc[0] == ("preliminary; partial year (Jan-Sep)" if lang == "en" else "初步数; 非全年数据 (Jan-Sep)")
