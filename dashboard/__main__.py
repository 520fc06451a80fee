"""Command line: ``python -m dashboard build`` | ``check`` | ``db init`` | ``db load`` | ``db status``."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from .paths import LAYERS_DIR, SOURCES


def cmd_build(args) -> int:
    from .pipeline.build import build
    report = build(Path(args.sources), Path(args.out))
    print(f"built {Path(args.out)}: " + ", ".join(f"{k} {v}" for k, v in report.counts.items()))
    print(f"coordinate precision: {report.precision}")
    print(f"coordinates replaced / fallen back: {len(report.corrections)}; not placed: {len(report.unplaced)}")
    for problem in report.problems:
        print(f"PROBLEM: {problem}")
    print(f"report: {Path(args.out) / 'build_report.md'}")
    return 1 if report.problems else 0


def cmd_check(args) -> int:
    from .pipeline.check import check
    problems = check(Path(args.sources), Path(args.out))
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print(f"check: {len(problems)} problem(s)")
    return 1 if problems else 0


def cmd_db(args) -> int:
    """The shared database: `init` creates the schema, `load` loads the built layers, `status` reports."""
    import psycopg

    from . import db
    from .db import DATABASE_URL_ENV
    url = args.url or os.environ.get(DATABASE_URL_ENV, "").strip()
    if not url:
        print(f"no database: set {DATABASE_URL_ENV}=postgresql://user:password@host:port/dbname or pass --url",
              file=sys.stderr)
        return 2
    try:
        if args.action == "init":
            print(f"{db.describe(url)}: {db.init(url)}")
        elif args.action == "load":
            report = db.load(url, Path(args.layers))
            for name, outcome in report.items():
                print(f"{outcome:9} {name}")
            loaded = sum(outcome == "loaded" for outcome in report.values())
            print(f"{db.describe(url)}: {loaded} file(s) loaded, {len(report) - loaded} unchanged or removed")
        else:
            info = db.status(url)
            print(f"{db.describe(url)}: schema version {info['schema_version']}, "
                  f"{len(info['files'])} file(s) loaded, {info['published']} published table(s)")
            for name, rows in info["files"].items():
                print(f"{rows:7} {name}")
    except db.AtlasDatabaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except psycopg.Error as exc:  # e.g. no permission to create tables
        print(f"error: the database at {db.describe(url)} refused: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard")
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name, func, text in (("build", cmd_build, "build geodata/layers from geodata/sources"),
                             ("check", cmd_check, "validate sources and built layers; non-zero on problems")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--sources", default=str(SOURCES))
        p.add_argument("--out", default=str(LAYERS_DIR))
        p.set_defaults(func=func)
    p = sub.add_parser("db", help="the shared PostgreSQL/PostGIS database (ATLAS_DATABASE_URL)")
    p.add_argument("action", choices=("init", "load", "status"),
                   help="init: create the schema; load: load the built layers (idempotent); status: what is loaded")
    p.add_argument("--url", help="connection string (default: $ATLAS_DATABASE_URL)")
    p.add_argument("--layers", default=str(LAYERS_DIR), help="built layers to load (default: geodata/layers)")
    p.set_defaults(func=cmd_db)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
