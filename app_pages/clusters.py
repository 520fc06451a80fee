"""Cluster explorer: Zhejiang specialised towns and other clusters by sector, type, prefecture and zone."""
import altair as alt
import streamlit as st
from streamlit_folium import st_folium

from dashboard import app, clusters, filters, maps
from dashboard.clusters import ClusterFilter

LIST_STEP = 30  # cards drawn at a time

lang = app.lang()
points = app.points()
sector_names = app.sector_labels()
glossary = app.product_glossary()
pts = clusters.cluster_points(points)
present_sectors = sorted({s for ss in pts["sectors"] for s in (ss or [])}, key=lambda k: sector_names.get(k, k))
type_options = clusters.type_values(pts)
prefectures = sorted(v for v in set(pts["prefecture_zh"].fillna("")) if v)


def split(name: str) -> list[str]:
    return [v for v in str(st.query_params.get(name, "")).split(",") if v]


# -- URL -> widgets
query = {k: st.query_params[k] for k in st.query_params if k not in ("lang", "present")}
if st.session_state.get("cl_synced") != query:
    notices = []
    for key, name, options in (("cl_sector", "sector", present_sectors), ("cl_type", "type", type_options),
                               ("cl_pref", "prefecture", prefectures), ("cl_zone", "zj_zone", list(clusters.ZJ_ZONES))):
        values = split(name)
        bad = [v for v in values if v not in options]
        if bad:
            notices.append(app.tr("n_unknown", name=name, values=filters.quoted(bad)))
        st.session_state[key] = [v for v in values if v in options]
    q = str(st.query_params.get("q", ""))
    if len(q) > 100:
        notices.append(app.tr("n_q_cut", n=100))
    st.session_state["cl_q"] = q[:100]
    st.session_state["cl_notices"] = notices

st.title(app.tr("clusters_title"))
for notice in st.session_state.get("cl_notices", []):
    st.warning(app.tr("url_notice", detail=notice), icon=":material/warning:")
c1, c2, c3, c4, c5 = st.columns([1.4, 1.4, 1, 1, 1.2])
c1.multiselect(app.tr("sector"), present_sectors, placeholder=app.tr("choose"), key="cl_sector", format_func=lambda k: sector_names.get(k, k))
c2.multiselect(app.tr("cluster_type"), type_options, placeholder=app.tr("choose"), key="cl_type",
               format_func=lambda k: app.cluster_type_label(k))
c3.multiselect(app.tr("prefecture"), prefectures, placeholder=app.tr("choose"), key="cl_pref")
c4.multiselect(app.tr("zj_zone"), list(clusters.ZJ_ZONES), placeholder=app.tr("choose"), key="cl_zone",
               format_func=lambda k: app.tr(f"zjzone_{k}"))
c5.text_input(app.tr("product_search"), key="cl_q", max_chars=100, placeholder=app.tr("product_search_hint"))

ss = st.session_state
flt = ClusterFilter(tuple(ss["cl_sector"]), tuple(ss["cl_type"]), tuple(ss["cl_pref"]), tuple(ss["cl_zone"]),
                    ss["cl_q"])
shown = clusters.apply(points, flt, glossary)
params = {k: ",".join(v) for k, v in (("sector", flt.sectors), ("type", flt.types), ("prefecture", flt.prefectures),
                                      ("zj_zone", flt.zj_zones)) if v}
if flt.q:
    params["q"] = flt.q
app.sync_query_params(params)
ss["cl_synced"] = params

st.markdown(app.tr("clusters_matching", n=len(shown), total=len(pts)))
if shown.empty:
    st.info(app.tr("no_match"))

left, right = st.columns([1.6, 1], gap="medium")
with left:
    colours = clusters.sector_colours(present_sectors)
    primary = clusters.primary_sector(shown)
    fmap = maps.base_map(app.layer("province"), tiles="none",
                         fit=maps.points_bounds(shown, pad=0.4) if len(shown) else [[27, 118], [31.2, 122.9]])
    maps.add_provinces(fmap, app.layer("province"))
    maps.add_outlines(fmap, app.layer("zj_county"))
    maps.add_points(fmap, shown, maps.tooltips(shown, {l: app.layer_label(l) for l in clusters.CLUSTER_LAYERS},
                                               sector_names, app.tr("year_not_given")),
                    point_colours=primary.map(lambda k: colours.get(k, "#000000")), clustered=False)
    legend = [(colours[k], sector_names.get(k, k), int((primary == k).sum())) for k in present_sectors
              if (primary == k).any()]
    st_folium(fmap, height=560, use_container_width=True, key="clusters_map", returned_objects=[])
    st.html(maps.legend_html(legend, app.tr("legend_sector"), inline=True))  # 20+ sectors: beside, not over, the map
with right:
    by_sector = clusters.per_sector(shown)
    if not by_sector.empty:
        by_sector["label"] = by_sector["sector"].map(lambda k: sector_names.get(k, k))
        by_sector["layer"] = by_sector["layer"].map(app.layer_short)
        st.altair_chart(alt.Chart(by_sector).mark_bar().encode(
            y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelOverlap=False, labelLimit=220)), x=alt.X("count:Q", title=app.tr("count"), axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color("layer:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=["label", "layer", "count"]).properties(title=app.tr("per_sector"),
                                                            height=alt.Step(20)),
            width="stretch")
        by_pref = clusters.per_prefecture(shown)
        st.altair_chart(alt.Chart(by_pref).mark_bar().encode(
            y=alt.Y("prefecture:N", sort="-x", title=None, axis=alt.Axis(labelOverlap=False)), x=alt.X("count:Q", title=app.tr("count"), axis=alt.Axis(tickMinStep=1, format="d")),
            tooltip=["prefecture", "count"]).properties(title=app.tr("per_prefecture"), height=alt.Step(20)),
            width="stretch")

st.subheader(app.tr("cluster_list"))
compare_ids = ss.setdefault("cl_compare", [])
if ss.get("cl_list_for") != params:  # a new selection starts with a short list (fewer elements to draw)
    ss["cl_list_for"], ss["cl_list_len"] = params, LIST_STEP
for rec in shown.sort_values(["layer", "prefecture_zh", "name_en"]).to_dict("records")[:ss["cl_list_len"]]:
    with st.container(border=True):
        a, b = st.columns([4, 1])
        a.markdown(f"**{maps.md_escape(app.feature_name(rec))}** · {maps.md_escape(app.layer_short(rec['layer']))}"
                   f" · {maps.md_escape(rec['city'] or rec['province_en'])}")
        products = app.products_text(rec, glossary)
        sectors = ", ".join(sector_names.get(s, s) for s in rec["sectors"] or [])
        a.markdown(f"{app.tr('f_products')}: {maps.md_escape(products or '—')} · {app.tr('f_sectors')}: "
                   f"{maps.md_escape(sectors or '—')}")
        a.caption(f"{app.tr('f_source')}: {maps.md_escape(app.cite(rec['source']))}")
        b.page_link("app_pages/profile.py", label=app.tr("page_profile"), icon=":material/description:",
                    query_params={"zone": rec["id"], **({"lang": lang} if lang != "en" else {})})
        if b.button(app.tr("add_compare"), key=f"cl_add_{rec['id']}", disabled=rec["id"] in compare_ids
                    or len(compare_ids) >= 4):
            compare_ids.append(rec["id"])
            st.rerun()
if len(shown) > ss["cl_list_len"]:
    if st.button(app.tr("list_more", shown=ss["cl_list_len"], n=len(shown)), key="cl_more"):
        ss["cl_list_len"] += LIST_STEP
        st.rerun()
if compare_ids:
    st.page_link("app_pages/compare.py", label=app.tr("compare_selected", n=len(compare_ids)),
                 icon=":material/compare_arrows:",
                 query_params={"compare": ",".join(compare_ids), **({"lang": lang} if lang != "en" else {})})
