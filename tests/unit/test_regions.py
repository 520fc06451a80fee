"""dashboard.regions against the built layers: the province and region tables (counts by layer, approved area,
zones per 10,000 km²) and the cumulative establishment counts, each compared with a computation written here
from the GeoJSON files with json + collections only."""
from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd
import pytest

from dashboard import regions

ROOT = Path(__file__).resolve().parents[2]
BUILT = ROOT / "geodata" / "layers"
POINT_LAYERS = ("sez", "etdz", "hidz", "ftz", "customs_zone", "border_zone", "other_zone", "prov_edz", "prov_ipark",
                "prov_hidz", "zj_town", "cluster")
ZONES = ("sez", "etdz", "hidz", "ftz", "customs_zone", "border_zone", "other_zone", "prov_edz", "prov_ipark",
         "prov_hidz")
REGION_OF_ID = {"region-yrd": "Yangtze River Delta", "region-prd": "Pearl River Delta", "region-bohai": "Bohai Bay",
                "region-central": "central", "region-northeast": "northeast", "region-western": "western"}
pytestmark = pytest.mark.skipif(not (BUILT / "province.geojson").exists(), reason="geodata/layers not built")


def _props(layer: str) -> list[dict]:
    with open(BUILT / f"{layer}.geojson", encoding="utf-8") as f:
        return [feat["properties"] for feat in json.load(f)["features"]]


def _num(value) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(out) else out


@pytest.fixture(scope="module")
def raw_points() -> list[dict]:
    return [p for layer in POINT_LAYERS for p in _props(layer)]


@pytest.fixture(scope="module")
def raw_provinces() -> dict[str, dict]:
    """2-digit province code -> province properties."""
    return {str(p["adcode"])[:2]: p for p in _props("province")}


@pytest.fixture(scope="module")
def expected_by_province(raw_points, raw_provinces) -> dict[str, dict]:
    """Independent aggregation: per province id, counts per layer, zones, approved area, zones per 10k km²."""
    counts: dict[str, Counter] = defaultdict(Counter)
    area: dict[str, float] = defaultdict(float)
    for p in raw_points:
        prov = str(p["adcode"])[:2]
        counts[prov][p["layer"]] += 1
        area[prov] += _num(p.get("area_km2"))
    out = {}
    for code, meta in raw_provinces.items():
        row = {layer: counts[code][layer] for layer in POINT_LAYERS}
        row["zones_total"] = sum(counts[code][layer] for layer in ZONES)
        row["approved_area_km2"] = area[code]
        row["land_area_km2"] = float(meta["area_km2"])
        row["zones_per_10k_km2"] = row["zones_total"] / row["land_area_km2"] * 10_000
        row["region"], row["coastal"] = meta["region"], bool(meta["coastal"])
        out[meta["id"]] = row
    return out


@pytest.fixture(scope="module")
def points():
    from dashboard.data import load_points
    return load_points(BUILT)


@pytest.fixture(scope="module")
def provinces():
    from dashboard.data import load_layer
    return load_layer("province", BUILT)


@pytest.fixture(scope="module")
def ptable(points, provinces):
    return regions.province_table(points, provinces)


# ------------------------------------------------------------------ province table

def test_every_point_falls_in_a_province_of_the_province_layer(raw_points, raw_provinces):
    assert len(raw_provinces) == 34
    assert {str(p["adcode"])[:2] for p in raw_points} <= set(raw_provinces)


def test_province_table_has_one_row_per_province(ptable, raw_provinces):
    assert set(ptable.index) == {p["id"] for p in raw_provinces.values()}
    assert ptable.index.is_unique


@pytest.mark.parametrize("column", POINT_LAYERS + ("zones_total",))
def test_province_counts_by_layer_equal_an_independent_groupby(ptable, expected_by_province, column):
    got = ptable[column].to_dict()
    assert got == {pid: row[column] for pid, row in expected_by_province.items()}


def test_province_approved_area_equals_an_independent_sum(ptable, expected_by_province):
    for pid, row in expected_by_province.items():
        assert ptable.loc[pid, "approved_area_km2"] == pytest.approx(row["approved_area_km2"], abs=0.006), pid


def test_province_zones_per_10k_km2_equals_zones_over_land_area(ptable, expected_by_province):
    for pid, row in expected_by_province.items():
        assert ptable.loc[pid, "land_area_km2"] == row["land_area_km2"]
        assert ptable.loc[pid, "zones_per_10k_km2"] == pytest.approx(row["zones_per_10k_km2"], abs=0.0006), pid


def test_province_totals_add_up_to_the_layers(ptable, raw_points):
    by_layer = Counter(p["layer"] for p in raw_points)
    for layer in POINT_LAYERS:
        assert ptable[layer].sum() == by_layer[layer], layer
    assert ptable["zones_total"].sum() == sum(by_layer[layer] for layer in ZONES) == 560 + 1991
    assert ptable["zones_national"].sum() == 560 and ptable["zones_provincial"].sum() == 1991
    assert (ptable["zones_national"] + ptable["zones_provincial"] == ptable["zones_total"]).all()


PROVINCE_PINNED = [  # (province id, column, value): facts of the sources
    ("prov-44", "sez", 3),        # Guangdong: Shenzhen, Zhuhai, Shantou
    ("prov-35", "sez", 1),        # Fujian: Xiamen
    ("prov-46", "sez", 1),        # Hainan
    ("prov-31", "sez", 1),        # Shanghai: Pudong New Area
    ("prov-12", "sez", 1),        # Tianjin: Binhai New Area
    ("prov-33", "zj_town", 66),   # every Zhejiang specialised town is in Zhejiang
    ("prov-11", "cluster", 10),   # Beijing: Zhongguancun sub-parks, THSP, ICT and mobile-telecom clusters
    ("prov-71", "zones_total", 0),  # Taiwan: no zone of the catalogue
    ("prov-81", "zones_total", 0),  # Hong Kong
    ("prov-82", "zones_total", 0),  # Macao
]


@pytest.mark.parametrize("pid,column,value", PROVINCE_PINNED, ids=[f"{p}-{c}" for p, c, _ in PROVINCE_PINNED])
def test_province_table_pinned_values(ptable, pid, column, value):
    assert ptable.loc[pid, column] == value


def test_province_without_zones_has_zero_area_and_density(ptable):
    row = ptable.loc["prov-81"]
    assert row["approved_area_km2"] == 0.0 and row["zones_per_10k_km2"] == 0.0 and row["top_sectors"] == []


def test_province_table_region_and_coastal_come_from_the_province_layer(ptable, expected_by_province):
    for pid, row in expected_by_province.items():
        assert ptable.loc[pid, "region"] == row["region"] and ptable.loc[pid, "coastal"] == row["coastal"], pid


def test_points_carry_the_region_and_coastal_of_their_province(raw_points, raw_provinces):
    for p in raw_points:
        meta = raw_provinces[str(p["adcode"])[:2]]
        assert (p["region"], bool(p["coastal"])) == (meta["region"], bool(meta["coastal"])), p["id"]


def test_top_sectors_are_the_three_most_frequent_sectors(ptable, raw_points):
    for code, pid in (("33", "prov-33"), ("44", "prov-44"), ("11", "prov-11")):
        counts = Counter(s for p in raw_points if str(p["adcode"])[:2] == code for s in p["sectors"] or [])
        top = ptable.loc[pid, "top_sectors"]
        assert len(top) == 3
        ranked = sorted(counts.values(), reverse=True)
        assert [counts[s] for s in top] == ranked[:3], pid  # ties may come in any order


def test_top_sectors_of_a_series_counts_each_listed_sector():
    series = pd.Series([["a", "b"], ["a"], [], ["c", "a", "b"]])
    assert regions.top_sectors(series) == ["a", "b", "c"]
    assert regions.top_sectors(series, n=1) == ["a"]
    assert regions.top_sectors(pd.Series([], dtype=object)) == []


# ------------------------------------------------------------------ region table

@pytest.fixture(scope="module")
def rtable(ptable):
    return regions.region_table(ptable)


def test_region_table_rows_are_six_regions_and_coastal_inland(rtable):
    assert list(rtable.index) == list(REGION_OF_ID) + ["region-coastal", "region-inland"]


@pytest.mark.parametrize("rid", list(REGION_OF_ID) + ["region-coastal", "region-inland"])
def test_region_row_equals_an_independent_sum_over_its_provinces(rtable, expected_by_province, rid):
    if rid in REGION_OF_ID:
        members = [r for r in expected_by_province.values() if r["region"] == REGION_OF_ID[rid]]
    else:
        members = [r for r in expected_by_province.values()  # mainland provinces, as the six regions
                   if r["region"] in REGION_OF_ID.values() and r["coastal"] == (rid == "region-coastal")]
    assert members
    for column in POINT_LAYERS + ("zones_total",):
        assert rtable.loc[rid, column] == sum(r[column] for r in members), column
    assert rtable.loc[rid, "approved_area_km2"] == pytest.approx(sum(r["approved_area_km2"] for r in members), abs=0.05)
    land = sum(r["land_area_km2"] for r in members)
    assert rtable.loc[rid, "land_area_km2"] == land
    assert rtable.loc[rid, "zones_per_10k_km2"] == pytest.approx(
        sum(r["zones_total"] for r in members) / land * 10_000, abs=0.0006)


def test_six_regions_and_coastal_plus_inland_both_partition_all_zones(rtable):
    six = rtable.loc[list(REGION_OF_ID)]
    two = rtable.loc[["region-coastal", "region-inland"]]
    for column in POINT_LAYERS + ("zones_total", "land_area_km2"):
        assert six[column].sum() == two[column].sum(), column
    assert six["zones_total"].sum() == 560 + 1991
    assert six["zones_national"].sum() == 560 and six["zones_provincial"].sum() == 1991


REGION_PINNED = [("region-prd", "sez", 5),  # Shenzhen, Zhuhai, Shantou, Xiamen, Hainan (the papers' PRD grouping)
                 ("region-yrd", "zj_town", 66), ("region-coastal", "sez", 7), ("region-inland", "sez", 0),
                 ("region-coastal", "ftz", 15), ("region-inland", "ftz", 0),  # all FTZs are at the coast
                 ("region-western", "border_zone", 14)]


@pytest.mark.parametrize("rid,column,value", REGION_PINNED, ids=[f"{r}-{c}" for r, c, _ in REGION_PINNED])
def test_region_table_pinned_values(rtable, rid, column, value):
    assert rtable.loc[rid, column] == value


def test_coastal_and_inland_leave_out_taiwan_hong_kong_and_macao(rtable, expected_by_province):
    """They have no region and no catalogue zone; their 39,468 km² once diluted the coastal density (2.254)."""
    assert {pid for pid, r in expected_by_province.items() if r["region"] not in REGION_OF_ID.values()} == {
        "prov-71", "prov-81", "prov-82"}
    coastal = [r for r in expected_by_province.values() if r["coastal"] and r["region"] in REGION_OF_ID.values()]
    assert rtable.loc["region-coastal", "land_area_km2"] == sum(r["land_area_km2"] for r in coastal) == 1_309_489
    assert rtable.loc["region-coastal", "zones_national"] == 304
    coastal_zones = sum(r["zones_total"] for r in coastal)
    assert rtable.loc["region-coastal", "zones_per_10k_km2"] == pytest.approx(coastal_zones / 1_309_489 * 10_000,
                                                                              abs=0.0006)


def test_coastal_zones_are_denser_than_inland(rtable):
    # national zones alone: more than 5 times denser at the coast; with the provincial zones, more than 4 times
    national = rtable["zones_national"] / rtable["land_area_km2"]
    assert national["region-coastal"] > 5 * national["region-inland"]
    assert rtable.loc["region-coastal", "zones_per_10k_km2"] > 4 * rtable.loc["region-inland", "zones_per_10k_km2"]


# ------------------------------------------------------------------ over time

@pytest.fixture(scope="module")
def cumulative(points) -> pd.DataFrame:
    return regions.cumulative_by_year(points).set_index(["layer", "year"])["count"]


def _existing(raw_points, layer: str, year: int) -> int:
    return sum(1 for p in raw_points if p["layer"] == layer and p.get("year") is not None and int(p["year"]) <= year)


CUMULATIVE_PINNED = [
    ("sez", 1979, 0),      # approved 1980 (Aug: Shenzhen, Zhuhai, Shantou; Oct: Xiamen)
    ("sez", 1980, 4),
    ("sez", 1987, 4),
    ("sez", 1988, 5),      # Hainan
    ("sez", 1990, 6),      # Pudong New Area
    ("sez", 2005, 6),
    ("sez", 2006, 7),      # Tianjin Binhai New Area
    ("etdz", 1983, 0),
    ("etdz", 1984, 10),    # the first ETDZs of the 14 coastal cities (catalogue approval dates)
    ("etdz", 1988, 14),
    ("hidz", 1987, 0),
    ("hidz", 1988, 1),     # Beijing's experimental zone, the first HIDZ
    ("hidz", 1992, 52),    # the 1991-92 batches
    ("ftz", 1989, 0),
    ("ftz", 1990, 1),      # Waigaoqiao
    ("customs_zone", 2018, 121),
    ("etdz", 2018, 219),
    ("hidz", 2018, 156),
]


@pytest.mark.parametrize("layer,year,n", CUMULATIVE_PINNED, ids=[f"{l}-{y}" for l, y, _ in CUMULATIVE_PINNED])
def test_cumulative_by_year_pinned_counts(cumulative, layer, year, n):
    assert cumulative[(layer, year)] == n


@pytest.mark.parametrize("year", [1979, 1980, 1984, 1985, 1988, 1990, 1992, 2000, 2006, 2010, 2018])
@pytest.mark.parametrize("layer", ZONES)
def test_cumulative_by_year_equals_an_independent_count(cumulative, raw_points, layer, year):
    assert cumulative[(layer, year)] == _existing(raw_points, layer, year)


def test_cumulative_by_year_covers_1979_to_2018_for_every_zone_layer_and_never_falls(points):
    cum = regions.cumulative_by_year(points)
    assert set(cum["layer"]) == set(ZONES) and "zj_town" not in set(cum["layer"])
    assert sorted(set(cum["year"])) == list(range(1979, 2019))
    assert len(cum) == len(ZONES) * 40
    for layer, grp in cum.groupby("layer"):
        values = grp.sort_values("year")["count"].tolist()
        assert values == sorted(values), layer


def test_cumulative_by_year_for_chosen_layers_only(points):
    cum = regions.cumulative_by_year(points, layers=("sez",))
    assert set(cum["layer"]) == {"sez"} and cum.set_index("year").loc[2018, "count"] == 7


def test_zone_dated_before_1979_is_counted_in_1979():
    frame = pd.DataFrame({"layer": ["sez", "sez", "etdz"], "year": [1975.0, 1980.0, None]})
    cum = regions.cumulative_by_year(frame).set_index(["layer", "year"])["count"]
    assert cum[("sez", 1979)] == 1 and cum[("sez", 1980)] == 2 and cum[("etdz", 2018)] == 0


def test_every_zone_has_a_year(raw_points):
    """All 560 zones are dated (catalogue approval dates or the papers), so the curves end at the totals."""
    undated = [p["id"] for p in raw_points if p["layer"] in ZONES and p.get("year") is None]
    assert not undated


@pytest.mark.parametrize("year", [1979, 1980, 1984, 1988, 1992, 2006, 2018])
def test_existing_at_is_consistent_with_cumulative_by_year(points, cumulative, year):
    existing = regions.existing_at(points, year)
    assert set(existing["layer"]) <= set(ZONES)
    assert (existing["year"] <= year).all()
    per_layer = existing["layer"].value_counts()
    for layer in ZONES:
        assert per_layer.get(layer, 0) == cumulative[(layer, year)], (layer, year)


def test_existing_at_leaves_out_towns_clusters_and_later_zones(points):
    existing = regions.existing_at(points, 1980)
    assert set(existing.index) == {"sez-shenzhen", "sez-zhuhai", "sez-shantou", "sez-xiamen"}
    assert len(regions.existing_at(points, 2018)) == 560 + 1991


# ------------------------------------------------------------------ levels and built-up growth (issue 14)

def test_rank_provinces_by_zones_per_level(ptable):
    for measure in ("zones_national", "zones_provincial"):
        ranked = regions.rank_provinces(ptable, measure)
        values = ranked[measure].tolist()
        assert values == sorted(values, reverse=True) and min(values) > 0
    assert regions.rank_provinces(ptable, "zones_provincial").iloc[0]["zones_provincial"] == \
        ptable["zones_provincial"].max()


def test_built_growth_joins_by_province_and_ranks_largest_first(ptable):
    growth = pd.DataFrame({"prov": ["33", "32"], "zones_measured": [2, 1], "built_1990_km2": [1.0, 2.0],
                           "built_2020_km2": [5.0, 3.0], "built_growth_km2": [4.0, 1.0],
                           "built_growth_pct": [400.0, 50.0]})
    table = regions.with_built_growth(ptable, growth)
    assert table.loc["prov-33", "built_growth_km2"] == 4.0 and table.loc["prov-11", "zones_measured"] == 0
    ranked = regions.rank_provinces(table, "built_growth_km2")
    assert ranked["id"].tolist() == ["prov-33", "prov-32"]


def test_built_growth_of_the_built_layers_covers_most_provinces(points, ptable):
    from dashboard import landuse
    from dashboard.data import load_indicators
    growth = landuse.province_built_growth(points, load_indicators(BUILT))
    assert len(growth) >= 28 and (growth["zones_measured"] > 0).all()
    assert (growth["built_growth_km2"] >= 0).mean() > 0.9  # built-up surface around zones grew almost everywhere
