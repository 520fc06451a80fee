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
import heapq
import io
import re
import unicodedata
import warnings
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

MATCHED_BY = {0: "id", 1: "Chinese name", 2: "English name", 3: "code", 4: "short form",
              5: "short form, place prefix added or dropped", 6: "accepted suggestion"}
NOT_EXACT = (4, 5, 6)  # stages reported row by row (what was written, what it was taken to mean)
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
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_EXCEL_EXT = (".xlsx", ".xlsm")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TITLE_ROWS_MAX = 3


def _size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} kB"
    return f"{n} bytes"


def read_table(data: bytes, filename: str, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read an uploaded CSV or Excel file into a frame of strings, or say what is wrong with it.

    Never raises for bad input. On success ``problems`` is empty and ``frame`` holds one ``str``
    per cell, indexed by the spreadsheet row number (header row = 1).
    """
    try:
        return _read_table(data, filename or "", max_bytes)
    except _ReadError as exc:
        return ReadResult(None, [str(exc)])
    except Exception as exc:  # last resort: bad input must never crash the page
        return ReadResult(None, [f"could not read the file ({UNEXPECTED}: {type(exc).__name__})"])


def _read_table(data: bytes, filename: str, max_bytes: int) -> ReadResult:
    if data is None or not isinstance(data, (bytes, bytearray, memoryview)):
        raise _ReadError("no file content")
    data = bytes(data)
    if len(data) > max_bytes:
        raise _ReadError(f"the file is too large: {_size(len(data))}, the limit is {_size(max_bytes)}")
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise _ReadError("the file is empty")
    ext = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    if data.startswith(_OLE):
        raise _ReadError("this is an old Excel .xls (or another Office) file, which is not supported: "
                         "save it as .xlsx or as CSV UTF-8")
    if data.startswith(_ZIP):
        if ext in _EXCEL_EXT or _is_xlsx_zip(data):
            rows, numbers = _xlsx_rows(data, max_bytes)
            return _build(rows, numbers, None, encoding=None)
        raise _ReadError("this is a ZIP archive (or another Office file), not a CSV or .xlsx table")
    if ext in _EXCEL_EXT:
        raise _ReadError(f"the file is named {ext} but is not an Excel workbook (it may be a renamed CSV "
                         "or a damaged file)")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _ReadError(f"this is {what}, not a CSV or Excel table")
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 is full of NUL bytes
        sample = data[:65536]
        if b"\x00" in sample or len(_CONTROL_BYTES.findall(sample)) > max(2, len(sample) // 100):
            raise _ReadError("this looks like a binary file, not a CSV or Excel table")
    text, encoding = _decode(data)
    if "\x00" in text[:65536]:
        raise _ReadError("this looks like a binary file, not a CSV or Excel table")
    rows, numbers, lines = _csv_rows(text, ext)
    return _build(rows, numbers, lines, encoding=encoding)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise _ReadError("wrong encoding: the file starts like UTF-16 but does not decode") from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _ReadError("wrong encoding: the file has a UTF-8 mark but is not valid UTF-8 "
                             f"(at byte {exc.start})") from None
    for encoding in ("utf-8", "gbk", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise _ReadError("wrong encoding: not UTF-8 or GBK. Save the table as 'CSV UTF-8' (or as .xlsx) "
                     "and upload it again")


def _pick_delimiter(text: str, ext: str) -> str:
    if ext == ".tsv":
        return "\t"
    first = next((line for line in text[:65536].splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _csv_rows(text: str, ext: str) -> tuple[list[list[str]], list[int], list[int]]:
    """Records, their spreadsheet row numbers (1-based) and the physical line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_pick_delimiter(text, ext), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    previous = 0
    try:
        for record in reader:
            rows.append(record)
            lines.append(previous + 1)
            previous = reader.line_num
    except csv.Error as exc:
        start, message = previous + 1, str(exc)
        if "unexpected end of data" in message:
            raise _ReadError(f"malformed CSV: a quoted cell opened on line {start} is never closed "
                             "(unbalanced quotes)") from None
        if "expected after" in message:
            raise _ReadError(f"malformed CSV: line {reader.line_num}: text after a closing quote "
                             "(unbalanced quotes)") from None
        if "field larger than field limit" in message:
            raise _ReadError(f"malformed CSV: line {start}: a cell longer than {csv.field_size_limit():,} "
                             "characters (often an unclosed quote)") from None
        raise _ReadError(f"malformed CSV at line {start}: {message}") from None
    return rows, list(range(1, len(rows) + 1)), lines


def _is_xlsx_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except Exception:
        return False


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    text = getattr(value, "text", None)  # openpyxl ArrayFormula / DataTableFormula
    if isinstance(text, str):
        return text
    return str(value)


def _xlsx_rows(data: bytes, max_bytes: int) -> tuple[list[list[str]], list[int]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception:
        raise _ReadError("not a valid .xlsx file (the archive is damaged)") from None
    unpacked = sum(info.file_size for info in infos)
    if unpacked > 10 * max_bytes:
        raise _ReadError(f"the workbook unpacks to {_size(unpacked)}, more than the limit of "
                         f"{_size(10 * max_bytes)}")
    try:
        has_formulas = any(b"<f>" in chunk or b"<f " in chunk or b":f>" in chunk or b":f " in chunk
                           for chunk in _sheet_xml(archive))
    except Exception:
        raise _ReadError("not a valid .xlsx file (the archive is damaged)") from None
    try:
        from openpyxl import load_workbook

        values = _sheet_values(load_workbook, data, data_only=True)
        if has_formulas:  # cached values are missing where the file was never calculated: use the text
            formulas = _sheet_values(load_workbook, data, data_only=False)
            for i, (row, frow) in enumerate(zip(values, formulas)):
                if len(frow) > len(row):
                    row = values[i] = row + [None] * (len(frow) - len(row))
                for j, value in enumerate(frow):
                    if row[j] is None and value is not None:
                        row[j] = value
    except _ReadError:
        raise
    except Exception as exc:
        raise _ReadError(f"could not read the Excel file ({type(exc).__name__}): it may be damaged, "
                         "encrypted or not an .xlsx workbook") from None
    rows = [[_cell_text(v) for v in row] for row in values]
    return rows, list(range(1, len(rows) + 1))


def _sheet_xml(archive: zipfile.ZipFile):
    for info in archive.infolist():
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            with archive.open(info) as fh:
                yield fh.read()


def _sheet_values(load_workbook, data: bytes, data_only: bool) -> list[list]:
    with warnings.catch_warnings():  # openpyxl warns about unsupported extensions, styles, validation
        warnings.simplefilter("ignore")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only, keep_links=False)
    try:
        if not workbook.worksheets:
            raise _ReadError("the workbook has no sheets")
        sheet = workbook.worksheets[0]
        if not hasattr(sheet, "iter_rows"):
            raise _ReadError("the first sheet of the workbook is a chart, not a table")
        return [list(row) for row in sheet.iter_rows(min_row=1, values_only=True)]
    finally:
        workbook.close()


def _unique_names(header: list[str]) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for j, cell in enumerate(header):
        name = cell.strip().lstrip("\ufeff").strip() or f"column {j + 1}"
        base, k = name, 2
        while name in seen:
            name, k = f"{base} ({k})", k + 1
        seen.add(name)
        names.append(name)
    return names


def _header_like(row: list[str]) -> bool:
    """At least two filled cells and none of them a plain number (a header, not a data row)."""
    cells = [c.strip() for c in row if c.strip()]
    return len(cells) >= 2 and not any(re.fullmatch(_NUMBER, _nfkc(c).replace(",", "")) for c in cells)


def _build(rows: list[list[str]], numbers: list[int], lines: list[int] | None, encoding: str | None) -> ReadResult:
    filled = [sum(1 for c in row if c.strip()) for row in rows]
    nonblank = [i for i, n in enumerate(filled) if n]
    if not nonblank:
        raise _ReadError("the file is empty")
    # header: the first non-blank row, after up to three title rows (one filled cell above a wider row)
    h = 0
    while h < _TITLE_ROWS_MAX and h + 1 < len(nonblank) and filled[nonblank[h]] == 1 \
            and _header_like(rows[nonblank[h + 1]]):
        h += 1
    header_at = nonblank[h]
    last = nonblank[-1]
    body = list(range(header_at + 1, last + 1))
    if not body:
        raise _ReadError("the file has a header row but no data rows")
    header = rows[header_at]
    if lines is not None:  # CSV: every row must have the header's number of cells
        width = len(header)
        ragged = [i for i in body if filled[i] and len(rows[i]) != width]
        if ragged:
            shown = "; ".join(f"line {lines[i]} has {_plural(len(rows[i]), 'cell')}" for i in ragged[:5])
            more = f" (and {len(ragged) - 5} more rows)" if len(ragged) > 5 else ""
            raise _ReadError(f"malformed CSV: rows of different lengths: the header (line {lines[header_at]}) "
                             f"has {width} cells but {shown}{more}")
    else:  # Excel: the table is as wide as its last filled cell
        width = 0
        for i in [header_at] + body:
            row = rows[i]
            for j in range(len(row) - 1, width - 1, -1):
                if row[j].strip():
                    width = j + 1
                    break
    header = (header + [""] * width)[:width]
    data = [(row + [""] * (width - len(row)))[:width] if len(row) != width else row for row in
            (rows[i] for i in body)]
    frame = pd.DataFrame(data, columns=range(width), dtype="str")
    # drop padding columns: no header and no content (Excel exports often end rows with ",,")
    keep = [j for j in range(width) if header[j].strip() or frame[j].str.strip().ne("").any()]
    names = _unique_names(header)
    frame = frame[keep]
    frame.columns = [names[j] for j in keep]
    frame.index = pd.Index([numbers[i] for i in body], name="row")
    return ReadResult(frame, [], encoding, header_row=numbers[header_at])


# --------------------------------------------------------------------------------------------
# text normalisation


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


_SPACE = re.compile(r"\s+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _id_key(text: str) -> str:
    return text.strip()


def _zh_key(text: str) -> str:
    return _SPACE.sub("", _nfkc(text))


def _en_key(text: str) -> str:
    return _SPACE.sub("", _nfkc(text).casefold())


_ZH_PROVINCE_SUFFIXES = ("维吾尔自治区", "维吾尔族自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
_EN_PROVINCE_ALIASES = {"macau": "macao", "xizang": "tibet", "neimenggu": "innermongolia",
                        "neimongol": "innermongolia", "shaanxiprovince": "shaanxi"}


def _province_key(text: str) -> str:
    """浙江省 / 浙江 / Zhejiang / Zhejiang Province → one key per province (zh and en keys differ)."""
    t = _SPACE.sub("", _nfkc(text or ""))
    if not t:
        return ""
    if _CJK.search(t):
        for suffix in _ZH_PROVINCE_SUFFIXES:
            if t.endswith(suffix) and len(t) > len(suffix):
                return t[: -len(suffix)]
        return t
    t = re.sub(r"[^0-9a-z]", "", t.casefold())
    for suffix in ("specialadministrativeregion", "sar", "province", "municipality", "city"):
        if t.endswith(suffix) and len(t) > len(suffix):
            t = t[: -len(suffix)]
            break
    if t.endswith("autonomousregion") and len(t) > len("autonomousregion"):
        t = t[: -len("autonomousregion")]
        for ethnic in ("uygur", "uyghur", "uighur", "zhuang", "hui"):
            if t.endswith(ethnic) and len(t) > len(ethnic):
                t = t[: -len(ethnic)]
                break
    return _EN_PROVINCE_ALIASES.get(t, t)


def _map_unique(series: pd.Series, func) -> pd.Series:
    """Apply a str → str function once per distinct value (fast on repetitive columns)."""
    codes, uniques = pd.factorize(series.to_numpy(dtype=object))
    mapped = np.array([func(u) for u in uniques] + [""], dtype=object)
    return pd.Series(mapped[codes], index=series.index, dtype="str")


def _missing(value) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value))


def _as_text(series: pd.Series) -> pd.Series:
    """Cells as a ``str`` series with "" for missing (read_table's columns already are)."""
    if isinstance(series.dtype, pd.StringDtype):
        return series.fillna("") if series.hasnans else series
    text = series.astype(object).map(lambda v: v if isinstance(v, str) else ("" if _missing(v) else _cell_text(v)))
    return text.astype("str")


# --------------------------------------------------------------------------------------------
# join targets: point features (zones, towns, clusters), provinces, prefecture-level units

LEVEL_FEATURE, LEVEL_PROVINCE, LEVEL_PREFECTURE = "feature", "province", "prefecture"
LEVELS = (LEVEL_FEATURE, LEVEL_PROVINCE, LEVEL_PREFECTURE)

# zone type words as people write them -> one token (longest first; applied anywhere in the name)
_ZONE_TYPES = (
    ("经济技术开发区", "⟨经开⟩"), ("经济开发区", "⟨经开⟩"), ("经开区", "⟨经开⟩"),
    ("高新技术产业开发区", "⟨高新⟩"), ("高新技术产业园区", "⟨高新⟩"), ("高新技术开发区", "⟨高新⟩"),
    ("高技术产业开发区", "⟨高新⟩"), ("新技术产业开发区", "⟨高新⟩"), ("新技术开发区", "⟨高新⟩"), ("高新区", "⟨高新⟩"),
    ("综合保税区", "⟨综保⟩"), ("综保区", "⟨综保⟩"),
    ("保税港区", "⟨保税港⟩"), ("保税物流园区", "⟨保税物流⟩"), ("出口加工区", "⟨出口加工⟩"), ("保税区", "⟨保税⟩"),
    ("边境经济合作区", "⟨边合⟩"), ("边合区", "⟨边合⟩"),
)
_ZONE_TYPE_RE = re.compile("|".join(re.escape(w) for w, _ in _ZONE_TYPES))
_ZONE_TYPE_OF = dict(_ZONE_TYPES)
_EN_ZONE_TYPES = (  # on the lower-case name with everything but letters and digits removed
    (r"economic(?:and)?technological(?:development)?zone|economicdevelopmentzone|etdz|edz", "⟨etdz⟩"),
    (r"hi(?:gh)?tech(?:nology)?industr(?:ial|y)(?:development)?(?:zone|park)|hi(?:gh)?tech(?:zone|park)|hidz|hitdz",
     "⟨hidz⟩"),
    (r"comprehensivebondedzone|cbz", "⟨cbz⟩"), (r"bondedportarea|bondedport", "⟨bpa⟩"),
    (r"exportprocessingzone|epz", "⟨epz⟩"), (r"bondedlogisticspark", "⟨blp⟩"), (r"bondedzone|freetradezone", "⟨bz⟩"),
)
_EN_ZONE_TYPE_RE = [(re.compile(p), token) for p, token in _EN_ZONE_TYPES]
_BRACKETS = re.compile(r"[()\[\]【】〔〕「」『』《》<>\"'“”‘’·・,，、.。\-—_]")
_NATIONAL_PREFIX = re.compile(r"^(?:国家级|国家|省级)")
_TOKEN = re.compile(r"⟨[^⟩]*⟩")
_PLACE_SUFFIXES = ("特别行政区", "自治州", "地区", "林区", "市", "盟", "区", "县")


def _zone_zh_key(text: str) -> str:
    """A zone name's short form key: brackets and 国家级 dropped, type words → one token each
    (经开区 = 经济开发区 = 经济技术开发区, 高新区 = 高新技术产业开发区 = 高新技术产业园区, 综保区 = 综合保税区 …)."""
    t = _BRACKETS.sub("", _zh_key(text))
    t = _NATIONAL_PREFIX.sub("", t)
    return _ZONE_TYPE_RE.sub(lambda m: _ZONE_TYPE_OF[m.group(0)], t)


def _zone_en_key(text: str) -> str:
    """Guangzhou ETDZ = Guangzhou Economic and Technological Development Zone; Hangzhou Hi-tech Zone = … HIDZ."""
    t = re.sub(r"[^0-9a-z]", "", _nfkc(text or "").casefold().replace("&", "and"))
    t = re.sub(r"^(?:statelevel|national)", "", t)
    for pattern, token in _EN_ZONE_TYPE_RE:
        t = pattern.sub(token, t)
    return t if _has_place(t) else ""


def _has_place(key: str) -> bool:
    """A key keeps at least two characters besides its type tokens (never strip down to a bare type)."""
    return len(_TOKEN.sub("", key)) >= 2


class _Places:
    """Province and city names a zone name may start with (from the features' own columns)."""

    def __init__(self, features: pd.DataFrame):
        provinces, cities = set(), set()
        for name in features["province_zh"].unique():
            name = _zh_key(name)
            if name:
                provinces |= {name, _province_key(name)}
        for name in features["city"].unique():
            name = _zh_key(name)
            if len(name) >= 2:
                cities.add(name)
                for suffix in _PLACE_SUFFIXES:
                    if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                        cities.add(name[: -len(suffix)])
                        break
        self.provinces = sorted((p for p in provinces if len(p) >= 2), key=len, reverse=True)
        self.cities = sorted(cities, key=len, reverse=True)
        self.city_short = {c for c in self.cities if not c.endswith(_PLACE_SUFFIXES)}

    def variants(self, key: str) -> list[str]:
        """The key with its province prefix and then its city prefix dropped, where something is left."""
        out = []
        for lexicon in (self.provinces, self.cities):
            for place in lexicon:
                if key.startswith(place) and _has_place(key[len(place):]):
                    key = key[len(place):]
                    out.append(key)
                    break
        return out

    def canonical(self, key: str) -> str:
        """深圳市⟨高新⟩ → 深圳⟨高新⟩: a city's 市 right after its name is dropped."""
        for city in self.city_short:
            if key.startswith(city + "市"):
                return city + key[len(city) + 1:]
        return key


@dataclass
class Targets:
    """What an uploaded table can join to: one level (features, provinces or prefectures) with its lookups.

    ``lookups`` are (stage, probe function, table of key → entity_id); a probe function maps a written key
    to one or more keys (a list) or one key (a str)."""
    level: str
    features: pd.DataFrame
    lookups: list = field(default_factory=list)
    places: _Places | None = None

    def describe(self, entity_id: str) -> str:
        return _describe(self.features.set_index("entity_id", drop=False).loc[entity_id])


def _lut(keys: pd.Series, ids: pd.Series) -> pd.DataFrame:
    lut = pd.DataFrame({"k": keys.to_numpy(), "entity_id": ids.to_numpy()}).explode("k")
    return lut[lut["k"].notna() & lut["k"].ne("")].drop_duplicates()


def feature_targets(points: pd.DataFrame) -> Targets:
    """Point features: id, Chinese name, English name, then zone short forms (reported as not exact)."""
    features = _features(points)
    places = _Places(features)

    def zone_keys(text: str) -> str:
        return places.canonical(_zone_zh_key(text)) if _CJK.search(text or "") else _zone_en_key(text)

    def zone_variants(text: str) -> list[str]:
        return places.variants(zone_keys(text)) if _CJK.search(text or "") else []

    zh = features["name_zh"]
    lookups = [
        (0, _id_key, _lut(features["entity_id"], features["entity_id"])),
        (1, _zh_key, _lut(_map_unique(zh, _zh_key), features["entity_id"])),
        (2, _en_key, _lut(_map_unique(features["name_en"], _en_key), features["entity_id"])),
        (4, zone_keys, _lut(pd.concat([_map_unique(zh, zone_keys), _map_unique(features["name_en"], _zone_en_key)]),
                            pd.concat([features["entity_id"]] * 2))),
        (5, lambda t: [t2 for t2 in {zone_keys(t), *zone_variants(t)}],
         _lut(pd.Series([[zone_keys(z), *zone_variants(z)] for z in zh]), features["entity_id"])),
    ]
    return Targets(LEVEL_FEATURE, features, lookups, places)


_PREF_ZH_SUFFIX = re.compile(r"(?:自治州|自治县|特别行政区|地区|林区|盟|市|州)$")
_EN_REGION_SUFFIX = re.compile(r"(?:city|shi|prefecture|autonomousprefecture|league|municipality|province|"
                               r"specialadministrativeregion|sar|region)$")
_ETHNIC_ZH = ("朝鲜族", "土家族", "布依族", "哈尼族", "景颇族", "傈僳族", "蒙古族", "柯尔克孜", "哈萨克", "蒙古", "苗族", "羌族",
              "藏族", "彝族", "侗族", "壮族", "傣族", "白族", "回族", "黎族")


def _pref_zh_key(text: str) -> str:
    """杭州市 / 杭州 → 杭州; 延边朝鲜族自治州 / 延边州 / 延边 → 延边 (杭州, 郑州 keep their 州: a name needs two characters)."""
    t = _BRACKETS.sub("", _zh_key(text))
    match = _PREF_ZH_SUFFIX.search(t)
    short = t[: match.start()] if match else t
    stripped = True
    while stripped:
        stripped = False
        for word in _ETHNIC_ZH:
            if short.endswith(word) and len(short) - len(word) >= 2:
                short, stripped = short[: -len(word)], True
    return short if len(short) >= 2 else t


def _region_en_key(text: str) -> str:
    t = _nfkc(text or "").casefold().replace("ü", "u").replace("lv", "lu")
    t = re.sub(r"[^0-9a-z]", "", t)
    short = _EN_REGION_SUFFIX.sub("", t)
    return _EN_PROVINCE_ALIASES.get(short or t, short or t)


def _code_key(text: str) -> str:
    t = _nfkc(text or "").strip()
    t = re.sub(r"\.0+$", "", t)
    return t if t.isdigit() else ""


def province_targets(provinces: pd.DataFrame) -> Targets:
    """Provinces: prov-44, 44 / 440000, 广东 / 广东省, Guangdong / Guangdong Province."""
    frame = pd.DataFrame({"id": provinces["id"], "name_zh": provinces["name_zh"], "name_en": provinces["name_en"],
                          "province_zh": provinces["name_zh"], "province_en": provinces["name_en"]})
    features = _features(frame)
    ids = features["entity_id"]
    adcode = _as_text(pd.Series(provinces["adcode"].to_numpy(), dtype=object))
    codes = pd.Series([[a, a[:2]] for a in adcode])
    lookups = [
        (0, _id_key, _lut(ids, ids)),
        (3, _code_key, _lut(codes, ids)),
        (1, _province_key, _lut(_map_unique(features["name_zh"], _province_key), ids)),
        (2, _province_key, _lut(_map_unique(features["name_en"], _province_key), ids)),
    ]
    return Targets(LEVEL_PROVINCE, features, lookups)


def prefecture_targets(prefectures: pd.DataFrame) -> Targets:
    """Prefecture-level units: pref-330100, 330100 / 3301, 杭州 / 杭州市, Hangzhou / Hangzhou City.

    A name several units share (Suzhou: 苏州 and 宿州; Taizhou; Fuzhou; Yulin; Yichun) needs the province column.
    """
    frame = pd.DataFrame({c: prefectures[c] for c in ("id", "name_zh", "name_en", "province_zh", "province_en")})
    features = _features(frame)
    ids = features["entity_id"]
    adcode = _as_text(pd.Series(prefectures["adcode"].to_numpy(), dtype=object)).tolist()
    nbs = _as_text(pd.Series(prefectures.get("nbs_code", pd.Series([""] * len(prefectures))).to_numpy(), dtype=object))
    codes = []
    for a, n in zip(adcode, nbs):
        keys = {a, n} - {""}
        if a.endswith("0000"):  # a municipality: its 市辖区 (and Chongqing's 县) codes too
            keys |= {a[:2] + "01", a[:2] + "02"} if a[:2] == "50" else {a[:2] + "01"}
        codes.append(sorted(keys))
    place = prefectures["place_en"] if "place_en" in prefectures.columns else prefectures["name_en"]
    en = pd.Series([[_region_en_key(a), _region_en_key(b)] for a, b in zip(prefectures["name_en"], place)])
    lookups = [
        (0, _id_key, _lut(ids, ids)),
        (3, _code_key, _lut(pd.Series(codes), ids)),
        (1, _pref_zh_key, _lut(_map_unique(features["name_zh"], _pref_zh_key), ids)),
        (2, _region_en_key, _lut(en, ids)),
    ]
    return Targets(LEVEL_PREFECTURE, features, lookups)


def _candidates(targets: Targets, keys: pd.DataFrame) -> pd.DataFrame:
    """(pos, entity_id, stage) for probe keys (pos, key): the first stage with any candidate decides.

    Works on the distinct keys (a 100,000-row table has a few thousand), stage by stage, each stage only on
    the keys no earlier stage found."""
    codes, uniques = pd.factorize(keys["key"].to_numpy(dtype=object))
    left_keys = pd.Series(uniques, dtype=object)
    found = []
    for stage, func, lut in targets.lookups:
        if left_keys.empty:
            break
        mapped = [func(k) for k in left_keys]
        mapped = [m if isinstance(m, list) else [m] for m in mapped]
        probe = pd.DataFrame({"u": left_keys.index.repeat([len(m) for m in mapped]),
                              "k": [x for m in mapped for x in m]})
        probe = probe[probe["k"].ne("")]
        part = probe.merge(lut, on="k", how="inner")[["u", "entity_id"]].drop_duplicates()
        if len(part):
            part["stage"] = stage
            found.append(part)
            left_keys = left_keys.drop(part["u"].unique())
    if not found:
        return pd.DataFrame({"pos": pd.Series(dtype=np.int64), "entity_id": pd.Series(dtype=object),
                             "stage": pd.Series(dtype=np.int64)})
    per_key = pd.concat(found, ignore_index=True)
    rows = pd.DataFrame({"pos": keys["pos"].to_numpy(), "u": codes})
    return rows.merge(per_key, on="u", how="inner")[["pos", "entity_id", "stage"]]


LEVEL_SAMPLE = 2000


def guess_level(frame: pd.DataFrame, key_column: str, targets: dict[str, Targets]) -> str:
    """The level most of the table's distinct keys (the first 2,000) name: provinces, prefectures or features.

    A tie goes to the coarser level (a table of the four municipalities is a provincial table); a table that
    names nothing is a feature table (its rows then get suggestions).
    """
    keys = _as_text(frame[key_column]).str.strip()
    keys = pd.Series(keys[keys.ne("")].unique()[:LEVEL_SAMPLE], dtype=object)
    probe = pd.DataFrame({"pos": np.arange(len(keys)), "key": keys})
    best, best_n = LEVEL_FEATURE, 0
    for level in (LEVEL_PROVINCE, LEVEL_PREFECTURE, LEVEL_FEATURE):
        if level not in targets:
            continue
        n = _candidates(targets[level], probe)["pos"].nunique() if len(probe) else 0
        if n > best_n:
            best, best_n = level, n
    return best


# --------------------------------------------------------------------------------------------
# numbers


# ASCII digits only: \d would also match full-width and other scripts' digits, which to_numeric refuses
_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_THOUSANDS = r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?"


@dataclass
class _Numbers:
    value: pd.Series      # float, NaN where not a number
    empty: pd.Series      # bool: empty cell (missing value)
    bad: pd.Series        # bool: non-empty and not a number
    percent: pd.Series    # bool: read from "12.5%"
    rewritten: pd.Series  # bool: read from a non-plain form (thousands, full-width, %, apostrophe)


def parse_numbers(cells: pd.Series) -> _Numbers:
    """Parse a column of cell text by the rules in the module docstring (vectorised)."""
    text = _as_text(cells).str.strip()
    empty = text.eq("")
    plain = text.str.fullmatch(_NUMBER).fillna(False).astype(bool)
    value = pd.to_numeric(text.where(plain), errors="coerce").astype(float)
    percent = pd.Series(False, index=text.index)
    rewritten = pd.Series(False, index=text.index)
    rest = ~plain & ~empty
    if rest.any():
        t = _map_unique(text[rest], _nfkc).str.replace("\u2212", "-", regex=False).str.strip()
        t = t.str.replace(r"^'\s*", "", regex=True)
        pct = t.str.endswith("%")
        t = t.where(~pct, t.str[:-1].str.strip())
        comma = t.str.contains(",", regex=False)
        grouped = t.str.fullmatch(_THOUSANDS).fillna(False).astype(bool)
        t = t.where(~(comma & grouped), t.str.replace(",", "", regex=False))
        good = t.str.fullmatch(_NUMBER).fillna(False).astype(bool) & (~comma | grouped)
        parsed = pd.to_numeric(t.where(good), errors="coerce").astype(float)
        good &= np.isfinite(parsed)
        value.loc[good[good].index] = parsed[good]
        percent.loc[good[good].index] = pct[good]
        rewritten.loc[good[good].index] = True
    finite = np.isfinite(value)
    value = value.where(finite)
    bad = ~empty & ~finite
    return _Numbers(value, empty, bad, percent, rewritten)


def parse_years(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Year cells → (Int64 years, invalid mask). Accepts 2020, 2020年, 2020.0, full-width digits."""
    text = _map_unique(_as_text(cells), lambda s: _nfkc(s).strip())
    text = text.str.replace(r"\s*年度?$", "", regex=True)
    ok = text.str.fullmatch(r"[0-9]{4}(?:\.0+)?").fillna(False).astype(bool)
    years = pd.to_numeric(text.where(ok).str[:4], errors="coerce")
    ok &= years.between(1800, 2100)
    invalid = ~ok & text.ne("")
    return years.where(ok).astype("Int64"), invalid


# --------------------------------------------------------------------------------------------
# column detection


@dataclass
class Columns:
    key: str | None
    province: str | None
    year: str | None
    values: list[str]
    ignored: list[str] = field(default_factory=list)


def _header_key(name) -> str:
    t = _nfkc(str(name)).casefold()
    t = re.sub(r"\(.*?\)|\[.*?\]", "", t)
    return re.sub(r"[\s_\-.:/、#]+", "", t)


def _aliases(*names: str) -> set[str]:
    return {_header_key(n) for n in names}


_ID_HEADERS = _aliases("id", "entity_id", "feature_id", "zone_id", "cluster_id", "atlas_id")
_ZH_HEADERS = _aliases("name_zh", "zh_name", "chinese name", "中文名", "中文名称", "名称", "开发区名称", "开发区",
                       "园区名称", "园区", "集群名称", "产业集群", "产业集群名称", "集群", "区域名称", "名字", "单位名称",
                       "特色产业集群", "块状经济", "镇", "乡镇", "乡镇名称", "经开区", "高新区", "开发区全称")
_NAME_HEADERS = _aliases("name", "zone", "zone name", "cluster", "cluster name", "feature", "entity", "park")
_EN_HEADERS = _aliases("name_en", "en_name", "english name", "英文名", "英文名称")
_PROVINCE_HEADERS = _aliases("province", "province_en", "province_zh", "prov", "province name", "省份", "省",
                             "省区", "省区市", "省(区、市)", "省市", "所在省份", "所在省", "所在省区", "省份名称", "省级行政区")
_YEAR_HEADERS = _aliases("year", "yr", "年份", "年", "年度", "统计年份", "数据年份", "统计年度")
_DESCRIPTIVE_HEADERS = _aliases(
    "序号", "编号", "no", "no.", "number", "index", "rank", "排名", "排序", "#", "city", "城市", "市", "地市", "所在城市",
    "county", "县", "区县", "note", "notes", "备注", "remark", "remarks", "source", "来源", "数据来源", "layer", "类型",
    "type", "region", "地区", "code", "代码", "adcode", "行政区划代码", "lat", "lon", "lng", "latitude", "longitude",
    "经度", "纬度", "x", "y", "unit", "单位", "flag", "indicator")
_CITY_HEADERS = _aliases("city", "prefecture", "city name", "城市", "市", "地市", "地级市", "市州", "城市名称", "地区",
                         "所在城市", "地级行政区", "地级市名称")
_SAMPLE_ROWS = 1000


def _numeric_share(series: pd.Series) -> tuple[float, int]:
    parsed = parse_numbers(series.iloc[:_SAMPLE_ROWS])
    filled = int((~parsed.empty).sum())
    good = int(parsed.value.notna().sum())
    return (good / filled if filled else 0.0), good


def detect_columns(frame: pd.DataFrame, *, key: str | None = None, province: str | None = None,
                   year: str | None = None, values: list[str] | None = None) -> Columns:
    """Guess the key, province, year and value columns by header (English or Chinese) and content.

    Key headers, by priority: id / entity_id → name_zh / 名称 / 开发区名称 … → name → name_en → a city
    header (城市 / 地市 / city …, for a prefecture table) → the province column itself (a provincial table,
    which then has no province column); if none, the first mostly-text column. Province: province / 省份 / 省 …; year: year / 年份 / 年 / 年度.
    Value columns: the remaining columns that are mostly numbers (≥ half of the filled cells in
    the first 1,000 rows), except serial numbers, codes, cities, notes and other descriptive
    columns (序号, 编号, city, 备注 …), which go to ``ignored`` with every other column.
    Arguments given explicitly are kept and excluded from the other guesses.
    """
    columns = [c for c in frame.columns]
    by_key = {c: _header_key(c) for c in columns}
    taken = {c for c in (key, province, year) if c is not None} | set(values or [])

    def first(aliases: set[str]) -> str | None:
        return next((c for c in columns if c not in taken and by_key[c] in aliases), None)

    if province is None:
        province = first(_PROVINCE_HEADERS)
        taken |= {province} if province else set()
    if year is None:
        year = first(_YEAR_HEADERS)
        taken |= {year} if year else set()
    if key is None:
        for aliases in (_ID_HEADERS, _ZH_HEADERS, _NAME_HEADERS, _EN_HEADERS):
            key = first(aliases)
            if key:
                break
        if key is None:  # a prefecture table: 城市 / 地市 / city … is the key (a province column stays the province)
            key = first(_CITY_HEADERS)
        if key is None and province is not None:  # a provincial table: 省份 … is the key itself
            key, province = province, None
        if key is None:  # the first column that is mostly text
            for c in columns:
                if c in taken or by_key[c] in _DESCRIPTIVE_HEADERS:
                    continue
                share, _ = _numeric_share(frame[c])
                if share < 0.5 and _as_text(frame[c].iloc[:_SAMPLE_ROWS]).str.strip().ne("").any():
                    key = c
                    break
        taken |= {key} if key else set()
    if values is None:
        names = _ID_HEADERS | _ZH_HEADERS | _NAME_HEADERS | _EN_HEADERS | _DESCRIPTIVE_HEADERS
        values = []
        for c in columns:
            if c in taken or by_key[c] in names:
                continue
            share, good = _numeric_share(frame[c])
            if good and share >= 0.5:
                values.append(c)
    chosen = {key, province, year, *values}
    ignored = [c for c in columns if c not in chosen]
    return Columns(key=key, province=province, year=year, values=list(values), ignored=ignored)


# --------------------------------------------------------------------------------------------
# join


@dataclass
class JoinResult:
    indicators: pd.DataFrame       # long format: entity_id, indicator, year, value, unit, source, note, flag
    matched_rows: int              # rows used (matched, valid year, not a duplicate)
    unmatched: pd.DataFrame        # row, key, reason, closest
    duplicates: pd.DataFrame       # row, key, entity_id, year, rows (every row of the group)
    non_numeric: pd.DataFrame      # row, column, text
    rows_read: int = 0
    missing_cells: int = 0         # empty value cells (missing, not errors)
    percent_cells: int = 0         # values read from "12.5%" (unit "%")
    rewritten_cells: int = 0       # values read from a non-plain form ("1,234", "１２３", "'-5", "12%")
    table: pd.DataFrame | None = None  # the upload with upload_row, matched_id, names and match_status
    resolved: pd.DataFrame | None = None  # row, key, entity_id, taken_as, how: matches that were not exact
    level: str = LEVEL_FEATURE             # what the rows joined to: feature, province or prefecture

    @property
    def duplicate_keys(self) -> int:
        if self.duplicates.empty:
            return 0
        return int(self.duplicates["rows"].nunique())

    def report_lines(self, lang: str = "en") -> list[str]:
        """A readable summary: counts and row numbers only (no user text); in Chinese with ``lang="zh"``."""
        if lang == "zh":
            return self._report_lines_zh()
        reasons = self.unmatched["reason"].value_counts() if len(self.unmatched) else pd.Series(dtype=int)
        detail = ", ".join(f"{int(reasons[r])} {r}" for r in REASONS if r in reasons.index)
        unmatched = f"{len(self.unmatched)} unmatched" + (f" ({detail})" if detail else "")
        lines = [
            f"{_plural(self.rows_read, 'row')} read, {self.matched_rows} matched, {unmatched}, "
            f"{_plural(self.duplicate_keys, 'duplicate key')}, {_plural(len(self.non_numeric), 'non-numeric cell')}"
        ]
        n_ind = self.indicators["indicator"].nunique() if len(self.indicators) else 0
        n_ent = self.indicators["entity_id"].nunique() if len(self.indicators) else 0
        lines.append(f"{_plural(len(self.indicators), 'value')} joined for {_plural(n_ent, 'feature')} "
                     f"in {_plural(n_ind, 'indicator')}; {_plural(self.missing_cells, 'empty cell')} left missing")
        if self.resolved is not None and len(self.resolved):
            lines.append(f"{_plural(len(self.resolved), 'row')} matched by a short form or an accepted suggestion, "
                         f"not by the exact name (listed): {_rows_text(self.resolved['row'].tolist())}")
        if self.rewritten_cells:
            lines.append(f"{_plural(self.rewritten_cells, 'value')} read from a formatted number "
                         f"(thousands separators, full-width digits or %), {self.percent_cells} of them percentages "
                         "kept as shown with unit %")
        for reason in REASONS:
            if reason in reasons.index:
                rows = self.unmatched.loc[self.unmatched["reason"] == reason, "row"].tolist()
                lines.append(f"{reason}: {_rows_text(rows)}")
        if self.duplicate_keys:
            groups = self.duplicates.drop_duplicates("rows")["rows"].tolist()
            shown = "; ".join(groups[:10]) + (f"; … {len(groups) - 10} more" if len(groups) > 10 else "")
            lines.append(f"same feature and year in several rows, none of them used: rows {shown}")
        if len(self.non_numeric):
            lines.append(f"non-numeric cells (not used): {_rows_text(sorted(set(self.non_numeric['row'])))}")
        return lines


    def _report_lines_zh(self) -> list[str]:
        from .i18n import t

        def rows_text(rows: list[int], limit: int = 12) -> str:
            more = t("u_rep_more", "zh", n=len(rows) - limit) if len(rows) > limit else ""
            return t("u_rep_rows", "zh", rows="、".join(str(r) for r in rows[:limit]), more=more)

        reasons = self.unmatched["reason"].value_counts() if len(self.unmatched) else pd.Series(dtype=int)
        detail = "，".join(f"{t(REASON_KEYS[r], 'zh')} {int(reasons[r])}" for r in REASONS if r in reasons.index)
        lines = [t("u_rep_counts", "zh", rows=self.rows_read, matched=self.matched_rows, unmatched=len(self.unmatched),
                   detail=f"（{detail}）" if detail else "", dups=self.duplicate_keys, nonnum=len(self.non_numeric))]
        lines.append(t("u_rep_joined", "zh", values=len(self.indicators),
                       ent=self.indicators["entity_id"].nunique() if len(self.indicators) else 0,
                       ind=self.indicators["indicator"].nunique() if len(self.indicators) else 0,
                       empty=self.missing_cells))
        if self.resolved is not None and len(self.resolved):
            lines.append(t("u_rep_resolved", "zh", n=len(self.resolved), rows=rows_text(self.resolved["row"].tolist())))
        if self.rewritten_cells:
            lines.append(t("u_rep_rewritten", "zh", n=self.rewritten_cells, pct=self.percent_cells))
        for reason in REASONS:
            if reason in reasons.index:
                rows = self.unmatched.loc[self.unmatched["reason"] == reason, "row"].tolist()
                lines.append(f"{t(REASON_KEYS[reason], 'zh')}：{rows_text(rows)}")
        if self.duplicate_keys:
            groups = self.duplicates.drop_duplicates("rows")["rows"].tolist()
            shown = "；".join(groups[:10]) + (t("u_rep_more", "zh", n=len(groups) - 10) if len(groups) > 10 else "")
            lines.append(t("u_rep_duplicates", "zh", groups=shown))
        if len(self.non_numeric):
            lines.append(t("u_rep_non_numeric", "zh", rows=rows_text(sorted(set(self.non_numeric["row"])))))
        return lines


REASON_KEYS = {BLANK_ROW: "u_reason_blank", EMPTY_KEY: "u_reason_empty_key", NO_MATCH: "u_reason_no_match",
               AMBIGUOUS: "u_reason_ambiguous", PROVINCE_MISMATCH: "u_reason_province", INVALID_YEAR: "u_reason_year"}
HOW_KEYS = {MATCHED_BY[4]: "u_how_short", MATCHED_BY[5]: "u_how_prefix", MATCHED_BY[6]: "u_how_accepted"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _rows_text(rows: list[int], limit: int = 12) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    more = f" … and {len(rows) - limit} more" if len(rows) > limit else ""
    return f"{'row' if len(rows) == 1 else 'rows'} {shown}{more}"


def _row_numbers(frame: pd.DataFrame) -> np.ndarray:
    """Spreadsheet row numbers: read_table's index (named "row"), else position + 2 (header = 1)."""
    if frame.index.name == "row" and pd.api.types.is_integer_dtype(frame.index):
        return frame.index.to_numpy(dtype=np.int64)
    return np.arange(len(frame), dtype=np.int64) + 2


def _features(points: pd.DataFrame) -> pd.DataFrame:
    ids = points["id"] if "id" in points.columns else pd.Series(points.index, index=points.index)
    out = pd.DataFrame({"entity_id": _as_text(pd.Series(ids.to_numpy(), dtype=object)).str.strip()})
    for col in ("name_zh", "name_en", "province_zh", "province_en", "city"):
        src = points[col].to_numpy() if col in points.columns else [""] * len(points)
        out[col] = _as_text(pd.Series(src, dtype=object))
    out = out[out["entity_id"].ne("")].reset_index(drop=True)
    out["prov_zh_key"] = _map_unique(out["province_zh"], _province_key)
    out["prov_en_key"] = _map_unique(out["province_en"], _province_key)
    return out


def _describe(feature: pd.Series) -> str:
    names = " / ".join(n for n in (feature["name_zh"], feature["name_en"]) if n)
    province = feature["province_en"] or feature["province_zh"]
    return f"{names}{f' ({province})' if province else ''} [{feature['entity_id']}]"


class _Suggester:
    """Closest targets (rapidfuzz WRatio) in Chinese, English and ids for a key that matched nothing.

    Returns up to three (entity_id, score 0–100) pairs, best first; scores below ``CUTOFF`` are left out.
    """

    CUTOFF = 60
    LIMIT = 3

    def __init__(self, features: pd.DataFrame):
        self.pools: dict[str, tuple[list[str], list[str]]] = {}
        for pool, col, func in (("zh", "name_zh", _fuzzy_zh), ("en", "name_en", _en_key), ("id", "entity_id", str.strip)):
            keys = [func(v) for v in features[col]]
            pairs = [(k, e) for k, e in zip(keys, features["entity_id"]) if k]
            self.pools[pool] = ([k for k, _ in pairs], [e for _, e in pairs])

    def __call__(self, key: str) -> list[tuple[str, float]]:
        from rapidfuzz import fuzz, process
        if _CJK.search(key):
            probes = (("zh", _fuzzy_zh(key)[:100]),)
        else:
            probes = (("en", _en_key(key)[:100]), ("id", key.strip()[:100]))
        scored: dict[str, float] = {}
        for pool, probe in probes:
            choices, ids = self.pools[pool]
            if not probe or not choices:
                continue
            for _, score, i in process.extract(probe, choices, scorer=fuzz.WRatio, limit=10, score_cutoff=self.CUTOFF):
                scored[ids[i]] = max(scored.get(ids[i], 0.0), round(float(score), 1))
        return sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[: self.LIMIT]


def _fuzzy_zh(text: str) -> str:
    return _NATIONAL_PREFIX.sub("", _BRACKETS.sub("", _zh_key(text or "")))


def join_indicators(frame: pd.DataFrame, points, key_column: str, value_columns: list[str],
                    province_column: str | None = None, year_column: str | None = None,
                    source_label: str = "uploaded table", accepted: dict[int, str] | None = None) -> JoinResult:
    """Match each row of an uploaded table to a feature and turn its value columns into indicators.

    ``points`` is a ``Targets`` (``feature_targets``, ``province_targets``, ``prefecture_targets``) or a frame
    of point features with ``id`` (column or index), ``name_zh``, ``name_en``, ``province_zh``,
    ``province_en`` (and ``city``). ``accepted`` maps spreadsheet row numbers to the entity a person chose
    for them (a suggestion accepted in the page); those rows match by "accepted suggestion".
    Raises ``ValueError`` only for caller mistakes (a column that does not exist,
    or a value column that is also the key/province/year column); problems in the user's data are
    reported in the result.
    """
    value_columns = list(value_columns)
    named = [c for c in (key_column, province_column, year_column) if c is not None]
    missing = [c for c in named + value_columns if c not in frame.columns]
    if missing:
        raise ValueError(f"columns not in the table: {missing}")
    overlap = set(value_columns) & set(named)
    if overlap:
        raise ValueError(f"value columns cannot also be the key, province or year column: {sorted(overlap)}")
    if len(set(value_columns)) != len(value_columns):
        raise ValueError("a value column is listed twice")

    n = len(frame)
    rows = _row_numbers(frame)
    pos = np.arange(n)
    data = frame.reset_index(drop=True)
    targets = points if isinstance(points, Targets) else feature_targets(points)
    features = targets.features

    # blank rows and empty keys
    blank = np.ones(n, dtype=bool)
    for col in data.columns:
        blank &= _as_text(data[col]).str.strip().eq("").to_numpy()
    key_raw = _as_text(data[key_column])
    key_text = key_raw.str.strip()
    empty_key = key_text.eq("").to_numpy() & ~blank
    considered = ~blank & ~empty_key

    # candidates: id, names, codes, then short forms; the first step with any candidate wins
    probe = pd.DataFrame({"pos": pos[considered], "key": key_text.to_numpy()[considered]})
    cand = _candidates(targets, probe)
    if accepted:  # rows a person resolved: their choice replaces whatever the keys gave
        known = set(features["entity_id"])
        by_row = {int(r): e for r, e in accepted.items() if e in known}
        chosen_pos = [(p, by_row[int(rows[p])]) for p in pos[considered] if int(rows[p]) in by_row]
        if chosen_pos:
            taken = pd.DataFrame(chosen_pos, columns=["pos", "entity_id"]).assign(stage=6)
            cand = pd.concat([cand[~cand["pos"].isin(taken["pos"])], taken], ignore_index=True)
    cand = cand.astype({"pos": np.int64, "stage": np.int64})

    # province check / disambiguation
    if province_column is not None:
        prov_key = _map_unique(_as_text(data[province_column]), _province_key).to_numpy()
    else:
        prov_key = np.full(n, "", dtype=object)
    cand = cand.merge(features[["entity_id", "prov_zh_key", "prov_en_key"]], on="entity_id", how="left")
    row_prov = prov_key[cand["pos"].to_numpy()]
    cand["has_prov"] = row_prov != ""
    cand["prov_ok"] = (row_prov == cand["prov_zh_key"].to_numpy()) | (row_prov == cand["prov_en_key"].to_numpy())
    grouped = cand.groupby("pos")
    cand["n"] = grouped["entity_id"].transform("size")
    cand["n_ok"] = grouped["prov_ok"].transform("sum")
    single = cand["n"].eq(1)
    chosen = (single & (cand["stage"].isin([0, 6]) | ~cand["has_prov"] | cand["prov_ok"])) | \
             (~single & cand["has_prov"] & cand["prov_ok"] & cand["n_ok"].eq(1))
    matched = cand[chosen]
    mismatch_pos = cand.loc[single & ~chosen, "pos"].to_numpy()
    ambiguous = cand[~single & ~cand["pos"].isin(matched["pos"])]

    entity = np.full(n, None, dtype=object)
    entity[matched["pos"].to_numpy()] = matched["entity_id"].to_numpy()
    stage_of = np.full(n, -1)
    stage_of[matched["pos"].to_numpy()] = matched["stage"].to_numpy()
    reason = np.full(n, "", dtype=object)
    reason[blank] = BLANK_ROW
    reason[empty_key] = EMPTY_KEY
    has_cand = np.zeros(n, dtype=bool)
    has_cand[cand["pos"].to_numpy()] = True
    reason[considered & ~has_cand] = NO_MATCH
    reason[mismatch_pos] = PROVINCE_MISMATCH
    reason[ambiguous["pos"].unique()] = AMBIGUOUS

    # year
    if year_column is not None:
        years, invalid_year = parse_years(data[year_column])
        invalid_year = invalid_year.to_numpy()
    else:
        years, invalid_year = pd.Series(pd.NA, index=data.index, dtype="Int64"), np.zeros(n, dtype=bool)
    is_matched = entity != None  # noqa: E711  (element-wise on an object array)
    reason[is_matched & invalid_year] = INVALID_YEAR
    is_matched &= ~invalid_year

    # duplicates: the same feature and year in several rows, none used
    dup_frame = pd.DataFrame({"pos": pos[is_matched], "entity_id": entity[is_matched],
                              "year": years.to_numpy()[is_matched]})
    dup_mask = dup_frame.duplicated(["entity_id", "year"], keep=False).to_numpy()
    dups = dup_frame[dup_mask].copy()
    if len(dups):
        dups["row"] = rows[dups["pos"].to_numpy()]
        dups["rows"] = dups.groupby(["entity_id", "year"], dropna=False)["row"].transform(
            lambda r: ", ".join(str(x) for x in sorted(r)))
        dups["key"] = key_raw.to_numpy()[dups["pos"].to_numpy()]
        is_matched[dups["pos"].to_numpy()] = False
    duplicates = (dups.sort_values(["rows", "row"])[["row", "key", "entity_id", "year", "rows"]]
                  if len(dups) else pd.DataFrame(columns=["row", "key", "entity_id", "year", "rows"]))
    duplicates = duplicates.reset_index(drop=True)
    if len(duplicates):
        duplicates["year"] = duplicates["year"].astype("Int64")

    # unmatched rows with their reason and the closest names / candidates
    closest = np.full(n, "", dtype=object)
    if len(ambiguous) or len(mismatch_pos):
        lookup = features.set_index("entity_id", drop=False)
        listed = cand[cand["pos"].isin(ambiguous["pos"]) | cand["pos"].isin(mismatch_pos)]
        listed = listed[~listed["pos"].isin(ambiguous["pos"]) | ~(listed["n_ok"] >= 2) | listed["prov_ok"]]
        for p, ids in listed.groupby("pos")["entity_id"]:
            closest[p] = "; ".join(_describe(lookup.loc[e]) for e in sorted(ids))
    no_match = np.flatnonzero(reason == NO_MATCH)
    candidates = np.full(n, "", dtype=object)
    best = np.full(n, "", dtype=object)
    if len(no_match):  # suggestions for the first SUGGESTION_LIMIT distinct keys (the rest: none)
        suggest = _Suggester(features)
        lookup = features.set_index("entity_id", drop=False)
        codes, keys = pd.factorize(key_text.to_numpy(dtype=object)[no_match])
        found = [suggest(k) for k in keys[:SUGGESTION_LIMIT]] + [[]] * max(0, len(keys) - SUGGESTION_LIMIT)
        text = np.array(["; ".join(f"{_describe(lookup.loc[e])} {score:.0f}%" for e, score in f) for f in found],
                        dtype=object)
        ids = np.array(["; ".join(e for e, _ in f) for f in found], dtype=object)
        unique_best = np.array([f[0][0] if f and (len(f) == 1 or f[0][1] > f[1][1]) else "" for f in found],
                               dtype=object)
        closest[no_match] = text[codes]
        candidates[no_match] = ids[codes]
        best[no_match] = unique_best[codes]
    bad_rows = np.flatnonzero(reason != "")
    if len(ambiguous):  # an ambiguous key's candidates can be accepted too (never a best one: that is the point)
        for p, ids_ in cand[cand["pos"].isin(ambiguous["pos"])].groupby("pos")["entity_id"]:
            candidates[p] = "; ".join(sorted(ids_))
    unmatched = pd.DataFrame({"row": rows[bad_rows], "key": key_raw.to_numpy()[bad_rows],
                              "reason": reason[bad_rows], "closest": closest[bad_rows],
                              "candidates": candidates[bad_rows], "best": best[bad_rows]})

    # matches that were not exact: row, what was written, what it was taken to mean, how
    inexact = np.flatnonzero(is_matched & np.isin(stage_of, NOT_EXACT))
    by_id = features.set_index("entity_id", drop=False)
    resolved = pd.DataFrame({
        "row": rows[inexact], "key": key_raw.to_numpy()[inexact], "entity_id": entity[inexact],
        "taken_as": [_describe(by_id.loc[e]) for e in entity[inexact]],
        "how": [MATCHED_BY[s_] for s_ in stage_of[inexact]]})

    # values
    used = is_matched & ~blank
    labels = np.array([""] + [f"matched by {MATCHED_BY[s]}" for s in sorted(MATCHED_BY)], dtype=object)
    note_base = labels[stage_of + 1]
    pieces, bad_cells = [], []
    missing_cells = percent_cells = rewritten_cells = 0
    for order, col in enumerate(value_columns):
        nums = parse_numbers(data[col])
        empty = nums.empty.to_numpy() & ~blank
        bad = nums.bad.to_numpy() & ~blank
        missing_cells += int(empty.sum())
        if bad.any():
            idx = np.flatnonzero(bad)
            bad_cells.append(pd.DataFrame({"row": rows[idx], "order": order, "column": col,
                                           "text": _as_text(data[col]).to_numpy()[idx]}))
        take = used & nums.value.notna().to_numpy()
        if not take.any():
            continue
        idx = np.flatnonzero(take)
        pct = nums.percent.to_numpy()[idx]
        rewritten = nums.rewritten.to_numpy()[idx]
        percent_cells += int(pct.sum())
        rewritten_cells += int(rewritten.sum())
        note = note_base[idx]
        if rewritten.any():
            written = _as_text(data[col]).str.strip().to_numpy()[idx]
            note = np.where(rewritten, note + "; as written: " + written.astype(object), note)
        pieces.append(pd.DataFrame({
            "entity_id": entity[idx], "indicator": col, "year": years.to_numpy()[idx],
            "value": nums.value.to_numpy()[idx], "unit": np.where(pct, "%", ""),
            "source": source_label + " row " + rows[idx].astype(str).astype(object),
            "note": note, "flag": FLAG,
        }))
    if pieces:
        indicators = pd.concat(pieces, ignore_index=True)[INDICATOR_COLUMNS]  # by column, then row
    else:
        indicators = pd.DataFrame({c: pd.Series(dtype=object) for c in INDICATOR_COLUMNS})
        indicators["value"] = indicators["value"].astype(float)
    indicators["year"] = indicators["year"].astype("Int64")
    indicators["value"] = indicators["value"].astype(float)
    non_numeric = (pd.concat(bad_cells, ignore_index=True).sort_values(["row", "order"], kind="stable")
                   .drop(columns="order").reset_index(drop=True)
                   if bad_cells else pd.DataFrame(columns=["row", "column", "text"]))

    # the upload with its match, for download
    status = reason.copy()
    status[is_matched] = "matched"
    if len(dups):
        status[dups["pos"].to_numpy()] = "duplicate"
    names = features.set_index("entity_id")
    matched_ids = pd.Series(np.where(is_matched, entity, None), dtype=object)
    table = pd.concat([pd.DataFrame({
        "upload_row": rows,
        "matched_id": matched_ids.fillna(""),
        "matched_name_zh": matched_ids.map(names["name_zh"]).fillna(""),
        "matched_name_en": matched_ids.map(names["name_en"]).fillna(""),
        "match_status": status,
    }), data], axis=1)

    return JoinResult(indicators=indicators, matched_rows=int(is_matched.sum()), unmatched=unmatched,
                      duplicates=duplicates, non_numeric=non_numeric, rows_read=n, missing_cells=missing_cells,
                      percent_cells=percent_cells, rewritten_cells=rewritten_cells, table=table, resolved=resolved,
                      level=targets.level)


# --------------------------------------------------------------------------------------------
# export

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _guard(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv_bytes(frame: pd.DataFrame, index: bool = False) -> bytes:
    """CSV for download: UTF-8 with BOM (Excel opens Chinese text correctly), and text cells or
    headers starting with = + - @ (or tab / carriage return) prefixed with ' so a spreadsheet shows
    them as text instead of running them as formulas. Numeric columns are written unchanged."""
    out = frame.copy()
    for col in range(out.shape[1]):
        column = out.iloc[:, col]
        if isinstance(column.dtype, pd.StringDtype):
            risky = column.str.startswith(_FORMULA_START).fillna(False).astype(bool)
            if risky.any():
                out.isetitem(col, column.where(~risky, "'" + column))
        elif not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_datetime64_any_dtype(column)):
            out.isetitem(col, column.map(_guard))
    out.columns = [_guard(str(c)) for c in out.columns]
    if index and out.index.name is not None:
        out.index.name = _guard(str(out.index.name))
    text = out.to_csv(index=index, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


# --------------------------------------------------------------------------------------------
# template to fill in

TEMPLATE_VALUE = "value"


def template_frame(targets: Targets) -> pd.DataFrame:
    """Every target of one level with its id and names in both languages, and an empty value column."""
    f = targets.features
    out = pd.DataFrame({"id": f["entity_id"], "name_zh": f["name_zh"], "name_en": f["name_en"],
                        "province_zh": f["province_zh"], "province_en": f["province_en"]})
    if targets.level == LEVEL_PROVINCE:
        out = out.drop(columns=["province_zh", "province_en"])
    out[TEMPLATE_VALUE] = ""
    return out.sort_values("id").reset_index(drop=True)


def template_xlsx(targets: Targets) -> bytes:
    """The template as an Excel workbook (one sheet; the id column is what the upload matches on)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    frame = template_frame(targets)
    wb = Workbook()
    ws = wb.active
    ws.title = f"{targets.level} template"[:31]
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append([_guard(v) if isinstance(v, str) else v for v in row])
    for j, col in enumerate(frame.columns, start=1):
        width = max([len(str(col))] + [len(str(v)) for v in frame[col].head(500)])
        ws.column_dimensions[get_column_letter(j)].width = min(60, max(10, width * 1.3))
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def region_entity_level(entity_ids) -> str | None:
    """province / prefecture when every id is a province (prov-44) / prefecture (pref-330100) id, else None."""
    ids = pd.Series(list(entity_ids), dtype=object).astype(str)
    if len(ids) and ids.str.startswith("prov-").all():
        return LEVEL_PROVINCE
    if len(ids) and ids.str.startswith("pref-").all():
        return LEVEL_PREFECTURE
    return None


def with_unit(indicators: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The unit a person typed for the values that have none (a percentage keeps its %)."""
    unit = (unit or "").strip()[:40]
    if not unit or indicators.empty:
        return indicators
    out = indicators.copy()
    out["unit"] = out["unit"].where(out["unit"].astype(str).ne(""), unit)
    return out


def unique_best(unmatched: pd.DataFrame) -> dict[int, str]:
    """Rows whose closest candidate is unique (no tie at the top): row -> entity id, to accept at once."""
    if unmatched.empty or "best" not in unmatched.columns:
        return {}
    rows = unmatched[unmatched["best"].astype(str).ne("")]
    return {int(r): str(e) for r, e in zip(rows["row"], rows["best"])}
