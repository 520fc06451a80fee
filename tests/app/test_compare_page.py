"""The Compare page for an audience: facts in a wrapping table (st.table), names as headers, differing rows
highlighted, provenance behind an expander, the latest shared values among the facts."""
from dashboard.compare import HIGHLIGHT

from tests.app.test_pages import assert_clean, run


def test_features_facts_table_wraps_and_keeps_provenance_in_an_expander():
    at = run("compare", compare="sez-shenzhen,sez-zhuhai,hidz-nanjing")
    assert_clean(at)
    facts = at.table[0].value
    rows = [str(i).replace("\\", "") for i in facts.index]
    assert rows[:2] == ["Type", "Level"]
    assert any(r.startswith("Exports (USD billion)") for r in rows)  # the latest shared value is a fact
    assert "English name" not in rows
    assert any("Shenzhen" in str(c) for c in facts.columns)
    [prov] = [e for e in at.expander if e.label.startswith("Where each fact comes from")]
    assert prov.table and "Source" in [str(i) for i in prov.table[0].value.index]
    # the styled table marks exactly the rows that differ: Type differs, Province (both Guangdong + Jiangsu) too
    html = at.table[0].proto.arrow_data.styler.styles
    assert "#fff3cd" in HIGHLIGHT and "fff3cd" in html


def test_regions_compare_on_the_same_kind_of_facts_in_chinese():
    at = run("compare", compare="region-yrd,prov-44", lang="zh")
    assert_clean(at)
    rows = [str(i) for i in at.table[0].value.index]
    assert rows[:3] == ["类型", "区域", "首个开发区设立年份"]
