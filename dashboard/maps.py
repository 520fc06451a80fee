"""Build folium maps. Functions return folium objects; every text that reaches HTML is escaped here."""
from __future__ import annotations

import html
import json
import re

import branca
import folium
import geopandas as gpd
import pandas as pd
from folium.plugins import FastMarkerCluster

from .layers import LAYERS

CHINA_CENTER = (35.0, 104.5)
CHINA_ZOOM = 4
ID_MARK = re.compile(r"⟦([a-z0-9_-]+)⟧")
NO_TILES_BACKGROUND = "#dfe9f1"  # pale water blue behind the province outlines when tiles do not load
DATA_ATTRIBUTION = ("Zones: 2018 national catalogue (NDRC et al.) &amp; source papers | "
                    "Boundaries: DataV.GeoAtlas / AMap | Towns: GeoNames (CC BY 4.0)")
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


def base_map(provinces: gpd.GeoDataFrame, tiles: str = "osm", height: str = "100%",
             fit: tuple | None = None) -> folium.Map:
    """A map of China with province outlines drawn as the base (they stand in for tiles offline)."""
    m = folium.Map(location=CHINA_CENTER, zoom_start=CHINA_ZOOM, tiles=None, prefer_canvas=True,
                   control_scale=True, height=height, min_zoom=3)
    if tiles == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=False).add_to(m)
    m.get_root().header.add_child(branca.element.Element(
        f"<style>.leaflet-container{{background:{NO_TILES_BACKGROUND};}}</style>"))
    m.get_root().script.add_child(branca.element.Element(
        f"{m.get_name()}.attributionControl.addAttribution({json.dumps(DATA_ATTRIBUTION)});"))
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
        colormap = branca.colormap.LinearColormap(
            ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"], vmin=0, vmax=vmax, caption=caption)
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
        colormap.add_to(m)
    return m


def add_points(m: folium.Map, points: pd.DataFrame, tooltips: pd.Series, radius: int = 6,
               colours: dict[str, str] | None = None, names: dict[str, str] | None = None) -> folium.Map:
    """One clustered group per layer (plain points from CLUSTER_OFF_ZOOM on), fast with thousands."""
    for lid, group in points.groupby("layer", sort=False):
        colour = (colours or {}).get(lid, LAYERS[lid].colour)
        rows = [[round(g.y, 6), round(g.x, 6), tooltips[i], colour, radius]
                for i, g in zip(group.index, group.geometry)]
        FastMarkerCluster(rows, callback=MARKER_CALLBACK, name=(names or {}).get(lid, lid),
                          disableClusteringAtZoom=CLUSTER_OFF_ZOOM, maxClusterRadius=45,
                          showCoverageOnHover=False).add_to(m)
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
    box = (f"<div class='atlas-legend' style='position:absolute;bottom:28px;left:10px;z-index:1000;"
           f"background:rgba(255,255,255,.93);padding:8px 10px;border:1px solid #999;border-radius:4px;"
           f"font:12px/1.35 sans-serif;max-width:330px'><div style='font-weight:bold;margin-bottom:4px'>"
           f"{esc(title)}</div>{rows}</div>")
    m.get_root().html.add_child(branca.element.Element(box))
    return m


def points_bounds(points: pd.DataFrame, pad: float = 0.3):
    if points.empty:
        return None
    xs, ys = points.geometry.x, points.geometry.y
    return [[float(ys.min()) - pad, float(xs.min()) - pad], [float(ys.max()) + pad, float(xs.max()) + pad]]
