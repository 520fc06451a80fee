"""Build ``geodata/layers/`` from ``geodata/sources/``: join, geocode, validate, write, report.

Staged: read sources -> features (catalogue + papers, one feature per zone) -> sectors ->
coordinates -> boundaries -> validate -> write files + manifest + build report.
Deterministic: the same sources give byte-identical layers (a test rebuilds and compares).
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import geocode, validate
from .. import landuse
from ..files import sha256, to_geojson
from ..layers import CONTRACT_COLUMNS, EXTRA_COLUMNS, LAYERS, POINT_LAYER_IDS
from ..paths import LAYERS_DIR, SOURCES

CATALOGUE_TYPES = {
    "经济技术开发区": "etdz",
    "高新技术产业开发区": "hidz",
    "海关特殊监管区域": "customs_zone",
    "边境/跨境经济合作区": "border_zone",
    "其他类型开发区": "other_zone",
}
# provincial zones (批准级别 省政府), by 开发区类型
PROVINCIAL_TYPES = {
    "经济开发区": "prov_edz",
    "工业园区": "prov_ipark",
    "高新技术产业开发区": "prov_hidz",
}
# The source repeats one code for two zones: each gets its own id, and a note says why.
DUPLICATE_CODES = {
    ("S377018", "山东淄川经济开发区"): "zichuan",
    ("S377018", "山东临淄经济开发区"): "linzi",
}
DUPLICATE_NOTE = ("the 2018 catalogue prints code S377018 for both 山东淄川经济开发区 (淄川) and "
                  "山东临淄经济开发区 (临淄), a slip of the source; the atlas keeps the code and tells the two "
                  "apart by id ({id})")
YEAR_NOTES = {
    "national": "year of State Council approval in the 2018 catalogue (for upgraded zones, the upgrade date)",
    "provincial": "year of provincial approval in the 2018 catalogue",
}


def catalogue_layer(level_zh: str, type_zh: str) -> str:
    """Layer id of a catalogue row from its 批准级别 and 开发区类型; ValueError names an unknown pair."""
    table = CATALOGUE_TYPES if level_zh == geocode.NATIONAL_LEVEL else PROVINCIAL_TYPES if level_zh == "省政府" else {}
    if type_zh not in table:
        raise ValueError(f"catalogue: no layer for 批准级别 {level_zh!r} / 开发区类型 {type_zh!r}")
    return table[type_zh]


def catalogue_id(layer: str, code: str, name_zh: str) -> str:
    suffix = DUPLICATE_CODES.get((code, name_zh))
    return f"{layer}-{code.lower()}" + (f"-{suffix}" if suffix else "")
CATALOGUE_SOURCE = ("2018 catalogue (中国开发区审核公告目录 2018年版, NDRC et al. announcement No. 4), "
                    "code {code}")
# AMap geocoder level of the catalogue point -> the atlas's coordinate precision
CATALOGUE_PRECISION = {"住宅区": "zone", "兴趣点": "zone", "公交地铁站点": "zone", "村庄": "zone",
                       "未知": "zone", "乡镇": "town", "区县": "county", "市": "prefecture",
                       "省": "province"}
PROVINCE_SIMPLIFY_DEG = 0.02
COUNTY_SIMPLIFY_DEG = 0.004
PREFECTURE_SIMPLIFY_DEG = 0.025
PREFECTURE_PRECISION_DEG = 1e-3  # coordinates on a 0.001° grid (~100 m): the outlines are generalised to 0.025°
MUNICIPALITIES = {"11": "北京市", "12": "天津市", "31": "上海市", "50": "重庆市", "81": "香港特别行政区", "82": "澳门特别行政区"}
LICENCES = {
    "papers": ("the five source papers (geodata/sources/papers/PAPERS.md)",
               "facts transcribed with citations; papers' own terms (World Bank paper CC BY 3.0 IGO)"),
    "catalogue": ("2018 national development zone catalogue via GitHub kaiwulaw/china-industrial-zones-atlas",
                  "government announcement (facts); upstream repository states no licence"),
    "geonames": ("GeoNames cities500", "CC BY 4.0, credit GeoNames"),
    "datav": ("DataV.GeoAtlas / AMap boundaries (2020-10-15), GCJ-02 converted to WGS-84",
              "DataV/AMap terms (display use); credit DataV.GeoAtlas / AMap"),
}


LAND_STATUS_TEXT = {
    "shown": "zones whose land values are shown as the zone's (point kept, zone-level geocode)",
    "at_centre": "zones whose land values are shown flagged: the kept point is a city/county/province centre, "
                 "so they describe the area around that centre",
    "withheld_failed_qc": "zones whose land values are withheld: measured at a point that failed QC "
                          "(outside its province or shared), i.e. another place",
}


@dataclass
class Report:
    counts: dict = field(default_factory=dict)
    precision: dict = field(default_factory=dict)
    corrections: list = field(default_factory=list)  # replaced coordinates, source slips
    unplaced: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    land: dict = field(default_factory=dict)       # land_status -> zones
    levels: dict = field(default_factory=dict)     # level -> features
    qc: dict = field(default_factory=dict)         # catalogue QC counts
    prefecture_notes: list = field(default_factory=list)  # DataV 2020 units vs NBS 2023 codes

    def markdown(self) -> str:
        lines = ["# Build report", "", "## Features per layer", ""]
        lines += [f"- {k}: {v}" for k, v in self.counts.items()]
        lines += ["", "## Features per approval level", ""]
        lines += [f"- {k}: {v}" for k, v in self.levels.items()]
        lines += ["", "## Catalogue point QC (2,543 zones)", ""]
        lines += [f"- {k}: {v}" for k, v in self.qc.items()]
        lines += ["", "## Land-use measurements around catalogue zones", ""]
        lines += [f"- {LAND_STATUS_TEXT.get(k, k)}: {v}" for k, v in self.land.items()]
        lines += ["", "## Coordinate precision (all point layers)", ""]
        lines += [f"- {k}: {v}" for k, v in self.precision.items()]
        lines += ["", f"## Coordinates replaced or fallen back ({len(self.corrections)})", ""]
        lines += [f"- {c}" for c in self.corrections]
        lines += ["", f"## Not placed ({len(self.unplaced)})", ""]
        lines += [f"- {u}" for u in self.unplaced] or ["- none"]
        lines += ["", f"## Prefecture layer: DataV 2020 vs NBS 2023 ({len(self.prefecture_notes)})", ""]
        lines += [f"- {n}" for n in self.prefecture_notes] or ["- none"]
        lines += ["", f"## Validation problems ({len(self.problems)})", ""]
        lines += [f"- {p}" for p in self.problems] or ["- none"]
        return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- reading sources

def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def split_list(text: str, seps: str = ";") -> list[str]:
    parts = re.split("[" + re.escape(seps) + "]", text or "")
    return [p.strip() for p in parts if p.strip()]


def read_sector_map(src: Path = SOURCES) -> pd.DataFrame:
    frames = [read_csv(p).assign(file=p.name) for p in sorted((src / "sectors").glob("sector_map_*.csv"))]
    smap = pd.concat(frames, ignore_index=True)
    smap["key"] = smap["term"].str.strip().str.lower()
    return smap


def sector_lookup(smap: pd.DataFrame) -> dict[str, list[str]]:
    """term (lower-case) -> sector keys; a term mapped in several files gets the union."""
    out: dict[str, list[str]] = {}
    for key, sectors in zip(smap["key"], smap["sectors"]):
        keys = out.setdefault(key, [])
        keys += [s for s in split_list(sectors) if s not in keys]
    return out


def map_terms(terms: list[str], lookup: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """Sector keys for product words; returns (keys, unmapped terms)."""
    keys: list[str] = []
    missing: list[str] = []
    for term in terms:
        found = lookup.get(term.strip().lower())
        if found is None:
            missing.append(term)
        else:
            keys += [k for k in found if k not in keys]
    return keys, missing


CATALOGUE_TERM_SEPS = "、，,/；;"


def read_paper_features(src: Path = SOURCES) -> pd.DataFrame:
    frames = [read_csv(p).assign(source_file=p.name) for p in sorted((src / "papers").glob("features_*.csv"))]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def read_indicators(src: Path = SOURCES) -> pd.DataFrame:
    frames = [read_csv(p) for p in sorted((src / "papers").glob("indicators_*.csv"))]
    frame = pd.concat(frames, ignore_index=True)
    return frame[["entity_id", "indicator", "year", "value", "unit", "source", "note", "flag"]]


# ---------------------------------------------------------------- features

def regions_table(src: Path = SOURCES) -> pd.DataFrame:
    return read_csv(src / "papers" / "regions.csv")


def catalogue_features(src: Path, lookup: dict[str, list[str]], gaz: geocode.Gazetteer,
                       report: Report) -> pd.DataFrame:
    """One feature per catalogue row (before merging the papers' zones into them); the zone's land
    measurements ride along in ``_land_rows`` (built into indicator rows once ids are final)."""
    cat = geocode.catalogue_qc(geocode.read_catalogue(src), gaz)
    names = read_csv(src / "catalogue" / "names_en.csv").set_index(["code", "name_zh"])
    places = read_csv(src / "geocode" / "catalogue_places.csv").set_index("代码", drop=False)
    rows = []
    for rec in cat.to_dict("records"):
        code = rec["代码"]
        layer = catalogue_layer(rec["批准级别"], rec["开发区类型"])
        level = LAYERS[layer].level
        fid = catalogue_id(layer, code, rec["开发区名称"])
        terms = split_list(rec["主导产业"], CATALOGUE_TERM_SEPS)
        sectors, missing = map_terms(terms, lookup)
        if missing:
            report.problems.append(f"catalogue {code}: leading-industry terms not in the sector map: {missing}")
        located = geocode.fix_catalogue_point(rec, gaz)
        if located.note:
            report.corrections.append(f"{code} {rec['开发区名称']}: {located.note}")
        place = geocode.catalogue_place(places, code, rec["开发区名称"]) if code in places.index else None
        date = rec["批准时间"].strip()
        kept = located.source == geocode.CATALOGUE_POINT_SOURCE
        status = landuse.land_status(kept, rec["地理编码精度"], rec.get("状态", ""))
        note = located.note
        if (code, rec["开发区名称"]) in DUPLICATE_CODES:
            note = "; ".join(n for n in (DUPLICATE_NOTE.format(id=fid), note) if n)
        rows.append({
            "id": fid,
            "layer": layer,
            "level": level,
            "name_en": names.at[(code, rec["开发区名称"]), "name_en"] if (code, rec["开发区名称"]) in names.index else "",
            "name_zh": rec["开发区名称"],
            "province_zh": rec["省份"],
            "adcode": place["adcode"] if place is not None and place["adcode"] else "",
            "year": date.split(".")[0] if date else "",
            "year_note": YEAR_NOTES[level],
            "approval_date": date,
            "area_km2": round(float(rec["核准面积_公顷"]) / 100, 4) if rec["核准面积_公顷"] else None,
            "leading_industries": rec["主导产业"],
            "sector_terms": terms,
            "sectors": sectors,
            "products": "",
            "catalogue_code": code,
            "catalogue_name": rec["开发区名称"],
            "catalogue_type": rec["开发区类型"],
            "source": CATALOGUE_SOURCE.format(code=code),
            "lon": located.lon, "lat": located.lat,
            "coord_precision": catalogue_precision(located, rec["地理编码精度"]),
            "coord_source": located.source,
            "note": note,
            "paper_list": "",
            "land_status": status.status,
            "_land": (rec, status),
        })
    return pd.DataFrame(rows)


def land_indicators(frame: pd.DataFrame, report: Report) -> pd.DataFrame:
    """The land rows of every feature that carries a catalogue zone's measurements (final ids)."""
    rows: list[dict] = []
    counts = {landuse.SHOWN: 0, landuse.AT_CENTRE: 0, landuse.WITHHELD: 0}
    for fid, land in zip(frame["id"], frame["_land"]):
        if not isinstance(land, tuple):
            continue
        rec, status = land
        counts[status.status] += 1
        rows += landuse.indicator_rows(fid, rec, status)
    report.land = counts
    cols = ["entity_id", "indicator", "year", "value", "unit", "source", "note", "flag"]
    return pd.DataFrame(rows, columns=cols)


def catalogue_precision(located: geocode.Located, geocoder_level: str) -> str:
    """A kept catalogue point is only as precise as the upstream geocoder's match level."""
    if located.precision != "zone":
        return located.precision
    return CATALOGUE_PRECISION.get(geocoder_level, "zone")


def paper_features(src: Path, lookup: dict[str, list[str]], gaz: geocode.Gazetteer,
                   report: Report) -> pd.DataFrame:
    feats = read_paper_features(src)
    rows = []
    for rec in feats.to_dict("records"):
        terms = split_list(rec.get("products", ""))
        sectors, missing = map_terms(terms, lookup)
        if missing:
            report.problems.append(f"{rec['id']} ({rec['source_file']}): product words not in the sector map: "
                                   f"{missing}")
        if not terms:  # no product words (e.g. an Annex A zone): the transcriber's sector keys
            sectors = split_list(rec.get("sectors", ""))
        out = {k: rec.get(k, "") for k in (
            "id", "layer", "name_en", "name_zh", "province_zh", "year", "year_note", "products",
            "cluster_type_markusen", "cluster_type_china", "origin", "zj_zone", "catalogue_code",
            "catalogue_link_note", "paper_list", "source", "note", "county_zh", "town_zh", "prefecture_zh")}
        out.update(sector_terms=terms, sectors=sectors, adcode=rec.get("county_code", ""))
        rows.append(out)
    return pd.DataFrame(rows)


def merge_papers_into_catalogue(cat: pd.DataFrame, paper: pd.DataFrame, report: Report) -> pd.DataFrame:
    """A zone named in a paper and in the catalogue becomes one feature carrying both."""
    cat = cat.set_index("catalogue_code", drop=False)
    merged_rows = []
    used: set[str] = set()
    for rec in paper.to_dict("records"):
        code = rec.get("catalogue_code", "")
        if code and code in cat.index:
            if code in used:  # e.g. two 1990s bonded zones merged into one comprehensive bonded zone
                report.corrections.append(f"{rec['id']}: shares catalogue row {code} with another paper zone")
            used.add(code)
            base = cat.loc[code].to_dict()
            for key in ("approval_date", "area_km2", "leading_industries", "catalogue_name",
                        "catalogue_type", "lon", "lat", "coord_precision", "coord_source", "level",
                        "land_status", "_land"):
                rec[key] = base[key]
            rec["sectors"] = list(dict.fromkeys(list(rec["sectors"]) + list(base["sectors"])))
            rec["sector_terms"] = list(rec["sector_terms"]) + list(base["sector_terms"])
            rec["name_zh"] = rec["name_zh"] or base["name_zh"]
            if base["coord_precision"] in ("province", "prefecture") and len(rec["adcode"]) == 6:
                # the catalogue point failed QC and fell back coarsely; the paper names the county: place it there
                rec["lon"] = rec["lat"] = None
            rec["adcode"] = base["adcode"] if len(base["adcode"]) >= len(rec["adcode"]) else rec["adcode"]
            if not rec["year"]:
                rec["year"], rec["year_note"] = base["year"], base["year_note"]
            rec["source"] = f"{rec['source']}; {base['source']}"
            rec["note"] = "; ".join(n for n in (rec["note"], base["note"]) if n)
        elif code:
            report.problems.append(f"{rec['id']}: catalogue code {code} not in the catalogue")
        merged_rows.append(rec)
    remaining = cat[~cat["catalogue_code"].isin(used)]
    return pd.concat([remaining.reset_index(drop=True), pd.DataFrame(merged_rows)], ignore_index=True)


def apply_etdz_paper_list(frame: pd.DataFrame, src: Path) -> pd.DataFrame:
    path = src / "papers" / "etdz_paper_list.csv"
    if not path.exists():
        return frame
    plist = read_csv(path)
    for rec in plist.to_dict("records"):
        hit = frame["catalogue_code"] == rec["catalogue_code"]
        if rec["catalogue_code"] and hit.any():
            frame.loc[hit, "paper_list"] = rec["paper_list"]
            frame.loc[hit, "source"] = frame.loc[hit, "source"] + "; " + rec["source"]
    return frame


def place_paper_features(frame: pd.DataFrame, gaz: geocode.Gazetteer, report: Report) -> pd.DataFrame:
    """Coordinates for features that did not get one from the catalogue."""
    need = frame["lon"].isna()
    for idx in frame.index[need]:
        rec = frame.loc[idx]
        loc = gaz.locate(rec["province_zh"], rec["adcode"], rec.get("town_zh") or None)
        if loc is None:
            report.unplaced.append(f"{rec['id']} {rec['name_en']}: no coordinate (code {rec['adcode']!r})")
            continue
        frame.loc[idx, ["lon", "lat", "coord_precision", "coord_source"]] = [
            loc.lon, loc.lat, loc.precision, loc.source]
        if loc.note:
            frame.loc[idx, "note"] = "; ".join(n for n in (rec["note"], loc.note) if n)
            report.corrections.append(f"{rec['id']}: {loc.note}")
    return frame


def add_admin_attributes(frame: pd.DataFrame, src: Path) -> pd.DataFrame:
    regions = regions_table(src).set_index("province_zh")
    cities = read_csv(src / "admin" / "cities.csv").set_index("code")["name"]
    areas = read_csv(src / "admin" / "areas.csv").set_index("code")
    frame["province_en"] = frame["province_zh"].map(regions["province_en"]).fillna("")
    frame["region"] = frame["province_zh"].map(regions["region"]).fillna("")
    frame["coastal"] = frame["province_zh"].map(regions["coastal"]).eq("true")
    prov_code = frame["province_zh"].map(regions["province_code"]).fillna("")
    frame["adcode"] = [a if a else (p + "0000" if p else "") for a, p in zip(frame["adcode"], prov_code)]

    def city_of(code: str) -> str:
        code = str(code)
        city = code[:4]
        name = cities.get(city, "")
        if name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            name = areas["name"].get(code, "") if len(code) == 6 else ""
        return name

    frame["city"] = [city_of(c) for c in frame["adcode"]]
    return frame


def finish_columns(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    for col in CONTRACT_COLUMNS + EXTRA_COLUMNS:
        if col not in frame.columns:
            frame[col] = ""
    frame["year"] = pd.to_numeric(frame["year"].replace("", None), errors="coerce").astype("Int64")
    text_cols = [c for c in CONTRACT_COLUMNS + EXTRA_COLUMNS
                 if c not in ("year", "sectors", "sector_terms", "coastal", "area_km2")]
    frame[text_cols] = frame[text_cols].fillna("").astype(str)
    geom = gpd.points_from_xy(frame["lon"].astype(float).round(6), frame["lat"].astype(float).round(6))
    gdf = gpd.GeoDataFrame(frame[list(CONTRACT_COLUMNS + EXTRA_COLUMNS)], geometry=geom, crs="EPSG:4326")
    return gdf.sort_values("id").reset_index(drop=True)


# ---------------------------------------------------------------- boundaries

def polygonal(geoms: gpd.GeoSeries) -> list:
    """Valid (Multi)Polygons only: make_valid may return collections with stray lines or points."""
    out = []
    for geom in shapely.make_valid(geoms.values):
        if geom.geom_type == "GeometryCollection":
            geom = shapely.union_all([g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
        out.append(geom)
    return out


def province_polygons(src: Path) -> gpd.GeoDataFrame:
    raw = json.loads((src / "boundaries" / "china_provinces_100000_full.json").read_text(encoding="utf-8"))
    regions = regions_table(src).set_index("province_code")
    feats = [f for f in raw["features"] if str(f["properties"].get("adcode", ""))[:2] in regions.index
             and str(f["properties"]["adcode"]).endswith("0000")]
    geoms = [shapely.geometry.shape(f["geometry"]) for f in feats]
    codes = [str(f["properties"]["adcode"]) for f in feats]
    gdf = gpd.GeoDataFrame({
        "id": [f"prov-{c[:2]}" for c in codes],
        "layer": "province",
        "adcode": codes,
        "name_zh": [f["properties"]["name"] for f in feats],
        "name_en": [regions.at[c[:2], "province_en"] for c in codes],
        "region": [regions.at[c[:2], "region"] for c in codes],
        "coastal": [regions.at[c[:2], "coastal"] == "true" for c in codes],
        "source": "DataV.GeoAtlas / AMap province boundaries (2020-10-15), GCJ-02 converted to WGS-84",
    }, geometry=[geocode.convert_geometry_gcj02_to_wgs84(g) for g in geoms], crs="EPSG:4326")
    gdf["area_km2"] = (gdf.to_crs("ESRI:102025").area / 1e6).round(0)  # Asia North Albers equal area
    gdf["geometry"] = polygonal(gdf.geometry.simplify(PROVINCE_SIMPLIFY_DEG, preserve_topology=True))
    return gdf.sort_values("id").reset_index(drop=True)


def prefecture_polygons(src: Path, report: Report | None = None) -> gpd.GeoDataFrame:
    """Prefecture-level units (DataV 2020): cities, leagues, autonomous prefectures, the province-administered
    county-level cities, and the municipalities, Hong Kong, Macao and Taiwan each as one unit.

    Each unit carries the NBS 2023 code it corresponds to (`nbs_code`: 4 digits for a prefecture, 6 for a
    province-administered county-level unit, 2 for a municipality) and a `note` where DataV and NBS differ;
    the differences are listed in the build report, never guessed away.
    """
    raw = json.loads((src / "boundaries" / "china_prefecture_level_merged.json").read_text(encoding="utf-8"))
    regions = regions_table(src).set_index("province_code")
    names = read_csv(src / "admin" / "prefecture_names_en.csv").set_index("adcode")
    nbs_cities = read_csv(src / "admin" / "cities.csv").set_index("code")["name"].to_dict()
    nbs_areas = read_csv(src / "admin" / "areas.csv").set_index("code")["name"].to_dict()
    parts: dict[str, list] = {}
    for feat in raw["features"]:
        props = feat["properties"]
        code = str(props["adcode"])
        if props["level"] == "district" or code == "710000":
            code = code[:2] + "0000"
        parts.setdefault(code, []).append(shapely.geometry.shape(feat["geometry"]))
    rows, notes = [], []
    for code, geoms in sorted(parts.items()):
        name_zh = names.at[code, "name_zh"]
        prov = code[:2]
        note = ""
        if prov in MUNICIPALITIES or prov == "71":
            kind, nbs = ("municipality" if prov in ("11", "12", "31", "50") else "province-level unit"), prov
            if prov in ("71", "81", "82"):
                nbs, note = "", "not in the NBS 2023 division table"
        elif code[2:4] == "90":
            kind, nbs = "province-administered county-level unit", code
            if nbs not in nbs_areas:
                nbs, note = "", "not in the NBS 2023 division table"
            elif nbs_areas[nbs] != name_zh:
                note = f"NBS 2023 name: {nbs_areas[nbs]}"
        else:
            kind, nbs = "prefecture", code[:4]
            if nbs not in nbs_cities:
                nbs, note = "", "not in the NBS 2023 division table"
            elif nbs_cities[nbs] != name_zh:
                note = f"NBS 2023 name: {nbs_cities[nbs]}"
        if note:
            notes.append(f"{code} {name_zh}: {note}")
        prov_zh = regions.at[prov, "province_zh"] if prov in regions.index else ""
        rows.append({"id": f"pref-{code}", "layer": "prefecture", "adcode": code, "name_zh": name_zh,
                     "name_en": names.at[code, "name_en"], "place_en": names.at[code, "place_en"],
                     "province_zh": prov_zh, "province_en": regions.at[prov, "province_en"] if prov_zh else "",
                     "nbs_code": nbs, "kind": kind, "note": note,
                     "source": "DataV.GeoAtlas / AMap prefecture boundaries (2020-10-15), GCJ-02 converted to WGS-84",
                     "name_en_note": "atlas romanisation (Hanyu Pinyin)" if names.at[code, "method"] == "pinyin"
                     else f"atlas: {names.at[code, 'note']}",
                     "geometry": geocode.convert_geometry_gcj02_to_wgs84(shapely.union_all(shapely.make_valid(geoms)))})
    covered = {r["nbs_code"] for r in rows}
    for code, name in sorted(nbs_cities.items()):
        if code[2:4] == "90" or code[:2] in MUNICIPALITIES:
            continue  # province-administered units are matched one by one; municipalities as a whole
        if code not in covered:
            notes.append(f"NBS 2023 {code} {name}: no DataV 2020 polygon")
    for code, name in sorted(nbs_areas.items()):
        if code[2:4] == "90" and code not in covered:
            notes.append(f"NBS 2023 {code} {name} (province-administered): no DataV 2020 polygon")
    if report is not None:
        report.prefecture_notes = notes
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    gdf["area_km2"] = (gdf.to_crs("ESRI:102025").area / 1e6).round(0)
    simple = gdf.geometry.simplify(PREFECTURE_SIMPLIFY_DEG, preserve_topology=True)
    gdf["geometry"] = polygonal(gpd.GeoSeries(shapely.set_precision(simple.values, PREFECTURE_PRECISION_DEG)))
    return gdf.sort_values("id").reset_index(drop=True)


def zj_county_polygons(src: Path) -> gpd.GeoDataFrame:
    raw = json.loads((src / "boundaries" / "zhejiang_county_level_merged.json").read_text(encoding="utf-8"))
    feats = raw["features"]
    gdf = gpd.GeoDataFrame({
        "id": [f"county-{f['properties']['adcode']}" for f in feats],
        "layer": "zj_county",
        "adcode": [str(f["properties"]["adcode"]) for f in feats],
        "name_zh": [f["properties"]["name"] for f in feats],
        "source": "DataV.GeoAtlas / AMap Zhejiang county boundaries (2020-10-15), GCJ-02 converted to WGS-84",
    }, geometry=[geocode.convert_geometry_gcj02_to_wgs84(shapely.geometry.shape(f["geometry"])) for f in feats],
        crs="EPSG:4326")
    gdf["geometry"] = polygonal(gdf.geometry.simplify(COUNTY_SIMPLIFY_DEG, preserve_topology=True))
    return gdf.sort_values("id").reset_index(drop=True)


# ---------------------------------------------------------------- writing

def write_outputs(out: Path, layers: dict[str, gpd.GeoDataFrame], tables: dict[str, pd.DataFrame],
                  report: Report) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    manifest = {"layers": {}, "tables": {}}
    cited = _cited_keys(layers, tables)
    for lid, gdf in layers.items():
        path = out / f"{lid}.geojson"
        path.write_text(to_geojson(gdf), encoding="utf-8")
        kinds = {"province": "datav", "zj_county": "datav", "prefecture": "datav"}
        src, licence = LICENCES[kinds.get(lid, "papers" if lid in ("sez", "zj_town", "cluster") else "catalogue")]
        if lid not in kinds:
            src = f"{src}; coordinates: 2018 catalogue geocode, GeoNames (CC BY 4.0), county seats (cpca)"
        manifest["layers"][lid] = {"file": path.name, "source": src, "licence": licence,
                                   "attribution": _attribution(lid), "references": cited.get(("layers", lid), []),
                                   "rows": int(len(gdf)),
                                   "columns": [c for c in gdf.columns if c != "geometry"],
                                   "sha256": sha256(path)}
    for name, frame in tables.items():
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False, lineterminator="\n")
        manifest["tables"][name] = {"file": path.name, "source": TABLE_SOURCES.get(name, ""),
                                    "licence": LICENCES["papers"][1], "references": cited.get(("tables", name), []),
                                    "rows": int(len(frame)),
                                    "columns": list(frame.columns), "sha256": sha256(path)}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "build_report.md").write_text(report.markdown(), encoding="utf-8")
    return manifest


def _cited_keys(layers: dict, tables: dict) -> dict[tuple[str, str], list[str]]:
    """(kind, name) -> the keys of the references a built file cites (references.csv), in table order."""
    from ..references import Catalogue
    if "references" not in tables:
        return {}
    catalogue = Catalogue(tables["references"])
    order = list(catalogue.refs)
    out = {}
    for kind, frames in (("layers", layers), ("tables", tables)):
        for name, frame in frames.items():
            keys = set()
            for col in validate.CITATION_COLUMNS:
                if col in frame.columns and name != "references":
                    for text in frame[col].dropna().unique():
                        keys |= catalogue.used_keys(text)
            if kind == "layers" and name in POINT_LAYER_IDS:
                keys.add("nbs_admin")  # province, prefecture and county names and codes (add_admin_attributes)
            out[(kind, name)] = [k for k in order if k in keys]
    return out


TABLE_SOURCES = {
    "indicators": "the five source papers, each row citing its table / section; land-use measurements around "
                  "each catalogue zone from the compiled catalogue (Wu, china-industrial-zones-atlas, "
                  "data/enriched.csv @358d79b: GHS-BUILT-S R2023A, WorldPop 2020, Hansen GFC, Natural Earth)",
    "milestones": "Zeng 2011 (and other papers), each row citing its section",
    "sectors": "atlas sector vocabulary",
    "sector_map": "reviewed mapping of the papers' product words and the catalogue's 主导产业 to sector keys",
    "regions": "atlas convention: province -> the papers' six regions",
    "product_glossary": "Chinese equivalents of the papers' English product words (atlas translation)",
    "entities": "atlas names for the non-feature entities the papers give figures for (countries, aggregates)",
    "cluster_types": "Industrial clusters in China: policy tools (Markusen's types) and Shi & Ganne 2009 (Chinese types)",
    "references": "the atlas's bibliography: short and full reference of every source the data cites",
    "indicator_labels": "readable names of the indicator keys: English after the papers' wording, "
                        "Chinese by the atlas team (standard statistical terms)",
    "flowcharts": "Kuchiki 2007 (IDE Discussion Paper 89), from its prose: the figures are missing from the "
                  "text extraction (geodata/sources/flowcharts/flowcharts.yaml)",
    "flowchart_steps": "Kuchiki 2007 with ingredients from the Pinghu case study, the policy-tools paper and "
                       "Zeng 2011; each step cites section and paragraph (geodata/sources/flowcharts/flowcharts.yaml)",
    "flowchart_assessments": "the papers' statements on each step for the assessed clusters, each quote checked "
                             "against its paragraph (geodata/sources/flowcharts/assessments.yaml)",
}


def _attribution(lid: str) -> str:
    if lid in ("province", "zj_county", "prefecture"):
        return "Boundaries: DataV.GeoAtlas / AMap"
    if lid in ("zj_town", "cluster"):
        return "Facts: source papers (see each feature's source); town points: GeoNames (CC BY 4.0)"
    return "Zones: 2018 national catalogue (NDRC et al.); facts: source papers"


# ---------------------------------------------------------------- entry point

def build_all(src: Path = SOURCES) -> tuple[dict, dict, Report]:
    report = Report()
    smap = read_sector_map(src)
    lookup = sector_lookup(smap)
    provinces = province_polygons(src)
    zj_counties = zj_county_polygons(src)
    prefectures = prefecture_polygons(src, report)
    gaz = geocode.Gazetteer.load(src)
    cat = catalogue_features(src, lookup, gaz, report)
    paper = paper_features(src, lookup, gaz, report)
    frame = merge_papers_into_catalogue(cat, paper, report)
    frame = apply_etdz_paper_list(frame, src)
    frame = place_paper_features(frame, gaz, report)
    frame = frame[frame["lon"].notna()].copy()
    frame = add_admin_attributes(frame, src)
    land_rows = land_indicators(frame, report)
    frame["level"] = frame["layer"].map(lambda lid: LAYERS[lid].level)
    frame["land_status"] = frame["land_status"].fillna("")
    points = finish_columns(frame)
    layers = {lid: points[points["layer"] == lid].reset_index(drop=True) for lid in POINT_LAYER_IDS}
    layers["province"] = provinces
    layers["zj_county"] = zj_counties
    layers["prefecture"] = prefectures
    indicators = pd.concat([read_indicators(src), land_rows], ignore_index=True)
    vocab = read_csv(src / "sectors" / "vocabulary.csv")
    tables = {
        "indicators": indicators,
        "milestones": read_csv(src / "papers" / "milestones.csv") if (src / "papers" / "milestones.csv").exists()
        else pd.DataFrame(),
        "sectors": vocab,
        "sector_map": smap.drop(columns=["key"]),
        "regions": regions_table(src),
        "entities": read_csv(src / "papers" / "entities.csv"),
        "product_glossary": read_csv(src / "sectors" / "product_glossary.csv")
        if (src / "sectors" / "product_glossary.csv").exists() else pd.DataFrame(columns=["term", "term_zh", "note"]),
        "cluster_types": read_csv(src / "papers" / "cluster_types.csv")
        if (src / "papers" / "cluster_types.csv").exists() else pd.DataFrame(),
        "indicator_labels": pd.concat([read_csv(p) for p in (src / "papers" / "indicator_labels.csv",
                                                             src / "catalogue" / "land_indicator_labels.csv")
                                       if p.exists()], ignore_index=True),
    }
    tables["references"] = read_csv(src / "references.csv")
    tables.update(flowchart_tables(src, set(points["id"]), report))
    report.counts = {lid: int(len(g)) for lid, g in layers.items()}
    report.precision = points["coord_precision"].value_counts().sort_index().to_dict()
    report.levels = {lvl or "none (towns, clusters)": int(n) for lvl, n in
                     points["level"].value_counts().sort_index().items()}
    report.qc = catalogue_qc_counts(src, gaz, points)
    report.problems += validate.validate_layers(layers, vocab["key"].tolist())
    report.problems += validate.validate_indicators(indicators, set(points["id"]) | extra_entities(layers, src))
    report.problems += validate.validate_references(tables["references"], validate.citation_texts(layers, tables), src)
    return layers, tables, report


def catalogue_qc_counts(src: Path, gaz: geocode.Gazetteer, points: gpd.GeoDataFrame) -> dict:
    """How the catalogue's own points fared, and where the atlas draws the zones."""
    cat = geocode.catalogue_qc(geocode.read_catalogue(src), gaz)
    zones = points[points["catalogue_code"] != ""]
    provinces = {a.name: a for a in gaz.polygons["province"].values()}
    inside = 0
    for prov, geom in zip(zones["province_zh"], zones.geometry):
        area = provinces.get(prov)
        if area is not None and (area.contains(geom.x, geom.y) or
                                 float(shapely.distance(area.geom, geom)) * geocode.KM_PER_DEG <= geocode.EDGE_TOLERANCE_KM):
            inside += 1
    return {
        "catalogue points outside their own province (3 km edge tolerance)": int((cat["坐标落在所属省内"] == "N").sum()),
        "catalogue points shared with another zone (national: with another national zone)":
            int((cat["同坐标重复数"].astype(int) > 1).sum()),
        "catalogue points that failed QC and were replaced": int((points["land_status"] == landuse.WITHHELD).sum()),
        "geocoder precision 未知 (kept as zone-level when they pass QC)": int((cat["地理编码精度"] == "未知").sum()),
        f"catalogue features drawn inside their own province (within {geocode.EDGE_TOLERANCE_KM:g} km of it)":
            f"{inside} of {len(zones)} ({inside / max(len(zones), 1):.2%})",
    }


def flowchart_tables(src: Path, feature_ids: set[str], report: Report) -> dict[str, pd.DataFrame]:
    """Kuchiki's flowcharts and the papers' assessments (geodata/sources/flowcharts), validated: schema,
    every quote found in its paper paragraph, every feature id in the layers. Problems go to the report."""
    from .. import flowcharts
    try:
        flows, assessments = flowcharts.load_sources(src / "flowcharts", src / "papers" / "text", feature_ids)
    except flowcharts.FlowchartError as exc:
        report.problems += [f"flowcharts: {p}" for p in exc.problems]
        return {}
    return flowcharts.to_tables(flows, assessments)


def extra_entities(layers: dict, src: Path) -> set[str]:
    """Entities that are not point features but may carry indicators."""
    return set(layers["province"]["id"]) | set(layers["prefecture"]["id"]) | set(read_csv(src / "papers" / "entities.csv")["entity_id"])


def build(src: Path = SOURCES, out: Path = LAYERS_DIR) -> Report:
    layers, tables, report = build_all(src)
    write_outputs(out, layers, tables, report)
    return report
