"""Build folium maps. Functions return folium objects; every text that reaches HTML is escaped here."""
from __future__ import annotations

import html
import json
import re

import branca
import folium
import geopandas as gpd
import pandas as pd
from folium.plugins import FastMarkerCluster, MarkerCluster

from .layers import LAYERS

# Leaflet and its cluster plugin are served by the app itself (static/vendor, Streamlit static serving):
# folium's CDN defaults do not load offline, and st_folium draws nothing when one script fails.
ASSET_BASE = "/app/static/vendor"
folium.Map.default_js = [("leaflet", f"{ASSET_BASE}/leaflet/leaflet.js")]
folium.Map.default_css = [("leaflet_css", f"{ASSET_BASE}/leaflet/leaflet.css")]
MarkerCluster.default_js = [("markerclusterjs", f"{ASSET_BASE}/markercluster/leaflet.markercluster.js")]
MarkerCluster.default_css = [("markerclustercss", f"{ASSET_BASE}/markercluster/MarkerCluster.css"),
                             ("markerclusterdefaultcss", f"{ASSET_BASE}/markercluster/MarkerCluster.Default.css")]
CHOROPLETH_COLOURS = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]

CHINA_CENTER = (35.0, 104.5)
CHINA_ZOOM = 4
ID_MARK = re.compile(r"⟦([a-z0-9_-]+)⟧")
NO_TILES_BACKGROUND = "#dfe9f1"  # pale water blue behind the province outlines when tiles do not load
DATA_ATTRIBUTION = ("Zones: 2018 catalogue &amp; papers | Boundaries: DataV.GeoAtlas/AMap | "
                    "Towns: GeoNames CC BY 4.0")
CLUSTER_OFF_ZOOM = 9  # markers cluster below this zoom and are plain points from it on

MARKER_CALLBACK = """
function (row) {
    var marker = L.circleMarker(new L.LatLng(row[0], row[1]),
        {radius: row[4], color: '#1a1a1a', weight: 1, fillColor: row[3], fillOpacity: 0.9});
    marker.bindTooltip(row[2], {sticky: false});
    return marker;
}
"""


def esc(value) -> str:
    """Escape any value for HTML (None / NaN -> empty)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=True)


def tooltip_html(rec: dict, layer_label: str, sector_labels: dict[str, str] | None = None,
                 missing_year: str = "year not given") -> str:
    """Name (en + zh), type, year and sectors; the feature id rides along invisibly for click matching."""
    sector_labels = sector_labels or {}
    sectors = ", ".join(sector_labels.get(s, s) for s in (rec.get("sectors") or []))
    year = rec.get("year")
    year_text = str(int(year)) if year is not None and not pd.isna(year) else missing_year
    parts = [f"<b>{esc(rec.get('name_en'))}</b>", esc(rec.get("name_zh")),
             f"{esc(layer_label)} · {esc(year_text)}"]
    if sectors:
        parts.append(esc(sectors))
    if rec.get("products"):
        parts.append(f"<i>{esc(rec['products'])}</i>")
    parts.append(f"<span style='display:none'>⟦{esc(rec.get('id'))}⟧</span>")
    return "<br>".join(p for p in parts if p)


def clicked_feature_id(tooltip_text: str | None) -> str | None:
    """The id carried by a clicked marker's tooltip text, if any."""
    match = ID_MARK.search(tooltip_text or "")
    return match.group(1) if match else None


class Attribution(branca.element.MacroElement):
    """Adds the data sources to the map's attribution control (rendered after the map exists)."""
    _template = branca.element.Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
        {% endmacro %}""")

    def __init__(self, text: str):
        super().__init__()
        self._name = "Attribution"
        self.text = text


def base_map(provinces: gpd.GeoDataFrame, tiles: str = "osm", height: str = "100%",
             fit: tuple | None = None, view: tuple | None = None) -> folium.Map:
    """A map of China with province outlines drawn as the base (they stand in for tiles offline).

    `view` = (lat, lon, zoom) sets the initial view; `fit` = [[s, w], [n, e]] fits bounds instead.
    """
    lat, lon, zoom = view if view else (*CHINA_CENTER, CHINA_ZOOM)
    m = folium.Map(location=(lat, lon), zoom_start=zoom, tiles=None, prefer_canvas=False,
                   control_scale=True, height=height)
    # on the map itself, not only on a tile layer: marker clustering needs maxZoom when there are no tiles
    m.options.update(minZoom=3, maxZoom=18)
    if tiles == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=False).add_to(m)
    m.get_root().header.add_child(branca.element.Element(
        f"<style>.leaflet-container{{background:{NO_TILES_BACKGROUND};}}"
        ".leaflet-control-attribution{font-size:10px;}</style>"))
    Attribution(DATA_ATTRIBUTION).add_to(m)
    if fit:
        m.fit_bounds(fit)
    return m


def add_provinces(m: folium.Map, provinces: gpd.GeoDataFrame, values: pd.Series | None = None,
                  caption: str = "", name_col: str = "name_en", value_fmt: str = "{:,.0f}") -> folium.Map:
    """Province outlines; with `values` (indexed by province id) a choropleth with its own legend."""
    gdf = provinces[["id", "name_en", "name_zh", "geometry"]].copy()
    colormap = None
    if values is not None:
        gdf["value"] = gdf["id"].map(values).fillna(0).astype(float)
        vmax = max(float(gdf["value"].max()), 1.0)
        colormap = branca.colormap.LinearColormap(CHOROPLETH_COLOURS, vmin=0, vmax=vmax, caption=caption)
        gdf["label"] = [f"{esc(r[name_col])} ({esc(r['name_zh'])}): {value_fmt.format(v)}"
                        for r, v in zip(gdf.to_dict("records"), gdf["value"])]
    else:
        gdf["label"] = [f"{esc(r['name_en'])} ({esc(r['name_zh'])})" for r in gdf.to_dict("records")]

    def style(feature):
        props = feature["properties"]
        fill = colormap(props["value"]) if colormap is not None else "#fbfaf6"
        return {"fillColor": fill, "color": "#6b6b6b", "weight": 0.8,
                "fillOpacity": 0.75 if colormap is not None else 0.9}

    folium.GeoJson(gdf.drop(columns=["name_en", "name_zh"]), name="provinces", style_function=style,
                   tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
                   highlight_function=lambda f: {"weight": 2, "color": "#222"}, control=False).add_to(m)
    if colormap is not None:
        add_gradient_legend(m, caption, colormap.vmin, colormap.vmax, value_fmt)
    return m


def add_gradient_legend(m: folium.Map, caption: str, vmin: float, vmax: float, value_fmt: str,
                        colours: list[str] = CHOROPLETH_COLOURS, top: int = 10) -> folium.Map:
    """A colour-scale legend in plain HTML (branca's legend needs d3 from a CDN)."""
    gradient = ", ".join(colours)
    box = (f"<div class='atlas-choropleth-legend' style='position:absolute;top:{top}px;right:10px;z-index:1000;"
           f"background:rgba(255,255,255,.93);padding:6px 10px;border:1px solid #999;border-radius:4px;"
           f"font:12px/1.3 sans-serif;width:210px'><div style='font-weight:bold'>{esc(caption)}</div>"
           f"<div style='height:10px;margin:4px 0;background:linear-gradient(to right, {gradient});"
           f"border:1px solid #aaa'></div><div style='display:flex;justify-content:space-between'>"
           f"<span>{esc(value_fmt.format(vmin))}</span><span>{esc(value_fmt.format(vmax))}</span></div></div>")
    m.get_root().html.add_child(branca.element.Element(box))
    return m


def add_points(m: folium.Map, points: pd.DataFrame, tooltips: pd.Series, radius: int = 6,
               point_colours: pd.Series | None = None, names: dict[str, str] | None = None) -> folium.Map:
    """One clustered group per layer (plain points from CLUSTER_OFF_ZOOM on), fast with thousands.

    Points take their layer's colour unless `point_colours` (indexed like `points`) says otherwise.
    """
    for lid, group in points.groupby("layer", sort=False):
        colours = point_colours.loc[group.index] if point_colours is not None else [LAYERS[lid].colour] * len(group)
        rows = [[round(g.y, 6), round(g.x, 6), tooltips[i], c, radius]
                for i, g, c in zip(group.index, group.geometry, colours)]
        FastMarkerCluster(rows, callback=MARKER_CALLBACK, name=(names or {}).get(lid, lid),
                          disableClusteringAtZoom=CLUSTER_OFF_ZOOM, maxClusterRadius=45,
                          showCoverageOnHover=False).add_to(m)
    return m


def add_outlines(m: folium.Map, polygons: gpd.GeoDataFrame, label_col: str = "name_zh",
                 colour: str = "#8a8a8a") -> folium.Map:
    """Thin outlines (e.g. Zhejiang counties) with a name tooltip."""
    gdf = polygons[["id", label_col, "geometry"]].copy()
    gdf["label"] = gdf[label_col].map(esc)
    folium.GeoJson(gdf[["id", "label", "geometry"]], style_function=lambda f: {
        "color": colour, "weight": 0.7, "fillOpacity": 0.0}, tooltip=folium.GeoJsonTooltip(["label"], labels=False),
        control=False).add_to(m)
    return m


def add_highlight(m: folium.Map, rec: dict, label: str) -> folium.Map:
    """A ring around the selected feature."""
    folium.CircleMarker((rec["geometry"].y, rec["geometry"].x), radius=14, color="#e41a1c", weight=3,
                        fill=False, tooltip=esc(label)).add_to(m)
    return m


def add_legend(m: folium.Map, items: list[tuple[str, str, int | None]], title: str) -> folium.Map:
    """A fixed legend: (colour, label, count) per layer."""
    rows = "".join(
        f"<div style='margin:2px 0'><span style='display:inline-block;width:12px;height:12px;"
        f"border-radius:50%;border:1px solid #1a1a1a;background:{esc(colour)};margin-right:6px;"
        f"vertical-align:middle'></span>{esc(label)}"
        + (f" <b>{count:,}</b>" if count is not None else "") + "</div>"
        for colour, label, count in items)
    box = (f"<div class='atlas-legend' style='position:absolute;bottom:44px;left:10px;z-index:1000;"
           f"background:rgba(255,255,255,.93);padding:8px 10px;border:1px solid #999;border-radius:4px;"
           f"font:12px/1.35 sans-serif;max-width:240px'><div style='font-weight:bold;margin-bottom:4px'>"
           f"{esc(title)}</div>{rows}</div>")
    m.get_root().html.add_child(branca.element.Element(box))
    return m


def points_bounds(points: pd.DataFrame, pad: float = 0.3):
    if points.empty:
        return None
    xs, ys = points.geometry.x, points.geometry.y
    return [[float(ys.min()) - pad, float(xs.min()) - pad], [float(ys.max()) + pad, float(xs.max()) + pad]]


MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md_escape(value) -> str:
    """Text from data shown through st.markdown: no markdown or HTML from it is interpreted."""
    return MD_SPECIAL.sub(r"\\\1", str(value))


def tooltips(points: pd.DataFrame, layer_labels: dict[str, str], sector_labels: dict[str, str],
             missing_year: str) -> pd.Series:
    return pd.Series([tooltip_html(rec, layer_labels.get(rec["layer"], rec["layer"]), sector_labels, missing_year)
                      for rec in points.to_dict("records")], index=points.index, dtype=object)


VALUE_COLOURS = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"]  # viridis: colour-blind safe
NO_VALUE_COLOUR = "#bdbdbd"


def value_colours(values: pd.Series) -> pd.Series:
    """A colour per feature from a numeric value (grey where there is none)."""
    valid = values.dropna()
    if valid.empty:
        return pd.Series(NO_VALUE_COLOUR, index=values.index)
    cmap = branca.colormap.LinearColormap(VALUE_COLOURS, vmin=float(valid.min()),
                                          vmax=float(max(valid.max(), valid.min() + 1e-9)))
    return values.map(lambda v: NO_VALUE_COLOUR if pd.isna(v) else cmap(float(v)))


def latest_values(indicators: pd.DataFrame, indicator: str) -> pd.Series:
    """entity_id -> the latest year's value of one indicator."""
    rows = indicators[(indicators["indicator"] == indicator) & indicators["value"].notna()]
    rows = rows.sort_values("year", na_position="first")
    return rows.groupby("entity_id")["value"].last()


def province_values(points: pd.DataFrame, provinces: gpd.GeoDataFrame, mode: str) -> pd.Series:
    """Selected features per province id (`count`) or per 10,000 km² (`density`)."""
    code_to_id = dict(zip(provinces["adcode"].str[:2], provinces["id"]))
    counts = points["adcode"].astype(str).str[:2].map(code_to_id).value_counts()
    counts = counts.reindex(provinces["id"], fill_value=0).astype(float)
    if mode == "density":
        area = provinces.set_index("id")["area_km2"].astype(float)
        return (counts / area * 10_000).round(3)
    return counts


def explorer_map(selected: pd.DataFrame, provinces: gpd.GeoDataFrame, choropleth: str, tiles: str,
                 layer_ids, layer_labels: dict[str, str], short_labels: dict[str, str],
                 sector_labels: dict[str, str], texts: dict[str, str], selected_rec: dict | None = None,
                 selected_label: str = "", fit_selection: bool = False, view: tuple | None = None,
                 highlights: list[tuple[dict, str]] = (), values: pd.Series | None = None) -> folium.Map:
    """The Map page's map: province base (or choropleth), clustered points per layer, legend, selection ring.

    `texts` holds the translated strings: legend_title, year_not_given, choropleth_caption_count/_density.
    """
    fmap = base_map(provinces, tiles=tiles, fit=points_bounds(selected, pad=0.8) if fit_selection else None,
                    view=view)
    if choropleth != "off":
        add_provinces(fmap, provinces, province_values(selected, provinces, choropleth),
                      caption=texts[f"choropleth_caption_{choropleth}"],
                      value_fmt="{:,.0f}" if choropleth == "count" else "{:,.2f}")
    else:
        add_provinces(fmap, provinces)
    tips = tooltips(selected, layer_labels, sector_labels, texts["year_not_given"])
    colours = None
    if values is not None:  # colour by a (user's) indicator instead of by layer
        mine = selected["id"].map(values)
        colours = value_colours(mine)
        tips = tips + mine.map(lambda v: "" if pd.isna(v) else f"<br><b>{esc(values.name)}: {v:,.4g}</b>")
        valid = mine.dropna()
        if len(valid):
            add_gradient_legend(fmap, str(values.name), float(valid.min()), float(valid.max()), "{:,.4g}",
                                colours=VALUE_COLOURS, top=90)
    add_points(fmap, selected, tips, point_colours=colours)
    for rec, label in ([(selected_rec, selected_label)] if selected_rec is not None else []) + list(highlights):
        add_highlight(fmap, rec, label)
    counts = selected["layer"].value_counts()
    add_legend(fmap, [(LAYERS[lid].colour, short_labels[lid], int(counts.get(lid, 0))) for lid in layer_ids],
               texts["legend_title"])
    return fmap
