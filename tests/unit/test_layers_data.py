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


def test_catalogue_counts_by_type(points):
    linked = points[points["catalogue_code"] != ""].drop_duplicates("catalogue_code")
    assert linked["catalogue_type"].value_counts().to_dict() == {
        "经济技术开发区": 219, "高新技术产业开发区": 156, "海关特殊监管区域": 135, "边境/跨境经济合作区": 19,
        "其他类型开发区": 23}


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
