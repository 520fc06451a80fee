"""Exported images and decks, opened with their own libraries: PNG (Pillow), SVG (XML), PPTX (python-pptx),
PDF (pypdf). Sizes, slide counts, titles, source lines, Chinese text; hostile names cannot break an export."""
from __future__ import annotations

import io
import os
import warnings
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from dashboard import data, filters, references, slides, stories
from dashboard.filters import MapState
from dashboard.paths import STORIES_DIR
from tests import hostile_data as H

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def atlas():
    points = data.load_points()
    return {"points": points, "provinces": data.load_layer("province"), "indicators": data.load_indicators(),
            "zj_county": data.load_layer("zj_county"), "manifest": data.load_manifest()}


@pytest.fixture(scope="module")
def story(atlas):
    vocab = stories.vocab_from_frames(atlas["points"], atlas["indicators"])
    return stories.load_story(STORIES_DIR / "thirty-years.yaml", vocab)


def svg_text(svg: bytes) -> str:
    root = ET.fromstring(svg)  # raises on anything that is not well-formed XML
    return " ".join("".join(el.itertext()) for el in root.iter(f"{SVG_NS}text"))


def pptx_texts(deck):
    return [{shape.name: shape.text_frame.text for shape in slide.shapes if shape.has_text_frame} for slide in deck.slides]


def map_slide(atlas, lang="en", points=None, title="Zones and clusters"):
    pts = atlas["points"] if points is None else points
    state = MapState(layers=("sez", "hidz"), provinces=("Guangdong",))
    selected = filters.apply_filters(pts, state)
    zone = selected.iloc[0]
    return slides.map_slide(selected, atlas["provinces"], state.layers, title,
                            slides.layers_source_line(atlas["manifest"], state.layers), lang,
                            highlight=(zone.geometry.x, zone.geometry.y, slides.display_name(zone.name_en, zone.name_zh)))


def test_a_cjk_font_is_found():
    if slides.cjk_font() is None:
        if os.environ.get("CI"):
            pytest.fail("no CJK font: make browser-deps installs Debian's fonts-noto-cjk")
        pytest.skip(slides.font_problem())
    assert slides.font_problem() == ""


def test_map_png_is_a_16_9_slide(atlas):
    png = slides.render(map_slide(atlas), "png")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (1920, 1080)
    # not blank: the land, the points and the text make many colours
    assert len(image.convert("RGB").getcolors(maxcolors=100_000) or range(100_001)) > 50


def test_map_svg_keeps_title_legend_and_source_as_text(atlas):
    text = svg_text(slides.render(map_slide(atlas, title="Guangdong's zones"), "svg"))
    assert "Guangdong's zones" in text
    assert "Boundaries: DataV.GeoAtlas / AMap" in text  # the source line
    assert "Layers (features shown)" in text and "HIDZ" in text and "km" in text  # legend and scale bar


def test_chinese_slide_has_chinese_text_and_no_missing_glyphs(atlas):
    if slides.cjk_font() is None:
        pytest.skip(slides.font_problem())
    slide = map_slide(atlas, "zh", title="广东省的开发区")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    import matplotlib
    with matplotlib.rc_context(slides.rc("zh")), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        FigureCanvasAgg(slides.draw_slide(slide)).draw()
    assert not [w for w in caught if "missing from font" in str(w.message)], "tofu boxes in the Chinese slide"
    text = svg_text(slides.render(slide, "svg"))
    assert "广东省的开发区" in text and "来源" in text and "高新区" in text


def test_story_deck_pptx(atlas, story):
    from pptx import Presentation
    refs = references.Catalogue(data.load_table("references"))
    deck_slides = slides.story_slides(story, "en", atlas["points"], atlas["provinces"], atlas["indicators"],
                                      zj_counties=atlas["zj_county"], cite=refs.short)
    deck = Presentation(io.BytesIO(slides.to_pptx(deck_slides, story.title("en"))))
    assert len(deck.slides) == len(story.steps)
    assert deck.slide_width * 9 == deck.slide_height * 16
    texts = pptx_texts(deck)
    for step, shapes in zip(story.steps, texts):
        assert shapes["Title"] == step.title("en")
        assert shapes["Source"] == "Source: " + refs.short("; ".join(step.sources))
        assert not references.RAW_FILE_NAME.search(shapes["Source"]), shapes["Source"]
        assert shapes["Text"].startswith(step.text("en")[:40])
    for slide in deck.slides:  # every slide has its picture, drawn for its box at the slides' resolution
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pictures) == 1
        image = Image.open(io.BytesIO(pictures[0].image.blob))
        assert image.size[0] > 800 and image.size[1] > 600
        assert abs(image.size[0] / image.size[1] - pictures[0].width / pictures[0].height) < 0.02


def test_story_deck_in_chinese(atlas, story):
    from pptx import Presentation
    deck_slides = slides.story_slides(story, "zh", atlas["points"], atlas["provinces"], atlas["indicators"])
    deck = Presentation(io.BytesIO(slides.to_pptx(deck_slides)))
    texts = pptx_texts(deck)
    assert [s["Title"] for s in texts] == [step.title("zh") for step in story.steps]
    assert all(s["Source"].startswith("来源：") for s in texts)
    assert any("经济特区" in s["Text"] for s in texts)


def test_story_pdf(atlas, story):
    from pypdf import PdfReader
    deck_slides = slides.story_slides(story, "en", atlas["points"], atlas["provinces"], atlas["indicators"])
    reader = PdfReader(io.BytesIO(slides.to_pdf(deck_slides, story.title("en"))))
    assert len(reader.pages) == len(story.steps)
    box = reader.pages[0].mediabox
    assert round(float(box.width) / float(box.height), 3) == round(16 / 9, 3)
    for step, page in zip(story.steps, reader.pages):
        text = page.extract_text()
        assert step.title("en").split(":")[0] in text
        assert "Source:" in text


def test_compare_and_profile_decks(atlas):
    from pptx import Presentation
    from pypdf import PdfReader
    ids = ["sez-shenzhen", "sez-xiamen", "prov-44"]
    refs = references.Catalogue(data.load_table("references"))
    deck = slides.compare_deck(ids, "en", atlas["points"], atlas["provinces"], atlas["indicators"], cite=refs.short)
    assert len(deck) >= 2  # the facts, then the shared indicators
    pptx = Presentation(io.BytesIO(slides.to_pptx(deck)))
    first = pptx_texts(pptx)[0]
    heading = first["Title"] + " " + first.get("Subtitle", "")
    assert "Shenzhen" in heading and "Xiamen" in heading and "Guangdong" in heading
    assert "Zeng 2011" in first["Source"] and not references.RAW_FILE_NAME.search(first["Source"])
    assert "Shenzhen" in svg_text(slides.render(deck[0], "svg"))

    profile = slides.profile_deck("zj-pinghu", "zh", atlas["points"], atlas["provinces"], atlas["indicators"])
    indicator_slides = [s for s in profile if s.subtitle.startswith("指标")]
    assert 1 <= len(indicator_slides) <= slides.MAX_INDICATOR_SLIDES
    assert "更多" in profile[-1].subtitle or "另有" in profile[-1].subtitle  # says how many indicators are left out
    reader = PdfReader(io.BytesIO(slides.to_pdf(profile[:2])))
    assert len(reader.pages) == 2
    assert "平湖" in reader.pages[0].extract_text()  # Chinese text stays text in the PDF
    image = Image.open(io.BytesIO(slides.render(profile[0], "png")))
    assert image.size == (1920, 1080)


def test_facts_are_split_over_slides_never_dropped(atlas):
    rows = [(f"fact {i}", ["a long value " * (i % 4 + 1), "深圳" * (i % 7 + 1)]) for i in range(40)]
    pages = slides.paginate_facts(["A", "B"], rows, 8.0, 14)
    assert len(pages) > 1
    assert [row for page in pages for row in page] == rows
    deck = slides.compare_slides(["A", "B"], rows, [], "Compare", "a source", "en")
    assert len(deck) == len(slides.paginate_facts(["A", "B"], rows, 14.9, 14))  # no chart: the facts span the slide
    assert all("continued" in s.subtitle for s in deck[1:])


def test_ranking_slide(atlas):
    from dashboard import regions
    table = regions.province_table(atlas["points"], atlas["provinces"])
    ranked = table[table["zones_total"] > 0].sort_values("zones_total", ascending=False)
    slide = slides.ranking_slide(list(ranked["name_en"]), list(ranked["zones_total"]), "Zones", "Provinces ranked",
                                 "Zones: 2018 national catalogue", "en")
    text = svg_text(slides.render(slide, "svg"))
    assert "Jiangsu" in text and "Tibet" in text  # both ends of the ranking: no province dropped
    assert "Zones: 2018 national catalogue" in text


def test_wrap_keeps_every_character():
    text = "深圳经济特区" * 20 + " and a long English sentence with words " * 5
    wrapped = slides.wrap(text, 3.0, 20)
    assert wrapped.replace("\n", "").replace(" ", "") == text.replace(" ", "")
    assert max(slides.text_width(line) for line in wrapped.split("\n")) <= 3.0 * 72 / 20 + 1


# -- hostile names

EXTRA = {"name_en": "$\\frac{1}{$ <b>\x0bbold\x00</b> ]]> &amp; {{ 7*7 }}", "name_zh": "深圳\x1b$x^$"}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, atlas):
    folder = H.make_hostile_layers(tmp_path_factory.mktemp("hostile-layers"))
    points = data.load_points(folder)
    for key, value in EXTRA.items():  # mathtext and characters XML cannot hold
        points.loc[H.TICK, key] = value
    return {**atlas, "points": points, "provinces": data.load_layer("province", folder)}


def test_hostile_names_do_not_break_any_export(hostile, story):
    from pptx import Presentation
    from pypdf import PdfReader
    pts, prov, ind = hostile["points"], hostile["provinces"], hostile["indicators"]
    zone = pts.loc[H.ZONE]
    views = [
        slides.map_slide(pts, prov, ("sez",), H.SCRIPT, H.IFRAME, "en",
                         highlight=(zone.geometry.x, zone.geometry.y, zone.name_en)),
        slides.map_slide(pts[pts["id"] == H.TICK], prov, ("sez",), EXTRA["name_en"], EXTRA["name_zh"], "zh",
                         highlight=(zone.geometry.x, zone.geometry.y, EXTRA["name_en"])),
        *slides.compare_deck([H.ZONE, H.TICK, H.PROVINCE], "en", pts, prov, ind)[:2],  # facts, first chart
        *slides.profile_deck(H.ZONE, "zh", pts, prov, ind)[:2],
        *slides.profile_deck(H.TICK, "en", pts, prov, ind)[:1],
        *slides.profile_deck(H.TOWN, "en", pts, prov, ind)[:1],
        *slides.story_slides(story, "en", pts, prov, ind)[1:2],  # step 2 rings Shenzhen and Xiamen
    ]
    for k, slide in enumerate(views):
        if k < 2:  # PNG draws what SVG draws; the SVG's XML is what a name could break
            assert Image.open(io.BytesIO(slides.render(slide, "png"))).size == (1920, 1080)
        svg_text(slides.render(slide, "svg"))  # well-formed XML
    text = svg_text(slides.render(views[0], "svg"))
    assert H.SCRIPT in text  # shown as the text it is
    deck = Presentation(io.BytesIO(slides.to_pptx(views)))
    assert len(deck.slides) == len(views)
    assert pptx_texts(deck)[0]["Title"] == H.SCRIPT
    assert len(PdfReader(io.BytesIO(slides.to_pdf(views))).pages) == len(views)


def test_exports_in_parallel_threads_keep_their_own_fonts(atlas):
    """Streamlit builds downloads in several threads; matplotlib's settings are global."""
    import re
    from concurrent.futures import ThreadPoolExecutor
    if slides.cjk_font() is None:
        pytest.skip(slides.font_problem())
    jobs = [slides.map_slide(atlas["points"].head(40), atlas["provinces"], ("sez", "etdz"), f"T-{lang}-{i}", "s", lang)
            for i, lang in enumerate(["en", "zh"] * 3)]
    with ThreadPoolExecutor(4) as pool:
        svgs = list(pool.map(lambda s: slides.render(s, "svg").decode(), jobs))
    for slide, svg in zip(jobs, svgs):
        family = re.search(r"font-family: '([^']+)'[^>]*>" + re.escape(slide.title) + "<", svg).group(1)
        assert family == ("DejaVu Sans" if slide.lang == "en" else slides.cjk_font()), (slide.title, family)


def test_filters_text_reads_as_words():
    query = {"layers": "sez", "zone": "sez-shenzhen", "region": "prd,yrd", "coastal": "inland", "sector": "textiles",
             "year_max": "1990", "q": "深圳"}
    en = slides.filters_text(query, "en", {"textiles": "Textiles"})
    assert en == "Region: Pearl River Delta, Yangtze River Delta · Inland · Sector: Textiles · “深圳” · " \
                 "Year established or approved: …–1990"
    zh = slides.filters_text(query, "zh", {"textiles": "纺织"})
    assert "珠三角" in zh and "内陆" in zh and "纺织" in zh and "sez" not in zh
