"""A throw-away PostgreSQL + PostGIS server for the tests (Debian's postgresql and postgresql-15-postgis-3).

`running_postgres()` runs initdb in a temporary directory, starts the server on a free port of 127.0.0.1
(trust authentication, unix socket in the same directory) and stops it afterwards. PostgreSQL refuses to
run as root, so as root the directory belongs to the `postgres` system user and the server runs as it.
"""
from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("ATLAS_PG_BIN", "/usr/lib/postgresql/15/bin"))
POSTGIS_CONTROL = Path("/usr/share/postgresql/15/extension/postgis.control")
TEMPLATE = "atlas_template"  # a database with PostGIS; test databases are copies of it


def missing() -> str | None:
    """Why the server cannot run here, or None."""
    if not (PG_BIN / "initdb").exists():
        return f"PostgreSQL is not installed ({PG_BIN / 'initdb'} is missing)"
    if not POSTGIS_CONTROL.exists():
        return f"PostGIS is not installed ({POSTGIS_CONTROL} is missing)"
    return None


def require_postgres() -> None:
    """Skip locally, fail on CI, when the Debian packages are missing (`make db-deps` installs them)."""
    reason = missing()
    if reason:
        message = f"{reason}; `make db-deps` installs postgresql and postgresql-15-postgis-3"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _as_server_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(_as_server_user(cmd), check=True, capture_output=True, text=True, timeout=120, cwd="/",
                          **kwargs)


@contextmanager
def running_postgres():
    """Yield the URL of the server's `postgres` database (superuser `postgres`, no password)."""
    from tests.browser.conftest import free_port
    require_postgres()
    base = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(base, account.pw_uid, account.pw_gid)
    datadir, log = base / "data", base / "server.log"
    port = free_port()
    try:
        _run([str(PG_BIN / "initdb"), "-D", str(datadir), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
              "--no-locale", "--no-sync"])
        _run([str(PG_BIN / "pg_ctl"), "-D", str(datadir), "-l", str(log), "-w", "-t", "60", "start", "-o",
              f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
              "-c full_page_writes=off -c max_connections=100"])
    except subprocess.CalledProcessError as exc:
        text = log.read_text(errors="replace") if log.exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr}\n{text}") from None
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    try:
        execute(url, f"CREATE DATABASE {TEMPLATE}")
        execute(database_url(url, TEMPLATE), "CREATE EXTENSION postgis")
        yield url
    finally:
        subprocess.run(_as_server_user([str(PG_BIN / "pg_ctl"), "-D", str(datadir), "-m", "fast", "-w", "stop"]),
                       capture_output=True, timeout=60, cwd="/")
        shutil.rmtree(base, ignore_errors=True)


def database_url(server_url: str, name: str) -> str:
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def execute(url: str, sql: str) -> None:
    import psycopg
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def new_database(server_url: str, name: str) -> str:
    """A fresh database with PostGIS (a copy of the template) and its URL."""
    execute(server_url, f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    return database_url(server_url, name)


def loaded_database(server_url: str, name: str) -> str:
    """A fresh database with the atlas schema and the built layers loaded."""
    from dashboard import db
    url = new_database(server_url, name)
    db.init(url)
    db.load(url)
    return url
