"""Fixtures: one PostgreSQL + PostGIS server per session, a loaded atlas database, fresh databases."""
from __future__ import annotations

import itertools

import pytest

from dashboard import data
from tests.db.postgres import loaded_database, new_database, running_postgres

_names = itertools.count()


@pytest.fixture(scope="session")
def pg_server():
    with running_postgres() as url:
        yield url


@pytest.fixture(scope="session")
def atlas_url(pg_server):
    """A database holding the schema and the built layers (shared: tests must not change its layers)."""
    return loaded_database(pg_server, "atlas")


@pytest.fixture
def fresh_url(pg_server):
    """An empty database with PostGIS, no atlas schema."""
    return new_database(pg_server, f"fresh_{next(_names)}")


@pytest.fixture
def use_database(monkeypatch):
    """Point dashboard.data at a database URL (ATLAS_DATABASE_URL) for one test."""
    def use(url: str):
        monkeypatch.setenv(data.DATABASE_URL_ENV, url)
        return url
    yield use
    data.clear_caches()


@pytest.fixture
def clean_published(atlas_url):
    """The shared atlas database without published tables, before and after the test."""
    from tests.db.postgres import execute
    execute(atlas_url, "DELETE FROM published_tables")
    yield atlas_url
    execute(atlas_url, "DELETE FROM published_tables")
