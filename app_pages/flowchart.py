"""Kuchiki's flowchart (seed 002): a cluster's readiness as the papers state it, two clusters side by side,
or your own region's answers — drawn as a flowchart, the path taken highlighted, the stop marked."""
from urllib.parse import urlencode

import streamlit as st

from dashboard import app, flowcharts as fc
from dashboard.filters import md_text

lang = app.lang()
flows, assessments = app.flowchart_data()
points = app.points()
VIEWS = ("cluster", "compare", "self")
FLOW_PARAMS = ("view", "cluster", "compare_flow", "flow", "answers", "actors", "place")


def lang_param() -> dict:
    return {"lang": lang} if lang != "en" else {}


# feature id or assessment id -> assessment id
known = {aid: aid for aid in assessments}
for aid, a in assessments.items():
    for fid in a.features:
        known[fid] = aid


def feature_label(fid: str) -> str:
    if fid not in points.index:
        return fid
    return app.feature_name(points.loc[fid].to_dict())


def escaped(text: str) -> str:
    return md_text(" ".join(str(text).split()))


def evidence_quote(cite: fc.Cite) -> str:
    return f"> “{escaped(cite.quote)}”  \n> — *{escaped(app.cite(cite.text))}*"


def url_signature() -> str:
    return repr(sorted((k, st.query_params[k]) for k in st.query_params if k in FLOW_PARAMS or k[:1] == "n"))


# -- URL -> widgets (only when the URL changed: a pasted link, back/forward)
query = {k: st.query_params[k] for k in st.query_params}
signature = url_signature()
if st.session_state.get("fc_synced") != signature:
    notices = []
    view = query.get("view", "")
    if view and view not in VIEWS:
        notices.append(app.tr("fc_notice_unknown_view", value=md_text(repr(view[:40]))))
        view = ""
    if not view:
        view = "compare" if "compare_flow" in query else "self" if ("answers" in query or "place" in query) \
            else "cluster"
    st.session_state["fc_view"] = view
    # the cluster
    cluster_ids, bad = fc.parse_ids(query.get("cluster", ""), known, 1, lang)
    notices += bad
    flow_id = query.get("flow", "")
    if flow_id and flow_id not in flows:
        notices.append(app.tr("fc_notice_unknown_flow", value=md_text(repr(flow_id[:40]))))
        flow_id = ""
    if not cluster_ids:
        cluster_ids = [next((aid for aid, a in assessments.items() if a.flowchart == flow_id), next(iter(assessments)))]
    st.session_state["fc_cluster"] = cluster_ids[0]
    # two clusters
    pair, bad = fc.parse_ids(query.get("compare_flow", ""), known, 2, lang)
    notices += bad
    st.session_state["fc_pair"] = pair if query.get("compare_flow") else list(assessments)[:2]
    # the self-assessment
    flow_id = flow_id or assessments[cluster_ids[0]].flowchart
    st.session_state["fc_flow"] = flow_id
    state, bad = fc.parse_self(query, flows[flow_id], lang)
    notices += bad
    for i in range(len(flows[flow_id].steps)):
        st.session_state[f"fc_ans_{flow_id}_{i}"] = state.answers[i]
        st.session_state[f"fc_act_{flow_id}_{i}"] = state.actors[i]
        st.session_state[f"fc_note_{flow_id}_{i}"] = state.notes[i]
    st.session_state["fc_place"] = state.place
    st.session_state["fc_notices"] = notices
    st.session_state["fc_synced"] = signature

st.title(app.tr("fc_title"))
for notice in st.session_state.get("fc_notices", []):
    st.warning(app.tr("url_notice", detail=notice), icon=":material/warning:")
st.caption(app.tr("fc_intro"))
st.caption(":material/image_not_supported: " + app.tr("fc_figures_missing"))
view = st.radio(app.tr("fc_view"), VIEWS, key="fc_view", horizontal=True,
                format_func=lambda v: app.tr(f"fc_view_{v}"), label_visibility="collapsed")


def show_verdict(flow: fc.Flowchart, statuses: list) -> fc.Walk:
    """One coloured sentence: where the flow stops; then the tally of the answers."""
    w = fc.walk(statuses)
    box = {"no": st.error, "complete": st.success}.get(w.kind, st.warning)
    box(escaped(fc.verdict(flow, w, lang)), icon={"no": ":material/block:", "complete": ":material/check_circle:"}
        .get(w.kind, ":material/help:"))
    st.caption(escaped(fc.tally(statuses, lang)))
    return w


def show_needed(flow: fc.Flowchart, w: fc.Walk, actors_mine=None, notes_mine=None) -> None:
    """What the paper says is needed at the stop, and who could do it."""
    if w.kind == "complete":
        return
    step = flow.steps[w.stop]
    st.markdown(f"##### {escaped(app.tr('fc_needed_title', n=step.order, step=fc.loc(step.short, lang)))}")
    for cite in step.cites:
        st.markdown(evidence_quote(cite))
    who = fc.actor_names(step.actors, lang) or app.tr("fc_actors_generic_short")
    lines = [f"**{app.tr('fc_who_paper')}** {escaped(who)}"]
    if step.actors and step.actors_note:
        lines.append(f"*{escaped(fc.loc(step.actors_note, lang))}*")
    lines.append(f"**{app.tr('fc_index')}:** " + escaped(fc.loc(step.index, lang) if step.index
                                                         else app.tr("fc_no_index")))
    if actors_mine and actors_mine[w.stop]:
        lines.append(f"**{app.tr('fc_who_yours')}** {app.tr('fc_actor_' + actors_mine[w.stop])}")
    if notes_mine and notes_mine[w.stop]:
        lines.append(f"**{app.tr('fc_note')}:** {escaped(notes_mine[w.stop])}")
    st.markdown("  \n".join(lines))


BADGE = {"yes": "green", "no": "red", "not_stated": "orange", "unknown": "orange", None: "gray"}


def show_evidence(flow: fc.Flowchart, a: fc.Assessment) -> None:
    st.subheader(app.tr("fc_evidence"))
    w = fc.walk(a.statuses(flow))
    cols = st.columns(2, gap="medium")
    for i, step in enumerate(flow.steps):
        ans = a.answers[step.id]
        stop = " :material/flag:" if i == w.stop and w.kind != "complete" else ""
        with cols[i % 2].container(border=True):
            st.markdown(f"**{step.order}. {escaped(fc.loc(step.short, lang))}** "
                        f":{BADGE[ans.status]}-badge[{fc.status_label(ans.status, lang)}]{stop}")
            st.caption(escaped(fc.loc(step.question, lang)))
            if ans.cite:
                st.markdown(evidence_quote(ans.cite))
            else:
                st.markdown(f"*{app.tr('fc_no_quote')}*")
            if ans.note:
                st.caption(escaped(fc.loc(ans.note, lang)))
            with st.expander(app.tr("fc_step_from")):
                for cite in step.cites:
                    st.markdown(evidence_quote(cite))


def show_flow_notes(flow: fc.Flowchart) -> None:
    with st.expander(app.tr("fc_how_made")):
        st.markdown(escaped(fc.loc(flow.summary, lang)))
        st.markdown(escaped(fc.loc(flow.order_note, lang)))
        st.markdown(escaped(fc.loc(flow.figures_note, lang)))


def draw(flow: fc.Flowchart, statuses: list, compact: bool = False) -> None:
    st.graphviz_chart(fc.to_dot(flow, statuses, lang, compact=compact), width="stretch")
    st.caption(app.tr("fc_legend"))


# -- a cluster from the papers
if view == "cluster":
    aid = st.selectbox(app.tr("fc_pick_cluster"), list(assessments), key="fc_cluster",
                       format_func=lambda i: fc.loc(assessments[i].name, lang))
    a = assessments[aid]
    flow = flows[a.flowchart]
    app.sync_query_params({"view": "cluster", "cluster": a.features[0]})
    st.header(escaped(fc.loc(a.name, lang)))
    st.caption(escaped(app.tr("fc_flowchart_label", title=fc.loc(flow.title, lang))) + " · "
               + escaped(fc.loc(a.note, lang)))
    w = show_verdict(flow, a.statuses(flow))
    left, right = st.columns([1.2, 1], gap="large")
    with left:
        draw(flow, a.statuses(flow))
    with right:
        show_needed(flow, w)
        if a.outcome:
            st.markdown(f"##### {app.tr('fc_outcome_paper')}")
            st.markdown(evidence_quote(a.outcome))
        main = a.features[0]
        if main in points.index:
            st.page_link("app_pages/profile.py", label=app.tr("fc_profile_link", name=feature_label(main)),
                         icon=":material/description:", query_params={"zone": main, **lang_param()})
        other = next((x for x in assessments if x != aid), aid)
        st.page_link("app_pages/flowchart.py", label=app.tr("fc_compare_link"), icon=":material/compare_arrows:",
                     query_params={"view": "compare", "compare_flow": f"{main},{assessments[other].features[0]}",
                                   **lang_param()})
        st.page_link("app_pages/flowchart.py", label=app.tr("fc_self_link"), icon=":material/edit_note:",
                     query_params={"view": "self", "flow": flow.id, **lang_param()})
        st.caption(escaped(app.tr("fc_covers", names=", ".join(feature_label(f) for f in a.features))))
        show_flow_notes(flow)
    show_evidence(flow, a)

# -- two clusters side by side
elif view == "compare":
    pair = st.multiselect(app.tr("fc_pick_two"), list(assessments), key="fc_pair", max_selections=2,
                          format_func=lambda i: fc.loc(assessments[i].name, lang))
    app.sync_query_params({"view": "compare", "compare_flow": ",".join(assessments[i].features[0] for i in pair)}
                          if pair else {"view": "compare"})
    if len(pair) < 2:
        st.info(app.tr("fc_compare_hint"))
    else:
        for col, aid in zip(st.columns(2, gap="large"), pair):
            a = assessments[aid]
            flow = flows[a.flowchart]
            with col:
                st.subheader(escaped(fc.loc(a.name, lang)))
                st.caption(escaped(app.tr("fc_flowchart_label", title=fc.loc(flow.title, lang))))
                show_verdict(flow, a.statuses(flow))
                draw(flow, a.statuses(flow), compact=True)
                show_needed(flow, fc.walk(a.statuses(flow)))
                st.page_link("app_pages/flowchart.py", label=app.tr("fc_cluster_link"), icon=":material/account_tree:",
                             query_params={"view": "cluster", "cluster": a.features[0], **lang_param()})

# -- your own region
else:
    flow_id = st.selectbox(app.tr("fc_pick_flow"), list(flows), key="fc_flow",
                           format_func=lambda i: fc.loc(flows[i].title, lang))
    flow = flows[flow_id]
    st.caption(app.tr("fc_self_intro"))
    st.text_input(app.tr("fc_place"), key="fc_place", max_chars=fc.PLACE_MAX)
    answers, actors, notes = [], [], []
    left, right = st.columns([1.15, 1], gap="large")
    with left:
        for stage in fc.STAGES:
            st.markdown(f"#### {app.tr('fc_stage_' + stage)}")
            for i, step in enumerate(flow.steps):
                if step.stage != stage:
                    continue
                with st.container(border=True):
                    st.markdown(f"**{step.order}. {escaped(fc.loc(step.short, lang))}**  \n"
                                f"{escaped(fc.loc(step.question, lang))}")
                    st.caption(f"{app.tr('fc_index')}: " + escaped(fc.loc(step.index, lang) if step.index
                                                                    else app.tr("fc_no_index")))
                    c1, c2 = st.columns([1.1, 1])
                    with c1:
                        answers.append(st.radio(app.tr("fc_answer"), ["yes", "no", "unknown"], index=None,
                                                key=f"fc_ans_{flow_id}_{i}", horizontal=True,
                                                format_func=lambda v: fc.status_label(v, lang)))
                    with c2:
                        actors.append(st.selectbox(app.tr("fc_actor"), [None, *fc.ACTORS],
                                                   key=f"fc_act_{flow_id}_{i}", placeholder=app.tr("fc_actor_none"),
                                                   format_func=lambda v: app.tr(f"fc_actor_{v or 'none'}")))
                    notes.append(st.text_input(app.tr("fc_note"), key=f"fc_note_{flow_id}_{i}",
                                               max_chars=fc.NOTE_MAX))
    state = fc.SelfState(answers, actors, notes, st.session_state.get("fc_place", ""))
    params = {"view": "self", "flow": flow_id, **fc.encode_self(state)}
    app.sync_query_params(params)
    with right:
        st.subheader(escaped(state.place or app.tr("fc_place_unnamed")))
        w = show_verdict(flow, state.statuses())
        draw(flow, state.statuses())
        show_needed(flow, w, actors, notes)
        c1, c2 = st.columns(2)
        name = "".join(ch for ch in (state.place or "region") if ch.isalnum() or ch in "-_")[:40] or "region"
        c1.download_button(app.tr("fc_download_csv"), fc.self_csv(flow, state, lang, app.cite), f"flowchart-{name}.csv",
                           "text/csv", key="fc_dl_csv", on_click="ignore", icon=":material/download:")
        link = str(st.context.url or "").split("?")[0] + "?" + urlencode({k: st.query_params[k] for k in st.query_params})
        c2.download_button(app.tr("fc_download_html"), fc.self_html(flow, state, lang, link=link, cite=app.cite),
                           f"flowchart-{name}.html", "text/html", key="fc_dl_html", on_click="ignore",
                           icon=":material/print:")
        show_flow_notes(flow)

st.session_state["fc_synced"] = url_signature()  # the URL now says what the widgets show
