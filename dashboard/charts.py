"""Altair charts of indicator rows. Every mark's tooltip carries its source and footnote flag."""
from __future__ import annotations

import altair as alt
import pandas as pd

FLAG_NOTE = {"": "—"}


def indicator_groups(rows: pd.DataFrame) -> list[tuple[tuple[str, str], pd.DataFrame]]:
    """Indicator rows grouped by (indicator, unit): one chart per group."""
    return [(key, grp) for key, grp in rows.groupby(["indicator", "unit"], sort=True)]


def is_series(grp: pd.DataFrame, entity_col: str = "entity_id") -> bool:
    """A time series: at least two distinct years for some entity."""
    years = grp.dropna(subset=["year"]).groupby(entity_col)["year"].nunique()
    return bool(len(years)) and int(years.max()) >= 2


def indicator_chart(grp: pd.DataFrame, title: str, entity_col: str = "entity_id",
                    entity_label: str = "entity", height: int = 260) -> alt.Chart:
    """Lines for time series (same axes for every entity), bars otherwise; flagged values marked."""
    data = grp.copy()
    data["flag"] = data["flag"].fillna("").replace("", "—")
    data["year_str"] = data["year"].astype("string").fillna("")
    tooltip = [alt.Tooltip(f"{entity_col}:N", title=entity_label), alt.Tooltip("year_str:N", title="year"),
               alt.Tooltip("value:Q", format=",.2f"), alt.Tooltip("unit:N"), alt.Tooltip("flag:N"),
               alt.Tooltip("source:N"), alt.Tooltip("note:N")]
    unit = data["unit"].iloc[0]
    if is_series(data, entity_col):
        base = alt.Chart(data).encode(
            x=alt.X("year:O", title="year"), y=alt.Y("value:Q", title=unit),
            color=alt.Color(f"{entity_col}:N", title=entity_label), tooltip=tooltip)
        chart = base.mark_line() + base.mark_point(filled=True, size=70).encode(
            shape=alt.Shape("flag:N", title="footnote flag"))
    else:
        x_field = f"{entity_col}:N" if data[entity_col].nunique() > 1 else "year_str:N"
        chart = alt.Chart(data).mark_bar().encode(
            x=alt.X(x_field, title=None, sort=None), y=alt.Y("value:Q", title=unit),
            color=alt.Color(f"{entity_col}:N", title=entity_label, legend=None), tooltip=tooltip)
    return chart.properties(title=title, height=height)
