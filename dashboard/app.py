"""Thin Streamlit layer shared by the pages: cached loaders, language, URL helpers.

Everything here wraps pure functions of `dashboard.*`; pages call these and render.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from . import data
from .i18n import normalise_lang, t
from .layers import LAYERS


@st.cache_resource(show_spinner=False)
def _points():
    return data.load_points()


def points():
    """Every point feature. One frame per process, handed out as a shallow copy: pandas' copy-on-write keeps
    the shared one unchanged whatever a page does to its copy, and no run pays st.cache_data's pickle round
    trip (80 ms at 2,600 features, ten times that at 10×)."""
    return _points().copy(deep=False)


@st.cache_data(show_spinner=False)
def layer(layer_id: str):
    return data.load_layer(layer_id)


@st.cache_resource(show_spinner=False)
def join_targets() -> dict:
    """What an upload can join to, per level (built once per process; never mutated)."""
    from . import upload
    return {upload.LEVEL_FEATURE: upload.feature_targets(points()),
            upload.LEVEL_PROVINCE: upload.province_targets(layer("province")),
            upload.LEVEL_PREFECTURE: upload.prefecture_targets(layer("prefecture"))}


def uploaded_area_indicators() -> dict[str, str]:
    """This session's uploaded indicators that are provincial or prefectural: indicator -> level."""
    from .upload import region_entity_level
    frame = uploaded_indicators()
    out = {}
    for name, rows in frame.groupby("indicator", sort=True):
        level = region_entity_level(rows["entity_id"])
        if level:
            out[str(name)] = level
    return out


def area_choropleth(indicator: str, level: str, name_col: str = "name_en") -> dict:
    """Arguments of maps.add_value_choropleth for one uploaded provincial / prefectural indicator."""
    from .maps import latest_values
    frame = uploaded_indicators()
    rows = frame[frame["indicator"] == indicator]
    units = sorted(u for u in rows["unit"].astype(str).unique() if u)
    sources = sorted({str(s).split(" row ")[0] for s in rows["source"]})
    years = sorted({int(y) for y in rows["year"].dropna()})
    subtitle = tr("area_legend_sub", unit=", ".join(units) or tr("area_no_unit"), source="; ".join(sources),
                  year=str(years[-1]) if years else tr("area_no_year"))
    return {"polygons": layer(level), "values": latest_values(frame, indicator), "title": indicator,
            "subtitle": subtitle, "no_data": tr("area_no_value"), "name_col": name_col}


@st.cache_data(show_spinner=False)
def built_indicators():
    return data.load_indicators()


def indicators():
    """The sources' indicators plus the ones this session uploaded (Data page)."""
    uploaded = st.session_state.get("user_indicators")
    if uploaded is None or uploaded.empty:
        return built_indicators()
    return pd.concat([built_indicators(), uploaded], ignore_index=True)


def uploaded_indicators():
    frame = st.session_state.get("user_indicators")
    return frame if frame is not None else pd.DataFrame(columns=data.INDICATOR_COLUMNS)


def use_indicators(frame: pd.DataFrame) -> None:
    """Add indicator rows to this session's own, replacing the indicators of the same name."""
    previous = uploaded_indicators()
    keep = previous[~previous["indicator"].isin(frame["indicator"])]
    st.session_state["user_indicators"] = pd.concat([keep, frame], ignore_index=True)


# -- the shared database (ATLAS_DATABASE_URL); see dashboard/db.py
PUBLISHED_TTL = 10  # seconds: a table another instance publishes shows up here within this time


def shared_database() -> bool:
    return data.database_url() is not None


def database_error_text(exc: Exception) -> str:
    """A database problem in the interface language (where and why; never the password)."""
    from .db import DatabaseUnavailable
    from .filters import md_text
    if isinstance(exc, DatabaseUnavailable):
        return tr("db_unreachable", where=exc.where.replace("`", ""), detail=md_text(exc.detail))
    return tr("db_not_ready", detail=md_text(str(exc)))


@st.cache_data(show_spinner=False, ttl=5)
def _database_ready(url: str) -> bool:
    from . import db
    db.check(url)  # raises; failures are not cached, so a recovered database is seen at once
    return True


def stop_if_database_unavailable() -> None:
    """With the shared database configured and not serving the atlas: one clear error, no page."""
    from .db import AtlasDatabaseError
    url = data.database_url()
    if url is None:
        return
    try:
        _database_ready(url)
    except AtlasDatabaseError as exc:
        st.error(database_error_text(exc), icon=":material/error:")
        st.stop()


@st.cache_data(show_spinner=False, ttl=PUBLISHED_TTL)
def published_tables(url: str):
    from . import db
    return db.list_published(url)


@st.cache_data(show_spinner=False, ttl=PUBLISHED_TTL)
def published_indicators(url: str, name: str) -> pd.DataFrame:
    from . import db
    return db.published_indicators(url, name)


def refresh_published() -> None:
    """Read the published tables again now (after this instance published or unpublished one)."""
    published_tables.clear()
    published_indicators.clear()


def point_tooltips(lang_code: str):
    """Every feature's map tooltip in one language (they do not depend on the filters)."""
    return _point_tooltips(lang_code).copy(deep=False)


@st.cache_resource(show_spinner=False)
def _point_tooltips(lang_code: str):
    """Every feature's map tooltip in one language (they do not depend on the filters)."""
    from .maps import tooltips
    short = {lid: info.short_zh if lang_code == "zh" else info.short_en for lid, info in LAYERS.items()}
    vocab = table("sectors")
    sectors = dict(zip(vocab["key"], vocab["label_zh" if lang_code == "zh" else "label_en"]))
    return tooltips(points(), short, sectors, t("year_not_given", lang_code))


@st.cache_data(show_spinner=False)
def table(name: str):
    return data.load_table(name)


@st.cache_data(show_spinner=False)
def manifest():
    return data.load_manifest()


def lang() -> str:
    """The interface language: the sidebar switch, seeded from ?lang= and kept across pages."""
    return normalise_lang(st.session_state.get("lang", st.query_params.get("lang")))


def tr(key: str, **fmt) -> str:
    return t(key, lang(), **fmt)


def layer_label(layer_id: str) -> str:
    info = LAYERS[layer_id]
    return info.label_zh if lang() == "zh" else info.label_en


def layer_short(layer_id: str) -> str:
    info = LAYERS[layer_id]
    return info.short_zh if lang() == "zh" else info.short_en


def sector_labels() -> dict[str, str]:
    vocab = table("sectors")
    col = "label_zh" if lang() == "zh" else "label_en"
    return dict(zip(vocab["key"], vocab[col]))


def feature_name(rec) -> str:
    """Feature name in the chosen language, with the other language beside it."""
    return _name_in(rec.get("name_en") or "", rec.get("name_zh") or "", lang())


def _name_in(en: str, zh: str, lang_code: str) -> str:
    if lang_code == "zh":
        return f"{zh}（{en}）" if zh and en else (zh or en)
    return f"{en} ({zh})" if zh and en else (en or zh)


@st.cache_resource(show_spinner=False)
def entity_choices(lang_code: str, features_only: bool = False) -> tuple[dict[str, str], tuple[str, ...]]:
    """Every entity Compare takes (feature, province, region; Profile: features only) -> its name as
    feature_name gives it, and the ids in the order of those names. Made once per language: at 10x that is
    26,000 names, which made those pages spend 0.3-0.5 s a run naming and sorting their lists. Read only."""
    from .compare import entity_names
    features = points()
    names = entity_names(features, layer("province"))
    if features_only:
        names = {fid: names[fid] for fid in features.index}
    labels = {eid: _name_in(en or "", zh or "", lang_code) for eid, (en, zh) in names.items()}
    return labels, tuple(sorted(labels, key=lambda eid: labels[eid].lower()))


def sync_query_params(params: dict[str, str], keep: tuple[str, ...] = ()) -> None:
    """Make the URL hold exactly `params` (plus lang and the `keep` keys)."""
    wanted = dict(params)
    if "present" in st.query_params:  # presentation mode stays on across the page's own URL updates
        wanted["present"] = st.query_params["present"]
    if lang() != "en":
        wanted["lang"] = lang()
    for key in keep:
        if key in st.query_params and key not in wanted:
            wanted[key] = st.query_params[key]
    current = {k: st.query_params[k] for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


@st.cache_data(show_spinner=False)
def product_glossary() -> dict[str, str]:
    """English product word (lower-case) -> Chinese, for search and the Chinese interface."""
    try:
        frame = data.load_table("product_glossary")
    except FileNotFoundError:
        return {}
    return dict(zip(frame["term"].str.strip().str.lower(), frame["term_zh"]))


@st.cache_resource(show_spinner=False)
def references():
    """The bibliography (references.csv as built): resolves the data's citation texts."""
    from .references import Catalogue
    return Catalogue(data.load_table("references"))


def cite(text) -> str:
    """A citation text of the data as a short readable reference in the interface language."""
    return references().short(text, lang())


def indicator_labels() -> dict[str, str]:
    """Indicator key -> readable label in the interface language (the key itself where none is given)."""
    return _indicator_labels(lang())


@st.cache_data(show_spinner=False)
def _indicator_labels(lang_code: str) -> dict[str, str]:
    try:
        frame = data.load_table("indicator_labels")
    except FileNotFoundError:
        return {}
    return dict(zip(frame["indicator"], frame["label_zh" if lang_code == "zh" else "label_en"]))


def localised_indicators(rows):
    """Indicator rows in the interface language (labels, units, flags); see charts.localise."""
    from .charts import localise
    return localise(rows, lang(), indicator_labels(), cite)


def cluster_type_label(key: str) -> str:
    from .profiles import label_of
    return label_of(key, lang())


def products_text(rec, glossary: dict[str, str]) -> str:
    """Products as printed; in Chinese via the glossary where a translation exists."""
    from .profiles import products_text
    return products_text(rec.get("products"), lang(), glossary)


# -- the Map page's map (dashboard/mapview.py, dashboard/components/atlas_map/)
def _declare_atlas_map():
    import streamlit.components.v1 as components
    from .mapview import COMPONENT_DIR
    return components.declare_component("atlas_map", path=str(COMPONENT_DIR))


_atlas_map_component = _declare_atlas_map()


@st.cache_resource(show_spinner=False)
def _search_text():
    from .filters import search_text
    return search_text(_points())


def search_text():
    """filters.search_text of points(), made once per process."""
    return _search_text()


@st.cache_resource(show_spinner=False)
def map_point_keys():
    """``"lat,lon,pos"`` of every feature of points() (read once per process like the layers; read-only,
    shared by all sessions: cache_resource does not copy it on every run as cache_data would)."""
    from .mapview import point_keys
    return point_keys(points())


@st.cache_resource(show_spinner=False)
def _tooltips_file(lang_code: str) -> bytes:
    from .mapview import tooltips_json
    return tooltips_json(point_tooltips(lang_code))


@st.cache_data(show_spinner=False)
def _outlines() -> tuple[str, str | None]:
    from .mapview import outlines_text, static_outlines_url
    text = outlines_text(layer("province"))
    return text, static_outlines_url(text)


@st.cache_data(show_spinner=False)
def _prefecture_outlines() -> tuple[str, None]:
    """Prefecture outlines, for a person's prefectural values (sent as a media file when they are shown)."""
    from .mapview import outlines_text
    return outlines_text(layer("prefecture")), None


def _media_url(data: bytes, coordinates: str) -> str:
    """A URL Streamlit serves `data` at for this session (its name is the content's hash)."""
    from streamlit import runtime
    if not runtime.exists():
        return ""
    return runtime.get_instance().media_file_mgr.add(data, "application/json", coordinates)


def atlas_map(view: dict, height: int, key: str, report_drawn: bool = False):
    """Draw (first run) or update (later runs) the Map page's map. Returns None until the map sends a value:
    {"drawn": true} once its first draw is done (when `report_drawn`), then {"pos", "n", "mount"} per
    click (`n` counts the clicks in this map document, `mount` tags the document)."""
    text, url = _outlines() if view.get("areaLevel") != "prefecture" else _prefecture_outlines()
    args = {**view, "height": height, "reportDrawn": report_drawn,
            "outlinesUrl": url or _media_url(text.encode("utf-8"), f"{key}.outlines"),
            "tipsUrl": _media_url(_tooltips_file(lang()), f"{key}.tips")}
    return _atlas_map_component(view=args, key=key, default=None)


@st.cache_data(show_spinner=False)
def flowchart_data():
    """Kuchiki's flowcharts and the papers' assessments, from the built reference tables."""
    from .flowcharts import from_tables
    return from_tables(table("flowcharts"), table("flowchart_steps"), table("flowchart_assessments"))
