"""Altair charts of indicator rows. Every mark's tooltip carries its source and footnote flag."""
from __future__ import annotations

import altair as alt
import pandas as pd

from .i18n import flag_text, t, unit_display

# Okabe-Ito, colour-blind safe; yellow last (weak on white)
ENTITY_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
FLAG_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-right",
               "triangle-left", "stroke", "wedge"]
TABLE_COLUMNS = ["label", "year", "value", "unit", "printed", "flag", "source", "note"]


def localise(rows: pd.DataFrame, lang: str, labels: dict[str, str], cite=None) -> pd.DataFrame:
    """Indicator rows ready to show in `lang`: a readable label, the value in the language's units
    (亿元 / 万人 in Chinese, billion / thousand in English), the value as the source printed it, flags in words,
    and (with `cite`, text -> short reference) the source as a readable reference."""
    out = rows.copy()
    if cite is not None:
        out["source"] = [cite(s) for s in out["source"]]
    out["chart_year"] = [actual_year(y, f) for y, f in zip(out["year"], out["flag"].fillna(""))]
    shown = [unit_display(u, lang) for u in out["unit"].fillna("")]
    out["printed"] = [f"{v:,.10g} {u}".strip() if pd.notna(v) else "—" for v, u in zip(out["value"], out["unit"])]
    out["value"] = (out["value"] * [factor for _, factor in shown]).round(10)
    out["unit"] = [label for label, _ in shown]
    out["label"] = [labels.get(k) or k.replace("_", " ") for k in out["indicator"]]
    out["flag"] = [flag_text(f, lang) for f in out["flag"].fillna("")]
    return out


def actual_year(year, flag: str):
    """The year a value is for: a footnote such as `year_substituted:1979` (a 1979 figure printed in the
    table's 1978 row) moves it on the chart's time axis; tables keep the printed row year beside the flag."""
    for item in str(flag or "").split(";"):
        name, _, detail = item.strip().partition(":")
        if name == "year_substituted" and detail.isdigit():
            return int(detail)
    return year


def table(rows: pd.DataFrame, lang: str, columns: list[str] = TABLE_COLUMNS) -> pd.DataFrame:
    """Localised rows with translated column headers, for st.dataframe."""
    return rows[columns].rename(columns={c: t(f"col_{c}", lang) for c in columns})


def indicator_groups(rows: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Localised indicator rows grouped by (indicator, unit): one chart per group, titled "label (unit)"."""
    return [(f"{grp['label'].iloc[0]} ({unit})" if unit else grp["label"].iloc[0], grp)
            for (_, unit), grp in rows.groupby(["indicator", "unit"], sort=True)]


def is_series(grp: pd.DataFrame, entity_col: str = "entity_id") -> bool:
    """A time series: at least two distinct years for some entity."""
    years = grp.dropna(subset=["year"]).groupby(entity_col)["year"].nunique()
    return bool(len(years)) and int(years.max()) >= 2


def indicator_chart(grp: pd.DataFrame, title: str, entity_col: str = "entity_id", lang: str = "en",
                    height: int = 260, legend_orient: str = "right") -> alt.Chart:
    """Lines for time series (same axes for every entity), bars otherwise; flagged values marked.

    `grp` is one group of localised rows (see `localise`); every mark's tooltip cites its source."""
    data = grp.copy()
    no_flag = t("flag_none", lang)
    data["flag"] = data["flag"].fillna("").replace("", no_flag)
    if "chart_year" not in data:
        data["chart_year"] = data["year"]
    data["year"] = pd.to_numeric(data["chart_year"]).astype("Int64")
    printed_year = grp["year"].astype("string").fillna("")
    data["year_str"] = [f"{y} ({t('printed_row', lang, year=p)})" if p and str(y) != p else p
                        for y, p in zip(data["year"].astype("string").fillna(""), printed_year)]
    entity_label = t("col_entity", lang)
    tooltip = [alt.Tooltip(f"{entity_col}:N", title=entity_label),
               alt.Tooltip("year_str:N", title=t("col_year", lang)),
               alt.Tooltip("value:Q", format=",.4~g", title=t("col_value", lang)),
               alt.Tooltip("unit:N", title=t("col_unit", lang)), alt.Tooltip("printed:N", title=t("col_printed", lang)),
               alt.Tooltip("flag:N", title=t("col_flag", lang)), alt.Tooltip("source:N", title=t("col_source", lang)),
               alt.Tooltip("note:N", title=t("col_note", lang))]
    unit = data["unit"].iloc[0]
    colour = alt.Color(f"{entity_col}:N", title=entity_label, scale=alt.Scale(range=ENTITY_COLOURS),
                       legend=alt.Legend(labelLimit=300, orient=legend_orient))
    if is_series(data, entity_col):
        # a quantitative year axis keeps the real spacing of the years (1978, 1990, 2000, 2006 …)
        base = alt.Chart(data).encode(
            x=alt.X("year:Q", title=t("col_year", lang), axis=alt.Axis(format="d"), scale=alt.Scale(zero=False)),
            y=alt.Y("value:Q", title=unit), color=colour, tooltip=tooltip)
        # plain circles for values as printed; every footnote gets a shape of its own
        flags = [no_flag] + sorted(set(data.loc[data["value"].notna(), "flag"]) - {no_flag})
        chart = base.mark_line() + base.mark_point(filled=True, size=80).encode(
            shape=alt.Shape("flag:N", title=t("col_flag", lang), legend=alt.Legend(labelLimit=300, orient=legend_orient),
                            scale=alt.Scale(domain=flags, range=FLAG_SHAPES[:len(flags)])))
        # Streamlit fits the chart, legends included, into `height`: leave room for both legends
        height = max(height, 130 + 30 * (data[entity_col].nunique() + data["flag"].nunique()))
    else:
        x_field = f"{entity_col}:N" if data[entity_col].nunique() > 1 else "year_str:N"
        chart = alt.Chart(data).mark_bar().encode(
            x=alt.X(x_field, title=None, sort=None, axis=alt.Axis(  # every bar keeps its label
                labelAngle=0 if data[x_field[:-2]].nunique() <= 4 else -35, labelOverlap=False, labelLimit=240)),
            y=alt.Y("value:Q", title=unit), color=colour.legend(None), tooltip=tooltip)
    return chart.properties(title=title, height=height)
