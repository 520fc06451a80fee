"""Filter logic and URL state as pure functions (table-driven, synthetic features)."""
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from dashboard import filters
from dashboard.filters import DEFAULT, MapState

REGIONS = pd.DataFrame([
    {"province_code": "44", "province_zh": "广东省", "province_en": "Guangdong"},
    {"province_code": "33", "province_zh": "浙江省", "province_en": "Zhejiang"},
    {"province_code": "51", "province_zh": "四川省", "province_en": "Sichuan"},
])


def feature(fid, layer, name_en, name_zh, prov, region, coastal, year, sectors, products="", paper="", code=""):
    return {"id": fid, "layer": layer, "name_en": name_en, "name_zh": name_zh, "province_en": prov,
            "region": region, "coastal": coastal, "year": year, "sectors": sectors, "products": products,
            "paper_list": paper, "catalogue_code": code, "city": "", "sector_terms": products.split(";"),
            "adcode": {"Guangdong": "440300", "Zhejiang": "330681", "Sichuan": "510100"}[prov]}


@pytest.fixture
def points():
    rows = [
        feature("sez-shenzhen", "sez", "Shenzhen SEZ", "深圳经济特区", "Guangdong", "Pearl River Delta", True, 1980,
                ["electronics_ict"], paper="004 SEZ list"),
        feature("zj-datang", "zj_town", "Datang", "大唐镇", "Zhejiang", "Yangtze River Delta", True, None,
                ["textiles", "apparel"], products="socks", paper="003 Zhejiang table"),
        feature("etdz-g511001", "etdz", "Chengdu ETDZ", "成都经济技术开发区", "Sichuan", "western", False, 2000,
                ["automobiles_parts"], code="G511001"),
        feature("cl-evil", "cluster", "<script>alert(1)</script>", "恶意", "Guangdong", "Pearl River Delta", True, 1992,
                ["toys_crafts"]),
    ]
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("Int64")
    gdf = gpd.GeoDataFrame(frame, geometry=[Point(114, 22.5), Point(120.0, 29.3), Point(104, 30.6), Point(113, 23)],
                           crs="EPSG:4326")
    return gdf.set_index("id", drop=False)


def ids(frame):
    return sorted(frame["id"])


@pytest.mark.parametrize("state, expected", [
    (DEFAULT, ["cl-evil", "etdz-g511001", "sez-shenzhen", "zj-datang"]),
    (MapState(layers=("sez",)), ["sez-shenzhen"]),
    (MapState(layers=()), []),
    (MapState(provinces=("Guangdong",)), ["cl-evil", "sez-shenzhen"]),
    (MapState(regions=("western",)), ["etdz-g511001"]),
    (MapState(coastal="inland"), ["etdz-g511001"]),
    (MapState(coastal="coastal"), ["cl-evil", "sez-shenzhen", "zj-datang"]),
    (MapState(year_min=1990, year_max=2018), ["cl-evil", "etdz-g511001"]),  # no-year features drop out
    (MapState(sectors=("textiles",)), ["zj-datang"]),
    (MapState(sectors=("textiles", "electronics_ict")), ["sez-shenzhen", "zj-datang"]),
    (MapState(q="深圳"), ["sez-shenzhen"]),
    (MapState(q="shenzhen"), ["sez-shenzhen"]),
    (MapState(q="SOCKS"), ["zj-datang"]),
    (MapState(q="no such place"), []),
    (MapState(paper="paper"), ["sez-shenzhen", "zj-datang"]),
    (MapState(paper="catalogue"), ["etdz-g511001"]),
    (MapState(layers=("sez", "cluster"), provinces=("Guangdong",), regions=("prd",), coastal="coastal",
              year_min=1980, year_max=1995, sectors=("toys_crafts",), q="script", paper="all"), ["cl-evil"]),
    (MapState(provinces=("Sichuan",), sectors=("textiles",)), []),
])
def test_apply_filters(points, state, expected):
    assert ids(filters.apply_filters(points, state)) == expected


def test_counts_by_layer_lists_every_layer(points):
    counts = filters.counts_by_layer(filters.apply_filters(points, MapState(provinces=("Guangdong",))))
    assert counts["sez"] == 1 and counts["cluster"] == 1 and counts["etdz"] == 0 and "hidz" in counts


def test_hidden_without_year_counts_only_yearless(points):
    assert filters.hidden_without_year(points, MapState(year_min=1990, year_max=2018)) == 1
    assert filters.hidden_without_year(points, DEFAULT) == 0


@pytest.fixture
def vocab(points):
    return filters.vocab_from(points, REGIONS, ["textiles", "apparel", "electronics_ict", "toys_crafts",
                                                "automobiles_parts"])


@pytest.mark.parametrize("params, expected, n_notices", [
    ({}, DEFAULT, 0),
    ({"layers": "sez,hidz"}, MapState(layers=("sez", "hidz")), 0),
    ({"province": "广东省,zhejiang,51"}, MapState(provinces=("Guangdong", "Zhejiang", "Sichuan")), 0),
    ({"region": "yrd,PRD"}, MapState(regions=("yrd", "prd")), 0),
    ({"sector": "textiles"}, MapState(sectors=("textiles",)), 0),
    ({"year_min": "1990", "year_max": "2000"}, MapState(year_min=1990, year_max=2000), 0),
    ({"q": "深圳", "zone": "sez-shenzhen"}, MapState(q="深圳", zone="sez-shenzhen"), 0),
    ({"layers": "bogus"}, DEFAULT, 2),
    ({"layers": "sez,<script>"}, MapState(layers=("sez",)), 1),
    ({"province": "Atlantis"}, DEFAULT, 1),
    ({"year_min": "abc"}, DEFAULT, 1),
    ({"year_min": "1800"}, DEFAULT, 1),
    ({"year_min": "2010", "year_max": "1990"}, DEFAULT, 1),
    ({"zone": "'; DROP TABLE zones;--"}, DEFAULT, 1),
    ({"coastal": "sideways", "choropleth": "3d", "tiles": "x", "paper": "?"}, DEFAULT, 4),
    ({"q": "x" * 500}, MapState(q="x" * filters.MAX_QUERY_LEN), 1),
    ({"table": "1"}, MapState(table=True), 0),
    ({"table": " Yes "}, MapState(table=True), 0),
    ({"table": "off"}, DEFAULT, 0),
    ({"table": "<b>maybe</b>"}, DEFAULT, 1),
])
def test_parse_query(vocab, params, expected, n_notices):
    state, notices = filters.parse_query(params, vocab)
    assert state == expected
    assert len(notices) == n_notices, notices


def test_query_round_trip(vocab):
    state = MapState(layers=("sez", "zj_town"), provinces=("Zhejiang",), regions=("yrd",), coastal="coastal",
                     year_min=1985, year_max=2005, sectors=("textiles",), q="袜", zone="zj-datang", paper="paper",
                     choropleth="density", tiles="none", table=True)
    assert filters.to_query(state)["table"] == "1"
    parsed, notices = filters.parse_query(filters.to_query(state), vocab)
    assert parsed == state and notices == []
    assert filters.to_query(DEFAULT) == {}
