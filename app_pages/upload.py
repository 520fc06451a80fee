"""Bring your own indicators: upload CSV/Excel keyed by id or name, validate, join, use, download."""
import pandas as pd
import streamlit as st

from dashboard import app, filters, upload

lang = app.lang()
points = app.points()
st.title(app.tr("upload_title"))
st.write(app.tr("upload_intro"))

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
    for widget in ("u_key", "u_province", "u_year", "u_values"):
        st.session_state.pop(widget, None)
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
                        default=[c for c in guess.values if c not in (key, province, year)], key="u_values")
if not values:
    st.warning(app.tr("upload_no_values"))
    st.stop()

joined = upload.join_indicators(frame, points, key, values, None if province == none else province,
                                None if year == none else year, source_label=f"uploaded: {file.name}")
st.subheader(app.tr("upload_report"))
for line in joined.report_lines():
    st.text(line)
if not joined.unmatched.empty:
    st.markdown(f"**{app.tr('upload_unmatched')}**")
    st.dataframe(joined.unmatched, hide_index=True, width="stretch")
if not joined.duplicates.empty:
    st.markdown(f"**{app.tr('upload_duplicates')}**")
    st.dataframe(joined.duplicates, hide_index=True, width="stretch")
if not joined.non_numeric.empty:
    st.markdown(f"**{app.tr('upload_non_numeric')}**")
    st.dataframe(joined.non_numeric, hide_index=True, width="stretch")

st.download_button(app.tr("upload_download"), upload.to_csv_bytes(joined.table), file_name="joined-indicators.csv",
                   mime="text/csv", key="u_download")
if joined.indicators.empty:
    st.info(app.tr("upload_nothing"))
    st.stop()
if st.button(app.tr("upload_use", n=len(joined.indicators)), type="primary", key="u_use"):
    previous = app.uploaded_indicators()
    keep = previous[~previous["indicator"].isin(joined.indicators["indicator"])]
    st.session_state["user_indicators"] = pd.concat([keep, joined.indicators], ignore_index=True)
    st.success(app.tr("upload_done"))
