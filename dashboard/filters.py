"""Map/cluster filter state: parse from and write to the URL, apply to the points. Pure functions."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace

import pandas as pd

from .i18n import t
from .layers import NATIONAL_LAYER_IDS, POINT_LAYER_IDS, PROVINCIAL_LAYER_IDS, REGION_IDS, REGIONS

YEAR_MIN, YEAR_MAX = 1979, 2018
REGION_KEYS = {rid.removeprefix("region-"): name for name, rid in REGION_IDS.items()}  # yrd -> Yangtze River Delta
MAX_QUERY_LEN = 100
CHOROPLETH_MODES = ("count", "density", "off")
TILE_MODES = ("osm", "none")
PAPER_MODES = ("all", "paper", "catalogue")
# `layers=provincial` (or `national`) in a link stands for every layer of that approval level
LAYER_GROUPS = {"provincial": PROVINCIAL_LAYER_IDS, "national": NATIONAL_LAYER_IDS}


@dataclass(frozen=True)
class MapState:
    layers: tuple[str, ...] = POINT_LAYER_IDS
    provinces: tuple[str, ...] = ()   # English province names, e.g. "Guangdong"
    regions: tuple[str, ...] = ()     # region keys: yrd, prd, bohai, central, northeast, western
    coastal: str = "all"              # all | coastal | inland
    year_min: int = YEAR_MIN
    year_max: int = YEAR_MAX
    sectors: tuple[str, ...] = ()
    q: str = ""
    zone: str = ""
    paper: str = "all"                # all | paper (only the papers' 2009-10 lists) | catalogue (2018 only)
    choropleth: str = "count"
    tiles: str = "osm"
    table: bool = False               # the result table shown under the map (off: the map comes up faster)

    @property
    def year_filtered(self) -> bool:
        return (self.year_min, self.year_max) != (YEAR_MIN, YEAR_MAX)


DEFAULT = MapState()


@dataclass
class Vocab:
    """What the URL values are checked against."""
    provinces: dict[str, str]  # any accepted spelling (en, zh, code, lower-case) -> canonical English name
    sectors: tuple[str, ...]
    feature_ids: frozenset[str] = field(default_factory=frozenset)


def vocab_from(points: pd.DataFrame, regions_table: pd.DataFrame, sector_keys) -> Vocab:
    provinces: dict[str, str] = {}
    for rec in regions_table.to_dict("records"):
        en = rec["province_en"]
        for spelling in (en, en.lower(), rec["province_zh"], str(rec["province_code"])):
            provinces[spelling] = en
    return Vocab(provinces=provinces, sectors=tuple(sector_keys), feature_ids=frozenset(points["id"]))


TRUTHY, FALSY = ("1", "true", "yes", "on"), ("0", "false", "no", "off")  # a yes/no URL value


def _split(value) -> list[str]:
    if isinstance(value, (list, tuple)):
        value = ",".join(str(v) for v in value)
    return [v.strip() for v in str(value or "").split(",") if v.strip()]


# ASCII punctuation but the quotes: CommonMark shows any of it literally after a backslash
MD_PUNCT = re.compile(r"([!#-&(-/:-@\[-`{-~])")


def md_text(value) -> str:
    """Text from a URL shown through Markdown (st.warning): no link, image, emphasis, `:red[…]`, emoji
    shortcode or autolinked URL can come of it."""
    return MD_PUNCT.sub(r"\\\1", str(value))


def quoted(values: list[str], limit: int = 5, width: int = 40) -> str:
    """Ignored URL values for a notice (Markdown): quoted, cut to `width` characters, at most `limit` of them."""
    return ", ".join(md_text(repr(str(v)[:width])) for v in values[:limit]) + (" …" if len(values) > limit else "")


def parse_query(params: dict, vocab: Vocab, lang: str = "en") -> tuple[MapState, list[str]]:
    """URL query parameters -> a valid MapState plus a notice (in `lang`) for every value that was ignored."""
    notices: list[str] = []
    state = DEFAULT

    def keep_known(name: str, values: list[str], known, canon=lambda v: v) -> tuple[str, ...]:
        good, bad = [], []
        for v in values:
            c = canon(v)
            (good if c is not None and c in known else bad).append(c if c is not None and c in known else v)
        if bad:
            notices.append(t("n_unknown", lang, name=name, values=quoted(bad)))
        return tuple(dict.fromkeys(good))

    if "layers" in params:
        asked = [x for v in _split(params["layers"]) for x in LAYER_GROUPS.get(v.lower(), (v,))]
        layers = keep_known("layers", asked, POINT_LAYER_IDS)
        state = replace(state, layers=layers if layers or not _split(params["layers"]) else DEFAULT.layers)
        if not layers and _split(params["layers"]):
            notices.append(t("n_no_layer", lang))
    if "province" in params:
        state = replace(state, provinces=keep_known(
            "province", _split(params["province"]), set(vocab.provinces.values()),
            lambda v: vocab.provinces.get(v, vocab.provinces.get(v.lower()))))
    if "region" in params:
        state = replace(state, regions=keep_known("region", _split(params["region"]), REGION_KEYS,
                                                  lambda v: v.lower().removeprefix("region-")))
    if "sector" in params:
        state = replace(state, sectors=keep_known("sector", _split(params["sector"]), vocab.sectors,
                                                  lambda v: v.lower()))
    for name, choices in (("coastal", ("all", "coastal", "inland")), ("paper", PAPER_MODES),
                          ("choropleth", CHOROPLETH_MODES), ("tiles", TILE_MODES)):
        if name in params:
            value = str(params[name]).strip().lower()
            if value in choices:
                state = replace(state, **{name: value})
            else:
                notices.append(t("n_not_choice", lang, name=name, value=quoted([str(params[name])]),
                                 choices=", ".join(choices)))
    if "table" in params:
        value = str(params["table"]).strip().lower()
        if value in TRUTHY + FALSY:
            state = replace(state, table=value in TRUTHY)
        else:
            notices.append(t("n_not_choice", lang, name="table", value=quoted([str(params["table"])]),
                             choices="1, 0"))
    years = {}
    for name in ("year_min", "year_max"):
        if name in params:
            raw = str(params[name]).strip()
            try:
                value = int(raw)
            except ValueError:
                notices.append(t("n_not_year", lang, name=name, value=quoted([raw])))
                continue
            if not YEAR_MIN <= value <= YEAR_MAX:
                notices.append(t("n_year_outside", lang, name=name, value=value, lo=YEAR_MIN, hi=YEAR_MAX))
                continue
            years[name] = value
    if years:
        lo, hi = years.get("year_min", YEAR_MIN), years.get("year_max", YEAR_MAX)
        if lo > hi:
            notices.append(t("n_years_empty", lang, lo=lo, hi=hi, min=YEAR_MIN, max=YEAR_MAX))
        else:
            state = replace(state, year_min=lo, year_max=hi)
    if "q" in params:
        q = str(params["q"]).strip()
        if len(q) > MAX_QUERY_LEN:
            notices.append(t("n_q_cut", lang, n=MAX_QUERY_LEN))
            q = q[:MAX_QUERY_LEN]
        state = replace(state, q=q)
    if "zone" in params:
        zone = str(params["zone"]).strip()
        if zone in vocab.feature_ids:
            state = replace(state, zone=zone)
        elif zone:
            notices.append(t("n_no_feature", lang, name="zone", value=quoted([zone])))
    return state, notices


def to_query(state: MapState) -> dict[str, str]:
    """MapState -> the URL query parameters that differ from the defaults."""
    out: dict[str, str] = {}
    d, default = asdict(state), asdict(DEFAULT)
    names = {"provinces": "province", "regions": "region", "sectors": "sector"}
    for key, value in d.items():
        if value == default[key]:
            continue
        out[names.get(key, key)] = (",".join(value) if isinstance(value, tuple) else "1" if value is True
                                    else str(value))
    return out


def search_text(points: pd.DataFrame) -> pd.Series:
    """What the search looks in, lower-case: English and Chinese names, city, products, id, sector terms.
    It does not depend on the query: pages make it once per data set (app.search_text)."""
    hay = (points["name_en"].fillna("") + " | " + points["name_zh"].fillna("") + " | "
           + points["city"].fillna("") + " | " + points["products"].fillna("") + " | " + points["id"]
           + " | " + points["sector_terms"].map(lambda t: " ".join(t or [])))
    return hay.str.lower()


def matches_text(points: pd.DataFrame, q: str, hay: pd.Series | None = None) -> pd.Series:
    """Case-insensitive search over English and Chinese names, city, products and id (`hay`: search_text
    of `points` or of a frame that holds them, made beforehand)."""
    q = q.strip().lower()
    if not q:
        return pd.Series(True, index=points.index)
    hay = search_text(points) if hay is None else hay.reindex(points.index)
    return hay.str.contains(q, regex=False)


def apply_filters(points: pd.DataFrame, state: MapState, hay: pd.Series | None = None,
                  columns: list[str] | None = None) -> pd.DataFrame:
    """The features that pass every filter of `state` (`hay`: search_text made beforehand, optional), with
    only `columns` when given: copying the selected rows of every column is most of the cost at 10x."""
    keep = points["layer"].isin(state.layers)
    if state.provinces:
        keep &= points["province_en"].isin(state.provinces)
    if state.regions:
        keep &= points["region"].isin([REGION_KEYS[r] for r in state.regions])
    if state.coastal != "all":
        keep &= points["coastal"].astype(bool) == (state.coastal == "coastal")
    if state.year_filtered:
        year = points["year"]
        keep &= year.notna() & (year.fillna(0) >= state.year_min) & (year.fillna(0) <= state.year_max)
    if state.sectors:
        wanted = set(state.sectors)
        keep &= points["sectors"].map(lambda s: bool(wanted.intersection(s or [])))
    if state.paper == "paper":
        keep &= points["paper_list"].fillna("") != ""
    elif state.paper == "catalogue":
        keep &= points["catalogue_code"].fillna("") != ""
    keep &= matches_text(points, state.q, hay)
    return points.loc[keep, columns] if columns is not None else points[keep]


def counts_by_layer(points: pd.DataFrame, layers=POINT_LAYER_IDS) -> dict[str, int]:
    counts = points["layer"].value_counts()
    return {lid: int(counts.get(lid, 0)) for lid in layers}


def hidden_without_year(points: pd.DataFrame, state: MapState, hay: pd.Series | None = None) -> int:
    """How many features a year filter hides only because they have no year."""
    if not state.year_filtered:
        return 0
    without = apply_filters(points, replace(state, year_min=YEAR_MIN, year_max=YEAR_MAX), hay)
    return int(without["year"].isna().sum())


__all__ = ["MapState", "DEFAULT", "Vocab", "vocab_from", "parse_query", "to_query", "apply_filters",
           "counts_by_layer", "hidden_without_year", "REGIONS", "REGION_KEYS"]
