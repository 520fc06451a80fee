"""Profile content for one feature: aligned facts with their citations, and its indicators. Pure."""
from __future__ import annotations

import pandas as pd

from .i18n import STRINGS, t
from .layers import LAYERS, level_label, region_label
from .layers import level_of as layer_level



def _blank(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == ""


def label_of(key: str, lang: str) -> str:
    """A cluster type (Markusen's, the Chinese types of seed 003, or the origin) in `lang`."""
    return t(f"ctype_{key}", lang) if f"ctype_{key}" in STRINGS else key


def products_text(products, lang: str = "en", glossary: dict[str, str] | None = None) -> str:
    """Products as printed (';'-separated); in Chinese through the glossary (English word -> 中文) where it has one."""
    terms = [p.strip() for p in str(products or "").split(";") if p.strip()]
    if lang == "zh":
        return "、".join((glossary or {}).get(p.lower(), p) for p in terms)
    return ", ".join(terms)


def level_text(rec: dict, lang: str = "en") -> str:
    """National / provincial (the layer registry), with who approved it where the 2018 catalogue says
    (code G… = the State Council, S… = a provincial government); '' when neither says."""
    code = str(rec.get("catalogue_code") or "")[:1]
    level = layer_level(rec.get("layer") or "") or {"G": "national", "S": "provincial"}.get(code, "")
    if not level:
        return ""
    approver = {"G": "level_by_state_council", "S": "level_by_province"}.get(code)
    return level_label(level, lang) + (t(approver, lang) if approver else "")


def facts(rec: dict, lang: str = "en", sector_labels: dict[str, str] | None = None,
          glossary: dict[str, str] | None = None, cite=None) -> list[tuple[str, str]]:
    """(label, value) rows for a feature; missing values say they are missing. `cite` (citation text ->
    short reference, see `references.Catalogue.short`) makes the source and coordinate source readable."""
    return [(t(key, lang), value) for key, value in fact_items(rec, lang, sector_labels, glossary, cite)]


def fact_items(rec: dict, lang: str = "en", sector_labels: dict[str, str] | None = None,
               glossary: dict[str, str] | None = None, cite=None) -> list[tuple[str, str]]:
    """(string key of the label, value) rows for a feature, in profile order (see `facts`)."""
    sector_labels = sector_labels or {}
    cite = cite or (lambda text: text)
    missing = t("missing", lang)
    info = LAYERS.get(rec.get("layer"), None)
    ltype = (info.label_zh if lang == "zh" else info.label_en) if info else rec.get("layer", "")
    region = rec.get("region") or ""
    region_text = region_label(region, lang)
    coastal = t("coastal_yes" if rec.get("coastal") else "coastal_no", lang)
    province = rec.get("province_zh") if lang == "zh" else rec.get("province_en")
    year = rec.get("year")
    year_text = missing if _blank(year) else str(int(year))
    if not _blank(rec.get("year_note")) and not _blank(year):
        year_text += f" ({rec['year_note']})"
    elif _blank(year) and not _blank(rec.get("year_note")) and rec["year_note"].strip() != "not given":
        year_text = f"{missing} ({rec['year_note']})"
    area = rec.get("area_km2")
    types = [label_of(k, lang) for k in (rec.get("cluster_type_markusen"), rec.get("cluster_type_china"),
                                         rec.get("origin")) if not _blank(k)]
    geom = rec.get("geometry")
    precision = t(f"precision_{rec.get('coord_precision')}", lang) if rec.get("coord_precision") else ""
    level = level_text(rec, lang)
    rows = [
        ("f_name_en", rec.get("name_en") or missing),
        ("f_name_zh", rec.get("name_zh") or missing),
        ("f_type", ltype),
        *([("f_level", level)] if level else []),
        ("f_province", f"{province or missing}"),
        ("f_city", " ".join(dict.fromkeys(
            str(x) for x in (rec.get("city"), rec.get("county_zh"), rec.get("town_zh")) if not _blank(x)))
         or missing),
        ("f_region", f"{region_text or missing} · {coastal}"),
        ("f_year", year_text),
    ]
    if not _blank(rec.get("approval_date")):
        rows.append(("f_approval", rec["approval_date"]))
    if not _blank(area):
        rows.append(("f_area", f"{float(area):,.2f} km²"))
    sectors = [sector_labels.get(s, s) for s in (rec.get("sectors") or [])]
    rows.append(("f_sectors", ", ".join(sectors) or missing))
    if not _blank(rec.get("products")):
        rows.append(("f_products", products_text(rec["products"], lang, glossary)))
    if not _blank(rec.get("leading_industries")):
        rows.append(("f_leading", rec["leading_industries"]))
    if types:
        rows.append(("f_cluster_type", "; ".join(types)))
    rows.append(("f_catalogue", rec.get("catalogue_code") or missing))
    if not _blank(rec.get("catalogue_link_note")):
        rows[-1] = (rows[-1][0], f"{rows[-1][1]} — {rec['catalogue_link_note']}")
    rows.append(("f_paper_list", cite(rec.get("paper_list")) if not _blank(rec.get("paper_list")) else "—"))
    if geom is not None:
        rows.append(("f_coords", f"{geom.y:.4f}° N, {geom.x:.4f}° E · {precision} · "
                                          f"{cite(rec.get('coord_source') or '')}"))
    rows.append(("f_source", cite(rec.get("source")) if not _blank(rec.get("source")) else missing))
    if not _blank(rec.get("note")):
        rows.append(("f_note", rec["note"]))
    return rows


def feature_indicators(entity_id: str, indicators: pd.DataFrame) -> pd.DataFrame:
    """All indicator rows of one entity, ordered for display."""
    rows = indicators[indicators["entity_id"] == entity_id]
    return rows.sort_values(["indicator", "year"], na_position="first").reset_index(drop=True)


def citations(rec: dict) -> list[str]:
    """The distinct citations of a feature, split on ';'."""
    return list(dict.fromkeys(s.strip() for s in str(rec.get("source") or "").split(";") if s.strip()))
