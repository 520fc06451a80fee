"""No page shows a raw source file name in its main text (issue 18): citations are short references.

Every page, both languages, at its default view and at views with citations (profiles, comparisons, story
steps). The text checked is everything the page sends for its main area — Markdown, tables, chart specs
with their tooltips' data — except the Data page's bibliography, the one place that keeps the archived
copies' file names."""
import re

import pytest

from dashboard.i18n import t

from tests.app.test_pages import assert_clean, run

RAW_FILE_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt|\.csv\b|\.geojson\b")

VIEWS = [
    ("map", {}),
    ("map", {"zone": "hidz-g132056"}),  # note on a replaced coordinate; coordinate from cpca
    ("profile", {}),
    ("profile", {"zone": "sez-hainan"}),
    ("profile", {"zone": "hidz-yangling"}),
    ("profile", {"zone": "zj-chengau"}),
    ("profile", {"zone": "cl-zgc-haidian"}),  # Kuchiki's tables: indicator charts with sources in tooltips
    ("profile", {"zone": "sez-shenzhen"}),
    ("compare", {"compare": "sez-shenzhen,sez-zhuhai,sez-shantou,sez-xiamen"}),
    ("compare", {"compare": "region-yrd,region-prd,prov-33"}),
    ("compare", {"compare": "hidz-g132056,zj-datang,cl-xiqiao"}),
    ("clusters", {}),
    ("regions", {}),
    ("timeline", {}),
    ("story", {}),
    ("story", {"story": "thirty-years", "step": "2"}),
    ("story", {"story": "zhejiang-clusters", "step": "1"}),
    ("flowchart", {}),
    ("upload", {}),
    ("data", {}),
]


def test_every_page_is_checked():
    from pathlib import Path
    pages = {p.stem for p in (Path(__file__).resolve().parents[2] / "app_pages").glob("*.py")}
    assert pages == {page for page, _ in VIEWS}


def main_text(block, skip_label: str) -> list[str]:
    """The text of every element under `block`, skipping the expander labelled `skip_label`."""
    out = []
    for node in getattr(block, "children", {}).values():
        if getattr(node, "type", "") == "expander" and getattr(node, "label", None) == skip_label:
            continue
        if hasattr(node, "children") and node.children:
            out += main_text(node, skip_label)
        else:
            # a download button's media URL ends in the file's suffix, a file uploader lists the suffixes it
            # takes: neither names a source
            out.append(re.sub(r'(?m)^(url: ".*"|type: "\.\w+")$', "", str(node.proto)))
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page, params", VIEWS, ids=[f"{p}-{'-'.join(v.values()) or 'default'}" for p, v in VIEWS])
def test_no_raw_file_name_in_the_main_text(page, params, lang):
    at = run(page, lang=lang, **params)
    assert_clean(at)
    texts = main_text(at.main, t("bibliography", lang))
    assert len(texts) >= 3
    found = sorted({m.group(0) + " in …" + text[max(0, m.start() - 80):m.end() + 20]
                    for text in texts for m in RAW_FILE_NAME.finditer(text)})
    assert not found, found[:5]


def test_the_data_page_keeps_the_archived_copies_in_its_bibliography():
    at = run("data")
    assert_clean(at)
    [biblio] = [e for e in at.expander if e.label == t("bibliography", "en")]
    text = " ".join(m.value for m in biblio.markdown)
    assert "004\\_e203b0bd6315dda3\\.txt" in text or "004_e203b0bd6315dda3.txt" in text
    assert "Douglas Zhihua Zeng" in text and "Zeng 2011, World Bank PRWP" in text
