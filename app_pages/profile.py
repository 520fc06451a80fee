"""One zone, town or cluster: facts, inset map, indicators — every figure with its citation."""
from functools import partial

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import app, charts, filters, landuse, maps, present, profiles, slides

lang = app.lang()
points = app.points()
sector_names = app.sector_labels()

zone = str(st.query_params.get("zone", "")).strip()
if zone not in points.index:
    if zone:
        st.warning(filters.md_text(app.tr("profile_unknown", zone=zone[:80])), icon=":material/warning:")
    labels, ordered = app.entity_choices(lang, features_only=True)
    choice = st.selectbox(app.tr("profile_pick"), ("",) + ordered, key="p_pick",
                          format_func=lambda i: labels[i] if i else "—")
    if not choice:
        st.title(app.tr("page_profile"))
        st.info(app.tr("profile_hint"))
        st.stop()
    zone = choice
    app.sync_query_params({"zone": zone})

rec = points.loc[zone].to_dict()
st.title(filters.md_text(app.feature_name(rec)))  # names are data: shown as written, no Markdown of theirs
st.caption(f"{app.layer_label(rec['layer'])} · `{zone}`")
with st.expander(app.tr("x_deck_caption"), icon=":material/slideshow:"):
    present.deck_downloads("p_deck", partial(
        slides.profile_deck, zone, lang, points, app.layer("province"), app.indicators(), app.indicator_labels(),
        sector_names, app.product_glossary(), present.citer()), zone)

left, right = st.columns([1.4, 1], gap="large")
with left:
    facts = pd.DataFrame([(label, filters.md_text(value)) for label, value in profiles.facts(rec, lang, sector_names, app.product_glossary(), app.cite)],
                         columns=[app.tr("field"), app.tr("value")])  # st.table renders its cells as Markdown
    st.table(facts.set_index(app.tr("field")))
with right:
    geom = rec["geometry"]
    inset = maps.base_map(app.layer("province"), tiles="none",
                          fit=[[geom.y - 2.5, geom.x - 3.5], [geom.y + 2.5, geom.x + 3.5]])
    maps.add_provinces(inset, app.layer("province"))
    maps.add_points(inset, points.loc[[zone]], maps.tooltips(points.loc[[zone]], {rec["layer"]: app.layer_label(
        rec["layer"])}, sector_names, app.tr("year_not_given")), radius=8)
    maps.add_highlight(inset, rec, app.feature_name(rec))
    st_folium(inset, height=330, use_container_width=True, key="profile_inset", returned_objects=[])
    st.page_link("app_pages/compare.py", label=app.tr("compare_with"), icon=":material/compare_arrows:",
                 query_params={"compare": zone, **({"lang": lang} if lang != "en" else {})})
    st.page_link("app_pages/map.py", label=app.tr("show_on_map"), icon=":material/map:",
                 query_params={"zone": zone, **({"lang": lang} if lang != "en" else {})})
    if any(zone in a.features for a in app.flowchart_data()[1].values()):  # Kuchiki's flowchart (issue 16)
        st.page_link("app_pages/flowchart.py", label=app.tr("fc_cluster_link"), icon=":material/account_tree:",
                     query_params={"cluster": zone, **({"lang": lang} if lang != "en" else {})})

every_row = profiles.feature_indicators(zone, app.indicators())
land_rows = every_row[every_row["indicator"].isin(landuse.LAND_KEYS)]
status = rec.get("land_status") or ""
if status or not land_rows.empty:
    st.subheader(app.tr("land_title"))
    if status == landuse.WITHHELD:
        st.warning(app.tr("land_withheld"), icon=":material/block:")
    elif status == landuse.AT_CENTRE:
        st.info(app.tr("land_at_centre"), icon=":material/location_city:")
    if not land_rows.empty:
        local = app.localised_indicators(land_rows)
        built = local[local["indicator"] == landuse.BUILT_KEY]
        if not built.empty:
            series = landuse.with_phase(built.assign(year=pd.to_numeric(built["year"])), rec.get("year"))
            st.altair_chart(charts.built_up_chart(series, rec.get("year"), lang), width="stretch")
        st.markdown(f"**{app.tr('land_other')}**")
        st.dataframe(charts.table(local, lang), hide_index=True, width="stretch")
        st.caption(app.tr("land_descriptive"))

st.subheader(app.tr("indicators"))
rows = app.localised_indicators(every_row[~every_row["indicator"].isin(landuse.LAND_KEYS)])
rows["entity"] = app.feature_name(rec)
if rows.empty:
    st.info(app.tr("no_indicators"))
for title, grp in charts.indicator_groups(rows):
    st.altair_chart(charts.indicator_chart(grp, title, entity_col="entity", lang=lang), width="stretch")
    st.dataframe(charts.table(grp, lang), hide_index=True, width="stretch")
