"""Provinces, the six regions, coastal vs inland; cumulative establishment over time. Pure."""
from __future__ import annotations

import pandas as pd

from .layers import LAYERS, NATIONAL_LAYER_IDS, POINT_LAYER_IDS, PROVINCIAL_LAYER_IDS, REGION_IDS, REGIONS

ZONE_LAYERS = tuple(lid for lid in POINT_LAYER_IDS if LAYERS[lid].zone)
COUNT_COLUMNS = ("zones_total", "zones_national", "zones_provincial")
YEARS = range(1979, 2019)


def _summary(groups: pd.core.groupby.DataFrameGroupBy) -> pd.DataFrame:
    counts = groups["layer"].value_counts().unstack(fill_value=0).reindex(columns=list(POINT_LAYER_IDS), fill_value=0)
    counts["zones_total"] = counts[list(ZONE_LAYERS)].sum(axis=1)
    counts["zones_national"] = counts[list(NATIONAL_LAYER_IDS)].sum(axis=1)
    counts["zones_provincial"] = counts[list(PROVINCIAL_LAYER_IDS)].sum(axis=1)
    counts["approved_area_km2"] = groups["area_km2"].apply(lambda a: pd.to_numeric(a, errors="coerce").sum()).round(2)
    counts["top_sectors"] = groups["sectors"].apply(top_sectors)
    return counts


def top_sectors(series: pd.Series, n: int = 3) -> list[str]:
    exploded = series.explode().dropna()
    return exploded.value_counts().head(n).index.tolist()


def province_table(points: pd.DataFrame, provinces: pd.DataFrame) -> pd.DataFrame:
    """One row per province id: counts by layer, zones, approved area, top sectors, zones per 10,000 km²."""
    pts = points.assign(prov=points["adcode"].astype(str).str[:2])
    table = _summary(pts.groupby("prov"))
    meta = provinces.assign(prov=provinces["adcode"].str[:2]).set_index("prov")
    table = table.reindex(meta.index)
    for col in list(POINT_LAYER_IDS) + list(COUNT_COLUMNS):
        table[col] = table[col].fillna(0).astype(int)
    table["approved_area_km2"] = table["approved_area_km2"].fillna(0.0)
    table["top_sectors"] = table["top_sectors"].map(lambda v: v if isinstance(v, list) else [])
    table["zones_per_10k_km2"] = (table["zones_total"] / meta["area_km2"].astype(float) * 10_000).round(3)
    table.insert(0, "id", meta["id"])
    table.insert(1, "name_en", meta["name_en"])
    table.insert(2, "name_zh", meta["name_zh"])
    table.insert(3, "region", meta["region"])
    table.insert(4, "coastal", meta["coastal"].astype(bool))
    table["land_area_km2"] = meta["area_km2"].astype(float)
    return table.set_index("id")


def region_table(province_tbl: pd.DataFrame) -> pd.DataFrame:
    """The six regions plus coastal / inland, summed from the province table."""
    numeric = list(POINT_LAYER_IDS) + list(COUNT_COLUMNS) + ["approved_area_km2", "land_area_km2"]
    rows = {}
    for name in REGIONS:
        rows[REGION_IDS[name]] = province_tbl[province_tbl["region"] == name][numeric].sum()
    # coastal / inland over the same provinces as the six regions: Taiwan, Hong Kong and Macao have no region
    # and no zone of the (mainland) catalogue, so their land must not dilute the coastal density
    mainland = province_tbl[province_tbl["region"].isin(REGIONS)]
    rows["region-coastal"] = mainland[mainland["coastal"]][numeric].sum()
    rows["region-inland"] = mainland[~mainland["coastal"]][numeric].sum()
    table = pd.DataFrame(rows).T
    table["zones_per_10k_km2"] = (table["zones_total"] / table["land_area_km2"] * 10_000).round(3)
    return table


def cumulative_by_year(points: pd.DataFrame, layers=ZONE_LAYERS) -> pd.DataFrame:
    """Zones existing at the end of each year 1979–2018 (by their year), per layer; long format."""
    pts = points[points["layer"].isin(layers) & points["year"].notna()]
    per = pts.groupby(["layer", pts["year"].astype(int)]).size().unstack(fill_value=0)
    per = per.reindex(columns=list(YEARS), fill_value=0).reindex(list(layers), fill_value=0)
    # zones dated before 1979 (none expected) are counted in 1979
    early = pts[pts["year"] < 1979].groupby("layer").size()
    per[1979] = per[1979] + early.reindex(per.index, fill_value=0)
    cum = per.cumsum(axis=1)
    return cum.stack().rename("count").reset_index().rename(columns={"level_1": "year"})


def existing_at(points: pd.DataFrame, year: int) -> pd.DataFrame:
    """Zones whose year is known and not after `year`."""
    return points[points["layer"].isin(ZONE_LAYERS) & points["year"].notna() & (points["year"] <= year)]


GROWTH_COLUMNS = ("zones_measured", "built_1990_km2", "built_2020_km2", "built_growth_km2", "built_growth_pct")


def with_built_growth(province_tbl: pd.DataFrame, growth: pd.DataFrame) -> pd.DataFrame:
    """The province table plus built-up growth around its zones (landuse.province_built_growth, keyed by the
    2-digit province code); provinces without measured zones get 0 zones and empty sums."""
    table = province_tbl.copy()
    codes = table.index.str.removeprefix("prov-")
    g = growth.set_index("prov").reindex(codes)
    for col in GROWTH_COLUMNS:
        table[col] = g[col].to_numpy() if col in g else pd.NA
    table["zones_measured"] = pd.to_numeric(table["zones_measured"]).fillna(0).astype(int)
    return table


def rank_provinces(province_tbl: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Provinces with a value for `measure`, largest first (ties by province id)."""
    values = pd.to_numeric(province_tbl[measure], errors="coerce")
    ranked = province_tbl.assign(_v=values).dropna(subset=["_v"])
    ranked = ranked[ranked["_v"] > 0] if measure not in ("built_growth_pct",) else ranked
    return ranked.reset_index().sort_values(["_v", "id"], ascending=[False, True]).drop(columns="_v")
