"""Readable citations: the `source` / `coord_source` texts of the data as short references, and the full
bibliography. Pure; one table (`geodata/sources/references.csv`, copied to the built layers) drives it.

A citation text is one or more parts joined by ';'. Each part starts with a reference's `match`
(a regular expression: a paper's archived file name, the catalogue's citation, a dataset's name …);
what follows is the locator ("Table 1.4", "section 'Terms and Definitions'", "code G440301").
A part that matches no reference but follows one ("footnote 4" after "004_….txt, Annex A") is
another locator of the same reference.

>>> refs = Catalogue(pd.DataFrame([{"key": "zeng2011", "kind": "paper", "match": r"004_e203b0bd6315dda3\\.txt",
...     "short_en": "Zeng 2011, World Bank PRWP", "short_zh": "Zeng 2011，世界银行政策研究工作论文"}]))
>>> refs.short("004_e203b0bd6315dda3.txt, Table 1.4")
'Zeng 2011, World Bank PRWP, Table 1.4'
>>> refs.short("004_e203b0bd6315dda3.txt, Table 1.4", "zh")
'Zeng 2011，世界银行政策研究工作论文，表1.4'
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from .i18n import t

COLUMNS = ["key", "kind", "match", "short_en", "short_zh", "authors", "year", "title", "series", "publisher",
           "url", "archived_copy", "licence", "note"]
KINDS = ("paper", "catalogue", "compilation", "dataset")
# a raw source file name: never shown outside the Data page's bibliography
RAW_FILE_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt|\.csv\b|\.geojson\b")
# a part that is only a locator ("footnote 4"): it continues the reference before it
LOCATOR_ONLY = re.compile(r"^(footnotes?|Tables?|Annex|Figure|Box|[Ss]ection|para|§)\b")

# locator wording -> Chinese (the quoted section titles stay as the paper prints them)
_ZH_LOCATOR = [
    (re.compile(r"\(AMap, converted to WGS-84 by upstream\)"), "高德地理编码，已转换为 WGS-84"),
    (re.compile(r"^\(AMap centre (.+?)\), GCJ-02 converted to WGS-84$"), r"\1 中心点"),
    (re.compile(r"^\(AMap centre (.+?)\)"), r"\1 中心点"),
    (re.compile(r"`center` of (.+?) \(AMap centre\)"), r"\1 的中心点（高德）"),
    (re.compile(r"GCJ-02 converted to WGS-84"), "GCJ-02 已转换为 WGS-84"),
    (re.compile(r"\bprovince boundaries\b"), "省级边界"),
    (re.compile(r"\bZhejiang county boundaries\b"), "浙江县级边界"),
    (re.compile(r"\bcities500 geonameid (\d+) \((.+?)\)"), r"cities500 地名 ID \1（\2）"),
    (re.compile(r"\bTables? ([\w.–-]+)"), r"表\1"),
    (re.compile(r"\bAnnex (\w)\b"), r"附录\1"),
    (re.compile(r"\bFigure (\S+)"), r"图\1"),
    (re.compile(r"\bBox (\S+)"), r"专栏\1"),
    (re.compile(r"\bfootnotes? "), "脚注 "),
    (re.compile(r"\bsection '(.+?)'(?=$|[,;)\s])"), r"“\1”一节"),  # titles may hold apostrophes (China's)
    (re.compile(r"\bSection ([\w.-]+)"), r"第\1节"),
    (re.compile(r"\bpara (\d+)"), r"第\1段"),
    (re.compile(r"\bcode ([A-Z]\d+)"), r"代码 \1"),
    (re.compile(r"\bcolumn (\S+)"), r"列 \1"),
    (re.compile(r"^Abstract$"), "摘要"),
    (re.compile(r"^introduction$", re.IGNORECASE), "引言"),
    (re.compile(r"^SEZ list$"), "经济特区名单"),
    (re.compile(r"^Zhejiang table$"), "浙江产业集群表"),
    (re.compile(r"^text \((.+)\)$"), r"正文（\1）"),
    (re.compile(r", "), "，"),  # "section '…', para 2" -> "…一节，第2段" (thousands separators have no space)
]
_EN_LOCATOR = [
    (re.compile(r"\(AMap, converted to WGS-84 by upstream\)"), "AMap geocode, converted to WGS-84"),
    # the datum conversion is in the full entry; the short form names the place
    (re.compile(r"^\(AMap centre (.+?)\), GCJ-02 converted to WGS-84$"), r"centre of \1"),
    (re.compile(r"^\(AMap centre (.+?)\)"), r"centre of \1"),
]


@dataclass(frozen=True)
class Reference:
    key: str
    kind: str
    match: re.Pattern
    short_en: str
    short_zh: str
    fields: dict = field(default_factory=dict, compare=False, hash=False)

    def short(self, lang: str = "en") -> str:
        return self.short_zh if lang == "zh" and self.short_zh else self.short_en


@dataclass(frozen=True)
class Cited:
    """One reference of a citation with its locators; `key` is None when no reference matched."""
    key: str | None
    locators: tuple[str, ...]
    raw: str


def split_parts(text) -> list[str]:
    if text is None or (isinstance(text, float) and pd.isna(text)) or text is pd.NA:
        return []
    return [p.strip() for p in str(text).split(";") if p.strip()]


def localise_locator(locator: str, lang: str = "en") -> str:
    for pattern, repl in (_ZH_LOCATOR if lang == "zh" else _EN_LOCATOR):
        locator = pattern.sub(repl, locator)
    return locator


class Catalogue:
    """The references table, ready to resolve citation texts."""

    def __init__(self, table: pd.DataFrame):
        problems = validate_table(table)
        if problems:
            raise ValueError("references table: " + "; ".join(problems))
        self.refs: dict[str, Reference] = {}
        for row in table.fillna("").to_dict("records"):
            self.refs[row["key"]] = Reference(row["key"], row.get("kind", ""), re.compile(row["match"]),
                                              row["short_en"], row.get("short_zh", ""),
                                              {c: str(row.get(c, "") or "") for c in COLUMNS})

    def match(self, part: str) -> tuple[Reference | None, str]:
        """The reference a citation part starts with, and the rest of the part (its locator)."""
        for ref in self.refs.values():
            m = ref.match.match(part)
            if m:
                return ref, part[m.end():].strip().lstrip(",").strip()
        return None, part

    def resolve(self, text) -> list[Cited]:
        """A citation text as its references, in order; consecutive parts of one reference merged."""
        out: list[list] = []
        for part in split_parts(text):
            ref, locator = self.match(part)
            if ref is None and out and out[-1][0] is not None and LOCATOR_ONLY.match(part):
                out[-1][1].append(part)  # "footnote 4" after a paper's part: that paper again
                out[-1][2].append(part)
                continue
            if ref is not None and out and out[-1][0] == ref.key:
                out[-1][1].extend([locator] if locator else [])
                out[-1][2].append(part)
                continue
            out.append([ref.key if ref else None, [locator] if (ref and locator) else [], [part]])
        return [Cited(key, tuple(locs), "; ".join(raw)) for key, locs, raw in out]

    def unresolved(self, text) -> list[str]:
        """The parts of a citation text that no reference matches."""
        return [c.raw for c in self.resolve(text) if c.key is None]

    def used_keys(self, text) -> set[str]:
        return {c.key for c in self.resolve(text) if c.key}

    def short(self, text, lang: str = "en") -> str:
        """A citation text as people read it: "Zeng 2011, World Bank PRWP, Table 1.4"; several references
        joined by '; ', a compilation after the dataset it carries ("GHS-BUILT-S R2023A via …").
        Text no reference matches (a user's own citation) is returned as it is."""
        comma = "，" if lang == "zh" else ", "
        pieces: list[str] = []
        for cited in self.resolve(text):
            if cited.key is None:
                pieces.append(cited.raw)
                continue
            ref = self.refs[cited.key]
            locs = " · ".join(localise_locator(loc, lang) for loc in cited.locators)
            piece = ref.short(lang) + (comma + locs if locs else "")
            if ref.kind == "compilation" and pieces:  # the dataset before it, as compiled there
                name = ref.short(lang) + ("" if ref.short(lang).endswith("）") else " ")
                pieces[-1] += (f"，经 {name}汇编" + (comma + locs if locs else "") if lang == "zh"
                               else f" via {piece}")
            else:
                pieces.append(piece)
        return ("；" if lang == "zh" else "; ").join(pieces)

    def full(self, key: str, lang: str = "en", with_copy: bool = True, with_url: bool = True) -> str:
        """The full bibliographic entry of one reference (authors, year, title, series, publisher, URL,
        licence; and the archived copy's file name, shown on the Data page only)."""
        f = self.refs[key].fields

        def known(col: str) -> str:
            return f[col] if f[col] and f[col] != "unknown" else t(f"ref_{col}_unknown", lang)

        parts = [f"{known('authors')} ({known('year')})", known("title")]
        parts += [f[c] for c in ("series", "publisher") if f[c] and f[c] != "unknown"]
        if with_url and f["url"] and f["url"] != "unknown":
            parts.append(f["url"])
        if f["licence"]:
            parts.append(f"{t('ref_licence', lang)}: {f['licence']}")
        if with_copy and f["archived_copy"]:
            parts.append(f"{t('ref_copy', lang)}: {f['archived_copy']}")
        return " ".join(p if p[-1:] in ".?!" else p + "." for p in parts)

    def url(self, key: str) -> str | None:
        """The reference's web address when it is one (http/https, no spaces), else None."""
        url = self.refs[key].fields["url"].split(" ")[0]
        return url if re.fullmatch(r"https?://[^\s()<>\[\]]+", url) else None

    def bibliography(self, lang: str = "en") -> pd.DataFrame:
        """Every reference: its short form and full entry (with the archived copy), for the Data page."""
        return pd.DataFrame([{"key": k, "short": r.short(lang), "full": self.full(k, lang)}
                             for k, r in self.refs.items()])


def validate_table(table: pd.DataFrame) -> list[str]:
    """Problems of a references table (missing columns, duplicate keys, empty short forms, bad patterns)."""
    problems = []
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        return [f"missing column(s) {', '.join(missing)}"]
    keys = table["key"].astype(str)
    for key in sorted(set(keys[keys.duplicated()])):
        problems.append(f"key {key!r} appears more than once")
    for i, row in enumerate(table.fillna("").to_dict("records"), start=2):
        where = f"row {i} ({row['key'] or 'no key'})"
        if not str(row["key"]).strip():
            problems.append(f"{where}: empty key")
        if row["kind"] not in KINDS:
            problems.append(f"{where}: kind {row['kind']!r} is not one of {', '.join(KINDS)}")
        for col in ("match", "short_en", "short_zh", "authors", "year", "title", "licence"):
            if not str(row[col]).strip():
                problems.append(f"{where}: empty {col} (write 'unknown' where the source does not say)")
        try:
            re.compile(str(row["match"]))
        except re.error as exc:
            problems.append(f"{where}: match is not a regular expression ({exc})")
        for col in ("short_en", "short_zh"):
            if RAW_FILE_NAME.search(str(row[col])):
                problems.append(f"{where}: {col} contains a file name")
    return problems
