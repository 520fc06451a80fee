"""Slides and images of any view, rendered on the server (no browser). Pure: no Streamlit.

A view becomes one or more `Slide`s (title, text, a drawn visual, source line); a slide renders to a
16:9 PNG (1920×1080), SVG or PDF page, and a list of slides to a PowerPoint deck (native title, text and
source, the visual as a picture) or a PDF (one page per slide, vector). Colours come from `layers.py`
(map points) and `charts.ENTITY_COLOURS` (indicator charts), as on screen.

Chinese text needs a CJK font: `cjk_font()` finds Noto Sans CJK (Debian `fonts-noto-cjk`) through
matplotlib's font manager; without one, `font_problem()` says so and Chinese renders as boxes.

Every text reaches matplotlib with mathtext off (a `$` in a name stays a dollar sign) and without
characters XML cannot carry, so no feature name can break an export.
"""
from __future__ import annotations

import io
import math
import re
import threading
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

import matplotlib

matplotlib.use("Agg")  # no display on the server; harmless if already set

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from .charts import ENTITY_COLOURS, is_series  # noqa: E402
from .i18n import t  # noqa: E402
from .layers import LAYERS, POINT_LAYER_IDS  # noqa: E402

SLIDE_IN = (16.0, 9.0)  # inches: 16:9
DPI = 120  # -> 1920 × 1080 px
MARGIN = 0.55  # inches around the slide
TITLE_PT, SUBTITLE_PT, TEXT_PT, SOURCE_PT = 34, 18, 21, 12
INK, MUTED, RULE = "#1a1a1a", "#5a5a5a", "#c8c8c8"
LAND, LAND_EDGE, SEA = "#f3f0e8", "#8c8c8c", "#ffffff"  # land never blue: white sea, warm grey land
# a pale box behind labels on the map (not a path effect: that turns SVG text into outlines)
HALO = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.75}
# Albers equal-area for China (standard parallels 25° N, 47° N): shapes and the scale bar stay honest
CHINA_CRS = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +datum=WGS84 +units=m +no_defs"
CHINA_EXTENT = (73.0, 17.5, 135.5, 54.0)  # lon/lat of the whole-country view (islands in the inset)
SCS_EXTENT = (106.0, 3.0, 123.5, 24.5)  # South China Sea inset, as printed maps of China carry it
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK JP", "Source Han Sans SC",
                "WenQuanYi Zen Hei", "Noto Serif CJK SC")
XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
WIDE = re.compile(r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")


# ------------------------------------------------------------------ fonts and text

@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed CJK font matplotlib can use, or None."""
    from matplotlib import font_manager
    for attempt in range(2):
        names = {f.name for f in font_manager.fontManager.ttflist}
        found = next((name for name in CJK_FAMILIES if name in names), None)
        if found or attempt:
            return found
        # matplotlib caches its font list: a font installed after that cache was written is seen only on a rescan
        font_manager.fontManager = font_manager._load_fontmanager(try_read_cache=False)
    return None


def font_problem(lang: str = "en") -> str:
    """A sentence for the page when no CJK font is installed (empty when one is)."""
    return "" if cjk_font() else t("x_no_cjk_font", lang)


def rc(lang: str = "en") -> dict:
    """matplotlib settings for a slide. English text in DejaVu Sans (which matplotlib ships) with the CJK font
    as fallback for Chinese names; Chinese text in the CJK font (its punctuation is full-width)."""
    cjk = [cjk_font()] if cjk_font() else []
    # PDF fonts as Type 3 subsets: embedding the 20 MB CJK collection as Type 42 takes ~1 s per font and page set,
    # Type 3 a tenth of that; both keep the text extractable (ToUnicode)
    family = cjk + ["DejaVu Sans"] if lang == "zh" else ["DejaVu Sans"] + cjk
    return {"font.family": family, "text.parse_math": False, "svg.fonttype": "none",
            "pdf.fonttype": 3, "axes.titleweight": "bold", "axes.unicode_minus": False,
            "svg.hashsalt": "atlas"}  # the same figure gives the same SVG


def clean(value) -> str:
    """Any value as printable text: None/NaN -> "", characters XML cannot hold removed."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return XML_BAD.sub("", str(value))


def text_width(text: str) -> float:
    """Width in ems (full-width CJK 1, Latin at most about 0.6: a wrapped line never runs over)."""
    return sum(1.0 if WIDE.match(ch) else 0.6 for ch in text)


NO_LINE_START = set("，。、；：？！）」』”’》〉】,.;:?!)")  # punctuation that never begins a line


def wrap(text: str, width_in: float, size_pt: float, max_lines: int | None = None) -> str:
    """Wrap for a box `width_in` inches wide at `size_pt`; CJK wraps between characters, Latin between words."""
    ems = max(4.0, width_in * 72 / size_pt)
    lines: list[str] = []
    for para in clean(text).split("\n"):
        line = ""
        for token in re.findall(r"[\u1100-\uffe6]|[^\s\u1100-\uffe6]+\s*|\s+", para):
            fits = text_width(line + token.rstrip()) <= ems or (token in NO_LINE_START and text_width(line) <= ems)
            if fits or not line:
                while text_width(token.rstrip()) > ems:  # a word longer than the line
                    cut = max(1, int(len(token) * ems / text_width(token)) - 1)
                    lines.append(line + token[:cut])
                    line, token = "", token[cut:]
                line += token
            else:
                lines.append(line.rstrip())
                line = token.lstrip()
        lines.append(line.rstrip())
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, len(lines[-1]) - 2)] + "…"
    return "\n".join(lines)


def fit_text(text: str, width_in: float, height_in: float, sizes=(TEXT_PT, 19, 17, 15)) -> tuple[float, str]:
    """The largest of `sizes` at which `text` fits the box (wrapped); at the smallest, cut with '…'."""
    for size in sizes:
        lines = max(1, int(height_in * 72 / (size * 1.45 * 1.18)))
        wrapped = wrap(text, width_in, size)
        if wrapped.count("\n") + 1 <= lines:
            return size, wrapped
    return sizes[-1], wrap(text, width_in, sizes[-1], lines)


TEXT_COLUMNS_IN = (5.0, 5.8, 6.6)  # a longer text gets a wider column before smaller type


def text_column(text: str, height_in: float, sizes=(TEXT_PT, 19, 17)) -> tuple[float, float, str]:
    """(column width, type size, wrapped text) for a slide's text beside its visual: the narrowest column
    in which the text fits at one of `sizes`; else the widest column at the size `fit_text` finds."""
    for col in TEXT_COLUMNS_IN:
        size, wrapped = fit_text(text, col - 0.2, height_in, sizes)
        lines = max(1, int(height_in * 72 / (size * 1.45 * 1.18)))
        if wrapped.count("\n") + 1 <= lines and not wrapped.endswith("…"):
            return col, size, wrapped
    col = TEXT_COLUMNS_IN[-1]
    return (col, *fit_text(text, col - 0.2, height_in))


def short(text: str, n: int = 60) -> str:
    text = clean(text).replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


# ------------------------------------------------------------------ slides

Visual = Callable[[Figure, tuple[float, float, float, float]], None]


@dataclass
class Slide:
    """One slide: `visual(fig, rect)` draws into the figure-fraction rectangle `rect` (left, bottom, w, h)."""
    title: str
    source: str = ""
    subtitle: str = ""
    text: str = ""
    visual: Visual | None = None
    lang: str = "en"


def _figure(size=SLIDE_IN) -> Figure:
    fig = Figure(figsize=size, dpi=DPI, facecolor="white")
    return fig


def _frac(fig: Figure, left: float, bottom: float, width: float, height: float) -> tuple[float, float, float, float]:
    w, h = fig.get_size_inches()
    return left / w, bottom / h, width / w, height / h


def source_text(slide: Slide) -> tuple[float, str]:
    """The source line, wrapped: whole (a citation is never cut) in up to 3 lines, smaller type if needed."""
    if not slide.source:
        return SOURCE_PT, ""
    text = t("x_source_line", slide.lang, source=slide.source)
    width = SLIDE_IN[0] - 2 * MARGIN - 3.2
    for size in (SOURCE_PT, 11, 10, 9):
        wrapped = wrap(text, width, size)
        if wrapped.count("\n") < 3:
            return size, wrapped
    return 9, wrapped


def _body_box(slide: Slide) -> tuple[float, float, float]:
    """(top of the body, bottom of the body) in inches from the bottom, and the source's height."""
    size, text = source_text(slide)
    source_in = (text.count("\n") + 1) * size * 1.3 / 72 if text else SOURCE_PT * 1.3 / 72
    bottom = MARGIN + source_in + 0.22
    top = SLIDE_IN[1] - MARGIN - 0.72 - (0.42 if slide.subtitle else 0.0) - 0.18
    return top, bottom, source_in


def draw_slide(slide: Slide) -> Figure:
    """The whole slide as a figure: title, subtitle, text column, visual, source line, atlas name."""
    with matplotlib.rc_context(rc(slide.lang)):
        fig = _figure()
        W, H = SLIDE_IN
        fig.text(MARGIN / W, 1 - MARGIN / H, wrap(slide.title, W - 2 * MARGIN, TITLE_PT, 1), fontsize=TITLE_PT,
                 fontweight="bold", color=INK, va="top", ha="left")
        if slide.subtitle:
            fig.text(MARGIN / W, 1 - (MARGIN + 0.72) / H, wrap(slide.subtitle, W - 2 * MARGIN, SUBTITLE_PT, 1),
                     fontsize=SUBTITLE_PT, color=MUTED, va="top", ha="left")
        top, bottom, _ = _body_box(slide)
        fig.add_artist(Line2D([MARGIN / W, 1 - MARGIN / W], [(top + 0.1) / H] * 2, color=RULE, lw=1.2))
        left = MARGIN
        if slide.text:
            if slide.visual:
                col, size, text = text_column(slide.text, top - bottom - 0.1)
            else:
                col = W - 2 * MARGIN
                size, text = fit_text(slide.text, col - 0.2, top - bottom - 0.1)
            fig.text(MARGIN / W, (top - 0.1) / H, text, fontsize=size, color=INK, va="top", ha="left", linespacing=1.45)
            left = MARGIN + col + 0.3
        if slide.visual:
            slide.visual(fig, _frac(fig, left, bottom, W - MARGIN - left, top - bottom - 0.05))
        footer_y = MARGIN / H
        if slide.source:
            size, text = source_text(slide)
            fig.text(MARGIN / W, footer_y, text, fontsize=size, color=MUTED, va="bottom", ha="left", linespacing=1.3)
        fig.text(1 - MARGIN / W, footer_y, t("x_atlas_name", slide.lang), fontsize=SOURCE_PT, color=MUTED,
                 va="bottom", ha="right")
    return fig


# matplotlib's settings are global and it is not thread-safe: Streamlit builds downloads in several threads,
# so one export draws at a time
DRAW_LOCK = threading.RLock()


def _serialised(func):
    from functools import wraps

    @wraps(func)
    def wrapper(*args, **kwargs):
        with DRAW_LOCK:
            return func(*args, **kwargs)
    return wrapper


def _save(fig: Figure, fmt: str, lang: str = "en") -> bytes:
    buf = io.BytesIO()
    with matplotlib.rc_context(rc(lang)), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")  # emoji etc.: a box, no crash
        fig.savefig(buf, format=fmt, dpi=DPI, facecolor=fig.get_facecolor(),
                    metadata={"Creator": "China Zones & Clusters Atlas"} if fmt in ("pdf", "svg") else None)
    return buf.getvalue()


@_serialised
def render(slide: Slide, fmt: str = "png") -> bytes:
    """One slide as PNG (1920×1080), SVG (text kept as text) or a one-page PDF."""
    if fmt not in ("png", "svg", "pdf"):
        raise ValueError(f"unknown image format {fmt!r}: expected png, svg or pdf")
    return _save(draw_slide(slide), fmt, slide.lang)


@_serialised
def visual_png(slide: Slide, size_in: tuple[float, float]) -> bytes:
    """The slide's visual alone, for a picture in a deck."""
    with matplotlib.rc_context(rc(slide.lang)):
        fig = _figure(size_in)
        slide.visual(fig, (0.0, 0.0, 1.0, 1.0))
    return _save(fig, "png", slide.lang)


@_serialised
def to_pdf(slides: Sequence[Slide], title: str = "") -> bytes:
    """A PDF with one 16:9 page per slide (vector: text stays searchable)."""
    from matplotlib.backends.backend_pdf import PdfPages
    buf = io.BytesIO()
    with matplotlib.rc_context(rc(slides[0].lang if slides else "en")), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        with PdfPages(buf, metadata={"Title": clean(title), "Creator": "China Zones & Clusters Atlas"}) as pdf:
            for slide in slides:
                pdf.savefig(draw_slide(slide), facecolor="white")
    return buf.getvalue()


@_serialised
def to_pptx(slides: Sequence[Slide], title: str = "") -> bytes:
    """A 16:9 PowerPoint deck: per slide a title, the text, the visual as a picture and the source line,
    as native text boxes a presenter can edit."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.oxml.ns import qn
    from pptx.util import Emu, Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)  # 13.333 × 7.5 in: 16:9 exactly
    deck.core_properties.title = clean(title)[:255]
    blank = deck.slide_layouts[6]
    scale = 13.333 / SLIDE_IN[0]  # the deck's inches per slide-figure inch
    font = "Arial"  # Latin text; Chinese characters take the east-Asian typeface below

    def box(sl, left, top, width, height, text, size, colour=INK, bold=False):
        shape = sl.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = shape.text_frame
        frame.word_wrap = True
        for i, line in enumerate(clean(text).split("\n")):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = para.add_run()
            run.text = line
            run.font.size, run.font.bold, run.font.name = Pt(size), bold, font
            run.font.color.rgb = RGBColor.from_string(colour.lstrip("#"))
            if cjk_font():  # Chinese characters in the CJK font on machines that have it
                run._r.get_or_add_rPr().append(run._r.makeelement(qn("a:ea"), {"typeface": cjk_font()}))
            para.space_after = Pt(size * 0.4)
        return shape

    m = MARGIN * scale
    W, H = 13.333, 7.5
    for slide in slides:
        sl = deck.slides.add_slide(blank)
        box(sl, m, m - 0.1, W - 2 * m, 0.7, slide.title, 28, bold=True).name = "Title"
        y = m + 0.62
        if slide.subtitle:
            box(sl, m, y, W - 2 * m, 0.4, slide.subtitle, 15, MUTED).name = "Subtitle"
            y += 0.38
        y += 0.12
        bottom = H - m - 0.55
        left = m
        if slide.text:  # the column and type size of the image slide, scaled to the deck
            col_in, size, _ = text_column(slide.text, _body_box(slide)[0] - _body_box(slide)[1] - 0.1)
            col = col_in * scale - 0.1 if slide.visual else W - 2 * m
            text_box = box(sl, m, y, col, bottom - y, slide.text, round(size * scale))
            text_box.name = "Text"
            text_box.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # PowerPoint shrinks a long text to fit
            left = m + col + 0.25
        if slide.visual:
            width, height = W - m - left, bottom - y
            pic = visual_png(slide, (width / scale, height / scale))
            sl.shapes.add_picture(io.BytesIO(pic), Inches(left), Inches(y), Inches(width), Inches(height)).name = "Visual"
        if slide.source:
            box(sl, m, H - m - 0.45, W - 2 * m - 2.2, 0.5, t("x_source_line", slide.lang, source=slide.source), 10,
                MUTED).name = "Source"
        box(sl, W - m - 2.2, H - m - 0.45, 2.2, 0.5, t("x_atlas_name", slide.lang), 10, MUTED).text_frame \
            .paragraphs[0].alignment = 3  # right
    buf = io.BytesIO()
    deck.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ maps

@dataclass
class MapContent:
    points: pd.DataFrame  # point features (geometry, layer, name_en/zh, id)
    provinces: pd.DataFrame  # the province layer (base map)
    layers: tuple[str, ...] = POINT_LAYER_IDS
    extent: tuple[float, float, float, float] | None = None  # lon/lat; None: fit the points (or China)
    highlights: tuple[tuple[float, float, str], ...] = ()  # (lon, lat, label)
    outlines: pd.DataFrame | None = None  # extra outlines (Zhejiang counties)
    lang: str = "en"
    legend: bool = True
    marker_scale: float = 1.0
    province_labels: bool = True


def _project(frame):
    return frame.to_crs(CHINA_CRS)


@lru_cache(maxsize=8)
def _transformer():
    from pyproj import Transformer
    return Transformer.from_crs("EPSG:4326", CHINA_CRS, always_xy=True)


def _xy(lon, lat):
    return _transformer().transform(lon, lat)


def fit_extent(points: pd.DataFrame, pad_deg: float = 1.0, min_span: float = 3.0) -> tuple[float, float, float, float]:
    """A lon/lat box around the points (China when there are none or they span most of it)."""
    if points is None or len(points) == 0:
        return CHINA_EXTENT
    xs, ys = points.geometry.x, points.geometry.y
    x0, x1, y0, y1 = xs.min(), xs.max(), ys.min(), ys.max()
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_x, half_y = max(x1 - x0, min_span) / 2 + pad_deg, max(y1 - y0, min_span) / 2 + pad_deg
    box = (cx - half_x, cy - half_y, cx + half_x, cy + half_y)
    if (box[2] - box[0]) > 0.6 * (CHINA_EXTENT[2] - CHINA_EXTENT[0]):
        return CHINA_EXTENT
    return box


def view_extent(center: tuple[float, float], zoom: int, px: tuple[int, int] = (1000, 640)) -> tuple[float, float, float, float]:
    """The lon/lat box a web map of `px` pixels shows at `zoom` around `center` (lat, lon)."""
    lat, lon = center
    span_lon = 360.0 / 2 ** zoom * px[0] / 256
    span_lat = span_lon * px[1] / px[0] * math.cos(math.radians(lat))
    box = (max(lon - span_lon / 2, CHINA_EXTENT[0]), max(lat - span_lat / 2, CHINA_EXTENT[1]),
           min(lon + span_lon / 2, CHINA_EXTENT[2]), min(lat + span_lat / 2, CHINA_EXTENT[3]))
    # a web map's whole-country zoom shows much around China: a slide shows the country (with its inset)
    if box[2] - box[0] > 0.75 * (CHINA_EXTENT[2] - CHINA_EXTENT[0]):
        return CHINA_EXTENT
    return box


def _nice_km(span_m: float) -> int:
    target = span_m / 1000 / 7
    return max([km for km in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000) if km <= target] or [1])


def _fit_axes(ax, bounds_m, rect_aspect: float):
    """Set limits to `bounds_m` grown to the axes' aspect (equal scale in x and y)."""
    x0, y0, x1, y1 = bounds_m
    w, h = x1 - x0, y1 - y0
    if w / h < rect_aspect:
        grow = (h * rect_aspect - w) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = (w / rect_aspect - h) / 2
        y0, y1 = y0 - grow, y1 + grow
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")


def _box_m(extent):
    lon0, lat0, lon1, lat1 = extent
    xs, ys = zip(*[_xy(lon, lat) for lon in np.linspace(lon0, lon1, 9) for lat in (lat0, (lat0 + lat1) / 2, lat1)])
    return min(xs), min(ys), max(xs), max(ys)


def _is_provincial(layer_id: str) -> bool:
    return getattr(LAYERS.get(layer_id), "level", "national") == "provincial"


def _layer_style(layer_id: str, n: int, scale: float) -> dict:
    """Marker style per layer: the on-screen colour; provincial zones smaller, hollow-centred diamonds."""
    info = LAYERS.get(layer_id)
    colour = info.colour if info else "#777777"
    size = (90 if n < 30 else 48 if n < 150 else 26) * scale
    if _is_provincial(layer_id):
        return {"s": size * 0.55, "marker": "D", "facecolors": "white", "edgecolors": colour, "linewidths": 1.3}
    edge = "#222222" if colour.upper() in ("#F0E442", "#E69F00", "#56B4E9", "#999999") else "white"
    return {"s": size, "marker": "o", "c": colour, "edgecolors": edge, "linewidths": 0.7}


def draw_map(content: MapContent) -> Visual:
    def visual(fig: Figure, rect):
        ax = fig.add_axes(rect)
        ax.set_facecolor(SEA)
        fig_w, fig_h = fig.get_size_inches()
        aspect = (rect[2] * fig_w) / (rect[3] * fig_h)
        pts = content.points
        extent = content.extent or fit_extent(pts)
        provinces = _project(content.provinces)
        provinces.plot(ax=ax, color=LAND, edgecolor=LAND_EDGE, linewidth=0.8, zorder=1)
        if content.outlines is not None and len(content.outlines):
            _project(content.outlines).plot(ax=ax, facecolor="none", edgecolor="#b5b0a5", linewidth=0.5, zorder=2)
        _fit_axes(ax, _box_m(extent), aspect)
        whole = extent == CHINA_EXTENT
        if not whole and content.province_labels and extent[2] - extent[0] < 28:  # zoomed in: name the provinces in view
            x0, x1 = ax.get_xlim()
            y0, y1 = ax.get_ylim()
            col = "name_zh" if content.lang == "zh" else "name_en"
            for _, prov in provinces.iterrows():
                p = prov.geometry.representative_point()
                if x0 < p.x < x1 and y0 < p.y < y1:
                    ax.text(p.x, p.y, short(prov[col], 30), fontsize=11, color="#8a8578", ha="center", va="center",
                            zorder=2, clip_on=True)
        handles = []
        shown = pts[pts["layer"].isin(content.layers)] if len(pts) else pts
        if len(shown):
            proj = _project(shown[["layer", "geometry"]])
            zoomed = 1.0 if whole else 1.5  # a province or a city: fewer points, larger markers
            for lid in [l for l in content.layers if l in set(shown["layer"])]:
                sub = proj[proj["layer"] == lid]
                style = _layer_style(lid, len(pts), content.marker_scale * zoomed)
                ax.scatter(sub.geometry.x, sub.geometry.y, zorder=4 if not _is_provincial(lid) else 3, **style)
                info = LAYERS.get(lid)
                label = (info.short_zh if content.lang == "zh" else info.short_en) if info else lid
                handles.append(Line2D([], [], linestyle="", marker=style["marker"], markersize=11,
                                      markerfacecolor=style.get("c", style.get("facecolors")),
                                      markeredgecolor=style["edgecolors"], markeredgewidth=1.2,
                                      label=f"{label} ({len(sub):,})"))
        rings = [(*_xy(lon, lat), label) for lon, lat, label in content.highlights]
        for x, y, _ in rings:
            ax.scatter([x], [y], s=520 * content.marker_scale, facecolors="none", edgecolors=INK, linewidths=2.4,
                       zorder=5)
        if len(rings) <= MAX_RING_LABELS:  # more names than that clutter the map: the rings alone show them
            _place_labels(ax, [(x, y, label) for x, y, label in rings if label])
        _bare(ax, RULE)
        if handles and content.legend:
            # loc="best": where the legend hides the fewest points
            leg = ax.legend(handles=handles, loc="best", fontsize=14, title=t("legend_title", content.lang),
                            title_fontsize=14, frameon=True, framealpha=0.92, edgecolor=RULE, borderpad=0.7)
            leg.get_title().set_fontweight("bold")
            leg.set_zorder(8)
        _scale_bar(ax, content.lang)
        _north_arrow(ax)
        # the South China Sea islands: in a corner box, unless a tall view shows them already
        if whole and _xy(112.0, 8.0)[1] < ax.get_ylim()[0]:
            _scs_inset(fig, ax, content)
    return visual


MAX_RING_LABELS = 6
LABEL_OFFSETS = [(14, 10, "left", "bottom"), (14, -10, "left", "top"), (-14, 10, "right", "bottom"),
                 (-14, -10, "right", "top"), (16, 34, "left", "bottom"), (16, -34, "left", "top"),
                 (-16, 34, "right", "bottom"), (-16, -34, "right", "top"), (22, 58, "left", "bottom"),
                 (22, -58, "left", "top")]


def _place_labels(ax, items, size: float = 15):
    """Names beside their rings, each at the first of a few positions that overlaps no name placed before
    (sizes estimated from the text, so no renderer is needed)."""
    px = ax.figure.dpi / 72
    frame = ax.get_window_extent()
    placed: list[tuple[float, float, float, float]] = []

    def overlap(a, b):
        return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))

    for x, y, label in items:
        text = short(label, 34)
        w, h = (text_width(text) * 1.12 + 0.4) * size * px, size * 1.55 * px
        ax_x, ax_y = ax.transData.transform((x, y))
        best = None
        for dx, dy, ha, va in LABEL_OFFSETS:
            left = ax_x + dx * px - (w if ha == "right" else 0)
            bottom = ax_y + dy * px - (h if va == "top" else 0)
            box = (left, bottom, left + w, bottom + h)
            outside = (max(0.0, frame.x0 - box[0]) + max(0.0, box[2] - frame.x1)) * h \
                + (max(0.0, frame.y0 - box[1]) + max(0.0, box[3] - frame.y1)) * w  # area past the map's edge
            cost = sum(overlap(box, other) for other in placed) + 4 * outside
            if best is None or cost < best[0]:
                best = (cost, box, dx, dy, ha, va)
            if cost == 0:
                break
        _, box, dx, dy, ha, va = best
        placed.append(box)
        ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=size, fontweight="bold",
                    color=INK, ha=ha, va=va, zorder=3.5, bbox=HALO,  # under the points: a label hides no zone
                    arrowprops={"arrowstyle": "-", "color": "#555555", "lw": 0.8, "shrinkA": 0, "shrinkB": 9}
                    if abs(dy) > 20 else None)


def _bare(ax, edge: str):
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_edgecolor(edge)


def _scale_bar(ax, lang: str):
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    km = _nice_km(x1 - x0)
    length = km * 1000
    bx, by = x0 + (x1 - x0) * 0.03, y0 + (y1 - y0) * 0.05
    ax.plot([bx, bx + length], [by, by], color=INK, lw=4, solid_capstyle="butt", zorder=7)
    for xx in (bx, bx + length):
        ax.plot([xx, xx], [by - (y1 - y0) * 0.008, by + (y1 - y0) * 0.008], color=INK, lw=1.5, zorder=7)
    ax.text(bx + length / 2, by + (y1 - y0) * 0.018, f"{km:,} km" if lang != "zh" else f"{km:,} 千米", fontsize=13,
            ha="center", va="bottom", color=INK, zorder=7, bbox=HALO)


def _north_arrow(ax):
    ax.annotate("N", xy=(0.965, 0.95), xytext=(0.965, 0.85), xycoords="axes fraction", ha="center", va="center",
                fontsize=16, fontweight="bold", color=INK, zorder=7,
                arrowprops={"arrowstyle": "-|>", "color": INK, "lw": 2, "mutation_scale": 22})


def _scs_inset(fig: Figure, ax, content: MapContent):
    """The South China Sea islands in a corner box, as printed maps of the whole country show them."""
    pos = ax.get_position()
    w = pos.width * 0.13
    fig_w, fig_h = fig.get_size_inches()
    box_m = _box_m(SCS_EXTENT)
    h = w * fig_w / fig_h * (box_m[3] - box_m[1]) / (box_m[2] - box_m[0])
    inset = fig.add_axes((pos.x1 - w - pos.width * 0.01, pos.y0 + pos.height * 0.015, w, h))
    inset.set_facecolor(SEA)
    _project(content.provinces).plot(ax=inset, color=LAND, edgecolor=LAND_EDGE, linewidth=0.5)
    inset.set_xlim(box_m[0], box_m[2])
    inset.set_ylim(box_m[1], box_m[3])
    inset.set_aspect("equal")
    _bare(inset, LAND_EDGE)
    inset.text(0.5, 0.03, t("x_scs", content.lang), transform=inset.transAxes, ha="center", va="bottom",
               fontsize=9, color=MUTED)


# ------------------------------------------------------------------ charts

def _style_axes(ax):
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color("#888888")
    ax.spines["bottom"].set_color("#888888")
    ax.tick_params(labelsize=13, colors="#333333")
    ax.grid(axis="y", color="#e6e6e6", lw=0.8)
    ax.set_axisbelow(True)


def _fmt(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.3g}" if abs(value) >= 1 else f"{value:,.2g}"


def draw_indicator(grp: pd.DataFrame, title: str, entity_col: str = "entity", lang: str = "en") -> Visual:
    """One indicator group (localised rows, see charts.localise): lines for time series (legend below),
    bars otherwise (horizontal, named, when several entities); footnoted values drawn hollow or hatched,
    as the on-screen chart marks them with a shape of their own."""
    def visual(fig: Figure, rect):
        fig_w, fig_h = fig.get_size_inches()
        data = grp.copy()
        flagged = data["flag"].fillna("").astype(str).str.strip() != ""
        note_in = 0.3 if flagged.any() else 0.0
        data["year_n"] = pd.to_numeric(data.get("chart_year", data["year"]), errors="coerce")
        data["_e"] = data[entity_col].map(clean)
        entities = list(dict.fromkeys(data["_e"]))
        colours = {e: ENTITY_COLOURS[i % len(ENTITY_COLOURS)] for i, e in enumerate(entities)}
        unit = clean(data["unit"].iloc[0]) if len(data) else ""
        values = data["value"].astype(float)
        if is_series(data, entity_col):
            ncol = 2 if rect[2] * fig_w > 6.5 else 1
            legend_rows = math.ceil(len(entities) / ncol) if len(entities) > 1 else 0
            ax = fig.add_axes(_inner(rect, fig, left_in=1.25, bottom_in=0.8 + note_in + 0.34 * legend_rows,
                                     top_in=0.75))
            for ent, rows in data.groupby("_e", sort=False):
                rows = rows.sort_values("year_n")
                ax.plot(rows["year_n"], rows["value"], color=colours[ent], lw=3, label=short(ent, 40), zorder=3)
                fl = flagged.loc[rows.index]
                ax.scatter(rows.loc[~fl, "year_n"], rows.loc[~fl, "value"], color=colours[ent], s=60, zorder=4)
                ax.scatter(rows.loc[fl, "year_n"], rows.loc[fl, "value"], facecolors="white", edgecolors=colours[ent],
                           s=70, linewidths=2, zorder=4)
            ax.set_xlabel(t("col_year", lang), fontsize=14)
            width_in = ax.get_position().width * fig_w
            ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=max(3, int(width_in / 0.8)), integer=True))
            ax.set_ylabel(unit, fontsize=14)
            if legend_rows:
                handles, labels = ax.get_legend_handles_labels()
                fig.legend(handles, labels, loc="lower left", ncol=ncol, fontsize=13, frameon=False,
                           bbox_to_anchor=(ax.get_position().x0 - 0.6 / fig_w, rect[1] + note_in / fig_h),
                           handlelength=1.6, columnspacing=1.2)
        elif data["_e"].nunique() > 1:
            names = [short(e, 30) for e in data["_e"]]
            label_in = min(3.4, max(text_width(n) for n in names) * 13 / 72 + 0.3)
            ax = fig.add_axes(_inner(rect, fig, left_in=label_in, bottom_in=0.75 + note_in, top_in=0.75, right_in=0.6))
            ys = np.arange(len(data))[::-1]
            bars = ax.barh(ys, values, color=[colours[e] for e in data["_e"]], height=0.62, zorder=3)
            ax.set_yticks(ys, names, fontsize=13)
            ax.set_xlabel(unit, fontsize=14)
            ax.set_xlim(right=max(ax.get_xlim()[1], np.nanmax(values.abs()) * 1.18 if values.notna().any() else 1))
            ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.10g}"))
            ax.grid(axis="x", color="#e6e6e6", lw=0.8)
        else:
            labels = ["—" if pd.isna(y) else str(int(y)) for y in pd.to_numeric(data["year"], errors="coerce")]
            ax = fig.add_axes(_inner(rect, fig, left_in=1.25, bottom_in=0.75 + note_in, top_in=0.75))
            xs = np.arange(len(data))
            bars = ax.bar(xs, values, color=[colours[e] for e in data["_e"]], width=0.62, zorder=3)
            ax.set_xticks(xs, labels, fontsize=13)
            ax.set_xlim(-0.5 - max(0, 3 - len(xs)) / 2, len(xs) - 0.5 + max(0, 3 - len(xs)) / 2)  # no bar wider than a third
            top = np.nanmax(values.abs()) if values.notna().any() else 1.0
            ax.set_ylim(top=max(ax.get_ylim()[1], top * 1.15))  # room for the value labels
            ax.set_ylabel(unit, fontsize=14)
        if not is_series(data, entity_col):
            for bar, fl in zip(bars, flagged):
                if fl:
                    bar.set_hatch("//")
                    bar.set_edgecolor("white")
            ax.bar_label(bars, labels=[_fmt(v) for v in values], fontsize=13, padding=3)
        if ax.name == "rectilinear" and not (data["_e"].nunique() > 1 and not is_series(data, entity_col)):
            ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.10g}"))
        _style_axes(ax)
        if data["_e"].nunique() > 1 and not is_series(data, entity_col):
            ax.grid(axis="y", visible=False)
            ax.grid(axis="x", color="#e6e6e6", lw=0.8)
        ax.set_title(wrap(title, rect[2] * fig_w - 0.5, 17, 2), fontsize=17, loc="left", pad=12,
                     x=(rect[0] + 0.1 / fig_w - ax.get_position().x0) / ax.get_position().width)
        if flagged.any():
            fig.text(rect[0] + 0.1 / fig_w, rect[1], t("x_flag_hollow", lang), fontsize=11, color=MUTED, va="bottom")
    return visual


def _inner(rect, fig: Figure, left_in=0.3, bottom_in=0.3, top_in=0.3, right_in=0.2):
    w, h = fig.get_size_inches()
    x, y, rw, rh = rect
    return (x + left_in / w, y + bottom_in / h, max(rw - (left_in + right_in) / w, 0.05),
            max(rh - (bottom_in + top_in) / h, 0.05))


def draw_ranking(names: Sequence[str], values: Sequence[float], axis_label: str, colour: str = "#0072B2",
                 decimals: int = 0, per_column: int = 16) -> Visual:
    """Horizontal bars, largest on top, every bar labelled with its value; more than `per_column` bars go
    into two columns on the same scale, so that labels stay large enough for a projector."""
    names, values = [short(x, 26) for x in names], [float(v) for v in values]

    def visual(fig: Figure, rect):
        n = len(values)
        parts = [(names, values)] if n <= per_column else \
            [(names[: (n + 1) // 2], values[: (n + 1) // 2]), (names[(n + 1) // 2:], values[(n + 1) // 2:])]
        rows = max(len(p[1]) for p in parts)
        size = 17 if rows <= 12 else 15
        top = max(values) if values else 1.0
        x, y, w, h = rect
        fig_w = fig.get_size_inches()[0]
        for i, (labels, vals) in enumerate(parts):
            sub = (x + i * w / len(parts), y, w / len(parts), h)
            ax = fig.add_axes(_inner(sub, fig, left_in=2.3, bottom_in=0.75, top_in=0.1, right_in=0.9))
            ys = np.arange(rows)[::-1][: len(vals)]
            bars = ax.barh(ys, vals, color=colour, height=0.72, zorder=3)
            ax.set_yticks(ys, labels, fontsize=size)
            ax.bar_label(bars, labels=[f"{v:,.{decimals}f}" for v in vals], fontsize=size - 1, padding=4)
            ax.set_xlabel(axis_label, fontsize=15)
            ax.set_ylim(-0.6, rows - 0.4)
            ax.set_xlim(0, top * 1.12 or 1)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
            ax.tick_params(axis="x", labelsize=13)
            ax.grid(axis="x", color="#e6e6e6", lw=0.8)
            ax.set_axisbelow(True)
        del fig_w
    return visual


FACTS_HEIGHT_IN = 5.3  # the body's height on a slide with a subtitle and a three-line source, less a margin


def _facts_layout(columns: Sequence[str], rows, width_in: float, size: float):
    """Column widths and each row wrapped: (label_in, col_in, line_in, head lines, [(label, cells, height_in)])."""
    label_in = min(2.6, width_in * 0.28)
    col_in = (width_in - label_in) / max(1, len(columns))
    line_in = size * 1.35 / 72
    max_lines = 3 if len(columns) > 1 else 4
    head = [wrap(c, col_in - 0.4, size, 2) for c in columns] if (len(columns) > 1 or (columns and columns[0])) else []
    laid = []
    for label, values in rows:
        cells = [wrap(v, col_in - 0.25, size, max_lines) for v in values]
        lab = wrap(label, label_in - 0.15, size, 2)
        n_lines = max([c.count("\n") + 1 for c in cells] + [lab.count("\n") + 1])
        laid.append((lab, cells, n_lines * line_in + 0.14))
    return label_in, col_in, line_in, head, laid


def paginate_facts(columns: Sequence[str], rows, width_in: float, size: float,
                   height_in: float = FACTS_HEIGHT_IN) -> list[list]:
    """The fact rows in pages that each fit a table `width_in` × `height_in`: no fact is left off a deck."""
    _, _, line_in, head, laid = _facts_layout(columns, rows, width_in, size)
    room = height_in - ((max(h.count("\n") + 1 for h in head) * line_in + 0.12) if head else 0)
    pages, page, used = [], [], 0.0
    for row, (_, _, need) in zip(rows, laid):
        if page and used + need > room:
            pages.append(page)
            page, used = [], 0.0
        page.append(row)
        used += need
    return pages + [page] if page else pages or [[]]


def draw_facts(columns: Sequence[str], rows: Sequence[tuple[str, Sequence[str]]], lang: str = "en",
               size: float = 15) -> Visual:
    """A table of facts: one label column, one value column per entity (a Profile has one, a Compare 2–4);
    long values wrap (decks split rows over slides with `paginate_facts`; a row that still does not fit is
    left out with a note saying how many)."""
    def visual(fig: Figure, rect):
        fig_w, fig_h = fig.get_size_inches()
        x, y, w, h = rect
        label_in, col_in, line_in, head, laid = _facts_layout(columns, rows, w * fig_w, size)
        cursor = y + h
        if head:
            for i, col in enumerate(head):
                fig.text(x + (label_in + i * col_in) / fig_w, cursor, col, fontsize=size, fontweight="bold", va="top",
                         color=INK)
            cursor -= (max(c.count("\n") + 1 for c in head) * line_in + 0.12) / fig_h
            fig.add_artist(Line2D([x, x + w], [cursor + 0.06 / fig_h] * 2, color=INK, lw=1))
        left_out = 0
        for k, (lab, cells, need_in) in enumerate(laid):
            need = need_in / fig_h
            if cursor - need < y:
                left_out = len(laid) - k
                break
            fig.text(x, cursor - 0.05 / fig_h, lab, fontsize=size, color=MUTED, va="top", linespacing=1.25)
            for i, cell in enumerate(cells):
                fig.text(x + (label_in + i * col_in) / fig_w, cursor - 0.05 / fig_h, cell, fontsize=size,
                         color=INK, va="top", linespacing=1.25)
            cursor -= need
            fig.add_artist(Line2D([x, x + w], [cursor + 0.04 / fig_h] * 2, color="#e2e2e2", lw=0.8))
        if left_out:
            fig.text(x, max(y - 0.05 / fig_h, 0), t("x_rows_left_out", lang, n=left_out), fontsize=11,
                     color=MUTED, va="top")
    return visual


def _share(widths: Sequence[float], i: int, total_in: float = SLIDE_IN[0] - 2 * MARGIN, gap_in: float = 0.35) -> float:
    """The width in inches of the i-th of `side_by_side` visuals across a slide."""
    return (total_in - gap_in * (len(widths) - 1)) * widths[i] / sum(widths)


def side_by_side(*visuals: Visual, widths: Sequence[float] | None = None, gap_in: float = 0.35) -> Visual:
    """Visuals next to each other in one rectangle."""
    widths = list(widths or [1.0] * len(visuals))

    def visual(fig: Figure, rect):
        x, y, w, h = rect
        gap = gap_in / fig.get_size_inches()[0]
        usable = w - gap * (len(visuals) - 1)
        for vis, share in zip(visuals, widths):
            width = usable * share / sum(widths)
            vis(fig, (x, y, width, h))
            x += width + gap
    return visual


def stacked(*visuals: Visual, heights: Sequence[float] | None = None, gap_in: float = 0.3) -> Visual:
    """Visuals above each other (the first on top)."""
    heights = list(heights or [1.0] * len(visuals))

    def visual(fig: Figure, rect):
        x, y, w, h = rect
        gap = gap_in / fig.get_size_inches()[1]
        usable = h - gap * (len(visuals) - 1)
        top = y + h
        for vis, share in zip(visuals, heights):
            height = usable * share / sum(heights)
            vis(fig, (x, top - height, w, height))
            top -= height + gap
    return visual


# ------------------------------------------------------------------ the views

def layer_counts_text(points: pd.DataFrame, layers: Sequence[str], lang: str) -> str:
    """How many features the slide shows (the legend gives them per layer)."""
    shown = points[points["layer"].isin(layers)] if len(points) else points
    return t("x_features_shown", lang, n=f"{len(shown):,}")


def map_slide(points: pd.DataFrame, provinces: pd.DataFrame, layers: Sequence[str], title: str, source: str,
              lang: str = "en", filters_text: str = "", highlight: tuple[float, float, str] | None = None) -> Slide:
    """The Map page's selection: province outlines, the points coloured per layer, legend, scale, north."""
    subtitle = " · ".join(x for x in (layer_counts_text(points, layers, lang), clean(filters_text)) if x)
    return Slide(title=title, subtitle=subtitle, source=source, lang=lang,
                 visual=draw_map(MapContent(points, provinces, tuple(layers), lang=lang,
                                            highlights=(highlight,) if highlight else ())))


def ranking_slide(names: Sequence[str], values: Sequence[float], measure_label: str, title: str, source: str,
                  lang: str = "en", decimals: int = 0) -> Slide:
    """The Regions page's ranking of provinces by one measure."""
    return Slide(title=title, subtitle=measure_label, source=source, lang=lang,
                 visual=draw_ranking(names, values, measure_label, decimals=decimals))


MAX_INDICATOR_SLIDES = 10  # a deck is for showing: at most 10 slides of indicators, 4 charts each


def indicator_slides(groups: list[tuple[str, pd.DataFrame]], title: str, lang: str, entity_col: str = "entity",
                     cite: Callable[[str], str] = lambda c: c, per_slide: int = 4) -> list[Slide]:
    """The indicator charts, up to `per_slide` a slide (2 × 2), each slide citing its charts' sources; past
    MAX_INDICATOR_SLIDES the last slide says how many more indicators the app shows."""
    chunks = [groups[i:i + per_slide] for i in range(0, len(groups), per_slide)]
    shown, out = chunks[:MAX_INDICATOR_SLIDES], []
    left_out = sum(len(c) for c in chunks[MAX_INDICATOR_SLIDES:])
    for k, chunk in enumerate(shown):
        charts = [draw_indicator(grp, group_title, entity_col, lang) for group_title, grp in chunk]
        if len(charts) == 1:
            visual = charts[0]
        elif len(charts) == 2:
            visual = side_by_side(*charts)
        else:
            rows = [side_by_side(*charts[:2]), side_by_side(*(charts[2:] + [lambda fig, rect: None] * (4 - len(charts))))]
            visual = stacked(*rows)
        subtitle = " · ".join(g for g, _ in chunk) if len(chunk) == 1 else t("x_indicators", lang)
        if left_out and k == len(shown) - 1:
            subtitle += " · " + t("x_more_indicators", lang, n=left_out)
        out.append(Slide(title=title, subtitle=subtitle, source=_cite_all([s for _, g in chunk for s in g["source"]], cite),
                         lang=lang, visual=visual))
    return out


def slide_skipped_facts(lang: str) -> set[str]:
    """Fact rows a slide leaves out: the names (they are the title or the column heads), the coordinates'
    provenance, the source (the slide's source line) and notes (in the app)."""
    return {t(k, lang) for k in ("f_name_en", "f_name_zh", "f_coords", "f_source", "f_note")}


def profile_slides(rec: dict, facts: list[tuple[str, str]], provinces: pd.DataFrame, groups, name: str,
                   layer_label: str, source: str, lang: str = "en", cite: Callable[[str], str] = lambda c: c) -> list[Slide]:
    """A Profile: the facts with the inset map and the first indicator chart (more facts on slides of their
    own), then the indicators."""
    rows = [(label, [value]) for label, value in facts if label not in slide_skipped_facts(lang)]
    geom = rec.get("geometry")
    visuals: list[Visual] = []
    if geom is not None:
        import geopandas as gpd
        frame = gpd.GeoDataFrame([rec], geometry=[geom], crs="EPSG:4326")
        inset = draw_map(MapContent(frame, provinces, (rec.get("layer"),),
                                    extent=(geom.x - 4.5, geom.y - 3.2, geom.x + 4.5, geom.y + 3.2),
                                    highlights=((geom.x, geom.y, ""),), lang=lang, legend=False, marker_scale=1.4,
                                    province_labels=False))
        visuals.append(inset)
    if groups:
        visuals.append(draw_indicator(groups[0][1], groups[0][0], "entity", lang))
    right = stacked(*visuals, heights=[0.9, 1.1][:len(visuals)]) if visuals else None
    widths = [1.15, 1]
    pages = paginate_facts([""], rows, _share(widths, 0) if right else SLIDE_IN[0] - 2 * MARGIN, 14)
    out = []
    for k, page in enumerate(pages):
        facts_visual = draw_facts([""], page, lang, size=14)
        visual = side_by_side(facts_visual, right, widths=widths) if (right and k == 0) else facts_visual
        out.append(Slide(title=name, subtitle=layer_label + (f" · {t('x_continued', lang)}" if k else ""),
                         source=source, lang=lang, visual=visual))
    return out + indicator_slides(groups, name, lang, cite=cite)


def compare_slides(columns: list[str], fact_rows: list[tuple[str, list[str]]], groups, title: str,
                   source: str, lang: str = "en", subtitle: str = "", cite: Callable[[str], str] = lambda c: c) -> list[Slide]:
    """A Compare: the aligned facts (with the first shared indicator beside them for up to three entities;
    facts that do not fit go on slides of their own), then the shared indicators on the same axes."""
    fact_rows = [(label, values) for label, values in fact_rows if label not in slide_skipped_facts(lang)]
    size = 14 if len(columns) <= 2 else 13
    widths = [1.35, 1]
    chart_beside = bool(groups) and len(columns) <= 3
    pages = paginate_facts(columns, fact_rows, _share(widths, 0) if chart_beside else SLIDE_IN[0] - 2 * MARGIN, size)
    out = []
    for k, page in enumerate(pages):
        facts = draw_facts(columns, page, lang, size=size)
        visual = side_by_side(facts, draw_indicator(groups[0][1], groups[0][0], "entity", lang), widths=widths) \
            if (chart_beside and k == 0) else facts
        out.append(Slide(title=title, subtitle=subtitle + (f" · {t('x_continued', lang)}" if k else ""),
                         source=source, lang=lang, visual=visual))
    return out + indicator_slides(groups, title, lang, cite=cite)


def display_name(en, zh, lang: str = "en") -> str:
    """A name in the slide's language with the other beside it (as the pages show names)."""
    en, zh = clean(en), clean(zh)
    if lang == "zh":
        return f"{zh}（{en}）" if zh and en else (zh or en)
    return f"{en} ({zh})" if zh and en else (en or zh)


def _cite_all(citations, cite: Callable[[str], str]) -> str:
    """Distinct citations (each may hold several, ';'-separated), each through `cite`, joined."""
    parts = list(dict.fromkeys(p.strip() for c in citations for p in clean(c).split(";") if p.strip()))
    return cite("; ".join(parts)) if parts else ""


def _groups(rows: pd.DataFrame, names: dict, lang: str, labels: dict[str, str]):
    from .charts import indicator_groups, localise
    if rows.empty:
        return []
    rows = rows.copy()
    rows["entity"] = [display_name(*names.get(e, (e, "")), lang) for e in rows["entity_id"]]
    return indicator_groups(localise(rows, lang, labels))


def story_slides(story, lang: str, points: pd.DataFrame, provinces: pd.DataFrame, indicators: pd.DataFrame,
                 indicator_labels: dict[str, str] | None = None, zj_counties: pd.DataFrame | None = None,
                 cite: Callable[[str], str] = lambda c: c) -> list[Slide]:
    """A Story: one slide per step — its title and text, its map (and chart, as on the page) and its sources."""
    from .compare import entity_names
    from .filters import apply_filters
    names = entity_names(points, provinces)
    slides = []
    n = len(story.steps)
    for i, step in enumerate(story.steps, start=1):
        state = step.map_state()
        shown = apply_filters(points, state)
        highlights = tuple((points.loc[h].geometry.x, points.loc[h].geometry.y,
                            display_name(points.loc[h, "name_en"], points.loc[h, "name_zh"], lang))
                           for h in step.highlight if h in points.index)
        the_map = draw_map(MapContent(shown, provinces, tuple(state.layers),
                                      extent=view_extent(step.center, step.zoom), highlights=highlights, lang=lang,
                                      outlines=zj_counties if "zj_town" in state.layers else None))
        groups = []
        if step.chart is not None:
            rows = indicators[indicators["entity_id"].isin(step.chart.entities)
                              & (indicators["indicator"] == step.chart.indicator)]
            groups = _groups(rows, names, lang, indicator_labels or {})
        visual = side_by_side(the_map, draw_indicator(groups[0][1], groups[0][0], "entity", lang), widths=[1.3, 1]) \
            if groups else the_map
        text = clean(step.text(lang)) + (f"\n\n{clean(step.note(lang))}" if step.note(lang) else "")
        slides.append(Slide(title=step.title(lang), subtitle=f"{story.title(lang)} · {t('story_step', lang, n=i, total=n)}",
                            text=text, source=_cite_all(step.sources, cite), lang=lang, visual=visual))
    return slides


def compare_deck(ids: Sequence[str], lang: str, points: pd.DataFrame, provinces: pd.DataFrame,
                 indicators: pd.DataFrame, indicator_labels: dict[str, str] | None = None,
                 sector_labels: dict[str, str] | None = None, glossary: dict[str, str] | None = None,
                 cite: Callable[[str], str] = lambda c: c) -> list[Slide]:
    """A Compare of 2–4 features, provinces or regions: aligned facts, then each shared indicator."""
    from . import compare
    names = compare.entity_names(points, provinces)
    features = [i for i in ids if not compare.is_area(i)]
    areas = [i for i in ids if compare.is_area(i)]
    # the Compare page's facts (compare.feature_comparison / area_comparison), one row per label across both
    merged: dict[str, list[str]] = {}
    tables = []
    if features:
        tables.append(compare.feature_comparison(points, features, lang, sector_labels or {}, glossary, cite)[0])
    if areas:
        tables.append(compare.area_comparison(points, provinces, areas, lang, sector_labels or {}))
    for table in tables:
        for label in table.index:
            row = merged.setdefault(label, [compare.DASH] * len(ids))
            for j, i in enumerate(ids):
                if i in table.columns:
                    row[j] = str(table.at[label, i])
    fact_rows: list[tuple[str, list[str]]] = list(merged.items())
    shared = compare.shared_indicators(indicators, list(ids))
    groups = _groups(shared, names, lang, indicator_labels or {})
    columns = [display_name(*names.get(i, (i, "")), lang) for i in ids]
    sources = _cite_all(list(points.loc[[f for f in features if f in points.index], "source"]), cite)
    names_line = " · ".join(short(c, 40) for c in columns)
    fits = text_width(names_line) * TITLE_PT / 72 <= SLIDE_IN[0] - 2 * MARGIN  # as the title, or under it
    title, subtitle = (names_line, t("page_compare", lang)) if fits else (t("page_compare", lang), names_line)
    return compare_slides(columns, fact_rows, groups, title, sources, lang, subtitle=subtitle, cite=cite)


def profile_deck(zone: str, lang: str, points: pd.DataFrame, provinces: pd.DataFrame, indicators: pd.DataFrame,
                 indicator_labels: dict[str, str] | None = None, sector_labels: dict[str, str] | None = None,
                 glossary: dict[str, str] | None = None, cite: Callable[[str], str] = lambda c: c) -> list[Slide]:
    """A Profile: facts with the inset map and the first indicator, then one slide per indicator."""
    from .compare import entity_names
    from .profiles import facts, feature_indicators
    rec = points.loc[zone].to_dict()
    info = LAYERS.get(rec.get("layer"))
    layer_label = (info.label_zh if lang == "zh" else info.label_en) if info else clean(rec.get("layer"))
    groups = _groups(feature_indicators(zone, indicators), entity_names(points, provinces), lang,
                     indicator_labels or {})
    return profile_slides(rec, facts(rec, lang, sector_labels or {}, glossary, cite), provinces, groups,
                          display_name(rec.get("name_en"), rec.get("name_zh"), lang), layer_label,
                          _cite_all([rec.get("source")], cite), lang, cite)


def layers_source_line(manifest: dict, layer_ids: Sequence[str]) -> str:
    """The attributions of the shown layers and the province outlines, each once (the manifest's words)."""
    entries = manifest.get("layers", {})
    lines = [entries.get(l, {}).get("attribution", "") for l in list(layer_ids) + ["province"]]
    return "; ".join(dict.fromkeys(clean(x) for x in lines if clean(x)))


def filters_text(query: dict[str, str], lang: str = "en", sector_labels: dict[str, str] | None = None) -> str:
    """The Map's filters (its URL parameters) as a short readable line for the slide's subtitle; layers,
    the selected zone and the display options are left out (the legend and the ring show them)."""
    from .filters import REGION_KEYS
    from .layers import region_label
    sector_labels = sector_labels or {}
    skip = {"layers", "zone", "choropleth", "tiles", "table", "lang", "present"}
    years = [query.get("year_min"), query.get("year_max")]
    parts = []
    for key, value in query.items():
        if key in skip or key in ("year_min", "year_max"):
            continue
        items = [v for v in str(value).split(",") if v]
        if key == "region":
            value = ", ".join(region_label(REGION_KEYS.get(v, v), lang) for v in items)
        elif key == "sector":
            value = ", ".join(sector_labels.get(v, v) for v in items)
        elif key in ("coastal", "paper"):
            value = t(f"{key}_{value}", lang)
        if key in ("coastal", "q"):  # "Inland", “深圳”: plain enough without a label
            parts.append(short(value, 40) if key == "coastal" else f"“{short(value, 40)}”")
            continue
        label = {"province": "province", "region": "region", "sector": "sector", "paper": "paper_mode"}.get(key)
        parts.append(f"{t(label, lang) if label else key}: {short(value, 40)}")
    if any(years):
        parts.append(f"{t('years', lang)}: {years[0] or '…'}–{years[1] or '…'}")
    return " · ".join(parts)
