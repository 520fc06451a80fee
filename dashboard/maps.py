"""Build folium maps. Functions return folium objects; every text that reaches HTML is escaped here."""
from __future__ import annotations

import html
import json
import re

import branca
import folium
import geopandas as gpd
import pandas as pd
import shapely
from folium.elements import CssLink, JavascriptLink
from folium.plugins import MarkerCluster
from folium.template import Template

from .layers import LAYERS

# Leaflet and its cluster plugin are served by the app itself (static/vendor, Streamlit static serving):
# folium's CDN defaults do not load offline, and st_folium draws nothing when one script fails.
ASSET_BASE = "/app/static/vendor"
folium.Map.default_js = [("leaflet", f"{ASSET_BASE}/leaflet/leaflet.js")]
folium.Map.default_css = [("leaflet_css", f"{ASSET_BASE}/leaflet/leaflet.css")]
MarkerCluster.default_js = [("markerclusterjs", f"{ASSET_BASE}/markercluster/leaflet.markercluster.js")]
MarkerCluster.default_css = [("markerclustercss", f"{ASSET_BASE}/markercluster/MarkerCluster.css"),
                             ("markerclusterdefaultcss", f"{ASSET_BASE}/markercluster/MarkerCluster.Default.css")]
# yellow-orange-brown (ColorBrewer YlOrBr): no step reads as water beside the pale blue sea drawn when tiles
# do not load (a blue ramp made a shaded province look like sea)
CHOROPLETH_COLOURS = ["#fff7bc", "#fec44f", "#fe9929", "#cc4c02", "#662506"]
# under markers the shading stays light, so that the markers (blue ETDZs, green HIDZs …) remain visible
CHOROPLETH_UNDER_MARKERS = ["#ffffe5", "#fff7bc", "#fee391", "#fec44f", "#fe9929"]

CHINA_CENTER = (35.0, 104.5)
CHINA_ZOOM = 4
ID_MARK = re.compile(r"⟦([a-z0-9_-]+)⟧")
NO_TILES_BACKGROUND = "#dfe9f1"  # pale water blue behind the province outlines when tiles do not load
DATA_ATTRIBUTION = ("Zones: 2018 catalogue &amp; papers | Boundaries: DataV.GeoAtlas/AMap | "
                    "Towns: GeoNames CC BY 4.0")
CLUSTER_OFF_ZOOM = 9  # markers cluster below this zoom and are plain points from it on

ESC_EXTRA = str.maketrans({"{": "&#123;", "}": "&#125;", "`": "&#96;"})


def esc(value) -> str:
    """Escape any value for HTML (None / NaN -> empty).

    Braces become entities too: branca compiles rendered output as a Jinja template, so `{{ … }}`
    in data would otherwise be evaluated on the server. Backticks too: folium.Tooltip puts its text
    in a JavaScript template literal.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=True).translate(ESC_EXTRA)


class Raw(branca.element.Element):
    """Text added to a figure as it is. A plain branca Element compiles its text as a Jinja template
    on every render: slow for large data, and it evaluates any `{{ … }}` found in that data."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "Raw"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class LiteralScript(branca.element.MacroElement):
    """A MacroElement whose script (and JS/CSS links) are added to the figure literally (see Raw)."""

    def render(self, **kwargs):
        figure = self.get_root()
        for name, url in getattr(self, "default_js", []):
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in getattr(self, "default_css", []):
            figure.header.add_child(CssLink(url), name=name)
        figure.script.add_child(Raw(self._template.module.script(self, kwargs)), name=self.get_name())


def _tooltip(name_en, name_zh, label, year_text, sectors, products, fid) -> str:
    parts = [f"<b>{esc(name_en)}</b>" if esc(name_en) else "", esc(name_zh), f"{esc(label)} · {esc(year_text)}",
             esc(sectors), f"<i>{esc(products)}</i>" if esc(products) else ""]
    # the id rides along invisibly: st_folium returns the clicked tooltip's text, which names the feature
    return "<br>".join(p for p in parts if p) + f"<span hidden>⟦{esc(fid)}⟧</span>"


def _year_text(year, missing_year: str) -> str:
    return str(int(year)) if year is not None and not pd.isna(year) else missing_year


def tooltip_html(rec: dict, layer_label: str, sector_labels: dict[str, str] | None = None,
                 missing_year: str = "year not given") -> str:
    """Name (en + zh), type, year, sectors and products of one feature; every value escaped."""
    sector_labels = sector_labels or {}
    sectors = ", ".join(sector_labels.get(s, s) for s in (rec.get("sectors") or []))
    return _tooltip(rec.get("name_en"), rec.get("name_zh"), layer_label, _year_text(rec.get("year"), missing_year),
                    sectors, rec.get("products"), rec.get("id"))


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
    m.get_root().header.add_child(Raw(
        f"<style>.leaflet-container{{background:{NO_TILES_BACKGROUND};}}"
        ".leaflet-control-attribution{font-size:10px;}</style>"))
    Attribution(DATA_ATTRIBUTION).add_to(m)
    if fit:
        m.fit_bounds(fit)
    return m


SCRIPT_BREAKERS = re.compile(r"<(?=/|!--|script)", re.IGNORECASE)


def js_literal(value) -> str:
    """`value` as a JavaScript literal that is safe inside a <script> element (compact JSON, UTF-8 kept)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return SCRIPT_BREAKERS.sub(r"\\u003c", text)


def outlines_geojson(polygons: gpd.GeoDataFrame) -> str:
    """A FeatureCollection of id + geometry only, serialised by shapely (fast; names travel separately)."""
    geoms = shapely.to_geojson(polygons.geometry.values)
    feats = ",".join(f'{{"type":"Feature","id":{js_literal(str(i))},"properties":{{}},"geometry":{g}}}'
                     for i, g in zip(polygons["id"], geoms))
    return f'{{"type":"FeatureCollection","features":[{feats}]}}'


class Outlines(LiteralScript):
    """Polygons drawn from one pre-serialised GeoJSON string, styled and labelled per feature id.

    folium.GeoJson re-serialises its data on every render and st_folium renders a map three times;
    this element serialises once, and carries only small id -> colour / label tables besides.
    """
    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var fills = {{ this.fills }}, labels = {{ this.labels }}, base = {{ this.base }};
            var layer = L.geoJson({{ this.geojson }}, {
                style: function (f) {
                    var fill = fills[f.id];
                    return {color: base.color, weight: base.weight, fillColor: fill || base.fill,
                            fillOpacity: fill ? base.fillOpacity : base.emptyOpacity};
                },
                onEachFeature: function (f, l) {
                    if (labels[f.id]) { l.bindTooltip(labels[f.id], {sticky: true}); }
                    if (base.highlight) {
                        l.on("mouseover", function () { l.setStyle({weight: 2, color: "#222"}); });
                        l.on("mouseout", function () { layer.resetStyle(l); });
                    }
                }
            });
            layer.addTo({{ this._parent.get_name() }});
            return layer;
        })();
        {% endmacro %}""")

    def __init__(self, polygons: gpd.GeoDataFrame, labels: dict[str, str], fills: dict[str, str] | None = None,
                 colour: str = "#6b6b6b", weight: float = 0.8, fill: str = "#fbfaf6", fill_opacity: float = 0.75,
                 empty_opacity: float = 0.9, highlight: bool = True, escaped: bool = False):
        super().__init__()
        self._name = "Outlines"
        self.geojson = outlines_geojson(polygons)
        self.labels = js_literal(labels if escaped else {k: esc(v) for k, v in labels.items()})
        self.fills = js_literal(fills or {})
        self.base = js_literal({"color": colour, "weight": weight, "fill": fill, "fillOpacity": fill_opacity,
                                "emptyOpacity": empty_opacity, "highlight": highlight})


def province_styles(provinces: gpd.GeoDataFrame, values: pd.Series | None = None, caption: str = "",
                    name_col: str = "name_en", value_fmt: str = "{:,.0f}",
                    colours: list[str] = CHOROPLETH_COLOURS) -> tuple[dict[str, str], dict[str, str], str]:
    """Province id -> fill colour (none without `values`), id -> label (escaped), and the legend's HTML."""
    names = {i: f"{en} ({zh})" if name_col == "name_en" else zh
             for i, en, zh in zip(provinces["id"], provinces["name_en"], provinces["name_zh"])}
    if values is None:
        return {}, {k: esc(v) for k, v in names.items()}, ""
    value = provinces["id"].map(values).fillna(0).astype(float)
    vmax = max(float(value.max()), 1.0)
    colormap = branca.colormap.LinearColormap(colours, vmin=0, vmax=vmax)
    fills = {i: colormap(v) for i, v in zip(provinces["id"], value)}
    labels = {i: esc(f"{names[i]}: {value_fmt.format(v)}") for i, v in zip(provinces["id"], value)}
    return fills, labels, gradient_legend_html(caption, 0.0, vmax, value_fmt, colours=colours)


def add_provinces(m: folium.Map, provinces: gpd.GeoDataFrame, values: pd.Series | None = None,
                  caption: str = "", name_col: str = "name_en", value_fmt: str = "{:,.0f}",
                  colours: list[str] = CHOROPLETH_COLOURS) -> folium.Map:
    """Province outlines; with `values` (indexed by province id) a choropleth with its own legend."""
    fills, labels, legend = province_styles(provinces, values, caption, name_col, value_fmt, colours)
    if legend:
        m.get_root().html.add_child(Raw(legend))
    Outlines(provinces, labels, fills or None, escaped=True).add_to(m)
    return m


def gradient_legend_html(caption: str, vmin: float, vmax: float, value_fmt: str,
                         colours: list[str] = CHOROPLETH_COLOURS, top: int = 10) -> str:
    """A colour-scale legend box in plain HTML (branca's legend needs d3 from a CDN); every text escaped."""
    gradient = ", ".join(colours)
    return (f"<div class='atlas-choropleth-legend' style='position:absolute;top:{top}px;right:10px;z-index:1000;"
            f"background:rgba(255,255,255,.93);padding:6px 10px;border:1px solid #999;border-radius:4px;"
            f"font:12px/1.3 sans-serif;width:210px'><div style='font-weight:bold'>{esc(caption)}</div>"
            f"<div style='height:10px;margin:4px 0;background:linear-gradient(to right, {gradient});"
            f"border:1px solid #aaa'></div><div style='display:flex;justify-content:space-between'>"
            f"<span>{esc(value_fmt.format(vmin))}</span><span>{esc(value_fmt.format(vmax))}</span></div></div>")


def add_gradient_legend(m: folium.Map, caption: str, vmin: float, vmax: float, value_fmt: str,
                        colours: list[str] = CHOROPLETH_COLOURS, top: int = 10) -> folium.Map:
    """A colour-scale legend over a folium map."""
    m.get_root().html.add_child(Raw(gradient_legend_html(caption, vmin, vmax, value_fmt, colours, top)))
    return m


class PointLayer(LiteralScript, MarkerCluster):
    """One layer's features as circle markers in a cluster group (plain points from CLUSTER_OFF_ZOOM on).

    Rows are serialised once, compactly: folium's FastMarkerCluster goes through Jinja's `tojson`,
    which spells every `<` of a tooltip as `\\u003c` and triples the map's size at 10x data.
    Cluster bubbles take the layer's colour so layers stay apart at low zoom.
    """
    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var rows = {{ this.rows }}, style = {{ this.style }};
            var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
            cluster.options.iconCreateFunction = function (c) {
                var n = c.getChildCount(), size = n < 10 ? 30 : n < 100 ? 36 : 42;
                return L.divIcon({className: "marker-cluster atlas-cluster", iconSize: L.point(size, size),
                    html: "<div style='background:" + style.bubble + ";color:" + style.text + ";width:" + size
                        + "px;height:" + size + "px;line-height:" + size + "px;border-radius:50%;"
                        + "border:" + style.bubbleBorder + ";box-shadow:0 0 0 1px #1a1a1a;font:bold 12px sans-serif;"
                        + "text-align:center'>" + n + "</div>"});
            };
            for (var i = 0; i < rows.length; i++) {
                var r = rows[i];
                L.circleMarker([r[0], r[1]], {radius: style.radius, color: r[3] && style.hollow ? r[3] : style.stroke,
                                              weight: style.weight, fillColor: r[3] || style.colour,
                                              fillOpacity: r[3] ? 0.9 : style.fillOpacity})
                    .bindTooltip(r[2]).addTo(cluster);
            }
            cluster.addTo({{ this._parent.get_name() }});
            return cluster;
        })();
        {% endmacro %}""")

    def __init__(self, rows: list, colour: str, radius: int = 6, name: str | None = None, hollow: bool = False,
                 **options):
        super().__init__(name=name, **options)
        self._name = "PointLayer"
        self.rows = js_literal(rows)
        self.style = js_literal(marker_style(colour, radius, hollow))


# provincial zones: smaller, hollow markers outlined in the type's colour (national ones are filled)
PROVINCIAL_RADIUS_DELTA = 2


def marker_style(colour: str, radius: int, hollow: bool) -> dict:
    """How one layer's markers and cluster bubbles look: filled (national zones, towns, clusters) or hollow."""
    if hollow:
        return {"colour": "#ffffff", "stroke": colour, "weight": 2.2, "fillOpacity": 0.85, "hollow": True,
                "radius": max(radius - PROVINCIAL_RADIUS_DELTA, 3), "text": colour if text_colour(colour) == "#fff"
                else "#1a1a1a", "bubble": "#ffffff", "bubbleBorder": f"3px solid {colour}"}
    return {"colour": colour, "stroke": "#1a1a1a", "weight": 1, "fillOpacity": 0.9, "hollow": False,
            "radius": radius, "text": text_colour(colour), "bubble": colour,
            "bubbleBorder": "2px solid rgba(255,255,255,.9)"}


def text_colour(fill: str) -> str:
    """Black or white, whichever reads better on `fill` (#rrggbb)."""
    r, g, b = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
    return "#000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#fff"


def add_points(m: folium.Map, points: pd.DataFrame, tooltips: pd.Series, radius: int = 6,
               point_colours: pd.Series | None = None, names: dict[str, str] | None = None,
               clustered: bool = True) -> folium.Map:
    """One PointLayer per layer, fast with thousands of features.

    Points take their layer's colour unless `point_colours` (indexed like `points`) says otherwise; with
    `clustered=False` (small sets coloured by something else than layer) they never merge into bubbles.
    """
    for lid, group in points.groupby("layer", sort=False):
        colours = point_colours.loc[group.index].tolist() if point_colours is not None else [0] * len(group)
        rows = [list(r) for r in zip(group.geometry.y.round(5).tolist(), group.geometry.x.round(5).tolist(),
                                     tooltips.loc[group.index].tolist(), colours)]
        PointLayer(rows, LAYERS[lid].colour, radius=radius, name=(names or {}).get(lid, lid),
                   hollow=LAYERS[lid].level == "provincial",
                   disableClusteringAtZoom=CLUSTER_OFF_ZOOM if clustered else 1, maxClusterRadius=45,
                   showCoverageOnHover=False).add_to(m)
    return m


def add_outlines(m: folium.Map, polygons: gpd.GeoDataFrame, label_col: str = "name_zh",
                 colour: str = "#8a8a8a") -> folium.Map:
    """Thin unfilled outlines (e.g. Zhejiang counties) with a name tooltip."""
    Outlines(polygons, dict(zip(polygons["id"], polygons[label_col])), colour=colour, weight=0.7,
             empty_opacity=0.0, highlight=False).add_to(m)
    return m


def add_highlight(m: folium.Map, rec: dict, label: str) -> folium.Map:
    """A ring around the selected feature."""
    folium.CircleMarker((rec["geometry"].y, rec["geometry"].x), radius=14, color="#e41a1c", weight=3,
                        fill=False, tooltip=esc(label)).add_to(m)
    return m


def legend_html(items: list[tuple], title: str, inline: bool = False, footnote: str = "") -> str:
    """A legend of (colour, label, count[, hollow]) entries: a box over the map, or (`inline`) a wrapping row of
    chips. A hollow entry (provincial zones) shows a smaller ring in the colour, as on the map."""
    entries = []
    for item in items:
        colour, label, count = item[:3]
        hollow = len(item) > 3 and bool(item[3])
        dot = (f"<span style='display:inline-block;width:8px;height:8px;border-radius:50%;"
               f"border:2px solid {esc(colour)};background:#fff;margin:0 8px 0 2px;vertical-align:middle'></span>"
               if hollow else
               f"<span style='display:inline-block;width:12px;height:12px;border-radius:50%;"
               f"border:1px solid #1a1a1a;background:{esc(colour)};margin-right:6px;vertical-align:middle'></span>")
        text = esc(label) + (f" <b>{count:,}</b>" if count is not None else "")
        entries.append(f"<span style='margin:2px 14px 2px 0;white-space:nowrap'>{dot}{text}</span>" if inline
                       else f"<div style='margin:2px 0'>{dot}{text}</div>")
    note = (f"<div style='margin-top:4px;color:#444;font-size:11px'>{esc(footnote)}</div>" if footnote else "")
    if inline:
        return (f"<div class='atlas-legend' style='font:13px/1.6 sans-serif;display:flex;flex-wrap:wrap'>"
                f"<b style='margin-right:10px'>{esc(title)}</b>{''.join(entries)}{note}</div>")
    return (f"<div class='atlas-legend' style='position:absolute;bottom:56px;left:10px;z-index:1000;"
            f"background:rgba(255,255,255,.93);padding:8px 10px;border:1px solid #999;border-radius:4px;"
            f"font:12px/1.35 sans-serif;max-width:240px'><div style='font-weight:bold;margin-bottom:4px'>"
            f"{esc(title)}</div>{''.join(entries)}{note}</div>")


def add_legend(m: folium.Map, items: list[tuple], title: str, footnote: str = "") -> folium.Map:
    """A fixed legend over the map: (colour, label, count[, hollow]) per layer."""
    m.get_root().html.add_child(Raw(legend_html(items, title, footnote=footnote)))
    return m


def legend_items(layer_ids, layer_labels: dict[str, str], counts) -> list[tuple]:
    """(colour, label, count, hollow) per layer: provincial zones hollow, as drawn."""
    return [(LAYERS[lid].colour, layer_labels[lid], int(counts.get(lid, 0)), LAYERS[lid].level == "provincial")
            for lid in layer_ids]


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
    """tooltip_html for every feature, column-wise (thousands of features per page run)."""
    sectors = [", ".join(sector_labels.get(s, s) for s in (secs if isinstance(secs, (list, tuple)) else []))
               for secs in points["sectors"]]
    products = points["products"] if "products" in points else [None] * len(points)
    return pd.Series([_tooltip(en, zh, layer_labels.get(lid, lid), _year_text(year, missing_year), sec, prod, fid)
                      for en, zh, lid, year, sec, prod, fid in zip(points["name_en"], points["name_zh"],
                                                                  points["layer"], points["year"], sectors,
                                                                  products, points["id"])],
                     index=points.index, dtype=object)


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


# a person's own provincial / prefectural values: classes (not a linear scale) in a palette that is never sea-blue
CLASS_COLOURS = ["#fee8c8", "#fdbb84", "#fc8d59", "#e34a33", "#b30000"]
NO_DATA_FILL = "#fbfaf6"  # what the map component fills a province without a value with


def class_breaks(values, k: int = 5) -> list[float]:
    """Quantile class edges [min, ..., max] for up to `k` classes; repeated edges merged (pure).

    One distinct value gives one class; NaN is ignored; no value gives []."""
    v = pd.Series(values, dtype=float).dropna()
    if v.empty:
        return []
    edges = sorted(set(float(x) for x in v.quantile([i / k for i in range(k + 1)], interpolation="linear")))
    if len(edges) == 1:
        return [edges[0], edges[0]]
    return edges


def class_of(value: float, edges: list[float]) -> int:
    """Index of the class of `value` (edges from class_breaks; the last class includes its upper edge)."""
    for i in range(1, len(edges) - 1):
        if value < edges[i]:
            return i - 1
    return max(0, len(edges) - 2)


def class_colours(n_classes: int) -> list[str]:
    """`n_classes` colours spread over CLASS_COLOURS, light to dark."""
    if n_classes <= 1:
        return [CLASS_COLOURS[-2]]
    step = (len(CLASS_COLOURS) - 1) / (n_classes - 1)
    return [CLASS_COLOURS[round(i * step)] for i in range(n_classes)]


def value_legend_html(title: str, subtitle: str, edges: list[float], colours: list[str], no_data: str,
                      value_fmt: str = "{:,.4g}", top: int = 10) -> str:
    """A class legend: what the colour is (title), its unit and source (subtitle), one box per class."""
    rows = []
    for i, colour in enumerate(colours):
        low, high = edges[i], edges[i + 1]
        text = value_fmt.format(low) if low == high else f"{value_fmt.format(low)} – {value_fmt.format(high)}"
        rows.append(f"<div style='margin:1px 0'><span style='display:inline-block;width:14px;height:10px;"
                    f"background:{colour};border:1px solid #777;margin-right:6px'></span>{esc(text)}</div>")
    rows.append(f"<div style='margin:1px 0'><span style='display:inline-block;width:14px;height:10px;"
                f"background:{NO_DATA_FILL};border:1px solid #777;margin-right:6px'></span>{esc(no_data)}</div>")
    return (f"<div class='atlas-value-legend' style='position:absolute;top:{top}px;right:10px;z-index:1000;"
            f"background:rgba(255,255,255,.95);padding:6px 10px;border:1px solid #999;border-radius:4px;"
            f"font:12px/1.35 sans-serif;max-width:240px'><div style='font-weight:bold'>{esc(title)}</div>"
            f"<div style='color:#444;margin-bottom:3px'>{esc(subtitle)}</div>{''.join(rows)}</div>")


def area_styles(polygons: gpd.GeoDataFrame, values: pd.Series, title: str, subtitle: str, no_data: str,
                name_col: str = "name_en") -> tuple[dict[str, str], dict[str, str], str]:
    """Polygon id -> class colour, id -> label (escaped), and the class legend's HTML, for a person's values
    (indexed by province / prefecture id; the latest year). Polygons without a value get no fill."""
    valid = values.dropna().astype(float)
    edges = class_breaks(valid)
    colours = class_colours(len(edges) - 1) if edges else []
    fills, labels = {}, {}
    for pid, en, zh in zip(polygons["id"], polygons["name_en"], polygons["name_zh"]):
        name = f"{en} ({zh})" if name_col == "name_en" and en else zh
        v = valid.get(pid)
        if v is None or pd.isna(v):
            labels[pid] = esc(f"{name}: {no_data}")
            continue
        fills[pid] = colours[class_of(float(v), edges)]
        labels[pid] = esc(f"{name}: {v:,.4g}")
    legend = value_legend_html(title, subtitle, edges, colours, no_data) if edges else ""
    return fills, labels, legend


def add_value_choropleth(m: folium.Map, polygons: gpd.GeoDataFrame, values: pd.Series, title: str, subtitle: str,
                         no_data: str, name_col: str = "name_en") -> folium.Map:
    """Polygons (provinces or prefectures) coloured by a person's values in quantile classes, with a legend."""
    fills, labels, legend = area_styles(polygons, values, title, subtitle, no_data, name_col)
    Outlines(polygons, {k: html.unescape(v) for k, v in labels.items()}, fills, fill=NO_DATA_FILL,
             fill_opacity=0.75, empty_opacity=0.9).add_to(m)
    if legend:
        m.get_root().html.add_child(Raw(legend))
    return m


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
                 layer_ids, layer_labels: dict[str, str], sector_labels: dict[str, str], texts: dict[str, str], selected_rec: dict | None = None,
                 selected_label: str = "", fit_selection: bool = False, view: tuple | None = None,
                 highlights: list[tuple[dict, str]] = (), values: pd.Series | None = None,
                 tips: pd.Series | None = None) -> folium.Map:
    """The Map page's map: province base (or choropleth), clustered points per layer, legend, selection ring.

    `layer_labels` are the layers' short names (tooltips, legend); `texts` holds the translated strings:
    legend_title, year_not_given, choropleth_caption_count/_density. `tips` may hold the tooltips of every
    feature already made (they do not depend on the filters, so pages cache them).
    """
    fmap = base_map(provinces, tiles=tiles, fit=points_bounds(selected, pad=0.8) if fit_selection else None,
                    view=view)
    if choropleth != "off":
        add_provinces(fmap, provinces, province_values(selected, provinces, choropleth),
                      caption=texts[f"choropleth_caption_{choropleth}"],
                      value_fmt="{:,.0f}" if choropleth == "count" else "{:,.2f}", colours=CHOROPLETH_UNDER_MARKERS)
    else:
        add_provinces(fmap, provinces)
    tips = (tooltips(selected, layer_labels, sector_labels, texts["year_not_given"]) if tips is None
            else tips.loc[selected.index])
    colours = None
    if values is not None:  # colour by a (user's) indicator instead of by layer
        mine = selected["id"].map(values)
        colours = value_colours(mine)
        tips = tips + mine.map(lambda v: "" if pd.isna(v) else f"<br><b>{esc(values.name)}: {v:,.4g}</b>")
        valid = mine.dropna()
        if len(valid):
            add_gradient_legend(fmap, str(values.name), float(valid.min()), float(valid.max()), "{:,.4g}",
                                colours=VALUE_COLOURS, top=90)
    rings = ([(selected_rec, selected_label)] if selected_rec is not None else []) + list(highlights)
    # ringed features never merge into a cluster bubble: the ring would circle an empty spot beside it
    ringed = selected.index.isin([rec.get("id") for rec, _ in rings])
    add_points(fmap, selected[~ringed], tips[~ringed],
               point_colours=colours[~ringed] if colours is not None else None)
    if ringed.any():
        add_points(fmap, selected[ringed], tips[ringed], radius=8,
                   point_colours=colours[ringed] if colours is not None else None, clustered=False)
    for rec, label in rings:
        add_highlight(fmap, rec, label)
    counts = selected["layer"].value_counts()
    levels = {LAYERS[lid].level for lid in layer_ids}
    add_legend(fmap, legend_items(layer_ids, layer_labels, counts), texts["legend_title"],
               footnote=texts.get("legend_levels", "") if {"national", "provincial"} <= levels else "")
    return fmap
