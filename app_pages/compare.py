"""Two to four zones, clusters, provinces or regions side by side, same axes, aligned facts."""
from functools import partial

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import app, charts, compare, filters, landuse, maps, present, slides

lang = app.lang()
points = app.points()
provinces = app.layer("province")
sector_names = app.sector_labels()
labels, choices = app.entity_choices(lang)  # every feature, province and region, named and ordered


def label(eid: str) -> str:
    return labels.get(eid, eid)


# -- URL -> widget
query = st.query_params.get("compare", "")
align_query = st.query_params.get("align", "")
if st.session_state.get("c_synced") != query or st.session_state.get("c_align_synced") != align_query:
    ids, notices = compare.parse_compare(query, labels.keys(), app.lang())
    align, align_notices = compare.parse_align(align_query, app.lang())
    st.session_state["c_ids"] = ids
    st.session_state["c_align"] = align
    st.session_state["c_notices"] = notices + align_notices
    st.session_state["c_synced"] = query
    st.session_state["c_align_synced"] = align_query

st.title(app.tr("compare_title"))
for notice in st.session_state.get("c_notices", []):
    st.warning(app.tr("url_notice", detail=notice), icon=":material/warning:")
st.multiselect(app.tr("compare_pick"), choices, placeholder=app.tr("choose"), key="c_ids",
               max_selections=compare.MAX_ITEMS, format_func=label)
ids = list(st.session_state["c_ids"])
synced = ",".join(ids)
align = st.session_state.get("c_align", "calendar")
app.sync_query_params(({"compare": synced} if ids else {}) | ({"align": align} if align != "calendar" else {}))
st.session_state["c_synced"] = synced
st.session_state["c_align_synced"] = align if align != "calendar" else ""

if len(ids) < compare.MIN_ITEMS:
    st.info(app.tr("compare_hint"))
    st.stop()

st.caption(app.tr("x_deck_caption"))
present.deck_downloads("c_deck", partial(
    slides.compare_deck, ids, lang, points, provinces, app.indicators(), app.indicator_labels(), sector_names,
    app.product_glossary(), present.citer()), "compare-" + "-".join(ids))

areas = [i for i in ids if compare.is_area(i)]
features = [i for i in ids if not compare.is_area(i)]
shared = app.localised_indicators(compare.shared_indicators(app.indicators(), ids))
shared["entity"] = shared["entity_id"].map(label)
latest, latest_sources = compare.latest_values(shared, lang)


def facts_table(table: pd.DataFrame) -> None:
    """Facts side by side, the latest shared indicator values below them; rows that differ highlighted.
    st.table wraps long cells; its cells are Markdown, so data is escaped."""
    cols = list(table.columns)
    values = latest.reindex(columns=cols).dropna(how="all").astype(object).fillna(compare.DASH) if not latest.empty else None
    full = pd.concat([table, values]) if values is not None and len(values) else table
    diff = compare.differing_rows(full).tolist()
    shown = full.map(filters.md_text)
    shown.columns = [filters.md_text(label(c)) for c in cols]
    shown.index = [filters.md_text(i) for i in shown.index]
    st.table(shown.style.apply(lambda col: [compare.HIGHLIGHT if d else "" for d in diff], axis=0))


def provenance(table: pd.DataFrame | None, cols: list[str]) -> None:
    """Where each fact and value comes from, behind an expander."""
    parts = [table] if table is not None and len(table) else []
    if not latest_sources.empty:
        cited = latest_sources.reindex(columns=cols).dropna(how="all")
        if len(cited):
            parts.append(cited.map(lambda s: app.cite(s) if isinstance(s, str) and s else compare.DASH))
    if not parts:
        return
    with st.expander(app.tr("compare_provenance")):
        full = pd.concat(parts).astype(object).fillna(compare.DASH)
        shown = full.map(filters.md_text)
        shown.columns = [filters.md_text(label(c)) for c in full.columns]
        shown.index = [filters.md_text(i) for i in shown.index]
        st.table(shown)


# -- facts that matter first, differences highlighted; provenance behind an expander
if features:
    facts, prov = compare.feature_comparison(points, features, lang, sector_names, app.product_glossary(), app.cite)
    st.subheader(app.tr("compare_facts"))
    facts_table(facts)
    st.caption(app.tr("compare_diff_note"))
    provenance(prov, features)
    assessed = [f for f in features if any(f in a.features for a in app.flowchart_data()[1].values())]
    if len(assessed) >= 2:  # Kuchiki's flowcharts of two of them, side by side (issue 16)
        st.page_link("app_pages/flowchart.py", label=app.tr("fc_compare_flows"), icon=":material/account_tree:",
                     query_params={"view": "compare", "compare_flow": ",".join(assessed[:2]),
                                   **({"lang": lang} if lang != "en" else {})})
if areas:
    st.subheader(app.tr("compare_areas"))
    facts_table(compare.area_comparison(points, provinces, areas, lang, sector_names))
    st.caption(app.tr("compare_area_note"))
    provenance(None, areas)
    growth = compare.establishment(points, areas)
    growth["entity"] = growth["entity_id"].map(label)
    st.altair_chart(alt.Chart(growth).mark_line().encode(
        x=alt.X("year:O", title=app.tr("f_year")), y=alt.Y("value:Q", title=app.tr("compare_cumulative")),
        color=alt.Color("entity:N", title=None), tooltip=["entity", "year", "value"]).properties(
        title=app.tr("compare_growth"), height=280), width="stretch")

# -- built-up surface around the zones: calendar years or years since designation
every = app.indicators()
if features:
    aligned = landuse.align_on_designation(every, points, features)
    if not aligned.empty:
        st.subheader(app.tr("land_compare"))
        st.radio(app.tr("align_mode"), list(compare.ALIGN_MODES), key="c_align", horizontal=True,
                 format_func=lambda v: app.tr(f"align_{v}"))
        rows = every[(every["indicator"] == landuse.BUILT_KEY) & every["entity_id"].isin(features)]
        local = app.localised_indicators(rows)[["entity_id", "year", "flag", "source"]]
        aligned = aligned.drop(columns=["flag"]).merge(local.assign(year=local["year"].astype(int)),
                                                       on=["entity_id", "year"], how="left")
        aligned["entity"] = aligned["entity_id"].map(label)
        st.altair_chart(charts.designation_chart(aligned, lang, axis=st.session_state["c_align"]), width="stretch")
        missing = [label(f) for f in features if f not in set(aligned["entity_id"])]
        if missing:
            st.caption(app.tr("align_missing", names="; ".join(missing)))
        st.caption(app.tr("land_descriptive"))

# -- shared indicators on the same axes
st.subheader(app.tr("indicators"))
shared = shared[shared["indicator"] != landuse.BUILT_KEY]  # drawn above, on either time axis
if shared.empty:
    st.info(app.tr("compare_no_shared"))
else:
    for title, grp in charts.indicator_groups(shared):
        st.altair_chart(charts.indicator_chart(grp, title, entity_col="entity", lang=lang), width="stretch")
        with st.expander(app.tr("compare_rows", indicator=title)):
            st.dataframe(charts.table(grp, lang, ["entity"] + charts.TABLE_COLUMNS), hide_index=True,
                         width="stretch")

# -- a small map of the selection
shown = pd.concat([points[points["id"].isin(features)]] + [compare.members(points, a) for a in areas])
shown = shown[~shown.index.duplicated()]
small = maps.base_map(provinces, tiles="none", fit=maps.points_bounds(shown if len(shown) else points, pad=1.0))
maps.add_provinces(small, provinces)
if len(shown):
    maps.add_points(small, shown, maps.tooltips(shown, {l: app.layer_label(l) for l in shown["layer"].unique()},
                                                sector_names, app.tr("year_not_given")))
st_folium(small, height=380, use_container_width=True, key="compare_map", returned_objects=[])
