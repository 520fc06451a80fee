"""The one catalogue of interface strings, English and Chinese. `t(key, lang, **fmt)`."""
from __future__ import annotations

LANGS = ("en", "zh")
DEFAULT_LANG = "en"

STRINGS: dict[str, dict[str, str]] = {
    # frame
    "app_title": {"en": "China Zones & Clusters Atlas", "zh": "中国开发区与产业集群地图集"},
    "language": {"en": "Language", "zh": "语言"},
    "page_map": {"en": "Map", "zh": "地图"},
    "page_profile": {"en": "Profile", "zh": "档案"},
    "page_compare": {"en": "Compare", "zh": "对比"},
    "page_clusters": {"en": "Clusters", "zh": "产业集群"},
    "page_regions": {"en": "Regions", "zh": "区域"},
    "page_timeline": {"en": "Timeline", "zh": "时间线"},
    "page_story": {"en": "Stories", "zh": "故事"},
    "page_data": {"en": "Data", "zh": "数据"},
    "sidebar_about": {"en": "Zones from the 2018 national catalogue and five research papers; every figure "
                            "cites its source.",
                      "zh": "开发区来自《中国开发区审核公告目录（2018年版）》及五篇研究论文；每个数字均注明出处。"},
    "data_missing": {"en": "The built data layers are missing. Run `python -m dashboard build`.",
                     "zh": "缺少已构建的数据图层。请运行 `python -m dashboard build`。"},
    # map page
    "map_title": {"en": "Zones and clusters map", "zh": "开发区与产业集群地图"},
    "layers": {"en": "Layers", "zh": "图层"},
    "filters": {"en": "Filters", "zh": "筛选"},
    "province": {"en": "Province", "zh": "省份"},
    "region": {"en": "Region", "zh": "区域"},
    "coastal": {"en": "Coastal / inland", "zh": "沿海 / 内陆"},
    "coastal_all": {"en": "All", "zh": "全部"},
    "coastal_coastal": {"en": "Coastal", "zh": "沿海"},
    "coastal_inland": {"en": "Inland", "zh": "内陆"},
    "years": {"en": "Year established or approved", "zh": "设立或批准年份"},
    "sector": {"en": "Sector", "zh": "行业"},
    "search": {"en": "Search names (English or 中文)", "zh": "搜索名称（中文或英文）"},
    "paper_mode": {"en": "Which list", "zh": "名录"},
    "paper_all": {"en": "Everything", "zh": "全部"},
    "paper_paper": {"en": "Papers' 2009–10 lists only", "zh": "仅论文名录（2009–10年）"},
    "paper_catalogue": {"en": "2018 catalogue zones only", "zh": "仅2018年目录开发区"},
    "choropleth": {"en": "Province shading", "zh": "省份着色"},
    "choropleth_count": {"en": "Count of selected features", "zh": "所选要素数量"},
    "choropleth_density": {"en": "Per 10,000 km²", "zh": "每万平方公里"},
    "choropleth_off": {"en": "Off", "zh": "关闭"},
    "tiles": {"en": "Base map", "zh": "底图"},
    "tiles_osm": {"en": "OpenStreetMap tiles (online)", "zh": "OpenStreetMap 瓦片（需联网）"},
    "tiles_none": {"en": "Province outlines only (offline)", "zh": "仅省界（离线）"},
    "matching": {"en": "{n:,} features match", "zh": "共 {n:,} 个要素符合条件"},
    "no_match": {"en": "No feature matches these filters. Widen the filters or reset them.",
                 "zh": "没有符合筛选条件的要素。请放宽或重置筛选条件。"},
    "reset": {"en": "Reset filters", "zh": "重置筛选"},
    "year_hidden": {"en": "{n:,} features without a known year are hidden while the year filter is set.",
                    "zh": "设置年份筛选时，{n:,} 个无年份信息的要素被隐藏。"},
    "legend_title": {"en": "Layers (features shown)", "zh": "图层（显示要素数）"},
    "choropleth_caption_count": {"en": "Selected features per province", "zh": "各省所选要素数"},
    "choropleth_caption_density": {"en": "Selected features per 10,000 km²", "zh": "每万平方公里所选要素数"},
    "url_notice": {"en": "Some link parameters were ignored: {detail}", "zh": "部分链接参数已忽略：{detail}"},
    "results": {"en": "Result table", "zh": "结果表"},
    "download_csv": {"en": "Download CSV", "zh": "下载 CSV"},
    "download_geojson": {"en": "Download GeoJSON", "zh": "下载 GeoJSON"},
    "share_link": {"en": "Link to this view: copy the address bar.", "zh": "本视图的链接：复制地址栏即可。"},
    "click_hint": {"en": "Click a marker to see its profile here.", "zh": "点击地图上的标记查看档案。"},
    "open_profile": {"en": "Open full profile", "zh": "打开完整档案"},
    "clear_selection": {"en": "Clear selection", "zh": "取消选择"},
    "year_not_given": {"en": "year not given", "zh": "年份未提供"},
    # facts
    "f_name_en": {"en": "English name", "zh": "英文名称"},
    "f_name_zh": {"en": "Chinese name", "zh": "中文名称"},
    "f_type": {"en": "Type", "zh": "类型"},
    "f_province": {"en": "Province", "zh": "省份"},
    "f_city": {"en": "City / county", "zh": "城市 / 区县"},
    "f_region": {"en": "Region", "zh": "区域"},
    "f_year": {"en": "Year", "zh": "年份"},
    "f_approval": {"en": "National approval (catalogue)", "zh": "国家批准时间（目录）"},
    "f_area": {"en": "Approved area", "zh": "核准面积"},
    "f_sectors": {"en": "Sectors", "zh": "行业"},
    "f_products": {"en": "Products", "zh": "产品"},
    "f_leading": {"en": "Leading industries (catalogue)", "zh": "主导产业（目录）"},
    "f_catalogue": {"en": "Catalogue code", "zh": "目录代码"},
    "f_paper_list": {"en": "Paper lists", "zh": "论文名录"},
    "f_cluster_type": {"en": "Cluster type", "zh": "集群类型"},
    "f_coords": {"en": "Location", "zh": "位置"},
    "f_source": {"en": "Source", "zh": "来源"},
    "f_note": {"en": "Note", "zh": "说明"},
    "missing": {"en": "not given in the sources", "zh": "来源未提供"},
    "precision_zone": {"en": "zone point", "zh": "园区点位"},
    "precision_town": {"en": "town point", "zh": "镇点位"},
    "precision_county": {"en": "county seat (approximate)", "zh": "县城驻地（近似）"},
    "precision_prefecture": {"en": "city seat (approximate)", "zh": "地级市驻地（近似）"},
    "precision_province": {"en": "province (approximate)", "zh": "省（近似）"},
    "coastal_yes": {"en": "coastal", "zh": "沿海"},
    "coastal_no": {"en": "inland", "zh": "内陆"},
    # data page
    "data_title": {"en": "Data, sources and licences", "zh": "数据、来源与许可"},
    "data_intro": {"en": "Every layer and table the atlas shows, where it comes from, and downloads.",
                   "zh": "地图集展示的所有图层和表格、其来源及下载。"},
    "col_layer": {"en": "Layer", "zh": "图层"},
    "col_rows": {"en": "Rows", "zh": "行数"},
    "col_source": {"en": "Source", "zh": "来源"},
    "col_licence": {"en": "Licence", "zh": "许可"},
    "col_attribution": {"en": "Attribution", "zh": "署名"},
    "tables": {"en": "Tables", "zh": "表格"},
    "build_report": {"en": "Build report", "zh": "构建报告"},
}


def t(key: str, lang: str = DEFAULT_LANG, **fmt) -> str:
    """The interface string `key` in `lang` (falls back to English, then to the key itself)."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**fmt) if fmt else text


def normalise_lang(value) -> str:
    value = str(value or "").strip().lower()
    return value if value in LANGS else DEFAULT_LANG
