"""dashboard.geocode: datum conversion, the town rule, seat fallbacks, the catalogue point fix,
and the committed gazetteer tables in geodata/sources/geocode/."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon, box

from dashboard.pipeline import geocode
from dashboard.pipeline.geocode import (CHINA_BBOX, AdminArea, Gazetteer, Located, convert_geometry_gcj02_to_wgs84,
                               fix_catalogue, fix_catalogue_point, gcj02_to_wgs84, haversine_m, wgs84_to_gcj02)

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "geodata" / "sources"
GEOCODE = SOURCES / "geocode"

# Published test vectors of the eviltransform algorithm (github.com/googollee/eviltransform,
# python/test.py): (wgs_lat, wgs_lng, gcj_lat, gcj_lng)
EVILTRANSFORM_VECTORS = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),    # Shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),    # Shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),    # Beijing
]


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


# ---------------------------------------------------------------- datum conversion

@pytest.mark.parametrize("wlat,wlng,glat,glng", EVILTRANSFORM_VECTORS)
def test_wgs84_to_gcj02_reproduces_published_vectors(wlat, wlng, glat, glng):
    lon, lat = wgs84_to_gcj02(wlng, wlat)
    assert abs(lon - glng) < 1e-7 and abs(lat - glat) < 1e-7


@pytest.mark.parametrize("wlat,wlng,glat,glng", EVILTRANSFORM_VECTORS)
def test_gcj02_to_wgs84_inverts_published_vectors_within_1m(wlat, wlng, glat, glng):
    lon, lat = gcj02_to_wgs84(glng, glat)
    assert haversine_m(lon, lat, wlng, wlat) < 1.0


def test_round_trip_over_eastern_china_is_sub_millimetre_and_offset_is_100_to_700m():
    lon, lat = np.meshgrid(np.linspace(108, 123, 31), np.linspace(20, 42, 23))
    glon, glat = wgs84_to_gcj02(lon, lat)
    offset = haversine_m(lon, lat, glon, glat)
    assert offset.min() > 100 and offset.max() < 700, (offset.min(), offset.max())
    blon, blat = gcj02_to_wgs84(glon, glat)
    assert haversine_m(lon, lat, blon, blat).max() < 1e-3
    assert blon.shape == lon.shape  # vectorised, shape preserved


def test_points_outside_china_and_nans_are_unchanged():
    lon = np.array([2.3522, -74.006, np.nan, 121.5])
    lat = np.array([48.8566, 40.7128, 30.0, np.nan])
    for f in (wgs84_to_gcj02, gcj02_to_wgs84):
        olon, olat = f(lon, lat)
        np.testing.assert_array_equal(olon, lon)
        np.testing.assert_array_equal(olat, lat)


def test_scalar_in_scalar_out():
    out = gcj02_to_wgs84(121.5, 31.2)
    assert isinstance(out, tuple) and all(isinstance(v, float) for v in out)


def test_convert_geometry_moves_every_vertex_like_the_point_function():
    poly = Polygon([(120.0, 30.0), (120.1, 30.0), (120.1, 30.1), (120.0, 30.1)])
    out = convert_geometry_gcj02_to_wgs84(poly)
    coords = np.asarray(poly.exterior.coords)
    want = np.column_stack(gcj02_to_wgs84(coords[:, 0], coords[:, 1]))
    np.testing.assert_allclose(np.asarray(out.exterior.coords), want, atol=1e-12)
    assert not np.allclose(np.asarray(out.exterior.coords), coords)  # it did move (~500 m)


# ---------------------------------------------------------------- synthetic gazetteer

def _area(code: str, level: str, geom) -> AdminArea:
    shapely.prepare(geom)
    return AdminArea(code, {"33": "浙江省", "3301": "甲市", "3302": "乙市", "330101": "东县",
                            "330102": "西县"}.get(code, ""), level, geom, None, "synthetic")


@pytest.fixture()
def toy() -> Gazetteer:
    """浙江省 (120-122E, 28-31N) = 甲市 3301 (120-121E) + 乙市 3302 (121-122E);
    甲市 has county polygons 330101 东县 (120-120.5E, 29-31N) and 330102 西县 (120.5-121E, 29-31N);
    330103 南县 (the 28-29N band) has no polygon.  Towns: 横街 in 东县 and in 乙市; 桥头镇 in 西县;
    白塔镇 in 南县's band; 双塔 twice, far apart, in 南县's band."""
    polygons = {
        "province": {"33": _area("33", "province", box(120, 28, 122, 31))},
        "prefecture": {"3301": _area("3301", "prefecture", box(120, 28, 121, 31)),
                       "3302": _area("3302", "prefecture", box(121, 28, 122, 31))},
        "county": {"330101": _area("330101", "county", box(120, 29, 120.5, 31)),
                   "330102": _area("330102", "county", box(120.5, 29, 121, 31))},
    }
    seats = pd.DataFrame([
        ("33", "浙江省", "province", "", 121.0, 30.0, "seat-src-33"),
        ("3301", "甲市", "prefecture", "33", 120.5, 29.5, "seat-src-3301"),
        ("3302", "乙市", "prefecture", "33", 121.5, 29.5, "seat-src-3302"),
        ("330101", "东县", "county", "3301", 120.2, 29.2, "seat-src-330101"),
        ("330102", "西县", "county", "3301", 120.8, 29.2, "seat-src-330102"),
        ("330103", "南县", "county", "3301", 120.3, 28.5, "seat-src-330103"),
    ], columns=["code", "name_zh", "level", "parent_code", "lon", "lat", "source"])
    places = pd.DataFrame([
        (1, "Hengjie", "横街|横街镇", 29.9, 120.25, "02", 0),    # in 东县
        (2, "Hengjie", "横街|横街镇", 29.9, 121.60, "02", 0),    # in 乙市
        (3, "Qiaotou", "桥头镇", 29.6, 120.70, "02", 0),         # in 西县 (suffix only)
        (4, "Shuangta", "双塔|双塔镇", 28.2, 120.1, "02", 0),    # 南县 band, far from the next
        (5, "Shuangta", "双塔|双塔镇", 28.8, 120.9, "02", 0),
        (6, "Baita", "白塔|白塔镇", 28.5, 120.4, "02", 0),       # 南县 band
    ], columns=["geonameid", "name", "name_zh", "lat", "lon", "admin1", "population"])
    catalogue_places = pd.DataFrame([
        ("G331001", "330101", "county", "test"), ("G331002", "3302", "prefecture", "test"),
        ("G331003", "", "", "")], columns=["代码", "adcode", "level", "match"])
    gaz = Gazetteer.from_tables(seats, places, polygons, {"33": "浙江省"},
                                {"3301": "甲市", "3302": "乙市"},
                                {"330101": "东县", "330102": "西县", "330103": "南县"}, catalogue_places)
    gaz.stale_counties = frozenset()  # the real list names 330102 (Hangzhou 2021 re-districting)
    return gaz


def test_town_inside_its_county_is_taken(toy):
    loc = toy.locate("浙江省", "330101", "横街镇")
    assert (loc.lon, loc.lat, loc.precision) == (120.25, 29.9, "town")
    assert "geonameid 1" in loc.source


def test_same_name_town_from_another_county_is_rejected_and_county_seat_used(toy):
    # 横街 exists in 东县 and in 乙市, not in 西县: must not borrow either
    loc = toy.locate("浙江省", "330102", "横街镇")
    assert (loc.lon, loc.lat, loc.precision) == (120.8, 29.2, "county")
    assert loc.source == "seat-src-330102"
    assert "town 横街镇 not found inside 西县 in GeoNames" in loc.note


def test_town_matches_with_or_without_suffix(toy):
    for query in ("桥头", "桥头镇", "桥头街道"):
        loc = toy.locate("浙江省", "330102", query)
        assert (loc.lon, loc.lat, loc.precision) == (120.70, 29.6, "town"), query


def test_prefecture_check_when_no_county_polygon_says_so(toy):
    loc = toy.locate("浙江省", "330103", "白塔镇")  # 南县 has no polygon: unique match in 甲市
    assert (loc.lon, loc.lat, loc.precision) == (120.4, 28.5, "town") and "prefecture" in loc.note
    # 桥头镇 is in 甲市 too, but inside 西县's polygon: not 南县's
    assert toy.locate("浙江省", "330103", "桥头镇").precision == "county"


def test_prefecture_check_still_rejects_a_town_inside_another_county_polygon(toy):
    toy.stale_counties = frozenset({"330102"})  # 西县's polygon no longer trusted
    loc = toy.locate("浙江省", "330102", "横街镇")  # the 甲市 横街 lies in 东县's polygon
    assert loc.precision == "county" and (loc.lon, loc.lat) == (120.8, 29.2)
    assert "not found inside" in loc.note and "prefecture" in loc.note


def test_ambiguous_town_in_prefecture_falls_back_to_county_seat(toy):
    loc = toy.locate("浙江省", "330103", "双塔镇")  # two far-apart 双塔 inside 甲市
    assert loc.precision == "county" and (loc.lon, loc.lat) == (120.3, 28.5)
    assert "ambiguous" in loc.note


def test_county_and_prefecture_codes_give_seats(toy):
    assert toy.locate("浙江省", "330101") == Located(120.2, 29.2, "county", "seat-src-330101", "")
    assert toy.locate("浙江省", "3302") == Located(121.5, 29.5, "prefecture", "seat-src-3302", "")
    assert toy.locate("浙江省", "").precision == "province"


def test_missing_county_seat_falls_back_to_prefecture_with_note(toy):
    toy.counties["330104"] = "北县"
    loc = toy.locate("浙江省", "330104")
    assert loc.precision == "prefecture" and "no seat for 330104 北县" in loc.note


def test_code_outside_the_province_is_an_error(toy):
    with pytest.raises(ValueError):
        toy.locate("浙江省", "320101")


def _row(code, lon, lat, inside="Y", dup="1", actual="浙江省"):
    # as dashboard.build reads the catalogue: every value a string
    return {"代码": code, "开发区名称": "测试区", "省份": "浙江省", "城市区县": "测试", "经度_WGS84": str(lon),
            "纬度_WGS84": str(lat), "坐标落在所属省内": inside, "坐标实际所在省": actual, "同坐标重复数": dup}


def test_catalogue_point_kept_when_inside_province_and_unique(toy):
    loc = fix_catalogue_point(_row("G331001", 120.3, 29.0), toy)
    assert (loc.lon, loc.lat, loc.precision, loc.note) == (120.3, 29.0, "zone", "")
    assert loc.source == geocode.CATALOGUE_POINT_SOURCE


def test_catalogue_point_outside_province_replaced_by_county_seat(toy):
    loc = fix_catalogue_point(_row("G331001", 87.07, 44.10, inside="N", actual="新疆维吾尔自治区"), toy)
    assert (loc.lon, loc.lat, loc.precision) == (120.2, 29.2, "county")
    assert "outside 浙江省" in loc.note and "新疆维吾尔自治区" in loc.note


def test_duplicate_catalogue_point_replaced_by_prefecture_seat(toy):
    loc = fix_catalogue_point(_row("G331002", 121.3, 29.9, dup="3"), toy)
    assert (loc.lon, loc.lat, loc.precision) == (121.5, 29.5, "prefecture")
    assert "shared with 2 other zone(s)" in loc.note


def test_unplaced_zone_with_bad_point_gets_province_seat_and_says_so(toy):
    loc = fix_catalogue_point(_row("G331003", 87.07, 44.10, inside="N", dup="9"), toy)
    assert loc.precision == "province" and "no place for G331003" in loc.note


# ---------------------------------------------------------------- committed tables

def _cpca_table() -> pd.DataFrame | None:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"
    return read(path) if path.exists() else None


@pytest.fixture(scope="module")
def seats() -> pd.DataFrame:
    return read(GEOCODE / "seats.csv")


def test_seats_cover_every_county_cpca_knows(seats):
    cp = _cpca_table()
    if cp is None:
        pytest.skip("cpca (build-only) not installed")
    known = set(cp.loc[cp["longitude"] != "", "adcode"].str[:6])
    areas = read(SOURCES / "admin" / "areas.csv")
    missing = sorted(set(areas["code"]) & known - set(seats["code"]))
    assert not missing, f"areas.csv counties cpca has but seats.csv lacks: {missing}"


def test_seats_are_nbs_codes_inside_china_bbox_with_provenance(seats):
    areas = read(SOURCES / "admin" / "areas.csv")
    cities = read(SOURCES / "admin" / "cities.csv")
    provs = read(SOURCES / "admin" / "provinces.csv")
    valid = set(areas["code"]) | set(cities["code"]) | set(provs["code"])
    assert set(seats["code"]) <= valid and seats["code"].is_unique
    lon, lat = seats["lon"].astype(float), seats["lat"].astype(float)
    assert lon.between(CHINA_BBOX[0], CHINA_BBOX[2]).all() and lat.between(CHINA_BBOX[1], CHINA_BBOX[3]).all()
    assert (seats["source"].str.len() > 20).all()
    assert set(provs["code"]) <= set(seats["code"])
    missing_pref = set(cities["code"]) - set(seats["code"])
    assert missing_pref <= {"4190", "4290", "4690", "6590"}, missing_pref  # 省直辖县级行政区划 groups


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load(SOURCES)


def test_seat_check_column_is_true(seats, gaz):
    for rec in seats[seats["check"] == "inside_county"].itertuples():
        assert gaz.polygons["county"][rec.code].contains(float(rec.lon), float(rec.lat)), rec.code
    for rec in seats[(seats["check"] == "inside_prefecture") & (seats["level"] == "prefecture")].itertuples():
        assert gaz.polygons["prefecture"][rec.code].contains(float(rec.lon), float(rec.lat)), rec.code


def test_real_data_hengjie_picks_the_one_in_the_asked_county(gaz):
    # two 横街镇 in Zhejiang: 宁波 海曙区 (~29.86N) and 台州 路桥区 (~28.53N)
    luqiao = gaz.locate("浙江省", "331004", "横街镇")
    assert luqiao.precision == "town" and abs(luqiao.lat - 28.53) < 0.05
    assert gaz.polygons["county"]["331004"].contains(luqiao.lon, luqiao.lat)


def test_geonames_table_small_and_well_formed():
    path = GEOCODE / "geonames_cn.csv"
    assert path.stat().st_size < 3_000_000
    g = read(path)
    assert list(g.columns) == ["geonameid", "name", "name_zh", "lat", "lon", "admin1", "population"]
    assert len(g) > 10_000 and g["geonameid"].is_unique


def test_catalogue_places_cover_all_2543_zones_in_their_own_province():
    cat = read(SOURCES / "catalogue" / "devzones_2018_enriched.csv")
    places = read(GEOCODE / "catalogue_places.csv")
    assert list(zip(places["代码"], places["开发区名称"])) == list(zip(cat["代码"], cat["开发区名称"]))
    assert len(places) == 2543
    provs = dict(zip(*read(SOURCES / "admin" / "provinces.csv")[["name", "code"]].T.values))
    placed = places[places["adcode"] != ""]
    assert placed["adcode"].str.len().isin([4, 6]).all()
    assert (placed["adcode"].str[:2] == placed["省份"].map(provs)).all()
    assert ((placed["level"] == "county") == (placed["adcode"].str.len() == 6)).all()
    assert (placed["match"] != "").all()


def test_every_catalogue_zone_gets_a_point_and_only_bad_points_are_replaced(gaz):
    cat = read(SOURCES / "catalogue" / "national_devzones_2018_qc.csv")
    out = fix_catalogue(cat, gaz)
    bad = (cat["坐标落在所属省内"] != "Y") | (cat["同坐标重复数"].astype(int) > 1)
    assert bad.sum() == 27 + 32 - ((cat["坐标落在所属省内"] != "Y") & (cat["同坐标重复数"].astype(int) > 1)).sum()
    assert ((out["precision"] != "zone") == bad).all()
    assert (out.loc[bad, "coord_note"] != "").all() and (out.loc[~bad, "coord_note"] == "").all()
    assert out["lon"].between(CHINA_BBOX[0], CHINA_BBOX[2]).all()
    # a replaced point is inside the zone's own province
    for rec in out[bad].itertuples():
        prov = gaz.province_polygon(rec.代码[1:3])
        assert prov.contains(rec.lon, rec.lat) or shapely.distance(
            prov.geom, shapely.Point(rec.lon, rec.lat)) < 0.05, rec.代码
