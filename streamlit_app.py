"""The frame: page config, the shared sidebar, navigation. Pages live in app_pages/ (not pages/: a
folder named pages/ next to this file makes Streamlit run a deep link such as /profile as a v1 page,
bypassing this frame)."""
from pathlib import Path

import streamlit as st

from dashboard import app, present
from dashboard.db import AtlasDatabaseError
from dashboard.i18n import LANGS
from dashboard.paths import LAYERS_DIR

st.set_page_config(page_title="China Zones & Clusters Atlas", page_icon=":material/map:", layout="wide")

if "lang" not in st.session_state:
    st.session_state["lang"] = app.lang()
with st.sidebar:  # a radio, not a select box: one click, and its script is a tenth of a select box's
    st.radio(app.tr("language"), LANGS, key="lang", horizontal=True,
             format_func=lambda code: {"en": "English", "zh": "中文"}[code])

app.stop_if_database_unavailable()  # ATLAS_DATABASE_URL set but the database cannot serve: say so, no page
if not app.shared_database() and not (LAYERS_DIR / "manifest.json").exists():
    st.error(app.tr("data_missing"))
    st.stop()

PAGES = [  # (file, title key, icon)
    ("map", "page_map", ":material/map:"), ("profile", "page_profile", ":material/description:"),
    ("compare", "page_compare", ":material/compare_arrows:"), ("clusters", "page_clusters", ":material/hub:"),
    ("regions", "page_regions", ":material/public:"), ("timeline", "page_timeline", ":material/timeline:"),
    ("story", "page_story", ":material/slideshow:"), ("flowchart", "page_flowchart", ":material/account_tree:"),
    ("upload", "page_upload", ":material/upload_file:"),
    ("data", "page_data", ":material/dataset:"),
]
ROOT = Path(__file__).parent
# the Map is the default page, served at "/" (Streamlit reserves but never serves a default page's own path,
# so it gets a placeholder one); the hidden alias serves links to "/map?..."
pages = [st.Page(f"app_pages/{name}.py", title=app.tr(key), icon=icon, url_path="home" if name == "map" else name,
                 default=name == "map") for name, key, icon in PAGES if (ROOT / "app_pages" / f"{name}.py").exists()]
pages.append(st.Page("app_pages/map.py", title=app.tr("page_map"), url_path="map", visibility="hidden"))
page = st.navigation(pages, position="hidden" if present.presenting() else "sidebar")
if present.presenting():  # ?present=1: for a projector, no sidebar or app chrome, large type
    present.style(hide_chrome=True)
with st.sidebar:
    st.caption(app.tr("sidebar_about"))
# the language travels in the URL on every page, so a copied link opens in the same language
if st.query_params.get("lang", "en") != app.lang():
    if app.lang() == "en":
        del st.query_params["lang"]
    else:
        st.query_params["lang"] = app.lang()
try:
    page.run()
except AtlasDatabaseError as exc:  # the shared database went away while the page ran
    st.error(app.database_error_text(exc), icon=":material/error:")
if present.presenting():  # the way back: the same view (its URL less present=1) with the app's chrome
    st.button(app.tr("present_exit"), icon=":material/close_fullscreen:", key="present_exit",
              on_click=lambda: st.query_params.pop("present", None))
