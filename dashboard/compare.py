"""Side-by-side comparison of 2–4 zones, clusters, provinces or regions. Pure functions."""
from __future__ import annotations

import pandas as pd

from .filters import quoted
from .i18n import t
from .layers import LAYERS, POINT_LAYER_IDS, REGION_IDS, region_label
from .profiles import facts

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


def area_summary(points: pd.DataFrame, entity_id: str) -> dict[str, float]:
    """Counts of zones by type, total approved area (catalogue zones) and towns/clusters of an area."""
    inside = members(points, entity_id)
    counts = inside["layer"].value_counts()
    out = {f"count_{lid}": float(counts.get(lid, 0)) for lid in POINT_LAYER_IDS}
    out["approved_area_km2"] = float(pd.to_numeric(inside["area_km2"], errors="coerce").sum())
    out["zones_total"] = float(sum(counts.get(lid, 0) for lid in POINT_LAYER_IDS if LAYERS[lid].zone))
    return out


def area_facts(points: pd.DataFrame, ids: list[str], lang: str = "en") -> pd.DataFrame:
    """Aligned table for areas: one row per measure, one column per area."""
    rows = {eid: area_summary(points, eid) for eid in ids}
    frame = pd.DataFrame(rows)
    labels = {f"count_{lid}": (LAYERS[lid].label_zh if lang == "zh" else LAYERS[lid].label_en)
              for lid in POINT_LAYER_IDS}
    labels["approved_area_km2"] = t("area_approved_km2", lang)
    labels["zones_total"] = t("area_zones_total", lang)
    frame.index = [labels[i] for i in frame.index]
    return frame


def feature_facts(points: pd.DataFrame, ids: list[str], lang: str, sector_labels: dict[str, str],
                  glossary: dict[str, str] | None = None, cite=None) -> pd.DataFrame:
    """Aligned facts of features: one row per fact label (in profile order), one column per feature."""
    columns = {}
    order: list[str] = []
    for fid in ids:
        rec = points.loc[fid].to_dict()
        pairs = facts(rec, lang, sector_labels, glossary, cite)
        columns[fid] = dict(pairs)
        order += [label for label, _ in pairs if label not in order]
    return pd.DataFrame(columns).reindex(order).fillna("—")


def differing_rows(table: pd.DataFrame) -> pd.Series:
    """True where the compared entities differ."""
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
