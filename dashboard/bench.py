"""Performance benchmark of the atlas against the budgets in DESIGN.md ("Budgets").

    python -m dashboard.bench [--scales 1,10,100] [--json out.json] [--runs N] [--loads N] [--skip-browser]

Data. Scale 1 is the built ``geodata/layers/``. Scale k (10, 100) is a synthetic copy made in a
temporary directory: every file of the built layer set is copied (polygons, tables, report), and
each point layer holds its original features plus k-1 copies of each with ids ``<id>-s1`` ..
``<id>-s<k-1>`` and coordinates jittered uniformly by at most ±0.05° in longitude and latitude
(seeded, so every run makes the same data). ``manifest.json`` gets the new row counts and hashes.
The app is pointed at it with ``ATLAS_LAYERS_DIR``.

Figures (per scale):

- ``server.<page>`` — server-side run time of one page, in ms: ``AppTest.from_file("streamlit_app.py")``
  in a fresh subprocess (so ``ATLAS_LAYERS_DIR`` and the caches are its own), ``switch_page`` to the
  page (every file of ``app_pages/``), one warm-up run, then the median of ``--runs`` timed
  ``AppTest.run()`` calls. It covers the entry script plus the page script with warm ``st.cache_data``
  caches: filtering, building the folium map and st_folium serialising it, tables, charts. ``cold_ms``
  in the JSON is the very first run of the process (data loading included). Budgeted for the Map page
  only.
- ``html.explorer_bytes`` — size in bytes (UTF-8) of the Map page's map with the default options
  (every point layer, province choropleth by count, OSM tiles, no selection):
  ``len(maps.explorer_map(...).get_root().render().encode())``. ``explorer_ms`` is build + render time.
  ``stfolium_bytes`` / ``stfolium_ms`` are what streamlit-folium actually ships (header + html + script,
  computed with its own helpers) and the time it takes to prepare it (it renders the map again).
  ``base_bytes`` is the same map without any point, i.e. the fixed cost of the province outlines.
- ``html.naive_bytes`` / ``naive_ms`` — a reference only: the same base map with one ``folium.Marker``
  (and tooltip) per feature, the way folium is usually used. Not budgeted.
- ``browser.first_render_ms`` — a real server (``streamlit run``) and headless Chromium: the time from
  navigation start of the Map page (``performance.now()`` of the top document) until a marker is
  visible in the map iframe (a ``.marker-cluster`` div or a circle-marker ``path.leaflet-interactive``;
  province outlines do not count). Each load is a fresh browser context (cold HTTP cache); the first
  load after server start is a warm-up that fills the server's data cache (reported as ``cold_ms``);
  the figure is the median of ``--loads`` further loads. ``dcl_ms`` is DOMContentLoaded of the page
  (Streamlit's frontend bundle parsed), ``iframe_ms`` when the map iframe appeared (the script has
  reached st_folium and the delta has arrived); the rest up to ``first_render_ms`` is the iframe loading
  Leaflet and running the map's script.

Budgets (1 MB = 1,000,000 bytes): Map page server run ≤150 ms at 1×, ≤400 ms at 10×; map HTML
(``html.explorer_bytes``) ≤1 MB at 1×, ≤2 MB at 10×; first render ≤2 s at 1×, ≤3 s at 10×. Other
scales (100×) are reported without a budget. The exit status is 1 when a budget is missed or a
measurement failed (page exception, server did not start, markers never appeared), else 0.

All figures are wall-clock times on a shared machine: the load average is printed with each scale
and stored in the JSON; compare runs made at similar load.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from . import files
from .pipeline import build
from .layers import LAYERS, POINT_LAYER_IDS
from .paths import LAYERS_DIR, ROOT

JITTER_DEG = 0.05
SEED = 20240601
MB = 1_000_000
BUDGETS = {  # (figure, scale) -> limit; ms or bytes
    ("server.map", 1): 150, ("server.map", 10): 400,
    ("html.explorer_bytes", 1): 1 * MB, ("html.explorer_bytes", 10): 2 * MB,
    ("browser.first_render_ms", 1): 2000, ("browser.first_render_ms", 10): 3000,
}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
MAP_IFRAME = "iframe[title='streamlit_folium.st_folium']"
# markers only: cluster icons, or circle markers (stroke #1a1a1a, see maps.PointLayer); not province paths
MARKER_SELECTOR = ".marker-cluster, path.leaflet-interactive[stroke='#1a1a1a']"


# ---------------------------------------------------------------- synthetic data

def layer_seed(layer_id: str, seed: int = SEED) -> int:
    return (seed * 1_000_003 + zlib.crc32(layer_id.encode())) % 2**32


def scale_points(gdf, scale: int, jitter: float = JITTER_DEG, seed: int = SEED, layer_id: str = ""):
    """The original features plus `scale - 1` jittered copies of each, ids ``<id>-s<k>``."""
    import geopandas as gpd

    base = gdf.reset_index(drop=True)
    if "year" in base.columns and base["year"].dtype.kind == "f":
        base["year"] = base["year"].astype("Int64")  # a layer with missing years reads back as float
    if scale <= 1 or base.empty:
        return base
    rng = np.random.default_rng(layer_seed(layer_id or str(base["layer"].iloc[0]), seed))
    frames = [base]
    xs, ys = base.geometry.x.to_numpy(), base.geometry.y.to_numpy()
    for k in range(1, scale):
        copy = base.copy()
        copy["id"] = copy["id"].astype(str) + f"-s{k}"
        dx = rng.uniform(-jitter, jitter, len(base))
        dy = rng.uniform(-jitter, jitter, len(base))
        copy = copy.set_geometry(gpd.points_from_xy(np.round(xs + dx, 6), np.round(ys + dy, 6), crs=base.crs))
        frames.append(copy)
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=base.crs)


def make_synthetic_layers(scale: int, dest: Path, src: Path = LAYERS_DIR, jitter: float = JITTER_DEG,
                          seed: int = SEED) -> dict:
    """Copy the built layer set `src` to `dest` with every point layer multiplied `scale` times.

    Polygon layers and tables are copied unchanged; the manifest's rows and sha256 are rewritten.
    Returns the new manifest.
    """
    from .data import read_layer_file

    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(Path(src).iterdir()):
        if path.is_file():
            shutil.copy2(path, dest / path.name)
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    for lid, meta in manifest["layers"].items():
        if lid not in POINT_LAYER_IDS:
            continue
        path = dest / meta["file"]
        scaled = scale_points(read_layer_file(path), scale, jitter, seed, lid)
        path.write_text(files.to_geojson(scaled), encoding="utf-8")
        meta["rows"] = int(len(scaled))
        meta["sha256"] = files.sha256(path)
    (dest / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


# ---------------------------------------------------------------- (a) server-side page runs

def pages_dir() -> Path:
    """The folder of the st.navigation pages (app_pages/; pages/ in older trees)."""
    for name in ("app_pages", "pages"):
        if (ROOT / name).is_dir():
            return ROOT / name
    return ROOT / "app_pages"


def page_names() -> list[str]:
    """The app's pages, the Map page first."""
    names = sorted(p.stem for p in pages_dir().glob("*.py") if not p.stem.startswith("_"))
    return sorted(names, key=lambda n: n != "map")


def apptest_worker(runs: int, pages: list[str]) -> dict:
    """Runs inside the subprocess (ATLAS_LAYERS_DIR already set): times every page with AppTest."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=600)
    t0 = time.perf_counter()
    at.run()  # the default (Map) page, cold: loads the data into st.cache_data
    cold_ms = (time.perf_counter() - t0) * 1000
    out: dict = {}
    if not pages:
        return {"error": f"no pages found in {pages_dir()}"}
    for page in pages:
        rec: dict = {"cold_ms": round(cold_ms, 1)} if page == "map" else {}
        try:
            at.switch_page(f"{pages_dir().name}/{page}.py")
            t0 = time.perf_counter()
            at.run()
            rec["warmup_ms"] = round((time.perf_counter() - t0) * 1000, 1)
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                at.run()
                times.append((time.perf_counter() - t0) * 1000)
            rec["runs_ms"] = [round(t, 1) for t in times]
            rec["median_ms"] = round(statistics.median(times), 1)
            rec["exceptions"] = [str(e.value)[:300] for e in at.exception]
        except Exception as exc:  # noqa: BLE001 - reported, not raised: the other pages still get measured
            rec["error"] = f"{type(exc).__name__}: {exc}"[:500]
        out[page] = rec
    return out


def measure_server(layers_dir: Path, runs: int, pages: list[str]) -> dict:
    code = ("import json, sys; from dashboard.bench import apptest_worker; "
            f"print('BENCH-JSON ' + json.dumps(apptest_worker({runs}, {pages!r})))")
    env = {**os.environ, "ATLAS_LAYERS_DIR": str(layers_dir), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=3600)
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH-JSON "):
            return json.loads(line[len("BENCH-JSON "):])
    return {"error": f"AppTest subprocess failed (rc {proc.returncode}): {proc.stderr[-1500:]}"}


# ---------------------------------------------------------------- (b) map HTML

def map_inputs(layers_dir: Path) -> dict:
    """What the Map page passes to maps.explorer_map with the default options, English interface."""
    from . import data, filters
    from .i18n import t

    points = data.load_points(layers_dir)
    vocab = data.load_table("sectors", layers_dir)
    state = filters.DEFAULT
    return dict(
        selected=filters.apply_filters(points, state), provinces=data.load_layer("province", layers_dir),
        choropleth=state.choropleth, tiles=state.tiles, layer_ids=state.layers,
        layer_labels={lid: LAYERS[lid].short_en for lid in POINT_LAYER_IDS},
        sector_labels=dict(zip(vocab["key"], vocab["label_en"])),
        texts={k: t(k, "en") for k in ("legend_title", "year_not_given", "choropleth_caption_count",
                                       "choropleth_caption_density")})


def naive_map(inputs: dict):
    """Reference: the same base, one folium.Marker with a tooltip per feature."""
    import folium

    from . import maps
    fmap = maps.base_map(inputs["provinces"], tiles=inputs["tiles"])
    maps.add_provinces(fmap, inputs["provinces"])
    selected = inputs["selected"]
    tips = maps.tooltips(selected, inputs["layer_labels"], inputs["sector_labels"], inputs["texts"]["year_not_given"])
    for i, geom in zip(selected.index, selected.geometry):
        folium.Marker((geom.y, geom.x), tooltip=tips[i]).add_to(fmap)
    return fmap


def stfolium_payload(fmap) -> int:
    """Bytes streamlit-folium sends for `fmap` (mirrors st_folium: it renders, then extracts three strings)."""
    import streamlit_folium as sf
    fmap.get_root().render()
    fmap.render()
    html, header = sf._get_html(fmap), sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    return sum(len(s.encode()) for s in (html, header, script))


def measure_html(layers_dir: Path, naive_limit: int) -> dict:
    from . import maps
    inputs = map_inputs(layers_dir)
    n = len(inputs["selected"])
    args = [inputs[k] for k in ("selected", "provinces", "choropleth", "tiles", "layer_ids", "layer_labels",
                                "sector_labels", "texts")]
    out: dict = {"features": n}
    t0 = time.perf_counter()
    html = maps.explorer_map(*args).get_root().render()
    out["explorer_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    out["explorer_bytes"] = len(html.encode())
    try:
        t0 = time.perf_counter()
        out["stfolium_bytes"] = stfolium_payload(maps.explorer_map(*args))
        out["stfolium_ms"] = round((time.perf_counter() - t0) * 1000, 1)  # build + st_folium's renders
    except Exception as exc:  # noqa: BLE001 - private helpers of streamlit-folium may change
        out["stfolium_error"] = f"{type(exc).__name__}: {exc}"
    empty = args.copy()
    empty[0] = inputs["selected"].iloc[:0]
    out["base_bytes"] = len(maps.explorer_map(*empty).get_root().render().encode())
    if n <= naive_limit:
        t0 = time.perf_counter()
        html = naive_map(inputs).get_root().render()
        out["naive_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        out["naive_bytes"] = len(html.encode())
    else:
        out["naive_skipped"] = f"{n} features > --naive-limit {naive_limit}"
    return out


# ---------------------------------------------------------------- (c) first render in Chromium

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, layers_dir: Path | None = None, log_path: Path | None = None,
                 timeout: float = 90) -> subprocess.Popen:
    """`streamlit run streamlit_app.py` on 127.0.0.1:`port`, returned once /_stcore/health answers."""
    cmd = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    env = {**os.environ}
    if layers_dir is not None:
        env["ATLAS_LAYERS_DIR"] = str(layers_dir)
    log = open(log_path, "w") if log_path else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}; log: {log_path}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    stop_server(proc)
    raise RuntimeError(f"streamlit did not answer on port {port} within {timeout:.0f} s; log: {log_path}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def one_load(browser, url: str, timeout_ms: int = 60_000) -> dict:
    """Navigation start -> first marker visible in the map iframe, in a fresh context."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)[:200]))
        page.goto(url, wait_until="commit", timeout=timeout_ms)
        handle = page.wait_for_selector(MAP_IFRAME, state="attached", timeout=timeout_ms)
        iframe_ms = page.evaluate("performance.now()")
        frame = handle.content_frame()
        frame.wait_for_selector(MARKER_SELECTOR, state="visible", timeout=timeout_ms)
        markers_ms = page.evaluate("performance.now()")
        dcl_ms = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
        exceptions = page.locator("[data-testid='stException']").count()
        return {"dcl_ms": round(dcl_ms, 1), "iframe_ms": round(iframe_ms, 1), "markers_ms": round(markers_ms, 1),
                "page_errors": errors, "exceptions": exceptions}
    finally:
        context.close()


def measure_browser(layers_dir: Path, loads: int, log_dir: Path) -> dict:
    from playwright.sync_api import sync_playwright

    port = free_port()
    proc = start_server(port, layers_dir, log_dir / f"bench-server-{port}.log")
    url = f"http://127.0.0.1:{port}/"
    out: dict = {"url": url}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                first = one_load(browser, url)
                out["cold_ms"] = first["markers_ms"]
                results = [one_load(browser, url) for _ in range(loads)]
            finally:
                browser.close()
        out["loads_ms"] = [r["markers_ms"] for r in results]
        out["iframe_loads_ms"] = [r["iframe_ms"] for r in results]
        out["first_render_ms"] = round(statistics.median(out["loads_ms"]), 1)
        out["iframe_ms"] = round(statistics.median(out["iframe_loads_ms"]), 1)
        out["dcl_ms"] = round(statistics.median(r["dcl_ms"] for r in results), 1)
        out["page_errors"] = [e for r in [first, *results] for e in r["page_errors"]]
        out["exceptions"] = sum(r["exceptions"] for r in [first, *results])
    except Exception as exc:  # noqa: BLE001 - a failed measurement is reported and fails the run
        out["error"] = f"{type(exc).__name__}: {str(exc)[:500]}"
    finally:
        stop_server(proc)
    return out


# ---------------------------------------------------------------- report

def figures(result: dict) -> list[tuple[str, int, float | None, str]]:
    """(figure, scale, value, unit) rows from one scale's result."""
    scale = result["scale"]
    rows = []
    for page, rec in result.get("server", {}).items():
        if isinstance(rec, dict):
            rows.append((f"server.{page}", scale, rec.get("median_ms"), "ms"))
    html = result.get("html", {})
    for key, unit in (("explorer_bytes", "B"), ("explorer_ms", "ms"), ("stfolium_bytes", "B"),
                      ("stfolium_ms", "ms"), ("base_bytes", "B"), ("naive_bytes", "B"), ("naive_ms", "ms")):
        if key in html:
            rows.append((f"html.{key}", scale, html[key], unit))
    browser = result.get("browser", {})
    for key in ("first_render_ms", "dcl_ms", "iframe_ms", "cold_ms"):
        if key in browser:
            rows.append((f"browser.{key}", scale, browser[key], "ms"))
    return rows


def failures(result: dict) -> list[str]:
    """Measurements that did not complete cleanly."""
    out = []
    server = result.get("server", {})
    if "error" in server:
        out.append(f"{result['scale']}x server: {server['error'][:300]}")
    for page, rec in server.items():
        if isinstance(rec, dict) and (rec.get("error") or rec.get("exceptions")):
            out.append(f"{result['scale']}x server.{page}: {rec.get('error') or rec.get('exceptions')}")
    browser = result.get("browser", {})
    if browser.get("error"):
        out.append(f"{result['scale']}x browser: {browser['error']}")
    if browser.get("page_errors") or browser.get("exceptions"):
        out.append(f"{result['scale']}x browser: page errors {browser.get('page_errors')}, "
                   f"exceptions {browser.get('exceptions')}")
    return out


def fmt_value(value, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "B":
        return f"{value / MB:.2f} MB" if value >= 100_000 else f"{value / 1000:.1f} kB"
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def report(results: list[dict]) -> tuple[str, list[dict], bool]:
    lines = [f"{'scale':>5}  {'figure':<26} {'value':>12}  {'budget':>10}  status", "-" * 68]
    checks, ok = [], True
    for result in results:
        lines.append(f"{result['scale']:>4}×  features: {result.get('features', '?'):,}")
        for name, scale, value, unit in figures(result):
            limit = BUDGETS.get((name, scale))
            if limit is None:
                status = ""
            elif value is None:
                status, ok = "MISSING", False
            elif value <= limit:
                status = "ok"
            else:
                status, ok = "OVER", False
            if limit is not None:
                checks.append({"figure": name, "scale": scale, "value": value, "budget": limit, "unit": unit,
                               "ok": status == "ok"})
            budget = fmt_value(limit, unit) if limit is not None else "—"
            lines.append(f"{'':>5}  {name:<26} {fmt_value(value, unit):>12}  {budget:>10}  {status}")
        present = {name for name, *_ in figures(result)}
        for (name, scale), limit in BUDGETS.items():
            skipped = name.startswith("browser.") and "browser" not in result
            if scale == result["scale"] and name not in present and not skipped:
                checks.append({"figure": name, "scale": scale, "value": None, "budget": limit, "ok": False})
                lines.append(f"{'':>5}  {name:<26} {'n/a':>12}  {'':>10}  MISSING")
                ok = False
        for problem in failures(result):
            lines.append(f"{'':>5}  FAILED: {problem}")
            ok = False
    lines.append("-" * 68)
    lines.append("all budgets met" if ok else "BUDGET MISSED or measurement failed")
    return "\n".join(lines), checks, ok


def environment() -> dict:
    import folium
    import streamlit
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "loadavg": os.getloadavg(),
            "streamlit": streamlit.__version__, "folium": folium.__version__,
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z")}


def run_scale(scale: int, layers_dir: Path, args, log_dir: Path) -> dict:
    from .data import load_manifest
    manifest = load_manifest(layers_dir)
    result = {"scale": scale, "layers_dir": str(layers_dir), "loadavg_at_start": os.getloadavg(),
              "features": sum(m["rows"] for lid, m in manifest["layers"].items() if lid in POINT_LAYER_IDS)}
    print(f"[{scale}×] {result['features']:,} point features in {layers_dir} "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)", flush=True)
    print(f"[{scale}×] server-side page runs (AppTest, {args.runs} runs each) …", flush=True)
    result["server"] = measure_server(layers_dir, args.runs, page_names())
    print(f"[{scale}×] map HTML …", flush=True)
    result["html"] = measure_html(layers_dir, args.naive_limit)
    if not args.skip_browser:
        print(f"[{scale}×] first render in Chromium ({args.loads} loads) …", flush=True)
        result["browser"] = measure_browser(layers_dir, args.loads, log_dir)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10,100", help="comma-separated multiples of today's points")
    parser.add_argument("--json", default=str(ROOT / "test-artifacts" / "bench.json"), help="write results here")
    parser.add_argument("--runs", type=int, default=5, help="timed AppTest runs per page (after one warm-up)")
    parser.add_argument("--loads", type=int, default=3, help="timed browser loads per scale (after one warm-up)")
    parser.add_argument("--skip-browser", action="store_true", help="no Chromium first-render measurement")
    parser.add_argument("--naive-limit", type=int, default=100_000,
                        help="skip the naive one-Marker-per-feature reference above this many features")
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    log_dir = ROOT / "test-artifacts"
    log_dir.mkdir(exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        for scale in scales:
            if scale == 1:
                layers_dir = LAYERS_DIR
            else:
                layers_dir = Path(tmp) / f"layers-x{scale}"
                make_synthetic_layers(scale, layers_dir)
            results.append(run_scale(scale, layers_dir, args, log_dir))
    table, checks, ok = report(results)
    print()
    print(table)
    payload = {"environment": environment(), "budgets_ok": ok, "checks": checks, "results": results}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"results: {args.json}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
