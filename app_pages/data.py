"""Every layer and table: its references, licence, attribution, row count, downloads; the full bibliography."""
import pandas as pd
import streamlit as st

from dashboard import app, maps
from dashboard.paths import LAYERS_DIR

manifest = app.manifest()
refs = app.references()
lang = app.lang()


def cited(meta: dict) -> str:
    """The short references a built file cites (manifest `references`), else its description."""
    keys = [k for k in meta.get("references", []) if k in refs.refs]
    return "; ".join(refs.refs[k].short(lang) for k in keys) or meta["source"]


st.title(app.tr("data_title"))
st.write(app.tr("data_intro"))

rows = [{app.tr("col_layer"): app.layer_label(lid), "id": lid, app.tr("col_rows"): meta["rows"],
         app.tr("col_source"): cited(meta), app.tr("col_licence"): meta["licence"],
         app.tr("col_attribution"): meta["attribution"]} for lid, meta in manifest["layers"].items()]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
cols = st.columns(4)
for i, (lid, meta) in enumerate(manifest["layers"].items()):
    cols[i % 4].download_button(f"{app.layer_label(lid)} (GeoJSON)", (LAYERS_DIR / meta["file"]).read_bytes(),
                                file_name=meta["file"], on_click="ignore", mime="application/geo+json", key=f"d_{lid}")

st.subheader(app.tr("tables"))
rows = [{app.tr("col_layer"): name, app.tr("col_rows"): meta["rows"], app.tr("col_source"): cited(meta),
         app.tr("col_licence"): meta["licence"]} for name, meta in manifest["tables"].items()]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
cols = st.columns(4)
for i, (name, meta) in enumerate(manifest["tables"].items()):
    cols[i % 4].download_button(f"{name} (CSV)", (LAYERS_DIR / meta["file"]).read_bytes(), file_name=meta["file"],
                                on_click="ignore", mime="text/csv", key=f"d_t_{name}")

# the one place where the archived copies' file names are shown
with st.expander(app.tr("bibliography"), expanded=True):
    st.caption(app.tr("bibliography_note"))
    for key in refs.refs:
        url = refs.url(key)
        # the address checked by refs.url (no Markdown of its own); the link text is the whole field, escaped
        link = f" [{maps.md_escape(refs.refs[key].fields['url'])}]({url})" if url else ""
        st.markdown(f"**{maps.md_escape(refs.refs[key].short(lang))}** — "
                    f"{maps.md_escape(refs.full(key, lang, with_url=url is None))}{link}")

with st.expander(app.tr("build_report")):
    st.text((LAYERS_DIR / "build_report.md").read_text(encoding="utf-8"))
