"""The Map page's map payload (dashboard/mapview.py): compact points per layer, escaping, view keys, static outlines."""
import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from dashboard import data, mapview, maps
from dashboard.layers import POINT_LAYER_IDS
from tests import hostile_data as H

TEXTS = {"legend_title": "Layers", "choropleth_caption_count": "Features", "choropleth_caption_density": "per km²"}
SHORT = {lid: lid.upper() for lid in POINT_LAYER_IDS}


@pytest.fixture
def provinces():
    return gpd.GeoDataFrame({"id": ["prov-44", "prov-33"], "adcode": ["440000", "330000"],
                             "name_en": ["Guangdong", H.SCRIPT], "name_zh": ["广东省", "浙江省"], "area_km2": [179800, 105500]},
                            geometry=[box(109, 20, 117, 25.5), box(118, 27, 123, 31)], crs="EPSG:4326")


@pytest.fixture
def points():
    frame = pd.DataFrame([
        {"id": "sez-shenzhen", "layer": "sez", "name_en": "Shenzhen", "name_zh": "深圳", "year": 1980,
         "sectors": [], "products": "", "adcode": "4403"},
        {"id": "sez-xiamen", "layer": "sez", "name_en": "Xiamen", "name_zh": "厦门", "year": 1980,
         "sectors": [], "products": "", "adcode": "3502"},
        {"id": "cl-evil", "layer": "cluster", "name_en": H.SCRIPT, "name_zh": H.IMG, "year": None,
         "sectors": [], "products": H.SVG, "adcode": "330681"},
    ])
    gdf = gpd.GeoDataFrame(frame, geometry=[Point(114.06, 22.55), Point(118.1, 24.48), Point(121.0, 30.7)],
                           crs="EPSG:4326")
    return gdf.set_index("id", drop=False)


def view(points, provinces, selected=None, **kw):
    selected = points if selected is None else selected
    return mapview.explorer_view(selected, points.index.get_indexer(selected.index), mapview.point_keys(points),
                                 provinces, kw.pop("choropleth", "count"), "none", kw.pop("layer_ids", ["sez", "cluster"]),
                                 SHORT, TEXTS, **kw)


def decoded(layer: dict) -> list[float]:
    return json.loads("[" + layer["points"] + "]")


def test_each_layer_sends_only_lat_lon_and_position_of_its_selected_features(points, provinces):
    out = view(points, provinces, points.loc[["sez-xiamen", "cl-evil"]])
    layers = {layer["id"]: decoded(layer) for layer in out["layers"]}
    assert layers["sez"] == [24.48, 118.1, 1]  # Xiamen only, position 1 in the full table
    assert layers["cluster"] == [30.7, 121.0, 2]
    assert layers["etdz"] == []  # every registry layer is listed, so that a layer turned off is emptied
    assert set(layers) == set(POINT_LAYER_IDS)
    assert "Xiamen" not in json.dumps(out)  # names travel in the tooltip file, not with every filter change


def test_legend_labels_and_ring_are_escaped(points, provinces):
    rec = points.loc["cl-evil"].to_dict()
    out = view(points, provinces, selected_rec=rec, selected_label=H.SCRIPT,
               layer_ids=["sez", "cluster"])
    text = json.dumps(out, ensure_ascii=False)
    for payload in H.PAYLOADS:
        assert payload not in text
    assert maps.esc(H.SCRIPT) in out["rings"][0][2]
    assert maps.esc(H.SCRIPT) in out["provinceLabels"]["prov-33"]
    assert "SEZ <b>2</b>" in out["legend"]


def test_a_ringed_feature_is_drawn_unclustered_and_only_once(points, provinces):
    rec = points.loc["sez-shenzhen"].to_dict()
    out = view(points, provinces, selected_rec=rec, selected_label="Shenzhen")
    assert decoded(next(layer for layer in out["layers"] if layer["id"] == "sez")) == [24.48, 118.1, 1]
    assert [decoded(r) for r in out["ringed"]] == [[22.55, 114.06, 0]]
    assert out["ringed"][0]["style"]["radius"] == mapview.RING_RADIUS
    assert out["rings"][0][:2] == [22.55, 114.06]


def test_choropleth_fills_follow_the_selection_and_off_leaves_plain_outlines(points, provinces):
    counts = view(points, provinces, points.loc[["sez-shenzhen"]])
    assert set(counts["provinceFills"]) == {"prov-44", "prov-33"} and "Guangdong (广东省): 1" in counts["provinceLabels"]["prov-44"]
    assert "atlas-choropleth-legend" in counts["choroplethLegend"]
    off = view(points, provinces, choropleth="off")
    assert off["provinceFills"] == {} and off["choroplethLegend"] == ""


def test_fit_and_focus_carry_keys_so_the_view_moves_only_when_they_change(points, provinces):
    assert view(points, provinces)["fit"] is None and view(points, provinces)["focus"] is None
    fit = view(points, provinces, fit_key="Guangdong||")["fit"]
    assert fit["key"] == "Guangdong||" and fit["bounds"][0][0] < 22.55 < fit["bounds"][1][0]
    focus = view(points, provinces, focus=(22.55, 114.06, 8, "sez-shenzhen"))["focus"]
    assert focus == {"lat": 22.55, "lon": 114.06, "zoom": 8, "key": "sez-shenzhen"}


def test_colour_by_a_users_indicator_colours_and_labels_only_features_with_a_value(points, provinces):
    values = pd.Series({"sez-xiamen": 7.0}, name=H.IMG)
    out = view(points, provinces, values=values)
    assert out["valueMode"] and set(out["pointColours"]) == {"1"}
    assert out["tipExtra"]["1"] == f"<br><b>{maps.esc(H.IMG)}: 7</b>"
    assert H.IMG not in out["valueLegend"] and maps.esc(H.IMG) in out["valueLegend"]


def test_tooltip_file_is_escaped_and_in_table_order(points):
    tips = maps.tooltips(points, SHORT, {}, "no year")
    listed = json.loads(mapview.tooltips_json(tips))
    assert len(listed) == 3 and "Xiamen" in listed[1]
    assert all(p not in "".join(listed) for p in H.PAYLOADS)


def test_point_keys_are_compact():
    pts = gpd.GeoDataFrame({"id": ["a", "b"]}, geometry=[Point(114.0, 22.5), Point(118.123456, 24.4)], crs="EPSG:4326")
    assert mapview.point_keys(pts).tolist() == ["22.5,114,0", "24.4,118.12346,1"]


def test_the_static_outline_file_is_the_built_province_layer():
    """static/geo/ is served with ETag/Last-Modified (browser-cached); `python -m dashboard.mapview` rewrites it."""
    assert mapview.static_outlines_problems(data.load_layer("province")) == []
    text = mapview.outlines_text(data.load_layer("province"))
    assert mapview.static_outlines_url(text).startswith("/app/static/geo/province-")
    assert mapview.static_outlines_url(text + " ") is None  # other outlines: not this file
