"""Build English names for the 2,543 zones of the 2018 catalogue (national and provincial).

Run from the repo root:  python -m dashboard.pipeline.build_names
Writes geodata/sources/catalogue/names_en.csv (code,name_zh,name_en,province_en,method,note).

Rule: the Chinese name is split into  place part + type words (+ a few tails such as 南区, 及B区).
Type words are translated from a fixed table; the place part is segmented with a lexicon (admin
division names from geodata/sources/admin plus the extra tokens below) and each place token is
romanised with Hanyu Pinyin (pypinyin) as one capitalised word (apostrophe before a/o/e
syllables: Xi'an, Lu'an).  Descriptive words inside the place part (港 Port, 机场 Airport, 新区
New Area, 高新 High-tech ...) are translated.  Polyphonic characters were checked by hand; the
fixes are in PINYIN_FIX.  method = "known" where an established English name (a conventional
spelling such as Harbin / Hohhot, or a well-known zone name such as Suzhou Industrial Park) is
used instead of the mechanical rule; the note then gives the rule form or the pinyin.

pypinyin is needed only for this build step (pip install pypinyin); nothing else imports it.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

from pypinyin import Style, lazy_pinyin

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "geodata" / "sources" / "catalogue" / "devzones_2018_enriched.csv"
ADMIN = ROOT / "geodata" / "sources" / "admin"
OUT = ROOT / "geodata" / "sources" / "catalogue" / "names_en.csv"

PROVINCE_EN = {
    "北京市": "Beijing", "天津市": "Tianjin", "河北省": "Hebei", "山西省": "Shanxi",
    "内蒙古自治区": "Inner Mongolia", "辽宁省": "Liaoning", "吉林省": "Jilin",
    "黑龙江省": "Heilongjiang", "上海市": "Shanghai", "江苏省": "Jiangsu", "浙江省": "Zhejiang",
    "安徽省": "Anhui", "福建省": "Fujian", "江西省": "Jiangxi", "山东省": "Shandong",
    "河南省": "Henan", "湖北省": "Hubei", "湖南省": "Hunan", "广东省": "Guangdong",
    "广西壮族自治区": "Guangxi", "海南省": "Hainan", "重庆市": "Chongqing", "四川省": "Sichuan",
    "贵州省": "Guizhou", "云南省": "Yunnan", "西藏自治区": "Tibet", "陕西省": "Shaanxi",
    "甘肃省": "Gansu", "青海省": "Qinghai", "宁夏回族自治区": "Ningxia",
    "新疆维吾尔自治区": "Xinjiang",
}
# Province words as they occur inside zone names.
PROVINCE_SHORT = {
    "北京": "Beijing", "天津": "Tianjin", "河北": "Hebei", "山西": "Shanxi",
    "内蒙古": "Inner Mongolia", "辽宁": "Liaoning", "吉林": "Jilin", "黑龙江": "Heilongjiang",
    "上海": "Shanghai", "江苏": "Jiangsu", "浙江": "Zhejiang", "安徽": "Anhui", "福建": "Fujian",
    "江西": "Jiangxi", "山东": "Shandong", "河南": "Henan", "湖北": "Hubei", "湖南": "Hunan",
    "广东": "Guangdong", "广西": "Guangxi", "海南": "Hainan", "重庆": "Chongqing",
    "四川": "Sichuan", "贵州": "Guizhou", "云南": "Yunnan", "西藏": "Tibet", "陕西": "Shaanxi",
    "甘肃": "Gansu", "青海": "Qinghai", "宁夏": "Ningxia", "新疆": "Xinjiang",
}

# Type words at the end of a name, longest first.
TYPE_SUFFIXES = [
    ("农业高新技术产业示范区", "Agricultural High-tech Industry Demonstration Zone"),
    ("高新技术产业开发区", "High-tech Industrial Development Zone"),
    ("高新技术产业园区", "High-tech Industrial Park"),
    ("高技术产业开发区", "High-tech Industrial Development Zone"),
    ("新兴技术开发区", "Emerging Technology Development Zone"),
    ("新技术开发区", "New Technology Development Zone"),
    ("经济技术开发区", "Economic and Technological Development Zone"),
    ("经济开发区", "Economic Development Zone"),
    ("综合保税区", "Comprehensive Bonded Zone"),
    ("保税物流园区", "Bonded Logistics Park"),
    ("保税港区", "Bonded Port Area"),
    ("保税区", "Bonded Zone"),
    ("出口加工区", "Export Processing Zone"),
    ("跨境工业区", "Cross-border Industrial Zone"),
    ("边境经济合作区", "Border Economic Cooperation Zone"),
    ("国际边境合作中心", "International Border Cooperation Center"),
    ("经济合作区", "Economic Cooperation Zone"),
    ("互市贸易区", "Mutual Trade Zone"),
    ("国家旅游度假区", "National Tourist Resort"),
    ("旅游度假区", "Tourist Resort"),
    ("台商投资开发区", "Taiwanese Investment and Development Zone"),
    ("台商投资区", "Taiwanese Investment Zone"),
    ("投资区", "Investment Zone"),
    ("海峡两岸科技工业园", "Cross-Strait Science and Technology Industrial Park"),
    ("金融贸易区", "Finance and Trade Zone"),
    ("工业园区", "Industrial Park"),
    ("产业园区", "Industrial Park"),
    ("产业园", "Industrial Park"),
    ("科技园区", "Science Park"),
    ("开发区", "Development Zone"),
]
# provincial zones' type words: tried only when none of the above ends the name
PROVINCIAL_TYPE_SUFFIXES = [
    ("工业集中发展区", "Industrial Concentration Development Zone"),
    ("产业集聚区", "Industrial Agglomeration Zone"),
    ("工业集中区", "Industrial Concentration Zone"),
    ("工业密集区", "Industrial Concentration Area"),
    ("示范基地", "Demonstration Base"),
    ("产业基地", "Industrial Base"),
    ("示范园区", "Demonstration Park"),
    ("示范园", "Demonstration Park"),
    ("示范区", "Demonstration Zone"),
    ("特别试验区", "Special Pilot Zone"),
    ("试验区", "Pilot Zone"),
    ("经济园区", "Economic Park"),
    ("经济园", "Economic Park"),
    ("加工园区", "Processing Park"),
    ("加工区", "Processing Zone"),
    ("经济区", "Economic Zone"),
    ("工业新区", "New Industrial Area"),
    ("工业区", "Industrial Zone"),
    ("工业园", "Industrial Park"),
    ("工业港", "Industrial Port"),
    ("化工区", "Chemical Industry Zone"),
    ("产业区", "Industrial Zone"),
    ("核心区", "Core Area"),
    ("功能区", "Functional Area"),
    ("软件园", "Software Park"),
    ("生物园区", "Biology Park"),
    ("慈善园区", "Charity Park"),
    ("新区", "New Area"),
    ("园", "Park"),
]

# Qualifiers after the type words (parts / sub-areas of a zone).
TAILS = [
    ("（含新疆生产建设兵团片区）", " (including the Xinjiang Production and Construction Corps Section)"),
    ("龙潭片及江宁片", " (Longtan and Jiangning Sections)"),
    ("及双流园区", " and Shuangliu Park"),
    ("中方配套区", " Chinese Supporting Area"),
    ("A区、B区", " (Areas A and B)"),
    ("及B区", " and Area B"),
    ("南区", " South Area"),
    ("（含永宁县闽宁扶贫产业园）", " (including the Minning Poverty Alleviation Industrial Park of Yongning County)"),
]

# Descriptive words inside the place part: translated, not romanised.
WORDS = {
    "港": "Port", "机场": "Airport", "新区": "New Area", "高新区": "High-tech Zone",
    "高新": "High-tech", "经开": "Economic and Technological Development Zone",
    "新港": "New Port", "空港": "Airport", "航空基地": "Aviation Base", "航空": "Aviation",
    "航天": "Aerospace", "汽车": "Automotive", "化学工业": "Chemical Industry",
    "石化": "Petrochemical", "稀土": "Rare Earth", "钒钛": "Vanadium-Titanium",
    "医药": "Pharmaceutical", "火炬": "Torch", "西海岸": "West Coast",
    "招商局": "China Merchants", "黄河三角洲": "Yellow River Delta",
    "生产建设兵团": "Production and Construction Corps", "东盟": "ASEAN", "中国": "China",
    "中俄": "China-Russia", "中哈": "China-Kazakhstan", "中德": "Sino-German",
    "老挝": "Laos", "马来西亚": "Malaysia", "工业园": "Industrial Park", "沿海": "Coastal",
    "国际": "International", "高端装备制造": "High-end Equipment Manufacturing",
    "珠澳": "Zhuhai-Macao", "中国老挝": "China-Laos", "经济特区": "Special Economic Zone",
    # words of provincial zone names
    "循环经济": "Circular Economy", "循环": "Circular", "产业": "Industry", "现代": "Modern",
    "科技": "Science and Technology", "生态": "Eco", "新型": "New-type", "能源": "Energy",
    "化工": "Chemical", "盐化": "Salt Chemical", "新材料": "New Materials", "装备制造": "Equipment Manufacturing",
    "临空": "Airport", "沿江": "Riverside", "沿海": "Coastal", "滨江": "Riverside",
    "物流": "Logistics", "民营": "Private", "农产品": "Agricultural Products", "深加工": "Deep Processing",
    "口岸": "Port of Entry", "边境贸易": "Border Trade", "资源综合利用": "Comprehensive Resource Utilisation",
    "工业": "Industrial", "高新技术": "High-tech", "都市": "Urban", "国家": "National",
    "承接产业转移": "Industrial Transfer", "自主创新": "Innovation", "合作": "Cooperation",
    "粤桂": "Guangdong-Guangxi", "县域经济": "County Economy", "林产品": "Forest Products",
    "扶贫": "Poverty Alleviation", "绿色": "Green", "食品": "Food", "纺织": "Textile",
    "电子信息": "Electronic Information", "光电": "Optoelectronic", "陶瓷": "Ceramics",
    "机械": "Machinery", "新能源": "New Energy", "煤化工": "Coal Chemical", "煤炭": "Coal",
    "冶金": "Metallurgy", "铝": "Aluminium", "硒谷": "Selenium Valley", "创新": "Innovation",
    "中小企业": "SME", "台湾": "Taiwan", "海峡": "Strait", "省": "Provincial",
    "产业转移": "Industrial Transfer", "特色": "Specialty", "经济": "Economic", "兵团": "Corps",
    "化学": "Chemical", "轴承": "Bearing", "微电子": "Microelectronics", "重化工": "Heavy Chemical",
    "试验区": "Pilot Zone", "长江大桥": "Yangtze River Bridge", "欧盟": "EU", "民族": "Ethnic",
}
# an administrative word left on its own between place names (钦州市钦北区…): how it reads
LONE_ADMIN_WORDS = {"市": "", "区": "District", "县": "County", "旗": "Banner"}

# Established English forms of place words (method = known). value: (english, note)
KNOWN_PLACES = {
    "哈尔滨": ("Harbin", "conventional spelling Harbin (pinyin Ha'erbin)"),
    "呼和浩特": ("Hohhot", "conventional spelling Hohhot (pinyin Huhehaote)"),
    "乌鲁木齐": ("Urumqi", "conventional spelling Urumqi (pinyin Wulumuqi)"),
    "喀什": ("Kashgar", "conventional English Kashgar (pinyin Kashi)"),
    "鄂尔多斯": ("Ordos", "conventional spelling Ordos (pinyin E'erduosi)"),
    "齐齐哈尔": ("Qiqihar", "conventional spelling Qiqihar (pinyin Qiqiha'er)"),
    "拉萨": ("Lhasa", "conventional spelling Lhasa (pinyin Lasa)"),
    "二连浩特": ("Erenhot", "conventional spelling Erenhot (pinyin Erlianhaote)"),
    "呼伦贝尔": ("Hulunbuir", "conventional spelling Hulunbuir (pinyin Hulunbei'er)"),
    "巴彦淖尔": ("Bayannur", "conventional spelling Bayannur (pinyin Bayannao'er)"),
    "格尔木": ("Golmud", "conventional spelling Golmud (pinyin Ge'ermu)"),
    "库尔勒": ("Korla", "conventional spelling Korla (pinyin Ku'erle)"),
    "库车": ("Kuqa", "conventional spelling Kuqa (pinyin Kuche)"),
    "霍尔果斯": ("Horgos", "conventional spelling Horgos (pinyin Huo'erguosi)"),
    "阿拉尔": ("Aral", "conventional spelling Aral (pinyin Ala'er)"),
    "吉木乃": ("Jeminay", "conventional spelling Jeminay (pinyin Jimunai)"),
    "磨丁": ("Boten", "磨丁 is the Lao town Boten (pinyin Moding)"),
    "波尔塔夫卡": ("Poltavka", "波尔塔夫卡 is the Russian village Poltavka"),
    "金石滩": ("Golden Pebble Beach", "金石滩 = Golden Pebble Beach (pinyin Jinshitan)"),
    "银滩": ("Silver Beach", "银滩 = Silver Beach (pinyin Yintan)"),
    "亚龙湾": ("Yalong Bay", "亚龙湾 = Yalong Bay"),
    "大亚湾": ("Daya Bay", "大亚湾 = Daya Bay"),
    "前海湾": ("Qianhai Bay", "前海湾 = Qianhai Bay"),
    "杭州湾": ("Hangzhou Bay", "杭州湾 = Hangzhou Bay"),
    "松山湖": ("Songshan Lake", "松山湖 = Songshan Lake"),
    "东湖": ("East Lake", "东湖 = East Lake"),
    "湄洲岛": ("Meizhou Island", "湄洲岛 = Meizhou Island"),
    "长兴岛": ("Changxing Island", "长兴岛 = Changxing Island"),
}

# Hand-checked romanisations where pypinyin's reading is wrong for the place name.
PINYIN_FIX = {
    "漯河": "Luohe",       # pypinyin: Tahe
    "珲春": "Hunchun",     # pypinyin: Huichun
    "长治": "Changzhi",    # pypinyin: Zhangzhi
    "畹町": "Wanding",     # pypinyin: Wanting
    "闵行": "Minhang",     # pypinyin: Minxing
    "两路寸滩": "Lianglu-Cuntan",  # two place names
}

# Extra place tokens (not admin units) so that segmentation splits correctly; romanised by rule.
EXTRA_PLACES = [
    "龙潭", "江宁", "双流", "辽滨", "临港", "临空港", "滨海", "兴隆", "武宿", "天竺", "东疆",
    "外高桥", "漕河泾", "金桥", "洋山", "浦东", "陆家嘴", "佘山", "太湖", "之江", "元洪",
    "杏林", "集美", "石老人", "滇池", "海沧", "象屿", "前湾", "大窑湾", "城陵矶", "黄花",
    "白云", "南沙", "西永", "卧龙", "新郑", "武进", "吴中", "吴江", "融侨", "小蓝", "明水",
    "红旗渠", "葛店", "杨林", "嵩明", "甘泉堡", "准东", "奎屯", "独山子", "五家渠", "磨憨",
    "东宁", "张江", "紫竹", "净月", "慈湖", "狮子山", "莫干山", "秀洲", "萧山", "临江",
    "仲恺", "源城", "中关村", "梅山", "大榭", "袍江", "柯桥", "上虞", "辉山", "利民", "宾西",
    "红嘴", "浒墅关", "曹妃甸", "燕郊", "金山", "昆仑", "东侨", "杨凌", "中山", "虹桥",
    "闵行", "松江", "青浦", "嘉定", "福田", "盐田", "钦州", "北海", "洋浦", "旅顺", "余杭",
    "富阳", "望城", "增城", "璧山", "江津", "万州", "长寿", "相城", "锡山", "金义",
]

# Admin-table names that must not be used as place tokens (they contain type words).
LEXICON_EXCLUDE = {"苏州工业园"}

# Notes for rows whose place name needs a word of explanation. code -> note
ROW_NOTES = {
    "G221072": "Jilin here is Jilin City (吉林市), not the province",
    "G222011": "Jilin here is Jilin City (吉林市), not the province",
    "G632152": "named after the province (Qinghai), not a city",
}

# Whole-name overrides. code -> (name_en, method, note)
NAME_OVERRIDES = {
    "G321090": ("Suzhou Industrial Park", "known", "established English name"),
    "G112001": ("Zhongguancun Science Park", "known", "established English name"),
    "G311013": ("Caohejing Hi-Tech Park", "known",
                "established English name; rule: Caohejing Emerging Technology Development Zone"),
    "G422031": ("Wuhan East Lake High-tech Development Zone", "known",
                "established English name (Optics Valley); rule: Wuhan East Lake New Technology Development Zone"),
    "G316033": ("Shanghai Lujiazui Finance and Trade Zone", "known", "established English name"),
    "G313026": ("Shanghai Waigaoqiao Free Trade Zone", "known",
                "established English name of this bonded zone (not the 2013 pilot FTZ); rule: Shanghai Waigaoqiao Bonded Zone"),
    "G123002": ("Tianjin Port Free Trade Zone", "known",
                "established English name of this bonded zone (not the 2015 pilot FTZ); rule: Tianjin Port Bonded Zone"),
    "G451187": ("China-Malaysia Qinzhou Industrial Park", "known", "established English name"),
    "G443108": ("Zhuhai-Macao Cross-border Industrial Zone", "known", "established English name"),
    "G323045": ("Zhangjiagang Bonded Port Area (Bonded Zone)", "rule",
                "name_zh 张家港保税港区保税区: the bonded zone part of the Zhangjiagang bonded port area"),
    "G372026": ("Zibo High-tech Industrial Development Zone", "rule",
                "name_zh has 湽博, a slip for 淄博 (Zibo); name_zh kept as in the catalogue"),
    "G423091": ("Wuhan New Port and Airport Comprehensive Bonded Zone", "rule",
                "新港 = Wuhan New Port, 空港 = airport"),
    "G421170": ("Wuhan Lingkonggang Economic and Technological Development Zone", "rule",
                "临空港 = 'airport-adjacent'; romanised as a name"),
}

APOSTROPHE_INITIALS = ("a", "o", "e")


def romanise(chunk: str) -> str:
    """Hanyu Pinyin of a place token as one capitalised word (apostrophes per pinyin rules)."""
    if chunk in PINYIN_FIX:
        return PINYIN_FIX[chunk]
    sylls = lazy_pinyin(chunk, style=Style.NORMAL, v_to_u=True)
    if chunk.startswith("长") and sylls and sylls[0] == "zhang":
        sylls[0] = "chang"  # 长 opening a place name reads cháng (长葛 Changge, 长宁 Changning, 长白 Changbai)
    out = ""
    for i, s in enumerate(sylls):
        if i and s[:1] in APOSTROPHE_INITIALS:
            out += "'"
        out += s
    return out[:1].upper() + out[1:]


def _strip_admin(name: str) -> str:
    for suf in ("自治县", "自治州", "自治旗", "林区", "地区", "新区", "市", "县", "区", "旗", "盟"):
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return name


def load_lexicon() -> dict[str, tuple[str, str, str]]:
    """token -> (english, kind, note); kind in place/word/known."""
    lex: dict[str, tuple[str, str, str]] = {}
    for fname in ("areas.csv", "cities.csv"):
        with open(ADMIN / fname, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                n = _strip_admin(row["name"])
                if len(n) >= 2 and n not in ("市辖", "市辖区") and n not in LEXICON_EXCLUDE:
                    lex.setdefault(n, ("", "place", ""))
    for n in EXTRA_PLACES + list(PINYIN_FIX):
        lex[n] = ("", "place", "")
    for n, en in PROVINCE_SHORT.items():
        lex[n] = (en, "word", "")
    for n, en in WORDS.items():
        lex[n] = (en, "word", "")
    for n, (en, note) in KNOWN_PLACES.items():
        lex[n] = (en, "known", note)
    return lex


def segment(place: str, lex) -> list[tuple[str, str, str, str]]:
    """Greedy longest match; unmatched runs become one place token."""
    maxlen = max(len(k) for k in lex)
    toks: list[tuple[str, str, str, str]] = []
    run = ""
    i = 0
    while i < len(place):
        hit = None
        for L in range(min(maxlen, len(place) - i), 0, -1):
            if place[i : i + L] in lex:
                hit = place[i : i + L]
                break
        if hit is None:
            run += place[i]
            i += 1
            continue
        if run:
            toks.append((run, "", "place", ""))
            run = ""
        en, kind, note = lex[hit]
        toks.append((hit, en, kind, note))
        i += len(hit)
    if run:
        toks.append((run, "", "place", ""))
    return toks


def translate_place(place: str, lex, notes: list[str], flags: dict) -> str:
    parts = []
    for piece in re.split(r"(—|（|）)", place):
        if piece == "—":
            parts.append("-")
        elif piece == "（":
            parts.append(" (")
        elif piece == "）":
            parts.append(") ")
        elif piece:
            if piece.endswith("市") and len(piece) > 2:  # 深圳市 -> 深圳
                piece = piece[:-1]
            words = []
            for tok, en, kind, note in segment(piece, lex):
                if kind == "place" and tok in LONE_ADMIN_WORDS:
                    if LONE_ADMIN_WORDS[tok]:
                        words.append(LONE_ADMIN_WORDS[tok])
                elif kind == "place":
                    words.append(romanise(tok))
                    flags.setdefault("place_tokens", []).append(tok)
                else:
                    words.append(en)
                    if kind == "known":
                        flags["known"] = True
                        notes.append(note)
            parts.append(" ".join(words))
    s = "".join(parts)
    s = re.sub(r"\s+", " ", s).replace("( ", "(").replace(" )", ")").replace(" -", "-").replace("- ", "-")
    return s.strip()


def translate(name: str, lex, notes: list[str], flags: dict) -> str:
    tail_en = ""
    for tail, en in TAILS:
        if name.endswith(tail):
            name, tail_en = name[: -len(tail)], en
            break
    for suf, en in TYPE_SUFFIXES + PROVINCIAL_TYPE_SUFFIXES:
        if name.endswith(suf) and len(name) > len(suf):
            prefix = name[: -len(suf)]
            # a zone inside another zone: translate the prefix as a zone name
            if any(prefix.endswith(s) for s, _ in TYPE_SUFFIXES):
                head = translate(prefix, lex, notes, flags)
            else:
                head = translate_place(prefix, lex, notes, flags)
            return f"{head} {en}{tail_en}"
    raise ValueError(f"no type suffix matched: {name}")


def _homographs(lex) -> dict[str, set[str]]:
    """romanised spelling -> the different place tokens (over all names) that give it."""
    spelled: dict[str, set[str]] = {}
    with open(CATALOGUE, newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            flags: dict = {}
            translate(r["开发区名称"], lex, [], flags)
            for tok in flags.get("place_tokens", []):
                spelled.setdefault(romanise(tok), set()).add(tok)
    return spelled


def build() -> list[dict]:
    lex = load_lexicon()
    spelled = _homographs(lex)
    rows = []
    with open(CATALOGUE, newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            code, zh = r["代码"], r["开发区名称"]
            notes: list[str] = []
            flags: dict = {}
            if code in NAME_OVERRIDES:
                en, method, note = NAME_OVERRIDES[code]
                notes.append(note)
            else:
                en = translate(zh, lex, notes, flags)
                method = "known" if flags.get("known") else "rule"
                if zh.endswith("保税区") and not zh.endswith("综合保税区"):
                    notes.append("保税区 (1990s bonded zones) were often called 'free trade zones' in English")
            if code in ROW_NOTES:
                notes.append(ROW_NOTES[code])
            for tok in flags.get("place_tokens", []):
                same = sorted(t for t in spelled.get(romanise(tok), ()) if t != tok)
                if same:
                    notes.append(f"{romanise(tok)} = {tok}; same spelling as {', '.join(same)}")
            rows.append({
                "code": code,
                "name_zh": zh,
                "name_en": en,
                "province_en": PROVINCE_EN[r["省份"]],
                "method": method,
                "note": "; ".join(dict.fromkeys(n for n in notes if n)),
            })
    return rows


# -- prefecture-level units (the `prefecture` polygon layer): python -m dashboard.pipeline.build_names prefectures
PREFECTURE_SOURCE = ROOT / "geodata" / "sources" / "boundaries" / "china_prefecture_level_merged.json"
PREFECTURE_OUT = ADMIN / "prefecture_names_en.csv"
ETHNIC_EN = {  # ethnic groups in the names of autonomous prefectures, longest first when stripping
    "朝鲜族": "Korean", "土家族": "Tujia", "苗族": "Miao", "羌族": "Qiang", "藏族": "Tibetan", "彝族": "Yi",
    "布依族": "Bouyei", "侗族": "Dong", "哈尼族": "Hani", "壮族": "Zhuang", "傣族": "Dai", "白族": "Bai",
    "景颇族": "Jingpo", "傈僳族": "Lisu", "回族": "Hui", "蒙古族": "Mongol", "蒙古": "Mongol",
    "柯尔克孜": "Kyrgyz", "哈萨克": "Kazakh", "黎族": "Li",
}
PREFECTURE_KNOWN = {  # conventional English spellings of prefecture-level places (pinyin in the note)
    "博尔塔拉": "Bortala", "巴音郭楞": "Bayingolin", "克孜勒苏": "Kizilsu", "伊犁": "Ili", "阿勒泰": "Altay",
    "和田": "Hotan", "阿克苏": "Aksu", "吐鲁番": "Turpan", "克拉玛依": "Karamay", "日喀则": "Shigatse",
    "林芝": "Nyingchi", "昌都": "Qamdo", "那曲": "Nagqu", "阿里": "Ngari", "锡林郭勒": "Xilingol",
    "阿拉善": "Alxa", "兴安": "Hinggan", "乌兰察布": "Ulanqab", "图木舒克": "Tumxuk", "可克达拉": "Kokdala",
    "果洛": "Golog", "香港": "Hong Kong", "澳门": "Macao", "台湾": "Taiwan", "大兴安岭": "Da Hinggan Ling",
}
PREFECTURE_PINYIN_FIX = {"朝阳": "Chaoyang"}  # pypinyin: Zhaoyang
PREFECTURE_TYPES = (("自治州", "Autonomous Prefecture"), ("自治县", "Autonomous County"), ("群岛", "Islands"), ("地区", "Prefecture"), ("盟", "League"), ("林区", "Forestry District"),
                    ("特别行政区", ""), ("省", ""), ("市", ""), ("县", " County"))


def prefecture_name_en(name: str) -> tuple[str, str, str, str]:
    """(name_en, place_en, method, note) of a prefecture-level unit's Chinese name."""
    place, kind = name, ""
    for suffix, english in PREFECTURE_TYPES:
        if place.endswith(suffix) and len(place) > len(suffix) + (suffix == "县"):
            place, kind = place[: -len(suffix)], english
            break
    ethnic: list[str] = []
    if kind in ("Autonomous Prefecture", "Autonomous County"):
        stripped = True
        while stripped:
            stripped = False
            for word in sorted(ETHNIC_EN, key=len, reverse=True):
                if place.endswith(word) and len(place) > len(word):
                    place, stripped = place[: -len(word)], True
                    ethnic.insert(0, ETHNIC_EN[word])
                    break
    for token in (place, _strip_admin(place)):
        if token in PREFECTURE_KNOWN or token in KNOWN_PLACES:
            english = PREFECTURE_KNOWN.get(token) or KNOWN_PLACES[token][0]
            method, note = "known", f"conventional spelling {english} (pinyin {romanise(token)})"
            break
    else:
        english, method, note = PREFECTURE_PINYIN_FIX.get(place) or romanise(place), "pinyin", ""
    words = " ".join([english] + ethnic + ([kind.strip()] if kind.strip() else []))
    if kind == " County":
        words = f"{english} County"
    return words, english, method, note


def build_prefectures() -> list[dict]:
    import json
    raw = json.loads(PREFECTURE_SOURCE.read_text(encoding="utf-8"))
    rows, seen = [], set()
    for feat in raw["features"]:
        name = feat["properties"]["name"]
        code = str(feat["properties"]["adcode"])
        if feat["properties"]["level"] == "district":  # municipalities, Hong Kong, Macao: the whole unit
            code = code[:2] + "0000"
            name = {"11": "北京市", "12": "天津市", "31": "上海市", "50": "重庆市",
                    "81": "香港特别行政区", "82": "澳门特别行政区"}[code[:2]]
        if code in seen:
            continue
        seen.add(code)
        name_en, place_en, method, note = prefecture_name_en(name)
        rows.append({"adcode": code, "name_zh": name, "name_en": name_en, "place_en": place_en,
                     "method": method, "note": note})
    return sorted(rows, key=lambda r: r["adcode"])


def write_rows(path, rows: list[dict], fields: list[str]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} rows to {path.relative_to(ROOT)}")


def main_prefectures() -> None:
    write_rows(PREFECTURE_OUT, build_prefectures(), ["adcode", "name_zh", "name_en", "place_en", "method", "note"])


def main() -> None:
    write_rows(OUT, build(), ["code", "name_zh", "name_en", "province_en", "method", "note"])


if __name__ == "__main__":
    import sys
    main_prefectures() if sys.argv[1:] == ["prefectures"] else main()
