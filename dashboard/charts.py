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


def shown_years(table: pd.DataFrame, column: str = "year", missing: str = "—") -> pd.DataFrame:
    """A table as shown on screen: a missing year reads as a dash, not "None" (downloads keep it empty)."""
    out = table.copy()
    out[column] = [missing if pd.isna(y) else str(int(y)) for y in out[column]]
    return out


def table(rows: pd.DataFrame, lang: str, columns: list[str] = TABLE_COLUMNS) -> pd.DataFrame:
    """Localised rows with translated column headers, for st.dataframe (a missing year as a dash)."""
    shown = shown_years(rows[columns]) if "year" in columns else rows[columns]
    return shown.rename(columns={c: t(f"col_{c}", lang) for c in columns})


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


# ---------------------------------------------------------------- land use around zones (issue 14)

PHASE_COLOURS = {"before": "#999999", "after": "#D55E00"}


def built_up_chart(series: pd.DataFrame, approval_year, lang: str = "en", height: int = 300) -> alt.Chart:
    """Built-up surface within 5 km by snapshot year (km²), the approval year as a rule, snapshots coloured
    before / after designation. `series`: year, value, phase, flag (words), source (readable)."""
    data = series.copy()
    data["phase_text"] = [t(f"land_{p}", lang) if p else "" for p in data["phase"]]
    data["flag"] = data["flag"].fillna("").replace("", t("flag_none", lang))
    tooltip = [alt.Tooltip("year:Q", format="d", title=t("col_year", lang)),
               alt.Tooltip("value:Q", format=",.3f", title="km²"),
               alt.Tooltip("phase_text:N", title=t("land_phase", lang)),
               alt.Tooltip("flag:N", title=t("col_flag", lang)), alt.Tooltip("source:N", title=t("col_source", lang))]
    x = alt.X("year:Q", title=t("col_year", lang), axis=alt.Axis(format="d", values=[1990, 2000, 2010, 2015, 2020]),
              scale=alt.Scale(domain=[1979, 2021]))
    y = alt.Y("value:Q", title=t("unit_km2_built", lang), scale=alt.Scale(zero=True))
    phases = [p for p in ("before", "after") if p in set(data["phase"])]
    line = alt.Chart(data).mark_line(color="#555").encode(x=x, y=y)
    points = alt.Chart(data).mark_point(filled=True, size=90).encode(
        x=x, y=y, tooltip=tooltip,
        color=alt.Color("phase_text:N", title=t("land_phase", lang),
                        scale=alt.Scale(domain=[t(f"land_{p}", lang) for p in phases],
                                        range=[PHASE_COLOURS[p] for p in phases]),
                        legend=alt.Legend(orient="right")))
    layers = [line, points]
    if approval_year is not None and not pd.isna(approval_year):
        mark = pd.DataFrame({"year": [int(approval_year)], "label": [t("land_approval", lang, year=int(approval_year))]})
        layers.append(alt.Chart(mark).mark_rule(color="#D55E00", strokeDash=[5, 3], size=2).encode(x="year:Q"))
        layers.append(alt.Chart(mark).mark_text(align="left", dx=4, dy=-4, color="#D55E00", fontSize=12).encode(
            x="year:Q", y=alt.value(12), text="label:N"))
    return alt.layer(*layers).properties(title=t("land_built_chart", lang), height=height)


def designation_chart(aligned: pd.DataFrame, lang: str = "en", height: int = 360,
                      axis: str = "designation") -> alt.Chart:
    """Built-up surface within 5 km of 2–4 zones on one axis: years since each zone's approval (0 = approval
    year), or (`axis="calendar"`) the calendar year. `aligned`: entity (label), years_since, year, value,
    flag (words), source (readable)."""
    data = aligned.copy()
    data["flag"] = data["flag"].fillna("").replace("", t("flag_none", lang))
    entity = t("col_entity", lang)
    tooltip = [alt.Tooltip("entity:N", title=entity), alt.Tooltip("years_since:Q", title=t("align_axis", lang)),
               alt.Tooltip("year:Q", format="d", title=t("col_year", lang)),
               alt.Tooltip("value:Q", format=",.3f", title="km²"), alt.Tooltip("flag:N", title=t("col_flag", lang)),
               alt.Tooltip("source:N", title=t("col_source", lang))]
    calendar = axis == "calendar"
    x = (alt.X("year:Q", title=t("col_year", lang), axis=alt.Axis(format="d"), scale=alt.Scale(zero=False))
         if calendar else alt.X("years_since:Q", title=t("align_axis", lang)))
    y = alt.Y("value:Q", title=t("unit_km2_built", lang), scale=alt.Scale(zero=True))
    colour = alt.Color("entity:N", title=entity, scale=alt.Scale(range=ENTITY_COLOURS),
                       legend=alt.Legend(orient="right", labelLimit=300))
    base = alt.Chart(data).encode(x=x, y=y, color=colour, tooltip=tooltip)
    flags = sorted(set(data["flag"]))
    lines = base.mark_line() + base.mark_point(filled=True, size=70).encode(
        shape=alt.Shape("flag:N", title=t("col_flag", lang), scale=alt.Scale(domain=flags, range=FLAG_SHAPES[:len(flags)]),
                        legend=alt.Legend(orient="right", labelLimit=300)))
    if calendar:
        return lines.properties(title=t("land_built_calendar", lang), height=height)
    zero = alt.Chart(pd.DataFrame({"x": [0], "label": [t("align_zero", lang)]}))
    rule = zero.mark_rule(color="#D55E00", strokeDash=[5, 3], size=2).encode(x="x:Q")
    text = zero.mark_text(align="left", dx=4, dy=-4, color="#D55E00").encode(x="x:Q", y=alt.value(12), text="label:N")
    return alt.layer(lines, rule, text).properties(title=t("align_title", lang), height=height)
