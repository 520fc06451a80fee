"""Server capacity without browsers: many Streamlit sessions at the protocol level against one server.

    python scripts/load_test.py [--url URL] [--sessions 10,25,40] [--seconds 60] [--think 1-5]
                                [--step-timeout 60] [--layers-dir DIR] [--no-pages] [--json out.json]

Without --url it starts its own server (`streamlit run streamlit_app.py` on a free loopback port, optionally
on another layer set with --layers-dir, e.g. the benchmark's synthetic 10× copy) and stops it at the end;
it only ever targets 127.0.0.1 / localhost. For each number of --sessions in turn it runs the load for
--seconds (see dashboard/loadtest.py for what a session does) and prints throughput, p50 / p95 / max per
action and the errors; the largest number of sessions whose p95 stays under 2 s is reported as the capacity.
Exit 0 when there were no errors, else 1.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.bench import free_port, start_server, stop_server  # noqa: E402
from dashboard.loadtest import format_summary, run_async, run_load  # noqa: E402

P95_LIMIT_MS = 2000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server on this machine (default: start one)")
    parser.add_argument("--sessions", default="10,25,40", help="comma list: concurrent sessions, run in turn")
    parser.add_argument("--seconds", type=float, default=60, help="length of each run")
    parser.add_argument("--think", default="1-5", help="think time between actions, seconds (uniform lo-hi)")
    parser.add_argument("--step-timeout", type=float, default=60, help="an action slower than this is an error")
    parser.add_argument("--layers-dir", help="serve another built layer set (ATLAS_LAYERS_DIR)")
    parser.add_argument("--scale", type=int, default=0, help="serve a synthetic copy of the layers at this scale")
    parser.add_argument("--no-pages", action="store_true", help="only the Map page")
    parser.add_argument("--json", default=str(ROOT / "test-artifacts" / "load_test.json"))
    args = parser.parse_args(argv)
    lo, hi = (float(x) for x in args.think.split("-"))
    counts = [int(n) for n in args.sessions.split(",") if n.strip()]
    if args.url and urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--url must be a loopback address")
    proc, tmp = None, None
    base = args.url
    if not base:
        layers_dir = Path(args.layers_dir) if args.layers_dir else None
        if args.scale > 1:
            from dashboard.bench import make_synthetic_layers
            tmp = tempfile.TemporaryDirectory(prefix="atlas-load-")
            layers_dir = Path(tmp.name) / f"layers-x{args.scale}"
            make_synthetic_layers(args.scale, layers_dir)
        port = free_port()
        (ROOT / "test-artifacts").mkdir(exist_ok=True)
        proc = start_server(port, layers_dir, ROOT / "test-artifacts" / f"load-server-{port}.log")
        base = f"http://127.0.0.1:{port}"
    results = []
    try:
        for n in counts:
            print(f"{n} sessions for {args.seconds:.0f} s (load average {os.getloadavg()[0]:.2f}) …", flush=True)
            summary = run_async(run_load(base, n, args.seconds, (lo, hi), args.step_timeout, not args.no_pages))
            summary["loadavg"] = os.getloadavg()
            results.append(summary)
            print(format_summary(summary), flush=True)
    finally:
        if proc is not None:
            stop_server(proc)
        if tmp is not None:
            tmp.cleanup()
    held = [r["sessions"] for r in results if r["p95_ms"] is not None and r["p95_ms"] < P95_LIMIT_MS and not r["errors"]]
    print(f"\nsessions held with p95 < {P95_LIMIT_MS} ms and no errors: {max(held) if held else 'none'} "
          f"(of {', '.join(map(str, counts))})")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "url": base,
                                           "think_s": [lo, hi], "runs": results}, indent=1, ensure_ascii=False) + "\n")
    return 0 if all(r["errors"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
