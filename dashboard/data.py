"""Load the built layers and the indicator table.

Pure loaders (no Streamlit) plus thin cached wrappers for the pages. The app only reads
``geodata/layers/``, which ``python -m dashboard build`` writes from ``geodata/sources/``.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .layers import LAYERS, POINT_LAYER_IDS
from .paths import LAYERS_DIR

INDICATOR_COLUMNS = ["entity_id", "indicator", "year", "value", "unit", "source", "note", "flag"]


class UnknownLayer(KeyError):
    pass


def layer_ids() -> list[str]:
    """Every layer id, point layers first."""
    return list(LAYERS)


def point_layer_ids() -> list[str]:
    return list(POINT_LAYER_IDS)


def read_layer_file(path: Path) -> gpd.GeoDataFrame:
    """Read a built GeoJSON layer keeping list-valued properties (sectors) as lists."""
    with open(path, encoding="utf-8") as fh:
        fc = json.load(fh)
    frame = gpd.GeoDataFrame.from_features(fc["features"], crs="EPSG:4326")
    if "id" in frame.columns:
        frame = frame.set_index("id", drop=False)
        frame.index.name = None
    return frame


@lru_cache(maxsize=None)
def _load_layer_cached(layer_id: str, layers_dir: str) -> gpd.GeoDataFrame:
    return read_layer_file(Path(layers_dir) / f"{layer_id}.geojson")


def load_layer(layer_id: str, layers_dir: Path = LAYERS_DIR) -> gpd.GeoDataFrame:
    """One layer as a GeoDataFrame in EPSG:4326 with the contract's columns (a copy)."""
    if layer_id not in LAYERS:
        raise UnknownLayer(f"unknown layer {layer_id!r}; known layers: {', '.join(LAYERS)}")
    return _load_layer_cached(layer_id, str(layers_dir)).copy()


@lru_cache(maxsize=None)
def _all_points_cached(layers_dir: str) -> gpd.GeoDataFrame:
    frames = [_load_layer_cached(lid, layers_dir) for lid in POINT_LAYER_IDS]
    return gpd.GeoDataFrame(pd.concat(frames), crs="EPSG:4326")


def load_points(layers_dir: Path = LAYERS_DIR) -> gpd.GeoDataFrame:
    """All point layers in one frame, indexed by feature id."""
    return _all_points_cached(str(layers_dir)).copy()


@lru_cache(maxsize=None)
def _indicators_cached(layers_dir: str) -> pd.DataFrame:
    frame = pd.read_csv(Path(layers_dir) / "indicators.csv", dtype={"entity_id": str, "indicator": str,
                        "unit": str, "source": str, "note": str, "flag": str}, keep_default_na=False,
                        na_values={"value": [""], "year": [""]})
    frame["year"] = frame["year"].astype("Int64")
    frame["value"] = pd.to_numeric(frame["value"])
    return frame[INDICATOR_COLUMNS]


def load_indicators(layers_dir: Path = LAYERS_DIR) -> pd.DataFrame:
    """The long indicator table: entity_id, indicator, year, value, unit, source, note, flag."""
    return _indicators_cached(str(layers_dir)).copy()


def load_manifest(layers_dir: Path = LAYERS_DIR) -> dict:
    with open(Path(layers_dir) / "manifest.json", encoding="utf-8") as fh:
        return json.load(fh)


def load_table(name: str, layers_dir: Path = LAYERS_DIR) -> pd.DataFrame:
    """A small built reference table (milestones, sector vocabulary, cluster types, regions)."""
    return pd.read_csv(Path(layers_dir) / f"{name}.csv", keep_default_na=False)
