"""Map explorer: layers, filters, choropleth, click -> profile, result table, shareable URL."""
from functools import partial

import streamlit as st

from dashboard import app, charts, exports, filters, maps, mapview, present, profiles, slides
from dashboard.filters import MapState
from dashboard.layers import POINT_LAYER_IDS, PROVINCIAL_LAYER_IDS, region_label

lang = app.lang()
points = app.points()
regions = app.table("regions")
sector_names = app.sector_labels()
provinces_gdf = app.layer("province")
province_names = sorted(points["province_en"].unique())
province_zh = dict(zip(regions["province_en"], regions["province_zh"]))

# -- URL -> widgets (on first visit, or when the address changed under us)
query = {k: st.query_params[k] for k in st.query_params if k not in ("lang", "present")}
if st.session_state.get("map_synced_query") != query:
    state, notices = filters.parse_query(query, filters.vocab_from(points, regions, list(sector_names)), lang)
    st.session_state["map_notices"] = notices
    for lid in POINT_LAYER_IDS:
        st.session_state[f"m_layer_{lid}"] = lid in state.layers
    st.session_state.update({
        "m_province": list(state.provinces), "m_region": list(state.regions), "m_coastal": state.coastal,
        "m_years": (state.year_min, state.year_max), "m_sector": list(state.sectors), "m_q": state.q,
        "m_paper": state.paper, "m_choropleth": state.choropleth, "m_tiles": state.tiles, "m_table": state.table,
        "m_zone": state.zone, "m_focus": state.zone})  # a zone named by the link: open the map on it

# -- the state the widgets hold (they are drawn further down, once the map has drawn)
ss = st.session_state
default = filters.DEFAULT
state = MapState(
    layers=tuple(lid for lid in POINT_LAYER_IDS if ss.get(f"m_layer_{lid}", lid in default.layers)),
    provinces=tuple(ss.get("m_province", default.provinces)), regions=tuple(ss.get("m_region", default.regions)),
    coastal=ss.get("m_coastal", default.coastal), year_min=int(ss.get("m_years", (default.year_min,))[0]),
    year_max=int(ss.get("m_years", (0, default.year_max))[1]), sectors=tuple(ss.get("m_sector", default.sectors)),
    q=ss.get("m_q", default.q).strip(), zone=ss.get("m_zone", default.zone), paper=ss.get("m_paper", default.paper),
    choropleth=ss.get("m_choropleth", default.choropleth), tiles=ss.get("m_tiles", default.tiles),
    table=bool(ss.get("m_table", default.table)))
uploaded = app.uploaded_indicators()
colour_options = [""] + sorted(uploaded["indicator"].unique()) if not uploaded.empty else [""]
colour_by = ss.get("m_colour_by", "") if ss.get("m_colour_by", "") in colour_options else ""
area_level = app.uploaded_area_indicators().get(colour_by) if colour_by else None  # provinces / prefectures

selected = filters.apply_filters(points, state, app.search_text(), columns=mapview.SELECTION_COLUMNS)
counts = filters.counts_by_layer(selected)

# -- header and notices: the notices sit in one container, so that the map below keeps its place in the
# page whatever they are (a map that moves is remounted by Streamlit, i.e. reloaded)
st.title(app.tr("map_title"))
st.markdown(app.tr("matching", n=len(selected)) + " — "
            + " · ".join(f"{app.layer_short(lid)} **{counts[lid]:,}**" for lid in state.layers))
with st.container():
    for notice in ss.get("map_notices", []):
        st.warning(app.tr("url_notice", detail=notice), icon=":material/warning:")
    hidden = filters.hidden_without_year(points, state, app.search_text())
    if hidden:
        st.caption(app.tr("year_hidden", n=hidden))
    if selected.empty:
        st.info(app.tr("no_match"))

# -- map: drawn once per page load, then only what changed is sent (dashboard/mapview.py)
col_map, col_profile = st.columns([2.6, 1], gap="medium")
with col_map:
    zone_rec = points.loc[state.zone].to_dict() if state.zone in points.index else None
    focus = zone_rec is not None and ss.get("m_focus") == state.zone
    fit = bool(state.provinces or state.regions or state.q) and not focus
    view = mapview.explorer_view(
        selected, points.index.get_indexer(selected.index), app.map_point_keys(), provinces_gdf,
        state.choropleth, state.tiles, state.layers, {lid: app.layer_short(lid) for lid in POINT_LAYER_IDS},
        {k: app.tr(k) for k in ("legend_title", "choropleth_caption_count", "choropleth_caption_density",
                                "legend_levels")},
        zone_rec, app.feature_name(zone_rec) if zone_rec else "",
        fit_key="|".join([",".join(state.provinces), ",".join(state.regions), state.q]) if fit else None,
        focus=(zone_rec["geometry"].y, zone_rec["geometry"].x, 8, state.zone) if focus else None,
        values=maps.latest_values(uploaded, colour_by).rename(colour_by) if colour_by and not area_level else None,
        areas=app.area_choropleth(colour_by, area_level, "name_zh" if lang == "zh" else "name_en") if area_level else None)
    # The filters, the table and the downloads are drawn once this browser has drawn the map (it reports it):
    # their widgets' scripts are ~40 files the browser would otherwise load before the map's.
    controls = ss.get("m_controls", False)
    out = app.atlas_map(view, height=620, key="atlas_map", report_drawn=not controls)
    if out is not None:
        ss["m_controls"] = controls = True
    click = out if isinstance(out, dict) else {}
    pos = click.get("pos")
    if isinstance(pos, int) and 0 <= pos < len(points) and click != ss.get("m_click"):  # a new click
        ss["m_click"] = click
        clicked = points.index[pos]
        if clicked != ss.get("m_zone"):
            ss["m_zone"] = clicked
            st.rerun()  # redraw with the selection ring and the profile

# -- profile panel
with col_profile:
    if state.zone and state.zone in points.index:
        rec = points.loc[state.zone].to_dict()
        st.subheader(app.feature_name(rec))
        for label, value in profiles.facts(rec, lang, sector_names, app.product_glossary(), app.cite):
            st.markdown(f"**{label}:** {maps.md_escape(value)}")
        st.page_link("app_pages/profile.py", label=app.tr("open_profile"), icon=":material/description:",
                     query_params={"zone": state.zone, **({"lang": lang} if lang != "en" else {})})
        if st.button(app.tr("clear_selection"), key="m_clear"):
            ss["m_zone"] = ""
            st.rerun()
    else:
        st.info(app.tr("click_hint"))

# -- the controls, drawn once the map has drawn (see above)
def _toggle_provincial():
    for lid in PROVINCIAL_LAYER_IDS:
        st.session_state[f"m_layer_{lid}"] = st.session_state["m_group_prov"]


def draw_filters():
    """The layer boxes and filters, in the sidebar."""
    with st.sidebar:
        st.subheader(app.tr("layers"))
        all_counts = filters.counts_by_layer(points)
        # provincial zones: one box for the group (on when all three types are), then each type
        ss["m_group_prov"] = all(ss.get(f"m_layer_{lid}", True) for lid in PROVINCIAL_LAYER_IDS)
        for lid in POINT_LAYER_IDS:
            if lid == PROVINCIAL_LAYER_IDS[0]:
                st.checkbox(f"**{app.tr('prov_group')}** ({sum(all_counts[x] for x in PROVINCIAL_LAYER_IDS):,})",
                            key="m_group_prov", on_change=_toggle_provincial)
            indent = "\u2003" if lid in PROVINCIAL_LAYER_IDS else ""
            st.checkbox(f"{indent}{app.layer_label(lid)} ({all_counts[lid]:,})", key=f"m_layer_{lid}")
        st.subheader(app.tr("filters"))
        st.text_input(app.tr("search"), key="m_q", max_chars=filters.MAX_QUERY_LEN)
        st.multiselect(app.tr("province"), province_names, placeholder=app.tr("choose"), key="m_province",
                       format_func=lambda p: province_zh.get(p, p) if lang == "zh" else p)
        st.multiselect(app.tr("region"), list(filters.REGION_KEYS), placeholder=app.tr("choose"), key="m_region",
                       format_func=lambda r: region_label(filters.REGION_KEYS[r], lang))
        st.radio(app.tr("coastal"), ["all", "coastal", "inland"], key="m_coastal", horizontal=True,
                 format_func=lambda v: app.tr(f"coastal_{v}"))
        st.slider(app.tr("years"), filters.YEAR_MIN, filters.YEAR_MAX, key="m_years")
        st.multiselect(app.tr("sector"), list(sector_names), placeholder=app.tr("choose"), key="m_sector", format_func=sector_names.get)
        st.radio(app.tr("paper_mode"), list(filters.PAPER_MODES), key="m_paper",
                 format_func=lambda v: app.tr(f"paper_{v}"))
        # how the map looks, not what it selects: behind a button (its widgets are drawn only when it opens)
        with st.popover(app.tr("map_display"), icon=":material/tune:", width="stretch"):
            st.radio(app.tr("choropleth"), list(filters.CHOROPLETH_MODES), key="m_choropleth", horizontal=True,
                     format_func=lambda v: app.tr(f"choropleth_{v}"))
            st.radio(app.tr("tiles"), list(filters.TILE_MODES), key="m_tiles",
                     format_func=lambda v: app.tr(f"tiles_{v}"))
        if not uploaded.empty:  # the user's own indicators: in sight, not behind the button
            st.selectbox(app.tr("colour_by"), colour_options, key="m_colour_by",
                         format_func=lambda v: v or app.tr("colour_by_none"))
            if area_level:
                st.caption(app.tr("area_colour_hint"))


def draw_results():
    """The result table and downloads. The table is shown on demand: its grid is the heaviest thing a browser
    loads for this page; it lists the first rows (a filter change sends it again). The downloads, made only
    when clicked, hold every selected feature; they sit behind one button (drawn only when it opens)."""
    st.subheader(app.tr("results"))
    references, lang_now = app.references(), lang
    cite = lambda text: references.short(text, lang_now)  # noqa: E731 - also called outside the run (downloads)
    slide = partial(
        slides.map_slide, provinces=provinces_gdf, layers=state.layers, title=app.tr("map_title"),
        source=slides.layers_source_line(app.manifest(), state.layers), lang=lang,
        filters_text=slides.filters_text(filters.to_query(state), lang, sector_names),
        highlight=(zone_rec["geometry"].x, zone_rec["geometry"].y, app.feature_name(zone_rec)) if zone_rec else None)
    row = st.container(horizontal=True, vertical_alignment="center")
    row.toggle(app.tr("show_table", n=len(selected)), key="m_table")
    with row.popover(app.tr("downloads"), icon=":material/download:"):
        st.download_button(app.tr("download_csv"),
                           lambda: exports.to_csv_bytes(exports.result_table(points.loc[selected.index], lang_now,
                                                                             sector_names, cite)),
                           file_name="atlas-selection.csv", on_click="ignore", mime="text/csv", key="m_dl_csv")
        st.download_button(app.tr("download_geojson"), lambda: exports.to_geojson_bytes(points.loc[selected.index]),
                           file_name="atlas-selection.geojson", on_click="ignore", mime="application/geo+json",
                           key="m_dl_geojson")
        st.caption(app.tr("x_export_caption"))
        # the selection's every column is taken only when a slide is asked for (it costs ~50 ms a run at 10x)
        present.image_downloads("m_slide", lambda: slide(points.loc[selected.index]), app.tr("map_title"))
    row.caption(app.tr("share_link"))
    if state.table:
        table = exports.result_table(points.loc[selected.index[:exports.TABLE_ROWS]], lang, sector_names, cite)
        if len(selected) > exports.TABLE_ROWS:
            st.caption(app.tr("table_first_rows", shown=exports.TABLE_ROWS, n=len(selected)))
        st.dataframe(exports.shown_rows(charts.shown_years(table)), width="stretch", hide_index=True, height=320,
                     column_config={c: app.tr(f"col_{c}") for c in table.columns})  # downloads keep the machine names


if controls:
    draw_filters()
    draw_results()
else:  # the first run of a page load: the map reports when it has drawn, and the next run draws them
    st.sidebar.caption(app.tr("controls_after_map"))

# -- widgets -> URL
params = filters.to_query(state)
app.sync_query_params(params)
ss["map_synced_query"] = params
