"""Kuchiki's flowcharts: the source files' schema and citations, the walk (where the flow stops), the
self-assessment's URL state, the drawing and the exports (escaping)."""
from __future__ import annotations

import copy
import csv
import io
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as hs

from dashboard import data, flowcharts as fc, paper_text
from dashboard.i18n import STRINGS
from tests.hostile_data import FORMULA, IFRAME, IMG, MD_LINK, SCRIPT, SVG

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "geodata" / "sources" / "flowcharts"
PAPERS = ROOT / "geodata" / "sources" / "papers" / "text"
FLOW_DOC = yaml.safe_load((SRC / fc.FLOW_FILE).read_text(encoding="utf-8"))
ASSESS_DOC = yaml.safe_load((SRC / fc.ASSESS_FILE).read_text(encoding="utf-8"))
FLOW_STEPS = {f["id"]: [s["id"] for s in f["steps"]] for f in FLOW_DOC["flowcharts"]}


@pytest.fixture(scope="module")
def loaded():
    ids = set(data.load_points().index)
    return fc.load_sources(SRC, PAPERS, ids)


def all_cites():
    for flow in FLOW_DOC["flowcharts"]:
        for step in flow["steps"]:
            for n, cite in enumerate(step["cites"], 1):
                yield f"{flow['id']}/{step['id']}/cite{n}", cite
    for item in ASSESS_DOC["assessments"]:
        for sid, ans in item["answers"].items():
            if ans.get("quote"):
                yield f"{item['id']}/{sid}", ans
        if item.get("outcome"):
            yield f"{item['id']}/outcome", item["outcome"]


CITES = list(all_cites())


# ---------------------------------------------------------------- the source files

def test_the_source_files_validate(loaded):
    flows, assessments = loaded
    assert [f.id for f in flows] == ["hitech-university", "anchor-firm"]
    assert {a.id for a in assessments} >= {"zhongguancun", "guangzhou-auto", "pinghu", "xiqiao"}
    assert len(CITES) > 40


@pytest.mark.parametrize("where, cite", CITES, ids=[w for w, _ in CITES])
def test_every_quote_is_in_its_paper_paragraph(where, cite):
    assert paper_text.quote_problems(PAPERS, cite["file"], cite["heading"], cite["para"], cite["quote"]) == []
    assert cite["section"] and cite["file"] in cite.get("file", "")


def test_every_yes_and_no_carries_a_quote(loaded):
    _, assessments = loaded
    for a in assessments:
        for sid, ans in a.answers.items():
            if ans.status in ("yes", "no"):
                assert ans.cite is not None and ans.cite.quote, (a.id, sid)


def test_the_figures_are_said_to_be_missing(loaded):
    flows, _ = loaded
    for flow in flows:
        assert "missing" in flow.figures_note["en"] and "缺少" in flow.figures_note["zh"]


def test_a_quote_that_is_not_in_the_paper_or_not_in_that_paragraph_is_reported():
    assert "quote not found" in paper_text.quote_problems(PAPERS, "002_f9634779f90968d3.txt", "5. Stage of innovation",
                                                          2, "The ZSP has reached Step II.")[0]
    problem = paper_text.quote_problems(PAPERS, "002_f9634779f90968d3.txt", "5. Stage of innovation", 3,
                                        "There is no joint action for firms in the ZSP to cooperate on innovation.")
    assert problem and "(it is in para 2)" in problem[0]
    assert "not found in" in paper_text.quote_problems(PAPERS, "999_missing.txt", "x", 1, "y")[0]


# ---------------------------------------------------------------- the paragraph rule

TEXT = """## **1. Intro**

First paragraph, broken across a page
and still the first.

second half of the first paragraph after a page break.

Second paragraph.

# of employees\t1998\t2003

Third paragraph (a table row above is not a heading).

## **2. Next**

Next section.
"""


def test_paragraphs_join_page_break_fragments_and_end_at_the_next_heading():
    paras = paper_text.section_paragraphs(TEXT, "1. Intro")
    assert len(paras) == 4
    assert paras[0].endswith("after a page break.")
    assert paras[1] == "Second paragraph."
    assert paras[3].startswith("Third paragraph")
    assert paper_text.paragraph(TEXT, "x.txt", "2. Next", 1) == "Next section."
    assert paper_text.paragraph(TEXT, "x.txt", "2. Next", 2) is None
    assert paper_text.locate(TEXT, "x.txt", "1. Intro", "Second   paragraph.") == 2


def test_printed_paragraph_numbers_are_used_where_the_paper_has_them():
    text = "# 4. Section\n\n17First one.\n\n18Second one, cited as para 18.\n"
    file = next(iter(paper_text.PRINTED_NUMBERS))
    assert paper_text.paragraph(text, file, "ignored", 18) == "18Second one, cited as para 18."
    assert paper_text.paragraph(text, file, "ignored", 1) is None


def test_normalise_straightens_quotes_dashes_and_line_end_hyphens():
    assert paper_text.normalise("“Pinghu’s   value-\n added”  —  x") == '"Pinghu\'s value-added" - x'


# ---------------------------------------------------------------- schema errors name file, step and field

def broken_flow(path: list, value):
    doc = copy.deepcopy(FLOW_DOC)
    target = doc
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


@pytest.mark.parametrize("path, value, expected", [
    (["flowcharts", 0, "steps", 1, "question"], {"en": "Leader?"},
     "flowcharts.yaml: flowchart hitech-university: step leader: field question.zh"),
    (["flowcharts", 0, "steps", 2, "stage"], "III",
     "flowcharts.yaml: flowchart hitech-university: step science_park: field 'stage'"),
    (["flowcharts", 1, "steps", 0, "actors"], ["the mayor"],
     "flowcharts.yaml: flowchart anchor-firm: step coordinator: field 'actors'"),
    (["flowcharts", 1, "steps", 3, "cites", 0, "para"], "two",
     "flowcharts.yaml: flowchart anchor-firm: step institutions: cites[1]: field 'para'"),
    (["flowcharts", 1, "steps", 3, "cites", 0, "quote"], "institution building is done by the mayor.",
     "flowcharts.yaml: flowchart anchor-firm: step institutions: cites[1]: field 'quote': quote not found"),
    (["flowcharts", 0, "steps", 4, "order"], 9,
     "flowcharts.yaml: flowchart hitech-university: field 'order'"),
    (["flowcharts", 0, "steps", 0, "colour"], "red",
     "flowcharts.yaml: flowchart hitech-university: step universities: unknown field 'colour'"),
    (["flowcharts", 0, "steps", 0, "actors_note"], KeyError,
     "flowcharts.yaml: flowchart hitech-university: step universities: field 'actors_note'"),
    (["flowcharts", 0, "title"], KeyError, "flowcharts.yaml: flowchart hitech-university: field 'title'"),
])
def test_a_broken_flowchart_file_names_file_step_and_field(path, value, expected):
    problems = fc.validate_flowcharts(broken_flow(path, value), "flowcharts.yaml", PAPERS)
    assert any(p.startswith(expected) for p in problems), problems


def broken_assessment(aid: str, step: str | None, field: str, value):
    doc = copy.deepcopy(ASSESS_DOC)
    item = next(a for a in doc["assessments"] if a["id"] == aid)
    target = item["answers"][step] if step else item
    if value is KeyError:
        del target[field]
    else:
        target[field] = value
    return doc


@pytest.mark.parametrize("aid, step, field, value, expected", [
    ("zhongguancun", "ipr", "status", "maybe", "assessments.yaml: assessment zhongguancun: step ipr: field 'status'"),
    ("pinghu", "coordinator", "quote", KeyError, "assessments.yaml: assessment pinghu: step coordinator: field 'quote'"),
    ("xiqiao", "tech_platform", "para", 1,
     "assessments.yaml: assessment xiqiao: step tech_platform: field 'quote': 004_e203b0bd6315dda3.txt: quote not in"),
    ("guangzhou-auto", "anchor_firm", "quote", "Honda builds every road in Guangzhou.",
     "assessments.yaml: assessment guangzhou-auto: step anchor_firm: field 'quote': quote not found"),
    ("zhongguancun", None, "flowchart", "nope", "assessments.yaml: assessment zhongguancun: field 'flowchart'"),
    ("pinghu", None, "features", ["zj-atlantis"], "assessments.yaml: assessment pinghu: field 'features'"),
])
def test_a_broken_assessment_names_file_step_and_field(aid, step, field, value, expected):
    ids = set(data.load_points().index)
    problems = fc.validate_assessments(broken_assessment(aid, step, field, value), FLOW_STEPS, "assessments.yaml",
                                       PAPERS, ids)
    assert any(p.startswith(expected) for p in problems), problems


def test_a_step_left_unanswered_is_named():
    doc = copy.deepcopy(ASSESS_DOC)
    del doc["assessments"][0]["answers"]["barriers"]
    problems = fc.validate_assessments(doc, FLOW_STEPS)
    assert problems == ["assessments.yaml: assessment zhongguancun: step barriers: field 'status': missing "
                        "(answer every step: yes, no or not_stated)"]


def test_invalid_yaml_names_file_and_line(tmp_path):
    (tmp_path / fc.FLOW_FILE).write_text("flowcharts:\n  - id: x\n    title: [unclosed\n", encoding="utf-8")
    with pytest.raises(fc.FlowchartError) as err:
        fc.load_sources(tmp_path)
    assert err.value.problems[0].startswith("flowcharts.yaml: line ")


def test_the_build_reports_a_broken_file(tmp_path):
    from dashboard.pipeline.build import Report, flowchart_tables
    src = tmp_path / "sources"
    (src / "flowcharts").mkdir(parents=True)
    (src / "papers").mkdir()
    (src / "papers" / "text").symlink_to(PAPERS)
    (src / "flowcharts" / fc.FLOW_FILE).write_text(yaml.safe_dump(broken_flow(
        ["flowcharts", 0, "steps", 1, "stage"], "Z"), allow_unicode=True), encoding="utf-8")
    (src / "flowcharts" / fc.ASSESS_FILE).write_text(yaml.safe_dump(ASSESS_DOC, allow_unicode=True), encoding="utf-8")
    report = Report()
    assert flowchart_tables(src, set(data.load_points().index), report) == {}
    assert report.problems == ["flowcharts: flowcharts.yaml: flowchart hitech-university: step leader: "
                               "field 'stage': one of ['I', 'II'] required (got 'Z')"]


# ---------------------------------------------------------------- the walk: where the flow stops

@pytest.mark.parametrize("statuses, stop, kind, first_no", [
    (["yes", "yes", "yes"], 3, "complete", None),
    (["yes", "no", "yes"], 1, "no", 1),
    (["no", "no"], 0, "no", 0),
    (["yes", "not_stated", "no"], 1, "not_stated", 2),   # an unstated step is never read as yes
    (["not_stated", "yes", "yes"], 0, "not_stated", None),
    (["yes", "unknown", "yes", "no"], 1, "unknown", 3),
    (["yes", None, "no"], 1, "unanswered", 2),
    ([None, None], 0, "unanswered", None),
    ([], 0, "complete", None),
])
def test_the_walk_stops_at_the_first_step_that_is_not_yes(statuses, stop, kind, first_no):
    w = fc.walk(statuses)
    assert (w.stop, w.kind, w.first_no) == (stop, kind, first_no)
    assert w.bottleneck == (stop if kind == "no" else None)


def test_the_walk_refuses_an_unknown_answer():
    with pytest.raises(ValueError):
        fc.walk(["yes", "probably"])


def test_the_papers_assessments_stop_where_the_papers_say(loaded):
    flows, assessments = loaded
    flows = {f.id: f for f in flows}
    got = {}
    for a in assessments:
        flow = flows[a.flowchart]
        w = fc.walk(a.statuses(flow))
        got[a.id] = (flow.steps[w.stop].id, w.kind, flow.steps[w.first_no].id if w.first_no is not None else None)
    assert got["zhongguancun"] == ("ipr", "not_stated", "joint_action")  # "no joint action" (002 Section 5)
    assert got["guangzhou-auto"] == ("industrial_zones", "not_stated", None)
    assert got["pinghu"] == ("belt_highway", "not_stated", None)
    assert got["xiqiao"] == ("industrial_zones", "not_stated", None)
    assert got["wenzhou-footwear"] == ("living", "not_stated", None)


def test_the_verdict_names_the_stop_and_the_first_no(loaded):
    flows, assessments = loaded
    flow = flows[0]
    zgc = next(a for a in assessments if a.id == "zhongguancun")
    text = fc.verdict(flow, fc.walk(zgc.statuses(flow)), "en")
    assert "step 7" in text and "do not say" in text and "step 9, Joint action by firms" in text
    assert "第7步" in fc.verdict(flow, fc.walk(zgc.statuses(flow)), "zh")


# ---------------------------------------------------------------- the self-assessment's URL state

@pytest.fixture(scope="module")
def flow(loaded):
    return loaded[0][1]  # anchor-firm, 11 steps


def test_the_url_state_round_trips(flow):
    n = len(flow.steps)
    state = fc.SelfState(["yes", "no", None, "unknown"] + [None] * (n - 4),
                         [None, "local_government", "private_sector"] + [None] * (n - 3),
                         ["", "roads: 2 of 5 built, see plan §3 & annex", "", "日本街？"] + [""] * (n - 4),
                         "Pinghu, Zhejiang (平湖)")
    params = fc.encode_self(state)
    assert params["answers"] == "y,n,,u"
    assert params["actors"] == ",l,p"
    back, notices = fc.parse_self(params, flow)
    assert back == state and notices == []


@settings(max_examples=30, deadline=None)
@given(hs.data())
def test_any_state_round_trips(flow, data_):
    n = len(flow.steps)
    note = hs.text(hs.characters(whitelist_categories=("L", "M", "N", "P", "S"), whitelist_characters=" "),
                   max_size=40).map(str.strip)
    state = fc.SelfState(data_.draw(hs.lists(hs.sampled_from(["yes", "no", "unknown", None]), min_size=n, max_size=n)),
                         data_.draw(hs.lists(hs.sampled_from([None, *fc.ACTORS]), min_size=n, max_size=n)),
                         data_.draw(hs.lists(note, min_size=n, max_size=n)), data_.draw(note))
    back, notices = fc.parse_self(fc.encode_self(state), flow)
    assert back == state and notices == []


@pytest.mark.parametrize("params, notice", [
    ({"answers": "y,maybe,<script>"}, "answers other than y, n, u ignored"),
    ({"answers": ",".join("y" * 30)}, "had 30 values for 11 steps"),
    ({"actors": "l,mayor"}, "actors other than c, l, q, p ignored"),
    ({"n2": "x" * 1000}, "'n2' was cut to 300 characters"),
    ({"place": "p" * 500}, "'place' was cut to 120 characters"),
])
def test_garbage_in_the_url_falls_back_with_a_notice(flow, params, notice):
    state, notices = fc.parse_self(params, flow)
    assert any(notice in n for n in notices), notices
    assert all(a in (None, "yes", "no", "unknown") for a in state.answers)
    assert len(state.answers) == len(flow.steps) and all(len(n) <= fc.NOTE_MAX for n in state.notes)


def test_garbage_answers_keep_the_good_ones(flow):
    state, _ = fc.parse_self({"answers": "y,maybe,n", "actors": "l,zz,c"}, flow)
    assert state.answers[:3] == ["yes", None, "no"]
    assert state.actors[:3] == ["local_government", None, "central_government"]


def test_cluster_ids_resolve_features_and_assessments(loaded):
    _, assessments = loaded
    known = {a.id: a.id for a in assessments} | {f: a.id for a in assessments for f in a.features}
    ids, notices = fc.parse_ids("cl-gz-auto-huadu,zj-pinghu,cl-gz-auto-nansha,atlantis", known, 2)
    assert ids == ["guangzhou-auto", "pinghu"] and "'atlantis'" in notices[0]
    ids, notices = fc.parse_ids("xiqiao,zhongguancun,pinghu", known, 2)
    assert ids == ["xiqiao", "zhongguancun"] and "only the first 2" in notices[0]


# ---------------------------------------------------------------- drawing and exports: escaping

def hostile_flow(flow: fc.Flowchart) -> fc.Flowchart:
    steps = list(flow.steps)
    steps[0] = fc.Step(steps[0].id, 1, "I", {"en": 'x" ] ; evil [shape=box', "zh": "x\\\"\n]"},
                       {"en": SCRIPT, "zh": IMG}, None, (), {"en": SVG, "zh": SVG}, steps[0].cites)
    return fc.Flowchart(flow.id, {"en": SCRIPT, "zh": SCRIPT}, flow.summary, flow.order_note, flow.figures_note,
                        {"en": '"; evil2 [label="', "zh": "x"}, tuple(steps))


def dot_strings_are_closed(dot: str) -> bool:
    """Every double-quoted DOT string is properly closed: no quote escapes into the statement level."""
    body = re.sub(r'"(?:[^"\\]|\\.)*"', "STRING", dot)
    return '"' not in body and "evil" not in body


def test_dot_labels_are_escaped(flow):
    bad = hostile_flow(flow)
    for lang in ("en", "zh"):
        dot = fc.to_dot(bad, ["no"] + [None] * (len(bad.steps) - 1), lang)
        assert dot_strings_are_closed(dot)
    assert fc.dot_escape('a"b\\c\nd') == 'a\\"b\\\\c d'


def test_the_drawing_marks_the_path_and_the_stop(loaded):
    flows, assessments = loaded
    flow = flows[0]
    zgc = next(a for a in assessments if a.id == "zhongguancun")
    dot = fc.to_dot(flow, zgc.statuses(flow), "en")
    assert dot.count('color="#1b7f46", fontcolor="#1b7f46", penwidth=2.4') == 7  # start -> 1 ... 6 -> 7
    assert re.search(r's6 \[label="7\. Intellectual property.*penwidth=3\.2', dot)
    assert "stopnote" in dot and "The papers do not say" in dot
    assert re.search(r's8 \[label="9\. Joint action by firms\\n\[no\]".*#c0392b.*dashed', dot)  # the first "no"
    dot = fc.to_dot(flow, ["yes", "no"] + [None] * 9, "zh")
    assert "瓶颈" in dot and "地方政府" in dot  # the leader step's actor


HOSTILE_NOTES = [SCRIPT, IMG, SVG, IFRAME, MD_LINK, "</td></tr></table><h1>x</h1>", FORMULA]


def test_the_printable_summary_escapes_hostile_notes(flow):
    n = len(flow.steps)
    state = fc.SelfState(["yes", "no"] + [None] * (n - 2), [None, "local_government"] + [None] * (n - 2),
                         (HOSTILE_NOTES + [""] * n)[:n], '<script>alert("place")</script>')
    page = fc.self_html(flow, state, "en", link='https://x/?a="><script>alert(1)</script>')
    for payload in [SCRIPT, IMG, SVG, IFRAME, "</td></tr></table><h1>", '<script>alert("place")', '"><script>']:
        assert payload not in page
    assert "&lt;script&gt;alert(&quot;place&quot;)&lt;/script&gt;" in page
    assert page.count("<script") == 0 and page.count("<table>") == 1
    assert "Physical infrastructure" in page or "2. " in page


def test_the_csv_has_every_step_and_no_formula(flow):
    n = len(flow.steps)
    state = fc.SelfState(["yes", "no"] + [None] * (n - 2), [None] * n, [FORMULA, "+1", "@x"] + [""] * (n - 3), "Zone")
    raw = fc.self_csv(flow, state, "zh")
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header = rows.index([STRINGS[f"fc_col_{k}"]["zh"] for k in fc.EXPORT_FIELDS])
    body = rows[header + 1:]
    assert len(body) == n
    assert [r[6] for r in body[:3]] == ["'" + FORMULA, "'+1", "'@x"]
    assert body[1][4] == "否" and "第2步" in rows[2][1]


# ---------------------------------------------------------------- built tables and strings

def test_the_built_tables_give_back_the_sources(loaded):
    flows, assessments = loaded
    tables = fc.to_tables(flows, assessments)
    back_flows, back_assessments = fc.from_tables(tables["flowcharts"], tables["flowchart_steps"],
                                                  tables["flowchart_assessments"])
    assert back_flows == {f.id: f for f in flows}
    assert back_assessments == {a.id: a for a in assessments}
    built = {name: data.load_table(name) for name in tables}
    for name, frame in tables.items():
        assert len(built[name]) == len(frame), f"{name}: rebuild the layers"


@pytest.mark.parametrize("key", [*(f"fc_actor_{a}" for a in fc.ACTORS), "fc_actor_none",
                                 *(f"fc_status_{s}" for s in [*fc.STATUSES, "unknown", "unanswered"]),
                                 *(f"fc_stage_{s}" for s in fc.STAGES),
                                 *(f"fc_verdict_{k}" for k in ["no", "not_stated", "unknown", "unanswered", "complete"]),
                                 *(f"fc_box_{k}" for k in ["not_stated", "unknown", "unanswered"]),
                                 *(f"fc_view_{v}" for v in ["cluster", "compare", "self"])])
def test_keys_built_at_run_time_exist(key):
    assert key in STRINGS
