"""Cluster explorer: Zhejiang specialised towns and other clusters by sector, type, prefecture, zone. Pure."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

CLUSTER_LAYERS = ("zj_town", "cluster")
TYPE_COLUMNS = ("cluster_type_markusen", "cluster_type_china", "origin")
ZJ_ZONES = ("north", "wenzhou_taizhou", "jinhua_quzhou_lishui")  # seed 003's three zones; labels: i18n zjzone_*
# 25 distinguishable colours (Tableau 20, then five darks of Category 20b): one per vocabulary sector
SECTOR_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                  "#bcbd22", "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94",
                  "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5", "#393b79", "#637939", "#8c6d31", "#843c39",
                  "#7b4173"]


@dataclass(frozen=True)
class ClusterFilter:
    sectors: tuple[str, ...] = ()
    types: tuple[str, ...] = ()       # any of the values in TYPE_COLUMNS
    prefectures: tuple[str, ...] = ()  # prefecture_zh, e.g. 温州市
    zj_zones: tuple[str, ...] = ()
    q: str = ""                        # product word / name, English or Chinese


def cluster_points(points: pd.DataFrame) -> pd.DataFrame:
    return points[points["layer"].isin(CLUSTER_LAYERS)]


def type_values(points: pd.DataFrame) -> list[str]:
    values = set()
    for col in TYPE_COLUMNS:
        values |= {v for v in points[col].fillna("") if v}
    return sorted(values)


def search_text(points: pd.DataFrame, glossary: dict[str, str] | None = None) -> pd.Series:
    """Names, products (as printed and, via the glossary, in Chinese), sector terms — lower-cased."""
    glossary = glossary or {}

    def zh_products(products: str) -> str:
        return " ".join(glossary.get(p.strip().lower(), "") for p in str(products or "").split(";"))

    return (points["name_en"].fillna("") + " | " + points["name_zh"].fillna("") + " | "
            + points["products"].fillna("") + " | " + points["products"].map(zh_products) + " | "
            + points["town_zh"].fillna("") + " | " + points["county_zh"].fillna("") + " | "
            + points["city"].fillna("")).str.lower()


def apply(points: pd.DataFrame, flt: ClusterFilter, glossary: dict[str, str] | None = None) -> pd.DataFrame:
    pts = cluster_points(points)
    keep = pd.Series(True, index=pts.index)
    if flt.sectors:
        wanted = set(flt.sectors)
        keep &= pts["sectors"].map(lambda s: bool(wanted.intersection(s or [])))
    if flt.types:
        wanted = set(flt.types)
        keep &= pts[list(TYPE_COLUMNS)].fillna("").apply(lambda row: bool(wanted.intersection(row)), axis=1)
    if flt.prefectures:
        keep &= pts["prefecture_zh"].isin(flt.prefectures) | pts["city"].isin(flt.prefectures)
    if flt.zj_zones:
        keep &= pts["zj_zone"].isin(flt.zj_zones)
    if flt.q.strip():
        keep &= search_text(pts, glossary).str.contains(flt.q.strip().lower(), regex=False)
    return pts[keep]


def per_sector(points: pd.DataFrame) -> pd.DataFrame:
    """Towns/clusters per sector (a multi-sector town counts once in each of its sectors)."""
    exploded = points[["id", "layer", "sectors"]].explode("sectors").dropna(subset=["sectors"])
    out = exploded.groupby(["sectors", "layer"]).size().rename("count").reset_index()
    return out.rename(columns={"sectors": "sector"}).sort_values("count", ascending=False)


def per_prefecture(points: pd.DataFrame) -> pd.DataFrame:
    """Towns/clusters per prefecture_zh, else city, else province (no blank, unlabelled bar)."""
    pref = points["prefecture_zh"].fillna("")
    pref = pref.where(pref != "", points["city"].fillna(""))
    pref = pref.where(pref != "", points["province_zh"].fillna(""))
    return pref.value_counts().rename_axis("prefecture").rename("count").reset_index()


def primary_sector(points: pd.DataFrame) -> pd.Series:
    return points["sectors"].map(lambda s: s[0] if s else "")


def sector_colours(sector_keys: list[str]) -> dict[str, str]:
    return {key: SECTOR_COLOURS[i % len(SECTOR_COLOURS)] for i, key in enumerate(sector_keys)}
