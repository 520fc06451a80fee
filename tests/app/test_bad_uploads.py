"""The upload page ("Your indicators") with bad files: a clear error, and the app keeps working.

read_table itself is covered file by file in tests/unit/test_upload.py; here the same files go through the
page (AppTest with a staged upload), followed by a good file in the same session. Hostile cells and column
names then travel from the page to the map and the profile as text.
"""
from __future__ import annotations

import json
import re

import pytest

from dashboard import maps
from tests.app.test_hostile_params import walk
from tests.app.test_pages import run
from tests.unit.test_upload import BAD_INPUTS, PNG

GOOD = "名称,省份,year,exports_index\n濮院镇,浙江省,2020,120\nsez-shenzhen,,2020,300\nNowhere town,,2020,5\n"
ALLOWED = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")  # the uploader's types: others never reach the page
PAGE_CASES = [(label, data, filename, message) for label, data, filename, max_bytes, message in BAD_INPUTS
              if max_bytes is None and filename.endswith(ALLOWED)] + [
    ("huge (26 MB)", b"id,value\n" + b"sez-shenzhen,1\n" * 1_800_000, "big.csv", "too large"),
    ("binary named .csv", PNG + bytes(range(256)) * 8, "photo.csv", "PNG image"),
    ("UTF-16 without BOM", "id,value\nsez-shenzhen,1\n".encode("utf-16-le"), "t.csv", ""),
    ("malformed: only quotes", b'"""\n"\n""""\n', "t.csv", ""),
    ("malformed: NUL bytes in text", b"id,value\nsez-\x00shenzhen,1\n\x00\x00\n", "t.csv", ""),
    ("hostile file name", b"", "[click](https://evil.example)<img src=x onerror=alert(1)>.csv", "empty"),
]


def upload_page():
    at = run("upload")
    assert not at.exception and at.title[0].value == "Bring your own indicators"
    return at


def stage(at, name: str, data: bytes):
    at.file_uploader(key="u_file").set_value((name, data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("label, data, filename, message", PAGE_CASES, ids=[c[0] for c in PAGE_CASES])
def test_bad_file_gives_a_clear_error_and_the_page_keeps_working(label, data, filename, message):
    at = stage(upload_page(), filename, data)
    assert at.title[0].value == "Bring your own indicators"
    if at.error:  # refused: says which file and why
        assert "could not be read" in at.error[0].value
        assert not re.search(r"(?<!\\)\]\(https?:", at.error[0].value), "no link made of the file name"
        problem = at.code[0].value
        assert problem and "Traceback" not in problem and "Error(" not in problem
        assert message in problem, problem
    else:  # read, but nothing of it is joined silently: the join report says what happened
        assert not message, f"{label}: expected a refusal mentioning {message!r}"
        assert any("Join report" in s.value for s in at.subheader) or at.warning, label
    # the same session then takes a good file
    stage(at, "good.csv", GOOD.encode("gbk"))
    assert not at.error
    report = " ".join(t.value for t in at.text)
    assert "3 rows read, 2 matched, 1 unmatched" in report, report


def test_hostile_cells_and_column_name_reach_the_map_and_profile_as_text():
    column = '<img src=x onerror=alert("col")>'
    csv = (f"id,{column},note\n"
           "sez-shenzhen,42,<script>alert('cell')</script>\n"
           "sez-zhuhai,=cmd|' /C calc'!A0,x\n"
           "<script>alert('key')</script>,5,y\n").encode()
    at = stage(upload_page(), "evil.csv", csv)
    assert not at.error
    at.multiselect(key="u_values").set_value([column]).run()
    assert not at.exception
    unmatched = at.dataframe[0].value
    assert "<script>alert('key')</script>" in unmatched.to_numpy().ravel().tolist()  # shown as text
    at.button(key="u_use").click().run()
    assert not at.exception and at.success
    # the map coloured by the uploaded column: its name escaped in tooltips and the colour legend
    at.switch_page("app_pages/map.py").run()
    assert not at.exception
    at.selectbox(key="m_colour_by").set_value(column).run()
    assert not at.exception
    html = " ".join(n.proto.json_args for n in walk(at._tree) if getattr(getattr(n, "proto", None), "json_args", ""))
    assert html and column not in html and maps.esc(column) in html
    # the profile shows the uploaded value in a table and a chart titled with the column's name (Vega draws
    # titles as SVG/canvas text, never as HTML)
    at.switch_page("app_pages/profile.py")
    at.query_params["zone"] = "sez-shenzhen"
    at.run()
    assert not at.exception
    cells = [str(v) for df in (d.value for d in at.dataframe) for v in df.to_numpy().ravel()]
    assert "uploaded: evil.csv row 2" in cells
    specs = [n.proto.spec for n in walk(at._tree) if isinstance(getattr(getattr(n, "proto", None), "spec", None), str)]
    assert any(json.dumps(column)[1:-1] in spec for spec in specs), "the uploaded indicator is charted on the profile"


def test_a_second_file_gets_its_own_column_guesses():
    """Widget choices made for one file do not carry over to the next (they would hide its value columns)."""
    at = stage(upload_page(), "good.csv", GOOD.encode("gbk"))
    at.multiselect(key="u_values").set_value([]).run()
    assert at.warning  # "Choose at least one value column."
    stage(at, "other.csv", b"id,gdp,pop\nsez-shenzhen,5,6\n")
    assert at.multiselect(key="u_values").value == ["gdp", "pop"] and at.selectbox(key="u_key").value == "id"
    assert not at.warning and "1 row read, 1 matched" in at.text[0].value
