"""Presenter stories: step through a prepared story full-screen (?story=<id>&step=<n>)."""
from functools import partial

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import app, charts, compare, filters, maps, present, slides, stories
from dashboard.layers import POINT_LAYER_IDS
from dashboard.paths import STORIES_DIR

lang = app.lang()
points = app.points()
indicators = app.indicators()
sector_names = app.sector_labels()
vocab = stories.vocab_from_frames(points, indicators, sector_names)
infos = stories.list_stories(STORIES_DIR, vocab)
# a story is shown in large type without the sidebar unless ?present=0; ?present=1 (every page) also hides
# the app's chrome, which the frame does
if str(st.query_params.get("present", "1")) != "0" and not present.presenting():
    present.style(hide_chrome=False)

story_id = str(st.query_params.get("story", "")).strip()
by_id = {info.id: info for info in infos}
notice = None
if story_id and story_id not in by_id:
    notice, story_id = app.tr("n_no_story", value=filters.quoted([story_id])), ""

if not story_id:
    st.title(app.tr("stories_title"))
    if notice:
        st.warning(app.tr("url_notice", detail=notice), icon=":material/warning:")
    for info in infos:
        with st.container(border=True):
            st.subheader(info.title(lang))
            if info.ok:
                st.write(info.summary_zh if lang == "zh" else info.summary_en)
                st.page_link("app_pages/story.py", label=app.tr("story_start", n=info.n_steps),
                             icon=":material/slideshow:",
                             query_params={"story": info.id, "step": "1", **({"lang": lang} if lang != "en" else {})})
            else:
                st.error(app.tr("story_broken", file=info.path))
                st.code("\n".join(info.problems), language=None)
    st.stop()

try:
    story = stories.load_story(STORIES_DIR / f"{story_id}.yaml", vocab)
except stories.StoryError as err:
    st.error(app.tr("story_broken", file=f"stories/{story_id}.yaml"))
    st.code("\n".join(err.problems), language=None)
    st.stop()

n_steps = len(story.steps)
raw_step = str(st.query_params.get("step", "1"))
try:
    step_no = int(raw_step)
    if not 1 <= step_no <= n_steps:
        raise ValueError
except ValueError:
    notice, step_no = app.tr("n_not_step", value=filters.quoted([raw_step]), n=n_steps), 1
step = story.steps[step_no - 1]


def go(n: int) -> None:
    st.query_params["step"] = str(n)


st.caption(f"{story.title(lang)} · {app.tr('story_step', n=step_no, total=n_steps)}")
if notice:
    st.warning(app.tr("url_notice", detail=notice), icon=":material/warning:")
st.title(step.title(lang))
nav1, nav2, nav3, _ = st.columns([1, 1, 2.2, 3])
nav1.button(app.tr("story_prev"), on_click=go, args=(step_no - 1,), disabled=step_no == 1, key="s_prev",
            icon=":material/arrow_back:")
nav2.button(app.tr("story_next"), on_click=go, args=(step_no + 1,), disabled=step_no == n_steps, key="s_next",
            icon=":material/arrow_forward:")
nav3.page_link("app_pages/map.py", label=app.tr("story_open_map"), icon=":material/map:",
               query_params={**step.map_query(), **({"lang": lang} if lang != "en" else {})})

left, right = st.columns([1, 1.5], gap="large")
with left:
    st.markdown(maps.md_escape(step.text(lang)))
    if step.note(lang):
        st.caption(step.note(lang))
    st.caption(app.tr("f_source") + ": " + maps.md_escape(app.cite("; ".join(step.sources))))
    # the chart beside the map, not below it: a presenter's screen shows both without scrolling
    if step.chart is not None:
        rows = indicators[indicators["entity_id"].isin(step.chart.entities)
                          & (indicators["indicator"] == step.chart.indicator)].copy()
        names = compare.entity_names(points, app.layer("province"))
        rows["entity"] = rows["entity_id"].map(lambda e: app.feature_name(
            {"name_en": names.get(e, (e, ""))[0], "name_zh": names.get(e, ("", ""))[1]}))
        for title, grp in charts.indicator_groups(app.localised_indicators(rows)):
            st.altair_chart(charts.indicator_chart(grp, title, entity_col="entity", lang=lang, height=320,
                                                  legend_orient="bottom"),
                            width="stretch")
with right:
    state = step.map_state()
    shown = filters.apply_filters(points, state)
    highlights = [(points.loc[h].to_dict(), app.feature_name(points.loc[h].to_dict())) for h in step.highlight
                  if h in points.index]
    fmap = maps.explorer_map(
        shown, app.layer("province"), "off", "none", state.layers,
        {l: app.layer_short(l) for l in POINT_LAYER_IDS},
        sector_names, {k: app.tr(k) for k in ("legend_title", "year_not_given", "choropleth_caption_count",
                                              "choropleth_caption_density")},
        view=(step.center[0], step.center[1], step.zoom), highlights=highlights,
        tips=app.point_tooltips(lang))  # made once per language, not per run
    if "zj_town" in state.layers:  # Zhejiang steps zoom to towns: county outlines give them their place
        maps.add_outlines(fmap, app.layer("zj_county"))
    st_folium(fmap, height=640, use_container_width=True, key=f"story_map_{story.id}_{step_no}",
              returned_objects=[])

with st.expander(app.tr("x_deck_caption"), icon=":material/slideshow:"):
    present.deck_downloads("s_deck", partial(
        slides.story_slides, story, lang, points, app.layer("province"), indicators, app.indicator_labels(),
        app.layer("zj_county"), present.citer()), story.title(lang), image_index=step_no - 1)

if step.compare:
    st.page_link("app_pages/compare.py", label=app.tr("compare_selected", n=len(step.compare)),
                 icon=":material/compare_arrows:",
                 query_params={"compare": ",".join(step.compare), **({"lang": lang} if lang != "en" else {})})
