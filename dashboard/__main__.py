"""Command line: ``python -m dashboard build`` | ``python -m dashboard check``."""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from .paths import LAYERS_DIR, SOURCES


def cmd_build(args) -> int:
    from .build import build
    report = build(Path(args.sources), Path(args.out))
    print(f"built {Path(args.out)}: " + ", ".join(f"{k} {v}" for k, v in report.counts.items()))
    print(f"coordinate precision: {report.precision}")
    print(f"coordinates replaced / fallen back: {len(report.corrections)}; not placed: {len(report.unplaced)}")
    for problem in report.problems:
        print(f"PROBLEM: {problem}")
    print(f"report: {Path(args.out) / 'build_report.md'}")
    return 1 if report.problems else 0


def cmd_check(args) -> int:
    from .check import check
    problems = check(Path(args.sources), Path(args.out))
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print(f"check: {len(problems)} problem(s)")
    return 1 if problems else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard")
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name, func, text in (("build", cmd_build, "build geodata/layers from geodata/sources"),
                             ("check", cmd_check, "validate sources and built layers; non-zero on problems")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--sources", default=str(SOURCES))
        p.add_argument("--out", default=str(LAYERS_DIR))
        p.set_defaults(func=func)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
