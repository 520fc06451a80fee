"""Indicator charts: footnoted years sit where the footnote says; unflagged values are plain circles."""
import pandas as pd
import pytest

from dashboard import charts, data


@pytest.mark.parametrize("year, flag, expected", [
    (1978, "year_substituted:1979", 1979),
    (1978, "preliminary;year_substituted:1980", 1980),
    (2008, "partial_year:Jan-Nov", 2008),
    (2007, "", 2007),
    (2007, "year_substituted:", 2007),  # malformed footnote: keep the printed year
])
def test_actual_year_follows_the_year_footnote(year, flag, expected):
    assert charts.actual_year(year, flag) == expected


@pytest.fixture(scope="module")
def table_1_4_exports():
    ind = data.load_indicators()
    rows = ind[(ind["indicator"] == "exports") & ind["entity_id"].isin(["sez-shenzhen", "sez-shantou"])
               & ind["source"].str.contains("Table 1.4")]
    out = charts.localise(rows, "en", {})
    out["entity"] = out["entity_id"]
    return out


def test_table_1_4_footnoted_1978_row_is_plotted_at_its_real_year(table_1_4_exports):
    spec = charts.indicator_chart(table_1_4_exports, "Exports", entity_col="entity").to_dict()
    values = next(iter(spec["datasets"].values()))
    first = {(v["entity"], v["year"]): v for v in values}
    # 004 Table 1.4: Shenzhen 0.009 ^a (a. 1979), Shantou 0.251 ^b (b. 1980), both printed in the 1978 row
    assert first[("sez-shenzhen", 1979)]["value"] == pytest.approx(0.009)
    assert first[("sez-shantou", 1980)]["value"] == pytest.approx(0.251)
    assert "printed in the 1978 row" in first[("sez-shenzhen", 1979)]["year_str"]
    assert ("sez-shenzhen", 1978) not in first


def test_unflagged_values_are_plain_circles_listed_first(table_1_4_exports):
    spec = charts.indicator_chart(table_1_4_exports, "Exports", entity_col="entity").to_dict()
    shape = spec["layer"][1]["encoding"]["shape"]
    assert shape["scale"]["domain"][0] == "as printed (no footnote)"
    assert shape["scale"]["range"][0] == "circle"
    assert len(shape["scale"]["domain"]) == len(set(shape["scale"]["domain"]))


def test_result_tables_show_a_dash_for_a_missing_year():
    from dashboard.charts import shown_years
    frame = pd.DataFrame({"year": pd.array([1984, None], dtype="Int64"), "x": [1, 2]})
    assert shown_years(frame)["year"].tolist() == ["1984", "—"]
    assert frame["year"].isna().sum() == 1  # the table itself (and its download) keeps the missing value
