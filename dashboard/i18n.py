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
    "matching": {"en": "Features matching: {n:,}", "zh": "符合条件的要素：{n:,} 个"},
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
    # profile page
    "profile_unknown": {"en": "No zone, town or cluster has the id {zone!r}. Pick one below.",
                        "zh": "没有编号为 {zone!r} 的开发区、镇或集群。请在下方选择。"},
    "profile_pick": {"en": "Zone, town or cluster", "zh": "开发区、镇或集群"},
    "profile_hint": {"en": "Pick a feature, or click one on the Map page.", "zh": "请选择一个要素，或在地图页点击。"},
    "field": {"en": "Field", "zh": "字段"},
    "value": {"en": "Value", "zh": "内容"},
    "indicators": {"en": "Indicators", "zh": "指标"},
    "no_indicators": {"en": "The sources give no indicator for this feature.", "zh": "来源中没有该要素的指标。"},
    "entity": {"en": "Entity", "zh": "对象"},
    "compare_with": {"en": "Compare with others", "zh": "与其他对比"},
    "show_on_map": {"en": "Show on the map", "zh": "在地图上显示"},
    # compare page
    "compare_title": {"en": "Compare side by side", "zh": "并列对比"},
    "compare_pick": {"en": "Zones, clusters, provinces or regions (2–4)", "zh": "开发区、集群、省份或区域（2–4个）"},
    "compare_hint": {"en": "Pick two to four zones, clusters, provinces or regions to compare.",
                     "zh": "请选择两到四个开发区、集群、省份或区域进行对比。"},
    "compare_facts": {"en": "Facts", "zh": "基本信息"},
    "compare_diff_note": {"en": "Highlighted rows differ between the compared features.",
                          "zh": "高亮行表示所比较要素之间存在差异。"},
    "compare_areas": {"en": "Zones by type and approved area", "zh": "按类型统计的开发区及核准面积"},
    "compare_cumulative": {"en": "Zones established (cumulative)", "zh": "累计设立的开发区数"},
    "compare_growth": {"en": "Establishment over time (catalogue approval years and papers' dates)",
                       "zh": "开发区设立进程（目录批准年份及论文日期）"},
    "compare_no_shared": {"en": "These entities share no indicator in the sources.",
                          "zh": "所选对象在来源中没有共同的指标。"},
    "compare_rows": {"en": "Rows and sources: {indicator}", "zh": "数据行及来源：{indicator}"},
    # clusters page
    "clusters_title": {"en": "Clusters by sector and type", "zh": "按行业和类型浏览产业集群"},
    "cluster_type": {"en": "Cluster type", "zh": "集群类型"},
    "prefecture": {"en": "Prefecture", "zh": "地级市"},
    "zj_zone": {"en": "Zhejiang zone (seed 003)", "zh": "浙江分区（论文003）"},
    "product_search": {"en": "Product or name", "zh": "产品或名称"},
    "clusters_matching": {"en": "{n:,} of {total:,} towns and clusters match", "zh": "{total:,} 个镇和集群中有 {n:,} 个符合条件"},
    "legend_sector": {"en": "Main sector (towns shown)", "zh": "主要行业（显示数量）"},
    "count": {"en": "Count", "zh": "数量"},
    "per_sector": {"en": "Towns and clusters per sector", "zh": "各行业的镇和集群数"},
    "per_prefecture": {"en": "Per prefecture", "zh": "各地级市数量"},
    "cluster_list": {"en": "Matching towns and clusters", "zh": "符合条件的镇和集群"},
    "add_compare": {"en": "Add to comparison", "zh": "加入对比"},
    "list_cut": {"en": "The list shows the first 200 of {n:,}; narrow the filters to see the rest.",
                 "zh": "列表仅显示 {n:,} 个中的前200个；请缩小筛选范围。"},
    "compare_selected": {"en": "Compare the {n} selected", "zh": "对比所选的 {n} 个"},
    # regions page
    "regions_title": {"en": "Provinces and regions", "zh": "省份与区域"},
    "measure": {"en": "Measure", "zh": "指标"},
    "m_zones_total": {"en": "Zones (all types)", "zh": "开发区（全部类型）"},
    "m_zones_per_10k_km2": {"en": "Zones per 10,000 km²", "zh": "每万平方公里开发区数"},
    "m_approved_area_km2": {"en": "Approved area of catalogue zones (km²)", "zh": "目录开发区核准面积（平方公里）"},
    "ranked_provinces": {"en": "Provinces ranked", "zh": "省份排名"},
    "six_regions": {"en": "The six regions of the papers, coastal and inland", "zh": "论文中的六大区域及沿海、内陆"},
    "regions_note": {"en": "The papers name the six regions but list no provinces; the atlas assigns each province "
                           "to one region (Data page, regions table). Counts are of the atlas's features.",
                     "zh": "论文提到六大区域但未列出所含省份；地图集将每个省份归入一个区域（见数据页的区域表）。数量为地图集要素的统计。"},
    "province_table": {"en": "All provinces", "zh": "全部省份"},
    "compare_regions": {"en": "Compare regions or provinces", "zh": "对比区域或省份"},
    # timeline page
    "timeline_title": {"en": "Thirty years of zones", "zh": "开发区三十年"},
    "timeline_chart": {"en": "Zones existing at the end of each year, by type (dashed lines: milestones)",
                       "zh": "各年末已设立的开发区数（按类型；虚线为重要事件）"},
    "timeline_note": {"en": "Years are the papers' dates where they give one, otherwise the 2018 catalogue's national "
                            "approval date — for zones upgraded from provincial level that is the upgrade date, so the "
                            "catalogue curve starts later than the zones themselves.",
                      "zh": "年份优先采用论文给出的日期，否则采用2018年目录中的国家批准日期；由省级升级的开发区为升级日期，因此目录曲线晚于开发区实际设立时间。"},
    "paper_vs_catalogue": {"en": "ETDZ counts: papers vs 2018 catalogue", "zh": "经开区数量：论文与2018年目录对照"},
    "paper_count": {"en": "Count in the paper", "zh": "论文中的数量"},
    "catalogue_count": {"en": "Catalogue zones approved by then", "zh": "目录中截至该年批准的数量"},
    "paper_vs_catalogue_note": {"en": "The catalogue lists the zones that still existed in 2018 with their national "
                                      "approval (often upgrade) dates; zones merged or abolished before 2018 are missing "
                                      "from it, and upgraded zones appear only from their upgrade year. Both figures are "
                                      "shown; neither is adjusted.",
                                "zh": "目录列出的是2018年仍存在的开发区及其国家批准（常为升级）日期；2018年前合并或撤销的开发区不在其中，升级的开发区从升级年份起才计入。两组数字均原样列出，未作调整。"},
    "map_at_year": {"en": "The map at a given year", "zh": "某一年份的地图"},
    "existing_at": {"en": "Zones existing by the end of {year}: {n:,}", "zh": "截至{year}年末已设立的开发区：{n:,}个"},
    "milestones": {"en": "Milestones from the papers", "zh": "论文中的重要事件"},
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
