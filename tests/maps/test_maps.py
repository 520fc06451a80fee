"""Map builders: folium objects and their HTML (layers, legend, escaping, offline assets)."""
import folium
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from dashboard import maps

EVIL = "<script>alert('x')</script>"


@pytest.fixture
def provinces():
    return gpd.GeoDataFrame({"id": ["prov-44", "prov-33"], "adcode": ["440000", "330000"],
                             "name_en": ["Guangdong", EVIL], "name_zh": ["广东省", "浙江省"], "area_km2": [179800, 105500]},
                            geometry=[box(109, 20, 117, 25.5), box(118, 27, 123, 31)], crs="EPSG:4326")


@pytest.fixture
def points():
    frame = pd.DataFrame([
        {"id": "sez-shenzhen", "layer": "sez", "name_en": "Shenzhen", "name_zh": "深圳经济特区", "year": 1980,
         "sectors": ["electronics_ict"], "products": "", "adcode": "4403"},
        {"id": "cl-evil", "layer": "cluster", "name_en": EVIL, "name_zh": "<b>粗体</b>", "year": None,
         "sectors": [], "products": "<img src=x onerror=alert(1)>", "adcode": "330681"},
    ])
    gdf = gpd.GeoDataFrame(frame, geometry=[Point(114.06, 22.55), Point(121.0, 30.7)], crs="EPSG:4326")
    return gdf.set_index("id", drop=False)


def render(m: folium.Map) -> str:
    return m.get_root().render()


def build(points, provinces, **kw):
    m = maps.base_map(provinces, tiles=kw.get("tiles", "osm"))
    maps.add_provinces(m, provinces, maps.province_values(points, provinces, "count"), caption="per province")
    maps.add_points(m, points, maps.tooltips(points, {"sez": "SEZ", "cluster": "Cluster"}, {}, "no year"))
    maps.add_legend(m, [("#D55E00", "SEZ", 1), ("#000000", EVIL, 1)], "Layers")
    return m


def test_one_cluster_group_per_layer_with_plain_points_when_zoomed(points, provinces):
    m = build(points, provinces)
    clusters = [c for c in m._children.values() if isinstance(c, maps.PointLayer)]
    assert len(clusters) == 2
    assert all(c.options["disableClusteringAtZoom"] == maps.CLUSTER_OFF_ZOOM for c in clusters)


def test_tooltips_escape_names_and_products(points, provinces):
    html = render(build(points, provinces))
    assert "<script>alert('x')</script>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html or "\\u0026lt;script\\u0026gt;" in html


def test_tooltip_text_carries_the_feature_id_for_clicks(points):
    tip = maps.tooltip_html(points.loc["sez-shenzhen"].to_dict(), "SEZ", {}, "no year")
    assert "Shenzhen" in tip and "深圳经济特区" in tip and "1980" in tip
    visible_text = tip.replace("<br>", "\n")
    assert maps.clicked_feature_id(visible_text) == "sez-shenzhen"
    assert maps.clicked_feature_id("Guangdong (广东省): 3") is None
    assert maps.clicked_feature_id(None) is None


def test_missing_year_is_said(points):
    tip = maps.tooltip_html(points.loc["cl-evil"].to_dict(), "Cluster", {}, "no year")
    assert "no year" in tip


def test_legend_lists_layers_with_counts_and_escapes(points, provinces):
    html = render(build(points, provinces))
    assert "atlas-legend" in html and "SEZ <b>1</b>" in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_choropleth_counts_and_density(points, provinces):
    counts = maps.province_values(points, provinces, "count")
    assert counts.to_dict() == {"prov-44": 1.0, "prov-33": 1.0}
    density = maps.province_values(points, provinces, "density")
    assert density["prov-44"] == pytest.approx(10_000 / 179800, rel=1e-2)
    assert "atlas-choropleth-legend" in render(build(points, provinces))


def test_assets_are_served_locally_not_from_a_cdn(points, provinces):
    html = render(build(points, provinces, tiles="none"))
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    assert "/app/static/vendor/markercluster/leaflet.markercluster.js" in html
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html and "code.jquery" not in html
    assert "tile.openstreetmap.org" not in html


def test_osm_tiles_when_asked_and_data_attribution(points, provinces):
    html = render(build(points, provinces, tiles="osm"))
    assert "tile.openstreetmap.org" in html
    assert "DataV.GeoAtlas" in html and "GeoNames" in html


def test_md_escape_neutralises_markdown():
    assert maps.md_escape("[x](javascript:alert(1))") == r"\[x\]\(javascript:alert\(1\)\)"


def test_template_syntax_in_data_is_not_evaluated(points, provinces):
    """branca compiles rendered text as Jinja; `{{ … }}` in a name or an uploaded column must stay text."""
    points = points.copy()
    points.loc["sez-shenzhen", "name_en"] = "{{ 7*7 }} zone {% if true %}yes{% endif %}"
    values = pd.Series({"sez-shenzhen": 3.0}, name="{{ 6*7 }}")
    m = maps.explorer_map(points, provinces, "count", "none", ["sez", "cluster"], {"sez": "SEZ", "cluster": "{{ 5*5 }}"},
                          {}, {"legend_title": "Layers", "year_not_given": "no year", "choropleth_caption_count": "n",
                               "choropleth_caption_density": "d"}, values=values)
    html = render(m)
    assert "49 zone" not in html and "yeszone" not in html and "zone yes" not in html
    assert ">42<" not in html and ">25<" not in html
    assert "&#123;&#123; 7*7 &#125;&#125; zone" in html and "&#123;&#123; 6*7 &#125;&#125;" in html


def test_points_and_outlines_are_serialised_once_and_script_safe(points, provinces):
    html = render(build(points, provinces))
    assert "</script>alert" not in html and "<\\/script>" not in html.split("<script>", 1)[0]
    assert maps.js_literal("a</script><!--b") == '"a\\u003c/script>\\u003c!--b"'
    assert '"prov-44"' in maps.outlines_geojson(provinces)


def test_a_ringed_feature_is_never_inside_a_cluster_bubble(points, provinces):
    """The selection ring must circle a visible marker, not an empty spot beside a cluster bubble."""
    texts = {"legend_title": "Layers", "year_not_given": "no year", "choropleth_caption_count": "n",
             "choropleth_caption_density": "d"}
    rec = points.loc["sez-shenzhen"].to_dict()
    m = maps.explorer_map(points, provinces, "off", "none", ["sez", "cluster"], {"sez": "SEZ", "cluster": "Cl"},
                          {}, texts, selected_rec=rec, selected_label="Shenzhen")
    layers = [c for c in m._children.values() if isinstance(c, maps.PointLayer)]
    unclustered = [c for c in layers if c.options["disableClusteringAtZoom"] == 1]
    assert len(unclustered) == 1 and "Shenzhen" in unclustered[0].rows and "Shenzhen" not in "".join(
        c.rows for c in layers if c is not unclustered[0])
    assert sum(c.rows.count("[") for c in layers) - len(layers) == len(points)  # every feature drawn once
