"""The atlas's layers: ids, labels, styling. Pure data, no I/O."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LayerInfo:
    id: str
    label_en: str
    label_zh: str
    short_en: str
    short_zh: str
    colour: str  # Okabe-Ito palette: distinguishable with the common colour-vision deficiencies
    geometry: str = "point"
    zone: bool = True  # a zone (catalogue/paper zone) vs a cluster / town
    level: str = ""    # approval level: "national" (State Council), "provincial", "" (towns, clusters, polygons)


POINT_LAYERS: tuple[LayerInfo, ...] = (
    LayerInfo("sez", "Comprehensive SEZs", "经济特区", "SEZ", "经济特区", "#D55E00", level="national"),
    LayerInfo("etdz", "Economic & technological development zones (ETDZ)", "经济技术开发区", "ETDZ", "经开区", "#0072B2",
              level="national"),
    LayerInfo("hidz", "High-tech industrial development zones (HIDZ)", "高新技术产业开发区", "HIDZ", "高新区", "#009E73",
              level="national"),
    LayerInfo("ftz", "Free trade zones (bonded zones, 1990–)", "保税区（自由贸易区）", "FTZ (bonded)", "保税区", "#CC79A7",
              level="national"),
    LayerInfo("customs_zone", "Other customs special supervision zones", "海关特殊监管区域", "Customs zones", "海关特殊监管区",
              "#56B4E9", level="national"),
    LayerInfo("border_zone", "Border economic cooperation zones", "边境经济合作区", "Border zones", "边合区", "#E69F00",
              level="national"),
    LayerInfo("other_zone", "Other national zones", "其他类型开发区", "Other zones", "其他开发区", "#999999",
              level="national"),
    # provincial zones of the 2018 catalogue: drawn smaller and hollow, in the colour of the matching national type
    LayerInfo("prov_edz", "Provincial economic development zones", "省级经济开发区", "Prov. EDZ", "省级经开区",
              "#0072B2", level="provincial"),
    LayerInfo("prov_ipark", "Provincial industrial parks", "省级工业园区", "Prov. industrial parks", "省级工业园区",
              "#8C564B", level="provincial"),
    LayerInfo("prov_hidz", "Provincial high-tech industrial development zones", "省级高新技术产业开发区", "Prov. HIDZ",
              "省级高新区", "#009E73", level="provincial"),
    LayerInfo("zj_town", "Zhejiang specialised towns & county clusters", "浙江特色产业集群（块状经济）", "Zhejiang towns", "浙江块状经济", "#F0E442", zone=False),
    LayerInfo("cluster", "Other industrial clusters", "其他产业集群", "Clusters", "产业集群", "#000000", zone=False),
)
POLYGON_LAYERS: tuple[LayerInfo, ...] = (
    LayerInfo("province", "Provinces", "省级行政区", "Provinces", "省", "#444444", geometry="polygon", zone=False),
    LayerInfo("prefecture", "Prefecture-level cities", "地级行政区", "Prefectures", "地级市", "#555555", geometry="polygon", zone=False),
    LayerInfo("zj_county", "Zhejiang counties and districts", "浙江县级行政区", "ZJ counties", "浙江县区", "#777777", geometry="polygon", zone=False),
)
LAYERS: dict[str, LayerInfo] = {info.id: info for info in POINT_LAYERS + POLYGON_LAYERS}
POINT_LAYER_IDS: tuple[str, ...] = tuple(info.id for info in POINT_LAYERS)
LEVELS: tuple[str, ...] = ("national", "provincial")
NATIONAL_LAYER_IDS: tuple[str, ...] = tuple(i.id for i in POINT_LAYERS if i.level == "national")
PROVINCIAL_LAYER_IDS: tuple[str, ...] = tuple(i.id for i in POINT_LAYERS if i.level == "provincial")
LEVEL_LABELS = {"national": ("national", "国家级"), "provincial": ("provincial", "省级")}


def level_of(layer_id: str) -> str:
    """'national', 'provincial' or '' (towns, clusters, polygons, unknown ids)."""
    info = LAYERS.get(layer_id)
    return info.level if info else ""


def level_label(level: str, lang: str = "en") -> str:
    """A level as shown: national / provincial, 国家级 / 省级; '' for no level."""
    pair = LEVEL_LABELS.get(level)
    return "" if pair is None else pair[1 if lang == "zh" else 0]

REGIONS: tuple[str, ...] = (
    "Yangtze River Delta", "Pearl River Delta", "Bohai Bay", "central", "northeast", "western",
)
REGION_ZH = {
    "Yangtze River Delta": "长三角", "Pearl River Delta": "珠三角", "Bohai Bay": "环渤海",
    "central": "中部", "northeast": "东北", "western": "西部",
}


def region_label(name: str, lang: str = "en") -> str:
    """A region as shown: Chinese name, or the papers' English name capitalised ("central" -> "Central")."""
    return REGION_ZH.get(name, name) if lang == "zh" else name[:1].upper() + name[1:]


REGION_IDS = {
    "Yangtze River Delta": "region-yrd", "Pearl River Delta": "region-prd", "Bohai Bay": "region-bohai",
    "central": "region-central", "northeast": "region-northeast", "western": "region-western",
}

# the data contract: columns every point feature carries (besides geometry)
CONTRACT_COLUMNS: tuple[str, ...] = (
    "id", "layer", "name_en", "name_zh", "province_en", "province_zh", "adcode", "city", "year",
    "sectors", "products", "region", "coastal", "catalogue_code", "coord_precision", "coord_source",
    "source", "note",
)
# extra columns the atlas adds (documented in README)
EXTRA_COLUMNS: tuple[str, ...] = (
    "paper_list", "year_note", "sector_terms", "catalogue_type", "catalogue_name", "approval_date",
    "area_km2", "leading_industries", "cluster_type_markusen", "cluster_type_china", "origin",
    "zj_zone", "county_zh", "town_zh", "prefecture_zh", "catalogue_link_note", "level", "land_status",
)
COORD_PRECISIONS = ("zone", "town", "county", "prefecture", "province")
