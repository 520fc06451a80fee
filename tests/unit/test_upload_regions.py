"""Issue 15: provinces and prefectures as join targets, zone short forms, accepted suggestions, the template.

Table-driven over the built layers (geodata/layers) so the keys are the real ones; the fixtures in
tests/fixtures are made-up test values (see their README), never facts.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard import data, maps, upload
from dashboard.upload import AMBIGUOUS, NO_MATCH, detect_columns, join_indicators, read_table

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def targets():
    return {upload.LEVEL_FEATURE: upload.feature_targets(data.load_points()),
            upload.LEVEL_PROVINCE: upload.province_targets(data.load_layer("province")),
            upload.LEVEL_PREFECTURE: upload.prefecture_targets(data.load_layer("prefecture"))}


def frame_of(header: list[str], *rows) -> pd.DataFrame:
    frame = pd.DataFrame([list(r) for r in rows], columns=header, dtype="str")
    frame.index = pd.Index(range(2, len(rows) + 2), name="row")
    return frame


def join_one(targets, level, key, province=""):
    frame = frame_of(["key", "prov", "v"], (key, province, "1"))
    return join_indicators(frame, targets[level], "key", ["v"], "prov" if province else None)


def matched_id(result) -> str | None:
    return result.indicators["entity_id"].iloc[0] if len(result.indicators) else None


# -- provinces: every form the issue lists, and more
PROVINCE_KEYS = [
    ("广东", "prov-44"), ("广东省", "prov-44"), ("Guangdong", "prov-44"), ("Guangdong Province", "prov-44"),
    ("440000", "prov-44"), ("44", "prov-44"), ("prov-44", "prov-44"), ("  广东省 ", "prov-44"),
    ("广西壮族自治区", "prov-45"), ("广西", "prov-45"), ("Guangxi Zhuang Autonomous Region", "prov-45"),
    ("内蒙古", "prov-15"), ("Inner Mongolia", "prov-15"), ("西藏自治区", "prov-54"), ("Xizang", "prov-54"),
    ("上海市", "prov-31"), ("Shanghai", "prov-31"), ("香港特别行政区", "prov-81"), ("Hong Kong SAR", "prov-81"),
    ("新疆维吾尔自治区", "prov-65"), ("Shaanxi", "prov-61"), ("Shanxi", "prov-14"), ("６１００００", "prov-61"),
]


@pytest.mark.parametrize("key, expected", PROVINCE_KEYS)
def test_province_key_in_every_form(targets, key, expected):
    assert matched_id(join_one(targets, "province", key)) == expected


# -- prefectures
PREFECTURE_KEYS = [
    ("杭州", "pref-330100"), ("杭州市", "pref-330100"), ("Hangzhou", "pref-330100"), ("Hangzhou City", "pref-330100"),
    ("330100", "pref-330100"), ("3301", "pref-330100"), ("pref-330100", "pref-330100"),
    ("延边朝鲜族自治州", "pref-222400"), ("延边州", "pref-222400"), ("延边", "pref-222400"),
    ("Yanbian Korean Autonomous Prefecture", "pref-222400"), ("兴安盟", "pref-152200"), ("Hinggan League", "pref-152200"),
    ("北京市", "pref-110000"), ("1101", "pref-110000"), ("重庆", "pref-500000"), ("5002", "pref-500000"),
    ("济源市", "pref-419001"), ("419001", "pref-419001"), ("Xi'an", "pref-610100"), ("Xian", "pref-610100"),
    ("吕梁", "pref-141100"), ("Lvliang", "pref-141100"), ("Lüliang", "pref-141100"), ("吉林市", "pref-220200"),
    ("Harbin", "pref-230100"), ("Kashgar Prefecture", "pref-653100"), ("喀什地区", "pref-653100"),
]


@pytest.mark.parametrize("key, expected", PREFECTURE_KEYS)
def test_prefecture_key_in_every_form(targets, key, expected):
    assert matched_id(join_one(targets, "prefecture", key)) == expected


SAME_NAME = [  # (English name, province, expected): the name alone names two prefectures
    ("Suzhou", "江苏", "pref-320500"), ("Suzhou", "Anhui", "pref-341300"),
    ("Taizhou", "浙江省", "pref-331000"), ("Taizhou", "Jiangsu", "pref-321200"),
    ("Fuzhou", "福建", "pref-350100"), ("Fuzhou", "江西省", "pref-361000"),
    ("Yulin", "Guangxi", "pref-450900"), ("Yulin", "陕西", "pref-610800"),
    ("Yichun", "黑龙江", "pref-230700"), ("Yichun", "Jiangxi", "pref-360900"),
]


@pytest.mark.parametrize("key, province, expected", SAME_NAME)
def test_same_name_prefectures_need_a_province(targets, key, province, expected):
    alone = join_one(targets, "prefecture", key)
    assert alone.matched_rows == 0 and alone.unmatched.loc[0, "reason"] == AMBIGUOUS
    assert matched_id(join_one(targets, "prefecture", key, province)) == expected


# -- zone short forms: (as written, expected feature id)
SHORT_FORMS = [
    ("广州经开区", "etdz-g441034"), ("广州经济开发区", "etdz-g441034"), ("国家级广州经济技术开发区", "etdz-g441034"),
    ("杭州高新区", "hidz-hangzhou"), ("杭州高新技术产业园区", "hidz-hangzhou"),
    ("（国家级）杭州高新区", "hidz-hangzhou"), ("深圳高新区", "hidz-shenzhen"), ("深圳市高新区", "hidz-shenzhen"),
    ("昆山综保区", "customs_zone-g323046"), ("苏州工业园综保区", "customs_zone-g323041"),
    ("郑州新郑综保区", "customs_zone-g413088"), ("上海洋山保税港区", "customs_zone-g313029"),
    ("外高桥保税区", "ftz-waigaoqiao"), ("漕河泾出口加工区", "customs_zone-g313024"),
    ("南京江宁经开区", "etdz-g321085"), ("江苏江宁经济技术开发区", "etdz-g321085"),
    ("武汉东湖高新区", "hidz-wuhan"), ("国家级长沙经开区", "etdz-g431033"),
    ("Guangzhou ETDZ", "etdz-g441034"), ("Ganzhou Hi-tech Zone", "hidz-g362102"), ("Ganzhou HIDZ", "hidz-g362102"),
]


@pytest.mark.parametrize("written, expected", SHORT_FORMS)
def test_zone_short_form_resolves_and_is_reported_as_not_exact(targets, written, expected):
    result = join_one(targets, "feature", written)
    assert matched_id(result) == expected, result.unmatched.to_dict("records")
    resolved = result.resolved.iloc[0]
    assert resolved["row"] == 2 and resolved["key"] == written and resolved["entity_id"] == expected
    assert resolved["how"].startswith("short form") and f"[{expected}]" in resolved["taken_as"]


def test_exact_name_is_not_reported_as_a_resolution(targets):
    result = join_one(targets, "feature", "广州经济技术开发区")
    assert matched_id(result) == "etdz-g441034" and result.resolved.empty


def test_ambiguous_short_form_is_reported_never_picked():
    pts = pd.DataFrame({"id": ["etdz-a", "edz-b"], "name_zh": ["杭州经济技术开发区", "杭州经济开发区"],
                        "name_en": ["", ""], "province_zh": ["浙江省", "浙江省"], "province_en": ["Zhejiang"] * 2,
                        "city": ["杭州市", "杭州市"]})
    result = join_indicators(frame_of(["key", "v"], ("杭州经开区", "1")), upload.feature_targets(pts), "key", ["v"])
    assert result.matched_rows == 0
    row = result.unmatched.iloc[0]
    assert row["reason"] == AMBIGUOUS and "[etdz-a]" in row["closest"] and "[edz-b]" in row["closest"]
    assert row["candidates"] == "edz-b; etdz-a" and row["best"] == ""


def test_a_bare_type_word_never_matches_every_zone(targets):
    for written in ("经开区", "高新区", "综保区", "国家级经济技术开发区"):
        result = join_one(targets, "feature", written)
        assert result.matched_rows == 0 and result.unmatched.loc[0, "reason"] in (NO_MATCH, AMBIGUOUS)


# -- accepted suggestions
def test_unmatched_rows_get_rapidfuzz_candidates_and_an_accepted_one_matches(targets):
    frame = frame_of(["key", "v"], ("漕河泾开发区", "1"), ("杭州高新区", "2"), ("完全不存在的地方", "3"))
    first = join_indicators(frame, targets["feature"], "key", ["v"])
    assert first.matched_rows == 1
    row = first.unmatched.set_index("row").loc[2]
    assert row["reason"] == NO_MATCH and "etdz-g311013" in row["candidates"].split("; ")
    best = upload.unique_best(first.unmatched)
    assert best.get(2) == "etdz-g311013" and 4 not in best
    again = join_indicators(frame, targets["feature"], "key", ["v"], accepted=best)
    assert again.matched_rows == 2 and again.unmatched["row"].tolist() == [4]
    accepted = again.resolved.set_index("row").loc[2]
    assert accepted["how"] == "accepted suggestion" and accepted["entity_id"] == "etdz-g311013"
    assert set(again.indicators["entity_id"]) == {"etdz-g311013", "hidz-hangzhou"}
    assert "75%" in row["closest"].split(";")[0]  # the score travels with the candidate


def test_an_accepted_id_that_does_not_exist_is_ignored(targets):
    frame = frame_of(["key", "v"], ("漕河泾开发区", "1"))
    result = join_indicators(frame, targets["feature"], "key", ["v"], accepted={2: "no-such-id"})
    assert result.matched_rows == 0 and result.unmatched.loc[0, "reason"] == NO_MATCH


# -- level guess
@pytest.mark.parametrize("keys, level", [
    (["广东省", "江苏省", "浙江"], "province"), (["杭州", "宁波市", "Wenzhou"], "prefecture"),
    (["北京市", "上海市"], "province"), (["广州经开区", "sez-shenzhen"], "feature"), (["???"], "feature"),
])
def test_guess_level(targets, keys, level):
    frame = frame_of(["key", "v"], *[(k, "1") for k in keys])
    assert upload.guess_level(frame, "key", targets) == level


# -- template round trip: download -> fill -> upload -> 100 % matched by id
@pytest.mark.parametrize("level", upload.LEVELS)
def test_template_round_trip_matches_every_row(targets, level):
    import io

    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(upload.template_xlsx(targets[level])))
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["id", "name_zh", "name_en"] and header[-1] == "value"
    for i, row in enumerate(ws.iter_rows(min_row=2), start=1):
        row[-1].value = i * 1.5
    buffer = io.BytesIO()
    wb.save(buffer)
    read = read_table(buffer.getvalue(), "filled.xlsx")
    cols = detect_columns(read.frame)
    assert cols.key == "id" and cols.values == ["value"]
    assert upload.guess_level(read.frame, cols.key, targets) == level
    result = join_indicators(read.frame, targets[level], cols.key, cols.values, cols.province, cols.year)
    n = len(targets[level].features)
    assert result.rows_read == n and result.matched_rows == n and result.unmatched.empty and result.resolved.empty


# -- the measured cases (tests/fixtures): every row matched, none silently
def test_zones_as_officials_write_them_all_resolve(targets):
    read = read_table((FIXTURES / "zones_as_officials_write_them.csv").read_bytes(), "zones.csv")
    assert read.encoding == "gbk"
    cols = detect_columns(read.frame)
    assert cols.key == "开发区名称" and cols.values == ["value"]
    assert upload.guess_level(read.frame, cols.key, targets) == "feature"
    result = join_indicators(read.frame, targets["feature"], cols.key, cols.values)
    got = result.table.set_index("upload_row")["matched_id"]
    expected = read.frame["expected_id"]
    assert (got.loc[expected.index] == expected).all(), pd.concat([got, expected], axis=1)
    assert result.matched_rows == 20
    # every row not written exactly as the catalogue prints it is listed
    exact = read.frame[cols.key].isin(data.load_points()["name_zh"])
    assert sorted(result.resolved["row"]) == sorted(read.frame.index[~exact])


def test_provincial_test_table_joins_to_provinces(targets):
    read = read_table((FIXTURES / "provincial_gdp_test.csv").read_bytes(), "gdp.csv")
    cols = detect_columns(read.frame)
    assert upload.guess_level(read.frame, cols.province or cols.key, targets) == "province"
    key = cols.key or cols.province
    result = join_indicators(read.frame, targets["province"], key, cols.values)
    assert result.matched_rows == 10 and result.level == "province"
    assert "prov-44" in set(result.indicators["entity_id"])


# -- class breaks and the legend
@pytest.mark.parametrize("values, edges", [
    ([], []), ([5.0], [5.0, 5.0]), ([1, 1, 1], [1.0, 1.0]), ([1, 2], [1.0, 1.2, 1.4, 1.6, 1.8, 2.0]),
    (list(range(11)), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]), ([1, 1, 1, 1, 9], [1.0, 2.6, 9.0]),
])
def test_class_breaks_are_quantiles_without_repeats(values, edges):
    assert maps.class_breaks(values) == pytest.approx(edges)


def test_every_value_falls_in_one_class_and_the_legend_names_unit_and_source():
    values = pd.Series({"prov-44": 10.0, "prov-32": 9.0, "prov-37": 3.0, "prov-33": 7.0})
    edges = maps.class_breaks(values)
    assert [maps.class_of(v, edges) for v in sorted(values)] == sorted(maps.class_of(v, edges) for v in values)
    assert maps.class_of(values.max(), edges) == len(edges) - 2 and maps.class_of(values.min(), edges) == 0
    html = maps.value_legend_html("GDP <b>", "Unit: test units · source: uploaded: gdp.csv", edges,
                                  maps.class_colours(len(edges) - 1), "no value")
    assert "GDP &lt;b&gt;" in html and "test units" in html and "uploaded: gdp.csv" in html and "no value" in html
    provinces = data.load_layer("province")
    fmap = maps.base_map(provinces, tiles="none")
    maps.add_value_choropleth(fmap, provinces, values, "GDP", "Unit: x", "no value")
    out = fmap.get_root().render()
    assert "atlas-value-legend" in out and maps.CLASS_COLOURS[-1] in out and maps.NO_DATA_FILL in out


@pytest.mark.parametrize("header, key, province", [
    (["省份", "GDP"], "省份", None), (["城市", "省份", "GDP"], "城市", "省份"), (["地市", "GDP"], "地市", None),
    (["名称", "省份", "GDP"], "名称", "省份"), (["city", "province", "GDP"], "city", "province"),
])
def test_regional_tables_get_their_key_column_guessed(header, key, province):
    frame = frame_of(header, *[tuple(["x"] * (len(header) - 1) + ["1"])])
    cols = detect_columns(frame)
    assert (cols.key, cols.province, cols.values) == (key, province, ["GDP"])


@pytest.mark.parametrize("a, b", [
    ("省级余杭经济开发区", "余杭经开区"), ("国家级宁波高新区", "宁波高新技术产业开发区"), ("宁波（梅山）保税港区", "宁波梅山保税港区"),
    ("中国(上海)外高桥综保区", "中国（上海）外高桥综合保税区"), ("满洲里边合区", "满洲里边境经济合作区"),
    ("漕河泾出口加工区", "漕河泾出口加工区"),
])
def test_zone_short_form_keys_agree(a, b):
    assert upload._zone_zh_key(a) == upload._zone_zh_key(b)


def test_the_join_report_in_chinese_has_the_same_counts(targets):
    frame = frame_of(["key", "v"], ("杭州高新区", "1"), ("完全不存在的地方", "2"), ("", ""), ("杭州高新区", "x"))
    result = join_indicators(frame, targets["feature"], "key", ["v"])
    zh = result.report_lines("zh")
    assert zh[0].startswith("读取 4 行：匹配 0 行，未匹配 2 行（空行 1，无匹配 1），重复键 1 组，非数值单元格 1 个")
    assert "无匹配：第 3 行" in zh and "非数值单元格（未使用）：第 5 行" in zh
    assert any(line.startswith("同一对象同一年份出现在多行") for line in zh)
    assert len(zh) == len(result.report_lines("en"))
