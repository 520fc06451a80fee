"""Indicator labels: every key in the built indicator table has one readable label in English and Chinese."""
import re

import pandas as pd
import pytest

from dashboard import data
from dashboard.paths import SOURCES

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def labels():
    return data.load_table("indicator_labels")


@pytest.fixture(scope="module")
def indicators():
    return data.load_indicators()


@pytest.fixture(scope="module")
def source_tables():
    """indicator -> the source CSV(s) it comes from (indicators_*.csv)."""
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False, usecols=["indicator"]).assign(table=p.name)
              for p in sorted((SOURCES / "papers").glob("indicators_*.csv"))]
    return pd.concat(frames, ignore_index=True).drop_duplicates()


def test_columns(labels):
    assert list(labels.columns) == ["indicator", "label_en", "label_zh", "note"]


def test_every_built_indicator_has_exactly_one_label(labels, indicators):
    counts = labels["indicator"].value_counts()
    assert not (dupes := sorted(counts[counts > 1].index)), f"keys labelled more than once: {dupes}"
    keys = set(indicators["indicator"])
    assert not (missing := sorted(keys - set(labels["indicator"]))), f"keys without a label: {missing}"
    assert not (extra := sorted(set(labels["indicator"]) - keys)), f"labels for unknown keys: {extra}"


def test_labels_match_the_source_tables(labels, source_tables):
    """The source CSVs (papers' tables and the catalogue's land measurements) have exactly the labelled keys."""
    from dashboard.landuse import LAND_KEYS
    assert set(labels["indicator"]) == set(source_tables["indicator"]) | set(LAND_KEYS)


def test_labels_are_non_empty_in_both_languages(labels):
    for col in ("label_en", "label_zh"):
        blank = labels.loc[labels[col].str.strip() == "", "indicator"].tolist()
        assert not blank, f"empty {col}: {blank}"
        padded = labels.loc[labels[col] != labels[col].str.strip(), "indicator"].tolist()
        assert not padded, f"{col} with leading/trailing spaces: {padded}"


def test_chinese_labels_are_chinese(labels):
    same = labels.loc[labels["label_zh"].str.strip() == labels["label_en"].str.strip(), "indicator"].tolist()
    assert not same, f"label_zh is just the English label: {same}"
    no_cjk = labels.loc[~labels["label_zh"].str.contains(CJK), "indicator"].tolist()
    assert not no_cjk, f"label_zh without Chinese characters: {no_cjk}"


def test_english_labels_are_short_readable_text(labels):
    long = labels.loc[labels["label_en"].str.len() > 65, "indicator"].tolist()
    assert not long, f"label_en longer than 65 characters: {long}"
    raw = labels.loc[labels["label_en"] == labels["indicator"], "indicator"].tolist()
    assert not raw, f"label_en is the raw key: {raw}"
    underscores = labels.loc[labels["label_en"].str.contains("_"), "indicator"].tolist()
    assert not underscores, f"label_en with underscores: {underscores}"
    lower = labels.loc[labels["label_en"].str[0].str.islower(), "indicator"].tolist()
    assert not lower, f"label_en not in sentence case: {lower}"


@pytest.mark.parametrize("col", ["label_en", "label_zh"])
def test_labels_tell_indicators_of_one_source_table_apart(labels, source_tables, col):
    """Two keys of the same source CSV never share a label (they would be indistinguishable on a page)."""
    merged = source_tables.merge(labels[["indicator", col]], on="indicator")
    clashes = merged.groupby(["table", col])["indicator"].agg(sorted)
    clashes = clashes[clashes.str.len() > 1]
    assert clashes.empty, f"{col} shared within a source table: {clashes.to_dict()}"


@pytest.mark.parametrize("col", ["label_en", "label_zh"])
def test_labels_are_unique_across_tables(labels, col):
    """Stricter than per table: one entity's profile can mix tables (``china`` has keys from all three source
    CSVs), so labels are unique overall."""
    counts = labels[col].value_counts()
    assert not (dupes := sorted(counts[counts > 1].index)), f"{col} used by several keys: {dupes}"
