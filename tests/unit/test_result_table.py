"""The Map's result table in the page's language, with readable citations."""
from dashboard import data, exports
from dashboard.layers import REGION_ZH
from dashboard.references import Catalogue

POINTS = data.load_points()


def test_regions_in_the_page_language_and_sources_as_short_references():
    refs = Catalogue(data.load_table("references"))
    zh = exports.result_table(POINTS, "zh", cite=lambda s: refs.short(s, "zh"))
    assert set(zh["region"].dropna()) <= set(REGION_ZH.values())
    assert zh.loc[zh["id"] == "hidz-nanjing", "source"].item().startswith("Zeng 2011，世界银行政策研究工作论文，附录A")
    en = exports.result_table(POINTS, "en")
    assert "Central" in set(en["region"]) and "central" not in set(en["region"])
    assert en["year"].isna().any()  # kept missing for the downloads; shown as a dash (charts.shown_years)
