"""Bring your own indicators: upload CSV/Excel keyed by id or name, validate, join, use, download.

With the shared database (ATLAS_DATABASE_URL): publish a joined table, and list, use or unpublish the
tables published from any instance of the atlas."""
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import app, data, db, filters, upload

lang = app.lang()
md = filters.md_text
st.title(app.tr("upload_title"))
st.write(app.tr("upload_intro"))


def shared_tables(url: str) -> None:
    """The published tables: a list, then use / unpublish the chosen one."""
    st.subheader(app.tr("db_shared_title"))
    st.caption(app.tr("db_shared_intro"))
    notice = st.session_state.pop("u_db_notice", None)
    if notice:
        st.success(notice)
    if st.button(app.tr("db_refresh"), key="u_db_refresh", icon=":material/refresh:"):
        app.refresh_published()
    tables = app.published_tables(url)
    if not tables:
        st.info(app.tr("db_shared_none"))
        return
    st.dataframe(pd.DataFrame({
        app.tr("db_col_name"): [t.name for t in tables],
        app.tr("db_col_description"): [t.description for t in tables],
        app.tr("db_col_by"): [t.uploaded_by for t in tables],
        app.tr("db_col_at"): [db.format_time(t.uploaded_at) for t in tables],
        app.tr("db_col_source"): [t.source for t in tables],
        app.tr("db_col_rows"): [t.n_rows for t in tables],
        app.tr("db_col_indicators"): [", ".join(t.indicators) for t in tables],
    }), hide_index=True, width="stretch")
    chosen = st.selectbox(app.tr("db_table"), [t.name for t in tables], key="u_db_table")
    use, remove = st.columns(2)
    if use.button(app.tr("db_use"), key="u_db_use", type="primary"):
        try:
            rows = app.published_indicators(url, chosen)
        except KeyError:  # unpublished from another instance meanwhile
            app.refresh_published()
            st.warning(app.tr("db_gone", name=md(chosen)))
            return
        app.use_indicators(rows)
        st.success(app.tr("db_used", name=md(chosen), n=len(rows)))
    if remove.button(app.tr("db_unpublish"), key="u_db_unpublish"):
        gone = db.unpublish(url, chosen)
        app.refresh_published()
        st.session_state["u_db_notice"] = app.tr("db_unpublished" if gone else "db_gone", name=md(chosen))
        st.rerun()


def publish_form(url: str, indicators: pd.DataFrame, file_name: str) -> None:
    """Publish the joined values under a name, with a description, who uploaded them and a citation."""
    with st.form("u_publish"):
        st.subheader(app.tr("db_publish_title"))
        st.caption(app.tr("db_publish_intro"))
        name = st.text_input(app.tr("db_publish_name"), value=Path(file_name).stem, max_chars=db.MAX_NAME_LENGTH,
                             key="u_pub_name")
        description = st.text_area(app.tr("db_publish_description"), key="u_pub_description")
        uploaded_by = st.text_input(app.tr("db_publish_by"), key="u_pub_by")
        source = st.text_input(app.tr("db_publish_source"), key="u_pub_source")
        submitted = st.form_submit_button(app.tr("db_publish_submit", n=len(indicators)), type="primary",
                                          key="u_pub_submit")
    done = st.session_state.pop("u_pub_done", None)
    if done:
        st.success(done)
    if not submitted:
        return
    if not name.strip() or not uploaded_by.strip():
        st.warning(app.tr("db_publish_missing"))
        return
    try:
        published = db.publish(url, name, indicators, uploaded_by=uploaded_by, description=description, source=source)
    except db.AlreadyPublished as exc:
        st.error(app.tr("db_publish_taken", name=md(exc.name), by=md(exc.uploaded_by),
                        at=db.format_time(exc.uploaded_at)))
    except db.PublishError as exc:
        st.error(app.tr("db_publish_invalid", detail=md(str(exc))))
    else:
        app.refresh_published()
        st.session_state["u_pub_done"] = app.tr("db_publish_done", name=md(published.name), n=published.n_rows)
        st.rerun()


database = data.database_url()
if database:
    try:
        shared_tables(database)
    except db.AtlasDatabaseError as exc:
        st.error(app.database_error_text(exc), icon=":material/error:")
    st.divider()

LEVEL_LABELS = {"auto": "u_level_auto", upload.LEVEL_FEATURE: "u_level_feature",
                upload.LEVEL_PROVINCE: "u_level_province", upload.LEVEL_PREFECTURE: "u_level_prefecture"}
targets = app.join_targets()

with st.expander(app.tr("u_template_title"), icon=":material/table_view:"):
    st.caption(app.tr("u_template_intro"))
    t_level = st.radio(app.tr("u_template_level"), list(upload.LEVELS), key="u_template_level", horizontal=True,
                       format_func=lambda v: app.tr(LEVEL_LABELS[v]))
    st.download_button(app.tr("u_template_download"), lambda: upload.template_xlsx(targets[t_level]),
                       file_name=f"atlas-template-{t_level}.xlsx", on_click="ignore", key="u_template_dl",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def fix_unmatched(unmatched: pd.DataFrame, level_targets: upload.Targets, accepted: dict[int, str]) -> None:
    """Per-row candidate pickers and 'accept all unique best candidates'; choices go to session state."""
    fixable = unmatched[unmatched["candidates"].astype(str).ne("")]
    if fixable.empty and not accepted:
        return
    st.markdown(f"**{app.tr('u_fix_title')}**")
    st.caption(app.tr("u_fix_intro"))
    if accepted:
        st.caption(app.tr("u_accepted_n", n=len(accepted)))
        if st.button(app.tr("u_fix_reset"), key="u_fix_reset"):
            st.session_state["u_accepted"] = {}
            st.rerun()
    if fixable.empty:
        return
    describe = level_targets.describe
    best = upload.unique_best(fixable)
    if best:
        with st.expander(app.tr("u_fix_all_list"), expanded=False):
            st.dataframe(pd.DataFrame({"row": list(best), "key": fixable.set_index("row").loc[list(best), "key"].tolist(),
                                       "candidate": [describe(e) for e in best.values()]}),
                         hide_index=True, width="stretch")
        if st.button(app.tr("u_fix_all", n=len(best)), key="u_fix_all", icon=":material/done_all:"):
            st.session_state["u_accepted"] = {**accepted, **best}
            st.rerun()
    shown = fixable.head(MAX_PICKERS)
    with st.form("u_fix"):
        for row, key_text, ids in zip(shown["row"], shown["key"], shown["candidates"]):
            options = [""] + [i for i in str(ids).split("; ") if i]
            st.selectbox(app.tr("u_fix_row", row=int(row), text=md(str(key_text)[:80])), options, key=f"u_pick_{int(row)}",
                         format_func=lambda i: describe(i) if i else app.tr("u_fix_none"))
        if len(fixable) > MAX_PICKERS:
            st.caption(app.tr("u_fix_more", n=len(fixable) - MAX_PICKERS))
        if st.form_submit_button(app.tr("u_fix_apply"), key="u_fix_apply"):
            picked = {int(r): st.session_state.get(f"u_pick_{int(r)}") for r in shown["row"]}
            st.session_state["u_accepted"] = {**accepted, **{r: e for r, e in picked.items() if e}}
            st.rerun()


MAX_PICKERS = 30
file = st.file_uploader(app.tr("upload_file"), type=["csv", "txt", "tsv", "xlsx", "xlsm"], key="u_file")
if file is None:
    current = app.uploaded_indicators()
    if not current.empty:
        st.success(app.tr("upload_active", n=len(current), k=current["indicator"].nunique()))
        st.dataframe(current, hide_index=True, width="stretch")
        if st.button(app.tr("upload_clear"), key="u_clear"):
            st.session_state.pop("user_indicators", None)
            st.rerun()
    st.stop()

result = upload.read_table(file.getvalue(), file.name)
if not result.ok:
    st.error(app.tr("upload_read_error", name=filters.md_text(file.name)))
    st.code("\n".join(result.problems), language=None)
    st.stop()

frame = result.frame
if st.session_state.get("u_file_id") != file.file_id:  # a new file: its own column guesses, not the last file's
    for widget in ("u_key", "u_province", "u_year", "u_values", "u_pub_name", "u_level", "u_unit"):
        st.session_state.pop(widget, None)
    st.session_state["u_accepted"] = {}
    st.session_state["u_file_id"] = file.file_id
st.caption(app.tr("upload_read", rows=len(frame), cols=len(frame.columns), enc=result.encoding or "xlsx"))
guess = upload.detect_columns(frame)
columns = list(frame.columns)
c1, c2, c3 = st.columns(3)
key = c1.selectbox(app.tr("upload_key"), columns, index=columns.index(guess.key) if guess.key in columns else 0,
                   key="u_key")
none = "—"
province = c2.selectbox(app.tr("upload_province"), [none] + columns,
                        index=([none] + columns).index(guess.province) if guess.province in columns else 0,
                        key="u_province")
year = c3.selectbox(app.tr("upload_year"), [none] + columns,
                    index=([none] + columns).index(guess.year) if guess.year in columns else 0, key="u_year")
values = st.multiselect(app.tr("upload_values"), [c for c in columns if c not in (key, province, year)],
                        default=[c for c in guess.values if c not in (key, province, year)], placeholder=app.tr("choose"), key="u_values")
if not values:
    st.warning(app.tr("upload_no_values"))
    st.stop()

l1, l2 = st.columns([2, 1])
level_choice = l1.radio(app.tr("u_level"), list(LEVEL_LABELS), key="u_level", horizontal=True,
                        format_func=lambda v: app.tr(LEVEL_LABELS[v]))
unit = l2.text_input(app.tr("u_unit"), key="u_unit", max_chars=40)
level = upload.guess_level(frame, key, targets) if level_choice == "auto" else level_choice
accepted = st.session_state.setdefault("u_accepted", {})
joined = upload.join_indicators(frame, targets[level], key, values, None if province == none else province,
                                None if year == none else year, source_label=f"uploaded: {file.name}",
                                accepted=accepted)
joined.indicators = upload.with_unit(joined.indicators, unit)
st.subheader(app.tr("upload_report"))
st.info(app.tr("u_joined_to", level=app.tr(LEVEL_LABELS[level]), n=len(targets[level].features)),
        icon=":material/join_inner:")
for line in joined.report_lines(lang):
    st.text(line)
if joined.resolved is not None and not joined.resolved.empty:
    st.markdown(f"**{app.tr('u_resolved')}**")
    st.dataframe(joined.resolved.assign(how=joined.resolved["how"].map(lambda h: app.tr(upload.HOW_KEYS.get(h, h)))),
                 hide_index=True, width="stretch")
if not joined.unmatched.empty:
    st.markdown(f"**{app.tr('upload_unmatched')}**")
    st.dataframe(joined.unmatched.drop(columns=["candidates", "best"]).assign(
        reason=joined.unmatched["reason"].map(lambda r: app.tr(upload.REASON_KEYS[r]))), hide_index=True, width="stretch")
fix_unmatched(joined.unmatched, targets[level], accepted)
if not joined.duplicates.empty:
    st.markdown(f"**{app.tr('upload_duplicates')}**")
    st.dataframe(joined.duplicates, hide_index=True, width="stretch")
if not joined.non_numeric.empty:
    st.markdown(f"**{app.tr('upload_non_numeric')}**")
    st.dataframe(joined.non_numeric, hide_index=True, width="stretch")

st.download_button(app.tr("upload_download"), upload.to_csv_bytes(joined.table), file_name="joined-indicators.csv",
                   on_click="ignore", mime="text/csv", key="u_download")
if joined.indicators.empty:
    st.info(app.tr("upload_nothing"))
    st.stop()
if st.button(app.tr("upload_use", n=len(joined.indicators)), type="primary", key="u_use"):
    app.use_indicators(joined.indicators)
    st.success(app.tr("upload_done"))
if database:
    try:
        publish_form(database, joined.indicators, file.name)
    except db.AtlasDatabaseError as exc:
        st.error(app.database_error_text(exc), icon=":material/error:")
