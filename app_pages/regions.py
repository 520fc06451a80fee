"""Provinces and the six regions: counts by type, approved area, sectors, density, choropleth, ranking."""
from functools import partial

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import app, filters, landuse, maps, present, regions, slides
from dashboard.layers import POINT_LAYER_IDS, REGION_IDS, region_label

lang = app.lang()
points = app.points()
provinces = app.layer("province")
sector_names = app.sector_labels()
prov = regions.with_built_growth(regions.province_table(points, provinces),
                                 landuse.province_built_growth(points, app.indicators()))
reg = regions.region_table(prov)
land_counts = {"shown": int((points["land_status"] == landuse.SHOWN).sum()),
               "centre": int((points["land_status"] == landuse.AT_CENTRE).sum()),
               "withheld": int((points["land_status"] == landuse.WITHHELD).sum())}

area_indicators = app.uploaded_area_indicators()  # this session's provincial / prefectural uploads
MEASURES = ["zones_total", "zones_national", "zones_provincial", "zones_per_10k_km2", "approved_area_km2",
            "built_growth_km2", "built_growth_pct"] + list(POINT_LAYER_IDS) \
    + [f"u:{name}" for name in area_indicators]


DECIMAL_MEASURES = ("zones_per_10k_km2", "built_growth_km2", "built_growth_pct")


def measure_label(m: str) -> str:
    if m.startswith("u:"):
        return app.tr("area_measure", name=m[2:])
    return app.layer_label(m) if m in POINT_LAYER_IDS else app.tr(f"m_{m}")


measure = str(st.query_params.get("measure", "zones_total"))
notice = None
if measure not in MEASURES:
    notice = app.tr("n_not_choice", name="measure", value=filters.quoted([measure]), choices=", ".join(MEASURES))
    measure = "zones_total"
st.title(app.tr("regions_title"))
if notice:
    st.warning(app.tr("url_notice", detail=notice), icon=":material/warning:")
measure = st.selectbox(app.tr("measure"), MEASURES, index=MEASURES.index(measure), format_func=measure_label,
                       key="r_measure")
app.sync_query_params({"measure": measure} if measure != "zones_total" else {})

name_col = "name_zh" if lang == "zh" else "name_en"
left, right = st.columns([1.5, 1], gap="medium")
user = measure[2:] if measure.startswith("u:") else None
with left:
    fmap = maps.base_map(provinces, tiles="none")
    if user:
        choropleth = app.area_choropleth(user, area_indicators[user], name_col)
        maps.add_value_choropleth(fmap, **choropleth)
        if area_indicators[user] != "province":
            maps.add_outlines(fmap, provinces, colour="#555555")
    else:
        maps.add_provinces(fmap, provinces, pd.to_numeric(prov[measure], errors="coerce").fillna(0.0).astype(float),
                           caption=measure_label(measure), name_col=name_col,
                           value_fmt="{:,.0f}" if measure not in DECIMAL_MEASURES else "{:,.2f}")
    st_folium(fmap, height=520, use_container_width=True, key="regions_map", returned_objects=[])
with right:
    if user:
        polys = choropleth["polygons"]
        ranked = pd.DataFrame({"id": polys["id"], "name": polys[name_col],
                               "value": polys["id"].map(choropleth["values"])}).dropna(subset=["value"])
    else:
        ranked = regions.rank_provinces(prov, measure)[["id", name_col, measure]].rename(
            columns={name_col: "name", measure: "value"})
        ranked["value"] = ranked["value"].astype(float)
    ranked = ranked.sort_values("value", ascending=False)
    ranked_title = app.tr("ranked_prefectures" if user and area_indicators[user] == "prefecture" else "ranked_provinces")
    st.altair_chart(alt.Chart(ranked).mark_bar().encode(
        y=alt.Y("name:N", sort="-x", title=None, axis=alt.Axis(labelOverlap=False, labelFontSize=10)),
        x=alt.X("value:Q", title=measure_label(measure)),
        tooltip=["name", alt.Tooltip("value:Q", title=measure_label(measure))]).properties(
        title=ranked_title, height=alt.Step(16)), width="stretch")
    if measure.startswith("built_growth"):
        st.caption(app.tr("land_descriptive") + " " + app.tr("growth_note"))
    st.caption(app.tr("x_export_caption"))
    source = (choropleth["subtitle"] if user
              else slides.layers_source_line(app.manifest(), regions.ZONE_LAYERS))
    present.image_downloads("r_slide", partial(
        slides.ranking_slide, list(ranked["name"]), list(ranked["value"]), measure_label(measure),
        ranked_title, source, lang,
        decimals=2 if measure in DECIMAL_MEASURES or user else 0), f"ranking-{measure.replace(':', '-')}")

st.subheader(app.tr("six_regions"))
region_names = {REGION_IDS[n]: region_label(n, lang) for n in REGION_IDS}
region_names.update({"region-coastal": app.tr("coastal_coastal"), "region-inland": app.tr("coastal_inland")})
shown = reg.rename(index=region_names)[["zones_total", "zones_national", "zones_provincial", "zones_per_10k_km2",
                                       "approved_area_km2"] + list(POINT_LAYER_IDS)]
shown.columns = [measure_label(c) for c in shown.columns]
st.dataframe(shown, width="stretch")
st.caption(app.tr("regions_note"))

st.subheader(app.tr("growth_title"))
st.info(app.tr("land_descriptive"), icon=":material/info:")
growth = regions.rank_provinces(prov, "built_growth_km2")[
    ["id", name_col, "zones_measured", "built_1990_km2", "built_2020_km2", "built_growth_km2", "built_growth_pct"]]
st.dataframe(growth, hide_index=True, width="stretch",
             column_config={c: app.tr(f"col_{c}") if c != name_col else app.tr("province") for c in growth.columns})
st.caption(app.tr("growth_note") + " " + app.tr("land_counts", **land_counts))

st.subheader(app.tr("province_table"))
table = prov.reset_index()[["id", "name_en", "name_zh", "region", "coastal", "zones_total", "zones_national",
                            "zones_provincial", "zones_per_10k_km2", "approved_area_km2", "top_sectors"]
                           + list(POINT_LAYER_IDS)].copy()
table["top_sectors"] = table["top_sectors"].map(lambda ks: ", ".join(sector_names.get(k, k) for k in ks))
table["region"] = table["region"].map(lambda r: region_label(r, lang))
for name, level in area_indicators.items():  # the session's provincial uploads, latest year, beside the counts
    if level == "province":
        table[f"u:{name}"] = table["id"].map(maps.latest_values(app.uploaded_indicators(), name))
st.dataframe(table, hide_index=True, width="stretch",
             column_config={c: measure_label(c) if c in MEASURES else app.tr(f"col_{c}") for c in table.columns})

st.subheader(app.tr("compare_regions"))
options = list(region_names) + list(prov.index)
labels = {**region_names, **dict(zip(prov.index, prov[name_col]))}
picked = st.multiselect(app.tr("compare_pick"), options, max_selections=4, format_func=labels.get, placeholder=app.tr("choose"), key="r_pick")
if len(picked) >= 2:
    st.page_link("app_pages/compare.py", label=app.tr("compare_selected", n=len(picked)),
                 icon=":material/compare_arrows:",
                 query_params={"compare": ",".join(picked), **({"lang": lang} if lang != "en" else {})})
