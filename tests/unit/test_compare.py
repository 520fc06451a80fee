"""Compare for an audience: the facts that matter first (type, level, year, area, industries, the latest value
of each shared indicator with its year), provenance apart, areas on the same kind of facts."""
import pandas as pd
import pytest

from dashboard import charts, compare, data
from dashboard.i18n import t
from dashboard.layers import LAYERS
from dashboard.references import Catalogue

POINTS = data.load_points()
PROVINCES = data.load_layer("province")
REFS = Catalogue(data.load_table("references"))
LABELS = dict(zip(*[data.load_table("indicator_labels")[c] for c in ("indicator", "label_en")]))


def localised(ids, lang="en"):
    rows = compare.shared_indicators(data.load_indicators(), ids)
    return charts.localise(rows, lang, LABELS, lambda s: REFS.short(s, lang))


def test_feature_facts_lead_with_what_matters_and_keep_provenance_apart():
    ids = ["sez-shenzhen", "hidz-nanjing"]
    facts, prov = compare.feature_comparison(POINTS, ids, "en", {})
    order = list(facts.index)
    assert order[:3] == ["Type", "Level", "Province"]
    assert order.index("Year") < order.index("Approved area") < order.index("Leading industries (catalogue)")
    # names are the columns' headers: not a fact row, so never highlighted as a difference
    assert "English name" not in order and "Chinese name" not in order
    assert {"English name", "Source", "Location", "Catalogue code"} <= set(prov.index)
    assert facts.loc["Level", "hidz-nanjing"] == "national (approved by the State Council)"  # catalogue code G…
    assert facts.loc["Level", "sez-shenzhen"] == "national"  # the layer registry; no catalogue row says who approved it
    assert facts.loc["Year", "hidz-nanjing"] == "1991"  # the year alone; what it means is provenance
    assert "2018 catalogue" in prov.loc["About the year", "hidz-nanjing"]
    assert facts.loc["Approved area", "hidz-nanjing"].endswith("km²")


@pytest.mark.parametrize("lang, national, provincial", [
    ("en", "national (approved by the State Council)", "provincial (approved by the provincial government)"),
    ("zh", "国家级（国务院批准）", "省级（省政府批准）")])
def test_level_says_who_approved_where_the_catalogue_says(lang, national, provincial):
    prov_zone = POINTS[POINTS["layer"] == "prov_edz"].index[0]
    facts, _ = compare.feature_comparison(POINTS, ["hidz-nanjing", prov_zone], lang, {})
    assert facts.iloc[1].tolist() == [national, provincial]


def test_provenance_cites_short_references():
    _, prov = compare.feature_comparison(POINTS, ["sez-shenzhen", "hidz-nanjing"], "en", {},
                                         cite=lambda s: REFS.short(s, "en"))
    assert prov.loc["Source", "hidz-nanjing"].startswith("Zeng 2011, World Bank PRWP, Annex A")
    assert "004_" not in " ".join(prov.loc["Source"])


def test_latest_value_of_each_shared_indicator_with_its_year_and_footnote():
    ids = ["sez-shenzhen", "sez-zhuhai"]
    values, sources = compare.latest_values(localised(ids))
    row = [i for i in values.index if i.startswith("Exports")][0]
    # Table 1.4: 2008 is the latest column, printed for January–November
    assert values.loc[row, "sez-shenzhen"].startswith("163.78 (2008, partial year")
    assert sources.loc[row, "sez-shenzhen"].startswith("Zeng 2011, World Bank PRWP, Table 1.4")
    assert set(values.columns) == set(ids)


def test_differences_are_marked_row_by_row():
    table = pd.DataFrame({"a": ["x", "1", "—"], "b": ["x", "2", "3"]}, index=["same", "differs", "one lacks"])
    assert compare.differing_rows(table).tolist() == [False, True, True]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_areas_compare_on_the_same_kind_of_facts(lang):
    ids = ["region-yrd", "prov-44"]
    table = compare.area_comparison(POINTS, PROVINCES, ids, lang, {})
    assert list(table.index[:3]) == [t("f_type", lang), t("f_region", lang), t("area_first_year", lang)]
    assert table.loc[t("f_type", lang), "prov-44"] == t("area_province", lang)
    assert table.loc[t("area_first_year", lang), "prov-44"] == "1980"  # Shenzhen, Zhuhai, Shantou SEZs
    total = int(table.loc[t("area_zones_total", lang), "prov-44"].replace(",", ""))
    inside = POINTS[(POINTS["adcode"].astype(str).str[:2] == "44")]
    assert total == int(inside["layer"].map(lambda lid: LAYERS[lid].zone).sum())
    assert t("f_sectors", lang) in table.index


def test_number_text():
    assert compare.number_text(1234567.0) == "1,234,567"
    assert compare.number_text(163.78) == "163.78"
    assert compare.number_text(0.0345) == "0.0345"
    assert compare.number_text(float("nan")) == compare.DASH
    assert compare.number_text(538604.76, "persons") == "538,605"  # whole persons (a modelled sum)
    assert compare.number_text(538604.76, "人") == "538,605"
    assert compare.number_text(538604.76) == "538,604.76"  # other units: as printed
