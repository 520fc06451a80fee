"""The Map page's map as a persistent view: what the `atlas_map` component receives. Pure, no Streamlit.

The map document (Leaflet, the province outlines, the legend frame) is made once per page load by the
component in `dashboard/components/atlas_map/`; every rerun sends it only this payload, and it redraws
the point layers whose selection changed, keeping the view (zoom, centre) unless the payload asks to
fit or to focus. What travels on a filter change:

- per point layer one string of numbers ``lat,lon,pos,lat,lon,pos,…`` (``pos`` = the feature's position
  in the full point table, the same for the life of the server process), made by joining strings made
  once per data set (``point_keys``);
- the legend, the province fills and labels (34 provinces), the selection ring: small.

Tooltips (server-made, escaped HTML, one per feature and language) do not depend on the filters: the
page serves them once as a file (``tooltips_json``) and the component fetches it after the first draw.
Province outlines are served by Streamlit's static serving from ``static/geo/`` under a name made of
their hash (``outlines_name``), so the browser keeps them across page loads (ETag / Last-Modified).

Every text that reaches HTML is escaped here or in `maps` (labels, legend, ring, tooltips).
"""
from __future__ import annotations

import hashlib
import json

import geopandas as gpd
import numpy as np
import pandas as pd

from . import maps
from .layers import LAYERS
from .paths import ROOT

COMPONENT_DIR = ROOT / "dashboard" / "components" / "atlas_map"
STATIC_GEO = ROOT / "static" / "geo"
STATIC_GEO_URL = "/app/static/geo"
RING_RADIUS = 8
SELECTION_COLUMNS = ["id", "layer", "adcode", "geometry"]  # what explorer_view reads of the selection
POINT_RADIUS = 6


# ---------------------------------------------------------------- what is made once per data set

def outlines_text(provinces: gpd.GeoDataFrame) -> str:
    """The province outlines the component draws (ids + geometry; names travel with the payload)."""
    return maps.outlines_geojson(provinces)


def outlines_name(text: str) -> str:
    """The static file name of an outline text: its content hash, so a changed layer gets a new URL."""
    return f"province-{hashlib.sha256(text.encode()).hexdigest()[:16]}.json"


def static_outlines_url(text: str) -> str | None:
    """The URL of the outlines under Streamlit's static serving, when the file there holds `text`."""
    path = STATIC_GEO / outlines_name(text)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return f"{STATIC_GEO_URL}/{path.name}"
    return None


def write_static_outlines(provinces: gpd.GeoDataFrame) -> str:
    """Write the outlines to static/geo/ (removing older versions); returns the file name."""
    text = outlines_text(provinces)
    name = outlines_name(text)
    STATIC_GEO.mkdir(parents=True, exist_ok=True)
    for old in STATIC_GEO.glob("province-*.json"):
        if old.name != name:
            old.unlink()
    (STATIC_GEO / name).write_text(text, encoding="utf-8")
    return name


def static_outlines_problems(provinces: gpd.GeoDataFrame) -> list[str]:
    """`python -m dashboard check`: the static outline file must be the built province layer's."""
    text = outlines_text(provinces)
    if static_outlines_url(text) is None:
        return [f"{STATIC_GEO / outlines_name(text)}: missing or stale (run `python -m dashboard.mapview`)"]
    stale = [p.name for p in STATIC_GEO.glob("province-*.json") if p.name != outlines_name(text)]
    return [f"{STATIC_GEO}: stale outline file {name} (run `python -m dashboard.mapview`)" for name in stale]


def point_keys(points: pd.DataFrame) -> np.ndarray:
    """``"lat,lon,pos"`` for every feature, in table order (5 decimals ≈ 1 m)."""
    lat = np.round(points.geometry.y.to_numpy(dtype=float), 5)
    lon = np.round(points.geometry.x.to_numpy(dtype=float), 5)
    return np.array([f"{a:.5f}".rstrip("0").rstrip(".") + "," + f"{b:.5f}".rstrip("0").rstrip(".") + f",{i}"
                     for i, (a, b) in enumerate(zip(lat, lon))], dtype=object)


def tooltips_json(tips: pd.Series) -> bytes:
    """Every feature's tooltip (escaped HTML), in table order: the file the component fetches once."""
    return json.dumps(tips.tolist(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def layer_style(layer_id: str, radius: int = POINT_RADIUS) -> dict:
    """How a layer's points and cluster bubbles look (from the layer registry)."""
    info = LAYERS[layer_id]
    return maps.marker_style(info.colour, radius, hollow=info.level == "provincial")


# ---------------------------------------------------------------- what every run sends

def explorer_view(selected: pd.DataFrame, positions: np.ndarray, keys: np.ndarray, provinces: gpd.GeoDataFrame,
                  choropleth: str, tiles: str, layer_ids, layer_labels: dict[str, str], texts: dict[str, str],
                  selected_rec: dict | None = None, selected_label: str = "", fit_key: str | None = None,
                  focus: tuple | None = None, highlights: list[tuple[dict, str]] = (),
                  values: pd.Series | None = None, areas: dict | None = None) -> dict:
    """The Map page's map for the component: points per layer, province base or choropleth, legend, ring.

    `positions` are the selected features' positions in the full table (`keys` = point_keys of it).
    `fit_key` names the filter that asks to fit the map to the selection (the component fits when it
    changes); `focus` = (lat, lon, zoom, key) centres the map on a feature when its key changes.
    `values` (feature id -> number) colours the points by a user's indicator and adds the value to
    their tooltips. `areas` (the arguments of `maps.area_styles`) colours provinces or prefectures by a
    person's own values instead of the count choropleth.
    """
    out: dict = {"tiles": tiles, "attribution": maps.DATA_ATTRIBUTION, "radius": POINT_RADIUS,
                 "clusterOffZoom": maps.CLUSTER_OFF_ZOOM, "background": maps.NO_TILES_BACKGROUND}
    # -- province base or choropleth; a person's provincial / prefectural values (maps.area_styles arguments)
    #    replace it, drawn on the polygons of their level (`areaLevel`: the outlines the page sends)
    out["areaLevel"] = "prefecture" if areas is not None and len(areas["polygons"]) != len(provinces) else "province"
    if areas is not None:
        fills, labels, legend = maps.area_styles(**areas)
    elif choropleth != "off":
        fills, labels, legend = maps.province_styles(
            provinces, maps.province_values(selected, provinces, choropleth),
            caption=texts[f"choropleth_caption_{choropleth}"],
            value_fmt="{:,.0f}" if choropleth == "count" else "{:,.2f}", colours=maps.CHOROPLETH_UNDER_MARKERS)
    else:
        fills, labels, legend = maps.province_styles(provinces)
    out["provinceFills"], out["provinceLabels"], out["choroplethLegend"] = fills, labels, legend
    # -- rings (selected feature, highlights); ringed features are drawn unclustered
    rings = ([(selected_rec, selected_label)] if selected_rec is not None else []) + list(highlights)
    ring_ids = {rec.get("id") for rec, _ in rings}
    ringed = selected.index.isin(list(ring_ids)) if ring_ids else np.zeros(len(selected), dtype=bool)
    out["rings"] = [[round(float(rec["geometry"].y), 5), round(float(rec["geometry"].x), 5), maps.esc(label)]
                    for rec, label in rings]
    # -- colour by a user's indicator
    out["valueMode"] = values is not None
    out["pointColours"], out["tipExtra"], out["valueLegend"] = {}, {}, ""
    if values is not None:
        mine = selected["id"].map(values)
        colours = maps.value_colours(mine)
        has = mine.notna().to_numpy()
        out["pointColours"] = {str(int(p)): c for p, c, h in zip(positions, colours, has) if h}
        out["tipExtra"] = {str(int(p)): f"<br><b>{maps.esc(values.name)}: {v:,.4g}</b>"
                           for p, v, h in zip(positions, mine, has) if h}
        valid = mine.dropna()
        if len(valid):
            out["valueLegend"] = maps.gradient_legend_html(str(values.name), float(valid.min()), float(valid.max()),
                                                           "{:,.4g}", colours=maps.VALUE_COLOURS, top=90)
        out["noValueColour"] = maps.NO_VALUE_COLOUR
    # -- points, one string per layer (every layer of the registry, so that a layer turned off is emptied)
    layer_col = selected["layer"].to_numpy()
    plain = ~ringed
    layers = []
    for lid in [lid for lid in LAYERS if LAYERS[lid].geometry == "point"]:
        mask = (layer_col == lid) & plain
        layers.append({"id": lid, "style": layer_style(lid), "points": ",".join(keys[positions[mask]])})
    out["layers"] = layers
    out["ringed"] = [{"style": layer_style(lid, RING_RADIUS), "points": ",".join(keys[positions[ringed & (layer_col == lid)]])}
                     for lid in dict.fromkeys(layer_col[ringed])]
    # -- legend, view
    counts = selected["layer"].value_counts()
    levels = {LAYERS[lid].level for lid in layer_ids}
    out["legend"] = maps.legend_html(maps.legend_items(layer_ids, layer_labels, counts), texts["legend_title"],
                                     footnote=texts.get("legend_levels", "")
                                     if {"national", "provincial"} <= levels else "")
    bounds = maps.points_bounds(selected, pad=0.8) if fit_key and not selected.empty else None
    out["fit"] = {"key": fit_key, "bounds": bounds} if bounds else None
    out["focus"] = ({"lat": focus[0], "lon": focus[1], "zoom": focus[2], "key": focus[3]} if focus else None)
    out["home"] = {"lat": maps.CHINA_CENTER[0], "lon": maps.CHINA_CENTER[1], "zoom": maps.CHINA_ZOOM}
    return out


def main() -> int:
    """`python -m dashboard.mapview`: write the static province outlines of the built layers."""
    from . import data
    print(STATIC_GEO / write_static_outlines(data.load_layer("province")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
