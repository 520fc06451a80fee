"""Side-by-side comparison of 2–4 zones, clusters, provinces or regions. Pure functions."""
from __future__ import annotations

import pandas as pd

from .filters import quoted
from .i18n import t
from .layers import LAYERS, POINT_LAYER_IDS, REGION_IDS, region_label
from .profiles import fact_items

MIN_ITEMS, MAX_ITEMS = 2, 4
REGION_BY_ID = {rid: name for name, rid in REGION_IDS.items()}


def entity_names(points: pd.DataFrame, provinces: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Every comparable entity id -> (English name, Chinese name)."""
    names = {fid: (en, zh) for fid, en, zh in zip(points["id"], points["name_en"], points["name_zh"])}
    names.update({pid: (en, zh) for pid, en, zh in zip(provinces["id"], provinces["name_en"], provinces["name_zh"])})
    names.update({rid: (region_label(name), region_label(name, "zh")) for rid, name in REGION_BY_ID.items()})
    return names


def parse_compare(value: str, known: set[str], lang: str = "en") -> tuple[list[str], list[str]]:
    """`id,id,...` from the URL -> up to four known ids, plus notices for what was dropped."""
    notices = []
    ids = list(dict.fromkeys(v.strip() for v in str(value or "").split(",") if v.strip()))
    unknown = [i for i in ids if i not in known]
    if unknown:
        notices.append(t("n_unknown", lang, name="compare", values=quoted(unknown)))
    ids = [i for i in ids if i in known]
    if len(ids) > MAX_ITEMS:
        notices.append(t("n_compare_max", lang, max=MAX_ITEMS, n=len(ids)))
        ids = ids[:MAX_ITEMS]
    return ids, notices


def is_area(entity_id: str) -> bool:
    return entity_id.startswith("prov-") or entity_id in REGION_BY_ID


def members(points: pd.DataFrame, entity_id: str) -> pd.DataFrame:
    """The point features inside a province or region (a feature id gives itself)."""
    if entity_id.startswith("prov-"):
        return points[points["adcode"].astype(str).str[:2] == entity_id.removeprefix("prov-")]
    if entity_id in REGION_BY_ID:
        return points[points["region"] == REGION_BY_ID[entity_id]]
    return points[points["id"] == entity_id]


# the facts an audience compares, in this order; the rest (names, codes, coordinates, citations) is provenance
LEAD_FACTS = ("f_type", "f_level", "f_province", "f_city", "f_region", "f_year", "f_approval", "f_area",
              "f_leading", "f_sectors", "f_products", "f_cluster_type")
PROVENANCE_FACTS = ("f_name_en", "f_name_zh", "f_year_note", "f_catalogue", "f_paper_list", "f_coords",
                    "f_source", "f_note")
AREA_FACTS = ("f_type", "f_region", "area_first_year", "area_zones_total", "area_land_km2", "area_density",
              "area_approved_km2", "f_sectors")
DASH = "—"
HIGHLIGHT = "background-color:#fff3cd"  # a row whose values differ


WHOLE_UNITS = frozenset({"persons", "人"})  # counts of people: a modelled 538,604.76 persons reads as 538,605


def number_text(value: float, unit: str = "") -> str:
    """A number as people read it: thousands separated, no spurious decimals."""
    if pd.isna(value):
        return DASH
    if float(value).is_integer() or (unit in WHOLE_UNITS and abs(value) >= 100):
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) >= 100 else f"{value:,.4g}"


def latest_values(shared: pd.DataFrame, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The latest value of each shared indicator per entity, "value (year, footnote)", and its citation.

    `shared` = localised rows (charts.localise) of `shared_indicators`. Returns two tables indexed by
    "label (unit)", one column per entity id: the values, and the sources of exactly those values."""
    values: dict[str, dict[str, str]] = {}
    sources: dict[str, dict[str, str]] = {}
    if shared.empty:
        return pd.DataFrame(), pd.DataFrame()
    rows = shared.dropna(subset=["value"]).assign(_year=lambda f: pd.to_numeric(f["chart_year"] if "chart_year"
                                                                                in f else f["year"]))
    for (_, unit), grp in rows.groupby(["indicator", "unit"], sort=True):
        title = f"{grp['label'].iloc[0]} ({unit})" if unit else grp["label"].iloc[0]
        for eid, mine in grp.groupby("entity_id"):
            last = mine.sort_values("_year", na_position="first").iloc[-1]
            when = [str(int(last["_year"]))] if pd.notna(last["_year"]) else []
            when += [last["flag"]] if str(last.get("flag") or "").strip() else []
            values.setdefault(title, {})[eid] = number_text(last["value"], last.get("unit", "")) + (f" ({', '.join(when)})" if when else "")
            sources.setdefault(title, {})[eid] = str(last.get("source") or "")
    return pd.DataFrame(values).T, pd.DataFrame(sources).T


def feature_comparison(points: pd.DataFrame, ids: list[str], lang: str, sector_labels: dict[str, str],
                       glossary: dict[str, str] | None = None, cite=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(facts, provenance) of features side by side: one row per fact in LEAD_FACTS / PROVENANCE_FACTS order,
    one column per feature id; a fact none of them has is left out, a cell one lacks is a dash."""
    lead: dict[str, dict[str, str]] = {}
    prov: dict[str, dict[str, str]] = {}
    for fid in ids:
        rec = points.loc[fid].to_dict()
        items = dict(fact_items(rec, lang, sector_labels, glossary, cite))
        year = rec.get("year")
        items["f_year"] = t("missing", lang) if year is None or pd.isna(year) else str(int(year))
        if isinstance(rec.get("year_note"), str) and rec["year_note"].strip():
            items["f_year_note"] = rec["year_note"]
        for key in LEAD_FACTS:
            if key in items:
                lead.setdefault(key, {})[fid] = items[key]
        for key in PROVENANCE_FACTS:
            if key in items:
                prov.setdefault(key, {})[fid] = items[key]
    return _labelled(lead, LEAD_FACTS, ids, lang), _labelled(prov, PROVENANCE_FACTS, ids, lang)


def _labelled(cells: dict[str, dict[str, str]], order: tuple[str, ...], ids: list[str], lang: str) -> pd.DataFrame:
    keys = [k for k in order if k in cells]
    frame = pd.DataFrame([[cells[k].get(i, DASH) for i in ids] for k in keys], columns=ids,
                         index=[t(k, lang) for k in keys])
    return frame


def area_comparison(points: pd.DataFrame, provinces: pd.DataFrame, ids: list[str], lang: str,
                    sector_labels: dict[str, str]) -> pd.DataFrame:
    """Provinces and regions on the same kind of facts as features: type, region, first zone's year, zones
    (in total and by type), land area, density, approved area of the catalogue zones, leading sectors."""
    from .regions import province_table, region_table, top_sectors
    prov = province_table(points, provinces)
    reg = region_table(prov)
    type_labels = {lid: (LAYERS[lid].label_zh if lang == "zh" else LAYERS[lid].label_en) for lid in POINT_LAYER_IDS}
    cells: dict[str, dict[str, str]] = {}

    def put(key, eid, value):
        cells.setdefault(key, {})[eid] = value

    for eid in ids:
        inside = members(points, eid)
        row = prov.loc[eid] if eid in prov.index else reg.loc[eid] if eid in reg.index else None
        if eid in prov.index:
            put("f_type", eid, t("area_province", lang))
            put("f_region", eid, f"{region_label(row['region'], lang) if isinstance(row['region'], str) else DASH}"
                                 f" · {t('coastal_yes' if row['coastal'] else 'coastal_no', lang)}")
        else:
            put("f_type", eid, t("area_region", lang))
        zones = inside[inside["layer"].map(lambda l: LAYERS[l].zone) & inside["year"].notna()]
        put("area_first_year", eid, str(int(zones["year"].min())) if len(zones) else DASH)
        if row is not None:
            put("area_zones_total", eid, number_text(row["zones_total"]))
            put("area_land_km2", eid, number_text(round(float(row["land_area_km2"]))))
            put("area_density", eid, f"{row['zones_per_10k_km2']:,.2f}")
            put("area_approved_km2", eid, number_text(row["approved_area_km2"]))
            for lid in POINT_LAYER_IDS:
                put(f"count_{lid}", eid, number_text(row[lid]))
        put("f_sectors", eid, ", ".join(sector_labels.get(k, k) for k in top_sectors(inside["sectors"])) or DASH)
    order = AREA_FACTS[:4] + tuple(f"count_{lid}" for lid in POINT_LAYER_IDS) + AREA_FACTS[4:]
    keys = [k for k in order if k in cells and not (k.startswith("count_")
                                                    and all(v == "0" for v in cells[k].values()))]
    return pd.DataFrame([[cells[k].get(i, DASH) for i in ids] for k in keys], columns=ids,
                        index=[type_labels[k[6:]] if k.startswith("count_") else t(k, lang) for k in keys])


def differing_rows(table: pd.DataFrame) -> pd.Series:
    """True where the compared entities differ (a dash counts as a value: one has it, another not)."""
    return table.astype(str).nunique(axis=1) > 1


def establishment(points: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Cumulative count of zones by year of establishment/approval, per area (for same-axes charts)."""
    frames = []
    for eid in ids:
        inside = members(points, eid)
        inside = inside[inside["layer"].map(lambda l: LAYERS[l].zone) & inside["year"].notna()]
        per_year = inside.groupby(inside["year"].astype(int)).size()
        years = range(1979, 2019)
        cumulative = per_year.reindex(years, fill_value=0).cumsum()
        frames.append(pd.DataFrame({"entity_id": eid, "year": list(years), "value": cumulative.values}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["entity_id", "year", "value"])


def shared_indicators(indicators: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Indicator rows of (indicator, unit) pairs that at least two of the entities have."""
    rows = indicators[indicators["entity_id"].isin(ids)]
    spread = rows.groupby(["indicator", "unit"])["entity_id"].nunique()
    keep = spread[spread >= 2].index
    return rows.set_index(["indicator", "unit"]).loc[lambda f: f.index.isin(keep)].reset_index()


ALIGN_MODES = ("calendar", "designation")


def parse_align(value, lang: str = "en") -> tuple[str, list[str]]:
    """`align` from the URL: calendar (default) or designation (years since each zone's approval)."""
    raw = str(value or "").strip().lower()
    if not raw:
        return "calendar", []
    if raw in ALIGN_MODES:
        return raw, []
    return "calendar", [t("n_not_choice", lang, name="align", value=quoted([str(value)]),
                          choices=", ".join(ALIGN_MODES))]
