"""Every layer and table: source, licence, attribution, row count, downloads."""
import pandas as pd
import streamlit as st

from dashboard import app
from dashboard.layers import LAYERS
from dashboard.paths import LAYERS_DIR

manifest = app.manifest()
st.title(app.tr("data_title"))
st.write(app.tr("data_intro"))

rows = [{app.tr("col_layer"): app.layer_label(lid), "id": lid, app.tr("col_rows"): meta["rows"],
         app.tr("col_source"): meta["source"], app.tr("col_licence"): meta["licence"],
         app.tr("col_attribution"): meta["attribution"]} for lid, meta in manifest["layers"].items()]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
cols = st.columns(4)
for i, (lid, meta) in enumerate(manifest["layers"].items()):
    cols[i % 4].download_button(f"{app.layer_label(lid)} (GeoJSON)", (LAYERS_DIR / meta["file"]).read_bytes(),
                                file_name=meta["file"], on_click="ignore", mime="application/geo+json", key=f"d_{lid}")

st.subheader(app.tr("tables"))
rows = [{app.tr("col_layer"): name, app.tr("col_rows"): meta["rows"], app.tr("col_source"): meta["source"],
         app.tr("col_licence"): meta["licence"]} for name, meta in manifest["tables"].items()]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
cols = st.columns(4)
for i, (name, meta) in enumerate(manifest["tables"].items()):
    cols[i % 4].download_button(f"{name}.csv", (LAYERS_DIR / meta["file"]).read_bytes(), file_name=meta["file"],
                                on_click="ignore", mime="text/csv", key=f"d_t_{name}")

with st.expander(app.tr("build_report")):
    st.text((LAYERS_DIR / "build_report.md").read_text(encoding="utf-8"))
