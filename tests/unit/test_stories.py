"""Presenter stories: the shipped stories validate against the atlas's data, and broken stories
are reported with the file, the step (1-based) and the field."""
from __future__ import annotations

import copy
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from dashboard import stories
from dashboard.stories import StoryError, StoryVocab, load_story, list_stories, validate_story

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "geodata" / "sources"
PAPERS = SOURCES / "papers"
BUILT = ROOT / "geodata" / "layers"  # the committed layers (not ATLAS_LAYERS_DIR's synthetic set)
STORIES = ROOT / "stories"
SHIPPED = ("thirty-years", "zhejiang-clusters")
HAVE_BUILT = (BUILT / "manifest.json").exists() and any(BUILT.glob("*.geojson"))

CATALOGUE_LAYERS = {  # 开发区类型 -> layer id
    "经济技术开发区": "etdz",
    "高新技术产业开发区": "hidz",
    "海关特殊监管区域": "customs_zone",
    "边境/跨境经济合作区": "border_zone",
    "其他类型开发区": "other_zone",
}


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


# ------------------------------------------------------------------ vocabularies

def _common() -> dict:
    return dict(
        sector_keys=frozenset(_csv(SOURCES / "sectors" / "vocabulary.csv")["key"]),
        provinces=frozenset(_csv(PAPERS / "regions.csv")["province_en"]),
        paper_files=frozenset(p.name for p in (PAPERS / "text").glob("*.txt")),
    )


def source_vocab() -> StoryVocab:
    """Known ids computed from the source CSVs: every paper feature, plus one feature per 2018
    catalogue row (``<layer>-<code lower-case>``) unless a paper feature links that code."""
    features = pd.concat([_csv(p) for p in sorted(PAPERS.glob("features_*.csv"))], ignore_index=True)
    linked = set(features["catalogue_code"]) - {""}
    cat = _csv(SOURCES / "catalogue" / "national_devzones_2018.csv")
    cat_ids = {f"{CATALOGUE_LAYERS[t]}-{c.lower()}" for c, t in zip(cat["代码"], cat["开发区类型"]) if c not in linked}
    ind = pd.concat([_csv(p) for p in sorted(PAPERS.glob("indicators_*.csv"))], ignore_index=True)
    ind = ind[ind["value"].str.strip() != ""]
    return StoryVocab(known_ids=frozenset(features["id"]) | frozenset(cat_ids),
                      known_indicators=frozenset(zip(ind["entity_id"], ind["indicator"])), **_common())


def built_vocab() -> StoryVocab:
    from dashboard.data import load_indicators, load_points
    vocab = stories.vocab_from_frames(load_points(BUILT), load_indicators(BUILT))
    return StoryVocab(known_ids=vocab.known_ids, known_indicators=vocab.known_indicators, **_common())


VOCABS = [pytest.param(source_vocab, id="source-csvs"),
          pytest.param(built_vocab, id="built-layers",
                       marks=pytest.mark.skipif(not HAVE_BUILT, reason="geodata/layers not built"))]


@pytest.fixture(scope="module")
def preferred_vocab() -> StoryVocab:
    """The built layers when they exist (what the app shows), else the source CSVs."""
    return built_vocab() if HAVE_BUILT else source_vocab()


# ------------------------------------------------------------------ the shipped stories

@pytest.mark.parametrize("make_vocab", VOCABS)
@pytest.mark.parametrize("sid", SHIPPED)
def test_shipped_story_validates(sid, make_vocab):
    path = STORIES / f"{sid}.yaml"
    story = load_story(path, make_vocab())  # raises StoryError listing every problem
    assert story.id == sid
    assert story.path == f"stories/{sid}.yaml"


def test_story_lengths(preferred_vocab):
    thirty = load_story(STORIES / "thirty-years.yaml", preferred_vocab)
    zhejiang = load_story(STORIES / "zhejiang-clusters.yaml", preferred_vocab)
    assert 8 <= len(thirty.steps) <= 10
    assert 6 <= len(zhejiang.steps) <= 8


def test_thirty_years_charts():
    story = load_story(STORIES / "thirty-years.yaml")
    charts = [s.chart for s in story.steps if s.chart]
    sez = [c for c in charts if c.indicator == "exports"]
    assert sez and sez[0].entities == ("sez-shenzhen", "sez-zhuhai", "sez-shantou", "sez-xiamen", "sez-hainan")
    assert any(s.sources and "Table 1.4" in " ".join(s.sources) for s in story.steps if s.chart in sez)


def test_zhejiang_pinghu_chart_and_sector_step():
    story = load_story(STORIES / "zhejiang-clusters.yaml")
    assert any(s.chart and s.chart.entities == ("zj-pinghu",) and s.chart.indicator == "gross_output"
               for s in story.steps)
    assert any("textiles" in s.map_state().sectors for s in story.steps)


def test_list_stories_lists_the_shipped_ones(preferred_vocab):
    infos = {i.id: i for i in list_stories(STORIES, preferred_vocab)}
    for sid in SHIPPED:
        assert infos[sid].ok, infos[sid].problems
        assert infos[sid].n_steps > 0 and infos[sid].title_en and infos[sid].title_zh


@pytest.mark.skipif(not HAVE_BUILT, reason="geodata/layers not built")
@pytest.mark.parametrize("sid", SHIPPED)
def test_highlights_are_visible_under_the_steps_filters(sid):
    """A step's year/province/sector filters must not hide the features it highlights."""
    from dashboard.data import load_points
    from dashboard.filters import apply_filters
    points = load_points(BUILT)
    for n, step in enumerate(load_story(STORIES / f"{sid}.yaml").steps, start=1):
        shown = set(apply_filters(points, step.map_state())["id"])
        hidden = [h for h in step.highlight if h not in shown]
        assert not hidden, f"{sid}, step {n}: highlighted but filtered out: {hidden}"


@pytest.mark.skipif(not HAVE_BUILT, reason="geodata/layers not built")
@pytest.mark.parametrize("sid", SHIPPED)
def test_map_query_round_trips_through_the_map_url_scheme(sid):
    from dashboard import filters
    from dashboard.data import load_points
    vocab = filters.vocab_from(load_points(BUILT), _csv(PAPERS / "regions.csv"),
                               sorted(_common()["sector_keys"]))
    for step in load_story(STORIES / f"{sid}.yaml").steps:
        state, notices = filters.parse_query(step.map_query(), vocab)
        assert not notices
        assert state == step.map_state()


NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _paper_text(citation: str) -> str:
    return (PAPERS / "text" / citation.split(",")[0].strip()).read_text(encoding="utf-8")


@pytest.mark.parametrize("sid", SHIPPED)
def test_every_figure_in_the_english_text_is_printed_in_a_cited_paper(sid):
    """Facts are sacred: each number of text_en / note_en occurs in one of the step's cited papers
    (notes may also name the 2018 catalogue and the papers' file numbers)."""
    for n, step in enumerate(load_story(STORIES / f"{sid}.yaml").steps, start=1):
        papers = " ".join(_paper_text(c) for c in step.sources)
        plain = papers.replace(",", "")
        for field, allowed in (("text_en", set()), ("note_en", {"2018", "003", "004"})):
            for num in NUMBER_RE.findall(getattr(step, field)):
                num = num.rstrip(",.")
                if num in allowed:
                    continue
                assert num in papers or num.replace(",", "") in plain, \
                    f"{sid}, step {n}, field {field}: {num!r} is not printed in {step.sources}"


def test_no_stray_spaces_in_chinese_text():
    for sid in SHIPPED:
        raw = yaml.safe_load((STORIES / f"{sid}.yaml").read_text(encoding="utf-8"))
        for step in raw["steps"]:
            for key in ("title_zh", "text_zh", "note_zh"):
                assert not stories.ZH_GAP_RE.search(step.get(key, "")), (sid, key, step.get(key))


# ------------------------------------------------------------------ broken stories

TINY = StoryVocab(known_ids=frozenset({"sez-shenzhen", "sez-xiamen", "zj-datang"}),
                  known_indicators=frozenset({("sez-shenzhen", "exports"), ("sez-xiamen", "exports")}),
                  sector_keys=frozenset({"textiles", "apparel"}), provinces=frozenset({"Guangdong", "Zhejiang"}),
                  paper_files=frozenset({"004_e203b0bd6315dda3.txt"}))
SRC = "004_e203b0bd6315dda3.txt, Table 1.4"


def good_story() -> dict:
    step = {"title_en": "Shenzhen", "title_zh": "深圳", "text_en": "Shenzhen became an SEZ in 1980.",
            "text_zh": "深圳于1980年成为经济特区。", "view": {"center": [22.5, 114.1], "zoom": 8},
            "layers": ["sez"], "sources": [SRC]}
    step2 = dict(copy.deepcopy(step), title_en="Exports", title_zh="出口",
                 filters={"province": ["Guangdong"], "year_max": 2008, "sector": ["textiles"]},
                 highlight=["sez-shenzhen"], compare=["sez-shenzhen", "sez-xiamen"],
                 chart={"entities": ["sez-shenzhen", "sez-xiamen"], "indicator": "exports"})
    return {"id": "broken", "title_en": "Test", "title_zh": "测试", "summary_en": "A test story.",
            "summary_zh": "测试用的故事。", "steps": [step, step2]}


def _set(path: str, value):
    def mutate(story):
        *keys, last = path.split(".")
        target = story
        for k in keys:
            target = target[int(k) - 1] if k.isdigit() else target[k]
        target[last] = value
    return mutate


def _del(path: str):
    def mutate(story):
        *keys, last = path.split(".")
        target = story
        for k in keys:
            target = target[int(k) - 1] if k.isdigit() else target[k]
        del target[last]
    return mutate


# (case, mutation, step or None, field, words the message must contain)
BROKEN = [
    ("missing step field", _del("steps.1.text_zh"), 1, "text_zh", "missing"),
    ("missing story field", _del("title_en"), None, "title_en", "missing"),
    ("unknown step field", _set("steps.2.hightlight", ["sez-shenzhen"]), 2, "hightlight", "unknown field"),
    ("layers not a list", _set("steps.2.layers", "sez"), 2, "layers", "expected a non-empty list"),
    ("text not a string", _set("steps.1.text_en", 42), 1, "text_en", "expected non-empty text"),
    ("center not a pair", _set("steps.1.view.center", "Shenzhen"), 1, "view.center", "[lat, lon]"),
    ("center swapped", _set("steps.1.view.center", [114.1, 22.5]), 1, "view.center", "looks like [lon, lat]"),
    ("unknown layer", _set("steps.1.layers", ["sez", "spaceport"]), 1, "layers[2]", "unknown layer id 'spaceport'"),
    ("unknown highlight id", _set("steps.2.highlight", ["sez-atlantis"]), 2, "highlight[1]",
     "unknown feature id 'sez-atlantis'"),
    ("bad zoom word", _set("steps.2.view.zoom", "big"), 2, "view.zoom", "expected an integer 3–12, got 'big'"),
    ("zoom too large", _set("steps.2.view.zoom", 19), 2, "view.zoom", "expected an integer 3–12, got 19"),
    ("zoom not whole", _set("steps.2.view.zoom", 5.5), 2, "view.zoom", "got 5.5"),
    ("empty steps", _set("steps", []), None, "steps", "no steps"),
    ("steps not a list", _set("steps", "one"), None, "steps", "expected a list"),
    ("missing sources", _del("steps.1.sources"), 1, "sources", "missing"),
    ("empty sources", _set("steps.2.sources", []), 2, "sources", "non-empty list"),
    ("source without a section", _set("steps.1.sources", ["004_e203b0bd6315dda3.txt"]), 1, "sources[1]",
     "<paper file>, <table/section>"),
    ("source of an unknown paper", _set("steps.1.sources", ["009_0000000000000000.txt, Table 1"]), 1,
     "sources[1]", "no paper"),
    ("unknown chart indicator", _set("steps.2.chart.indicator", "gdp_of_mars"), 2, "chart.indicator",
     "unknown indicator"),
    ("chart entity without data", _set("steps.2.chart.entities", ["sez-shenzhen", "zj-datang"]), 2,
     "chart.entities[2]", "no 'exports' values"),
    ("compare of one", _set("steps.2.compare", ["sez-shenzhen"]), 2, "compare", "2–4"),
    ("year out of range", _set("steps.2.filters.year_max", 2050), 2, "filters.year_max", "1979–2018"),
    ("unknown sector", _set("steps.2.filters.sector", ["spaceships"]), 2, "filters.sector[1]", "unknown sector"),
    ("unknown province", _set("steps.2.filters.province", "Atlantis"), 2, "filters.province[1]", "unknown province"),
    ("unknown filter", _set("steps.2.filters.colour", "red"), 2, "filters.colour", "unknown filter"),
    ("layers inside filters", _set("steps.2.filters.layers", ["sez"]), 2, "filters.layers", "step-level"),
    ("english text in zh", _set("steps.1.text_zh", "Shenzhen."), 1, "text_zh", "expected Chinese"),
    ("folded chinese", _set("steps.1.text_zh", "深圳于1980年 成为经济特区。"), 1, "text_zh", "one line"),
    ("too many sentences", _set("steps.1.text_en", "One. Two. Three. Four."), 1, "text_en", "4 sentences"),
    ("id not the file name", _set("id", "other"), None, "id", "does not match the file name"),
    ("note in one language", _set("steps.1.note_en", "A caveat."), 1, "note_zh", "both languages"),
]


def _write(tmp_path: Path, data, name: str = "broken.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_good_story_is_good(tmp_path):
    story = load_story(_write(tmp_path, good_story()), TINY)
    assert [s.title_en for s in story.steps] == ["Shenzhen", "Exports"]
    assert story.steps[1].chart == stories.Chart(("sez-shenzhen", "sez-xiamen"), "exports")
    assert story.steps[1].map_query() == {"layers": "sez", "province": "Guangdong", "year_max": "2008",
                                          "sector": "textiles"}
    assert story.steps[0].center == (22.5, 114.1) and story.steps[0].zoom == 8


@pytest.mark.parametrize("case, mutate, step, field, words", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_story_names_file_step_and_field(tmp_path, case, mutate, step, field, words):
    data = good_story()
    mutate(data)
    path = _write(tmp_path, data)
    with pytest.raises(StoryError) as err:
        load_story(path, TINY)
    where = f"{stories.display_path(path)}, " + (f"step {step}, " if step else "") + f"field {field}: "
    hits = [p for p in err.value.problems if p.startswith(where)]
    assert hits, f"no problem starting {where!r} in {err.value.problems}"
    assert any(words in p for p in hits), f"{words!r} not in {hits}"
    assert str(err.value) == "\n".join(err.value.problems)


def test_problem_wording_matches_the_documented_example():
    data = good_story()
    data["steps"].append(copy.deepcopy(data["steps"][0]))
    data["steps"][2]["view"]["zoom"] = "big"
    problems = validate_story(data, "stories/x.yaml", TINY.known_ids, TINY.known_indicators, TINY.sector_keys)
    assert "stories/x.yaml, field id: 'broken' does not match the file name ('x'); name the file broken.yaml" \
        in problems
    assert "stories/x.yaml, step 3, field view.zoom: expected an integer 3–12, got 'big'" in problems


def test_several_problems_are_all_reported():
    data = good_story()
    del data["steps"][0]["sources"]
    data["steps"][1]["view"]["zoom"] = 0
    problems = validate_story(data, "stories/broken.yaml", TINY.known_ids, TINY.known_indicators, TINY.sector_keys)
    assert any(p.startswith("stories/broken.yaml, step 1, field sources:") for p in problems)
    assert any(p.startswith("stories/broken.yaml, step 2, field view.zoom:") for p in problems)


def test_validation_without_vocabularies_checks_structure_only():
    data = good_story()
    data["steps"][1]["highlight"] = ["anything-goes"]
    assert validate_story(data, "stories/broken.yaml", None, None, None) == []


@pytest.mark.parametrize("text, line", [
    ("id: broken\ntitle_en: Test\nsteps:\n  - title_en: [unclosed\n    text_en: x\n", 5),
    ("id: broken\ntitle_en: Test\n  summary_en: misplaced\n", 3),
    ("id: broken\nsteps:\n\t- tab\n", 3),
])
def test_yaml_syntax_error_names_file_and_line(tmp_path, text, line):
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StoryError) as err:
        load_story(path)
    (problem,) = err.value.problems
    assert problem.startswith(f"{stories.display_path(path)}, line {line}, column ")
    assert "YAML syntax error" in problem


def test_duplicate_keys_are_an_error_with_a_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: broken\ntitle_en: A\ntitle_en: B\n", encoding="utf-8")
    with pytest.raises(StoryError) as err:
        load_story(path)
    assert err.value.problems[0].startswith(f"{stories.display_path(path)}, line 3, column 1: ")
    assert "duplicate key 'title_en'" in err.value.problems[0]


@pytest.mark.parametrize("text, words", [("", "empty"), ("- just\n- a list\n", "expected a mapping")])
def test_not_a_story(tmp_path, text, words):
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StoryError) as err:
        load_story(path)
    assert err.value.problems[0].startswith(stories.display_path(path)) and words in err.value.problems[0]


def test_missing_file_is_a_story_error(tmp_path):
    with pytest.raises(StoryError) as err:
        load_story(tmp_path / "nope.yaml")
    assert "cannot read" in err.value.problems[0]


def test_list_stories_reports_broken_files_without_raising(tmp_path):
    _write(tmp_path, good_story(), "broken.yaml")
    bad = good_story()
    bad["id"] = "another"
    bad["steps"][0]["view"]["zoom"] = "big"
    _write(tmp_path, bad, "another.yaml")
    (tmp_path / "syntax.yaml").write_text("id: [\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# not a story\n", encoding="utf-8")
    infos = list_stories(tmp_path, TINY)
    assert [i.id for i in infos] == ["another", "broken", "syntax"]
    by_id = {i.id: i for i in infos}
    assert by_id["broken"].ok and by_id["broken"].n_steps == 2 and by_id["broken"].title("zh") == "测试"
    assert not by_id["another"].ok and "step 1, field view.zoom" in by_id["another"].problems[0]
    assert not by_id["syntax"].ok and "YAML syntax error" in by_id["syntax"].problems[0]
    assert list_stories(tmp_path / "missing") == []


@pytest.mark.parametrize("text, n", [
    ("One sentence", 1), ("One. Two.", 2), ("Exports rose to US$8.152 billion in 1990. Then more.", 2),
    ("一句。两句。三句。", 3), ("一句。两句", 2),
])
def test_count_sentences(text, n):
    assert stories.count_sentences(text) == n
