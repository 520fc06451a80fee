"""User uploads (dashboard/upload.py): reading CSV/xlsx safely, guessing columns, joining to features.

Synthetic features throughout (no built layers needed); every test names the behaviour it pins.
"""
import io
import time
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.paths import LAYERS_DIR
from dashboard.upload import (AMBIGUOUS, BLANK_ROW, EMPTY_KEY, INVALID_YEAR, NO_MATCH, PROVINCE_MISMATCH, UNEXPECTED,
                              detect_columns, join_indicators, read_table, to_csv_bytes)

FEATURES = [
    # id, layer, name_en, name_zh, province_en, province_zh
    ("sez-shenzhen", "sez", "Shenzhen SEZ", "深圳经济特区", "Guangdong", "广东省"),
    ("sez-xiamen", "sez", "Xiamen SEZ", "厦门经济特区", "Fujian", "福建省"),
    ("etdz-js", "etdz", "Xinyi ETDZ", "新沂经济开发区", "Jiangsu", "江苏省"),
    ("etdz-gx", "etdz", "Xinyi ETDZ", "新沂经济开发区", "Guangxi", "广西壮族自治区"),
    ("ftz-shanghai", "ftz", "Shanghai Waigaoqiao FTZ", "中国（上海）外高桥保税区", "Shanghai", "上海市"),
    ("hidz-nm", "hidz", "Baotou HIDZ", "包头稀土高新技术产业开发区", "Inner Mongolia", "内蒙古自治区"),
    ("zj-datang", "zj_town", "Datang", "大唐镇", "Zhejiang", "浙江省"),
]


@pytest.fixture(scope="module")
def points():
    frame = pd.DataFrame(FEATURES, columns=["id", "layer", "name_en", "name_zh", "province_en", "province_zh"])
    frame["city"] = ""
    return frame.set_index("id", drop=False)


def read_ok(text: str, filename: str = "t.csv", encoding: str = "utf-8") -> pd.DataFrame:
    result = read_table(text.encode(encoding), filename)
    assert result.problems == [] and result.frame is not None, result.problems
    return result.frame


def join_text(text: str, points, **kwargs):
    frame = read_ok(text)
    cols = detect_columns(frame)
    args = dict(key_column=cols.key, value_columns=cols.values, province_column=cols.province,
                year_column=cols.year)
    args.update(kwargs)
    return join_indicators(frame, points, **args)


def xlsx_bytes(rows, path=None, extra_sheet=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    if extra_sheet:
        other = wb.create_sheet("second")
        for row in extra_sheet:
            other.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    if path is not None:
        path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def with_cached_value(data: bytes, formula: str, cached: str) -> bytes:
    """Give a formula cell a cached value, as a workbook saved by Excel has (openpyxl writes none)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                # openpyxl writes an empty <v /> or <v></v> (with or without lxml installed)
                old = next(o for o in (f"<f>{formula}</f><v />".encode(), f"<f>{formula}</f><v></v>".encode())
                           if o in content)
                content = content.replace(old, f"<f>{formula}</f><v>{cached}</v>".encode())
            dst.writestr(info, content)
    return out.getvalue()


# ------------------------------------------------------------------------------------------
# read_table: bad input is a clear problem, never an exception

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def _zip_with(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, "hello")
    return buffer.getvalue()


BAD_INPUTS = [
    ("empty file", b"", "t.csv", None, "the file is empty"),
    ("only a BOM and blank lines", b"\xef\xbb\xbf\r\n\r\n", "t.csv", None, "the file is empty"),
    ("header without rows", b"id,value\n", "t.csv", None, "header row but no data rows"),
    ("header then blank rows", b"id,value\n\n,\n", "t.csv", None, "header row but no data rows"),
    ("PNG renamed .csv", PNG + b"\x00" * 40, "t.csv", None, "PNG image"),
    ("binary junk", bytes(range(256)) * 4, "t.csv", None, "binary file"),
    ("Latin-1 text", "name,value\ncafé,1\n".encode("latin-1"), "t.csv", None, "wrong encoding: not UTF-8 or GBK"),
    ("unbalanced quotes", b'id,value\n"sez-shenzhen,5\netdz,3\n', "t.csv", None, "opened on line 2 is never closed"),
    ("text after a closing quote", b'id,value\nsez,1\n"a"b,1\n', "t.csv", None, "line 3: text after a closing quote"),
    ("a row too long", b"id,value\na,1\nb,2,3\n", "t.csv", None, "line 3 has 3 cells"),
    ("a row too short", b"id,value,other\na,1,2\nb\n", "t.csv", None, "line 3 has 1 cell"),
    ("oversize", b"id,value\n" + b"a,1\n" * 100, "t.csv", 50, "too large"),
    ("legacy .xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "t.xls", None, "old Excel .xls"),
    ("CSV renamed .xlsx", b"id,value\na,1\n", "t.xlsx", None, "not an Excel workbook"),
    ("damaged .xlsx", b"PK\x03\x04" + b"\x00" * 60, "t.xlsx", None, "not a valid .xlsx"),
    ("zip that is not a workbook", _zip_with("readme.txt"), "t.csv", None, "ZIP archive"),
    ("xlsx-named zip without a workbook", _zip_with("readme.txt"), "t.xlsx", None, "Excel"),
    ("PDF", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "t.csv", None, "PDF document"),
]


@pytest.mark.parametrize("label, data, filename, max_bytes, message", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_returns_one_clear_problem_and_no_frame(label, data, filename, max_bytes, message):
    result = read_table(data, filename) if max_bytes is None else read_table(data, filename, max_bytes=max_bytes)
    assert result.frame is None
    assert len(result.problems) == 1
    assert message in result.problems[0]
    assert UNEXPECTED not in result.problems[0]


def test_ragged_rows_error_names_every_line_up_to_five():
    text = "id,value\n" + "".join(f"k{i},1,extra\n" for i in range(8))
    problem = read_table(text.encode(), "t.csv").problems[0]
    assert "line 2 has 3 cells" in problem and "line 6 has 3 cells" in problem and "and 3 more" in problem


def test_oversize_message_states_size_and_limit():
    problem = read_table(b"x" * 3_000_000, "t.csv", max_bytes=2_000_000).problems[0]
    assert "3.0 MB" in problem and "2.0 MB" in problem


# ------------------------------------------------------------------------------------------
# read_table: encodings and what comes back

TEXT = "名称,GDP\n深圳经济特区,1\n𠮷野家,2\n"  # 𠮷 (U+20BB7) is outside GBK: only GB18030 or UTF encodes it


@pytest.mark.parametrize("encoding, reported, text", [
    ("utf-8", "utf-8", TEXT),
    ("utf-8-sig", "utf-8-sig", TEXT),        # Excel's "CSV UTF-8" writes a BOM
    ("gbk", "gbk", TEXT.replace("𠮷", "吉")),  # Excel on a Chinese Windows saves "CSV" as GBK
    ("gb18030", "gb18030", TEXT),
    ("utf-16", "utf-16", TEXT),              # Excel "Unicode text" (with BOM)
])
def test_csv_encodings_decode_to_the_same_table(encoding, reported, text):
    result = read_table(text.encode(encoding), "t.csv")
    assert result.problems == [] and result.encoding == reported
    assert list(result.frame.columns) == ["名称", "GDP"]  # no BOM left on the first header
    assert result.frame["名称"].tolist() == [line.split(",")[0] for line in text.splitlines()[1:]]


def test_cells_are_strings_and_nothing_is_coerced():
    frame = read_ok("id,value,year,flag\n001,1e3,2020,TRUE\nsez,NaN,,NA\n")
    assert all(isinstance(frame[c].dtype, pd.StringDtype) for c in frame.columns)
    assert frame.to_dict("list") == {"id": ["001", "sez"], "value": ["1e3", "NaN"], "year": ["2020", ""],
                                     "flag": ["TRUE", "NA"]}
    assert not frame.isna().any().any()


def test_index_is_the_spreadsheet_row_interior_blank_kept_trailing_blank_dropped():
    frame = read_ok("id,value\na,1\n\nb,2\n,\n\n")
    assert frame.index.name == "row"
    assert frame.index.tolist() == [2, 3, 4]
    assert frame.loc[3].tolist() == ["", ""]


def test_quoted_commas_newlines_and_doubled_quotes_are_one_cell():
    frame = read_ok('id,note\na,"x, ""y""\nz"\nb,plain\n')
    assert frame["note"].tolist() == ['x, "y"\nz', "plain"]


@pytest.mark.parametrize("text", ["id;value\na;1,5\n", "id\tvalue\na\t1,5\n"])
def test_semicolon_and_tab_delimiters_are_detected(text):
    assert read_ok(text).to_dict("list") == {"id": ["a"], "value": ["1,5"]}


def test_duplicate_and_empty_headers_get_distinct_names():
    frame = read_ok("id,value,value,\na,1,2,3\n")
    assert list(frame.columns) == ["id", "value", "value (2)", "column 4"]


def test_title_row_above_the_header_is_skipped_keeping_file_row_numbers():
    result = read_table("2020年开发区主要指标,,\n名称,GDP,出口\n深圳经济特区,1,2\n".encode("gbk"), "t.csv")
    assert result.problems == [] and result.header_row == 2
    assert list(result.frame.columns) == ["名称", "GDP", "出口"] and result.frame.index.tolist() == [3]


def test_single_filled_header_cell_above_numbers_is_not_taken_for_a_title():
    frame = read_ok("name,,\nsez-shenzhen,1,2\n")
    assert list(frame.columns) == ["name", "column 2", "column 3"]


# ------------------------------------------------------------------------------------------
# xlsx

def test_xlsx_round_trip_numbers_dates_text_and_uncached_formula_as_text(tmp_path):
    import datetime
    path = tmp_path / "upload.xlsx"
    xlsx_bytes([
        ["名称", "GDP", "double", "when", "note"],
        ["深圳经济特区", 1234, "=B2*2", datetime.datetime(2020, 1, 31), "<script>alert(1)</script>"],
        ["sez-xiamen", 12.5, None, None, "=HYPERLINK(\"http://x\")"],
    ], path=path)
    result = read_table(path.read_bytes(), path.name)
    assert result.problems == [] and result.encoding is None
    frame = result.frame
    assert frame.loc[2].tolist() == ["深圳经济特区", "1234", "=B2*2", "2020-01-31", "<script>alert(1)</script>"]
    assert frame.loc[3].tolist() == ["sez-xiamen", "12.5", "", "", "=HYPERLINK(\"http://x\")"]


def test_xlsx_formula_gives_its_cached_value_and_is_never_evaluated(points):
    data = with_cached_value(xlsx_bytes([["id", "GDP", "double"], ["sez-shenzhen", 1234, "=B2*2"]]),
                             "B2*2", "999")
    frame = read_table(data, "t.xlsx").frame
    assert frame.loc[2, "double"] == "999"  # the cache, not 2468


def test_uncached_formula_is_reported_non_numeric_not_computed(points):
    frame = read_table(xlsx_bytes([["id", "GDP"], ["sez-shenzhen", "=1+1"]]), "t.xlsx").frame
    result = join_indicators(frame, points, "id", ["GDP"])
    assert result.indicators.empty
    assert result.non_numeric.to_dict("records") == [{"row": 2, "column": "GDP", "text": "=1+1"}]


def test_xlsx_reads_only_the_first_sheet_and_works_when_renamed_csv():
    data = xlsx_bytes([["id", "v"], ["a", 1]], extra_sheet=[["other", "x"], ["b", 2]])
    for name in ("t.xlsx", "t.csv", "noext"):
        result = read_table(data, name)
        assert result.problems == [] and result.frame.to_dict("list") == {"id": ["a"], "v": ["1"]}


def test_xlsx_title_row_leading_blank_rows_and_trailing_empty_columns():
    data = xlsx_bytes([[], ["2020年指标"], ["名称", "GDP", None], ["深圳经济特区", 5, None], [None, None, None]])
    result = read_table(data, "t.xlsx")
    assert result.header_row == 3
    assert result.frame.to_dict("list") == {"名称": ["深圳经济特区"], "GDP": ["5"]}
    assert result.frame.index.tolist() == [4]


def test_xlsx_header_only_is_a_problem():
    assert "no data rows" in read_table(xlsx_bytes([["id", "v"]]), "t.xlsx").problems[0]


# ------------------------------------------------------------------------------------------
# detect_columns

def _frame(header, *rows):
    return pd.DataFrame([list(r) for r in rows], columns=header, dtype="str")


@pytest.mark.parametrize("header, row, key, province, year, values", [
    (["id", "GDP", "year"], ["sez-shenzhen", "1", "2020"], "id", None, "year", ["GDP"]),
    (["Entity ID", "exports"], ["sez-shenzhen", "1"], "Entity ID", None, None, ["exports"]),
    (["序号", "开发区名称", "省份", "年份", "GDP（亿元）", "备注"], ["1", "深圳经济特区", "广东", "2020", "5", "x"],
     "开发区名称", "省份", None or "年份", ["GDP（亿元）"]),
    (["name_en", "Province", "exports", "employment"], ["Shenzhen SEZ", "Guangdong", "1,234", "12%"],
     "name_en", "Province", None, ["exports", "employment"]),
    (["name_zh", "name_en", "省", "年", "v"], ["深圳经济特区", "Shenzhen SEZ", "广东", "2020", "1"],
     "name_zh", "省", "年", ["v"]),
    (["Zone", "Value"], ["Shenzhen SEZ", "3"], "Zone", None, None, ["Value"]),
    (["foo", "bar", "text"], ["Shenzhen SEZ", "3", "hello"], "foo", None, None, ["bar"]),
])
def test_detect_columns_guesses_key_province_year_and_numeric_values(header, row, key, province, year, values):
    cols = detect_columns(_frame(header, row))
    assert (cols.key, cols.province, cols.year, cols.values) == (key, province, year, values)
    assert set(cols.ignored) == set(header) - {key, province, year, *values}


def test_detect_columns_keeps_overrides_and_guesses_the_rest():
    frame = _frame(["名称", "code", "GDP", "year"], ["深圳经济特区", "sez-shenzhen", "1", "2020"])
    cols = detect_columns(frame, key="code")
    assert cols.key == "code" and cols.year == "year" and cols.values == ["GDP"]
    assert detect_columns(frame, values=["GDP", "year"], year=None).values == ["GDP", "year"]


# ------------------------------------------------------------------------------------------
# join_indicators: matching

@pytest.mark.parametrize("key, entity, how", [
    ("sez-shenzhen", "sez-shenzhen", "id"),
    ("  sez-shenzhen ", "sez-shenzhen", "id"),
    ("深圳经济特区", "sez-shenzhen", "Chinese name"),
    ("深圳 经济特区", "sez-shenzhen", "Chinese name"),
    ("中国(上海)外高桥保税区", "ftz-shanghai", "Chinese name"),   # half-width brackets vs （）
    ("Shenzhen SEZ", "sez-shenzhen", "English name"),
    ("  shenzhen   sez ", "sez-shenzhen", "English name"),
    ("SHENZHENSEZ", "sez-shenzhen", "English name"),
    ("ＳＨＥＮＺＨＥＮ ＳＥＺ", "sez-shenzhen", "English name"),  # full-width Latin
])
def test_key_matches_by_id_then_chinese_then_english_name(points, key, entity, how):
    result = join_text(f"key,GDP\n{key},7\n", points, key_column="key", value_columns=["GDP"])
    assert result.matched_rows == 1 and result.unmatched.empty
    row = result.indicators.iloc[0]
    assert (row["entity_id"], row["value"], row["note"]) == (entity, 7.0, f"matched by {how}")


def test_id_match_is_exact_not_case_insensitive(points):
    result = join_text("id,GDP\nSEZ-SHENZHEN,7\n", points)
    assert result.unmatched["reason"].tolist() == [NO_MATCH]


@pytest.mark.parametrize("province, entity", [
    ("江苏", "etdz-js"), ("江苏省", "etdz-js"), ("Jiangsu", "etdz-js"), ("jiangsu province", "etdz-js"),
    ("广西", "etdz-gx"), ("广西壮族自治区", "etdz-gx"), ("Guangxi Zhuang Autonomous Region", "etdz-gx"),
    ("ＧＵＡＮＧＸＩ", "etdz-gx"),
])
def test_ambiguous_name_is_resolved_by_province_in_any_spelling(points, province, entity):
    result = join_text(f"名称,省份,GDP\n新沂经济开发区,{province},1\n", points)
    assert result.unmatched.empty
    assert result.indicators["entity_id"].tolist() == [entity]


@pytest.mark.parametrize("text", [
    "名称,GDP\n新沂经济开发区,1\n",
    "name_en,GDP\nXinyi ETDZ,1\n",
    "名称,省份,GDP\n新沂经济开发区,,1\n",        # a province column, but empty on this row
    "名称,省份,GDP\n新沂经济开发区,浙江,1\n",      # a province that matches neither candidate
])
def test_ambiguous_name_without_a_deciding_province_is_reported_with_candidates(points, text):
    result = join_text(text, points)
    assert result.matched_rows == 0 and result.indicators.empty
    (row,) = result.unmatched.to_dict("records")
    assert row["row"] == 2 and row["reason"] == AMBIGUOUS
    assert "[etdz-js]" in row["closest"] and "[etdz-gx]" in row["closest"]


def test_province_that_contradicts_a_unique_name_is_reported_not_matched(points):
    result = join_text("名称,省份,GDP\n深圳经济特区,福建,1\n深圳经济特区,广东,2\n", points)
    assert result.unmatched[["row", "reason"]].to_dict("records") == [{"row": 2, "reason": PROVINCE_MISMATCH}]
    assert "[sez-shenzhen]" in result.unmatched.loc[0, "closest"]
    assert result.indicators["value"].tolist() == [2.0]


def test_province_is_not_checked_against_an_id(points):
    result = join_text("id,province,GDP\nsez-shenzhen,Fujian,1\n", points)
    assert result.matched_rows == 1


@pytest.mark.parametrize("key, expected", [
    ("深圳特区", "sez-shenzhen"),
    ("Shenzen SEZ", "sez-shenzhen"),
    ("sez-shenzen", "sez-shenzhen"),
    ("大唐", "zj-datang"),
])
def test_unknown_name_is_listed_with_closest_matches(points, key, expected):
    result = join_text(f"key,GDP\n{key},1\n", points, key_column="key", value_columns=["GDP"])
    (row,) = result.unmatched.to_dict("records")
    assert (row["row"], row["key"], row["reason"]) == (2, key, NO_MATCH)
    assert f"[{expected}]" in row["closest"].split(";")[0]


def test_unknown_gibberish_has_no_suggestions(points):
    result = join_text("key,GDP\nqqqqqqqq,1\n", points, key_column="key", value_columns=["GDP"])
    assert result.unmatched.loc[0, "closest"] == ""


def test_duplicate_feature_and_year_lists_all_rows_and_uses_none(points):
    text = ("id,year,GDP\nsez-shenzhen,2020,1\nsez-xiamen,2020,2\nsez-shenzhen,2021,3\n"
            "sez-shenzhen,2020,4\n")
    result = join_text(text, points)
    assert result.duplicates[["row", "entity_id", "rows"]].to_dict("records") == [
        {"row": 2, "entity_id": "sez-shenzhen", "rows": "2, 5"},
        {"row": 5, "entity_id": "sez-shenzhen", "rows": "2, 5"}]
    assert result.duplicate_keys == 1
    assert sorted(result.indicators["value"]) == [2.0, 3.0]  # neither 1 nor 4
    assert result.matched_rows == 2


def test_two_spellings_of_one_feature_without_year_are_duplicates(points):
    result = join_text("key,GDP\nsez-shenzhen,1\n深圳经济特区,2\nShenzhen SEZ,3\n", points,
                       key_column="key", value_columns=["GDP"])
    assert result.duplicates["row"].tolist() == [2, 3, 4] and result.indicators.empty


@pytest.mark.parametrize("cell, year, invalid", [
    ("2020", 2020, False), ("2020年", 2020, False), ("２０２０", 2020, False), ("2020.0", 2020, False),
    (" 2020 ", 2020, False), ("", None, False), ("20x0", None, True), ("1700", None, True), ("2020-01", None, True),
])
def test_year_column_parses_years_and_reports_invalid_ones(points, cell, year, invalid):
    result = join_text(f"id,year,GDP\nsez-shenzhen,{cell},5\n", points)
    if invalid:
        assert result.unmatched["reason"].tolist() == [INVALID_YEAR] and result.indicators.empty
    else:
        got = result.indicators.loc[0, "year"]
        assert (pd.isna(got) if year is None else got == year)


def test_blank_row_and_empty_key_are_listed_not_dropped(points):
    result = join_text("id,GDP\nsez-shenzhen,1\n\n,5\n", points)
    assert result.unmatched[["row", "reason"]].to_dict("records") == [
        {"row": 3, "reason": BLANK_ROW}, {"row": 4, "reason": EMPTY_KEY}]
    assert result.rows_read == 3 and result.matched_rows == 1


# ------------------------------------------------------------------------------------------
# join_indicators: values

@pytest.mark.parametrize("cell, value, unit", [
    ("12", 12.0, ""), ("-3.5", -3.5, ""), ("+4", 4.0, ""), (".5", 0.5, ""), ("1e3", 1000.0, ""),
    ("1,234", 1234.0, ""), ("1,234,567.5", 1234567.5, ""), ("-1,000", -1000.0, ""),
    ("１２３", 123.0, ""), ("１２．５", 12.5, ""), ("−5", -5.0, ""), ("'-5", -5.0, ""),
    ("12.5%", 12.5, "%"), ("１２％", 12.0, "%"), (" 7 ", 7.0, ""),
])
def test_accepted_number_formats(points, cell, value, unit):
    frame = _frame(["id", "v"], ["sez-shenzhen", cell])
    result = join_indicators(frame, points, "id", ["v"])
    assert result.non_numeric.empty
    assert result.indicators[["value", "unit"]].iloc[0].tolist() == [value, unit]


@pytest.mark.parametrize("cell", [
    "1,5", "12,34", "1,2345", "inf", "nan", "NaN", "¥100", "12万", "(5)", "-", "N/A", "0x10", "1 234",
    "=1+1", "=HYPERLINK(\"http://evil\",\"x\")", "<script>alert(1)</script>", "١٢", "12.5.1",
])
def test_rejected_number_formats_are_listed_with_row_column_and_text(points, cell):
    frame = _frame(["id", "v"], ["sez-shenzhen", "1"], ["sez-xiamen", cell])
    result = join_indicators(frame, points, "id", ["v"])
    assert result.non_numeric.to_dict("records") == [{"row": 3, "column": "v", "text": cell}]
    assert result.indicators["entity_id"].tolist() == ["sez-shenzhen"]
    assert result.matched_rows == 2  # the row matched; only its cell is unusable


def test_empty_cells_are_missing_not_errors(points):
    result = join_text("id,a,b\nsez-shenzhen,,1\nsez-xiamen,  ,\n", points, value_columns=["a", "b"])
    assert result.non_numeric.empty and result.missing_cells == 3
    assert result.indicators[["entity_id", "indicator", "value"]].values.tolist() == [["sez-shenzhen", "b", 1.0]]


def test_reformatted_numbers_record_the_written_text_in_the_note(points):
    result = join_text('id,v\nsez-shenzhen,"1,234"\n', points)
    assert result.indicators.loc[0, "note"] == "matched by id; as written: 1,234"
    assert result.rewritten_cells == 1


def test_indicator_rows_have_the_app_long_format(points):
    from dashboard.data import INDICATOR_COLUMNS
    result = join_text("名称,年份,GDP,出口\n深圳经济特区,2020,1,2\n厦门经济特区,2021,3,\n", points,
                       source_label="市商务局 2021")
    ind = result.indicators
    assert list(ind.columns) == INDICATOR_COLUMNS
    assert str(ind["year"].dtype) == "Int64" and ind["value"].dtype == float
    assert ind.to_dict("records") == [
        {"entity_id": "sez-shenzhen", "indicator": "GDP", "year": 2020, "value": 1.0, "unit": "",
         "source": "市商务局 2021 row 2", "note": "matched by Chinese name", "flag": "uploaded"},
        {"entity_id": "sez-xiamen", "indicator": "GDP", "year": 2021, "value": 3.0, "unit": "",
         "source": "市商务局 2021 row 3", "note": "matched by Chinese name", "flag": "uploaded"},
        {"entity_id": "sez-shenzhen", "indicator": "出口", "year": 2020, "value": 2.0, "unit": "",
         "source": "市商务局 2021 row 2", "note": "matched by Chinese name", "flag": "uploaded"},
    ]


def test_html_and_formulas_stay_data_in_keys_and_values(points):
    evil = "<script>alert(1)</script>"
    formula = '=HYPERLINK("http://evil","click")'
    frame = _frame(["名称", "GDP"], [evil, "1"], [formula, "2"], ["深圳经济特区", evil], ["厦门经济特区", formula])
    result = join_indicators(frame, points, "名称", ["GDP"])
    assert result.unmatched[["row", "key", "reason"]].to_dict("records") == [
        {"row": 2, "key": evil, "reason": NO_MATCH}, {"row": 3, "key": formula, "reason": NO_MATCH}]
    assert result.non_numeric["text"].tolist() == [evil, formula]
    assert result.indicators.empty
    assert not any(evil in line or "HYPERLINK" in line for line in result.report_lines())


def test_caller_mistakes_raise_value_error(points):
    frame = _frame(["id", "v"], ["sez-shenzhen", "1"])
    with pytest.raises(ValueError, match="not in the table"):
        join_indicators(frame, points, "nope", ["v"])
    with pytest.raises(ValueError, match="cannot also be"):
        join_indicators(frame, points, "id", ["id", "v"])


def test_frame_without_row_index_numbers_rows_from_two(points):
    frame = pd.DataFrame({"id": ["nope"], "v": ["1"]})  # default RangeIndex, object dtype
    assert join_indicators(frame, points, "id", ["v"]).unmatched["row"].tolist() == [2]


# ------------------------------------------------------------------------------------------
# nothing is dropped silently; the report

MIXED = ("名称,省份,年份,GDP\n"
         "深圳经济特区,,2020,1\n"        # 2 matched
         "新沂经济开发区,,2020,2\n"      # 3 ambiguous
         "新沂经济开发区,广西,2020,x\n"  # 4 matched, non-numeric
         "不存在开发区,,2020,3\n"        # 5 no match
         "厦门经济特区,,2020,4\n"        # 6 duplicate
         "厦门经济特区,,2020,5\n"        # 7 duplicate
         ",,,\n"                        # 8 blank
         ",,2020,6\n"                   # 9 empty key
         "大唐镇,,20x0,7\n"              # 10 invalid year
         "深圳经济特区,福建,2021,8\n")    # 11 province mismatch


def test_every_row_is_matched_or_listed_with_a_reason(points):
    result = join_text(MIXED, points)
    listed = set(result.unmatched["row"]) | set(result.duplicates["row"])
    assert result.rows_read == 10
    assert result.matched_rows + len(result.unmatched) + len(result.duplicates) == result.rows_read
    assert listed.isdisjoint({2, 4}) and listed == set(range(2, 12)) - {2, 4}
    assert dict(zip(result.unmatched["row"], result.unmatched["reason"])) == {
        3: AMBIGUOUS, 5: NO_MATCH, 8: BLANK_ROW, 9: EMPTY_KEY, 10: INVALID_YEAR, 11: PROVINCE_MISMATCH}
    assert result.table["match_status"].tolist() == [
        "matched", AMBIGUOUS, "matched", NO_MATCH, "duplicate", "duplicate", BLANK_ROW, EMPTY_KEY, INVALID_YEAR,
        PROVINCE_MISMATCH]


def test_report_lines_summarise_counts_and_reasons(points):
    lines = join_text(MIXED, points).report_lines()
    assert lines[0] == ("10 rows read, 2 matched, 6 unmatched (1 blank row, 1 empty key, 1 no match, "
                        "1 ambiguous name, 1 province does not match, 1 invalid year), 1 duplicate key, "
                        "1 non-numeric cell")
    assert "ambiguous name: row 3" in lines
    assert "same feature and year in several rows, none of them used: rows 6, 7" in lines
    assert "non-numeric cells (not used): row 4" in lines


def test_report_of_a_clean_upload(points):
    lines = join_text("id,a,b\nsez-shenzhen,1,2\nsez-xiamen,3,\n", points).report_lines()
    assert lines[0] == "2 rows read, 2 matched, 0 unmatched, 0 duplicate keys, 0 non-numeric cells"
    assert lines[1] == "3 values joined for 2 features in 2 indicators; 1 empty cell left missing"


KEYS = st.sampled_from(["sez-shenzhen", "深圳经济特区", "Xiamen SEZ", "新沂经济开发区", "nope", "", " ", "大唐镇",
                        "<b>x</b>", "=1+1"])
CELLS = st.sampled_from(["1", "", "x", "1,234", "12%", "-", "２"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(KEYS, st.sampled_from(["", "广西", "江苏", "Fujian"]), st.sampled_from(["", "2020", "x"]),
                          CELLS, CELLS), min_size=1, max_size=25))
def test_property_every_row_accounted_for_exactly_once(points, rows):
    frame = _frame(["key", "prov", "year", "a", "b"], *rows)
    result = join_indicators(frame, points, "key", ["a", "b"], "prov", "year")
    buckets = [set(result.unmatched["row"]), set(result.duplicates["row"]),
               set(result.table.loc[result.table["match_status"] == "matched", "upload_row"])]
    assert sum(len(b) for b in buckets) == len(rows) == result.rows_read
    assert set().union(*buckets) == set(range(2, len(rows) + 2))
    used_rows = {int(s.rsplit(" ", 1)[1]) for s in result.indicators["source"]}
    assert used_rows <= buckets[2]
    numeric_cells = sum(1 for r in rows for c in r[3:] if c.strip() != "")
    assert len(result.non_numeric) + len(result.indicators) <= numeric_cells


# ------------------------------------------------------------------------------------------
# export

@pytest.mark.parametrize("cell, written", [
    ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"), ("\t=1", "'\t=1"),
    ('=HYPERLINK("http://evil","x")', "'=HYPERLINK(\"http://evil\",\"x\")"), ("safe", "safe"),
    ("深圳", "深圳"), ("a=b", "a=b"),
])
def test_csv_export_neutralises_formula_cells(cell, written):
    data = to_csv_bytes(pd.DataFrame({"text": [cell], "n": [-5.0]}))
    assert data.startswith(b"\xef\xbb\xbf")
    back = read_table(data, "back.csv")
    assert back.frame["text"].tolist() == [written]
    assert back.frame["n"].tolist() == ["-5.0"]  # numbers are not text: unchanged


def test_csv_export_guards_headers_and_object_columns():
    frame = pd.DataFrame({"=cmd": pd.Series(["-x", 3, None], dtype=object)})
    assert to_csv_bytes(frame) == b"\xef\xbb\xbf'=cmd\r\n'-x\r\n3\r\n\"\"\r\n"


def test_joined_table_round_trips_through_export(points):
    result = join_text("名称,GDP\n深圳经济特区,-5\n=cmd(),1\n", points)
    back = read_table(to_csv_bytes(result.table), "joined.csv")
    assert back.problems == []
    assert back.frame["matched_id"].tolist() == ["sez-shenzhen", ""]
    assert back.frame["名称"].tolist() == ["深圳经济特区", "'=cmd()"]
    again = join_indicators(back.frame, points, "matched_id", ["GDP"])
    assert again.indicators["value"].tolist() == [-5.0]  # "'-5" reads back as -5


# ------------------------------------------------------------------------------------------
# robustness and size

@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["t.csv", "t.xlsx", "t.txt", "t", "t.tsv"]))
def test_property_random_bytes_never_raise(data, filename):
    result = read_table(data, filename)
    assert (result.frame is None) == bool(result.problems)
    assert not any(UNEXPECTED in p for p in result.problems)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(',;\t"\'\r\n =-aé深1２%\x00')), max_size=300))
def test_property_csv_like_text_never_raises_and_frames_are_strings(text):
    for encoding in ("utf-8", "gb18030"):
        result = read_table(text.encode(encoding), "t.csv")
        assert not any(UNEXPECTED in p for p in result.problems)
        if result.frame is not None:
            assert all(isinstance(v, str) for v in result.frame.to_numpy().ravel())
            cols = detect_columns(result.frame)
            if cols.key is not None:
                join_indicators(result.frame, pd.DataFrame(FEATURES, columns=[
                    "id", "layer", "name_en", "name_zh", "province_en", "province_zh"]), cols.key, cols.values)


def test_zip_bomb_like_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 2_000_000)
    data = buffer.getvalue()
    problem = read_table(data, "t.xlsx", max_bytes=100_000).problems[0]
    assert "unpacks to" in problem


def test_100k_rows_with_three_value_columns_read_and_join_in_seconds():
    n_features = 2500
    pts = pd.DataFrame({
        "id": [f"etdz-{i:05d}" for i in range(n_features)],
        "name_zh": [f"第{i}号经济技术开发区" for i in range(n_features)],
        "name_en": [f"Zone {i} ETDZ" for i in range(n_features)],
        "province_zh": "浙江省", "province_en": "Zhejiang"}).set_index("id", drop=False)
    i = np.arange(100_000)
    body = pd.DataFrame({"名称": [f"第{k}号经济技术开发区" for k in i % n_features], "省份": "浙江",
                         "年份": 1980 + i // n_features, "GDP": i * 1.5, "出口": [f"{k:,}" for k in i], "就业": i % 97})
    data = body.to_csv(index=False).encode("gbk")
    start = time.perf_counter()
    read = read_table(data, "big.csv")
    cols = detect_columns(read.frame)
    result = join_indicators(read.frame, pts, cols.key, cols.values, cols.province, cols.year)
    elapsed = time.perf_counter() - start
    assert read.encoding == "gbk" and cols.values == ["GDP", "出口", "就业"]
    assert result.matched_rows == 100_000 and len(result.indicators) == 300_000
    assert result.unmatched.empty and result.non_numeric.empty
    assert result.indicators["value"].sum() == pytest.approx(i.sum() * 1.5 + i.sum() + (i % 97).sum())
    assert elapsed < 10, f"read + join took {elapsed:.1f}s"


@pytest.mark.skipif(not (LAYERS_DIR / "manifest.json").exists(), reason="geodata/layers not built")
def test_built_features_resolve_by_their_own_chinese_name_and_province():
    from dashboard.data import load_points
    pts = load_points()
    frame = _frame(["名称", "省份", "v"], *zip(pts["name_zh"].fillna(""), pts["province_zh"].fillna(""),
                                             ["1"] * len(pts)))
    result = join_indicators(frame, pts, "名称", ["v"], "省份")
    assert result.rows_read == len(pts)
    # a name shared by two features of one province stays ambiguous; nothing else may fail
    assert set(result.unmatched["reason"]) <= {AMBIGUOUS, EMPTY_KEY}
    assert result.matched_rows + len(result.unmatched) + len(result.duplicates) == len(pts)
    assert result.matched_rows > 0.9 * len(pts)
