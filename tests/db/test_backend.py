"""The database backend serves the same dashboard.data API as the built files: every layer, the
indicator table, the reference tables and the manifest are equal; geometry is PostGIS with SRID 4326."""
import json
from pathlib import Path

import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

from dashboard import data
from dashboard.paths import LAYERS_DIR

TABLES = sorted(p.stem for p in LAYERS_DIR.glob("*.csv") if p.name != "indicators.csv")


@pytest.fixture
def from_files(monkeypatch):
    monkeypatch.delenv(data.DATABASE_URL_ENV, raising=False)
    return data


@pytest.mark.parametrize("layer_id", data.layer_ids())
def test_every_layer_equals_the_file_backend(layer_id, atlas_url, use_database, from_files):
    files = data.load_layer(layer_id)
    use_database(atlas_url)
    from_db = data.load_layer(layer_id)
    assert_geodataframe_equal(from_db, files, check_less_precise=False)
    assert list(from_db.columns) == list(files.columns) and list(from_db.index) == list(files.index)
    assert (from_db.dtypes == files.dtypes).all()
    if "sectors" in files.columns:  # list-valued properties stay lists
        assert from_db["sectors"].tolist() == files["sectors"].tolist()
        assert all(isinstance(v, list) for v in from_db["sectors"])


def test_points_indicators_tables_and_manifest_equal_the_file_backend(atlas_url, use_database, from_files):
    files_points, files_ind = data.load_points(), data.load_indicators()
    files_tables = {name: data.load_table(name) for name in TABLES}
    files_manifest = data.load_manifest()
    use_database(atlas_url)
    assert data._backend(LAYERS_DIR)[0] == "db"
    assert_geodataframe_equal(data.load_points(), files_points)
    pd.testing.assert_frame_equal(data.load_indicators(), files_ind)
    for name in TABLES:
        pd.testing.assert_frame_equal(data.load_table(name), files_tables[name], obj=name)
    assert data.load_manifest() == files_manifest
    with pytest.raises(FileNotFoundError):  # as the file backend: callers fall back on a missing table
        data.load_table("no_such_table")


def test_without_the_setting_the_files_are_read(from_files, tmp_path):
    assert data.database_url() is None
    assert data._backend(LAYERS_DIR) == ("files", str(LAYERS_DIR))
    manifest = json.loads((LAYERS_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert len(data.load_points()) == sum(manifest["layers"][lid]["rows"] for lid in data.point_layer_ids())


def test_geometry_is_postgis_4326_with_spatial_indexes(atlas_url):
    import psycopg
    with psycopg.connect(atlas_url) as conn:
        srid, kinds = conn.execute("SELECT Find_SRID('public', 'atlas_features', 'geom'),"
                                   " array_agg(DISTINCT GeometryType(geom)) FROM atlas_features").fetchone()
        assert srid == 4326
        assert set(kinds) <= {"POINT", "POLYGON", "MULTIPOLYGON"} and "POINT" in kinds
        indexes = conn.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'atlas_features'").fetchall()
        assert any("USING gist (geom)" in row[0] for row in indexes)
        # a spatial query works on the stored geometry: Shenzhen SEZ lies inside Guangdong
        inside = conn.execute(
            "SELECT p.props->>'name_en' FROM atlas_features z JOIN atlas_features p ON p.layer = 'province'"
            " AND ST_Contains(p.geom, z.geom) WHERE z.id = 'sez-shenzhen'").fetchone()
        assert inside == ("Guangdong",)


def test_static_layers_are_read_once_per_process(atlas_url, use_database, monkeypatch):
    from dashboard import db
    use_database(atlas_url)
    data.clear_caches()
    calls = []
    real = db.read_layer
    monkeypatch.setattr(db, "read_layer", lambda url, lid: calls.append(lid) or real(url, lid))
    for _ in range(3):
        data.load_points()
        data.load_layer("sez")
    assert sorted(calls) == sorted(data.point_layer_ids())


def test_a_database_without_schema_or_data_is_reported(fresh_url, use_database):
    from dashboard import db
    use_database(fresh_url)
    with pytest.raises(db.SchemaError, match="db init"):
        data.load_layer("sez")
    db.init(fresh_url)
    with pytest.raises(db.SchemaError, match="db load"):
        db.check(fresh_url)


def test_an_explicit_layers_dir_reads_files_even_with_the_database_set(atlas_url, use_database, tmp_path):
    use_database(atlas_url)
    assert data._backend(tmp_path) == ("files", str(tmp_path))
    # `python -m dashboard check` passes Path(--out): the same place as the default, still the files
    assert data._backend(Path(str(LAYERS_DIR))) == ("files", str(LAYERS_DIR))
    assert data._backend(LAYERS_DIR) == ("db", atlas_url)  # the default: the shared database
