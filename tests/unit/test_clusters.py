"""dashboard.clusters as pure functions over the built layers: the Clusters page's filters (sector, cluster
type, prefecture, Zhejiang zone, product search, all combined), and its per-sector / per-prefecture counts
checked against counts made here straight from the GeoJSON files."""
from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from dashboard import clusters
from dashboard.clusters import ClusterFilter

ROOT = Path(__file__).resolve().parents[2]
BUILT = ROOT / "geodata" / "layers"
pytestmark = pytest.mark.skipif(not (BUILT / "zj_town.geojson").exists(), reason="geodata/layers not built")


def _raw_features(layer: str) -> list[dict]:
    """Feature properties read with json only (independent of dashboard.data)."""
    with open(BUILT / f"{layer}.geojson", encoding="utf-8") as f:
        return [feat["properties"] for feat in json.load(f)["features"]]


def _sectors(props: dict) -> list[str]:
    value = props.get("sectors") or []
    return value if isinstance(value, list) else [s for s in str(value).split(";") if s]


@pytest.fixture(scope="module")
def points():
    from dashboard.data import load_points
    return load_points(BUILT)


@pytest.fixture(scope="module")
def raw() -> list[dict]:
    return _raw_features("zj_town") + _raw_features("cluster")


@pytest.fixture(scope="module")
def glossary() -> dict[str, str]:
    with open(BUILT / "product_glossary.csv", newline="", encoding="utf-8-sig") as f:
        return {r["term"].strip().lower(): r["term_zh"] for r in csv.DictReader(f)}


def ids(frame: pd.DataFrame) -> set[str]:
    return set(frame.index)


# ------------------------------------------------------------------ scope

def test_only_towns_and_clusters_are_in_scope(points, raw):
    pts = clusters.cluster_points(points)
    assert set(pts["layer"]) == {"zj_town", "cluster"}
    assert ids(pts) == {r["id"] for r in raw}
    assert (len(pts[pts["layer"] == "zj_town"]), len(pts[pts["layer"] == "cluster"])) == (66, 32)


def test_empty_filter_returns_every_town_and_cluster(points):
    assert ids(clusters.apply(points, ClusterFilter())) == ids(clusters.cluster_points(points))


def test_whitespace_only_search_is_no_filter(points):
    assert len(clusters.apply(points, ClusterFilter(q="   "))) == 98


# ------------------------------------------------------------------ by sector

SECTOR_CASES = [
    ("toys_crafts", {"zj-cangnan", "zj-haiyan", "zj-shanxiahu", "zj-wucun", "zj-yiwu", "zj-yunhe", "zj-yuyao",
                     "zj-zhoushan"}),
    ("electrical_equipment", {"zj-liushi", "zj-linhai"}),
    ("software_services", {"cl-dalian-software", "cl-zgc-haidian"}),
    ("new_energy_environment", {"cl-jiangsu-photovoltaic", "cl-wuxi-wind-power"}),
    ("household_appliances", {"zj-jiangshan-yinzhou"}),
    ("textiles", {"zj-chengau", "zj-datang", "zj-shaoxing", "zj-xiaoshan", "zj-xiuzhou", "zj-yiwu", "cl-xiqiao"}),
    ("services", set()),  # a vocabulary sector no town or cluster has
]


@pytest.mark.parametrize("sector,expected", SECTOR_CASES, ids=[s for s, _ in SECTOR_CASES])
def test_sector_filter_keeps_exactly_the_features_of_that_sector(points, sector, expected):
    assert ids(clusters.apply(points, ClusterFilter(sectors=(sector,)))) == expected


@pytest.mark.parametrize("sector", sorted({s for r in _raw_features("zj_town") + _raw_features("cluster")
                                           for s in _sectors(r)}) if (BUILT / "cluster.geojson").exists() else [])
def test_sector_filter_matches_an_independent_scan_of_the_layers(points, raw, sector):
    expected = {r["id"] for r in raw if sector in _sectors(r)}
    assert ids(clusters.apply(points, ClusterFilter(sectors=(sector,)))) == expected


def test_several_sectors_are_or_ed(points):
    a = ids(clusters.apply(points, ClusterFilter(sectors=("software_services",))))
    b = ids(clusters.apply(points, ClusterFilter(sectors=("new_energy_environment",))))
    assert ids(clusters.apply(points, ClusterFilter(sectors=("software_services", "new_energy_environment")))) == a | b


def test_multi_sector_town_is_found_under_each_of_its_sectors(points):
    for sector in ("apparel", "textiles", "toys_crafts", "footwear_leather", "logistics_trade", "light_consumer"):
        assert "zj-yiwu" in ids(clusters.apply(points, ClusterFilter(sectors=(sector,)))), sector


# ------------------------------------------------------------------ by cluster type

def test_type_values_are_the_types_present_in_the_data(points):
    """Only these are classified in the sources: 003's traditional type (Shengzhou, Xiaoshan, Yuyao) and its
    high-tech examples (Zhongguancun, Wuhan), 001's top-down / bottom-up; no feature carries a Markusen type
    (001 names them but classifies none)."""
    assert clusters.type_values(points) == ["bottom_up", "high_tech", "top_down", "traditional_integrated"]
    assert clusters.type_values(clusters.cluster_points(points)) == clusters.type_values(points)
    assert (points["cluster_type_markusen"].fillna("") == "").all()


def test_type_values_reads_every_type_column():
    frame = pd.DataFrame({"cluster_type_markusen": ["marshallian", "", None], "cluster_type_china": ["", "high_tech", ""],
                          "origin": ["top_down", "top_down", None]})
    assert clusters.type_values(frame) == ["high_tech", "marshallian", "top_down"]


TYPE_CASES = [
    (("traditional_integrated",), {"zj-shengzhou", "zj-xiaoshan", "zj-yuyao"}),
    (("top_down",), {"zj-danghu", "zj-huanggu", "zj-lindai", "zj-pinghu", "zj-zhongdai", "cl-shanghai-zjht"}),
    # 001 para 18: Xiqiao's textiles grew 'in a traditional bottom-up framework'
    (("bottom_up",), {"zj-wenzhou-footwear", "zj-wenzhou-lighters", "zj-zhili", "cl-xiqiao"}),
    (("top_down", "bottom_up"), {"zj-danghu", "zj-huanggu", "zj-lindai", "zj-pinghu", "zj-zhongdai",
                                 "cl-shanghai-zjht", "zj-wenzhou-footwear", "zj-wenzhou-lighters", "zj-zhili",
                                 "cl-xiqiao"}),
    (("traditional_integrated", "bottom_up"), {"zj-shengzhou", "zj-xiaoshan", "zj-yuyao", "zj-wenzhou-footwear",
                                               "zj-wenzhou-lighters", "zj-zhili", "cl-xiqiao"}),
    # 003's high-tech examples: 'the Zhongguancun area of Beijing or the fibre optics cluster in Wuhan'
    (("high_tech",), {"cl-zhongguancun-ict", "cl-wuhan-optoelectronics"}),
    # 003's other two Chinese types and Markusen's four: valid keys, nothing classified under them
    (("foreign_firm",), set()), (("sme_large_firm",), set()),
    (("marshallian",), set()), (("hub_and_spoke",), set()), (("satellite",), set()), (("state_anchored",), set()),
]


@pytest.mark.parametrize("types,expected", TYPE_CASES, ids=["+".join(t) for t, _ in TYPE_CASES])
def test_type_filter_keeps_features_with_any_of_the_types(points, types, expected):
    assert ids(clusters.apply(points, ClusterFilter(types=types))) == expected


def test_type_filter_looks_in_markusen_china_and_origin_columns():
    frame = pd.DataFrame({
        "layer": ["zj_town", "zj_town", "cluster", "cluster"], "sectors": [[], [], [], []],
        "cluster_type_markusen": ["marshallian", "", "", ""], "cluster_type_china": ["", "high_tech", "", ""],
        "origin": ["", "", "top_down", ""]}, index=["a", "b", "c", "d"])
    assert ids(clusters.apply(frame, ClusterFilter(types=("marshallian",)))) == {"a"}
    assert ids(clusters.apply(frame, ClusterFilter(types=("high_tech",)))) == {"b"}
    assert ids(clusters.apply(frame, ClusterFilter(types=("top_down",)))) == {"c"}
    assert ids(clusters.apply(frame, ClusterFilter(types=("marshallian", "top_down")))) == {"a", "c"}


def test_type_filter_matches_an_independent_scan_of_the_layers(points, raw):
    for value in ("traditional_integrated", "top_down", "bottom_up"):
        expected = {r["id"] for r in raw
                    if value in (r.get("cluster_type_markusen"), r.get("cluster_type_china"), r.get("origin"))}
        assert ids(clusters.apply(points, ClusterFilter(types=(value,)))) == expected, value


# ------------------------------------------------------------------ by prefecture

PREFECTURE_CASES = [
    (("温州市",), {"zj-beibaixiang", "zj-cangnan", "zj-hongqiao", "zj-liushi", "zj-longgang", "zj-panshi",
                  "zj-tangxia", "zj-wenzhou", "zj-wenzhou-footwear", "zj-wenzhou-lighters", "zj-xiaojiang",
                  "zj-yongjia"}),
    (("舟山市",), {"zj-zhoushan"}),
    (("佛山市",), {"cl-foshan-ceramics", "cl-gz-auto-nanhai", "cl-gz-auto-sanshui", "cl-xiqiao"}),
    (("苏州市",), {"cl-kunshan-it", "cl-kunshan-lcd"}),
    (("浦东新区",), {"cl-pudong-biotech", "cl-pudong-electronics"}),  # no prefecture_zh: matched on `city`
    (("舟山市", "苏州市"), {"zj-zhoushan", "cl-kunshan-it", "cl-kunshan-lcd"}),
    (("不存在市",), set()),
]


@pytest.mark.parametrize("prefs,expected", PREFECTURE_CASES, ids=["+".join(p) for p, _ in PREFECTURE_CASES])
def test_prefecture_filter_keeps_features_of_those_prefectures(points, prefs, expected):
    assert ids(clusters.apply(points, ClusterFilter(prefectures=prefs))) == expected


def test_prefecture_filter_per_zhejiang_prefecture_matches_an_independent_count(points, raw):
    counts = Counter(r["prefecture_zh"] for r in raw if r["layer"] == "zj_town")
    assert counts == {"温州市": 12, "嘉兴市": 11, "绍兴市": 9, "衢州市": 8, "湖州市": 5, "金华市": 5, "杭州市": 5,
                      "宁波市": 4, "台州市": 3, "丽水市": 3, "舟山市": 1}
    for pref, n in counts.items():
        shown = clusters.apply(points, ClusterFilter(prefectures=(pref,)))
        assert len(shown[shown["layer"] == "zj_town"]) == n, pref


# ------------------------------------------------------------------ by Zhejiang zone

ZONE_CASES = [(("north",), 35), (("wenzhou_taizhou",), 15), (("jinhua_quzhou_lishui",), 16),
              (("north", "wenzhou_taizhou"), 50), (clusters.ZJ_ZONES, 66)]


@pytest.mark.parametrize("zones,n", ZONE_CASES, ids=["+".join(z) for z, _ in ZONE_CASES])
def test_zone_filter_keeps_the_towns_of_those_zones(points, raw, zones, n):
    shown = clusters.apply(points, ClusterFilter(zj_zones=zones))
    assert ids(shown) == {r["id"] for r in raw if r.get("zj_zone") in zones}
    assert len(shown) == n
    assert set(shown["layer"]) == {"zj_town"}  # clusters outside Zhejiang have no zone


def test_zones_follow_the_prefectures_003_puts_in_them(points):
    zone_of = {"north": {"杭州市", "宁波市", "嘉兴市", "湖州市", "绍兴市", "舟山市"},
               "wenzhou_taizhou": {"温州市", "台州市"}, "jinhua_quzhou_lishui": {"金华市", "衢州市", "丽水市"}}
    for zone, prefs in zone_of.items():
        assert set(clusters.apply(points, ClusterFilter(zj_zones=(zone,)))["prefecture_zh"]) == prefs, zone


def test_wenzhou_taizhou_zone_includes_liushi_and_excludes_datang(points):
    shown = ids(clusters.apply(points, ClusterFilter(zj_zones=("wenzhou_taizhou",))))
    assert "zj-liushi" in shown and "zj-datang" not in shown


# ------------------------------------------------------------------ by product search

SEARCH_CASES = [
    ("socks", {"zj-datang"}), ("袜", {"zj-datang"}), ("pearls", {"zj-shanxiahu"}),
    ("lighters", {"zj-wenzhou", "zj-wenzhou-lighters"}), ("buttons", {"zj-yongjia"}),
    ("Opto-Mechatronics", {"zj-danghu", "zj-huanggu", "zj-lindai", "zj-pinghu", "zj-zhongdai"}),
    ("光机电", {"zj-danghu", "zj-huanggu", "zj-lindai", "zj-pinghu", "zj-zhongdai", "cl-zgc-haidian"}),
    ("柳市", {"zj-liushi"}),  # Chinese town name
    ("datang", {"zj-datang"}),  # English name
    ("(lcd)", {"cl-kunshan-lcd"}),  # plain text, not a regular expression
    ("zzz-nothing", set()),
]


@pytest.mark.parametrize("q,expected", SEARCH_CASES, ids=[q for q, _ in SEARCH_CASES])
def test_product_search_finds_words_names_and_chinese(points, glossary, q, expected):
    assert ids(clusters.apply(points, ClusterFilter(q=q), glossary)) == expected


def test_search_text_has_english_and_glossary_chinese_products_lower_cased(points, glossary):
    text = clusters.search_text(clusters.cluster_points(points), glossary)
    assert "socks" in text["zj-datang"] and "袜子" in text["zj-datang"] and "大唐" in text["zj-datang"]
    assert "低压电器" in text["zj-liushi"] and "断路器" in text["zj-liushi"]
    assert (text == text.str.lower()).all()
    assert "袜子" not in clusters.search_text(clusters.cluster_points(points))["zj-datang"]


# ------------------------------------------------------------------ combined and empty

COMBINED_CASES = [
    (ClusterFilter(sectors=("apparel",), zj_zones=("wenzhou_taizhou",)), {"zj-panshi", "zj-wenzhou"}),
    (ClusterFilter(sectors=("footwear_leather",), types=("bottom_up",)), {"zj-wenzhou-footwear"}),
    (ClusterFilter(sectors=("light_consumer",), prefectures=("温州市",), q="打火机"),
     {"zj-wenzhou", "zj-wenzhou-lighters"}),
    (ClusterFilter(sectors=("apparel", "textiles"), zj_zones=("jinhua_quzhou_lishui",)),
     {"zj-dongyang", "zj-pujiang", "zj-yiwu"}),
    (ClusterFilter(sectors=("instruments_optics",), types=("top_down",), prefectures=("嘉兴市",),
                   zj_zones=("north",), q="opto"),
     {"zj-danghu", "zj-huanggu", "zj-lindai", "zj-pinghu", "zj-zhongdai"}),
    (ClusterFilter(sectors=("apparel",), types=("top_down",), prefectures=("嘉兴市",), zj_zones=("north",),
                   q="clothing"), {"zj-pinghu"}),
    (ClusterFilter(sectors=("electronics_ict",), prefectures=("苏州市",)), {"cl-kunshan-it", "cl-kunshan-lcd"}),
    # empty results
    (ClusterFilter(sectors=("software_services",), zj_zones=("north",)), set()),
    (ClusterFilter(sectors=("textiles",), q="lighters"), set()),
    (ClusterFilter(types=("top_down",), zj_zones=("wenzhou_taizhou",)), set()),
    (ClusterFilter(prefectures=("温州市",), zj_zones=("north",)), set()),
]


@pytest.mark.parametrize("flt,expected", COMBINED_CASES, ids=[str(i) for i in range(len(COMBINED_CASES))])
def test_combined_filters_are_and_ed(points, glossary, flt, expected):
    assert ids(clusters.apply(points, flt, glossary)) == expected


def test_combined_result_is_the_intersection_of_each_filter_alone(points, glossary):
    flt = ClusterFilter(sectors=("apparel", "footwear_leather"), prefectures=("温州市", "嘉兴市"),
                        zj_zones=("north", "wenzhou_taizhou"), q="s")
    alone = [ClusterFilter(sectors=flt.sectors), ClusterFilter(prefectures=flt.prefectures),
             ClusterFilter(zj_zones=flt.zj_zones), ClusterFilter(q=flt.q)]
    expected = set.intersection(*(ids(clusters.apply(points, f, glossary)) for f in alone))
    assert expected and ids(clusters.apply(points, flt, glossary)) == expected


def test_empty_result_keeps_columns_and_counts_are_empty(points):
    shown = clusters.apply(points, ClusterFilter(sectors=("services",)))
    assert shown.empty and list(shown.columns) == list(points.columns)
    assert clusters.per_sector(shown).empty
    assert clusters.per_prefecture(shown).empty
    assert clusters.primary_sector(shown).empty


# ------------------------------------------------------------------ counts

def test_per_sector_equals_an_independent_count_from_the_layers(points, raw):
    expected = Counter((s, r["layer"]) for r in raw for s in dict.fromkeys(_sectors(r)))
    got = clusters.per_sector(clusters.cluster_points(points))
    assert {(s, l): n for s, l, n in zip(got["sector"], got["layer"], got["count"])} == expected
    assert list(got["count"]) == sorted(got["count"], reverse=True)


PER_SECTOR_PINNED = [  # (sector, towns, clusters) in the built layers
    ("apparel", 13, 1), ("electronics_ict", 2, 11), ("instruments_optics", 8, 2), ("toys_crafts", 8, 0),
    ("footwear_leather", 7, 1), ("hardware_metal", 7, 0), ("light_consumer", 7, 1), ("textiles", 6, 1),
    ("automobiles_parts", 3, 5), ("software_services", 0, 2)]


@pytest.mark.parametrize("sector,towns,cl", PER_SECTOR_PINNED, ids=[s for s, _, _ in PER_SECTOR_PINNED])
def test_per_sector_pinned_counts(points, sector, towns, cl):
    got = clusters.per_sector(clusters.cluster_points(points)).set_index(["sector", "layer"])["count"]
    assert got.get((sector, "zj_town"), 0) == towns and got.get((sector, "cluster"), 0) == cl


def test_per_sector_counts_a_multi_sector_town_once_per_sector():
    frame = pd.DataFrame({"id": ["a", "b"], "layer": ["zj_town", "zj_town"],
                          "sectors": [["apparel", "textiles"], ["apparel"]]})
    got = clusters.per_sector(frame).set_index("sector")["count"].to_dict()
    assert got == {"apparel": 2, "textiles": 1}


def test_per_sector_of_filtered_view_counts_only_what_is_shown(points):
    shown = clusters.apply(points, ClusterFilter(zj_zones=("wenzhou_taizhou",)))
    got = clusters.per_sector(shown)
    assert set(got["layer"]) == {"zj_town"}
    assert got.set_index("sector").loc["electrical_equipment", "count"] == 2  # Liushi, Linhai
    assert got["count"].sum() == sum(len(s) for s in shown["sectors"])


def _prefecture_of(r: dict) -> str:
    return r.get("prefecture_zh") or r.get("city") or r.get("province_zh") or ""


def test_per_prefecture_equals_an_independent_count_from_the_layers(points, raw):
    expected = Counter(_prefecture_of(r) for r in raw)
    got = clusters.per_prefecture(clusters.cluster_points(points))
    assert dict(zip(got["prefecture"], got["count"])) == expected
    assert got["count"].sum() == 98
    assert list(got["count"]) == sorted(got["count"], reverse=True)


def test_per_prefecture_has_no_blank_prefecture(points):
    """Clusters the papers place only in a municipality or province (Zhongguancun ICT, ZJHT park, the Jiangsu
    photovoltaic park) fall back to the province instead of one unlabelled bar."""
    got = clusters.per_prefecture(clusters.cluster_points(points)).set_index("prefecture")["count"]
    assert "" not in got.index
    assert got["北京市"] == 2 and got["上海市"] == 1 and got["江苏省"] == 1
    assert got["温州市"] == 12 and got["嘉兴市"] == 11 and got["佛山市"] == 4


def test_primary_sector_is_the_first_mapped_sector_or_blank(points):
    pts = clusters.cluster_points(points)
    primary = clusters.primary_sector(pts)
    assert primary["zj-yiwu"] == "apparel"            # clothes;textiles;decorations;... -> apparel first
    assert primary["zj-wenzhou"] == "footwear_leather"  # shoes first
    assert primary["zj-shizikou"] == ""
    assert (primary == pts["sectors"].map(lambda s: s[0] if len(s) else "")).all()


def test_sector_colours_are_distinct_for_all_25_vocabulary_sectors():
    with open(ROOT / "geodata" / "sources" / "sectors" / "vocabulary.csv", newline="", encoding="utf-8-sig") as f:
        keys = [r["key"] for r in csv.DictReader(f)]
    colours = clusters.sector_colours(keys)
    assert len(keys) == 25 and len(set(colours.values())) == 25
