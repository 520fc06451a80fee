"""Presenter stories: step-by-step guided tours of the atlas, one YAML file per story.

A story is ``stories/<id>.yaml`` (schema in ``stories/README.md``). This module reads a story,
checks it against the atlas's vocabularies (feature ids, indicator rows, sector keys, layer ids,
the Map page's filter keys) and returns plain dataclasses for the Stories page. Pure: no Streamlit.

Every problem is a readable sentence that names the file, the step (1-based) and the field::

    stories/x.yaml, step 3, field view.zoom: expected an integer 3–12, got 'big'
    stories/x.yaml, line 7, column 5: YAML syntax error: mapping values are not allowed here

``load_story`` raises ``StoryError`` (carrying every problem); ``list_stories`` never raises and
reports broken files through ``StoryInfo.problems`` so the page can show them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from .filters import MAX_QUERY_LEN, REGION_KEYS, YEAR_MAX, YEAR_MIN, MapState, to_query
from .layers import POINT_LAYER_IDS
from .paths import ROOT

ZOOM_MIN, ZOOM_MAX = 3, 12
# a generous box around China: catches [lon, lat] written for [lat, lon] and typos
LAT_RANGE, LON_RANGE = (15.0, 56.0), (70.0, 138.0)
COMPARE_MIN, COMPARE_MAX = 2, 4
MAX_SENTENCES = 3
MAX_LEN = {"title_en": 90, "title_zh": 40, "summary_en": 500, "summary_zh": 250,
           "text_en": 480, "text_zh": 220, "note_en": 300, "note_zh": 150}

STORY_REQUIRED = ("id", "title_en", "title_zh", "summary_en", "summary_zh", "steps")
STEP_REQUIRED = ("title_en", "title_zh", "text_en", "text_zh", "view", "layers", "sources")
STEP_OPTIONAL = ("filters", "highlight", "chart", "compare", "note_en", "note_zh")
FILTER_KEYS = ("province", "region", "coastal", "year_min", "year_max", "sector", "q")
COASTAL_CHOICES = ("all", "coastal", "inland")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# "<paper file>, <table/section>", e.g. "004_e203b0bd6315dda3.txt, Table 1.4"
SOURCE_RE = re.compile(r"^(?P<file>\d{3}_[0-9a-f]{16}\.txt), \S.*$")
CJK_RE = re.compile(r"[\u3400-\u9fff]")
ZH_GAP_RE = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff1f“”]\s+[\u3400-\u9fff\u3000-\u303f\uff01-\uff1f“”]")
LATIN_RE = re.compile(r"[A-Za-z]")


# ------------------------------------------------------------------ data classes

@dataclass(frozen=True)
class Chart:
    """An indicator chart: one line (several years) or bar (one year) per entity."""
    entities: tuple[str, ...]
    indicator: str


@dataclass(frozen=True)
class Step:
    title_en: str
    title_zh: str
    text_en: str
    text_zh: str
    center: tuple[float, float]  # (lat, lon)
    zoom: int
    layers: tuple[str, ...]
    sources: tuple[str, ...]
    filters: dict[str, Any] = field(default_factory=dict)  # Map filter keys, values as in the YAML
    highlight: tuple[str, ...] = ()
    chart: Chart | None = None
    compare: tuple[str, ...] = ()
    note_en: str = ""
    note_zh: str = ""

    def title(self, lang: str = "en") -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def text(self, lang: str = "en") -> str:
        return self.text_zh if lang == "zh" else self.text_en

    def note(self, lang: str = "en") -> str:
        return self.note_zh if lang == "zh" else self.note_en

    def map_state(self) -> MapState:
        """The Map page's filter state for this step (layers plus the step's filters)."""
        f = self.filters
        return MapState(
            layers=self.layers,
            provinces=tuple(_as_list(f.get("province"))),
            regions=tuple(_as_list(f.get("region"))),
            coastal=str(f.get("coastal", "all")),
            year_min=int(f.get("year_min", YEAR_MIN)),
            year_max=int(f.get("year_max", YEAR_MAX)),
            sectors=tuple(_as_list(f.get("sector"))),
            q=str(f.get("q", "")),
        )

    def map_query(self) -> dict[str, str]:
        """URL query parameters that open this step on the Map page (only non-default values)."""
        return to_query(self.map_state())


@dataclass(frozen=True)
class Story:
    id: str
    title_en: str
    title_zh: str
    summary_en: str
    summary_zh: str
    steps: tuple[Step, ...]
    path: str = ""

    def title(self, lang: str = "en") -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def summary(self, lang: str = "en") -> str:
        return self.summary_zh if lang == "zh" else self.summary_en


@dataclass(frozen=True)
class StoryInfo:
    """One entry of the story list; a broken file has ``problems`` (and maybe no titles)."""
    id: str
    path: str
    title_en: str = ""
    title_zh: str = ""
    summary_en: str = ""
    summary_zh: str = ""
    n_steps: int = 0
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def title(self, lang: str = "en") -> str:
        return (self.title_zh if lang == "zh" else self.title_en) or self.id


@dataclass(frozen=True)
class StoryVocab:
    """What a story is checked against. ``None`` skips that check."""
    known_ids: frozenset[str] | None = None
    known_indicators: frozenset[tuple[str, str]] | None = None
    sector_keys: frozenset[str] | None = None
    provinces: frozenset[str] | None = None       # canonical English province names
    paper_files: frozenset[str] | None = None     # e.g. {"004_e203b0bd6315dda3.txt", ...}


class StoryError(ValueError):
    """A story that cannot be shown; ``problems`` lists every reason (file, step, field)."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# ------------------------------------------------------------------ vocabulary helpers

def vocab_from_frames(points, indicators=None, sector_keys: Iterable[str] | None = None,
                      provinces: Iterable[str] | None = None,
                      paper_files: Iterable[str] | None = None) -> StoryVocab:
    """A StoryVocab from the atlas's frames: ``points`` (column ``id``), ``indicators``
    (``entity_id``, ``indicator``, ``value``; only rows with a value count)."""
    pairs = None
    if indicators is not None:
        rows = indicators[indicators["value"].notna()] if "value" in indicators.columns else indicators
        pairs = frozenset(zip(rows["entity_id"].astype(str), rows["indicator"].astype(str)))
    return StoryVocab(
        known_ids=frozenset(str(i) for i in points["id"]),
        known_indicators=pairs,
        sector_keys=frozenset(sector_keys) if sector_keys is not None else None,
        provinces=frozenset(provinces) if provinces is not None else None,
        paper_files=frozenset(paper_files) if paper_files is not None else None,
    )


# ------------------------------------------------------------------ YAML reading

class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (PyYAML silently keeps the last one)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    loader.flatten_mapping(node)
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark, f"found duplicate key {key!r}",
                key_node.start_mark)
        seen[key] = key_node
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def display_path(path: Path | str) -> str:
    """How a story file is named in problems: relative to the repository when inside it."""
    p = Path(path)
    try:
        return p.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def parse_yaml(text: str, file: str) -> tuple[Any, list[str]]:
    """YAML text -> (data, problems); a syntax error names the file, line and column (1-based)."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader), []
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        what = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return None, [f"{file}{where}: YAML syntax error: {what}"]
    except yaml.YAMLError as exc:
        return None, [f"{file}: YAML syntax error: {exc}"]


def read_story_file(path: Path | str) -> tuple[Any, str, list[str]]:
    """(raw data, display name, problems) for one file; never raises."""
    file = display_path(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, file, [f"{file}: cannot read the file ({exc.__class__.__name__}: {exc})"]
    raw, problems = parse_yaml(text, file)
    return raw, file, problems


# ------------------------------------------------------------------ validation

def _got(value: Any) -> str:
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "true/false", int: "an integer",
            float: "a number", type(None): "nothing"}.get(type(value), type(value).__name__)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _as_list(value: Any) -> list:
    """A list field that also accepts one comma-separated string (the URL's form)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return list(value)


def count_sentences(text: str) -> int:
    """Sentences in a short narrative (English or Chinese); abbreviations may over-count."""
    text = text.strip()
    if not text:
        return 0
    zh_ends = len(re.findall(r"[。！？]+", text))
    en_breaks = len(re.findall(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])", text))
    last = 0 if re.search(r"[。！？][”’」』）)]*\s*$", text) else 1
    return zh_ends + en_breaks + last


def validate_story(raw: Any, file: str, known_ids: set[str] | frozenset[str] | None,
                   known_indicators: set[tuple[str, str]] | frozenset[tuple[str, str]] | None,
                   sector_keys: set[str] | frozenset[str] | None, *,
                   provinces: set[str] | frozenset[str] | None = None,
                   paper_files: set[str] | frozenset[str] | None = None) -> list[str]:
    """Every problem with one parsed story file, as readable sentences; [] when it is fine.

    ``known_ids``: feature ids (highlight, compare, chart entities); ``known_indicators``: the
    (entity_id, indicator) pairs that have data (chart); ``sector_keys``: filters.sector;
    ``provinces``: canonical English names (filters.province); ``paper_files``: the papers' file
    names (sources). Any of them may be ``None`` to skip that check.
    """
    problems: list[str] = []

    def story_problem(path: str, msg: str) -> None:
        problems.append(f"{file}, field {path}: {msg}")

    if raw is None:
        return [f"{file}: the file is empty (expected a story: {', '.join(STORY_REQUIRED)})"]
    if not isinstance(raw, dict):
        return [f"{file}: expected a mapping with the fields {', '.join(STORY_REQUIRED)}, got {_type_name(raw)}"]

    for key in raw:
        if key not in STORY_REQUIRED:
            story_problem(str(key), f"unknown field (a story has {', '.join(STORY_REQUIRED)})")
    for key in STORY_REQUIRED:
        if key not in raw:
            story_problem(key, "missing (required)")

    if "id" in raw:
        sid = raw["id"]
        if not isinstance(sid, str) or not ID_RE.match(sid):
            story_problem("id", f"expected a lower-case slug like 'thirty-years', got {_got(sid)}")
        else:
            stem = Path(file).stem
            if Path(file).suffix in (".yaml", ".yml") and stem != sid:
                story_problem("id", f"{sid!r} does not match the file name ({stem!r}); name the file {sid}.yaml")
    for key in ("title_en", "title_zh", "summary_en", "summary_zh"):
        if key in raw:
            _check_text(raw[key], key, story_problem)

    if "steps" in raw:
        steps = raw["steps"]
        if not isinstance(steps, list):
            story_problem("steps", f"expected a list of steps, got {_type_name(steps)}")
        elif not steps:
            story_problem("steps", "the story has no steps (expected a non-empty list)")
        else:
            for n, step in enumerate(steps, start=1):
                problems.extend(_validate_step(step, n, file, known_ids, known_indicators, sector_keys,
                                               provinces, paper_files))
    return problems


def _check_text(value: Any, key: str, report) -> None:
    if not isinstance(value, str) or not value.strip():
        report(key, f"expected non-empty text, got {_got(value)}")
        return
    limit = MAX_LEN.get(key) or MAX_LEN.get(key.split(".")[-1])
    if limit and len(value) > limit:
        report(key, f"too long for large-type presentation ({len(value)} characters, at most {limit})")
    if key.endswith("_zh") and not CJK_RE.search(value):
        report(key, f"expected Chinese text, got {_got(value)}")
    elif key.endswith("_zh") and (m := ZH_GAP_RE.search(value)):
        report(key, f"a space between Chinese characters ({m.group(0)!r}); a folded YAML block (>) joins "
                    "lines with spaces, so write Chinese text on one line")
    if key.endswith("_en") and not LATIN_RE.search(value):
        report(key, f"expected English text, got {_got(value)}")
    if key.split(".")[-1] in ("text_en", "text_zh"):
        n = count_sentences(value)
        if n > MAX_SENTENCES:
            report(key, f"{n} sentences; a step's text is 1–{MAX_SENTENCES} short sentences")


def _validate_step(step: Any, n: int, file: str, known_ids, known_indicators, sector_keys, provinces,
                   paper_files) -> list[str]:
    problems: list[str] = []

    def report(path: str, msg: str) -> None:
        problems.append(f"{file}, step {n}, field {path}: {msg}")

    if not isinstance(step, dict):
        return [f"{file}, step {n}: expected a mapping with the fields {', '.join(STEP_REQUIRED)}, "
                f"got {_type_name(step)}"]
    for key in step:
        if key not in STEP_REQUIRED + STEP_OPTIONAL:
            report(str(key), f"unknown field (a step has {', '.join(STEP_REQUIRED + STEP_OPTIONAL)})")
    for key in STEP_REQUIRED:
        if key not in step:
            report(key, "missing (required)")

    for key in ("title_en", "title_zh", "text_en", "text_zh", "note_en", "note_zh"):
        if key in step:
            _check_text(step[key], key, report)
    if ("note_en" in step) != ("note_zh" in step):
        report("note_zh" if "note_en" in step else "note_en", "give the note in both languages")

    if "view" in step:
        _check_view(step["view"], report)
    if "layers" in step:
        layers = step["layers"]
        if not isinstance(layers, list) or not layers:
            report("layers", f"expected a non-empty list of layer ids ({', '.join(POINT_LAYER_IDS)}), "
                             f"got {_got(layers)}")
        else:
            _check_ids(layers, "layers", report, set(POINT_LAYER_IDS), "layer",
                       hint=f"known layers: {', '.join(POINT_LAYER_IDS)}")
    if "filters" in step:
        _check_filters(step["filters"], report, sector_keys, provinces)
    if "highlight" in step:
        hl = step["highlight"]
        if not isinstance(hl, list):
            report("highlight", f"expected a list of feature ids, got {_type_name(hl)}")
        else:
            _check_ids(hl, "highlight", report, known_ids, "feature")
    if "compare" in step:
        cmp_ = step["compare"]
        if not isinstance(cmp_, list) or not COMPARE_MIN <= len(cmp_) <= COMPARE_MAX:
            report("compare", f"expected a list of {COMPARE_MIN}–{COMPARE_MAX} feature ids, got {_got(cmp_)}")
        else:
            _check_ids(cmp_, "compare", report, known_ids, "feature")
    if "chart" in step:
        _check_chart(step["chart"], report, known_ids, known_indicators)
    if "sources" in step:
        _check_sources(step["sources"], report, paper_files)
    return problems


def _check_ids(values: list, path: str, report, known, what: str, hint: str = "") -> None:
    seen: set[str] = set()
    for i, value in enumerate(values):
        where = f"{path}[{i + 1}]"
        if not isinstance(value, str) or not value.strip():
            report(where, f"expected a {what} id, got {_got(value)}")
            continue
        if value in seen:
            report(where, f"{value!r} is listed twice")
        seen.add(value)
        if known is not None and value not in known:
            report(where, f"unknown {what} id {value!r}" + (f" ({hint})" if hint else ""))


def _check_view(view: Any, report) -> None:
    if not isinstance(view, dict):
        report("view", f"expected a mapping {{center: [lat, lon], zoom: int}}, got {_got(view)}")
        return
    for key in view:
        if key not in ("center", "zoom"):
            report(f"view.{key}", "unknown field (a view has center and zoom)")
    if "center" not in view:
        report("view.center", "missing (required): [lat, lon]")
    else:
        center = view["center"]
        if (not isinstance(center, list) or len(center) != 2 or not all(_is_number(c) for c in center)):
            report("view.center", f"expected [lat, lon] as two numbers, got {_got(center)}")
        else:
            lat, lon = center
            in_box = LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]
            if not in_box:
                swapped = LAT_RANGE[0] <= lon <= LAT_RANGE[1] and LON_RANGE[0] <= lat <= LON_RANGE[1]
                report("view.center", f"[{lat}, {lon}] is outside China"
                       + ("; it looks like [lon, lat] — write [lat, lon]" if swapped else
                          f" (lat {LAT_RANGE[0]:g}–{LAT_RANGE[1]:g}, lon {LON_RANGE[0]:g}–{LON_RANGE[1]:g})"))
    if "zoom" not in view:
        report("view.zoom", f"missing (required): an integer {ZOOM_MIN}–{ZOOM_MAX}")
    else:
        zoom = view["zoom"]
        if not _is_int(zoom) or not ZOOM_MIN <= zoom <= ZOOM_MAX:
            report("view.zoom", f"expected an integer {ZOOM_MIN}–{ZOOM_MAX}, got {_got(zoom)}")


def _check_filters(filters: Any, report, sector_keys, provinces) -> None:
    if not isinstance(filters, dict):
        report("filters", f"expected a mapping of Map filters ({', '.join(FILTER_KEYS)}), got {_got(filters)}")
        return
    for key in filters:
        if key == "layers":
            report("filters.layers", "the step's layers go in the step-level field 'layers', not in filters")
        elif key not in FILTER_KEYS:
            report(f"filters.{key}", f"unknown filter (the Map page's filters are {', '.join(FILTER_KEYS)})")

    def list_of(key: str, known, what: str) -> None:
        value = filters[key]
        if not isinstance(value, (str, list)) or not _as_list(value):
            report(f"filters.{key}", f"expected a {what} or a list of them, got {_got(value)}")
            return
        for i, item in enumerate(_as_list(value)):
            if not isinstance(item, str):
                report(f"filters.{key}[{i + 1}]", f"expected a {what}, got {_got(item)}")
            elif known is not None and item not in known:
                report(f"filters.{key}[{i + 1}]", f"unknown {what} {item!r}")

    if "province" in filters:
        list_of("province", provinces, "province (English name, e.g. 'Guangdong')")
    if "region" in filters:
        list_of("region", set(REGION_KEYS), f"region key ({', '.join(REGION_KEYS)})")
    if "sector" in filters:
        list_of("sector", sector_keys, "sector key")
    if "coastal" in filters and filters["coastal"] not in COASTAL_CHOICES:
        report("filters.coastal", f"expected one of {', '.join(COASTAL_CHOICES)}, got {_got(filters['coastal'])}")
    years_ok = True
    for key in ("year_min", "year_max"):
        if key in filters:
            value = filters[key]
            if not _is_int(value) or not YEAR_MIN <= value <= YEAR_MAX:
                report(f"filters.{key}", f"expected a year {YEAR_MIN}–{YEAR_MAX}, got {_got(value)}")
                years_ok = False
    if years_ok and filters.get("year_min", YEAR_MIN) > filters.get("year_max", YEAR_MAX):
        report("filters.year_min", f"{filters.get('year_min')} is after year_max {filters.get('year_max')}")
    if "q" in filters:
        q = filters["q"]
        if not isinstance(q, str) or not q.strip() or len(q) > MAX_QUERY_LEN:
            report("filters.q", f"expected search text of 1–{MAX_QUERY_LEN} characters, got {_got(q)}")


def _check_chart(chart: Any, report, known_ids, known_indicators) -> None:
    if not isinstance(chart, dict):
        report("chart", f"expected a mapping {{entities: [ids], indicator: key}}, got {_got(chart)}")
        return
    for key in chart:
        if key not in ("entities", "indicator"):
            report(f"chart.{key}", "unknown field (a chart has entities and indicator)")
    indicator = chart.get("indicator")
    if "indicator" not in chart:
        report("chart.indicator", "missing (required): an indicator key")
    elif not isinstance(indicator, str) or not indicator.strip():
        report("chart.indicator", f"expected an indicator key, got {_got(indicator)}")
        indicator = None
    elif known_indicators is not None and not any(ind == indicator for _, ind in known_indicators):
        report("chart.indicator", f"unknown indicator key {indicator!r}")
        indicator = None
    if "entities" not in chart:
        report("chart.entities", "missing (required): a list of entity ids")
        return
    entities = chart["entities"]
    if not isinstance(entities, list) or not entities:
        report("chart.entities", f"expected a non-empty list of entity ids, got {_got(entities)}")
        return
    if known_indicators is None:
        _check_ids(entities, "chart.entities", report, known_ids, "entity")
        return
    _check_ids(entities, "chart.entities", report, None, "entity")
    if indicator:
        for i, entity in enumerate(entities):
            if isinstance(entity, str) and (entity, indicator) not in known_indicators:
                report(f"chart.entities[{i + 1}]", f"no {indicator!r} values for {entity!r} in the indicator table")


def _check_sources(sources: Any, report, paper_files) -> None:
    if not isinstance(sources, list) or not sources:
        report("sources", "expected a non-empty list of citations like "
                          "'004_e203b0bd6315dda3.txt, Table 1.4', got " + _got(sources))
        return
    for i, src in enumerate(sources):
        where = f"sources[{i + 1}]"
        if not isinstance(src, str):
            report(where, f"expected a citation string, got {_got(src)}")
            continue
        m = SOURCE_RE.match(src.strip())
        if not m:
            report(where, f"expected '<paper file>, <table/section>' "
                          f"(e.g. '004_e203b0bd6315dda3.txt, Table 1.4'), got {_got(src)}")
        elif paper_files is not None and m.group("file") not in paper_files:
            report(where, f"no paper {m.group('file')!r} in the sources")


# ------------------------------------------------------------------ building the dataclasses

def build_story(raw: dict, path: str = "") -> Story:
    """A validated raw story -> Story (call validate_story first)."""
    steps = []
    for s in raw["steps"]:
        chart = s.get("chart")
        steps.append(Step(
            title_en=s["title_en"].strip(), title_zh=s["title_zh"].strip(),
            text_en=s["text_en"].strip(), text_zh=s["text_zh"].strip(),
            center=(float(s["view"]["center"][0]), float(s["view"]["center"][1])),
            zoom=int(s["view"]["zoom"]),
            layers=tuple(s["layers"]),
            sources=tuple(x.strip() for x in s["sources"]),
            filters=dict(s.get("filters") or {}),
            highlight=tuple(s.get("highlight") or ()),
            chart=Chart(tuple(chart["entities"]), chart["indicator"]) if chart else None,
            compare=tuple(s.get("compare") or ()),
            note_en=(s.get("note_en") or "").strip(), note_zh=(s.get("note_zh") or "").strip(),
        ))
    return Story(id=raw["id"], title_en=raw["title_en"].strip(), title_zh=raw["title_zh"].strip(),
                 summary_en=raw["summary_en"].strip(), summary_zh=raw["summary_zh"].strip(),
                 steps=tuple(steps), path=path)


def _vocab_kwargs(vocab: StoryVocab | None) -> dict:
    v = vocab or StoryVocab()
    return dict(known_ids=v.known_ids, known_indicators=v.known_indicators, sector_keys=v.sector_keys,
                provinces=v.provinces, paper_files=v.paper_files)


def check_story_file(path: Path | str, vocab: StoryVocab | None = None) -> tuple[Any, str, list[str]]:
    """(raw, display name, problems) — reading plus validation, never raises."""
    raw, file, problems = read_story_file(path)
    if not problems:
        problems = validate_story(raw, file, **_vocab_kwargs(vocab))
    return raw, file, problems


def load_story(path: Path | str, vocab: StoryVocab | None = None) -> Story:
    """Read and validate one story file; raise StoryError with every problem if it is broken.

    Without ``vocab`` only the structure is checked (ids, indicators, sectors are not looked up).
    """
    raw, file, problems = check_story_file(path, vocab)
    if problems:
        raise StoryError(problems)
    return build_story(raw, file)


def list_stories(directory: Path | str, vocab: StoryVocab | None = None) -> list[StoryInfo]:
    """Every ``*.yaml`` / ``*.yml`` story in ``directory``, sorted by id; never raises."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    infos = []
    for path in sorted(list(directory.glob("*.yaml")) + list(directory.glob("*.yml"))):
        raw, file, problems = check_story_file(path, vocab)
        raw = raw if isinstance(raw, dict) else {}

        def text(key: str) -> str:
            value = raw.get(key)
            return value.strip() if isinstance(value, str) else ""

        steps = raw.get("steps")
        sid = raw.get("id") if isinstance(raw.get("id"), str) and raw.get("id") else path.stem
        infos.append(StoryInfo(id=sid, path=file, title_en=text("title_en"), title_zh=text("title_zh"),
                               summary_en=text("summary_en"), summary_zh=text("summary_zh"),
                               n_steps=len(steps) if isinstance(steps, list) else 0,
                               problems=tuple(problems)))
    return sorted(infos, key=lambda i: i.id)


__all__ = ["Chart", "Step", "Story", "StoryInfo", "StoryVocab", "StoryError", "load_story", "list_stories",
           "validate_story", "check_story_file", "read_story_file", "parse_yaml", "build_story",
           "vocab_from_frames", "display_path", "count_sentences"]
