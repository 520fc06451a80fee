"""The papers' product words -> vocabulary sectors (geodata/sources/sectors/sector_map_{zhejiang,004,002_001}.csv),
checked over every product word of the sources and of the built zj_town / cluster layers, plus the
Chinese glossary that makes product search work in both languages.

Style model: tests/unit/test_sector_map_catalogue.py (the catalogue's 主导产业 map)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dashboard import clusters
from dashboard.clusters import ClusterFilter

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "geodata" / "sources"
SECTORS = SOURCES / "sectors"
PAPERS = SOURCES / "papers"
BUILT = ROOT / "geodata" / "layers"
VOCABULARY = SECTORS / "vocabulary.csv"
GLOSSARY = SECTORS / "product_glossary.csv"
PAPER_MAPS = ("sector_map_zhejiang.csv", "sector_map_004.csv", "sector_map_002_001.csv")
HAVE_BUILT = (BUILT / "manifest.json").exists() and (BUILT / "zj_town.geojson").exists()
needs_built = pytest.mark.skipif(not HAVE_BUILT, reason="geodata/layers not built")


def _read(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def _split(text: str) -> list[str]:
    return [t.strip() for t in (text or "").split(";") if t.strip()]


def _vocab() -> set[str]:
    return {r["key"] for r in _read(VOCABULARY)}


def _map_rows() -> list[tuple[str, dict]]:
    return [(name, row) for name in PAPER_MAPS for row in _read(SECTORS / name)]


def _lookup() -> dict[str, set[str]]:
    """lower-case term -> keys, union over the files (as dashboard.build.sector_lookup does)."""
    out: dict[str, set[str]] = {}
    for _, row in _map_rows():
        out.setdefault(row["term"].strip().lower(), set()).update(_split(row["sectors"]))
    return out


def _source_features() -> list[dict]:
    rows = []
    for path in sorted(PAPERS.glob("features_*.csv")):
        rows += [dict(r, source_file=path.name) for r in _read(path)]
    return rows


def _source_product_words() -> set[str]:
    """Every ';'-separated word of `products` (all paper features) and `prefecture_sectors` (Zhejiang)."""
    words = set()
    for row in _source_features():
        words.update(_split(row.get("products", "")))
        words.update(_split(row.get("prefecture_sectors", "")))
    return words


@pytest.fixture(scope="module")
def points():
    from dashboard.data import load_points
    return load_points(BUILT)


@pytest.fixture(scope="module")
def cluster_pts(points):
    return clusters.cluster_points(points)


@pytest.fixture(scope="module")
def glossary() -> dict[str, str]:
    """As dashboard.app.product_glossary builds it (lower-case English -> Chinese)."""
    return {r["term"].strip().lower(): r["term_zh"] for r in _read(GLOSSARY)}


# ------------------------------------------------------------------ the map files themselves

@pytest.mark.parametrize("name", PAPER_MAPS)
def test_paper_map_has_catalogue_columns_and_unique_terms(name):
    rows = _read(SECTORS / name)
    assert rows, name
    assert list(rows[0].keys()) == ["term", "lang", "sectors", "note"]
    terms = [r["term"] for r in rows]
    assert len(terms) == len(set(terms)), [t for t in terms if terms.count(t) > 1]
    assert all(r["lang"] == "en" for r in rows), name


@pytest.mark.parametrize("name", PAPER_MAPS)
def test_paper_map_keys_are_vocabulary_keys_without_repeats(name):
    vocab = _vocab()
    for row in _read(SECTORS / name):
        keys = _split(row["sectors"])
        assert len(keys) == len(set(keys)), row["term"]
        assert set(keys) <= vocab, (row["term"], set(keys) - vocab)


@pytest.mark.parametrize("name", PAPER_MAPS)
def test_paper_map_term_is_unmapped_only_with_an_unmapped_note(name):
    """build.map_terms accepts an empty `sectors` (not a problem), so an empty one must say why."""
    for row in _read(SECTORS / name):
        if not _split(row["sectors"]):
            assert row["note"].startswith("unmapped:"), row["term"]
        else:
            assert not row["note"].startswith("unmapped:"), row["term"]


def test_term_mapped_in_several_files_or_spellings_maps_to_the_same_keys():
    """The build takes the union when a (lower-cased) term is in several rows; pin that they agree,
    so no town silently gets an extra sector from another paper's reading."""
    seen: dict[str, tuple[str, tuple[str, ...]]] = {}
    for name, row in _map_rows():
        key = row["term"].strip().lower()
        keys = tuple(sorted(_split(row["sectors"])))
        if key in seen:
            assert seen[key][1] == keys, (row["term"], name, keys, seen[key])
        else:
            seen[key] = (name, keys)


def test_every_paper_map_term_is_used_by_some_feature():
    """No stray rows: every term of the paper maps occurs in some feature's products / prefecture sectors."""
    used = {w.lower() for w in _source_product_words()}
    stray = sorted(r["term"] for _, r in _map_rows() if r["term"].strip().lower() not in used)
    assert not stray, f"terms of the paper maps no feature uses: {stray}"


# ------------------------------------------------------------------ every product word is mapped

def test_every_source_product_word_is_in_the_sector_map():
    lookup = _lookup()
    missing = sorted(w for w in _source_product_words() if w.lower() not in lookup)
    assert not missing, f"product words not in the sector map: {missing}"


def test_every_source_product_word_maps_to_at_least_one_vocabulary_sector():
    lookup, vocab = _lookup(), _vocab()
    for word in sorted(_source_product_words()):
        keys = lookup.get(word.lower(), set())
        assert keys, f"{word!r} maps to no sector"
        assert keys <= vocab, (word, keys - vocab)


@needs_built
def test_every_built_cluster_product_word_maps_to_a_vocabulary_sector(cluster_pts):
    lookup, vocab = _lookup(), _vocab()
    words = {w for text in cluster_pts["products"].fillna("") for w in _split(text)}
    assert len(words) > 80  # the Zhejiang table alone has well over 60 distinct words
    for word in sorted(words):
        keys = lookup.get(word.lower(), set())
        assert keys and keys <= vocab, (word, keys)


@needs_built
def test_built_cluster_sectors_are_exactly_its_mapped_product_words(cluster_pts):
    """What the Clusters page filters and counts (`sectors`) is the map applied to `products`, in order.
    (Zones merged with the 2018 catalogue add its 主导产业 sectors, so only towns and clusters here.)"""
    lookup = {}
    for _, row in _map_rows():
        keys = lookup.setdefault(row["term"].strip().lower(), [])
        keys += [k for k in _split(row["sectors"]) if k not in keys]
    with_products = cluster_pts[cluster_pts["products"].fillna("").str.strip() != ""]
    assert len(with_products) >= 90
    for fid, rec in with_products.iterrows():
        expected: list[str] = []
        for word in _split(rec["products"]):
            expected += [k for k in lookup[word.lower()] if k not in expected]
        assert list(rec["sectors"]) == expected, (fid, rec["products"], rec["sectors"])


def test_transcribers_sector_column_agrees_with_the_mapped_products():
    """features_*.csv carry the transcriber's `sectors`; where products are given they must equal the map's."""
    lookup = {}
    for _, row in _map_rows():
        keys = lookup.setdefault(row["term"].strip().lower(), [])
        keys += [k for k in _split(row["sectors"]) if k not in keys]
    for row in _source_features():
        words = _split(row["products"])
        if not words:
            continue
        expected: list[str] = []
        for word in words:
            expected += [k for k in lookup[word.lower()] if k not in expected]
        assert _split(row["sectors"]) == expected, (row["id"], row["products"], row["sectors"])


@needs_built
def test_only_the_unreadable_shizikou_entry_has_neither_products_nor_sectors(cluster_pts):
    empty = cluster_pts[cluster_pts["sectors"].map(lambda s: not s)]
    towns = set(empty[empty["layer"] == "zj_town"].index)
    assert towns == {"zj-shizikou"}  # 'finishing of..???' in 003: product incomplete in the source
    assert "incomplete" in cluster_pts.loc["zj-shizikou", "note"]
    # the Zhongguancun sub-parks other than Haidian / THSP: 002 names them without any field
    assert set(empty[empty["layer"] == "cluster"].index) == {
        "cl-zgc-changping", "cl-zgc-desheng", "cl-zgc-electronic-zone", "cl-zgc-fengtai",
        "cl-zgc-jianxiang", "cl-zgc-yizhuang"}


# ------------------------------------------------------------------ reviewed by meaning

# Checked one by one against the vocabulary's notes (vocabulary.csv) and the papers' context.
REVIEWED = [
    # textiles vs apparel: fibre / yarn / fabric / socks -> textiles; garments -> apparel
    ("socks", {"textiles"}),                       # vocabulary: socks under textiles (hosiery as knitted textiles)
    ("textiles", {"textiles"}),
    ("textile fabrics", {"textiles"}),
    ("silk", {"textiles"}),
    ("synthetic fabrics", {"textiles"}),
    ("cashmere sweaters", {"apparel"}),            # garments, not the cashmere fibre
    ("woollen jumpers", {"apparel"}),
    ("sweaters", {"apparel"}),
    ("shirts", {"apparel"}),
    ("ties", {"apparel"}),
    ("suits", {"apparel"}),
    ("children's clothing", {"apparel"}),
    ("protective clothing", {"apparel"}),
    ("chemical fibre", {"chemicals_materials"}),   # vocabulary: chemical fibre under chemicals
    # footwear & leather
    ("footwear", {"footwear_leather"}),
    ("shoes", {"footwear_leather"}),
    ("leather shoes", {"footwear_leather"}),
    ("leather", {"footwear_leather"}),
    ("bags", {"footwear_leather"}),
    # small commodities
    ("lighters", {"light_consumer"}),
    ("cigarette lighters", {"light_consumer"}),
    ("buttons", {"light_consumer"}),
    ("umbrellas", {"light_consumer"}),
    ("toothbrushes", {"light_consumer"}),
    # toys, crafts, jewellery
    ("cultured pearls", {"toys_crafts"}),          # vocabulary: pearls under toys, crafts & stationery
    ("toys", {"toys_crafts"}),
    ("wood toys", {"toys_crafts", "wood_bamboo_furniture"}),
    ("shuttlecocks", {"toys_crafts"}),
    ("craft products", {"toys_crafts"}),
    # electrical vs household appliances
    ("low-voltage electrical appliances", {"electrical_equipment"}),
    ("circuit breakers", {"electrical_equipment"}),
    ("multicoloured lights", {"electrical_equipment"}),  # lighting
    ("household appliances", {"household_appliances"}),
    ("gas appliances", {"household_appliances"}),
    # hardware / metal / machinery
    ("hardware", {"hardware_metal"}),
    ("nails", {"hardware_metal"}),
    ("safes", {"hardware_metal"}),
    ("razors", {"hardware_metal"}),
    ("steel", {"metallurgy"}),
    ("machine parts", {"machinery_equipment"}),
    ("industrial moulds", {"machinery_equipment"}),
    # building materials, wood
    ("ceramic tiles", {"building_materials"}),
    ("cement", {"building_materials"}),
    ("construction materials", {"building_materials"}),
    ("furniture", {"wood_bamboo_furniture"}),
    ("bamboo products", {"wood_bamboo_furniture"}),
    # vehicles
    ("automobiles", {"automobiles_parts"}),
    ("automobile parts", {"automobiles_parts"}),
    ("automobile and motorcycle parts", {"automobiles_parts"}),
    ("hydraulic power steering systems", {"automobiles_parts"}),
    # high tech
    ("software", {"software_services"}),
    ("electronics", {"electronics_ict"}),
    ("liquid crystal display (LCD)", {"electronics_ict"}),
    ("opto-electronics", {"electronics_ict", "instruments_optics"}),
    ("opto-mechatronics", {"instruments_optics"}),
    ("optomechatronics", {"instruments_optics"}),
    ("watches", {"instruments_optics"}),
    ("glasses", {"instruments_optics"}),           # eyewear (Wenzhou), not glassware
    ("measuring instruments", {"instruments_optics"}),
    ("biotech", {"biotech_pharma"}),
    ("pharmaceutical", {"biotech_pharma"}),
    ("photovoltaic", {"new_energy_environment"}),
    ("wind power", {"new_energy_environment"}),
    # other
    ("plastics", {"plastics"}),
    ("printing", {"paper_printing"}),
    ("card paper processing", {"paper_printing"}),
    ("farming", {"food_agri"}),
    ("salty foods", {"food_agri"}),
    ("foreign trade", {"logistics_trade"}),
    ("accessories market", {"logistics_trade", "light_consumer"}),  # Yiwu's 小商品市场
]


def test_reviewed_sample_is_large_and_has_no_repeats():
    terms = [t for t, _ in REVIEWED]
    assert len(terms) >= 40 and len(terms) == len(set(terms))


@pytest.mark.parametrize("term,expected", REVIEWED, ids=[t for t, _ in REVIEWED])
def test_reviewed_product_word_maps_to_expected_sector(term, expected):
    assert _lookup()[term.lower()] == expected


# ------------------------------------------------------------------ Chinese glossary and product search

def test_every_source_product_word_has_a_chinese_glossary_entry(glossary):
    missing = sorted(w for w in _source_product_words() if not glossary.get(w.lower(), "").strip())
    assert not missing, f"product words without a Chinese equivalent (Chinese search misses them): {missing}"


def test_glossary_terms_are_unique_and_have_no_stray_terms():
    rows = _read(GLOSSARY)
    terms = [r["term"] for r in rows]
    assert len(terms) == len(set(terms))
    stray = sorted(set(terms) - _source_product_words())
    assert not stray, f"glossary terms no feature uses: {stray}"


GLOSSARY_REVIEWED = [("socks", "袜子"), ("cigarette lighters", "打火机"), ("lighters", "打火机"), ("buttons", "纽扣"),
                     ("cultured pearls", "养殖珍珠"), ("cashmere sweaters", "羊绒衫"), ("wood toys", "木制玩具"),
                     ("toothbrushes", "牙刷"), ("low-voltage electrical appliances", "低压电器"),
                     ("hardware", "五金"), ("ties", "领带"), ("umbrellas", "雨伞"), ("ceramic tiles", "陶瓷砖")]


@pytest.mark.parametrize("term,zh", GLOSSARY_REVIEWED, ids=[t for t, _ in GLOSSARY_REVIEWED])
def test_glossary_gives_the_chinese_product_word(glossary, term, zh):
    assert glossary[term] == zh


# q -> exact set of towns/clusters it must find (looked up in 003/004 and the built layers)
SEARCHES = [
    ("袜", {"zj-datang"}),                                   # 袜子 via the glossary
    ("袜子", {"zj-datang"}),
    ("socks", {"zj-datang"}),
    ("SOCKS", {"zj-datang"}),                                # case-insensitive
    ("  socks ", {"zj-datang"}),                             # stripped
    ("lighters", {"zj-wenzhou", "zj-wenzhou-lighters"}),     # 003 prose + 004's Lucheng cigarette lighters
    ("打火机", {"zj-wenzhou", "zj-wenzhou-lighters"}),
    ("buttons", {"zj-yongjia"}),                             # Yongjia (Qiaotou's buttons)
    ("纽扣", {"zj-yongjia"}),
    ("pearls", {"zj-shanxiahu"}),
    ("珍珠", {"zj-shanxiahu"}),
    ("cashmere", {"zj-puyuan"}),
    ("羊绒", {"zj-puyuan"}),
    ("toothbrush", {"cl-hangji"}),
    ("牙刷", {"cl-hangji"}),
    ("ties", {"zj-shengzhou"}),
    ("领带", {"zj-shengzhou"}),
    ("低压电器", {"zj-liushi"}),
    ("umbrellas", {"zj-nanyang", "zj-longquan"}),
    ("wood toys", {"zj-yunhe"}),
    ("大唐", {"zj-datang"}),                                 # Chinese name
    ("no-such-product-xyz", set()),
]


@needs_built
@pytest.mark.parametrize("q,expected", SEARCHES, ids=[q.strip() or q for q, _ in SEARCHES])
def test_product_search_finds_the_right_towns(points, glossary, q, expected):
    found = set(clusters.apply(points, ClusterFilter(q=q), glossary).index)
    assert found == expected


@needs_built
def test_chinese_search_needs_the_glossary(points):
    """Without the glossary a Chinese product word finds nothing: the Chinese comes only from it."""
    assert clusters.apply(points, ClusterFilter(q="袜"), {}).empty
    assert clusters.apply(points, ClusterFilter(q="袜"), None).empty
