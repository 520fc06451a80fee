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
    "choose": {"en": "Choose options", "zh": "请选择"},
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
    "product_search_hint": {"en": "socks, lighters, 袜 …", "zh": "袜子、打火机、socks …"},
    "clusters_matching": {"en": "{n:,} of {total:,} towns and clusters match", "zh": "{total:,} 个镇和集群中有 {n:,} 个符合条件"},
    "legend_sector": {"en": "Main sector (towns shown)", "zh": "主要行业（显示数量）"},
    "count": {"en": "Count", "zh": "数量"},
    "per_sector": {"en": "Towns and clusters per sector", "zh": "各行业的镇和集群数"},
    "per_prefecture": {"en": "Per prefecture", "zh": "各地级市数量"},
    "cluster_list": {"en": "Matching towns and clusters", "zh": "符合条件的镇和集群"},
    "add_compare": {"en": "Add to comparison", "zh": "加入对比"},
    "list_more": {"en": "Showing {shown:,} of {n:,} — show more", "zh": "已显示 {n:,} 个中的 {shown:,} 个 — 显示更多"},
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
    # story page
    "stories_title": {"en": "Stories for presenters", "zh": "演示故事"},
    "story_start": {"en": "Start ({n} steps)", "zh": "开始（共 {n} 步）"},
    "story_broken": {"en": "The story file {file} cannot be shown:", "zh": "故事文件 {file} 无法显示："},
    "story_step": {"en": "step {n} of {total}", "zh": "第 {n} 步，共 {total} 步"},
    "story_prev": {"en": "Previous", "zh": "上一步"},
    "story_next": {"en": "Next", "zh": "下一步"},
    "story_open_map": {"en": "Open this view on the Map", "zh": "在地图页打开此视图"},
    # upload page
    "page_upload": {"en": "Your indicators", "zh": "上传指标"},
    "upload_title": {"en": "Bring your own indicators", "zh": "导入您自己的指标"},
    "upload_intro": {"en": "Upload a CSV or Excel table keyed by feature id, Chinese name or English name (add a "
                           "province column to tell same-name places apart), with one or more numeric columns and "
                           "an optional year. The joined values colour the map and appear on profiles and in "
                           "comparisons for this session.",
                     "zh": "上传以要素编号、中文名称或英文名称为键的 CSV 或 Excel 表格（可加省份列以区分同名地点），包含一个或多个数值列及可选的年份列。匹配后的数值将在本次会话中用于地图着色，并显示在档案和对比页面。"},
    "upload_file": {"en": "Table (CSV in UTF-8 or GBK, or .xlsx)", "zh": "表格（UTF-8 或 GBK 编码的 CSV，或 .xlsx）"},
    "upload_active": {"en": "{n:,} uploaded values of {k} indicator(s) are in use this session.",
                      "zh": "本次会话正在使用 {k} 个指标的 {n:,} 个上传数值。"},
    "upload_clear": {"en": "Remove the uploaded indicators", "zh": "移除上传的指标"},
    "upload_read_error": {"en": "{name} could not be read:", "zh": "无法读取 {name}："},
    "upload_read": {"en": "{rows:,} rows, {cols} columns (encoding: {enc})", "zh": "{rows:,} 行，{cols} 列（编码：{enc}）"},
    "upload_key": {"en": "Key column (id or name)", "zh": "键列（编号或名称）"},
    "upload_province": {"en": "Province column", "zh": "省份列"},
    "upload_year": {"en": "Year column", "zh": "年份列"},
    "upload_values": {"en": "Value columns", "zh": "数值列"},
    "upload_no_values": {"en": "Choose at least one value column.", "zh": "请至少选择一个数值列。"},
    "upload_report": {"en": "Join report", "zh": "匹配报告"},
    "upload_unmatched": {"en": "Rows not matched, with the reason and the closest names",
                         "zh": "未匹配的行（含原因及最接近的名称）"},
    "upload_duplicates": {"en": "Duplicate keys (none of these rows is used)", "zh": "重复键（这些行均未使用）"},
    "upload_non_numeric": {"en": "Cells that are not numbers", "zh": "非数值单元格"},
    "upload_download": {"en": "Download the joined table (CSV)", "zh": "下载匹配后的表格（CSV）"},
    "upload_nothing": {"en": "No value could be joined.", "zh": "没有可匹配的数值。"},
    "upload_use": {"en": "Use these {n:,} values in the atlas", "zh": "在地图集中使用这 {n:,} 个数值"},
    "upload_done": {"en": "Done: the values now colour the map (Map page, 'Colour by') and show on profiles.",
                    "zh": "完成：这些数值现可用于地图着色（地图页“着色依据”）并显示在档案中。"},
    # the shared database (ATLAS_DATABASE_URL): errors, published tables on the upload page
    "db_unreachable": {"en": "The shared database at `{where}` cannot be reached. Check the setting `ATLAS_DATABASE_URL` "
                             "(host, port, database, user, password) and that the database server is running. "
                             "Details: {detail}",
                       "zh": "无法连接位于 `{where}` 的共享数据库。请检查设置 `ATLAS_DATABASE_URL`（主机、端口、数据库名、"
                             "用户名、密码），并确认数据库服务器正在运行。详情：{detail}"},
    "db_not_ready": {"en": "The shared database (`ATLAS_DATABASE_URL`) is not ready for the atlas: {detail}",
                     "zh": "共享数据库（`ATLAS_DATABASE_URL`）尚未准备好供地图集使用：{detail}"},
    "db_shared_title": {"en": "Shared tables", "zh": "共享表格"},
    "db_shared_intro": {"en": "Indicator tables published to the shared database. Every instance of the atlas "
                              "lists them; use one to colour the map and show it on profiles and in comparisons.",
                        "zh": "已发布到共享数据库的指标表。地图集的每个实例都会列出这些表格；选用后可用于地图着色，"
                              "并显示在档案和对比页面中。"},
    "db_shared_none": {"en": "No table has been published yet.", "zh": "尚未发布任何表格。"},
    "db_refresh": {"en": "Refresh the list", "zh": "刷新列表"},
    "db_table": {"en": "Published table", "zh": "已发布的表格"},
    "db_use": {"en": "Use this table in the atlas", "zh": "在地图集中使用此表"},
    "db_used": {"en": "{name}: {n:,} values are now in use this session.", "zh": "{name}：本次会话现已使用其 {n:,} 个数值。"},
    "db_unpublish": {"en": "Unpublish", "zh": "取消发布"},
    "db_unpublished": {"en": "{name} was unpublished.", "zh": "已取消发布 {name}。"},
    "db_gone": {"en": "{name} is no longer published.", "zh": "{name} 已不再处于发布状态。"},
    "db_col_name": {"en": "Name", "zh": "名称"},
    "db_col_description": {"en": "Description", "zh": "说明"},
    "db_col_by": {"en": "Uploaded by", "zh": "上传者"},
    "db_col_at": {"en": "Published at", "zh": "发布时间"},
    "db_col_source": {"en": "Source", "zh": "来源"},
    "db_col_rows": {"en": "Values", "zh": "数值个数"},
    "db_col_indicators": {"en": "Indicators", "zh": "指标"},
    "db_publish_title": {"en": "Publish to the shared database", "zh": "发布到共享数据库"},
    "db_publish_intro": {"en": "Colleagues on every instance of the atlas will see these values.",
                         "zh": "地图集所有实例上的同事都将看到这些数值。"},
    "db_publish_name": {"en": "Name", "zh": "名称"},
    "db_publish_description": {"en": "Description", "zh": "说明"},
    "db_publish_by": {"en": "Uploaded by", "zh": "上传者"},
    "db_publish_source": {"en": "Source citation", "zh": "来源引用"},
    "db_publish_submit": {"en": "Publish {n:,} values", "zh": "发布 {n:,} 个数值"},
    "db_publish_missing": {"en": "Give the table a name and say who uploaded it.", "zh": "请填写表格名称和上传者。"},
    "db_publish_done": {"en": "Published {name}: {n:,} values. Every instance of the atlas lists it now.",
                        "zh": "已发布 {name}：共 {n:,} 个数值。地图集的每个实例现在都会列出它。"},
    "db_publish_taken": {"en": "A table named {name} was already published by {by} at {at}. Choose another name.",
                         "zh": "名为 {name} 的表格已由 {by} 于 {at} 发布。请换一个名称。"},
    "db_publish_invalid": {"en": "This table cannot be published: {detail}", "zh": "无法发布此表格：{detail}"},
    # cluster types (Markusen 1996; the four Chinese types of seed 003; origin)
    "ctype_marshallian": {"en": "Marshallian (Markusen)", "zh": "马歇尔式（Markusen）"},
    "ctype_hub_and_spoke": {"en": "Hub-and-spoke (Markusen)", "zh": "轮轴式（Markusen）"},
    "ctype_satellite": {"en": "Satellite platform (Markusen)", "zh": "卫星平台式（Markusen）"},
    "ctype_state_anchored": {"en": "State-anchored (Markusen)", "zh": "国家主导式（Markusen）"},
    "ctype_traditional_integrated": {"en": "Traditional, highly integrated", "zh": "传统高度一体化型"},
    "ctype_high_tech": {"en": "High-tech", "zh": "高新技术型"},
    "ctype_foreign_firm": {"en": "Foreign-firm", "zh": "外资企业型"},
    "ctype_sme_large_firm": {"en": "SMEs around a large firm", "zh": "大企业带动中小企业型"},
    "ctype_bottom_up": {"en": "Bottom-up (endogenous)", "zh": "自下而上（内生）"},
    "ctype_top_down": {"en": "Top-down (exogenous)", "zh": "自上而下（外生）"},
    # the three Zhejiang zones of seed 003
    "zjzone_north": {"en": "Northern Zhejiang (Hangzhou, Ningbo, Shaoxing, Jiaxing, Huzhou, Zhoushan)",
                     "zh": "浙北（杭州、宁波、绍兴、嘉兴、湖州、舟山）"},
    "zjzone_wenzhou_taizhou": {"en": "Wenzhou and Taizhou", "zh": "温州、台州"},
    "zjzone_jinhua_quzhou_lishui": {"en": "Jinhua, Quzhou and Lishui", "zh": "金华、衢州、丽水"},
    # compare: area measures
    "area_approved_km2": {"en": "Total approved area, catalogue zones (km²)", "zh": "核准面积合计（平方公里，目录开发区）"},
    "area_zones_total": {"en": "Zones in total", "zh": "开发区合计"},
    # indicator tables and charts
    "col_entity": {"en": "Feature or area", "zh": "要素或区域"},
    "col_label": {"en": "Indicator", "zh": "指标"},
    "col_year": {"en": "Year", "zh": "年份"},
    "col_value": {"en": "Value", "zh": "数值"},
    "col_unit": {"en": "Unit", "zh": "单位"},
    "col_id": {"en": "Id", "zh": "编号"},
    "col_layer": {"en": "Layer", "zh": "图层"},
    "col_name_en": {"en": "English name", "zh": "英文名称"},
    "col_name_zh": {"en": "Chinese name", "zh": "中文名称"},
    "col_province_en": {"en": "Province", "zh": "省份（英文）"},
    "col_province_zh": {"en": "Province (Chinese)", "zh": "省份"},
    "col_city": {"en": "City / county", "zh": "市 / 县"},
    "col_region": {"en": "Region", "zh": "区域"},
    "col_coastal": {"en": "Coastal", "zh": "沿海"},
    "col_top_sectors": {"en": "Leading sectors", "zh": "主要行业"},
    "col_name": {"en": "Name", "zh": "名称"},
    "col_sectors": {"en": "Sectors", "zh": "行业"},
    "col_products": {"en": "Products", "zh": "产品"},
    "col_catalogue_code": {"en": "Catalogue code", "zh": "目录代码"},
    "col_paper_list": {"en": "Paper lists", "zh": "论文名录"},
    "col_coord_precision": {"en": "Location precision", "zh": "坐标精度"},
    "col_printed": {"en": "As printed in the source", "zh": "原文数值"},
    "col_flag": {"en": "Footnote flag", "zh": "脚注标记"},
    "col_source": {"en": "Source", "zh": "来源"},
    "col_note": {"en": "Note", "zh": "说明"},
    "flag_lower_bound": {"en": "lower bound (at least)", "zh": "下限（至少）"},
    "flag_approximate": {"en": "approximate", "zh": "约数"},
    "flag_partial_year": {"en": "partial year", "zh": "非全年数据"},
    "flag_estimate": {"en": "estimate", "zh": "估计值"},
    "flag_year_substituted": {"en": "year substituted", "zh": "以其他年份替代"},
    "flag_interview": {"en": "from an interview", "zh": "访谈数据"},
    "flag_target": {"en": "target", "zh": "目标值"},
    "flag_preliminary": {"en": "preliminary", "zh": "初步数"},
    "flag_planned": {"en": "planned", "zh": "计划值"},
    "flag_none": {"en": "as printed (no footnote)", "zh": "原表数值（无脚注）"},
    "printed_row": {"en": "printed in the {year} row", "zh": "原表列于{year}年行"},
    # notices about URL values that were ignored ({name} is the URL parameter, kept as typed)
    "n_unknown": {"en": "{name}: ignored unknown value(s) {values}", "zh": "{name}：已忽略未知的值 {values}"},
    "n_no_layer": {"en": "layers: no valid layer given, showing all layers", "zh": "layers：没有有效的图层，显示全部图层"},
    "n_not_choice": {"en": "{name}: {value} is not one of {choices}", "zh": "{name}：{value} 不在可选值 {choices} 之中"},
    "n_not_year": {"en": "{name}: {value} is not a year", "zh": "{name}：{value} 不是年份"},
    "n_year_outside": {"en": "{name}: {value} is outside {lo}–{hi}", "zh": "{name}：{value} 超出 {lo}–{hi} 的范围"},
    "n_years_empty": {"en": "year range {lo}–{hi} is empty; showing {min}–{max}",
                      "zh": "年份范围 {lo}–{hi} 为空；显示 {min}–{max}"},
    "n_q_cut": {"en": "q: search text cut to {n} characters", "zh": "q：搜索文字已截断为 {n} 个字符"},
    "n_no_feature": {"en": "{name}: no feature with id {value}", "zh": "{name}：没有编号为 {value} 的要素"},
    "n_compare_max": {"en": "only the first {max} of {n} ids are compared", "zh": "仅对比前 {max} 个（共 {n} 个）"},
    "n_no_story": {"en": "story: no story with id {value}", "zh": "story：没有编号为 {value} 的故事"},
    "n_not_step": {"en": "step: {value} is not a step 1–{n}", "zh": "step：{value} 不是第 1–{n} 步之一"},
    "colour_by": {"en": "Colour markers by your indicator", "zh": "按上传指标为标记着色"},
    "colour_by_none": {"en": "Layer (default)", "zh": "图层（默认）"},
    # >>> catalogue zones and land use (issue 14)
    "flag_at_city_centre": {"en": "measured around the city centre the geocoder matched, not at the zone: "
                                  "describes the area around that centre",
                            "zh": "在地理编码匹配到的城市中心测得，而非开发区本身：反映该中心周边情况"},
    "flag_at_county_centre": {"en": "measured around the county centre the geocoder matched, not at the zone: "
                                    "describes the area around that centre",
                              "zh": "在地理编码匹配到的区县中心测得，而非开发区本身：反映该中心周边情况"},
    "flag_at_province_centre": {"en": "measured around the provincial centre the geocoder matched, not at the "
                                      "zone: describes the area around that centre",
                                "zh": "在地理编码匹配到的省级中心测得，而非开发区本身：反映该中心周边情况"},
    "level": {"en": "Level", "zh": "级别"},
    "level_national": {"en": "national", "zh": "国家级"},
    "level_provincial": {"en": "provincial", "zh": "省级"},
    "f_level": {"en": "Approval level", "zh": "批准级别"},
    "f_approval_provincial": {"en": "Provincial approval (catalogue)", "zh": "省级批准时间（目录）"},
    "land_title": {"en": "Land around the zone (5 km)", "zh": "开发区周边土地（5 公里）"},
    "land_withheld": {"en": "Land-use values not shown: measured at a point that failed QC (the catalogue's point "
                            "lies outside the zone's province or is shared with another zone), so they describe "
                            "another place.",
                      "zh": "未显示土地利用数值：测量点未通过质量检查（目录坐标落在本省以外或与其他开发区重合），"
                            "反映的是别处的情况。"},
    "land_at_centre": {"en": "The catalogue's point for this zone is only a city/county centre: the land values "
                             "below describe the area around that centre, not the zone itself.",
                       "zh": "该开发区的目录坐标仅为城市/区县中心：以下土地数值反映该中心周边，而非开发区本身。"},
    "land_none": {"en": "No land-use measurements for this feature.", "zh": "该要素没有土地利用测量值。"},
    "land_descriptive": {"en": "Descriptive, not causal: zones are placed where growth was already happening, so "
                               "growth around a zone after its approval is not the zone's effect.",
                         "zh": "仅作描述，不是因果结论：开发区往往设在已在增长的地方，设立后的周边增长不能归因于开发区。"},
    "land_built_chart": {"en": "Built-up surface within 5 km, km² (approval year marked)",
                         "zh": "5 公里范围内建成区面积（平方公里，标出批准年份）"},
    "land_approval": {"en": "approved {year}", "zh": "{year} 年批准"},
    "land_before": {"en": "before designation", "zh": "设立前"},
    "land_after": {"en": "after designation", "zh": "设立后"},
    "land_phase": {"en": "Phase", "zh": "阶段"},
    "land_source": {"en": "Source: {source}", "zh": "来源：{source}"},
    "prov_group": {"en": "Provincial zones (all three types)", "zh": "省级开发区（全部三类）"},
    "legend_levels": {"en": "Filled: national zones · hollow ring, smaller: provincial zones (same colour per type)",
                      "zh": "实心：国家级开发区 · 空心小圆：省级开发区（同类同色）"},
    "col_level": {"en": "Level", "zh": "级别"},
    "layers_national": {"en": "National zones", "zh": "国家级开发区"},
    "layers_provincial": {"en": "Provincial zones", "zh": "省级开发区"},
    "layers_other": {"en": "Towns and clusters", "zh": "特色城镇与产业集群"},
    "unit_km2_built": {"en": "built-up surface, km²", "zh": "建成区面积（平方公里）"},
    "align_axis": {"en": "years since designation", "zh": "设立后年数"},
    "align_zero": {"en": "approval year", "zh": "批准年份"},
    "align_title": {"en": "Built-up surface within 5 km, by years since designation",
                    "zh": "5 公里范围内建成区面积（按设立后年数对齐）"},
    "align_mode": {"en": "Built-up surface: time axis", "zh": "建成区面积：时间轴"},
    "land_built_calendar": {"en": "Built-up surface within 5 km, by year", "zh": "5 公里范围内建成区面积（按年份）"},
    "land_compare": {"en": "Land around the zones (5 km)", "zh": "开发区周边土地（5 公里）"},
    "align_calendar": {"en": "calendar year", "zh": "日历年份"},
    "align_designation": {"en": "years since designation", "zh": "设立后年数"},
    "align_missing": {"en": "No built-up values (or no approval year) for: {names}",
                      "zh": "以下要素没有建成区数值（或没有批准年份）：{names}"},
    "land_other": {"en": "Every measurement around the point, with its source", "zh": "坐标点周边的全部测量值及来源"},
    "land_counts": {"en": "Land-use values: {shown} zones shown as measured at the zone, {centre} flagged (measured "
                          "at a city/county centre), {withheld} not shown (measured at a point that failed QC).",
                    "zh": "土地利用数值：{shown} 个开发区按开发区位置显示，{centre} 个加注（在城市/区县中心测得），"
                          "{withheld} 个未显示（测量点未通过质量检查）。"},
    "growth_title": {"en": "Built-up growth around zones, 1990–2020", "zh": "开发区周边建成区增长（1990–2020）"},
    "growth_note": {"en": "Sum over the zones of each province whose values were measured at the zone's own point "
                          "(city-centre and failed points left out); km² of built-up surface within 5 km of each zone.",
                    "zh": "对每个省中在开发区自身坐标测得数值的开发区求和（城市中心点与未通过检查的点除外）；"
                          "单位为各开发区 5 公里范围内建成区面积（平方公里）。"},
    "m_zones_national": {"en": "National zones", "zh": "国家级开发区"},
    "m_zones_provincial": {"en": "Provincial zones", "zh": "省级开发区"},
    "m_built_growth_km2": {"en": "Built-up growth around zones 1990–2020 (km²)",
                           "zh": "开发区周边建成区增长 1990–2020（平方公里）"},
    "m_built_growth_pct": {"en": "Built-up growth around zones 1990–2020 (%)",
                           "zh": "开发区周边建成区增长 1990–2020（%）"},
    "col_zones_national": {"en": "National zones", "zh": "国家级开发区"},
    "col_zones_provincial": {"en": "Provincial zones", "zh": "省级开发区"},
    "col_zones_measured": {"en": "Zones measured", "zh": "有测量值的开发区"},
    "col_built_1990_km2": {"en": "Built-up 1990 (km²)", "zh": "1990 年建成区（平方公里）"},
    "col_built_2020_km2": {"en": "Built-up 2020 (km²)", "zh": "2020 年建成区（平方公里）"},
    "col_built_growth_km2": {"en": "Growth (km²)", "zh": "增长（平方公里）"},
    "col_built_growth_pct": {"en": "Growth (%)", "zh": "增长（%）"},
    "by_level": {"en": "national {national} · provincial {provincial}", "zh": "国家级 {national} · 省级 {provincial}"},
    "timeline_levels": {"en": "Solid lines: national zones; dashed: provincial zones (counted from their "
                              "provincial approval year). The papers' counts below stay as printed.",
                        "zh": "实线：国家级开发区；虚线：省级开发区（按省级批准年份计）。下方论文中的数字保持原样。"},
    # <<< catalogue zones and land use (issue 14)
    # >>> your own statistics (issue 15)
    # <<< your own statistics (issue 15)
    # >>> flowchart (issue 16)
    # <<< flowchart (issue 16)
    # >>> speed at scale (issue 17)
    "table_first_rows": {"en": "The first {shown:,} of {n:,} features are listed; the downloads hold all {n:,}.",
                         "zh": "表中列出前 {shown:,} 个要素（共 {n:,} 个）；下载文件包含全部 {n:,} 个。"},
    # <<< speed at scale (issue 17)
    # >>> references and compare (issue 18)
    "ref_unknown": {"en": "unknown", "zh": "不详"},
    "ref_licence": {"en": "Licence", "zh": "许可"},
    "ref_copy": {"en": "Archived copy", "zh": "存档副本"},
    "bibliography": {"en": "Bibliography: every source the atlas cites", "zh": "参考文献：本图集引用的全部来源"},
    "bibliography_note": {"en": "Short reference (as shown next to figures) — full entry, with the file name of the "
                                "copy archived in geodata/sources/. 'unknown' marks what the source does not print.",
                          "zh": "简短引用（数字旁所示）— 完整条目，附 geodata/sources/ 中存档副本的文件名。"
                                "“不详”表示来源未载明的信息。"},
    # <<< references and compare (issue 18)
    # >>> exports and presentation mode (issue 18)
    # <<< exports and presentation mode (issue 18)
}


# Units of the indicator table -> how each language says them: (English label, factor, Chinese label, factor).
# Values are multiplied by the factor, so "RMB 100 million" reads as RMB billion in English (x0.1) and as 亿元
# in Chinese (x1); "10000 persons" as thousand persons (x10) and 万人 (x1). Units not listed are shown as printed.
UNITS: dict[str, tuple[str, float, str, float]] = {
    "percent": ("%", 1, "%", 1),
    "RMB 100 million": ("RMB billion", 0.1, "亿元", 1),
    "RMB billion": ("RMB billion", 1, "亿元", 10),
    "RMB million": ("RMB million", 1, "万元", 100),
    "RMB million per year": ("RMB million per year", 1, "万元/年", 100),
    "RMB": ("RMB", 1, "元", 1),
    "yuan per worker": ("RMB per worker", 1, "元/人", 1),
    "yuan per person": ("RMB per person", 1, "元/人", 1),
    "USD 100 million": ("USD billion", 0.1, "亿美元", 1),
    "USD billion": ("USD billion", 1, "亿美元", 10),
    "USD million": ("USD million", 1, "万美元", 100),
    "USD thousand": ("USD thousand", 1, "万美元", 0.1),
    "USD": ("USD", 1, "美元", 1),
    "USD per worker": ("USD per worker", 1, "美元/人", 1),
    "10000 persons": ("thousand persons", 10, "万人", 1),
    "million persons": ("million persons", 1, "万人", 100),
    "persons": ("persons", 1, "人", 1),
    "km2": ("km²", 1, "平方公里", 1),
    "m2": ("m²", 1, "平方米", 1),
    "km": ("km", 1, "公里", 1),
    "forest-loss cells": ("forest-loss cells", 1, "森林损失像元", 1),
    "million pairs": ("million pairs", 1, "万双", 100),
    "billion pairs": ("billion pairs", 1, "亿双", 10),
    "million pairs per year": ("million pairs per year", 1, "万双/年", 100),
    "million sets": ("million sets", 1, "万套", 100),
    "firms": ("firms", 1, "家", 1),
    "zones": ("zones", 1, "个", 1),
    "parks": ("parks", 1, "个", 1),
    "sub-parks": ("sub-parks", 1, "个", 1),
    "clusters": ("clusters", 1, "个", 1),
    "towns": ("towns", 1, "个", 1),
    "cities": ("cities", 1, "个", 1),
    "patents": ("patents", 1, "项", 1),
    "institutes": ("institutes", 1, "个", 1),
    "universities": ("universities", 1, "所", 1),
    "laboratories": ("laboratories", 1, "个", 1),
    "centres": ("centres", 1, "个", 1),
    "factories": ("factories", 1, "家", 1),
    "shops": ("shops", 1, "家", 1),
    "branches": ("branches", 1, "个", 1),
    "members": ("members", 1, "个", 1),
    "groupings": ("groupings", 1, "个", 1),
    "sectors": ("sectors", 1, "个", 1),
    "units": ("units", 1, "个", 1),
    "rooms": ("rooms", 1, "间", 1),
    "years": ("years", 1, "年", 1),
    "year": ("year", 1, "年", 1),
    "year AD": ("year", 1, "年（公元）", 1),
    "year (AD)": ("year", 1, "年（公元）", 1),
    "days": ("days", 1, "天", 1),
    "hours": ("hours", 1, "小时", 1),
    "minutes": ("minutes", 1, "分钟", 1),
    "times": ("times", 1, "倍", 1),
    "rank": ("rank", 1, "位次", 1),
    "percent of land transfer value": ("% of land transfer value", 1, "%（占土地出让金）", 1),
    "percent of normal rate": ("% of the normal rate", 1, "%（占正常税率）", 1),
    "percent of output value": ("% of output value", 1, "%（占产值）", 1),
    "percent of interest": ("% of interest", 1, "%（占利息）", 1),
    "flag (1 = named)": ("named (1 = yes)", 1, "是否提及（1 = 是）", 1),
    "flag (1 = named among the five top performers)": ("among the five top performers (1 = yes)", 1,
                                                       "是否列入前五名（1 = 是）", 1),
}


def unit_display(unit: str, lang: str = DEFAULT_LANG) -> tuple[str, float]:
    """(label, factor) to show a value printed in `unit` the way `lang` says it; unknown units as printed."""
    entry = UNITS.get(unit)
    if entry is None:
        return unit, 1
    return (entry[2], entry[3]) if lang == "zh" else (entry[0], entry[1])


def flag_text(flag: str, lang: str = DEFAULT_LANG) -> str:
    """A footnote flag such as `preliminary;partial_year:Jan-Sep` in words."""
    parts = []
    for item in str(flag or "").split(";"):
        name, _, detail = item.strip().partition(":")
        if name:
            label = t(f"flag_{name}", lang) if f"flag_{name}" in STRINGS else name
            parts.append(f"{label} ({detail})" if detail else label)
    return "; ".join(parts)


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
