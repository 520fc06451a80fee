"""The shared database backend: PostgreSQL + PostGIS behind the same `dashboard.data` API.

Set ``ATLAS_DATABASE_URL=postgresql://user:password@host:port/dbname`` and every app instance reads
the layers, the indicator table, the reference tables and the manifest from one database, and
shares the indicator tables colleagues publish. ``python -m dashboard db init`` creates the schema,
``python -m dashboard db load`` loads the built files of ``geodata/layers/`` (idempotent: a file whose
content hash is already loaded is reported "unchanged" and not loaded again).

Schema (version `SCHEMA_VERSION`, recorded in ``atlas_meta``):

- ``atlas_files``: one row per loaded file (layer, indicator table, reference table, manifest) with its
  sha256, row count, the layer's column order and, for reference tables and the manifest, the text;
- ``atlas_features``: one row per feature: ``layer``, ``ord`` (order in the file), ``id``, ``props``
  (jsonb, list-valued properties stay lists) and ``geom`` (geometry, SRID 4326, GIST index);
- ``atlas_indicators``: the long indicator table;
- ``published_tables`` (``name`` UNIQUE) and ``published_indicators`` (rows, ON DELETE CASCADE).

psycopg is imported only when a connection is opened, so the file backend never needs it.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

from . import files
from .layers import LAYERS
from .paths import LAYERS_DIR

DATABASE_URL_ENV = "ATLAS_DATABASE_URL"
SCHEMA_VERSION = 1
CONNECT_TIMEOUT = 5  # seconds
LOCK_ID = 0x41544C53  # pg advisory lock taken by `init` and `load` ("ATLS")
INDICATOR_TEXT_COLUMNS = ("entity_id", "indicator", "unit", "source", "note", "flag")
MAX_NAME_LENGTH = 120

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS atlas_meta (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    schema_version integer NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS atlas_files (
    name text PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('layer', 'indicators', 'table', 'manifest')),
    sha256 text NOT NULL,
    n_rows integer NOT NULL,
    columns jsonb,
    content text,
    loaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS atlas_features (
    layer text NOT NULL,
    ord integer NOT NULL,
    id text,
    props jsonb NOT NULL,
    geom geometry(Geometry, 4326),
    PRIMARY KEY (layer, ord)
);
CREATE INDEX IF NOT EXISTS atlas_features_geom_idx ON atlas_features USING gist (geom);
CREATE INDEX IF NOT EXISTS atlas_features_id_idx ON atlas_features (id);
CREATE TABLE IF NOT EXISTS atlas_indicators (
    ord integer PRIMARY KEY,
    entity_id text NOT NULL, indicator text NOT NULL, year integer, value double precision,
    unit text NOT NULL, source text NOT NULL, note text NOT NULL, flag text NOT NULL
);
CREATE INDEX IF NOT EXISTS atlas_indicators_entity_idx ON atlas_indicators (entity_id);
CREATE TABLE IF NOT EXISTS published_tables (
    id bigserial PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
    description text NOT NULL DEFAULT '',
    uploaded_by text NOT NULL CHECK (btrim(uploaded_by) <> ''),
    uploaded_at timestamptz NOT NULL DEFAULT now(),
    source text NOT NULL DEFAULT '',
    n_rows integer NOT NULL
);
CREATE TABLE IF NOT EXISTS published_indicators (
    table_id bigint NOT NULL REFERENCES published_tables (id) ON DELETE CASCADE,
    ord integer NOT NULL,
    entity_id text NOT NULL, indicator text NOT NULL, year integer, value double precision,
    unit text NOT NULL, source text NOT NULL, note text NOT NULL, flag text NOT NULL,
    PRIMARY KEY (table_id, ord)
);
CREATE INDEX IF NOT EXISTS published_indicators_entity_idx ON published_indicators (entity_id);
"""
INIT_HINT = "run `python -m dashboard db init` and `python -m dashboard db load`"


# -- errors -------------------------------------------------------------------------------------

class AtlasDatabaseError(RuntimeError):
    """Any problem with the shared database that the app reports instead of a traceback."""


class DatabaseUnavailable(AtlasDatabaseError):
    """The database cannot be reached (or the setting is not a valid connection string)."""

    def __init__(self, where: str, detail: str):
        self.where, self.detail = where, detail
        super().__init__(f"The shared database at {where} cannot be reached. Check the setting "
                         f"{DATABASE_URL_ENV} and that the database server is running. ({detail})")


class SchemaError(AtlasDatabaseError):
    """The database has no atlas schema, another schema version, or lacks loaded data."""


class PublishError(ValueError):
    """A table cannot be published as asked (empty name, no rows, ...)."""


class AlreadyPublished(PublishError):
    def __init__(self, name: str, uploaded_by: str, uploaded_at: datetime):
        self.name, self.uploaded_by, self.uploaded_at = name, uploaded_by, uploaded_at
        super().__init__(f"a table named {name!r} was already published by {uploaded_by} "
                         f"at {format_time(uploaded_at)}")


def format_time(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M %Z").strip()


# -- connections --------------------------------------------------------------------------------

INVALID_SETTING = "(an invalid connection string)"


def _conninfo(url: str) -> dict | None:
    from psycopg.conninfo import conninfo_to_dict
    try:
        return conninfo_to_dict(url)
    except Exception:  # noqa: BLE001 - any unparsable setting
        return None


def describe(url: str) -> str:
    """host:port/dbname of a connection string, never its password."""
    info = _conninfo(url)
    if info is None:
        return INVALID_SETTING
    host = str(info.get("host") or info.get("hostaddr") or "localhost")
    return f"{host}:{info.get('port') or 5432}/{info.get('dbname') or info.get('user') or ''}".rstrip("/")


def _detail(exc: Exception, url: str) -> str:
    """The driver's message on one line, with any password taken out."""
    text = " ".join(str(exc).split()).rstrip(".") or type(exc).__name__
    password = (_conninfo(url) or {}).get("password")
    return text.replace(str(password), "***") if password else text


@contextmanager
def connect(url: str):
    """A connection (committed on success, rolled back on error); failures become DatabaseUnavailable."""
    import psycopg
    if _conninfo(url) is None:  # do not echo it: the driver's message could quote a password
        raise DatabaseUnavailable(INVALID_SETTING, "expected postgresql://user:password@host:port/dbname")
    try:
        conn = psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT, application_name="china-zones-atlas")
    except (psycopg.OperationalError, psycopg.ProgrammingError) as exc:
        raise DatabaseUnavailable(describe(url), _detail(exc, url)) from None
    try:
        with conn:
            yield conn
    except psycopg.OperationalError as exc:
        raise DatabaseUnavailable(describe(url), _detail(exc, url)) from None


def _schema_version(conn) -> int | None:
    if conn.execute("SELECT to_regclass('atlas_meta')").fetchone()[0] is None:
        return None
    row = conn.execute("SELECT schema_version FROM atlas_meta").fetchone()
    return row[0] if row else None


def _check_schema(conn) -> None:
    version = _schema_version(conn)
    if version is None:
        raise SchemaError(f"the database has no atlas schema; {INIT_HINT}")
    if version != SCHEMA_VERSION:
        raise SchemaError(f"the database has atlas schema version {version}, this app needs version "
                          f"{SCHEMA_VERSION}; migrate the database or use a matching version of the app")


# -- init, load, status -------------------------------------------------------------------------

def init(url: str) -> str:
    """Create the PostGIS extension and the schema; idempotent. Raises SchemaError on another version."""
    with connect(url) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_ID,))
        version = _schema_version(conn)
        if version is not None:
            _check_schema(conn)
            return f"schema version {version} already present"
        _create_postgis(conn)
        conn.execute(SCHEMA_SQL)
        conn.execute("INSERT INTO atlas_meta (schema_version) VALUES (%s)", (SCHEMA_VERSION,))
    return f"created schema version {SCHEMA_VERSION}"


def _create_postgis(conn) -> None:
    import psycopg
    try:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    except psycopg.Error as exc:  # not installed on the server, or not allowed for this user
        raise SchemaError(f"the PostGIS extension cannot be created ({' '.join(str(exc).split())}); install "
                          "PostGIS on the database server and run `CREATE EXTENSION postgis` as its owner") from None


def built_files(layers_dir: Path) -> list[tuple[str, str]]:
    """(file name, kind) of every built file the database holds: layers, indicators, tables, manifest."""
    layers_dir = Path(layers_dir)
    files = [(f"{lid}.geojson", "layer") for lid in LAYERS]
    files.append(("indicators.csv", "indicators"))
    files += [(p.name, "table") for p in sorted(layers_dir.glob("*.csv")) if p.name != "indicators.csv"]
    files.append(("manifest.json", "manifest"))
    return files


def load(url: str, layers_dir: Path = LAYERS_DIR) -> dict[str, str]:
    """Load the built files into the database in one transaction: {file: loaded|unchanged|removed}.

    A file whose sha256 is already recorded is not loaded again; a changed file replaces its rows.
    """
    layers_dir = Path(layers_dir)
    report: dict[str, str] = {}
    with connect(url) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_ID,))
        _check_schema(conn)
        known = dict(conn.execute("SELECT name, sha256 FROM atlas_files").fetchall())
        wanted = built_files(layers_dir)
        for name, kind in wanted:
            raw = (layers_dir / name).read_bytes()
            sha = hashlib.sha256(raw).hexdigest()
            if known.get(name) == sha:
                report[name] = "unchanged"
                continue
            n_rows, columns, content = _LOADERS[kind](conn, name, raw)
            conn.execute(
                "INSERT INTO atlas_files (name, kind, sha256, n_rows, columns, content) VALUES (%s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, sha256 = EXCLUDED.sha256,"
                " n_rows = EXCLUDED.n_rows, columns = EXCLUDED.columns, content = EXCLUDED.content, loaded_at = now()",
                (name, kind, sha, n_rows, _jsonb(columns), content))
            report[name] = "loaded"
        for name in sorted(set(known) - {name for name, _ in wanted}):  # a table no longer built
            conn.execute("DELETE FROM atlas_files WHERE name = %s", (name,))
            report[name] = "removed"
    return report


def _jsonb(value):
    from psycopg.types.json import Jsonb
    return None if value is None else Jsonb(value)


def _load_layer(conn, name: str, raw: bytes):
    layer_id = name.removesuffix(".geojson")
    features = json.loads(raw)["features"]
    columns = list(files.frame_from_features(features).columns)
    conn.execute("DELETE FROM atlas_features WHERE layer = %s", (layer_id,))
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO atlas_features (layer, ord, id, props, geom) "
            "VALUES (%s, %s, %s, %s, ST_SetSRID(ST_GeomFromWKB(%s), 4326))",
            [(layer_id, ord_, (f["properties"] or {}).get("id"), _jsonb(f["properties"] or {}),
              shapely.to_wkb(shape(f["geometry"])) if f.get("geometry") else None)
             for ord_, f in enumerate(features)])
    return len(features), columns, None


def _load_indicators(conn, name: str, raw: bytes):
    frame = files.read_indicators_csv(io.BytesIO(raw))
    conn.execute("DELETE FROM atlas_indicators")
    _copy_indicators(conn, "atlas_indicators", (), frame)
    return len(frame), None, None


def _load_text(conn, name: str, raw: bytes):
    """A reference table or the manifest, kept as text; rows: the table's, or the files the manifest describes."""
    text = raw.decode("utf-8")
    if name.endswith(".json"):
        return sum(len(section) for section in json.loads(text).values()), None, text
    return len(files.read_table_csv(io.StringIO(text))), None, text


_LOADERS = {"layer": _load_layer, "indicators": _load_indicators, "table": _load_text, "manifest": _load_text}


def _indicator_records(frame: pd.DataFrame):
    """Rows in INDICATOR_COLUMNS order as plain values: '' for missing text, None for a missing year or value."""
    def plain(column: str, value):
        if pd.isna(value):
            return None if column in ("year", "value") else ""
        return int(value) if column == "year" else float(value) if column == "value" else str(value)
    for rec in frame[files.INDICATOR_COLUMNS].itertuples(index=False):
        yield tuple(plain(column, value) for column, value in zip(files.INDICATOR_COLUMNS, rec))


def _copy_indicators(conn, table: str, prefix: tuple, frame: pd.DataFrame) -> None:
    """COPY an indicator frame into `table`; `prefix` values (e.g. the table id) lead every row."""
    lead = ("table_id",) if prefix else ()
    columns = ", ".join((*lead, "ord", *files.INDICATOR_COLUMNS))
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for ord_, rec in enumerate(_indicator_records(frame)):
            copy.write_row((*prefix, ord_, *rec))


def status(url: str) -> dict:
    """Schema version and what is loaded: {'schema_version', 'files': {name: rows}, 'published': n}."""
    with connect(url) as conn:
        _check_schema(conn)
        files = dict(conn.execute("SELECT name, n_rows FROM atlas_files ORDER BY name").fetchall())
        published = conn.execute("SELECT count(*) FROM published_tables").fetchone()[0]
    return {"schema_version": SCHEMA_VERSION, "files": files, "published": published}


def check(url: str) -> None:
    """Raise DatabaseUnavailable / SchemaError unless the database serves the atlas (schema and data)."""
    with connect(url) as conn:
        _check_schema(conn)
        if conn.execute("SELECT count(*) FROM atlas_files WHERE name = 'manifest.json'").fetchone()[0] == 0:
            raise SchemaError(f"the database holds no built layers yet; {INIT_HINT}")


# -- reading (the dashboard.data API) ----------------------------------------------------------

def read_layer(url: str, layer_id: str) -> gpd.GeoDataFrame:
    """A layer as `data.read_layer_file` returns it from the file: same columns, order, dtypes, index."""
    with connect(url) as conn:
        _check_schema(conn)
        row = conn.execute("SELECT columns FROM atlas_files WHERE name = %s AND kind = 'layer'",
                           (f"{layer_id}.geojson",)).fetchone()
        if row is None:
            raise SchemaError(f"layer {layer_id!r} is not in the database; {INIT_HINT}")
        rows = conn.execute("SELECT props, ST_AsBinary(geom) FROM atlas_features WHERE layer = %s ORDER BY ord",
                            (layer_id,)).fetchall()
    features = [{"type": "Feature", "properties": props,
                 "geometry": mapping(shapely.from_wkb(bytes(wkb))) if wkb is not None else None}
                for props, wkb in rows]
    return files.frame_from_features(features)[row[0]]  # jsonb sorts keys: restore the file's column order


def read_indicators(url: str) -> pd.DataFrame:
    with connect(url) as conn:
        _check_schema(conn)
        return _indicator_frame(conn.execute(
            f"SELECT {', '.join(files.INDICATOR_COLUMNS)} FROM atlas_indicators ORDER BY ord").fetchall())


def _indicator_frame(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=files.INDICATOR_COLUMNS)
    for column in INDICATOR_TEXT_COLUMNS:
        frame[column] = frame[column].astype("str")
    frame["value"] = frame["value"].astype("float64")
    return files.typed_indicators(frame)


def _read_text(url: str, name: str) -> str:
    with connect(url) as conn:
        _check_schema(conn)
        row = conn.execute("SELECT content FROM atlas_files WHERE name = %s", (name,)).fetchone()
    if row is None:
        raise FileNotFoundError(f"{name} is not in the database ({describe(url)}); {INIT_HINT}")
    return row[0]


def read_table(url: str, name: str) -> pd.DataFrame:
    """A reference table; FileNotFoundError when it was not loaded (as the file backend raises)."""
    return files.read_table_csv(io.StringIO(_read_text(url, f"{name}.csv")))


def read_manifest(url: str) -> dict:
    return json.loads(_read_text(url, "manifest.json"))


# -- published tables ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Published:
    name: str
    description: str
    uploaded_by: str
    uploaded_at: datetime
    source: str
    n_rows: int
    indicators: tuple[str, ...]


def clean_name(name: str) -> str:
    """A table name as stored: trimmed, inner whitespace collapsed; PublishError when empty or too long."""
    text = re.sub(r"\s+", " ", str(name or "")).strip()
    if not text:
        raise PublishError("a published table needs a name")
    if len(text) > MAX_NAME_LENGTH:
        raise PublishError(f"a table name has at most {MAX_NAME_LENGTH} characters")
    return text


def cited(indicators: pd.DataFrame, source: str) -> pd.DataFrame:
    """The rows with the table's citation in front of each row's own source (which keeps its row number)."""
    source = str(source or "").strip()
    if not source:
        return indicators
    return indicators.assign(source=[f"{source} — {s}" if s else source for s in indicators["source"].fillna("")])


def publish(url: str, name: str, indicators: pd.DataFrame, *, uploaded_by: str, description: str = "",
            source: str = "") -> Published:
    """Publish an indicator table under a unique name, in one transaction.

    Two instances publishing the same name at once: the database's unique constraint lets one win;
    the other gets AlreadyPublished naming who published it and when.
    """
    import psycopg
    name = clean_name(name)
    uploaded_by, description, source = (str(v or "").strip() for v in (uploaded_by, description, source))
    if not uploaded_by:
        raise PublishError("say who uploaded the table")
    if indicators is None or indicators.empty:
        raise PublishError("the table has no values to publish")
    rows = cited(indicators, source)
    try:
        with connect(url) as conn:
            _check_schema(conn)
            table_id, uploaded_at = _insert_published(conn, name, description, uploaded_by, source, len(rows))
            _copy_indicators(conn, "published_indicators", (table_id,), rows)
    except psycopg.errors.UniqueViolation:
        winner = _published_row(url, name)
        if winner is None:  # published and unpublished again meanwhile
            raise PublishError(f"a table named {name!r} was being published at the same time; try again") from None
        raise AlreadyPublished(name, winner[0], winner[1]) from None
    return Published(name, description, uploaded_by, uploaded_at, source, len(rows),
                     tuple(sorted(rows["indicator"].unique())))


def _insert_published(conn, name, description, uploaded_by, source, n_rows):
    """The header row; waits on (and then fails against) a concurrent transaction publishing the same name."""
    return conn.execute(
        "INSERT INTO published_tables (name, description, uploaded_by, source, n_rows) "
        "VALUES (%s, %s, %s, %s, %s) RETURNING id, uploaded_at",
        (name, description, uploaded_by, source, n_rows)).fetchone()


def _published_row(url: str, name: str):
    with connect(url) as conn:
        return conn.execute("SELECT uploaded_by, uploaded_at FROM published_tables WHERE name = %s",
                            (name,)).fetchone()


def list_published(url: str) -> list[Published]:
    """Every published table, newest first."""
    with connect(url) as conn:
        _check_schema(conn)
        rows = conn.execute(
            "SELECT t.name, t.description, t.uploaded_by, t.uploaded_at, t.source, t.n_rows,"
            " coalesce(array_agg(DISTINCT i.indicator ORDER BY i.indicator)"
            "          FILTER (WHERE i.indicator IS NOT NULL), '{}')"
            " FROM published_tables t LEFT JOIN published_indicators i ON i.table_id = t.id"
            " GROUP BY t.id ORDER BY t.uploaded_at DESC, t.name").fetchall()
    return [Published(*row[:6], tuple(row[6])) for row in rows]


def published_indicators(url: str, name: str) -> pd.DataFrame:
    """The rows of a published table in the long indicator format; KeyError when it is not published."""
    with connect(url) as conn:
        _check_schema(conn)
        found = conn.execute("SELECT id FROM published_tables WHERE name = %s", (name,)).fetchone()
        if found is None:
            raise KeyError(name)
        rows = conn.execute(f"SELECT {', '.join(files.INDICATOR_COLUMNS)} FROM published_indicators "
                            "WHERE table_id = %s ORDER BY ord", found).fetchall()
    return _indicator_frame(rows)


def unpublish(url: str, name: str) -> bool:
    """Remove a published table and its rows; False when there was none of that name."""
    with connect(url) as conn:
        _check_schema(conn)
        return conn.execute("DELETE FROM published_tables WHERE name = %s", (name,)).rowcount > 0
