"""Protocol-level load on one atlas server: many Streamlit sessions over websockets, no browser.

    python scripts/load_test.py [--url URL] [--sessions 10,20,40] [--seconds 60] [--think 1-5] ...

A *session* speaks Streamlit's own protocol (`/_stcore/stream`, protobuf `BackMsg` / `ForwardMsg`) the way
the browser does: it opens the websocket, asks for a script run with the page's URL (`rerun_script` with
`query_string` and `page_name`), and reads the `ForwardMsg`s until `script_finished`. Widget changes are
`rerun_script` messages carrying the widget states (ids learnt from the elements the server sent,
found by their `key=`); like the browser it sends the hashes of the large messages it already holds,
so the server sends a reference instead of an unchanged table or map. A page load also fetches what the
Map page's map then fetches over HTTP (its tooltip and outline files) as a browser with a cold cache would.

Before the timed run every page is loaded once (the first visit of a fresh server reads its data). Each
session loops until the time is up: load a page (a Map deep link with a filter from MAP_FILTERS,
or another page with its parameters), then on the Map a few filter changes: a layer checkbox, the search
box, and a URL change within the session (new `query_string`); then it closes and loads again. Between
actions it waits a think time drawn from `--think` (seconds, uniform), as a person would.

The time of an action is from sending it to `script_finished` (plus the HTTP fetches for a load). An
error is: a Streamlit exception element, a script that did not finish within `--step-timeout`, a
connection that failed or closed, or an HTTP fetch that failed. Reported per action: count, p50, p95,
max, bytes received; throughput (actions per second); errors. `run_load` is also used by the tests
(a few sessions for a few seconds) and by `dashboard.bench` (bytes sent for one filter change).
"""
from __future__ import annotations

import asyncio
import json
import random
import statistics
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field

MAP_FILTERS = [  # URL parameters of the Map page; every one matches some features
    "",
    "province=Zhejiang&sector=textiles",
    "layers=sez,hidz&region=prd",
    "year_min=1990&year_max=2005&coastal=inland",
    "q=Shenzhen",
    "layers=etdz,customs_zone&paper=catalogue&choropleth=density",
    "region=yrd&tiles=none&choropleth=off",
]
OTHER_PAGES = [  # (page url path, query string)
    ("profile", "zone=sez-shenzhen"),
    ("compare", "compare=sez-shenzhen,sez-xiamen"),
    ("regions", ""),
    ("timeline", "year=1992"),
    ("clusters", "prefecture=温州市"),
]
LAYER_KEYS = ["m_layer_etdz", "m_layer_hidz", "m_layer_customs_zone", "m_layer_zj_town"]
SEARCHES = ["park", "Suzhou", "高新", ""]
CACHE_RUNS = 2  # like the browser (global.maxCachedMessageAge): hashes of the last runs' large messages


class LoadError(Exception):
    pass


def run_async(coro):
    """Run `coro` to completion in a thread of its own (callers may already run an event loop, e.g.
    Playwright's sync API in the same test process)."""
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


@dataclass
class RunResult:
    ms: float
    bytes: int
    messages: int
    exceptions: list[str]
    elements: dict[str, int] = field(default_factory=dict)  # element type -> bytes
    map_args: dict | None = None  # the Map page's component arguments, when it was drawn


class Session:
    """One Streamlit session over a websocket."""

    def __init__(self, base: str, timeout: float = 60):
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.ws = None
        self.widget_ids: dict[str, str] = {}  # widget key -> id
        self.widget_states: dict[str, tuple[str, object]] = {}  # key -> (value field, value)
        self.cached: list[set[str]] = []
        self.query = ""
        self.page = ""

    async def open(self) -> None:
        import websockets
        url = self.base.replace("http://", "ws://").replace("https://", "wss://") + "/_stcore/stream"
        self.ws = await asyncio.wait_for(
            websockets.connect(url, subprotocols=["streamlit"], max_size=None, compression=None,
                               open_timeout=self.timeout), self.timeout)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def rerun(self, query: str | None = None, page: str | None = None) -> RunResult:
        """One script run: the page at `query` (default: as before) with the widget states set so far."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        if query is not None:
            self.query = query
        if page is not None:
            self.page = page
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_name = self.page
        for key, (kind, value) in self.widget_states.items():
            if key in self.widget_ids:
                w = WidgetState(id=self.widget_ids[key])
                if kind.endswith("_array_value"):
                    getattr(w, kind).data.extend(value)
                else:
                    setattr(w, kind, value)
                state.widget_states.widgets.append(w)
        state.cached_message_hashes.extend(sorted(set().union(*self.cached)) if self.cached else [])
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        result = RunResult(0.0, 0, 0, [])
        hashes: set[str] = set()
        deadline = t0 + self.timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise LoadError(f"script did not finish within {self.timeout:.0f} s")
            data = await asyncio.wait_for(self.ws.recv(), left)
            result.bytes += len(data)
            result.messages += 1
            fm = ForwardMsg()
            fm.ParseFromString(data)
            kind = fm.WhichOneof("type")
            if fm.metadata.cacheable and fm.hash:
                hashes.add(fm.hash)
            if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                element = fm.delta.new_element
                etype = element.WhichOneof("type")
                result.elements[etype] = result.elements.get(etype, 0) + len(data)
                inner = getattr(element, etype)
                wid = getattr(inner, "id", "")
                if wid and wid.startswith("$$ID-"):
                    self.learn_widget(etype, inner)
                if etype == "exception":
                    result.exceptions.append(f"{inner.type}: {inner.message}"[:300])
                elif etype == "component_instance" and inner.component_name.endswith("atlas_map"):
                    result.map_args = json.loads(inner.json_args).get("view")
            elif kind == "ref_hash":  # an unchanged large element: the browser takes it from its cache
                hashes.add(fm.ref_hash)
                result.elements["ref"] = result.elements.get("ref", 0) + len(data)
            elif kind == "page_info_changed":  # the page changed the URL (st.query_params): the browser follows
                self.query = fm.page_info_changed.query_string
            elif kind == "script_finished":
                break
        self.cached = (self.cached + [hashes])[-CACHE_RUNS:]
        result.ms = (time.perf_counter() - t0) * 1000
        return result

    def learn_widget(self, etype: str, proto) -> None:
        """Keep a widget's id and, as the browser does, its value: the server's when it set one, else the
        value it had (or its default). Every rerun then sends every widget's value, like the browser."""
        key = proto.id.rsplit("-", 1)[1]
        self.widget_ids[key] = proto.id
        if key in self.widget_states and not getattr(proto, "set_value", False):
            return
        value = widget_value(etype, proto)
        if value is not None:
            self.widget_states[key] = value

    def set_widget(self, key: str, kind: str, value) -> None:
        """The next rerun carries this widget value (`kind`: bool_value, string_value, ...)."""
        if key not in self.widget_ids:
            raise LoadError(f"no widget with key {key!r} on the page")
        self.widget_states[key] = (kind, value)

    async def load(self, query: str = "", page: str = "") -> RunResult:
        """A new page load: a fresh session at `page`?`query`, then the files its map fetches."""
        await self.close()
        self.widget_ids.clear()
        self.widget_states.clear()
        self.cached = []
        t0 = time.perf_counter()
        await self.open()
        result = await self.rerun(query, page)
        if result.map_args:
            for key in ("tipsUrl", "outlinesUrl"):
                if result.map_args.get(key):
                    result.bytes += await fetch(self.base + result.map_args[key], self.timeout)
            if result.map_args.get("reportDrawn"):  # the map reports its first draw: the run with the filters
                self.set_widget("atlas_map", "json_value", json.dumps({"drawn": True}))
                second = await self.rerun()
                result.bytes += second.bytes
                result.messages += second.messages
                result.exceptions += second.exceptions
        result.ms = (time.perf_counter() - t0) * 1000
        return result


def widget_value(etype: str, p) -> tuple[str, object] | None:
    """(WidgetState field, value) a browser holds for a widget element, or None for other elements."""
    chosen = getattr(p, "set_value", False)
    if etype == "checkbox":
        return "bool_value", p.value if chosen else p.default
    if etype == "text_input":
        return "string_value", p.value if chosen else p.default
    if etype == "multiselect":
        return "string_array_value", list(p.raw_values) if chosen else [p.options[i] for i in p.default]
    if etype in ("radio", "selectbox"):
        if chosen:
            return "string_value", p.raw_value
        return ("string_value", p.options[p.default]) if p.HasField("default") and p.options else None
    if etype == "slider":
        return "double_array_value", list(p.value if chosen else p.default)
    return None


async def fetch(url: str, timeout: float) -> int:
    """GET `url` as a browser would (gzip accepted); returns the bytes received."""
    def get() -> int:
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            if resp.status != 200:
                raise LoadError(f"GET {url}: HTTP {resp.status}")
            return len(resp.read())
    return await asyncio.get_running_loop().run_in_executor(None, get)


# ---------------------------------------------------------------- the load

@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    bytes: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    errors: list[dict] = field(default_factory=list)

    def record(self, action: str, result: RunResult) -> None:
        self.times[action].append(result.ms)
        self.bytes[action].append(result.bytes)


async def user(no: int, base: str, deadline: float, stats: Stats, think: tuple[float, float], timeout: float,
               pages: bool = True) -> None:
    """One person: load a page, change filters, load again ... until `deadline`."""
    rng = random.Random(no)
    session = Session(base, timeout)
    step = no  # sessions start at different points of the cycle
    try:
        while time.perf_counter() < deadline:
            await asyncio.sleep(rng.uniform(*think) if step > no else rng.uniform(0, think[1]))
            if time.perf_counter() >= deadline:
                break
            action = "?"
            try:
                if pages and step % 3 == 2:
                    page, query = OTHER_PAGES[step % len(OTHER_PAGES)]
                    action = f"load {page}"
                    check(stats, action, await session.load(query, page), no)
                    step += 1
                    continue
                action = "load map"
                check(stats, action, await session.load(MAP_FILTERS[step % len(MAP_FILTERS)]), no)
                for change in range(3):
                    await asyncio.sleep(rng.uniform(*think))
                    if time.perf_counter() >= deadline:
                        break
                    if change == 0:
                        action = "map checkbox"
                        key = LAYER_KEYS[step % len(LAYER_KEYS)]
                        session.set_widget(key, "bool_value", not layer_on(session, key))
                        check(stats, action, await session.rerun(), no)
                    elif change == 1:
                        action = "map search"
                        session.set_widget("m_q", "string_value", SEARCHES[step % len(SEARCHES)])
                        check(stats, action, await session.rerun(), no)
                    else:
                        action = "map url"
                        check(stats, action, await session.rerun(MAP_FILTERS[(step + 3) % len(MAP_FILTERS)]), no)
                step += 1
            except Exception as exc:  # noqa: BLE001 - every failure is counted, and the session starts again
                stats.errors.append({"session": no, "action": action, "error": f"{type(exc).__name__}: {exc}"[:300]})
                await session.close()
                step += 1
    finally:
        await session.close()


def layer_on(session: Session, key: str) -> bool:
    """Whether the layer checkbox `key` is ticked now."""
    return bool(session.widget_states.get(key, ("bool_value", True))[1])


def check(stats: Stats, action: str, result: RunResult, no: int) -> None:
    stats.record(action, result)
    for text in result.exceptions:
        stats.errors.append({"session": no, "action": action, "error": text})


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))]


def summarise(stats: Stats, sessions: int, seconds: float) -> dict:
    actions = {}
    for action, times in sorted(stats.times.items()):
        actions[action] = {"n": len(times), "p50_ms": round(statistics.median(times), 1),
                           "p95_ms": round(percentile(times, 0.95), 1), "max_ms": round(max(times), 1),
                           "mean_bytes": round(statistics.mean(stats.bytes[action]))}
    every = [t for times in stats.times.values() for t in times]
    return {"sessions": sessions, "seconds": round(seconds, 1), "actions": actions,
            "total": len(every), "throughput_per_s": round(len(every) / seconds, 2) if seconds else 0.0,
            "p50_ms": round(statistics.median(every), 1) if every else None,
            "p95_ms": round(percentile(every, 0.95), 1) if every else None,
            "errors": len(stats.errors), "error_samples": stats.errors[:10]}


async def warm_up(base: str, timeout: float = 300, pages: bool = True) -> None:
    """Load every page once (not timed): a fresh server reads its data on the first visit of each."""
    session = Session(base, timeout)
    try:
        await session.load(MAP_FILTERS[0])
        for page, query in OTHER_PAGES if pages else []:
            await session.load(query, page)
    finally:
        await session.close()


async def run_load(base: str, sessions: int, seconds: float, think: tuple[float, float] = (1.0, 5.0),
                   timeout: float = 60, pages: bool = True, warm: bool = True) -> dict:
    """`sessions` concurrent people for `seconds` (actions already running then finish, bounded by `timeout`),
    after one untimed visit of every page (`warm`)."""
    if warm:
        await warm_up(base, max(timeout, 300), pages)
    stats = Stats()
    t0 = time.perf_counter()
    deadline = t0 + seconds
    await asyncio.gather(*(user(i, base, deadline, stats, think, timeout, pages) for i in range(sessions)))
    return summarise(stats, sessions, time.perf_counter() - t0)


async def filter_change_bytes(base: str, query: str = "tiles=none", key: str = "m_layer_etdz",
                              timeout: float = 120) -> dict:
    """Bytes the server sends for one filter change (a layer checkbox) after a Map page load."""
    session = Session(base, timeout)
    try:
        first = await session.load(query)  # with the run the map's report starts, as in a browser
        session.set_widget(key, "bool_value", False)
        change = await session.rerun()
        return {"load_bytes": first.bytes, "change_bytes": change.bytes, "change_ms": round(change.ms, 1),
                "change_elements": change.elements, "exceptions": first.exceptions + change.exceptions}
    finally:
        await session.close()


def format_summary(summary: dict) -> str:
    lines = [f"{summary['sessions']} sessions, {summary['seconds']} s: {summary['total']} actions, "
             f"{summary['throughput_per_s']}/s, p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, "
             f"errors {summary['errors']}",
             f"  {'action':<16}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'bytes':>12}"]
    for action, rec in summary["actions"].items():
        lines.append(f"  {action:<16}{rec['n']:>6}{rec['p50_ms']:>10,.0f}{rec['p95_ms']:>10,.0f}"
                     f"{rec['max_ms']:>10,.0f}{rec['mean_bytes']:>12,}")
    for err in summary["error_samples"]:
        lines.append(f"  error: session {err['session']} {err['action']}: {err['error']}")
    return "\n".join(lines)
