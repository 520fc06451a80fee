"""Land-use measurements around catalogue zones: which are shown, flagged or withheld; the built rows against the
compiled file; years-since-designation alignment; provinces ranked by built-up growth around their zones."""
from __future__ import annotations

import math

import pandas as pd
import pytest
import shapely

from dashboard import landuse
from dashboard.paths import LAYERS_DIR, SOURCES

CATALOGUE = SOURCES / "catalogue" / "devzones_2018_enriched.csv"


# ------------------------------------------------------------------ pure rules

@pytest.mark.parametrize("kept,level,status,expected", [
    (True, "住宅区", "ok", ("shown", "")),
    (True, "未知", "ok", ("shown", "")),
    (True, "市", "ok", ("at_centre", "at_city_centre")),
    (True, "区县", "ok", ("at_centre", "at_county_centre")),
    (True, "省", "ok", ("at_centre", "at_province_centre")),
    (True, "住宅区", "city_only", ("at_centre", "at_city_centre")),
    (False, "住宅区", "ok", ("withheld_failed_qc", "")),
    (False, "市", "ok", ("withheld_failed_qc", "")),
])
def test_land_status(kept, level, status, expected):
    got = landuse.land_status(kept, level, status)
    assert (got.status, got.flag) == expected


ROW = {"built_1990_buffer_sum": "1614727.0", "built_2000_buffer_sum": "2072137.0", "built_2010_buffer_sum": "",
       "built_2015_buffer_sum": "2841103.0", "built_2020_buffer_sum": "3114556.0",
       "pop_density_buffer_sum": "32793.3354", "forest_treecover2000_buffer_mean": "3.1092",
       "forest_loss_pre_designation": "0.0", "forest_loss_post_designation": "266.0", "dist_to_coast_km": "1121.685"}


def test_withheld_point_gives_no_rows():
    assert landuse.indicator_rows("x", ROW, landuse.LandStatus(landuse.WITHHELD, "")) == []


def test_rows_convert_units_cite_both_sources_and_skip_missing_values():
    rows = landuse.indicator_rows("etdz-x", ROW, landuse.LandStatus(landuse.AT_CENTRE, "at_city_centre"))
    built = {r["year"]: float(r["value"]) for r in rows if r["indicator"] == "land_built_up_5km"}
    assert built == {"1990": 1.614727, "2000": 2.072137, "2015": 2.841103, "2020": 3.114556}  # m² -> km², 2010 empty
    assert all(r["flag"] == "at_city_centre" for r in rows)
    pop = next(r for r in rows if r["indicator"] == "land_population_5km")
    assert (pop["value"], pop["unit"], pop["year"]) == ("32793.3354", "persons", "2020")
    for r in rows:
        dataset, compiled = r["source"].split("; ", 1)
        assert dataset in landuse.DATASETS
        assert compiled.startswith("compiled in kaiwulaw/china-industrial-zones-atlas data/enriched.csv @358d79b, "
                                   "column ")


def test_unknown_dataset_is_refused():
    with pytest.raises(ValueError):
        landuse.source_text("Some raster", "col")


# ------------------------------------------------------------------ the built table

@pytest.fixture(scope="module")
def points():
    from dashboard.data import load_points
    return load_points(LAYERS_DIR)


@pytest.fixture(scope="module")
def indicators():
    from dashboard.data import load_indicators
    return load_indicators(LAYERS_DIR)


@pytest.fixture(scope="module")
def land(indicators):
    return indicators[indicators["indicator"].map(landuse.is_land)]


def test_no_land_value_of_a_failed_point_is_shown(points, land):
    status = land["entity_id"].map(points["land_status"])
    assert status.notna().all()
    assert not (status == landuse.WITHHELD).any()
    # flagged exactly where the point is only a centre
    assert ((land["flag"] != "") == (status == landuse.AT_CENTRE)).all()


def test_every_catalogue_zone_has_a_land_status_and_counts_add_up(points, land):
    cat = points[points["catalogue_code"] != ""]
    assert set(cat["land_status"]) == {landuse.SHOWN, landuse.AT_CENTRE, landuse.WITHHELD}
    withheld = cat[cat["land_status"] == landuse.WITHHELD]
    assert len(withheld) > 100  # the failed points (outside the province or shared): measured elsewhere
    shown = set(cat.index[cat["land_status"] != landuse.WITHHELD])
    assert set(land["entity_id"]) <= shown and len(set(land["entity_id"])) > 0.98 * len(shown)


def test_a_replaced_point_is_a_withheld_one(points):
    cat = points[points["catalogue_code"] != ""]
    replaced = ~cat["coord_source"].str.startswith("2018 catalogue geocode")
    assert (cat.loc[replaced, "land_status"] == landuse.WITHHELD).all()
    assert (cat.loc[~replaced, "land_status"] != landuse.WITHHELD).all()


def test_built_values_equal_the_compiled_file(points, land):
    cat = pd.read_csv(CATALOGUE, dtype=str, keep_default_na=False)
    shown = points[points["land_status"] == landuse.SHOWN]
    rec = shown[shown["layer"] == "prov_hidz"].iloc[0]
    src = cat[(cat["代码"] == rec["catalogue_code"]) & (cat["开发区名称"] == rec["catalogue_name"])].iloc[0]
    series = landuse.built_series(land, rec.name)
    assert series["year"].tolist() == [1990, 2000, 2010, 2015, 2020]
    for year, value in zip(series["year"], series["value"]):
        assert math.isclose(value, float(src[f"built_{year}_buffer_sum"]) / 1e6, rel_tol=1e-9)


def test_zones_are_drawn_inside_their_own_province(points):
    from dashboard.data import load_layer
    provinces = load_layer("province", LAYERS_DIR).set_index("name_zh")
    cat = points[points["catalogue_code"] != ""]
    outside = [fid for fid, prov, geom in zip(cat.index, cat["province_zh"], cat.geometry)
               if shapely.distance(provinces.geometry[prov], geom) * 111 > 3.0]
    assert len(outside) <= 0.01 * len(cat), outside[:10]


# ------------------------------------------------------------------ alignment and ranking

def _frame(rows):
    return pd.DataFrame(rows, columns=["entity_id", "indicator", "year", "value", "unit", "source", "note", "flag"])


IND = _frame([(e, "land_built_up_5km", y, v, "km2", "s", "", f) for e, f, vals in (
    ("a", "", {1990: 1.0, 2000: 2.0, 2010: 4.0, 2015: 5.0, 2020: 6.0}),
    ("b", "at_city_centre", {1990: 10.0, 2000: 12.0, 2010: 14.0, 2015: 15.0, 2020: 16.0}),
    ("c", "", {1990: 3.0, 2020: 9.0})) for y, v in vals.items()])
PTS = pd.DataFrame({"year": [1992, 2006, pd.NA, 2010], "adcode": ["330100", "330200", "320100", "320500"]},
                   index=["a", "b", "c", "d"]).astype({"year": "Int64"})


def test_years_since_designation_is_snapshot_minus_approval_year():
    out = landuse.align_on_designation(IND, PTS, ["a", "b", "c", "d"])
    assert set(out["entity_id"]) == {"a", "b"}  # c has no approval year, d no values
    a = out[out["entity_id"] == "a"]
    assert a["years_since"].tolist() == [-2, 8, 18, 23, 28]
    b = out[out["entity_id"] == "b"]
    assert b["years_since"].tolist() == [-16, -6, 4, 9, 14] and set(b["flag"]) == {"at_city_centre"}


def test_phase_marks_snapshots_before_and_after_the_approval_year():
    series = landuse.built_series(IND, "a")
    # the approval-year snapshot counts as before, as in the compiled file's built_pre_designation_year
    assert landuse.with_phase(series, 2010)["phase"].tolist() == ["before", "before", "before", "after", "after"]
    assert landuse.with_phase(series, 2011)["phase"].tolist() == ["before", "before", "before", "after", "after"]


def test_phase_agrees_with_the_compiled_pre_and_post_years():
    cat = pd.read_csv(CATALOGUE, dtype=str, keep_default_na=False)
    for rec in cat.sample(200, random_state=1).to_dict("records"):
        year = int(rec["批准时间"][:4])
        series = pd.DataFrame({"year": list(landuse.BUILT_YEARS), "value": 0.0})
        phased = landuse.with_phase(series, year)
        before = phased.loc[phased["phase"] == "before", "year"]
        after = phased.loc[phased["phase"] == "after", "year"]
        if len(before):
            assert before.max() == int(rec["built_pre_designation_year"])
        if len(before) and len(after):
            assert after.min() == int(rec["built_post_designation_year"])
    assert set(landuse.with_phase(series, None)["phase"]) == {""}


def test_province_growth_uses_only_unflagged_values():
    out = landuse.province_built_growth(PTS, IND).set_index("prov")
    assert list(out.index) == ["32", "33"]  # b (flagged, 33) is left out; a is in 33, c in 32
    assert out.loc["33", "zones_measured"] == 1 and out.loc["33", "built_growth_km2"] == 5.0
    assert out.loc["32", "built_growth_pct"] == 200.0
