"""The built files' formats: GeoJSON layers, the long indicator table, reference tables.

Shared by the readers (`dashboard.data` for files, `dashboard.db` for the shared database) and the
pipeline that writes them (`dashboard.pipeline.build`); imports neither.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

INDICATOR_COLUMNS = ["entity_id", "indicator", "year", "value", "unit", "source", "note", "flag"]


def frame_from_features(features: list[dict]) -> gpd.GeoDataFrame:
    """GeoJSON features as a layer frame indexed by feature id, list-valued properties kept as lists."""
    frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    if "id" in frame.columns:
        frame = frame.set_index("id", drop=False)
        frame.index.name = None
    return frame


def read_layer_file(path: Path) -> gpd.GeoDataFrame:
    """Read a built GeoJSON layer keeping list-valued properties (sectors) as lists."""
    with open(path, encoding="utf-8") as fh:
        fc = json.load(fh)
    return frame_from_features(fc["features"])


def typed_indicators(frame: pd.DataFrame) -> pd.DataFrame:
    """The indicator columns in order, year as nullable Int64, value numeric."""
    frame["year"] = frame["year"].astype("Int64")
    frame["value"] = pd.to_numeric(frame["value"])
    return frame[INDICATOR_COLUMNS]


def read_indicators_csv(path_or_buffer) -> pd.DataFrame:
    frame = pd.read_csv(path_or_buffer, dtype={"entity_id": str, "indicator": str,
                        "unit": str, "source": str, "note": str, "flag": str}, keep_default_na=False,
                        na_values={"value": [""], "year": [""]})
    return typed_indicators(frame)


def read_table_csv(path_or_buffer) -> pd.DataFrame:
    return pd.read_csv(path_or_buffer, keep_default_na=False)


def _json_default(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    if value is pd.NA:
        return None
    raise TypeError(type(value))


def _clean(value):
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def to_geojson(gdf: gpd.GeoDataFrame, precision: int = 6) -> str:
    """Deterministic GeoJSON: fixed key order, rounded coordinates, lists kept as lists."""
    feats = []
    props_cols = [c for c in gdf.columns if c != "geometry"]
    for rec, geom in zip(gdf[props_cols].to_dict("records"), gdf.geometry):
        gj = shapely.geometry.mapping(geom)
        feats.append({"type": "Feature", "properties": {k: _clean(v) for k, v in rec.items()},
                      "geometry": json.loads(json.dumps(gj, default=_json_default),
                                             parse_float=lambda s: round(float(s), precision))})
    return json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False,
                      default=_json_default, separators=(",", ":")) + "\n"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
