"""The references table and the readable citations: parsing, both languages, every source of the built data
resolves to a reference (never a raw file name), every reference is used."""
import re

import pandas as pd
import pytest

from dashboard import data
from dashboard.paths import LAYERS_DIR, SOURCES
from dashboard.pipeline import validate
from dashboard.references import RAW_FILE_NAME, Catalogue, validate_table

TABLE = pd.read_csv(SOURCES / "references.csv", keep_default_na=False, dtype=str)
REFS = Catalogue(TABLE)
ZENG = "004_e203b0bd6315dda3.txt"
CATALOGUE = "2018 catalogue (中国开发区审核公告目录 2018年版, NDRC et al. announcement No. 4), code G440301"
# land measurements as the catalogue helper cites them (issue 14)
LAND = ("GHS-BUILT-S R2023A; compiled in kaiwulaw/china-industrial-zones-atlas data/enriched.csv @358d79b, "
        "column built_2020_buffer_sum")


@pytest.mark.parametrize("text, en, zh", [
    (f"{ZENG}, Table 1.4", "Zeng 2011, World Bank PRWP, Table 1.4", "Zeng 2011，世界银行政策研究工作论文，表1.4"),
    (f"{ZENG}, section 'Terms and Definitions'", "Zeng 2011, World Bank PRWP, section 'Terms and Definitions'",
     "Zeng 2011，世界银行政策研究工作论文，“Terms and Definitions”一节"),
    (f"{ZENG}, section 'Contributions of SEZs to China's Development', para 2",  # an apostrophe inside the title
     "Zeng 2011, World Bank PRWP, section 'Contributions of SEZs to China's Development', para 2",
     "Zeng 2011，世界银行政策研究工作论文，“Contributions of SEZs to China's Development”一节，第2段"),
    (CATALOGUE, "2018 Development Zone Catalogue, code G440301", "《中国开发区审核公告目录（2018年版）》，代码 G440301"),
    (f"{ZENG}, Annex A; {ZENG}, footnote 4; {CATALOGUE}",
     "Zeng 2011, World Bank PRWP, Annex A · footnote 4; 2018 Development Zone Catalogue, code G440301",
     "Zeng 2011，世界银行政策研究工作论文，附录A · 脚注 4；《中国开发区审核公告目录（2018年版）》，代码 G440301"),
    (f"{ZENG}, Table 1.3; footnote 11", "Zeng 2011, World Bank PRWP, Table 1.3 · footnote 11",
     "Zeng 2011，世界银行政策研究工作论文，表1.3 · 脚注 11"),
    ("002_f9634779f90968d3.txt, Table 1; 002_f9634779f90968d3.txt, Table 2",
     "Kuchiki 2007, IDE Discussion Paper 89, Table 1 · Table 2", "Kuchiki 2007，IDE 讨论文件第89号，表1 · 表2"),
    (LAND, "GHS-BUILT-S R2023A via china-industrial-zones-atlas (kaiwulaw), column built_2020_buffer_sum",
     "GHS-BUILT-S R2023A（建成区面积），经 china-industrial-zones-atlas（kaiwulaw）汇编，列 built_2020_buffer_sum"),
    ("2018 catalogue geocode (AMap, converted to WGS-84 by upstream)",
     "china-industrial-zones-atlas (kaiwulaw), AMap geocode, converted to WGS-84",
     "china-industrial-zones-atlas（kaiwulaw），高德地理编码，已转换为 WGS-84"),
    ("cpca 0.5.5 resources/adcodes.csv (AMap centre 330523 安吉县), GCJ-02 converted to WGS-84",
     "cpca 0.5.5 (AMap district centres), centre of 330523 安吉县",
     "cpca 0.5.5（高德区县中心点），330523 安吉县 中心点"),
    ("004 Annex A", "Zeng 2011, World Bank PRWP, Annex A", "Zeng 2011，世界银行政策研究工作论文，附录A"),  # paper lists
    ("003 Zhejiang table", "Shi & Ganne 2009, Asian Industrial Clusters, Zhejiang table",
     "Shi & Ganne 2009，《Asian Industrial Clusters》，浙江产业集群表"),
])
def test_short_reference_in_both_languages(text, en, zh):
    assert REFS.short(text, "en") == en
    assert REFS.short(text, "zh") == zh


def test_text_of_no_reference_is_kept_as_written_and_reported():
    assert REFS.short("uploaded: my table.xlsx") == "uploaded: my table.xlsx"
    assert REFS.unresolved(f"{ZENG}, Table 1.4; my own notes") == ["my own notes"]
    assert REFS.unresolved("footnote 3") == ["footnote 3"]  # a locator with no reference before it
    assert REFS.short("") == "" and REFS.short(None) == ""


def test_full_entry_has_authors_year_title_and_the_copy_only_when_asked():
    entry = REFS.full("zeng2011")
    for part in ("Douglas Zhihua Zeng", "2011", "How Do Special Economic Zones and Industrial Clusters Drive "
                 "China's Rapid Development?", "Policy Research Working Paper", "The World Bank", ZENG):
        assert part in entry
    assert ZENG not in REFS.full("zeng2011", with_copy=False)
    assert "存档副本" in REFS.full("kuchiki2007", "zh") and "Akifumi Kuchiki" in REFS.full("kuchiki2007", "zh")


def test_table_is_valid_and_short_forms_name_no_file():
    assert validate_table(TABLE) == []
    for key, ref in REFS.refs.items():
        assert not RAW_FILE_NAME.search(ref.short("en") + ref.short("zh")), key


@pytest.mark.parametrize("change, problem", [
    (lambda f: f.assign(key=["zeng2011"] * len(f)), "appears more than once"),
    (lambda f: f.assign(title=[""] * len(f)), "empty title"),
    (lambda f: f.assign(kind=["book"] * len(f)), "is not one of"),
    (lambda f: f.assign(match=["(unclosed"] * len(f)), "not a regular expression"),
    (lambda f: f.drop(columns=["licence"]), "missing column"),
])
def test_bad_table_is_reported(change, problem):
    problems = validate_table(change(TABLE.copy()))
    assert any(problem in p for p in problems), problems
    with pytest.raises(ValueError, match="references table"):
        Catalogue(change(TABLE.copy()))


def built_citations() -> list[tuple[str, str]]:
    layers = {lid: data.load_layer(lid, LAYERS_DIR) for lid in data.layer_ids()}
    tables = {name: data.load_table(name, LAYERS_DIR) for name in ("milestones", "cluster_types")}
    tables["indicators"] = data.load_indicators(LAYERS_DIR)
    return validate.citation_texts(layers, tables)


def test_every_source_of_the_built_data_resolves_to_a_reference():
    texts = built_citations()
    assert len(texts) > 1500
    unresolved = {part for _, text in texts for part in REFS.unresolved(text)}
    assert not unresolved, sorted(unresolved)[:20]
    for _, text in texts:
        for lang in ("en", "zh"):
            assert not RAW_FILE_NAME.search(REFS.short(text, lang)), text


def test_every_reference_is_used_by_the_data_or_the_manifest():
    used = {key for _, text in built_citations() for key in REFS.used_keys(text)}
    manifest = data.load_manifest(LAYERS_DIR)
    used |= {k for kind in ("layers", "tables") for meta in manifest[kind].values() for k in meta.get("references", [])}
    assert set(REFS.refs) - used == set()
    # the land measurements cite their dataset and the compilation that carries it
    assert {"ghsl_built", "worldpop2020", "hansen_gfc", "natural_earth_coast", "zones_atlas"} <= used


def test_every_story_step_cites_known_references():
    from dashboard import stories
    from dashboard.paths import STORIES_DIR
    steps = [step for path in sorted(STORIES_DIR.glob("*.yaml")) for step in stories.load_story(path).steps]
    assert steps
    for step in steps:
        text = "; ".join(step.sources)
        assert REFS.unresolved(text) == [], text
        assert not RAW_FILE_NAME.search(REFS.short(text, "zh"))
