"""The built layers: counts pinned against the sources, the contract, and the public data API."""
import pandas as pd
import pytest

from dashboard import data
from dashboard.layers import CONTRACT_COLUMNS, POINT_LAYER_IDS


@pytest.fixture(scope="module")
def points():
    return data.load_points()


def test_layer_ids_cover_every_layer():
    assert data.layer_ids()[:len(POINT_LAYER_IDS)] == list(POINT_LAYER_IDS)
    assert {"province", "zj_county"} <= set(data.layer_ids())


def test_unknown_layer_is_a_clear_error():
    with pytest.raises(KeyError, match="unknown layer 'nope'"):
        data.load_layer("nope")


@pytest.mark.parametrize("layer_id", POINT_LAYER_IDS)
def test_every_layer_has_the_contract_columns_in_wgs84(layer_id):
    gdf = data.load_layer(layer_id)
    assert gdf.crs.to_epsg() == 4326
    assert set(CONTRACT_COLUMNS) <= set(gdf.columns)
    assert "paper_list" in gdf.columns
    assert gdf["source"].str.strip().ne("").all()
    assert gdf["coord_source"].str.strip().ne("").all()


def test_ids_are_unique_across_layers(points):
    assert points["id"].is_unique


def test_seven_sezs_with_designation_years(points):
    sez = points[points["layer"] == "sez"].set_index("id")
    assert len(sez) == 7
    assert sez.loc["sez-shenzhen", "year"] == 1980 and sez.loc["sez-xiamen", "year"] == 1980
    assert sez.loc["sez-hainan", "year"] == 1988 and sez.loc["sez-binhai", "year"] == 2006


def test_annex_a_has_54_hidz_25_eastern_29_inland(points):
    annex = points[points["paper_list"].str.contains("004 Annex A")]
    assert len(annex) == 54
    assert (annex["layer"] == "hidz").all()
    nanjing = points.loc["hidz-nanjing"]
    assert nanjing["province_zh"] == "江苏省" and "Nanning" in nanjing["note"]


def test_annex_b_has_15_ftz_in_13_cities(points):
    annex = points[points["paper_list"].str.contains("004 Annex B")]
    assert len(annex) == 15 and (annex["layer"] == "ftz").all()
    assert annex["city"].nunique() == 13


def test_catalogue_counts_by_level_and_type(points):
    linked = points[points["catalogue_code"] != ""].drop_duplicates(["catalogue_code", "catalogue_name"])
    assert linked.groupby(["level", "catalogue_type"]).size().to_dict() == {
        ("national", "经济技术开发区"): 219, ("national", "高新技术产业开发区"): 156, ("national", "海关特殊监管区域"): 135,
        ("national", "边境/跨境经济合作区"): 19, ("national", "其他类型开发区"): 23,
        ("provincial", "经济开发区"): 986, ("provincial", "工业园区"): 848, ("provincial", "高新技术产业开发区"): 157}
    assert points["layer"].value_counts()[["prov_edz", "prov_ipark", "prov_hidz"]].tolist() == [986, 848, 157]


def test_the_sources_duplicate_code_gives_two_features_with_a_note(points):
    twins = points[points["catalogue_code"] == "S377018"]
    assert sorted(twins.index) == ["prov_edz-s377018-linzi", "prov_edz-s377018-zichuan"]
    assert twins["note"].str.contains("slip of the source").all()


def test_level_follows_the_layer(points):
    from dashboard.layers import level_of
    assert (points["level"] == points["layer"].map(level_of)).all()
    assert set(points.loc[points["layer"].str.startswith("prov_"), "level"]) == {"provincial"}


def test_paper_zone_and_catalogue_row_are_one_feature(points):
    zgc = points.loc["hidz-zhongguancun"]
    assert zgc["catalogue_code"] and zgc["year"] == 1988
    assert not (points["catalogue_code"].eq(zgc["catalogue_code"]) & points["id"].ne(zgc["id"])).any()


def test_coord_precision_and_source_on_every_point(points):
    assert set(points["coord_precision"]) <= {"zone", "town", "county", "prefecture", "province"}


def test_indicators_have_the_long_format():
    ind = data.load_indicators()
    assert list(ind.columns) == ["entity_id", "indicator", "year", "value", "unit", "source", "note", "flag"]
    assert len(ind) > 500
    assert ind["source"].str.strip().ne("").all()
    assert (ind["value"].notna() | ind["note"].str.strip().ne("")).all()
