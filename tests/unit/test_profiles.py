"""Profile facts: products in the interface language, missing values said once."""
from dashboard import data, profiles

GLOSSARY = {"socks": "袜子", "cashmere sweaters": "羊绒衫"}


def test_products_in_chinese_through_the_glossary_and_as_printed_otherwise():
    assert profiles.products_text("socks; cashmere sweaters; widgets", "zh", GLOSSARY) == "袜子、羊绒衫、widgets"
    assert profiles.products_text("socks; cashmere sweaters", "en", GLOSSARY) == "socks, cashmere sweaters"
    assert profiles.products_text("", "zh", GLOSSARY) == ""


def test_datang_profile_in_chinese_has_no_english_filler():
    rec = data.load_points().loc["zj-datang"].to_dict()
    facts = dict(profiles.facts(rec, "zh", {}, {"socks": "袜子"}))
    assert facts["产品"] == "袜子"
    assert facts["年份"] == "来源未提供"  # the year note 'not given' is not repeated in English


def test_a_year_note_that_explains_stays():
    rec = data.load_points().loc["cl-hangji"].to_dict()
    year = dict(profiles.facts(rec, "en"))["Year"]
    assert year.startswith("not given in the sources (") and "Qing" in year
