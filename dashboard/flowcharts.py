"""Kuchiki's flowchart approach (seed 002): the flowcharts, the papers' assessments of clusters, the walk
along a flowchart (where it stops), the self-assessment's URL state, the drawing and the exports.

Sources: `geodata/sources/flowcharts/{flowcharts,assessments}.yaml` (validated here; the build copies them
into the reference tables `flowcharts`, `flowchart_steps`, `flowchart_assessments`). Pure functions.
"""
from __future__ import annotations

import csv
import html
import io
import json
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from . import paper_text
from .i18n import t

ACTORS = ("central_government", "local_government", "quasi_public", "private_sector")
ACTOR_CODES = {"c": "central_government", "l": "local_government", "q": "quasi_public", "p": "private_sector"}
STAGES = ("I", "II")
STATUSES = ("yes", "no", "not_stated")
ANSWER_CODES = {"y": "yes", "n": "no", "u": "unknown"}  # self-assessment: yes / no / don't know
NOTE_MAX = 300
PLACE_MAX = 120
FLOW_FILE = "flowcharts.yaml"
ASSESS_FILE = "assessments.yaml"


# ---------------------------------------------------------------- model

@dataclass(frozen=True)
class Cite:
    file: str
    section: str
    para: int
    quote: str

    @property
    def text(self) -> str:
        return f"{self.file}, {self.section}, para {self.para}"


@dataclass(frozen=True)
class Step:
    id: str
    order: int
    stage: str
    short: dict
    question: dict
    index: dict | None
    actors: tuple[str, ...]
    actors_note: dict | None
    cites: tuple[Cite, ...]


@dataclass(frozen=True)
class Flowchart:
    id: str
    title: dict
    summary: dict
    order_note: dict
    figures_note: dict
    outcome: dict
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Answer:
    status: str  # yes | no | not_stated
    cite: Cite | None = None
    note: dict | None = None


@dataclass(frozen=True)
class Assessment:
    id: str
    flowchart: str
    name: dict
    features: tuple[str, ...]
    note: dict
    answers: dict  # step id -> Answer
    outcome: Cite | None = None

    def statuses(self, flow: Flowchart) -> list[str]:
        return [self.answers[s.id].status for s in flow.steps]


class FlowchartError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


# ---------------------------------------------------------------- schema

def _where(file: str, *parts: str) -> str:
    return ": ".join([file, *[p for p in parts if p]])


def _text(obj: dict, key: str, where: str, problems: list, required: bool = True) -> None:
    value = obj.get(key)
    if value is None and not required:
        return
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: field {key!r}: a non-empty text is required (got {value!r})")


def _bilingual(obj: dict, key: str, where: str, problems: list, required: bool = True) -> None:
    value = obj.get(key)
    if value is None and not required:
        return
    if not isinstance(value, dict):
        problems.append(f"{where}: field {key!r}: needs 'en' and 'zh' texts (got {value!r})")
        return
    for lang in ("en", "zh"):
        if not isinstance(value.get(lang), str) or not value[lang].strip():
            problems.append(f"{where}: field {key}.{lang}: a non-empty text is required")
    extra = set(value) - {"en", "zh"}
    if extra:
        problems.append(f"{where}: field {key!r}: unknown languages {sorted(extra)}")


def _cite(obj: dict, where: str, problems: list, papers_dir: Path | None, required: bool = True) -> None:
    keys = ("file", "section", "heading", "para", "quote")
    present = [k for k in keys if obj.get(k) is not None]
    if not present and not required:
        return
    for key in ("file", "section", "heading", "quote"):
        _text(obj, key, where, problems)
    para = obj.get("para")
    if not isinstance(para, int) or isinstance(para, bool) or para < 1:
        problems.append(f"{where}: field 'para': a paragraph number >= 1 is required (got {para!r})")
        return
    if papers_dir is not None and all(isinstance(obj.get(k), str) for k in ("file", "heading", "quote")):
        for problem in paper_text.quote_problems(papers_dir, obj["file"], obj["heading"], para, obj["quote"]):
            problems.append(f"{where}: field 'quote': {problem}")


def _check_id(value, kind: str, seen: set, where: str, problems: list) -> None:
    """An id: lower-case slug, unique among its kind (`seen` collects them)."""
    if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9-]+", value or ""):
        problems.append(f"{where}: field 'id': lower-case letters, digits and '-' required (got {value!r})")
    elif value in seen:
        problems.append(f"{where}: field 'id': duplicate {kind} id")
    seen.add(value)


def _unknown(obj: dict, allowed: set[str], where: str, problems: list) -> None:
    for key in sorted(set(obj) - allowed):
        problems.append(f"{where}: unknown field {key!r}")


STEP_FIELDS = {"id", "stage", "order", "short", "question", "index", "actors", "actors_note", "cites"}
FLOW_FIELDS = {"id", "title", "summary", "order_note", "figures_note", "outcome", "steps"}
CITE_FIELDS = {"file", "section", "heading", "para", "quote"}
ANSWER_FIELDS = CITE_FIELDS | {"status", "note"}
ASSESS_FIELDS = {"id", "flowchart", "name", "features", "note", "answers", "outcome"}


def validate_flowcharts(doc, file: str = FLOW_FILE, papers_dir: Path | None = None) -> list[str]:
    """Problems in a parsed flowcharts file; each names the file, the flowchart, the step and the field."""
    problems: list[str] = []
    if not isinstance(doc, dict) or not isinstance(doc.get("flowcharts"), list) or not doc["flowcharts"]:
        return [f"{file}: a top-level 'flowcharts' list is required"]
    seen_flows: set[str] = set()
    for n, flow in enumerate(doc["flowcharts"], start=1):
        fid = flow.get("id") if isinstance(flow, dict) else None
        fwhere = _where(file, f"flowchart {fid or '#' + str(n)}")
        if not isinstance(flow, dict):
            problems.append(f"{fwhere}: must be a mapping")
            continue
        _unknown(flow, FLOW_FIELDS, fwhere, problems)
        _check_id(fid, "flowchart", seen_flows, fwhere, problems)
        for key in ("title", "summary", "order_note", "figures_note", "outcome"):
            _bilingual(flow, key, fwhere, problems)
        steps = flow.get("steps")
        if not isinstance(steps, list) or not steps:
            problems.append(f"{fwhere}: field 'steps': a non-empty list is required")
            continue
        seen_steps: set[str] = set()
        orders: list[int] = []
        for k, step in enumerate(steps, start=1):
            sid = step.get("id") if isinstance(step, dict) else None
            swhere = _where(file, f"flowchart {fid}", f"step {sid or '#' + str(k)}")
            if not isinstance(step, dict):
                problems.append(f"{swhere}: must be a mapping")
                continue
            _unknown(step, STEP_FIELDS, swhere, problems)
            if not isinstance(sid, str) or not re.fullmatch(r"[a-z0-9_]+", sid or ""):
                problems.append(f"{swhere}: field 'id': lower-case letters, digits and '_' required (got {sid!r})")
            elif sid in seen_steps:
                problems.append(f"{swhere}: field 'id': duplicate step id")
            seen_steps.add(sid)
            if step.get("stage") not in STAGES:
                problems.append(f"{swhere}: field 'stage': one of {list(STAGES)} required (got {step.get('stage')!r})")
            order = step.get("order")
            if not isinstance(order, int) or isinstance(order, bool):
                problems.append(f"{swhere}: field 'order': an integer is required (got {order!r})")
            else:
                orders.append(order)
            for key in ("short", "question"):
                _bilingual(step, key, swhere, problems)
            _bilingual(step, "index", swhere, problems, required=False)
            _bilingual(step, "actors_note", swhere, problems, required=False)
            actors = step.get("actors")
            if not isinstance(actors, list) or any(a not in ACTORS for a in actors):
                problems.append(f"{swhere}: field 'actors': a list of {list(ACTORS)} required (got {actors!r})")
            elif not actors and step.get("actors_note") is None:
                problems.append(f"{swhere}: field 'actors_note': required when no actor is named")
            cites = step.get("cites")
            if not isinstance(cites, list) or not cites:
                problems.append(f"{swhere}: field 'cites': at least one citation is required")
                continue
            for c, cite in enumerate(cites, start=1):
                cwhere = f"{swhere}: cites[{c}]"
                if not isinstance(cite, dict):
                    problems.append(f"{cwhere}: must be a mapping")
                    continue
                _unknown(cite, CITE_FIELDS, cwhere, problems)
                _cite(cite, cwhere, problems, papers_dir)
        if orders and sorted(orders) != list(range(1, len(steps) + 1)):
            problems.append(f"{fwhere}: field 'order': the steps must be numbered 1..{len(steps)} (got {orders})")
        stages = [s.get("stage") for s in sorted((s for s in steps if isinstance(s, dict)
                                                  and isinstance(s.get("order"), int)), key=lambda s: s["order"])]
        if all(s in STAGES for s in stages) and stages != sorted(stages, key=STAGES.index):
            problems.append(f"{fwhere}: field 'stage': Step I steps must come before Step II steps")
    return problems


def validate_assessments(doc, flows: dict[str, list[str]], file: str = ASSESS_FILE,
                         papers_dir: Path | None = None, feature_ids: set[str] | None = None) -> list[str]:
    """Problems in a parsed assessments file. `flows`: flowchart id -> its step ids."""
    problems: list[str] = []
    if not isinstance(doc, dict) or not isinstance(doc.get("assessments"), list):
        return [f"{file}: a top-level 'assessments' list is required"]
    seen: set[str] = set()
    owner: dict[str, str] = {}
    for n, item in enumerate(doc["assessments"], start=1):
        aid = item.get("id") if isinstance(item, dict) else None
        awhere = _where(file, f"assessment {aid or '#' + str(n)}")
        if not isinstance(item, dict):
            problems.append(f"{awhere}: must be a mapping")
            continue
        _unknown(item, ASSESS_FIELDS, awhere, problems)
        _check_id(aid, "assessment", seen, awhere, problems)
        _bilingual(item, "name", awhere, problems)
        _bilingual(item, "note", awhere, problems)
        features = item.get("features")
        if not isinstance(features, list) or not features or not all(isinstance(f, str) for f in features):
            problems.append(f"{awhere}: field 'features': a non-empty list of feature ids is required")
        else:
            for fid in features:
                if feature_ids is not None and fid not in feature_ids:
                    problems.append(f"{awhere}: field 'features': {fid!r} is not a feature of the atlas")
                if fid in owner:
                    problems.append(f"{awhere}: field 'features': {fid!r} is already assessed by {owner[fid]!r}")
                owner[fid] = aid
        if item.get("outcome") is not None:
            if isinstance(item["outcome"], dict):
                _unknown(item["outcome"], CITE_FIELDS, f"{awhere}: outcome", problems)
                _cite(item["outcome"], f"{awhere}: outcome", problems, papers_dir)
            else:
                problems.append(f"{awhere}: field 'outcome': a citation mapping is required")
        flow = item.get("flowchart")
        if flow not in flows:
            problems.append(f"{awhere}: field 'flowchart': unknown flowchart {flow!r} (known: {sorted(flows)})")
            continue
        answers = item.get("answers")
        if not isinstance(answers, dict):
            problems.append(f"{awhere}: field 'answers': a mapping step id -> answer is required")
            continue
        for sid in flows[flow]:
            if sid not in answers:
                problems.append(f"{awhere}: step {sid}: field 'status': missing (answer every step: "
                                f"yes, no or not_stated)")
        for sid, ans in answers.items():
            swhere = f"{awhere}: step {sid}"
            if sid not in flows[flow]:
                problems.append(f"{swhere}: not a step of flowchart {flow!r}")
                continue
            if not isinstance(ans, dict):
                problems.append(f"{swhere}: must be a mapping")
                continue
            _unknown(ans, ANSWER_FIELDS, swhere, problems)
            status = ans.get("status")
            if isinstance(status, bool):  # YAML reads a bare yes / no as a boolean
                status = "yes" if status else "no"
            if status not in STATUSES:
                problems.append(f"{swhere}: field 'status': one of {list(STATUSES)} required (got {status!r})")
            _cite({k: ans.get(k) for k in CITE_FIELDS}, swhere, problems, papers_dir,
                  required=status in ("yes", "no"))
            _bilingual(ans, "note", swhere, problems, required=False)
    return problems


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FlowchartError([f"{path.name}: file not found in {path.parent}"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise FlowchartError([f"{path.name}:{where}: not valid YAML: {getattr(exc, 'problem', exc)}"]) from None


def load_sources(folder: Path, papers_dir: Path | None = None,
                 feature_ids: set[str] | None = None) -> tuple[list[Flowchart], list[Assessment]]:
    """Read and validate the two source files; FlowchartError lists every problem found."""
    folder = Path(folder)
    fdoc = _read_yaml(folder / FLOW_FILE)
    problems = validate_flowcharts(fdoc, FLOW_FILE, papers_dir)
    if problems:
        raise FlowchartError(problems)
    adoc = _read_yaml(folder / ASSESS_FILE)
    flows = {f["id"]: [s["id"] for s in f["steps"]] for f in fdoc["flowcharts"]}
    problems = validate_assessments(adoc, flows, ASSESS_FILE, papers_dir, feature_ids)
    if problems:
        raise FlowchartError(problems)
    return [_flow(f) for f in fdoc["flowcharts"]], [_assessment(a) for a in adoc["assessments"]]


def _mkcite(obj: dict) -> Cite | None:
    if not obj or obj.get("quote") is None:
        return None
    return Cite(obj["file"], obj["section"], int(obj["para"]), " ".join(str(obj["quote"]).split()))


def _flow(f: dict) -> Flowchart:
    steps = tuple(Step(s["id"], s["order"], s["stage"], s["short"], s["question"], s.get("index"),
                       tuple(s["actors"]), s.get("actors_note"), tuple(_mkcite(c) for c in s["cites"]))
                  for s in sorted(f["steps"], key=lambda s: s["order"]))
    return Flowchart(f["id"], f["title"], f["summary"], f["order_note"], f["figures_note"], f["outcome"], steps)


def _status(value) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else value


def _assessment(a: dict) -> Assessment:
    answers = {sid: Answer(_status(ans["status"]), _mkcite(ans), ans.get("note")) for sid, ans in a["answers"].items()}
    return Assessment(a["id"], a["flowchart"], a["name"], tuple(a["features"]), a["note"], answers,
                      _mkcite(a.get("outcome") or {}))


# ---------------------------------------------------------------- reference tables (geodata/layers)

def _cites_json(cites) -> str:
    return json.dumps([{"file": c.file, "section": c.section, "para": c.para, "quote": c.quote} for c in cites],
                      ensure_ascii=False)


def to_tables(flows: list[Flowchart], assessments: list[Assessment]) -> dict[str, pd.DataFrame]:
    fc = pd.DataFrame([{"flowchart": f.id, **{f"{k}_{l}": getattr(f, k)[l] for k in
                                              ("title", "summary", "order_note", "figures_note", "outcome")
                                              for l in ("en", "zh")}} for f in flows])
    steps = pd.DataFrame([{
        "flowchart": f.id, "step": s.id, "order": s.order, "stage": s.stage,
        "short_en": s.short["en"], "short_zh": s.short["zh"], "question_en": s.question["en"],
        "question_zh": s.question["zh"], "index_en": (s.index or {}).get("en", ""),
        "index_zh": (s.index or {}).get("zh", ""), "actors": ";".join(s.actors),
        "actors_note_en": (s.actors_note or {}).get("en", ""), "actors_note_zh": (s.actors_note or {}).get("zh", ""),
        "source": "; ".join(c.text for c in s.cites), "cites": _cites_json(s.cites)}
        for f in flows for s in f.steps])
    by_id = {f.id: f for f in flows}
    rows = []
    for a in assessments:
        for s in by_id[a.flowchart].steps:
            ans = a.answers[s.id]
            rows.append({
                "assessment": a.id, "flowchart": a.flowchart, "name_en": a.name["en"], "name_zh": a.name["zh"],
                "features": ";".join(a.features), "note_en": a.note["en"], "note_zh": a.note["zh"],
                "step": s.id, "status": ans.status, "source": ans.cite.text if ans.cite else "",
                "quote": ans.cite.quote if ans.cite else "",
                "answer_note_en": (ans.note or {}).get("en", ""), "answer_note_zh": (ans.note or {}).get("zh", ""),
                "outcome_source": a.outcome.text if a.outcome else "",
                "outcome_quote": a.outcome.quote if a.outcome else ""})
    return {"flowcharts": fc, "flowchart_steps": steps, "flowchart_assessments": pd.DataFrame(rows)}


def _cite_from_text(source: str, quote: str) -> Cite | None:
    if not str(quote or "").strip():
        return None
    file, _, rest = str(source).partition(", ")
    section, _, para = rest.rpartition(", para ")
    return Cite(file, section, int(para) if para.isdigit() else 0, str(quote))


def from_tables(fc: pd.DataFrame, steps: pd.DataFrame, assess: pd.DataFrame
                ) -> tuple[dict[str, Flowchart], dict[str, Assessment]]:
    """The built reference tables back into flowcharts and assessments (what the page uses)."""
    flows: dict[str, Flowchart] = {}
    for row in fc.to_dict("records"):
        mine = steps[steps["flowchart"] == row["flowchart"]].sort_values("order")
        st = tuple(Step(r["step"], int(r["order"]), r["stage"], {"en": r["short_en"], "zh": r["short_zh"]},
                        {"en": r["question_en"], "zh": r["question_zh"]},
                        {"en": r["index_en"], "zh": r["index_zh"]} if r["index_en"] else None,
                        tuple(a for a in str(r["actors"]).split(";") if a),
                        {"en": r["actors_note_en"], "zh": r["actors_note_zh"]} if r["actors_note_en"] else None,
                        tuple(Cite(**c) for c in json.loads(r["cites"])))
                   for r in mine.to_dict("records"))
        flows[row["flowchart"]] = Flowchart(row["flowchart"], *({"en": row[f"{k}_en"], "zh": row[f"{k}_zh"]} for k in
                                            ("title", "summary", "order_note", "figures_note", "outcome")), st)
    out: dict[str, Assessment] = {}
    for aid, grp in assess.groupby("assessment", sort=False):
        first = grp.iloc[0]
        answers = {r["step"]: Answer(r["status"], _cite_from_text(r["source"], r["quote"]),
                                     {"en": r["answer_note_en"], "zh": r["answer_note_zh"]}
                                     if r["answer_note_en"] else None) for r in grp.to_dict("records")}
        out[aid] = Assessment(aid, first["flowchart"], {"en": first["name_en"], "zh": first["name_zh"]},
                              tuple(f for f in str(first["features"]).split(";") if f),
                              {"en": first["note_en"], "zh": first["note_zh"]}, answers,
                              _cite_from_text(first["outcome_source"], first["outcome_quote"]))
    return flows, out


# ---------------------------------------------------------------- the walk along a flowchart

@dataclass(frozen=True)
class Walk:
    """Where the flow stops. `stop` = index of the first step not answered yes (len(steps) when every step
    is yes); `kind` = its answer: 'no' (a bottleneck), 'not_stated' / 'unknown' (the flow cannot be
    followed further: never read as yes), 'unanswered', or 'complete'. `first_no` = the first 'no'
    anywhere (also beyond an open step), None when there is none."""
    stop: int
    kind: str
    first_no: int | None
    statuses: tuple = field(default_factory=tuple)

    @property
    def bottleneck(self) -> int | None:
        return self.stop if self.kind == "no" else None


def walk(statuses: list[str | None]) -> Walk:
    allowed = {"yes", "no", "not_stated", "unknown", None}
    for s in statuses:
        if s not in allowed:
            raise ValueError(f"unknown answer {s!r}")
    stop = next((i for i, s in enumerate(statuses) if s != "yes"), len(statuses))
    kind = "complete" if stop == len(statuses) else (statuses[stop] or "unanswered")
    first_no = next((i for i, s in enumerate(statuses) if s == "no"), None)
    return Walk(stop, kind, first_no, tuple(statuses))


# ---------------------------------------------------------------- self-assessment URL state

@dataclass
class SelfState:
    answers: list  # 'yes' | 'no' | 'unknown' | None per step
    actors: list   # actor key or None per step
    notes: list    # text per step ('' when none)
    place: str = ""

    def statuses(self) -> list:
        return list(self.answers)


def _clean_text(value: str, limit: int) -> tuple[str, bool]:
    text = "".join(ch if ch.isprintable() else " " if ch.isspace() else "" for ch in str(value)).strip()
    return text[:limit], len(text) > limit


def parse_self(params: dict, flow: Flowchart, lang: str = "en") -> tuple[SelfState, list[str]]:
    """URL parameters (`answers=y,n,u,,`, `actors=l,,p`, `n<order>=note`, `place=`) -> a valid state and
    a notice for every value that was ignored or cut."""
    n = len(flow.steps)
    notices: list[str] = []
    state = SelfState([None] * n, [None] * n, [""] * n)
    raw = str(params.get("answers", "") or "")
    if raw:
        tokens = raw.split(",")
        if len(tokens) > n:
            notices.append(t("fc_notice_too_many", lang, n=n, got=len(tokens)))
        bad = []
        for i, tok in enumerate(tokens[:n]):
            tok = tok.strip().lower()
            if tok in ANSWER_CODES:
                state.answers[i] = ANSWER_CODES[tok]
            elif tok:
                bad.append(tok)
        if bad:
            notices.append(t("fc_notice_bad_answers", lang, values=_quoted(bad)))
    raw = str(params.get("actors", "") or "")
    if raw:
        tokens = raw.split(",")
        bad = [tok for tok in tokens[n:] if tok.strip()]
        for i, tok in enumerate(tokens[:n]):
            tok = tok.strip().lower()
            if tok in ACTOR_CODES:
                state.actors[i] = ACTOR_CODES[tok]
            elif tok:
                bad.append(tok)
        if bad:
            notices.append(t("fc_notice_bad_actors", lang, values=_quoted(bad)))
    for i in range(n):
        value = params.get(f"n{i + 1}")
        if value:
            state.notes[i], cut = _clean_text(value, NOTE_MAX)
            if cut:
                notices.append(t("fc_notice_cut", lang, what=f"n{i + 1}", n=NOTE_MAX))
    if params.get("place"):
        state.place, cut = _clean_text(params["place"], PLACE_MAX)
        if cut:
            notices.append(t("fc_notice_cut", lang, what="place", n=PLACE_MAX))
    return state, notices


def encode_self(state: SelfState) -> dict[str, str]:
    """The state as URL parameters (empty ones left out): the inverse of `parse_self`."""
    codes = {v: k for k, v in ANSWER_CODES.items()}
    actor_codes = {v: k for k, v in ACTOR_CODES.items()}
    out: dict[str, str] = {}
    answers = ",".join(codes.get(a, "") for a in state.answers).rstrip(",")
    if answers:
        out["answers"] = answers
    actors = ",".join(actor_codes.get(a, "") for a in state.actors).rstrip(",")
    if actors:
        out["actors"] = actors
    for i, note in enumerate(state.notes):
        if note:
            out[f"n{i + 1}"] = note
    if state.place:
        out["place"] = state.place
    return out


def _quoted(values: list[str]) -> str:
    from .filters import quoted
    return quoted(values)


def parse_ids(value: str, known: dict[str, str], limit: int, lang: str = "en") -> tuple[list[str], list[str]]:
    """A comma list of feature or assessment ids -> assessment ids (known: id -> assessment id), deduplicated,
    at most `limit`, with a notice for what was ignored."""
    out, bad = [], []
    for tok in [v.strip() for v in str(value or "").split(",") if v.strip()]:
        aid = known.get(tok)
        if aid is None:
            bad.append(tok)
        elif aid not in out:
            out.append(aid)
    notices = [t("fc_notice_unknown_cluster", lang, values=_quoted(bad))] if bad else []
    if len(out) > limit:
        notices.append(t("fc_notice_too_many_clusters", lang, n=limit))
        out = out[:limit]
    return out, notices


# ---------------------------------------------------------------- texts

def loc(value: dict | None, lang: str) -> str:
    if not value:
        return ""
    return value.get(lang) or value.get("en", "")


def actor_names(actors, lang: str) -> str:
    return ", ".join(t(f"fc_actor_{a}", lang) for a in actors)


def status_label(status: str | None, lang: str) -> str:
    return t(f"fc_status_{status or 'unanswered'}", lang)


def tally(statuses: list, lang: str) -> str:
    """How many steps are answered yes, no, not stated / don't know, not answered."""
    counts = {k: sum(1 for s in statuses if s == k) for k in ("yes", "no", "not_stated", "unknown", None)}
    return t("fc_tally", lang, n=len(statuses), yes=counts["yes"], no=counts["no"],
             open=counts["not_stated"] + counts["unknown"], unanswered=counts[None])


def verdict(flow: Flowchart, w: Walk, lang: str) -> str:
    """One sentence (plain text) on where the flow stops."""
    if w.kind == "complete":
        return t("fc_verdict_complete", lang, outcome=loc(flow.outcome, lang))
    step = flow.steps[w.stop]
    text = t(f"fc_verdict_{w.kind}", lang, n=step.order, step=loc(step.short, lang))
    if w.kind != "no" and w.first_no is not None:
        later = flow.steps[w.first_no]
        text += " " + t("fc_verdict_first_no", lang, n=later.order, step=loc(later.short, lang))
    return text


# ---------------------------------------------------------------- drawing (Graphviz DOT, rendered in the browser)

COLOURS = {  # fill, border, font
    "passed": ("#d9f2e3", "#1b7f46", "#10301f"),
    "stop_no": ("#fde0dd", "#c0392b", "#5c0b05"),
    "stop_open": ("#fff1c9", "#b7791f", "#4a3000"),
    "stop_unanswered": ("#e8eef7", "#2b6cb0", "#102a43"),
    "beyond": ("#f4f4f4", "#b5b5b5", "#6b6b6b"),
    "beyond_no": ("#f4f4f4", "#c0392b", "#8b2a1f"),  # a stated "no" further on than the stop
    "beyond_yes": ("#f4f4f4", "#5fa67f", "#3d5c4a"),  # a stated "yes" the flow has not reached
}


def dot_escape(text: str) -> str:
    """A text as the inside of a double-quoted DOT string (no injection of attributes or statements)."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(text))
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _label(lines: list[str], width: int = 34) -> str:
    wrapped = []
    for line in lines:
        wrapped += textwrap.wrap(line, width) or [""]
    return "\\n".join(dot_escape(w) for w in wrapped)


def _node_state(i: int, w: Walk) -> str:
    if i < w.stop:
        return "passed"
    if i == w.stop:
        return {"no": "stop_no", "unanswered": "stop_unanswered"}.get(w.kind, "stop_open")
    return {"no": "beyond_no", "yes": "beyond_yes"}.get(w.statuses[i], "beyond")


def _stop_note(flow: Flowchart, w: Walk, lang: str) -> tuple[list[str], str, str] | None:
    """(lines, state, edge label) of the note beside the stop, None when the flow runs to its end."""
    if w.kind == "complete":
        return None
    if w.kind == "no":
        step = flow.steps[w.stop]
        who = actor_names(step.actors, lang) or t("fc_actors_any", lang)
        return [t("fc_box_bottleneck", lang), t("fc_box_who", lang, who=who)], "stop_no", t("fc_edge_no", lang)
    if w.kind == "unanswered":
        return [t("fc_box_unanswered", lang)], "stop_unanswered", "?"
    return [t(f"fc_box_{w.kind}", lang)], "stop_open", "?"


def to_dot(flow: Flowchart, statuses: list[str | None], lang: str, compact: bool = False) -> str:
    """The flowchart as Graphviz DOT: boxes and arrows, the path taken in green, the stop marked (red for a
    'no' with the actors who can clear it, amber where the answer is not known), the steps beyond in grey."""
    w = walk(statuses)
    width = 24 if compact else 30
    font = "Helvetica"
    size = 13 if compact else 14
    out = ["digraph flowchart {",
           f'  graph [rankdir=TB, fontname="{font}", nodesep=0.35, ranksep=0.32, '
           f'bgcolor="transparent", pad=0.1];',
           f'  node [shape=box, style="rounded,filled", fontname="{font}", fontsize={size}, width=2.9, '
           f'margin="0.14,0.06", penwidth=1.2];',
           f'  edge [fontname="{font}", fontsize={size - 2}, arrowsize=0.7];',
           f'  start [label="{dot_escape(t("fc_start", lang))}", shape=oval, width=1.2, fillcolor="#1b3a5c", '
           f'fontcolor="white", color="#1b3a5c"];']
    note = _stop_note(flow, w, lang)
    for stage in STAGES:
        members = [(i, s) for i, s in enumerate(flow.steps) if s.stage == stage]
        if not members:
            continue
        out.append(f"  subgraph cluster_{stage} {{")
        out.append(f'    label="{dot_escape(t(f"fc_stage_{stage}", lang))}"; labeljust=l; fontsize={size + 1}; '
                   f'style="rounded,dashed"; color="#8a9bb0"; fontcolor="#1b3a5c";')
        for i, s in members:
            state = _node_state(i, w)
            fill, border, fontc = COLOURS[state]
            lines = [f"{s.order}. {loc(s.short, lang)}", f"[{status_label(statuses[i], lang)}]"]
            extra = (', penwidth=3.2, style="rounded,filled,bold"' if state.startswith("stop")
                     else ', penwidth=2, style="rounded,filled,dashed"' if state in ("beyond_no", "beyond_yes")
                     else "")
            out.append(f'    s{i} [label="{_label(lines, width)}", fillcolor="{fill}", color="{border}", '
                       f'fontcolor="{fontc}"{extra}];')
            if note and i == w.stop:  # the note beside the stop, inside the same stage box
                lines_, nstate, _ = note
                fill, border, fontc = COLOURS[nstate]
                out.append(f'    stopnote [label="{_label(lines_, 24)}", shape=note, width=1.9, fillcolor="{fill}", '
                           f'color="{border}", fontcolor="{fontc}"];')
                out.append(f"    {{ rank=same; s{i}; stopnote; }}")
        out.append("  }")
    fill, border, fontc = COLOURS["passed" if w.kind == "complete" else "beyond"]
    out.append(f'  finish [label="{_label([loc(flow.outcome, lang)], width)}", shape=oval, fillcolor="{fill}", '
               f'color="{border}", fontcolor="{fontc}"];')
    chain = ["start"] + [f"s{i}" for i in range(len(flow.steps))] + ["finish"]
    for k in range(len(chain) - 1):
        taken = k <= w.stop  # start->s0 ... s(stop-1)->s(stop); all of them when complete
        yes = t("fc_edge_yes", lang) if k > 0 else ""
        style = 'color="#1b7f46", fontcolor="#1b7f46", penwidth=2.4' if taken else 'color="#b5b5b5", style=dashed'
        out.append(f'  {chain[k]} -> {chain[k + 1]} [label="{dot_escape(yes)}", weight=10, {style}];')
    if note:
        _, nstate, edge = note
        border = COLOURS[nstate][1]
        out.append(f'  s{w.stop} -> stopnote [label="{dot_escape(edge)}", color="{border}", penwidth=2.2, '
                   f'fontcolor="{border}"];')
    out.append("}")
    return "\n".join(out)


# ---------------------------------------------------------------- self-assessment exports

EXPORT_FIELDS = ("order", "stage", "step", "question", "answer", "actor", "note", "paper_says", "source")


def _same(text: str) -> str:
    return text


def self_rows(flow: Flowchart, state: SelfState, lang: str, cite=_same) -> list[dict]:
    """One row a step; `cite` turns a citation text into the reference shown (references.Catalogue.short)."""
    rows = []
    for i, s in enumerate(flow.steps):
        main = s.cites[0]
        rows.append({"order": s.order, "stage": t(f"fc_stage_{s.stage}", lang), "step": loc(s.short, lang),
                     "question": loc(s.question, lang), "answer": status_label(state.answers[i], lang),
                     "actor": t(f"fc_actor_{state.actors[i]}", lang) if state.actors[i] else "",
                     "note": state.notes[i], "paper_says": main.quote, "source": cite(main.text)})
    return rows


def self_csv(flow: Flowchart, state: SelfState, lang: str, cite=_same) -> bytes:
    """UTF-8 with BOM (Excel opens the Chinese correctly); first the place and the verdict, then one row a step."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([t("fc_csv_flowchart", lang), loc(flow.title, lang)])
    writer.writerow([t("fc_place", lang), state.place])
    writer.writerow([t("fc_verdict", lang), verdict(flow, walk(state.statuses()), lang)])
    writer.writerow([])
    writer.writerow([t(f"fc_col_{k}", lang) for k in EXPORT_FIELDS])
    for row in self_rows(flow, state, lang, cite):
        writer.writerow([_csv_safe(row[k]) for k in EXPORT_FIELDS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _csv_safe(value) -> str:
    """No formula injection when a spreadsheet opens the file (=, +, -, @ at the start of a cell)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def self_html(flow: Flowchart, state: SelfState, lang: str, link: str = "", cite=_same) -> str:
    """A printable one-page summary (A4), every text escaped."""
    e = html.escape
    w = walk(state.statuses())
    rows = self_rows(flow, state, lang, cite)
    need = ""
    if w.kind != "complete":
        step = flow.steps[w.stop]
        who = actor_names(step.actors, lang) or t("fc_actors_generic_short", lang)
        mine = state.actors[w.stop]
        need = (f"<h2>{e(t('fc_needed_title', lang, n=step.order, step=loc(step.short, lang)))}</h2>"
                + "".join(f"<blockquote>{e(c.quote)}<cite>{e(cite(c.text))}</cite></blockquote>" for c in step.cites)
                + f"<p><b>{e(t('fc_who_paper', lang))}</b> {e(who)}"
                + (f"<br><b>{e(t('fc_who_yours', lang))}</b> {e(t('fc_actor_' + mine, lang))}" if mine else "")
                + (f"<br><b>{e(t('fc_col_note', lang))}:</b> {e(state.notes[w.stop])}" if state.notes[w.stop] else "")
                + "</p>")
    cls = {"yes": "y", "no": "n", "unknown": "u", None: "x"}
    body = "".join(
        f"<tr class='{cls.get(a, 'x')}{' stop' if i == w.stop else ''}'><td>{r['order']}</td><td>{e(r['step'])}</td>"
        f"<td>{e(r['answer'])}</td><td>{e(r['actor'])}</td><td>{e(r['note'])}</td>"
        f"<td class='src'>{e(r['source'])}</td></tr>"
        for i, (r, a) in enumerate(zip(rows, state.answers)))
    heads = "".join(f"<th>{e(t('fc_col_' + k, lang))}</th>" for k in ("order", "step", "answer", "actor", "note", "source"))
    place = state.place or t("fc_place_unnamed", lang)
    return f"""<!doctype html>
<html lang="{e(lang)}"><head><meta charset="utf-8"><title>{e(t('fc_html_title', lang, place=place))}</title>
<style>
@page {{ size: A4; margin: 14mm; }}
body {{ font-family: "Noto Sans CJK SC", "Helvetica Neue", Arial, sans-serif; font-size: 9.5pt; color: #1a202c; line-height: 1.3; }}
h1 {{ font-size: 15pt; margin: 0 0 2pt; color: #1b3a5c; }} h2 {{ font-size: 11pt; margin: 8pt 0 3pt; }}
.sub {{ color: #4a5568; margin: 0 0 8pt; }} .verdict {{ border-left: 5px solid #c0392b; padding: 6pt 10pt;
background: #fdf2f0; font-weight: 600; }}
table {{ border-collapse: collapse; width: 100%; margin-top: 6pt; }} th, td {{ border: 1px solid #cbd5e0;
padding: 2pt 4pt; vertical-align: top; text-align: left; }} th {{ background: #edf2f7; }}
tr.y td:nth-child(3) {{ color: #1b7f46; font-weight: 600; }} tr.n td:nth-child(3) {{ color: #c0392b; font-weight: 600; }}
tr.u td:nth-child(3) {{ color: #b7791f; font-weight: 600; }} tr.stop td {{ background: #fff5e6; }}
td.src, cite {{ font-size: 7.5pt; color: #4a5568; }} blockquote {{ margin: 4pt 0; padding: 3pt 8pt;
border-left: 3px solid #a0aec0; font-style: italic; }} cite {{ display: block; font-style: normal; }}
.foot {{ margin-top: 10pt; font-size: 8.5pt; color: #4a5568; }}
</style></head><body>
<h1>{e(t('fc_html_title', lang, place=place))}</h1>
<p class="sub">{e(loc(flow.title, lang))} — {e(t('fc_html_method', lang))}</p>
<p class="verdict">{e(verdict(flow, w, lang))}</p>
{need}
<table><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table>
<p class="foot">{e(loc(flow.figures_note, lang))}{(' ' + e(t('fc_html_link', lang)) + ' ' + e(link)) if link else ''}</p>
</body></html>
"""


def flowchart_source_dir(sources: Path) -> Path:
    return Path(sources) / "flowcharts"
