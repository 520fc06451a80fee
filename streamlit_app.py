"""The frame: page config, the shared sidebar, navigation. Pages live in app_pages/ (not pages/: a
folder named pages/ next to this file makes Streamlit run a deep link such as /profile as a v1 page,
bypassing this frame)."""
from pathlib import Path

import streamlit as st

from dashboard import app
from dashboard.i18n import LANGS
from dashboard.paths import LAYERS_DIR

st.set_page_config(page_title="China Zones & Clusters Atlas", page_icon=":material/map:", layout="wide")

if "lang" not in st.session_state:
    st.session_state["lang"] = app.lang()
with st.sidebar:
    st.selectbox(app.tr("language"), LANGS, key="lang",
                 format_func=lambda code: {"en": "English", "zh": "中文"}[code])

if not (LAYERS_DIR / "manifest.json").exists():
    st.error(app.tr("data_missing"))
    st.stop()

PAGES = [  # (file, title key, icon)
    ("map", "page_map", ":material/map:"), ("profile", "page_profile", ":material/description:"),
    ("compare", "page_compare", ":material/compare_arrows:"), ("clusters", "page_clusters", ":material/hub:"),
    ("regions", "page_regions", ":material/public:"), ("timeline", "page_timeline", ":material/timeline:"),
    ("story", "page_story", ":material/slideshow:"), ("upload", "page_upload", ":material/upload_file:"),
    ("data", "page_data", ":material/dataset:"),
]
ROOT = Path(__file__).parent
page = st.navigation([st.Page(f"app_pages/{name}.py", title=app.tr(key), icon=icon, url_path=name, default=name == "map")
                      for name, key, icon in PAGES if (ROOT / "app_pages" / f"{name}.py").exists()])
with st.sidebar:
    st.caption(app.tr("sidebar_about"))
# the language travels in the URL on every page, so a copied link opens in the same language
if st.query_params.get("lang", "en") != app.lang():
    if app.lang() == "en":
        del st.query_params["lang"]
    else:
        st.query_params["lang"] = app.lang()
page.run()
