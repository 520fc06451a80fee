"""Thin Streamlit layer for presenters: presentation mode (`?present=1`) and the slide / deck downloads.

The slides themselves are drawn by `dashboard.slides` (pure); the buttons here build them only when
clicked (`st.download_button` with a callable), so the pages stay as fast as before.
"""
from __future__ import annotations

import re
from typing import Callable, Sequence

import streamlit as st

from . import slides
from . import app
from .app import lang, tr
from .filters import TRUTHY

# the app's chrome: header bar (toolbar, main menu, deploy button), the coloured decoration line, the sidebar
# and the control that reopens it
CHROME_CSS = """
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stAppDeployButton"],
.stDeployButton, #MainMenu, [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"]
{display: none !important;}
[data-testid="stMainBlockContainer"], .block-container {padding-top: 1.2rem !important; max-width: 100% !important;}
"""
LARGE_TEXT_CSS = """
[data-testid="stSidebar"] {display: none !important;}
[data-testid="stMain"] p, [data-testid="stMain"] li {font-size: 1.45rem; line-height: 1.5;}
[data-testid="stMain"] h1 {font-size: 2.6rem;}
[data-testid="stMain"] h2, [data-testid="stMain"] h3 {font-size: 1.9rem;}
[data-testid="stMain"] button p {font-size: 1.25rem;}
"""


def presenting() -> bool:
    """Presentation mode is on: `?present=1` (or true, yes, on) in the URL (kept by `app.sync_query_params`)."""
    return str(st.query_params.get("present", "")).strip().lower() in TRUTHY


def style(hide_chrome: bool = True) -> None:
    """Large type, no sidebar; with `hide_chrome` also no header, toolbar or deploy button (for a projector)."""
    st.html(f"<style>{LARGE_TEXT_CSS}{CHROME_CSS if hide_chrome else ''}</style>")


def _file_stem(text: str) -> str:
    """A file name from a title: letters (any script), digits and dashes."""
    stem = re.sub(r"[^\w-]+", "-", slides.clean(text), flags=re.UNICODE).strip("-_")
    return (stem or "atlas")[:60]


def _font_note() -> None:
    problem = slides.font_problem(lang())
    if problem:
        st.caption(problem)


def citer() -> Callable[[str], str]:
    """Citation text -> short reference in the interface language, usable outside the script run."""
    refs, code = app.references(), lang()
    return lambda text: refs.short(text, code)


def image_downloads(key: str, make_slide: Callable[[], slides.Slide], name: str) -> None:
    """PNG and SVG of the view as a 16:9 slide, drawn when a button is clicked.

    `make_slide` runs in Streamlit's download handler, outside the script run: it must not call Streamlit
    (no session state, no `app.*`); pass a `functools.partial` of a `dashboard.slides` function."""
    stem = _file_stem(name)
    row = st.container(horizontal=True)  # the buttons side by side, wrapping in a narrow column
    row.download_button(tr("x_download_png"), lambda: slides.render(make_slide(), "png"), file_name=f"{stem}.png",
                       mime="image/png", on_click="ignore", key=f"{key}_png", icon=":material/image:")
    row.download_button(tr("x_download_svg"), lambda: slides.render(make_slide(), "svg"), file_name=f"{stem}.svg",
                       mime="image/svg+xml", on_click="ignore", key=f"{key}_svg", icon=":material/image:")
    _font_note()


def deck_downloads(key: str, make_slides: Callable[[], Sequence[slides.Slide]], name: str,
                   image: bool = True, image_index: int = 0) -> None:
    """PowerPoint and PDF decks of the view (and its first slide as a PNG and SVG), drawn when a button is
    clicked; `make_slides` as `make_slide` of `image_downloads`."""
    stem = _file_stem(name)
    row = st.container(horizontal=True)
    row.download_button(tr("x_download_pptx"), lambda: slides.to_pptx(make_slides(), name),
                               file_name=f"{stem}.pptx", on_click="ignore", key=f"{key}_pptx",
                               mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                               icon=":material/slideshow:")
    row.download_button(tr("x_download_pdf"), lambda: slides.to_pdf(make_slides(), name),
                               file_name=f"{stem}.pdf", mime="application/pdf", on_click="ignore", key=f"{key}_pdf",
                               icon=":material/picture_as_pdf:")
    if image:
        row.download_button(tr("x_download_png"), lambda: slides.render(make_slides()[image_index], "png"),
                                   file_name=f"{stem}.png", mime="image/png", on_click="ignore", key=f"{key}_png",
                                   icon=":material/image:")
        row.download_button(tr("x_download_svg"), lambda: slides.render(make_slides()[image_index], "svg"),
                                   file_name=f"{stem}.svg", mime="image/svg+xml", on_click="ignore",
                                   key=f"{key}_svg", icon=":material/image:")
    _font_note()
