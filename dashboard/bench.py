"""Performance benchmark of the atlas against the budgets of the design ("Budgets", also in the README).

    python -m dashboard.bench [--scales 1,10] [--json out.json] [--runs N] [--loads N] [--changes N]
                              [--skip-browser] [--load-sessions 25] [--load-seconds 60] [--load-scales 1]

Scale. 1× is every catalogue zone plus the papers' features (≈ 2,700 points). While the built layers hold
fewer than MIN_1X_FEATURES points (before the provincial catalogue zones are built), 1× is the built
points multiplied to about TARGET_1X_FEATURES (`base_factor`) and the report says so. 10× is ten times 1×.
A multiplied set is a synthetic copy in a temporary directory: every file of the built layer set is
copied, and each point layer holds its original features plus k-1 copies of each with ids ``<id>-s1`` ..
``<id>-s<k-1>`` and coordinates jittered uniformly by at most ±0.05° (seeded, the same every run);
``manifest.json`` gets the new row counts and hashes. The app is pointed at it with ``ATLAS_LAYERS_DIR``.

Figures (per scale), each against its budget where it has one:

- ``server.<page>`` — server-side run of one page after warm-up, ms: ``AppTest.from_file("streamlit_app.py")``
  in a fresh subprocess, ``switch_page`` to the page, one warm-up run, median of ``--runs`` runs (data
  cached by ``st.cache_data``; filtering, the map payload, tables, charts). Budget: the Map page.
- ``map.first_load_bytes`` — what the Map page's map needs on a first load with a cold browser cache, as
  received: the component's element in the first script run (websocket message) plus the files it
  fetches (tooltips, province outlines; gzip where Streamlit compresses). ``map.filter_change_bytes`` —
  every byte the server sends over the websocket for one filter change (a layer checkbox, after a load):
  the map's points, the table, the widgets. Both measured with the protocol client of
  `dashboard.loadtest` against a real server.
- ``browser.first_render_vs_floor`` — first render in headless Chromium divided by the floor measured in
  the same run: a bare Streamlit page with one 20-point ``st_folium`` map (Leaflet served locally). Each
  figure is navigation start → first marker visible in the map iframe, median of ``--loads`` loads in
  fresh browser contexts (cold HTTP cache), floor and atlas loads alternating, after one warm-up each.
  ``browser.first_render_ms`` / ``browser.floor_ms`` are the two medians. ``browser.map_drawn_ms`` (no budget):
  navigation start → every layer of the atlas's map drawn (its first draw is sliced over animation frames,
  national zones first, so the first markers show before the last provincial ones are added).
  ``browser.filters_ms`` (no budget): navigation start → the sidebar's layer boxes shown (drawn by the run
  that the map's report of its first draw starts).
- ``browser.filter_redraw_ms`` — a layer checkbox clicked in the sidebar (a click event dispatched in the
  page, timed from that moment) → the map redrawn (the component's ``window.atlasDrawn.at``, one animation
  frame after the changed layers were drawn, and the legend showing the change), median of ``--changes``
  changes (the layer toggled off and on). ``redraw_parts`` in the JSON splits each into the time until the
  render message reached the map (browser → server run → browser) and the component's own drawing.
- ``load.sessions_held`` — the largest number of concurrent protocol-level sessions
  (``dashboard.loadtest``, think time 1–5 s) in ``--load-sessions`` whose p95 stayed under 2 s with no
  error, for ``--load-seconds`` each, at the scales in ``--load-scales``. Budget: at least 25 at 1×.
- ``ref.stfolium_bytes`` — a reference, not budgeted: what streamlit-folium would send on every filter
  change for the same map (``maps.explorer_map``, header + HTML + script), the way the page worked before.

The exit status is 1 when a budget is missed or a measurement failed, else 0. All figures are wall-clock on a
shared machine: the load averages (``uptime``) at the start and end of each scale are printed and stored in
the JSON; compare runs made at similar load.
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
KB = 1_000
# (figure, scale) -> (limit, unit, "max" | "min"): the design's budgets (README "Benchmark")
BUDGETS = {
    ("server.map", 1): (150, "ms", "max"), ("server.map", 10): (400, "ms", "max"),
    ("map.first_load_bytes", 1): (1 * MB, "B", "max"), ("map.first_load_bytes", 10): (2.5 * MB, "B", "max"),
    ("map.filter_change_bytes", 1): (300 * KB, "B", "max"), ("map.filter_change_bytes", 10): (1.5 * MB, "B", "max"),
    ("browser.first_render_vs_floor", 1): (1.25, "x", "max"), ("browser.first_render_vs_floor", 10): (1.5, "x", "max"),
    ("browser.filter_redraw_ms", 1): (500, "ms", "max"), ("browser.filter_redraw_ms", 10): (1000, "ms", "max"),
    ("load.sessions_held", 1): (25, "sessions", "min"),
}
MIN_1X_FEATURES = 2_000   # fewer built points than this: 1x is a multiplied copy (see base_factor)
TARGET_1X_FEATURES = 2_700
P95_LIMIT_MS = 2000
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
ATLAS_IFRAME = "iframe[title$='atlas_map']"  # the Map page's map component (dashboard/components/atlas_map)
FOLIUM_IFRAME = "iframe[title='streamlit_folium.st_folium']"
MAP_IFRAME = f"{ATLAS_IFRAME}, {FOLIUM_IFRAME}"
# markers only: cluster icons, or circle markers (stroke #1a1a1a); not province paths
MARKER_SELECTOR = ".marker-cluster, path.leaflet-interactive[stroke='#1a1a1a']"
FLOOR_APP = """# The benchmark's floor: a bare Streamlit page with one 20-point st_folium map (Leaflet served locally).
import sys
sys.path.insert(0, {root!r})
import folium
import streamlit as st
from streamlit_folium import st_folium
from dashboard import maps  # noqa: F401  (points folium at the locally served Leaflet)

st.title("Floor")
m = folium.Map(location=(35.0, 104.5), zoom_start=4, tiles=None)
for i in range(20):
    folium.CircleMarker((25 + i * 0.6, 100 + i * 1.0), radius=6, color="#1a1a1a", weight=1, fill=True,
                        fill_color="#0072B2", fill_opacity=0.9, tooltip=f"point {{i}}").add_to(m)
st_folium(m, height=620, use_container_width=True, key="floor_map", returned_objects=[])
"""


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


def base_factor(built_features: int) -> int:
    """How many times the built points are multiplied to make 1x (1 once the catalogue is built)."""
    if built_features >= MIN_1X_FEATURES or built_features <= 0:
        return 1
    return max(1, round(TARGET_1X_FEATURES / built_features))


def built_features(layers_dir: Path = LAYERS_DIR) -> int:
    from .data import load_manifest
    manifest = load_manifest(layers_dir)
    return sum(m["rows"] for lid, m in manifest["layers"].items() if lid in POINT_LAYER_IDS)


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
    at.session_state["m_controls"] = True  # the Map page's whole run: as once the browser's map has drawn
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


# ---------------------------------------------------------------- (b) reference: what st_folium would send

def map_inputs(layers_dir: Path) -> dict:
    """What the Map page shows with the default options, English interface (for the folium reference)."""
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


def stfolium_payload(fmap) -> int:
    """Bytes streamlit-folium sends for `fmap` (mirrors st_folium: it renders, then extracts three strings)."""
    import streamlit_folium as sf
    fmap.get_root().render()
    fmap.render()
    html, header = sf._get_html(fmap), sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    return sum(len(s.encode()) for s in (html, header, script))


def measure_reference(layers_dir: Path) -> dict:
    from . import maps
    inputs = map_inputs(layers_dir)
    args = [inputs[k] for k in ("selected", "provinces", "choropleth", "tiles", "layer_ids", "layer_labels",
                                "sector_labels", "texts")]
    out: dict = {"features": len(inputs["selected"])}
    try:
        t0 = time.perf_counter()
        out["stfolium_bytes"] = stfolium_payload(maps.explorer_map(*args))
        out["stfolium_ms"] = round((time.perf_counter() - t0) * 1000, 1)  # build + st_folium's renders
    except Exception as exc:  # noqa: BLE001 - private helpers of streamlit-folium may change
        out["error"] = f"{type(exc).__name__}: {exc}"
    return out


# ---------------------------------------------------------------- servers

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, layers_dir: Path | None = None, log_path: Path | None = None,
                 timeout: float = 90, script: Path | None = None, cwd: Path = ROOT) -> subprocess.Popen:
    """`streamlit run <script>` (the atlas by default) on 127.0.0.1:`port`, returned once it answers."""
    cmd = [sys.executable, "-m", "streamlit", "run", str(script or ROOT / "streamlit_app.py"), "--server.port",
           str(port), "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats",
           "false", "--server.fileWatcherType", "none", "--server.enableStaticServing", "true"]
    env = {**os.environ}
    if layers_dir is not None:
        env["ATLAS_LAYERS_DIR"] = str(layers_dir)
    log = open(log_path, "w") if log_path else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env=env)
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


def start_floor_server(port: int, folder: Path, log_path: Path) -> subprocess.Popen:
    """The floor page in `folder` (its own static/ = the app's, for the local Leaflet)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "floor_app.py").write_text(FLOOR_APP.format(root=str(ROOT)), encoding="utf-8")
    if not (folder / "static").exists():
        (folder / "static").symlink_to(ROOT / "static", target_is_directory=True)
    return start_server(port, None, log_path, script=folder / "floor_app.py", cwd=folder)


# ---------------------------------------------------------------- (c) bytes on the wire (protocol client)

def measure_protocol(base: str) -> dict:
    """Bytes of the map on a first load (its element + the files it fetches) and of one filter change."""
    from .loadtest import filter_change_bytes, run_async
    out: dict = {}
    try:
        out.update(run_async(_first_load(base)))
        change = run_async(filter_change_bytes(base, query=""))
        out["filter_change_bytes"] = change["change_bytes"]
        out["filter_change_elements"] = change["change_elements"]
        out["filter_change_server_ms"] = change["change_ms"]
        out["exceptions"] = out["exceptions"] + change["exceptions"]
    except Exception as exc:  # noqa: BLE001 - reported as a failed measurement
        out["error"] = f"{type(exc).__name__}: {str(exc)[:500]}"
    return out


async def _first_load(base: str) -> dict:
    from .loadtest import Session, fetch
    session = Session(base, timeout=180)
    try:
        await session.open()
        result = await session.rerun("", "")
        if not result.map_args:
            raise RuntimeError("the Map page sent no atlas_map element")
        files = {key: await fetch(base + result.map_args[key], 180)
                 for key in ("tipsUrl", "outlinesUrl") if result.map_args.get(key)}
        component = result.elements.get("component_instance", 0)
        return {"component_bytes": component, "fetched_bytes": files, "page_bytes": result.bytes,
                "first_load_bytes": component + sum(files.values()), "exceptions": result.exceptions}
    finally:
        await session.close()


# ---------------------------------------------------------------- (d) Chromium: first render vs floor, redraw

# Timestamps taken in the page, not by Playwright: its wait_for_selector polls at 0, 20, 50, 100, 100, then
# every 500 ms, so a marker found by polling can be late by up to half a second. This script runs in the
# top frame before the page's own scripts and looks once per animation frame (callbacks run just before
# the frame is painted) for the map's iframe and, inside it (same origin), the first visible marker and, on
# the atlas, the component's `atlasDrawn` (every layer drawn: its first draw is sliced over frames) and the
# sidebar's first layer box (the Map page draws its filters once its map has drawn). Times are ms since
# navigation start. (A loop inside the iframe would not do: st_folium rewrites its document.)
STAMP_JS = """(() => {
  if (window !== window.top) return;
  const iframe = %s, marker = %s, filters = "[data-testid='stSidebar'] [data-testid='stCheckbox']";
  const visible = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  (function look() {
    const frame = document.querySelector(iframe);
    if (frame && !window.__benchIframeAt) window.__benchIframeAt = performance.now();
    const doc = frame && visible(frame) && frame.contentDocument, win = frame && frame.contentWindow;
    if (!window.__benchMarkerAt && doc && Array.from(doc.querySelectorAll(marker)).some(visible)) {
      window.__benchMarkerAt = performance.now();
    }
    if (win && win.atlasDrawn && !window.__benchDrawnAt) window.__benchDrawnAt = performance.now();
    if (!window.__benchFiltersAt && document.querySelector(filters)) window.__benchFiltersAt = performance.now();
    if (window.__benchMarkerAt && (!win.atlasMap || window.__benchDrawnAt && window.__benchFiltersAt)) return;
    requestAnimationFrame(look);
  })();
})();"""


def one_load(browser, url: str, iframe: str, timeout_ms: int = 60_000) -> dict:
    """Navigation start -> the map's iframe added, -> the first frame painted with a marker visible in it and,
    on the atlas, -> every layer drawn and -> the filters shown (timed in the page, STAMP_JS), in a fresh
    context (cold HTTP cache)."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    try:
        context.add_init_script(STAMP_JS % (json.dumps(iframe), json.dumps(MARKER_SELECTOR)))
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)[:200]))
        page.goto(url, wait_until="commit", timeout=timeout_ms)
        page.wait_for_function("() => window.__benchMarkerAt", timeout=timeout_ms)
        if iframe == ATLAS_IFRAME:
            page.wait_for_function("() => window.__benchDrawnAt && window.__benchFiltersAt", timeout=timeout_ms)
        iframe_at, marker_at, drawn_at, filters_at = page.evaluate(
            "[window.__benchIframeAt, window.__benchMarkerAt, window.__benchDrawnAt, window.__benchFiltersAt]")
        exceptions = page.locator("[data-testid='stException']").count()
        return {"iframe_ms": round(iframe_at, 1), "markers_ms": round(marker_at, 1),
                "drawn_ms": round(drawn_at, 1) if drawn_at else None,
                "filters_ms": round(filters_at, 1) if filters_at else None, "page_errors": errors,
                "exceptions": exceptions}
    finally:
        context.close()


def filter_redraws(browser, url: str, changes: int, timeout_ms: int = 60_000) -> list[float]:
    """Click a layer checkbox `changes` times (off, on, ...): ms from the click to the redrawn map."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    try:
        page = context.new_page()
        page.goto(url, timeout=timeout_ms)
        frame = page.wait_for_selector(ATLAS_IFRAME, timeout=timeout_ms).content_frame()
        frame.wait_for_selector(MARKER_SELECTOR, state="visible", timeout=timeout_ms)
        page.wait_for_timeout(1500)  # the component's first value reruns the page once
        box = page.locator("[data-testid='stSidebar'] [data-testid='stCheckbox']").filter(
            has_text=LAYERS["etdz"].label_en).locator("input")
        short = LAYERS["etdz"].short_en
        times, parts = [], []
        for i in range(changes):
            page.wait_for_function("() => { const s = document.querySelector('[data-testid=\"stStatusWidget\"]');"
                                   " return !s || !s.innerText.includes('Running'); }", timeout=timeout_ms)
            seq = frame.evaluate("window.atlasDrawn.seq")
            shown = i % 2 == 1  # off first, then on again
            # clicked in the page (Playwright's own click waits for the element first): t0 is the click itself
            t0 = box.evaluate("el => { const t = Date.now(); el.click(); return t; }")
            frame.wait_for_function(
                "([seq, shown, short]) => window.atlasDrawn.seq > seq && "
                "document.querySelector('.atlas-legend').innerText.includes(short + ' ') === shown",
                arg=[seq, shown, short], timeout=timeout_ms)
            frame.wait_for_timeout(100)  # the animation frame that stamps atlasDrawn.at
            drawn = frame.evaluate("window.atlasDrawn")
            times.append(drawn["at"] - t0)
            parts.append({"to_render_message_ms": drawn["got"] - t0, "component_draw_ms": drawn["drawMs"]})
            page.wait_for_timeout(500)
        return times, parts
    finally:
        context.close()


def measure_browser(base: str, floor: str, loads: int, changes: int) -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                warm = [one_load(browser, f"{floor}/", FOLIUM_IFRAME), one_load(browser, f"{base}/", ATLAS_IFRAME)]
                floors, atlas = [], []
                for _ in range(loads):
                    floors.append(one_load(browser, f"{floor}/", FOLIUM_IFRAME))
                    atlas.append(one_load(browser, f"{base}/", ATLAS_IFRAME))
                out["floor_loads_ms"] = [r["markers_ms"] for r in floors]
                out["atlas_loads_ms"] = [r["markers_ms"] for r in atlas]
                out["floor_ms"] = round(statistics.median(out["floor_loads_ms"]), 1)
                out["first_render_ms"] = round(statistics.median(out["atlas_loads_ms"]), 1)
                out["iframe_ms"] = round(statistics.median(r["iframe_ms"] for r in atlas), 1)
                out["map_drawn_ms"] = round(statistics.median(r["drawn_ms"] for r in atlas), 1)
                out["filters_ms"] = round(statistics.median(r["filters_ms"] for r in atlas), 1)
                out["first_render_vs_floor"] = round(out["first_render_ms"] / out["floor_ms"], 2)
                times, parts = filter_redraws(browser, f"{base}/", changes)
                out["redraws_ms"] = [round(x, 1) for x in times]
                out["redraw_parts"] = parts  # click -> render message in the map iframe; the component's own draw
                out["filter_redraw_ms"] = round(statistics.median(out["redraws_ms"]), 1)
                every = warm + floors + atlas
                out["page_errors"] = [e for r in every for e in r["page_errors"]]
                out["exceptions"] = sum(r["exceptions"] for r in every)
            finally:
                browser.close()
    except Exception as exc:  # noqa: BLE001 - a failed measurement is reported and fails the run
        out["error"] = f"{type(exc).__name__}: {str(exc)[:500]}"
    return out


# ---------------------------------------------------------------- (e) capacity (protocol-level load)

def measure_capacity(base: str, sessions: list[int], seconds: float) -> dict:
    from .loadtest import run_async, run_load
    runs = []
    for n in sessions:
        summary = run_async(run_load(base, n, seconds))
        summary["loadavg"] = os.getloadavg()
        runs.append(summary)
        print(f"    {n} sessions: p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, "
              f"{summary['throughput_per_s']}/s, errors {summary['errors']}", flush=True)
    held = [r["sessions"] for r in runs if r["p95_ms"] is not None and r["p95_ms"] < P95_LIMIT_MS and not r["errors"]]
    return {"runs": runs, "sessions_held": max(held) if held else 0}


# ---------------------------------------------------------------- report

FIGURES = (  # (section, key, figure name, unit)
    ("protocol", "first_load_bytes", "map.first_load_bytes", "B"),
    ("protocol", "filter_change_bytes", "map.filter_change_bytes", "B"),
    ("browser", "first_render_vs_floor", "browser.first_render_vs_floor", "x"),
    ("browser", "first_render_ms", "browser.first_render_ms", "ms"),
    ("browser", "floor_ms", "browser.floor_ms", "ms"),
    ("browser", "map_drawn_ms", "browser.map_drawn_ms", "ms"),
    ("browser", "filters_ms", "browser.filters_ms", "ms"),
    ("browser", "filter_redraw_ms", "browser.filter_redraw_ms", "ms"),
    ("capacity", "sessions_held", "load.sessions_held", "sessions"),
    ("reference", "stfolium_bytes", "ref.stfolium_bytes", "B"),
)


def figures(result: dict) -> list[tuple[str, int, float | None, str]]:
    """(figure, scale, value, unit) rows from one scale's result."""
    scale = result["scale"]
    rows = []
    for page, rec in result.get("server", {}).items():
        if isinstance(rec, dict):
            rows.append((f"server.{page}", scale, rec.get("median_ms"), "ms"))
    for section, key, name, unit in FIGURES:
        if key in result.get(section, {}):
            rows.append((name, scale, result[section][key], unit))
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
    for section in ("protocol", "browser", "capacity", "servers"):
        rec = result.get(section, {})
        if rec.get("error"):
            out.append(f"{result['scale']}x {section}: {rec['error']}")
        if rec.get("exceptions") or rec.get("page_errors"):
            out.append(f"{result['scale']}x {section}: exceptions {rec.get('exceptions')}, "
                       f"page errors {rec.get('page_errors')}")
    return out


def fmt_value(value, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "B":
        return f"{value / MB:.2f} MB" if value >= 100_000 else f"{value / 1000:.1f} kB"
    if unit == "x":
        return f"{value:.2f}×"
    if unit == "sessions":
        return f"{value:,.0f}"
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def within(value, limit, kind: str) -> bool:
    return value >= limit if kind == "min" else value <= limit


def report(results: list[dict]) -> tuple[str, list[dict], bool]:
    lines = [f"{'scale':>5}  {'figure':<30} {'value':>12}  {'budget':>12}  status", "-" * 76]
    checks, ok = [], True
    for result in results:
        lines.append(f"{result['scale']:>4}×  features: {result.get('features', '?'):,} {result.get('data_note', '')}  "
                     f"load average {fmt_load(result.get('loadavg_at_start'))} → {fmt_load(result.get('loadavg_at_end'))}")
        present = set()
        for name, scale, value, unit in figures(result):
            present.add(name)
            limit, _, kind = BUDGETS.get((name, scale), (None, unit, "max"))
            if limit is None:
                status = ""
            elif value is None:
                status, ok = "MISSING", False
            elif within(value, limit, kind):
                status = "ok"
            else:
                status, ok = "OVER" if kind == "max" else "UNDER", False
            if limit is not None:
                checks.append({"figure": name, "scale": scale, "value": value, "budget": limit, "unit": unit,
                               "kind": kind, "ok": status == "ok"})
            budget = ("≥ " if kind == "min" else "≤ ") + fmt_value(limit, unit) if limit is not None else "—"
            lines.append(f"{'':>5}  {name:<30} {fmt_value(value, unit):>12}  {budget:>12}  {status}")
        for (name, scale), (limit, unit, kind) in BUDGETS.items():
            section = {"browser": "browser", "load": "capacity", "map": "protocol"}.get(name.split(".")[0], "server")
            if scale == result["scale"] and name not in present and section in result:
                checks.append({"figure": name, "scale": scale, "value": None, "budget": limit, "ok": False})
                lines.append(f"{'':>5}  {name:<30} {'n/a':>12}  {'':>12}  MISSING")
                ok = False
        for problem in failures(result):
            lines.append(f"{'':>5}  FAILED: {problem}")
            ok = False
    lines.append("-" * 76)
    lines.append("all budgets met" if ok else "BUDGET MISSED or measurement failed")
    return "\n".join(lines), checks, ok


def fmt_load(load) -> str:
    return " ".join(f"{x:.2f}" for x in load) if load else "?"


def environment() -> dict:
    import folium
    import streamlit
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "loadavg": os.getloadavg(), "streamlit": streamlit.__version__, "folium": folium.__version__,
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z")}


def run_scale(scale: int, factor: int, layers_dir: Path, args, log_dir: Path, tmp: Path) -> dict:
    result = {"scale": scale, "layers_dir": str(layers_dir), "loadavg_at_start": os.getloadavg(),
              "features": built_features(layers_dir), "multiplied": factor}
    if factor > 1:
        result["data_note"] = f"(built points × {factor}, synthetic)"
    print(f"[{scale}×] {result['features']:,} point features in {layers_dir} "
          f"(load average {fmt_load(os.getloadavg())} on {os.cpu_count()} CPUs)", flush=True)
    print(f"[{scale}×] server-side page runs (AppTest, {args.runs} runs each) …", flush=True)
    result["server"] = measure_server(layers_dir, args.runs, page_names())
    print(f"[{scale}×] reference: what st_folium would send …", flush=True)
    result["reference"] = measure_reference(layers_dir)
    port, floor_port = free_port(), free_port()
    servers = []
    try:
        servers.append(start_server(port, layers_dir, log_dir / f"bench-server-{port}.log"))
        base = f"http://127.0.0.1:{port}"
        print(f"[{scale}×] bytes: first load, one filter change …", flush=True)
        result["protocol"] = measure_protocol(base)
        if not args.skip_browser:
            servers.append(start_floor_server(floor_port, tmp / "floor", log_dir / f"bench-floor-{floor_port}.log"))
            print(f"[{scale}×] Chromium: first render vs floor ({args.loads} loads each), "
                  f"filter change → redrawn ({args.changes}) …", flush=True)
            result["browser"] = measure_browser(base, f"http://127.0.0.1:{floor_port}", args.loads, args.changes)
        if scale in args.load_scales and args.load_sessions:
            print(f"[{scale}×] capacity: {args.load_sessions} sessions, {args.load_seconds:.0f} s each …", flush=True)
            result["capacity"] = measure_capacity(base, args.load_sessions, args.load_seconds)
    except Exception as exc:  # noqa: BLE001 - a server that did not start fails the run, reported
        result["servers"] = {"error": f"{type(exc).__name__}: {str(exc)[:500]}"}
    finally:
        for proc in servers:
            stop_server(proc)
    result["loadavg_at_end"] = os.getloadavg()
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10", help="comma-separated multiples of 1x")
    parser.add_argument("--json", default=str(ROOT / "test-artifacts" / "bench.json"), help="write results here")
    parser.add_argument("--runs", type=int, default=5, help="timed AppTest runs per page (after one warm-up)")
    parser.add_argument("--loads", type=int, default=5, help="browser loads of the floor and the atlas, each")
    parser.add_argument("--changes", type=int, default=5, help="filter changes timed in the browser")
    parser.add_argument("--skip-browser", action="store_true", help="no Chromium measurements")
    parser.add_argument("--load-sessions", default="25", help="comma list of session counts for the capacity "
                                                              "run ('' to skip)")
    parser.add_argument("--load-seconds", type=float, default=60, help="length of each capacity run")
    parser.add_argument("--load-scales", default="1", help="scales at which the capacity is measured")
    args = parser.parse_args(argv)
    args.load_sessions = [int(n) for n in args.load_sessions.split(",") if n.strip()]
    args.load_scales = [int(n) for n in args.load_scales.split(",") if n.strip()]
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    log_dir = ROOT / "test-artifacts"
    log_dir.mkdir(exist_ok=True)
    factor = base_factor(built_features(LAYERS_DIR))
    results = []
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        for scale in scales:
            multiple = scale * factor
            if multiple == 1:
                layers_dir = LAYERS_DIR
            else:
                layers_dir = Path(tmp) / f"layers-x{multiple}"
                make_synthetic_layers(multiple, layers_dir)
            results.append(run_scale(scale, multiple, layers_dir, args, log_dir, Path(tmp)))
    table, checks, ok = report(results)
    print()
    print(table)
    payload = {"environment": environment(), "budgets_ok": ok, "checks": checks, "results": results}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(payload, indent=1, ensure_ascii=False, default=str) + "\n",
                               encoding="utf-8")
    print(f"results: {args.json}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
