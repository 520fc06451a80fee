"""Checks for geodata/sources/sectors/sector_map_catalogue.csv (catalogue 主导产业 term -> sector keys)."""
import csv
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "geodata" / "sources"
CATALOGUE = SOURCES / "catalogue" / "devzones_2018_enriched.csv"
VOCABULARY = SOURCES / "sectors" / "vocabulary.csv"
SECTOR_MAP = SOURCES / "sectors" / "sector_map_catalogue.csv"

SEPARATORS = r"[、，,/／;；]"


def _read(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def _catalogue_terms():
    terms = set()
    for row in _read(CATALOGUE):
        for term in re.split(SEPARATORS, row["主导产业"] or ""):
            term = term.strip()
            if term:
                terms.add(term)
    return terms


@pytest.fixture(scope="module")
def sector_map():
    rows = _read(SECTOR_MAP)
    return {r["term"]: r for r in rows}


def test_columns_and_unique_terms():
    rows = _read(SECTOR_MAP)
    assert list(rows[0].keys()) == ["term", "lang", "sectors", "note"]
    terms = [r["term"] for r in rows]
    assert len(terms) == len(set(terms))
    assert all(r["lang"] == "zh" for r in rows)


def test_every_catalogue_term_is_mapped(sector_map):
    missing = _catalogue_terms() - set(sector_map)
    assert not missing, f"terms missing from the map: {sorted(missing)}"


def test_map_has_no_stray_terms(sector_map):
    stray = set(sector_map) - _catalogue_terms()
    assert not stray, f"terms not in the catalogue: {sorted(stray)}"


def test_keys_are_in_vocabulary(sector_map):
    vocab = {r["key"] for r in _read(VOCABULARY)}
    for term, row in sector_map.items():
        keys = [k for k in row["sectors"].split(";") if k]
        assert len(keys) == len(set(keys)), term
        assert set(keys) <= vocab, (term, keys)


def test_unmapped_terms_are_explained(sector_map):
    for term, row in sector_map.items():
        if not row["sectors"]:
            assert row["note"].startswith("unmapped:"), term
        else:
            assert not row["note"].startswith("unmapped:"), term


# Reviewed sample: term -> exact set of keys.
REVIEWED = [
    ("纺织", {"textiles"}),
    ("服装", {"apparel"}),
    ("装备制造", {"machinery_equipment"}),
    ("电子信息", {"electronics_ict"}),
    ("生物医药", {"biotech_pharma"}),
    ("新材料", {"chemicals_materials"}),
    ("物流", {"logistics_trade"}),
    ("汽车及零部件", {"automobiles_parts"}),
    ("光电", {"electronics_ict", "instruments_optics"}),
    ("光机电一体化", {"instruments_optics"}),
    ("纺织服装", {"textiles", "apparel"}),
    ("纺织鞋服", {"textiles", "footwear_leather", "apparel"}),
    ("家电", {"household_appliances"}),
    ("电气机械器材", {"electrical_equipment"}),
    ("石化", {"chemicals_materials"}),
    ("化纤", {"chemicals_materials"}),
    ("钢铁", {"metallurgy"}),
    ("有色金属加工", {"metallurgy"}),
    ("金属制品", {"hardware_metal"}),
    ("船舶", {"transport_equipment"}),
    ("轨道交通装备", {"transport_equipment"}),
    ("新能源汽车", {"automobiles_parts"}),
    ("光伏", {"new_energy_environment"}),
    ("节能环保", {"new_energy_environment"}),
    ("软件", {"software_services"}),
    ("跨境电商", {"logistics_trade"}),
    ("建材", {"building_materials"}),
    ("家具", {"wood_bamboo_furniture"}),
    ("造纸", {"paper_printing"}),
    ("橡胶轮胎", {"plastics"}),
    ("黄金珠宝", {"toys_crafts"}),
    ("农副产品加工", {"food_agri"}),
    ("医疗器械", {"biotech_pharma"}),
    ("旅游", {"services"}),
    ("金融", {"services"}),
    ("仪器仪表", {"instruments_optics"}),
    ("在建", set()),
    ("加工制造", set()),
]


@pytest.mark.parametrize("term,expected", REVIEWED)
def test_reviewed_pairs(sector_map, term, expected):
    got = {k for k in sector_map[term]["sectors"].split(";") if k}
    assert got == expected
