"""Validators shared by the build, `python -m dashboard check` and the tests.

Each returns a list of readable problems (empty = valid); none raises on bad data.
"""
from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd

from ..layers import CONTRACT_COLUMNS, COORD_PRECISIONS, LAYERS, POINT_LAYER_IDS, REGIONS

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
CHINA_BBOX = (73.0, 17.5, 135.5, 54.0)  # lon/lat (the South China Sea islands aside)
PROVINCE_TOLERANCE_DEG = 0.05  # generalised coastlines: a harbour zone may sit just off the simplified outline
# catalogue zones per approval level and type (2018 catalogue: 552 national, 1,991 provincial)
EXPECTED_CATALOGUE = {
    ("national", "经济技术开发区"): 219, ("national", "高新技术产业开发区"): 156, ("national", "海关特殊监管区域"): 135,
    ("national", "边境/跨境经济合作区"): 19, ("national", "其他类型开发区"): 23,
    ("provincial", "经济开发区"): 986, ("provincial", "工业园区"): 848, ("provincial", "高新技术产业开发区"): 157,
}
EXPECTED_LEVELS = {"national": 552, "provincial": 1991}
EXPECTED_PROVINCIAL_LAYERS = {"prov_edz": 986, "prov_ipark": 848, "prov_hidz": 157}
# the one code the source prints twice (淄川 and 临淄): each zone has its own id
DUPLICATE_CODES = {"S377018": 2}


def validate_points(gdf: gpd.GeoDataFrame, layer_id: str, sector_keys: list[str],
                    provinces: gpd.GeoDataFrame | None = None,
                    counties: gpd.GeoDataFrame | None = None) -> list[str]:
    problems: list[str] = []
    where = f"layer {layer_id}"
    missing = [c for c in CONTRACT_COLUMNS if c not in gdf.columns]
    if missing:
        return [f"{where}: missing contract columns {missing}"]
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        problems.append(f"{where}: CRS is {gdf.crs}, expected EPSG:4326")
    dup = gdf["id"][gdf["id"].duplicated()].tolist()
    if dup:
        problems.append(f"{where}: duplicate ids {dup}")
    for rec, geom in zip(gdf.to_dict("records"), gdf.geometry):
        fid = rec.get("id") or "<no id>"
        at = f"{where}, feature {fid}"
        if not ID_PATTERN.match(str(rec["id"] or "")):
            problems.append(f"{at}: id is not a slug")
        if rec["layer"] != layer_id:
            problems.append(f"{at}: layer column says {rec['layer']!r}")
        for col in ("name_en", "source", "coord_source", "province_zh"):
            if not str(rec.get(col) or "").strip():
                problems.append(f"{at}: empty {col}")
        if not str(rec.get("name_zh") or "").strip() and not str(rec.get("note") or "").strip():
            problems.append(f"{at}: empty name_zh and no note saying why")
        if rec["coord_precision"] not in COORD_PRECISIONS:
            problems.append(f"{at}: coord_precision {rec['coord_precision']!r} not in {COORD_PRECISIONS}")
        if rec["region"] not in REGIONS:
            problems.append(f"{at}: region {rec['region']!r} is not one of the six regions")
        bad = [s for s in (rec["sectors"] or []) if s not in sector_keys]
        if bad:
            problems.append(f"{at}: sectors not in the vocabulary: {bad}")
        year = rec["year"]
        if year is None or pd.isna(year):
            if not str(rec.get("year_note") or "").strip():
                problems.append(f"{at}: year is empty and year_note gives no reason")
        elif int(year) > 2018 or (LAYERS[layer_id].zone and int(year) < 1979):
            # zones date from the 1979 reforms on; a cluster's origin may be centuries old (Wenzhou shoes, 422)
            problems.append(f"{at}: year {year} outside {'1979-' if LAYERS[layer_id].zone else '…-'}2018")
        if geom is None or geom.is_empty or geom.geom_type != "Point":
            problems.append(f"{at}: geometry is not a point")
            continue
        if not (CHINA_BBOX[0] <= geom.x <= CHINA_BBOX[2] and CHINA_BBOX[1] <= geom.y <= CHINA_BBOX[3]):
            problems.append(f"{at}: point ({geom.x:.4f}, {geom.y:.4f}) is outside China")
    if provinces is not None and len(gdf):
        problems += points_in_polygons(gdf, provinces, "province_zh", "name_zh", where, PROVINCE_TOLERANCE_DEG)
    if counties is not None and len(gdf):
        fine = gdf[gdf["coord_precision"].isin(["town", "county"]) & gdf["adcode"].str.startswith("33")
                   & (gdf["adcode"].str.len() == 6)]
        problems += points_in_polygons(fine, counties, "adcode", "adcode", where, 0.0)
    return problems


def points_in_polygons(points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, point_key: str, poly_key: str,
                       where: str, tolerance: float) -> list[str]:
    """Each point must fall inside (within `tolerance` degrees of) the polygon named by its key."""
    problems = []
    shapes = polygons.set_index(poly_key).geometry
    for fid, key, geom in zip(points["id"], points[point_key], points.geometry):
        if key not in shapes.index:
            problems.append(f"{where}, feature {fid}: no polygon for {point_key}={key!r}")
            continue
        if geom is not None and shapes[key].distance(geom) > tolerance:
            problems.append(f"{where}, feature {fid}: point ({geom.x:.4f}, {geom.y:.4f}) is outside {key}")
    return problems


def validate_layers(layers: dict[str, gpd.GeoDataFrame], sector_keys: list[str]) -> list[str]:
    problems: list[str] = []
    provinces, counties = layers.get("province"), layers.get("zj_county")
    for lid in POINT_LAYER_IDS:
        if lid not in layers:
            problems.append(f"layer {lid}: missing")
            continue
        problems += validate_points(layers[lid], lid, sector_keys, provinces, counties)
    ids = pd.concat([layers[lid]["id"] for lid in POINT_LAYER_IDS if lid in layers])
    dup = ids[ids.duplicated()].tolist()
    if dup:
        problems.append(f"ids used in more than one layer: {dup}")
    problems += validate_counts(layers)
    if provinces is not None and len(provinces) != 34:
        problems.append(f"layer province: {len(provinces)} polygons, expected 34")
    if counties is not None and len(counties) != 90:
        problems.append(f"layer zj_county: {len(counties)} polygons, expected 90")
    prefectures = layers.get("prefecture")
    if prefectures is not None:  # DataV 2020: 333 prefectures, 33 province-administered units, 4 municipalities …
        if len(prefectures) != 370:
            problems.append(f"layer prefecture: {len(prefectures)} polygons, expected 370")
        if prefectures["id"].duplicated().any() or prefectures.geometry.is_empty.any():
            problems.append("layer prefecture: duplicate ids or empty polygons")
    return problems


def validate_counts(layers: dict[str, gpd.GeoDataFrame]) -> list[str]:
    problems = []
    points = pd.concat([layers[lid] for lid in POINT_LAYER_IDS if lid in layers])
    linked = points[points["catalogue_code"] != ""].drop_duplicates(["catalogue_code", "catalogue_name"])
    levels = linked["layer"].map(lambda lid: LAYERS[lid].level)
    by_type = pd.Series(list(zip(levels, linked["catalogue_type"]))).value_counts().to_dict()
    for (level, ctype), n in EXPECTED_CATALOGUE.items():
        if by_type.get((level, ctype), 0) != n:
            problems.append(f"{level} catalogue zones of type {ctype}: {by_type.get((level, ctype), 0)}, expected {n}")
    by_level = levels.value_counts().to_dict()
    for level, n in EXPECTED_LEVELS.items():
        if by_level.get(level, 0) != n:
            problems.append(f"{level} catalogue zones: {by_level.get(level, 0)}, expected {n}")
    for lid, n in EXPECTED_PROVINCIAL_LAYERS.items():
        if lid in layers and len(layers[lid]) != n:
            problems.append(f"layer {lid}: {len(layers[lid])} features, expected {n}")
    codes = linked["catalogue_code"].value_counts()
    repeated = {c: int(k) for c, k in codes[codes > 1].items()}
    if repeated != DUPLICATE_CODES:
        problems.append(f"catalogue codes used by more than one zone: {repeated}, expected only {DUPLICATE_CODES} "
                        "(S377018: the source's slip, 淄川 and 临淄)")
    if "sez" in layers and len(layers["sez"]) != 7:
        problems.append(f"layer sez: {len(layers['sez'])} features, expected 7")
    annex_a = points[points["paper_list"].str.contains("004 Annex A")]
    if len(annex_a) != 54:
        problems.append(f"004 Annex A: {len(annex_a)} HIDZs, expected 54")
    annex_b = points[points["paper_list"].str.contains("004 Annex B")]
    if len(annex_b) != 15:
        problems.append(f"004 Annex B: {len(annex_b)} FTZs, expected 15")
    return problems


def validate_indicators(frame: pd.DataFrame, entity_ids: set[str]) -> list[str]:
    problems = []
    required = ["entity_id", "indicator", "year", "value", "unit", "source", "note", "flag"]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        return [f"indicators: missing columns {missing}"]
    for i, rec in enumerate(frame.to_dict("records"), start=2):
        at = f"indicators row {i} ({rec['entity_id']}, {rec['indicator']}, {rec['year']})"
        if rec["entity_id"] not in entity_ids:
            problems.append(f"{at}: unknown entity_id")
        for col in ("indicator", "unit", "source"):
            if not str(rec[col]).strip():
                problems.append(f"{at}: empty {col}")
        if str(rec["value"]).strip() == "":
            if not str(rec["note"]).strip():
                problems.append(f"{at}: value is missing and the note does not say why")
        else:
            try:
                float(rec["value"])
            except (TypeError, ValueError):
                problems.append(f"{at}: value {rec['value']!r} is not a number")
        if str(rec["year"]).strip():
            try:
                int(str(rec["year"]))
            except ValueError:
                problems.append(f"{at}: year {rec['year']!r} is not an integer")
    key = frame[["entity_id", "indicator", "year"]].astype(str).agg("|".join, axis=1)
    dups = key[key.duplicated()].tolist()
    if dups:
        problems.append(f"indicators: duplicate (entity, indicator, year) rows: {dups[:20]}")
    return problems


# columns holding citations, per built file: every part of them must resolve to a reference
CITATION_COLUMNS = ("source", "coord_source", "paper_list")


def citation_texts(layers: dict, tables: dict) -> list[tuple[str, str]]:
    """(where, citation text) of every citation in the built layers and tables."""
    out = []
    for lid, gdf in layers.items():
        for col in CITATION_COLUMNS:
            if col in gdf.columns:
                out += [(f"{lid} {fid}: {col}", text) for fid, text in zip(gdf.get("id", gdf.index), gdf[col])
                        if isinstance(text, str) and text.strip()]
    for name, frame in tables.items():
        if name != "references" and "source" in frame.columns:
            out += [(f"{name} row {i}: source", text) for i, text in enumerate(frame["source"], start=2)
                    if isinstance(text, str) and text.strip()]
    return out


def validate_references(table: pd.DataFrame, texts: list[tuple[str, str]], sources_dir) -> list[str]:
    """The references table is well formed, its archived copies exist, and every citation resolves."""
    from ..references import Catalogue, validate_table
    problems = [f"references.csv: {p}" for p in validate_table(table)]
    if problems:
        return problems
    catalogue = Catalogue(table)
    for key, ref in catalogue.refs.items():
        for copy in filter(None, (c.strip() for c in ref.fields["archived_copy"].split(";"))):
            if not (sources_dir / copy).exists():
                problems.append(f"references.csv {key}: archived copy {copy} is not in geodata/sources")
    unresolved: dict[str, list[str]] = {}
    for where, text in texts:
        for part in catalogue.unresolved(text):
            unresolved.setdefault(part, []).append(where)
    for part, wheres in sorted(unresolved.items()):
        problems.append(f"citation {part!r} matches no reference in references.csv "
                        f"({len(wheres)}×, e.g. {wheres[0]})")
    return problems
