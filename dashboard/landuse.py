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
