"""The benchmark's synthetic layer sets (no timing here: figures are the benchmark's job)."""
import json
from pathlib import Path

import numpy as np
import pytest

from dashboard import bench, data, files
from dashboard.layers import POINT_LAYER_IDS
from dashboard.paths import LAYERS_DIR

SCALE = 3


@pytest.fixture(scope="module")
def original():
    return data.load_points(LAYERS_DIR)


@pytest.fixture(scope="module")
def scaled_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("layers-x3")
    bench.make_synthetic_layers(SCALE, out)
    return out


@pytest.fixture(scope="module")
def scaled(scaled_dir):
    return data.load_points(scaled_dir)


def test_every_point_layer_is_multiplied_by_the_scale(original, scaled):
    assert len(scaled) == SCALE * len(original)
    for lid in POINT_LAYER_IDS:
        assert (scaled["layer"] == lid).sum() == SCALE * (original["layer"] == lid).sum()


def test_ids_are_unique_and_name_their_source(original, scaled):
    assert scaled["id"].is_unique
    assert set(original["id"]) <= set(scaled["id"])  # the originals keep their ids (profiles, indicators)
    copies = scaled[~scaled["id"].isin(original["id"])]
    assert set(copies["id"]) == {f"{i}-s{k}" for i in original["id"] for k in range(1, SCALE)}


def test_copies_stay_near_their_source_point_and_keep_its_attributes(original, scaled):
    for k in range(1, SCALE):
        copies = scaled.loc[[f"{i}-s{k}" for i in original["id"]]]
        dx = np.abs(copies.geometry.x.to_numpy() - original.geometry.x.to_numpy())
        dy = np.abs(copies.geometry.y.to_numpy() - original.geometry.y.to_numpy())
        assert dx.max() <= bench.JITTER_DEG + 1e-6 and dy.max() <= bench.JITTER_DEG + 1e-6
        assert (dx + dy).mean() > 0.01  # really jittered, not stacked on the source point
        for col in ("layer", "name_en", "province_en", "region", "catalogue_code"):
            assert copies[col].tolist() == original[col].tolist()
        assert copies["sectors"].tolist() == original["sectors"].tolist()  # lists stay lists
        assert copies["year"].fillna(-1).tolist() == original["year"].fillna(-1).tolist()


def test_original_features_are_unchanged(original, scaled):
    same = scaled.loc[original.index]
    assert same.geometry.equals(original.geometry)
    assert same["name_zh"].tolist() == original["name_zh"].tolist()


def test_manifest_matches_the_files(scaled_dir):
    manifest = json.loads((scaled_dir / "manifest.json").read_text(encoding="utf-8"))
    source = json.loads((LAYERS_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["layers"]) == set(source["layers"]) and set(manifest["tables"]) == set(source["tables"])
    for lid, meta in manifest["layers"].items():
        path = scaled_dir / meta["file"]
        assert meta["sha256"] == files.sha256(path)
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        assert meta["rows"] == len(features)
        factor = SCALE if lid in POINT_LAYER_IDS else 1
        assert meta["rows"] == factor * source["layers"][lid]["rows"]
        assert meta["columns"] == source["layers"][lid]["columns"]
    for name, meta in manifest["tables"].items():
        assert meta == source["tables"][name]
        assert (scaled_dir / meta["file"]).read_bytes() == (LAYERS_DIR / meta["file"]).read_bytes()


def test_polygons_and_tables_are_copied(scaled_dir):
    for path in LAYERS_DIR.iterdir():
        if path.is_file():
            assert (scaled_dir / path.name).exists(), path.name
    assert (scaled_dir / "province.geojson").read_bytes() == (LAYERS_DIR / "province.geojson").read_bytes()
    assert len(data.load_layer("province", scaled_dir)) == len(data.load_layer("province", LAYERS_DIR))
    assert len(data.load_indicators(scaled_dir)) == len(data.load_indicators(LAYERS_DIR))


def test_generation_is_deterministic(scaled_dir, tmp_path):
    again = tmp_path / "again"
    bench.make_synthetic_layers(SCALE, again)
    for lid in POINT_LAYER_IDS:
        assert (again / f"{lid}.geojson").read_bytes() == (scaled_dir / f"{lid}.geojson").read_bytes()


def test_scale_one_rewrites_the_layers_byte_for_byte(tmp_path):
    manifest = bench.make_synthetic_layers(1, tmp_path / "x1")
    for lid in POINT_LAYER_IDS:
        assert (tmp_path / "x1" / f"{lid}.geojson").read_bytes() == (LAYERS_DIR / f"{lid}.geojson").read_bytes()
    assert manifest == json.loads((LAYERS_DIR / "manifest.json").read_text(encoding="utf-8"))


def test_empty_layer_and_scale_points_shape():
    layer = data.read_layer_file(LAYERS_DIR / "sez.geojson")
    assert len(bench.scale_points(layer.iloc[:0], 10, layer_id="sez")) == 0
    out = bench.scale_points(layer, 4, layer_id="sez")
    assert len(out) == 4 * len(layer) and out["id"].is_unique
    assert out.crs == layer.crs


def test_1x_is_the_built_points_or_a_copy_multiplied_to_about_2700():
    assert bench.base_factor(2649) == 1  # the catalogue built: 1x is the real data
    assert bench.base_factor(658) == 4 and bench.base_factor(0) == 1


def test_report_checks_each_figure_against_its_budget_both_ways():
    result = {"scale": 1, "features": 2649, "loadavg_at_start": (1.0, 1.0, 1.0), "loadavg_at_end": (1.0, 1.0, 1.0),
              "server": {"map": {"median_ms": 40.0}},
              "protocol": {"first_load_bytes": 300_000, "filter_change_bytes": 400_000, "exceptions": []},
              "browser": {"first_render_vs_floor": 1.1, "first_render_ms": 2200, "floor_ms": 2000,
                          "filter_redraw_ms": 450, "exceptions": 0, "page_errors": []},
              "capacity": {"sessions_held": 10}}
    text, checks, ok = bench.report([result])
    verdict = {c["figure"]: c["ok"] for c in checks}
    assert verdict["server.map"] and verdict["map.first_load_bytes"] and verdict["browser.first_render_vs_floor"]
    assert not verdict["map.filter_change_bytes"]  # 400 kB > 300 kB
    assert not verdict["load.sessions_held"] and "UNDER" in text  # a minimum: 10 < 25
    assert not ok
