"""`db init` / `db load`: idempotent, a recorded schema version that is checked, changed files reloaded."""
import shutil

import psycopg
import pytest

from dashboard import data, db
from dashboard.__main__ import main
from dashboard.paths import LAYERS_DIR
from tests.db.postgres import execute


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("atlas_meta", "atlas_files", "atlas_features", "atlas_indicators")}


def test_init_and_load_twice_load_nothing_twice(fresh_url, capsys):
    assert main(["db", "init", "--url", fresh_url]) == 0
    assert main(["db", "init", "--url", fresh_url]) == 0
    assert "already present" in capsys.readouterr().out
    assert main(["db", "load", "--url", fresh_url]) == 0
    first = counts(fresh_url)
    out = capsys.readouterr().out
    assert "loaded    sez.geojson" in out and f"{len(db.built_files(LAYERS_DIR))} file(s) loaded" in out
    assert main(["db", "load", "--url", fresh_url]) == 0
    out = capsys.readouterr().out
    assert "0 file(s) loaded" in out and "unchanged sez.geojson" in out
    assert counts(fresh_url) == first
    assert first["atlas_meta"] == 1 and first["atlas_indicators"] == len(data.read_indicators_csv(
        LAYERS_DIR / "indicators.csv"))
    assert first["atlas_features"] == sum(len(data.read_layer_file(LAYERS_DIR / f"{lid}.geojson"))
                                          for lid in data.layer_ids())
    assert main(["db", "status", "--url", fresh_url]) == 0
    assert "schema version 1" in capsys.readouterr().out


def test_a_changed_file_is_reloaded_alone_and_replaces_its_rows(fresh_url, tmp_path):
    layers = tmp_path / "layers"
    shutil.copytree(LAYERS_DIR, layers)
    db.init(fresh_url)
    db.load(fresh_url, layers)
    sez = layers / "sez.geojson"
    sez.write_text(sez.read_text(encoding="utf-8").replace("Shenzhen", "Shenzhen (edited)"), encoding="utf-8")
    (layers / "regions.csv").unlink()  # a table no longer built
    report = db.load(fresh_url, layers)
    assert report.pop("sez.geojson") == "loaded" and report.pop("regions.csv") == "removed"
    assert set(report.values()) == {"unchanged"}
    assert db.read_layer(fresh_url, "sez").loc["sez-shenzhen", "name_en"] == "Shenzhen (edited)"
    assert len(db.read_layer(fresh_url, "sez")) == 7
    with pytest.raises(FileNotFoundError):
        db.read_table(fresh_url, "regions")


def test_another_schema_version_is_refused(fresh_url):
    db.init(fresh_url)
    execute(fresh_url, "UPDATE atlas_meta SET schema_version = 99")
    for action in (db.init, db.load, db.check, db.list_published):
        with pytest.raises(db.SchemaError, match="schema version 99, this app needs version 1"):
            action(fresh_url)


def test_load_before_init_says_what_to_run(fresh_url, capsys):
    assert main(["db", "load", "--url", fresh_url]) == 1
    assert "python -m dashboard db init" in capsys.readouterr().err


def test_the_cli_needs_a_database(monkeypatch, capsys):
    monkeypatch.delenv("ATLAS_DATABASE_URL", raising=False)
    assert main(["db", "status"]) == 2
    assert "ATLAS_DATABASE_URL" in capsys.readouterr().err


def test_init_without_the_rights_says_so(pg_server, capsys):
    """A user that may not create the extension or tables gets a message, not a traceback."""
    from tests.db.postgres import database_url
    execute(pg_server, "CREATE ROLE clerk LOGIN")
    execute(pg_server, "CREATE DATABASE bare TEMPLATE template0")  # no PostGIS in it
    execute(pg_server, "CREATE DATABASE no_rights TEMPLATE atlas_template")
    bare = database_url(pg_server, "bare").replace("postgres@", "clerk@")
    no_rights = database_url(pg_server, "no_rights").replace("postgres@", "clerk@")
    assert main(["db", "init", "--url", bare]) == 1
    assert "the PostGIS extension cannot be created" in capsys.readouterr().err
    assert main(["db", "init", "--url", no_rights]) == 1
    err = capsys.readouterr().err
    assert "refused: permission denied for schema public" in err and "Traceback" not in err
