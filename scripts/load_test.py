"""Load test: many concurrent browser sessions against one atlas server, for a bounded time.

    python scripts/load_test.py [--url URL] [--sessions 10] [--seconds 60] [--step-timeout 90]
                                [--layers-dir DIR] [--pages map,profile,...] [--json out.json]

Without --url it starts its own server (`streamlit run streamlit_app.py` on a free loopback port,
optionally on another layer set with --layers-dir) and stops it at the end.

One headless Chromium, one browser context per session (its own cookies, cache and Streamlit
session). Every session walks through the pages in a loop, each session starting at a different
step so the pages are mixed at any moment:

- map (URL)     deep link to the Map page with a filter from URL parameters (a different one each
                round), ready when markers are drawn in the map iframe;
- map (widget)  on that page a widget change (a layer checkbox, the search box or the coastal radio),
                ready when the URL carries the new state and the map is drawn again;
- profile, compare, timeline, regions: deep links with parameters; clusters and data: a click on the
                sidebar navigation (page switch within the running Streamlit session).

"Ready" means: the page's title is shown, Streamlit is no longer running the script, and every
map iframe on the page has drawn Leaflet (markers on the Map page). The time of a step is from
navigation (or the widget change) until ready.

Errors counted: uncaught page errors (JavaScript), Streamlit exceptions on the page
(`[data-testid='stException']`), and steps that are not ready within --step-timeout. Steps already
running when the time is up finish (bounded by the step timeout); no new step starts.

Prints p50 / p95 / max time per page and the error total; exit 0 when there were no errors and every
session completed at least one step, else 1.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
sys.path.insert(0, str(ROOT))

from dashboard.bench import (CHROMIUM, CHROMIUM_ARGS, MAP_IFRAME, MARKER_SELECTOR, free_port,  # noqa: E402
                             start_server, stop_server)
from dashboard.i18n import t  # noqa: E402
from playwright.async_api import TimeoutError as PlaywrightTimeout  # noqa: E402

DEFAULT_PAGES = ("map", "profile", "compare", "clusters", "regions", "timeline", "data")
MAP_FILTERS = [  # URL parameters of the Map page; every one matches some features
    "",
    "province=Zhejiang&sector=textiles",
    "layers=sez,hidz&region=prd",
    "year_min=1990&year_max=2005&coastal=inland",
    "q=Shenzhen",
    "layers=etdz,customs_zone&paper=catalogue&choropleth=density",
    "region=yrd&tiles=none&choropleth=off",
]
PROFILE_ZONES = ["sez-shenzhen", "sez-xiamen", "hidz-nanjing"]  # completed with ids from the data
TIMELINE_YEARS = [1984, 1992, 2000, 2010, 2018]
REGION_MEASURES = ["zones_total", "zones_per_10k_km2", "hidz"]
WIDGET_RETRY_MS = 10_000
IDLE_JS = ("() => { const s = document.querySelector('[data-testid=\"stStatusWidget\"]');"
           " return !s || !s.innerText.includes('Running'); }")


class StepError(Exception):
    """A step failed in a way that counts as an error (exception shown, nothing drawn)."""


def feature_ids() -> list[str]:
    """A few real feature ids (profile / compare targets)."""
    try:
        from dashboard import data
        points = data.load_points()
        ids = [i for i in PROFILE_ZONES if i in points.index]
        sample = points.sample(min(12, len(points)), random_state=7)["id"].tolist()
        return list(dict.fromkeys(ids + sample))
    except Exception:  # noqa: BLE001 - the server may run on data this process cannot read
        return list(PROFILE_ZONES)


class Session:
    def __init__(self, no: int, browser, base: str, timeout_ms: int, ids: list[str], pages: list[str]):
        self.no, self.browser, self.base, self.timeout = no, browser, base.rstrip("/"), timeout_ms
        self.ids, self.pages = ids, pages
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[dict] = []
        self.page_errors: list[str] = []
        self.round = 0
        self.on_map = False
        self.shots = 0
        self.widget_retries = 0
        self.retry_notes: list[dict] = []

    # ------------------------------------------------------------ readiness
    async def wait_ready(self, page, markers: bool = False, title: str | None = None) -> None:
        heading = page.locator("[data-testid='stMain'] h1", has_text=title) if title else \
            page.locator("[data-testid='stMain'] h1")
        await heading.first.wait_for(timeout=self.timeout)
        await page.wait_for_function(IDLE_JS, timeout=self.timeout)
        await page.wait_for_timeout(150)  # a rerun that was just triggered shows up as Running
        await page.wait_for_function(IDLE_JS, timeout=self.timeout)
        frames = page.locator(MAP_IFRAME)
        for i in range(await frames.count()):
            frame = frames.nth(i).content_frame
            await frame.locator(".leaflet-container").first.wait_for(timeout=self.timeout)
            if markers:
                no_match = await page.get_by_text(t("no_match", "en")).count()
                if not no_match:
                    await frame.locator(MARKER_SELECTOR).first.wait_for(state="visible", timeout=self.timeout)
        exceptions = page.locator("[data-testid='stException']")
        if await exceptions.count():
            raise StepError("Streamlit exception: " + (await exceptions.first.inner_text())[:300])

    async def goto(self, page, path: str, markers: bool = False) -> None:
        await page.goto(self.base + path, wait_until="commit", timeout=self.timeout)
        await self.wait_ready(page, markers)

    # ------------------------------------------------------------ steps
    async def step_map_url(self, page):
        query = MAP_FILTERS[(self.no + self.round) % len(MAP_FILTERS)]
        await self.goto(page, "/" + (f"?{query}" if query else ""), markers=True)
        self.on_map = True

    async def step_map_widget(self, page):
        if not self.on_map:  # the walk started here: open the map first (not part of the timing)
            await self.step_map_url(page)
        before = page.url
        sidebar = page.locator("[data-testid='stSidebar']")
        kind = (self.no + self.round) % 3
        if kind == 0:  # toggle one layer checkbox
            box = sidebar.locator("[data-testid='stCheckbox']").nth(1 + self.round % 6)
            target = not await box.locator("input").is_checked()

            async def reached():
                return await box.locator("input").is_checked() == target

            async def act():
                if not await reached():
                    await box.locator("label").click()
        elif kind == 1:  # search box
            box = sidebar.locator("[data-testid='stTextInput'] input").first
            words = [w for w in ("Suzhou", "Tianjin", "textiles", "深圳") if w not in before]
            word = words[self.round % len(words)]

            async def reached():
                return await box.input_value() == word

            async def act():
                if not await reached():
                    await box.fill(word)
                await box.press("Enter")
        else:  # coastal / inland radio: the value it does not have
            choice = "Inland" if "coastal=coastal" in before else "Coastal"
            option = sidebar.locator("[data-testid='stRadio']").first.locator(
                "label", has_text=re.compile(f"^{choice}$"))

            async def reached():
                return await option.locator("input").is_checked()

            async def act():
                if not await reached():
                    await option.click()
        start = time.perf_counter()
        # A click that lands while Streamlit re-renders the sidebar (e.g. the rerun st_folium triggers when
        # its map has loaded) can be lost; the widget is then acted on again (counted in `widget_retries`).
        for attempt in range(3):
            await act()
            try:
                await page.wait_for_function("u => location.href !== u", arg=before,
                                             timeout=WIDGET_RETRY_MS if attempt < 2 else self.timeout)
                break
            except PlaywrightTimeout:
                if attempt == 2:
                    raise
                self.widget_retries += 1
                self.retry_notes.append({"session": self.no, "widget": ["checkbox", "search", "radio"][kind],
                                         "widget_changed": await reached(), "url": page.url})
        await self.wait_ready(page, markers=True)
        return time.perf_counter() - start

    async def step_profile(self, page):
        await self.goto(page, f"/profile?zone={self.ids[(self.no + self.round) % len(self.ids)]}")

    async def step_compare(self, page):
        k = (self.no + self.round) % len(self.ids)
        picks = [self.ids[(k + j) % len(self.ids)] for j in range(3)]
        await self.goto(page, f"/compare?compare={','.join(picks)}")

    async def nav_click(self, page, name: str):
        """Switch page with the sidebar navigation (same Streamlit session); a deep link if there is none."""
        link = page.locator(f"[data-testid='stSidebar'] a[href$='/{name}']")
        if not page.url.startswith(self.base) or not await link.count() or f"/{name}" in page.url:
            await self.goto(page, f"/{name}")
            return None
        start = time.perf_counter()
        await link.first.click()
        await page.wait_for_url(f"**/{name}*", timeout=self.timeout)
        await self.wait_ready(page, title=t(f"{name}_title", "en"))
        return time.perf_counter() - start

    async def step_clusters(self, page):
        return await self.nav_click(page, "clusters")

    async def step_regions(self, page):
        await self.goto(page, f"/regions?measure={REGION_MEASURES[(self.no + self.round) % len(REGION_MEASURES)]}")

    async def step_timeline(self, page):
        await self.goto(page, f"/timeline?year={TIMELINE_YEARS[(self.no + self.round) % len(TIMELINE_YEARS)]}")

    async def step_data(self, page):
        return await self.nav_click(page, "data")

    async def step_generic(self, page, name: str):
        await self.goto(page, f"/{name}")

    def walk(self) -> list[tuple[str, object]]:
        steps = []
        for name in self.pages:
            if name == "map":
                steps += [("map (URL)", self.step_map_url), ("map (widget)", self.step_map_widget)]
            elif hasattr(self, f"step_{name}"):
                steps.append((name, getattr(self, f"step_{name}")))
            else:
                steps.append((name, lambda page, n=name: self.step_generic(page, n)))
        return steps

    # ------------------------------------------------------------ loop
    async def run(self, deadline: float) -> None:
        context = await self.browser.new_context(viewport={"width": 1400, "height": 950})
        page = await context.new_page()
        page.set_default_timeout(self.timeout)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)[:300]))
        steps = self.walk()
        first = self.no % len(steps)  # sessions start at different pages
        try:
            for i in range(first, first + 100_000):
                if time.monotonic() >= deadline:
                    break
                self.round = (i - first) // len(steps)
                name, step = steps[i % len(steps)]
                if name != "map (widget)":
                    self.on_map = False
                seen_errors, errors_before = len(self.page_errors), len(self.errors)
                start = time.perf_counter()
                try:
                    measured = await asyncio.wait_for(step(page), timeout=self.timeout / 1000 + 10)
                    elapsed = measured if isinstance(measured, float) else time.perf_counter() - start
                    self.times[name].append(elapsed * 1000)
                except (asyncio.TimeoutError, TimeoutError) as exc:
                    self.errors.append({"session": self.no, "page": name, "kind": "timeout",
                                        "detail": str(exc).splitlines()[0][:200] if str(exc) else "", "url": page.url})
                except StepError as exc:
                    self.errors.append({"session": self.no, "page": name, "kind": "exception",
                                        "detail": str(exc), "url": page.url})
                except Exception as exc:  # noqa: BLE001 - Playwright raises its own TimeoutError subclass
                    kind = "timeout" if "Timeout" in type(exc).__name__ else "error"
                    self.errors.append({"session": self.no, "page": name, "kind": kind,
                                        "detail": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}",
                                        "url": page.url})
                if len(self.errors) > errors_before and self.shots < 3:
                    self.shots += 1
                    try:
                        ARTIFACTS.mkdir(exist_ok=True)
                        shot = ARTIFACTS / f"load-test-s{self.no}-{self.shots}.png"
                        await page.screenshot(path=str(shot), timeout=10_000)
                        self.errors[-1]["screenshot"] = str(shot)
                    except Exception:  # noqa: BLE001 - a screenshot is a courtesy
                        pass
                for err in self.page_errors[seen_errors:]:
                    self.errors.append({"session": self.no, "page": name, "kind": "page error", "detail": err,
                                        "url": page.url})
        finally:
            await context.close()


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


async def run_load(base: str, sessions: int, seconds: float, timeout_ms: int, pages: list[str]) -> dict:
    from playwright.async_api import async_playwright

    ids = feature_ids()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            runners = [Session(n, browser, base, timeout_ms, ids, pages) for n in range(sessions)]
            start = time.monotonic()
            deadline = start + seconds
            hard_cap = seconds + timeout_ms / 1000 + 60
            tasks = [asyncio.create_task(r.run(deadline)) for r in runners]
            done, pending = await asyncio.wait(tasks, timeout=hard_cap)
            for task in pending:
                task.cancel()
            aborted = len(pending)
            for task in done:
                if task.exception() is not None:
                    runners[tasks.index(task)].errors.append(
                        {"session": tasks.index(task), "page": "-", "kind": "error",
                         "detail": repr(task.exception())[:300], "url": ""})
            wall = time.monotonic() - start
        finally:
            await browser.close()
    times: dict[str, list[float]] = defaultdict(list)
    for r in runners:
        for name, values in r.times.items():
            times[name] += values
    errors = [e for r in runners for e in r.errors]
    return {"url": base, "sessions": sessions, "seconds": seconds, "wall_s": round(wall, 1),
            "loadavg_at_end": os.getloadavg(), "aborted_sessions": aborted,
            "widget_retries": sum(r.widget_retries for r in runners),
            "widget_retry_notes": [n for r in runners for n in r.retry_notes],
            "steps_per_session": [sum(len(v) for v in r.times.values()) for r in runners],
            "pages": {name: {"n": len(v), "p50_ms": round(percentile(v, 0.5)), "p95_ms": round(percentile(v, 0.95)),
                             "max_ms": round(max(v))} for name, v in times.items()},
            "errors": errors, "error_count": len(errors)}


def print_report(res: dict, order: list[str]) -> None:
    print(f"\n{res['sessions']} sessions × {res['seconds']:.0f} s against {res['url']} "
          f"(wall {res['wall_s']} s; steps per session {res['steps_per_session']}; "
          f"load average at the end {res['loadavg_at_end'][0]:.1f} on {os.cpu_count()} CPUs)")
    print(f"{'page':<14} {'n':>4} {'p50':>9} {'p95':>9} {'max':>9}   errors")
    per_page_errors = defaultdict(int)
    for e in res["errors"]:
        per_page_errors[e["page"]] += 1
    names = [n for n in order if n in res["pages"] or n in per_page_errors]
    names += [n for n in list(res["pages"]) + list(per_page_errors) if n not in names]
    for name in dict.fromkeys(names):
        s = res["pages"].get(name)
        cols = (f"{s['n']:>4} {s['p50_ms']:>7,} ms {s['p95_ms']:>6,} ms {s['max_ms']:>6,} ms" if s
                else f"{0:>4} {'-':>9} {'-':>9} {'-':>9}")
        print(f"{name:<14} {cols}   {per_page_errors.get(name, 0)}")
    print(f"widget actions repeated after a lost click: {res['widget_retries']}")
    for note in res["widget_retry_notes"][:10]:
        print(f"  session {note['session']} {note['widget']}: widget showed the new value: {note['widget_changed']}")
    print(f"errors: {res['error_count']}" + (f"; sessions aborted: {res['aborted_sessions']}"
                                             if res["aborted_sessions"] else ""))
    for e in res["errors"][:20]:
        print(f"  session {e['session']} {e['page']}: {e['kind']}: {e['detail']} ({e['url']})")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server (else one is started on a free loopback port)")
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--step-timeout", type=float, default=90, help="seconds before a step counts as a timeout")
    parser.add_argument("--layers-dir", help="ATLAS_LAYERS_DIR for the server this script starts")
    parser.add_argument("--pages", default=",".join(DEFAULT_PAGES), help="pages to walk (story can be added)")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args(argv)
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    proc = None
    base = args.url
    if not base:
        port = free_port()
        log = Path(tempfile.gettempdir()) / f"atlas-load-server-{port}.log"
        proc = start_server(port, Path(args.layers_dir) if args.layers_dir else None, log)
        base = f"http://127.0.0.1:{port}"
        print(f"server: {base} (log {log})", flush=True)
    try:
        res = asyncio.run(run_load(base, args.sessions, args.seconds, int(args.step_timeout * 1000), pages))
    finally:
        if proc is not None:
            stop_server(proc)
    order = [n for p in pages for n in (("map (URL)", "map (widget)") if p == "map" else (p,))]
    print_report(res, order)
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    ok = res["error_count"] == 0 and not res["aborted_sessions"] and all(res["steps_per_session"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
