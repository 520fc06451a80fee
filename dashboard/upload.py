"""Join a user's own table (CSV or Excel) to the atlas's features. Pure functions, no Streamlit.

The flow is ``read_table`` → ``detect_columns`` (a guess the page lets the user override) →
``join_indicators`` → ``JoinResult.report_lines()`` / ``to_csv_bytes``.

Reading (``read_table``)
    * Never raises for bad input: anything wrong comes back in ``ReadResult.problems`` with
      ``frame=None``. A frame is returned only when there are no problems.
    * CSV: UTF-8, UTF-8 with BOM, GBK / GB18030 (what Excel writes on a Chinese Windows), and
      UTF-16 with a BOM (Excel's "Unicode text"). Delimiter: comma, or tab / semicolon when the
      header line has more of those. Quotes are parsed strictly: an unclosed quote or text after a
      closing quote is an error naming the line; so is a row with more or fewer cells than the
      header (a shifted row would put numbers under the wrong column).
    * Excel: ``.xlsx`` / ``.xlsm`` through openpyxl, first sheet, read-only. Formula cells give
      their cached value; a formula without a cached value (a file never opened in Excel) gives
      its text (``=SUM(B2:B3)``), which is then reported as non-numeric. Nothing is evaluated and
      macros are never run. Legacy ``.xls`` is refused with a hint to save as ``.xlsx``/CSV.
    * Every cell is a ``str`` (empty cell → ``""``); nothing is coerced. Excel numbers are written
      back as text without a spurious ``.0`` (``2020.0`` → ``"2020"``), dates as ISO dates.
    * The frame's index is the row number the user sees in a spreadsheet (header row = 1), named
      ``"row"``. Leading blank rows and up to three title rows (one filled cell above a real
      header, as in many government tables) are skipped, so the header may be on a later row
      (``ReadResult.header_row``); the row numbers stay those of the file. Trailing blank rows
      are dropped; blank rows inside the table are kept (and reported by the join).
      For CSV with line breaks inside quoted cells, row numbers count records, not physical lines.

Numbers (value cells) — what is accepted, everything else is listed in ``non_numeric``:
    * plain decimals / scientific notation: ``12``, ``-3.5``, ``+4``, ``.5``, ``1e6``;
    * thousands separators only in valid groups of three: ``1,234`` and ``1,234,567.8`` →
      1234 / 1234567.8; ``1,5`` or ``12,34`` are rejected (could be a decimal comma);
    * full-width digits and signs (NFKC): ``１２３`` → 123, ``１２．５`` → 12.5, the minus sign
      ``−5`` → -5;
    * a percent sign: ``12.5%`` → 12.5 with ``unit="%"`` (the number as shown, not 0.125);
    * a leading apostrophe (Excel's text marker, and what ``to_csv_bytes`` adds): ``'-5`` → -5;
    * not accepted: ``inf``/``nan``, currency signs (``¥100``), units (``12万``), accounting
      negatives ``(5)``, placeholders such as ``-`` or ``N/A``, formulas and any other text.
    Empty (or whitespace-only) cells are missing values: not an error, counted in
    ``missing_cells``. When a number was read from a non-plain form, the indicator's ``note``
    says "as written: …".

Matching (``join_indicators``), in order for each row, vectorised with merges:
    1. exact feature id (surrounding spaces ignored);
    2. exact Chinese name (whitespace removed, full-/half-width forms unified by NFKC, so
       ``中国（上海）`` equals ``中国(上海)``);
    3. English name ignoring case and whitespace.
    The first step with any candidate decides. A name shared by several features needs the
    province column (Chinese or English, with or without 省/市/自治区/Province suffixes) to pick
    one; otherwise the row is "ambiguous name" with the candidates listed. For a name match, a
    province that disagrees with the unique candidate makes the row "province does not match"
    (ids are authoritative and are not checked against the province).

Every input row ends up in exactly one place: matched (``matched_rows``), ``unmatched`` (with a
reason: "blank row", "empty key", "no match", "ambiguous name", "province does not match",
"invalid year") or ``duplicates`` (two or more rows resolving to the same feature and year:
all of them are listed and none is used).

User text (keys, cells, column names) is only ever data here. ``report_lines`` contains counts
and row numbers only, no user text; pages must still render user text as plain text.
"""
from __future__ import annotations

import csv
import datetime as _dt
import difflib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

INDICATOR_COLUMNS = ["entity_id", "indicator", "year", "value", "unit", "source", "note", "flag"]
DEFAULT_MAX_BYTES = 25_000_000
FLAG = "uploaded"

# reasons a row is not used (values of ``JoinResult.unmatched["reason"]``)
BLANK_ROW = "blank row"
EMPTY_KEY = "empty key"
NO_MATCH = "no match"
AMBIGUOUS = "ambiguous name"
PROVINCE_MISMATCH = "province does not match"
INVALID_YEAR = "invalid year"
REASONS = (BLANK_ROW, EMPTY_KEY, NO_MATCH, AMBIGUOUS, PROVINCE_MISMATCH, INVALID_YEAR)

MATCHED_BY = {0: "id", 1: "Chinese name", 2: "English name"}
SUGGESTION_LIMIT = 100  # distinct unmatched keys that get difflib suggestions (the rest: none)
UNEXPECTED = "unexpected error"


# --------------------------------------------------------------------------------------------
# reading


@dataclass
class ReadResult:
    frame: pd.DataFrame | None
    problems: list[str] = field(default_factory=list)
    encoding: str | None = None
    header_row: int | None = None  # the spreadsheet row (1-based) the header was found on

    @property
    def ok(self) -> bool:
        return self.frame is not None and not self.problems


class _ReadError(Exception):
    """A problem with the user's file: its message is shown to the user."""


_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_EXCEL_EXT = (".xlsx", ".xlsm")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


