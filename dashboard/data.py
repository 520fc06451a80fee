"""Load the built layers and the indicator table.

Pure loaders (no Streamlit) plus thin cached wrappers for the pages. By default the app reads
``geodata/layers/``, which ``python -m dashboard build`` writes from ``geodata/sources/``. With
``ATLAS_DATABASE_URL`` set, the same functions read the shared PostgreSQL/PostGIS database instead
(`dashboard.db`; a call given its own ``layers_dir`` always reads files).
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

from . import db
from .db import DATABASE_URL_ENV
from .files import (INDICATOR_COLUMNS, frame_from_features, read_indicators_csv, read_layer_file,  # noqa: F401
                    read_table_csv, typed_indicators)
from .layers import LAYERS, POINT_LAYER_IDS
from .paths import LAYERS_DIR



class UnknownLayer(KeyError):
    pass


def layer_ids() -> list[str]:
    """Every layer id, point layers first."""
    return list(LAYERS)


def point_layer_ids() -> list[str]:
    return list(POINT_LAYER_IDS)


def database_url() -> str | None:
    """The shared database's connection string (ATLAS_DATABASE_URL), or None for the built files."""
    return os.environ.get(DATABASE_URL_ENV, "").strip() or None


def _backend(layers_dir) -> tuple[str, str]:
    """("db", url) when the shared database is set and no directory was given, else ("files", directory).

    `layers_dir is LAYERS_DIR` means the caller left the default: `check`, `build` and the benchmark pass
    their own directory (a new Path, even when it names the same place) and always read files.
    """
    url = database_url()
    if url and layers_dir is LAYERS_DIR:
        return ("db", url)
    return ("files", str(layers_dir))


@lru_cache(maxsize=None)
def _load_layer_cached(layer_id: str, backend: tuple[str, str]) -> gpd.GeoDataFrame:
    kind, where = backend
    if kind == "db":
        return db.read_layer(where, layer_id)
    return read_layer_file(Path(where) / f"{layer_id}.geojson")


def load_layer(layer_id: str, layers_dir: Path = LAYERS_DIR) -> gpd.GeoDataFrame:
    """One layer as a GeoDataFrame in EPSG:4326 with the contract's columns (a copy)."""
    if layer_id not in LAYERS:
        raise UnknownLayer(f"unknown layer {layer_id!r}; known layers: {', '.join(LAYERS)}")
    return _load_layer_cached(layer_id, _backend(layers_dir)).copy()


@lru_cache(maxsize=None)
def _all_points_cached(backend: tuple[str, str]) -> gpd.GeoDataFrame:
    frames = [_load_layer_cached(lid, backend) for lid in POINT_LAYER_IDS]
    return gpd.GeoDataFrame(pd.concat(frames), crs="EPSG:4326")


def load_points(layers_dir: Path = LAYERS_DIR) -> gpd.GeoDataFrame:
    """All point layers in one frame, indexed by feature id."""
    return _all_points_cached(_backend(layers_dir)).copy()


@lru_cache(maxsize=None)
def _indicators_cached(backend: tuple[str, str]) -> pd.DataFrame:
    kind, where = backend
    if kind == "db":
        return db.read_indicators(where)
    return read_indicators_csv(Path(where) / "indicators.csv")


def load_indicators(layers_dir: Path = LAYERS_DIR) -> pd.DataFrame:
    """The long indicator table: entity_id, indicator, year, value, unit, source, note, flag."""
    return _indicators_cached(_backend(layers_dir)).copy()


def load_manifest(layers_dir: Path = LAYERS_DIR) -> dict:
    kind, where = _backend(layers_dir)
    if kind == "db":
        return db.read_manifest(where)
    with open(Path(layers_dir) / "manifest.json", encoding="utf-8") as fh:
        return json.load(fh)


def load_table(name: str, layers_dir: Path = LAYERS_DIR) -> pd.DataFrame:
    """A small built reference table (milestones, sector vocabulary, cluster types, regions)."""
    kind, where = _backend(layers_dir)
    if kind == "db":
        return db.read_table(where, name)
    return read_table_csv(Path(layers_dir) / f"{name}.csv")


def clear_caches() -> None:
    """Forget the loaded layers and indicators (after `db load` changed the shared database)."""
    for cached in (_load_layer_cached, _all_points_cached, _indicators_cached):
        cached.cache_clear()
