"""Land-use measurements around each catalogue zone -> rows of the long indicator table.

The compiled catalogue (``geodata/sources/catalogue/devzones_2018_enriched.csv``, upstream
kaiwulaw/china-industrial-zones-atlas ``data/enriched.csv`` @358d79b) carries, for every zone,
measurements its author took on a 5 km buffer around the zone's catalogue point.  They describe
the land around that point, so:

* a point that failed QC (outside its own province, or shared with another zone) describes
  another place: its measurements are **withheld** (not emitted), and counted;
* a point the geocoder matched only to a city / county / province (AMap level 市 / 区县 / 省,
  or upstream status ``city_only``) describes the area around that centre: its values are
  emitted with a flag (``at_city_centre`` / ``at_county_centre`` / ``at_province_centre``);
* a missing value is not emitted (the profile says it is missing).
Pure: no I/O.  The build (``dashboard.pipeline.build``) writes the rows; the pages read them
through :func:`built_series` and :func:`align_on_designation`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import pandas as pd

COMPILED = "compiled in kaiwulaw/china-industrial-zones-atlas data/enriched.csv @358d79b, column {column}"
DATASETS = ("GHS-BUILT-S R2023A", "WorldPop 2020", "Hansen Global Forest Change", "Natural Earth 1:10m coastline")
BUILT_YEARS = (1990, 2000, 2010, 2015, 2020)

# indicator key -> (dataset, column, year or None, unit, factor applied to the column's value)
LAND_INDICATORS: dict[str, tuple] = {
    **{f"land_built_up_5km@{y}": (DATASETS[0], f"built_{y}_buffer_sum", y, "km2", 1e-6) for y in BUILT_YEARS},
    "land_population_5km": (DATASETS[1], "pop_density_buffer_sum", 2020, "persons", 1),
    "land_tree_cover_2000_5km": (DATASETS[2], "forest_treecover2000_buffer_mean", 2000, "percent", 1),
    "land_forest_loss_pre_5km": (DATASETS[2], "forest_loss_pre_designation", None, "forest-loss cells", 1),
    "land_forest_loss_post_5km": (DATASETS[2], "forest_loss_post_designation", None, "forest-loss cells", 1),
    "land_dist_to_coast": (DATASETS[3], "dist_to_coast_km", None, "km", 1),
}
LAND_KEYS = tuple(dict.fromkeys(k.split("@")[0] for k in LAND_INDICATORS))
BUILT_KEY = "land_built_up_5km"

# land_status of a catalogue zone
SHOWN, AT_CENTRE, WITHHELD, NONE = "shown", "at_centre", "withheld_failed_qc", ""
CENTRE_FLAGS = {"市": "at_city_centre", "区县": "at_county_centre", "省": "at_province_centre"}


@dataclass(frozen=True)
class LandStatus:
    status: str   # shown | at_centre | withheld_failed_qc
    flag: str     # '' or at_city_centre / at_county_centre / at_province_centre


def land_status(point_kept: bool, geocoder_level: str, upstream_status: str = "ok") -> LandStatus:
    """Whether the measurements taken at a catalogue point may be shown as the zone's, and with which flag."""
    if not point_kept:
        return LandStatus(WITHHELD, "")
    flag = CENTRE_FLAGS.get(str(geocoder_level).strip(), "")
    if not flag and str(upstream_status).strip() == "city_only":
        flag = CENTRE_FLAGS["市"]
    return LandStatus(AT_CENTRE if flag else SHOWN, flag)


def source_text(dataset: str, column: str) -> str:
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}")
    return f"{dataset}; {COMPILED.format(column=column)}"


def _number(text) -> float | None:
    try:
        value = float(str(text).strip())
    except (TypeError, ValueError):
        return None
    return value if value == value else None


def indicator_rows(entity_id: str, row: Mapping, status: LandStatus) -> list[dict]:
    """The land indicator rows of one zone (none when withheld; missing values left out)."""
    if status.status == WITHHELD:
        return []
    out = []
    for key, (dataset, column, year, unit, factor) in LAND_INDICATORS.items():
        value = _number(row.get(column))
        if value is None:
            continue
        value = round(value * factor, 6)
        out.append({"entity_id": entity_id, "indicator": key.split("@")[0],
                    "year": "" if year is None else str(year), "value": repr(value),
                    "unit": unit, "source": source_text(dataset, column), "note": "", "flag": status.flag})
    return out


def built_series(indicators: pd.DataFrame, entity_id: str) -> pd.DataFrame:
    """year, value (km²), flag of a zone's built-up surface within 5 km, by year."""
    rows = indicators[(indicators["entity_id"] == entity_id) & (indicators["indicator"] == BUILT_KEY)]
    out = rows[["year", "value", "flag"]].copy()
    out["year"] = pd.to_numeric(out["year"], errors="coerce")
    out["value"] = pd.to_numeric(out["value"], errors="coerce")
    return out.dropna(subset=["year", "value"]).sort_values("year").reset_index(drop=True)


# ---------------------------------------------------------------- reading the rows back (pages)

def is_land(indicator: str) -> bool:
    """One of the land-use indicators around catalogue zones (the papers have keys like land_area too)."""
    return indicator in LAND_KEYS


def with_phase(series: pd.DataFrame, approval_year) -> pd.DataFrame:
    """A built-up series with ``phase``: 'before' (snapshot year <= approval year), 'after' (later), '' (no year).

    As the compiled file does: a snapshot taken in the approval year is the one before designation (its
    ``built_pre_designation_year`` is the approval year whenever that is a snapshot year)."""
    out = series.copy()
    if approval_year is None or pd.isna(approval_year):
        out["phase"] = ""
    else:
        out["phase"] = ["before" if y <= int(approval_year) else "after" for y in out["year"]]
    return out


def align_on_designation(indicators: pd.DataFrame, points: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Built-up surface of each feature on one axis: years since its approval (snapshot year - approval year).

    One row per (feature, snapshot): entity_id, year, years_since, value (km²), flag. Features without an
    approval year or without built-up values are left out (the caller says which).
    """
    frames = []
    for fid in ids:
        if fid not in points.index:
            continue
        year = points.at[fid, "year"]
        if year is None or pd.isna(year):
            continue
        series = built_series(indicators, fid)
        if series.empty:
            continue
        series = series.assign(entity_id=fid, years_since=(series["year"] - int(year)).astype(int))
        frames.append(series[["entity_id", "year", "years_since", "value", "flag"]])
    cols = ["entity_id", "year", "years_since", "value", "flag"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)


def province_built_growth(points: pd.DataFrame, indicators: pd.DataFrame, first: int = 1990,
                          last: int = 2020) -> pd.DataFrame:
    """Per province (2-digit code): zones whose built-up values are shown unflagged (measured at a zone-level
    point), the built-up surface around them in `first` and `last` (km², summed) and the growth.

    Flagged values (city/county centres) and withheld ones are left out; `zones_measured` says how many
    zones each sum covers.
    """
    built = indicators[(indicators["indicator"] == BUILT_KEY) & (indicators["flag"].fillna("") == "")]
    built = built[built["year"].astype(str).isin([str(first), str(last)])]
    wide = built.pivot_table(index="entity_id", columns="year", values="value", aggfunc="first")
    wide.columns = [int(c) for c in wide.columns]
    wide = wide.dropna(subset=[c for c in (first, last) if c in wide.columns])
    if first not in wide.columns or last not in wide.columns or wide.empty:
        return pd.DataFrame(columns=["prov", "zones_measured", f"built_{first}_km2", f"built_{last}_km2",
                                     "built_growth_km2", "built_growth_pct"])
    wide = wide.join(points[["adcode"]], how="inner")
    wide["prov"] = wide["adcode"].astype(str).str[:2]
    out = wide.groupby("prov").agg(zones_measured=(first, "size"), first_sum=(first, "sum"), last_sum=(last, "sum"))
    out = out.rename(columns={"first_sum": f"built_{first}_km2", "last_sum": f"built_{last}_km2"})
    out["built_growth_km2"] = (out[f"built_{last}_km2"] - out[f"built_{first}_km2"]).round(2)
    out["built_growth_pct"] = (out["built_growth_km2"] / out[f"built_{first}_km2"] * 100).round(1)
    out[f"built_{first}_km2"] = out[f"built_{first}_km2"].round(2)
    out[f"built_{last}_km2"] = out[f"built_{last}_km2"].round(2)
    return out.reset_index()
