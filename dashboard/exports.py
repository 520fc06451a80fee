"""Result tables and downloads of exactly what is shown. Pure."""
from __future__ import annotations

import io

import pandas as pd

from .files import to_geojson
from .layers import LAYERS, level_label, region_label

EXPORT_COLUMNS = ["id", "layer", "level", "name_en", "name_zh", "province_en", "province_zh", "city", "region",
                  "coastal", "year", "sectors", "products", "catalogue_code", "paper_list", "coord_precision",
                  "source"]


def result_table(points: pd.DataFrame, lang: str = "en", sector_labels: dict[str, str] | None = None,
                 cite=None) -> pd.DataFrame:
    """The filtered features as a flat, sortable table (lists joined; regions in `lang`; with `cite`,
    citation text -> short reference, the sources as readable references)."""
    sector_labels = sector_labels or {}
    table = points[EXPORT_COLUMNS].copy()
    table["region"] = table["region"].map(lambda r: region_label(r, lang) if isinstance(r, str) and r else r)
    if cite is not None:
        table["source"] = table["source"].map({text: cite(text) for text in table["source"].dropna().unique()})
    table["layer"] = table["layer"].map(lambda l: LAYERS[l].label_zh if lang == "zh" else LAYERS[l].label_en)
    table["level"] = table["level"].fillna("").map(lambda v: level_label(v, lang))
    table["sectors"] = table["sectors"].map(lambda s: ", ".join(sector_labels.get(k, k) for k in (s or [])))
    table["year"] = table["year"].astype("Int64")
    return table.reset_index(drop=True)


def to_csv_bytes(table: pd.DataFrame) -> bytes:
    """UTF-8 with BOM so that Excel opens Chinese text correctly."""
    buf = io.StringIO()
    table.to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8-sig")


def to_geojson_bytes(points) -> bytes:
    cols = [c for c in EXPORT_COLUMNS if c in points.columns] + ["geometry"]
    return to_geojson(points[cols].reset_index(drop=True)).encode("utf-8")


TABLE_ROWS = 300  # rows the Map page lists: a filter change sends the table again, the downloads hold all
REPEATED_COLUMNS = ("layer", "province_en", "province_zh", "region", "coastal", "coord_precision", "city",
                    "paper_list", "sectors", "source")


def shown_rows(table: pd.DataFrame, limit: int = TABLE_ROWS) -> pd.DataFrame:
    """At most `limit` rows of a result table for display; repeated texts as categories (sent once each)."""
    shown = table.head(limit).copy()
    for col in REPEATED_COLUMNS:
        if col in shown.columns:
            shown[col] = shown[col].astype("category")
    return shown
