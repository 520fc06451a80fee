"""Cumulative establishment 1979 -> 2018 by type, with the papers' milestones; a map at any year."""
import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import app, filters, maps, regions
from dashboard.layers import LAYERS, POINT_LAYER_IDS

lang = app.lang()
points = app.points()
provinces = app.layer("province")
sector_names = app.sector_labels()
milestones = app.table("milestones")

raw_year = str(st.query_params.get("year", "2018"))
notice = None
try:
    year = int(raw_year)
    if not 1979 <= year <= 2018:
        raise ValueError
except ValueError:
    notice, year = app.tr("n_year_outside", name="year", value=filters.quoted([raw_year]), lo=1979, hi=2018), 2018

st.title(app.tr("timeline_title"))
if notice:
    st.warning(app.tr("url_notice", detail=notice), icon=":material/warning:")

cum = regions.cumulative_by_year(points)
cum["type"] = cum["layer"].map(app.layer_short)
cum["level"] = cum["layer"].map(lambda l: app.tr(f"level_{LAYERS[l].level}"))
every_event = milestones.copy()
every_event["no"] = range(1, len(every_event) + 1)  # numbers on the chart, keyed to the milestone table below
every_event["event"] = every_event["event_zh" if lang == "zh" else "event_en"]
every_event["source"] = every_event["source"].map(app.cite)
events = every_event.assign(year=pd.to_numeric(every_event["year"], errors="coerce"))
events = events[events["year"].between(1979, 2018)]
lines = alt.Chart(cum).mark_line().encode(
    x=alt.X("year:Q", title=app.tr("f_year"), axis=alt.Axis(format="d")),
    y=alt.Y("count:Q", title=app.tr("compare_cumulative")),
    color=alt.Color("type:N", title=None, scale=alt.Scale(  # the map's layer colours
        domain=[app.layer_short(l) for l in regions.ZONE_LAYERS], range=[LAYERS[l].colour for l in regions.ZONE_LAYERS])),
    # provincial zones share their national counterpart's colour: dashed lines tell them apart
    strokeDash=alt.StrokeDash("level:N", title=app.tr("col_level"), scale=alt.Scale(
        domain=[app.tr("level_national"), app.tr("level_provincial")], range=[[1, 0], [6, 3]])),
    tooltip=["type", "level", "year", "count"])
rules = alt.Chart(events).mark_rule(color="#999", strokeDash=[3, 3]).encode(
    x="year:Q", tooltip=[alt.Tooltip("year:Q", format="d"), "event", "source"])
# one number per year at the top of the chart (years with several milestones list them all: "12–14")
numbers = events.groupby("year", as_index=False).agg(first=("no", "min"), last=("no", "max"), event=("event", "first"))
numbers["label"] = [f"{a}" if a == b else f"{a}–{b}" for a, b in zip(numbers["first"], numbers["last"])]
numbers["row"] = numbers.index % 2  # alternate two rows so neighbouring labels do not collide
labels = alt.Chart(numbers).mark_text(fontSize=11, color="#555", dy=-6).encode(
    x="year:Q", y=alt.Y("row:O", axis=None, scale=alt.Scale(range=[-14, -2])), text="label:N",
    tooltip=[alt.Tooltip("year:Q", format="d"), "event"])
st.altair_chart(alt.layer(lines, rules, labels).resolve_scale(y="independent").properties(
    height=360, title=app.tr("timeline_chart")), width="stretch")
st.caption(app.tr("timeline_note"))
st.caption(app.tr("timeline_levels"))

st.subheader(app.tr("paper_vs_catalogue"))
ind = app.indicators()
paper = ind[(ind["entity_id"] == "china") & (ind["indicator"] == "etdz_count")]
etdz = cum[cum["layer"] == "etdz"].set_index("year")["count"]
compare_rows = [{app.tr("f_year"): int(r["year"]), app.tr("paper_count"): r["value"],
                 app.tr("catalogue_count"): int(etdz.get(int(r["year"]), 0)), app.tr("f_source"): app.cite(r["source"]),
                 app.tr("f_note"): r["note"]} for r in paper.to_dict("records")]
st.dataframe(pd.DataFrame(compare_rows), hide_index=True, width="stretch")
st.caption(app.tr("paper_vs_catalogue_note"))

st.subheader(app.tr("map_at_year"))
year = st.slider(app.tr("f_year"), 1979, 2018, value=year, key="t_year")
app.sync_query_params({"year": str(year)} if year != 2018 else {})
existing = regions.existing_at(points, year)
counts = existing["layer"].value_counts()
by_level = existing["layer"].map(lambda l: LAYERS[l].level).value_counts()
st.markdown(app.tr("existing_at", year=year, n=len(existing)) + " ("
            + app.tr("by_level", national=int(by_level.get("national", 0)),
                     provincial=int(by_level.get("provincial", 0))) + ") — " + " · ".join(
    f"{app.layer_short(l)} **{int(counts.get(l, 0))}**" for l in regions.ZONE_LAYERS))
fmap = maps.explorer_map(existing, provinces, "off", "none", regions.ZONE_LAYERS,
                         {l: app.layer_short(l) for l in POINT_LAYER_IDS},
                         sector_names, {k: app.tr(k) for k in ("legend_title", "year_not_given",
                                                              "choropleth_caption_count", "choropleth_caption_density",
                                                              "legend_levels")},
                         tips=app.point_tooltips(lang))  # made once per language, not per run
st_folium(fmap, height=520, use_container_width=True, key="timeline_map", returned_objects=[])

st.subheader(app.tr("milestones"))
table = every_event[["no", "year", "event", "source", "note"]].rename(columns={"no": "№", "year": app.tr("f_year"), "event": app.tr("milestones"), "source": app.tr("f_source"), "note": app.tr("f_note")})
st.dataframe(table, hide_index=True, width="stretch")
