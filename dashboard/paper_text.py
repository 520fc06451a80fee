"""Locate a quotation in a source paper's text extraction: section heading + paragraph number.

The rule every citation of the form `<file>, <section>, para N` in `geodata/sources/flowcharts/` follows
(documented in that folder's README):

- the section starts at the line that begins with its heading (Markdown `#` and `*` marks ignored) and
  ends at the next heading: a Markdown `#` line, or a short numbered line such as `3.2 Sustaining driving
  force` (papers whose headings are plain words, like 004, simply go on);
- its paragraphs are the blocks of text after that line, separated by blank lines; a block whose first
  character is a lower-case letter continues the previous one (the extraction breaks paragraphs at page
  ends); footnote, caption and list blocks count as blocks;
- papers that print their own paragraph numbers (`PRINTED_NUMBERS`) are cited by that number instead:
  para N is the block that starts with N.

Pure functions; the build and the tests use them, the app never reads the papers.
"""
from __future__ import annotations

import re
from pathlib import Path

# 001 prints a number before every paragraph ("18Some industrial clusters ..."); the atlas cites those
PRINTED_NUMBERS = {"001_29871d4920c9f956.txt"}
_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00ad": "",
                         "\u2013": "-", "\u2014": "-", "\u2026": "..."})
_LINE_HYPHEN = re.compile(r"(?<=\w)- +(?=[a-z])")  # "value-<newline>added" -> "value-added"


def normalise(text: str) -> str:
    """Whitespace collapsed, curly quotes straightened, en/em dashes as "-", line-end hyphens joined ("value- added" -> "value-added"), soft hyphens dropped, Markdown escapes and
    bold marks removed: the form in which a quotation is compared with the paper."""
    text = str(text).translate(_QUOTES).replace("\\", "").replace("**", "")
    return _LINE_HYPHEN.sub("-", _SPACE.sub(" ", text)).strip()


def _blocks(lines: list[str], stop_at_heading: bool = True) -> list[str]:
    blocks, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    merged: list[str] = []
    for block in blocks:
        if stop_at_heading and _is_heading(block):  # the next heading ends the section
            break
        if merged and block[:1].islower():
            merged[-1] = f"{merged[-1]} {block}"
        else:
            merged.append(block)
    return merged


_MD_HEADING = re.compile(r"#{1,6} +[^\t]+$")
_NUMBERED_HEADING = re.compile(r"\d+\.(\d+)? +\S")


def _is_heading(block: str) -> bool:
    """A Markdown heading (`## 5. Stage ...`, not a table row such as `# of employees<TAB>...`) or a numbered
    heading printed as a short line of its own (`3.2 Sustaining driving force`, `4. The status of ...`)."""
    if _MD_HEADING.match(block):
        return True
    return bool(_NUMBERED_HEADING.match(block)) and len(block) < 150 and ". " not in block[4:]


def _all_blocks(text: str) -> list[str]:
    return _blocks([line for line in text.splitlines() if not _MD_HEADING.match(line.strip())], False)


def _heading_key(line: str) -> str:
    return normalise(line.strip().lstrip("#").replace("*", "")).lower()


def section_paragraphs(text: str, heading: str) -> list[str]:
    """The paragraphs after the first line that starts with `heading` (empty when no line does)."""
    lines = text.splitlines()
    want = normalise(heading).lower()
    for i, line in enumerate(lines):
        if line.strip() and _heading_key(line).startswith(want):
            rest = lines[i + 1:]
            # a heading printed over two lines ("2. An overview ... industry / cluster and research design")
            while rest and rest[0].strip() and not rest[0].strip()[:1].isupper():
                rest = rest[1:]
            return _blocks(rest)
    return []


def paragraph(text: str, file: str, heading: str, para: int) -> str | None:
    """Paragraph `para` of the section `heading` of paper `file` (normalised), None when there is none."""
    if file in PRINTED_NUMBERS:
        for block in _all_blocks(text):
            if re.match(rf"{para}(?!\d)\S", block):
                return normalise(block)
        return None
    paras = section_paragraphs(text, heading)
    return normalise(paras[para - 1]) if 1 <= para <= len(paras) else None


def quote_problems(papers_dir: Path, file: str, heading: str, para: int, quote: str) -> list[str]:
    """What is wrong with citing `quote` as `file`, `heading`, para `para` (empty when it is right)."""
    path = Path(papers_dir) / file
    if not path.exists():
        return [f"paper {file} not found in {papers_dir}"]
    text = path.read_text(encoding="utf-8")
    want = normalise(quote)
    if not want:
        return ["empty quote"]
    if want not in normalise(text):
        return [f"quote not found in {file}: {quote[:80]!r}"]
    found = paragraph(text, file, heading, para)
    if found is None:
        return [f"{file}: no paragraph {para} under heading {heading!r}"]
    if want not in found:
        where = locate(text, file, heading, quote)
        hint = f" (it is in para {where})" if where else ""
        return [f"{file}: quote not in {heading!r} para {para}{hint}: {quote[:80]!r}"]
    return []


def locate(text: str, file: str, heading: str, quote: str) -> int | None:
    """The paragraph number of `quote` in section `heading` (a helper for transcribers and error hints)."""
    want = normalise(quote)
    if file in PRINTED_NUMBERS:
        for block in _all_blocks(text):
            match = re.match(r"(\d+)\S", block)
            if match and want in normalise(block):
                return int(match.group(1))
        return None
    for n, block in enumerate(section_paragraphs(text, heading), start=1):
        if want in normalise(block):
            return n
    return None
