"""Paper values: every source table's transcription pinned against the paper text it came from.

Table-driven. Each group quotes a passage of the paper (a table row or a sentence) exactly as the text
extraction in geodata/sources/papers/text/ prints it (whitespace collapsed), and lists the indicator rows
taken from it: (entity_id, indicator, year) -> the token as printed in the quote, the value and unit the
transcription must hold, and its footnote flag. The tests check that

* the quote really is in the paper (so a pinned value cannot drift away from the text it claims to quote),
* every printed token is in its quote,
* the source CSV (geodata/sources/papers/indicators_*.csv) holds that value, unit, flag and a citation of the
  right file and table/section, and the built indicator table agrees with the source CSV.

Where the paper slips and the transcription corrects it, the case says so (value differs from the printed
token) and the CSV note must name the printed value.
"""
import csv
import functools
import re

import pytest

from dashboard import data
from dashboard.paths import SOURCES

PAPERS = SOURCES / "papers"
P000, P001, P002, P003, P004 = ("000_bacfc7c3674b5b65.txt", "001_29871d4920c9f956.txt",
                                "002_f9634779f90968d3.txt", "003_ddc06a3a7c4e4ece.txt",
                                "004_e203b0bd6315dda3.txt")
NA = {"—", "–", "-", "n.a."}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@functools.lru_cache(maxsize=None)
def paper(name: str) -> str:
    return _norm((PAPERS / "text" / name).read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=None)
def source_rows() -> dict:
    rows = {}
    for path in sorted(PAPERS.glob("indicators_*.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            for rec in csv.DictReader(f):
                rows[(rec["entity_id"], rec["indicator"], rec["year"])] = rec
    return rows


def _value(token: str):
    """The number a printed token stands for ('0.009 ^a' -> 0.009, '9,101' -> 9101, '—' -> None)."""
    if token in NA:
        return None
    return float(re.match(r"[\d,]*\.?\d+", token).group(0).replace(",", ""))


def across(entities, indicator, year, unit, printed, flags=None, values=None):
    """One table row spread over several entities (columns)."""
    flags = flags or [""] * len(entities)
    values = values or [_value(p) for p in printed]
    assert len(entities) == len(printed) == len(flags) == len(values)
    return [(e, indicator, year, p, v, unit, fl) for e, p, v, fl in zip(entities, printed, values, flags)]


def down(entity, indicators, year, units, printed, flags=None, values=None):
    """One table row of one entity spread over several indicators (columns)."""
    n = len(indicators)
    units = units if isinstance(units, list) else [units] * n
    flags = flags or [""] * n
    values = values or [_value(p) for p in printed]
    assert n == len(printed) == len(units) == len(flags) == len(values)
    return [(entity, ind, year, p, v, u, fl) for ind, p, v, u, fl in zip(indicators, printed, values, units, flags)]


def one(entity, indicator, year, printed, unit, flag="", value=None):
    return [(entity, indicator, year, printed, _value(printed) if value is None else value, unit, flag)]


# (paper file, citation the CSV source must contain, quote, cases); a case is
# (entity_id, indicator, year, printed token, expected value, unit, flag)
GROUPS = []


def group(paper_file, citation, quote, cases):
    GROUPS.append((paper_file, citation, quote, cases))


# ---------------------------------------------------------------- 004 Table 1.3 (all 22 values)
T13 = f"{P004}, Table 1.3"
S3 = ["sez-initial-five", "etdz-national", "china"]
group(P004, T13, "Total employment (millions) 15 4 758",
      across(S3, "employment", 2006, "million persons", ["15", "4", "758"]))
group(P004, T13, "Total employment (millions) 15 4 758 as % of China total 2.0 0.5 100",
      across(S3[:2], "employment_share_china", 2006, "percent", ["2.0", "0.5"]))
group(P004, T13, "Real GDP (RMB 100 millions) 9,101 8,195 183,085",
      across(S3, "gdp_real", 2006, "RMB 100 million", ["9,101", "8,195", "183,085"]))
group(P004, T13, "183,085 as % of China total 5.0 4.5 100",
      across(S3[:2], "gdp_share_china", 2006, "percent", ["5.0", "4.5"]))
group(P004, T13, r"Utilized FDI (US\$100 millions) 55 130 603",
      across(S3, "utilised_fdi", 2006, "USD 100 million", ["55", "130", "603"]))
group(P004, T13, "603 as % of China total 9.1 21.6 100",
      across(S3[:2], "utilised_fdi_share_china", 2006, "percent", ["9.1", "21.6"]))
group(P004, T13, r"Merchandise exports (US\$100 millions) 1,686 1,138 7,620",
      across(S3, "exports_merchandise", 2006, "USD 100 million", ["1,686", "1,138", "7,620"]))
group(P004, T13, "7,620 as % of China total 22.1 14.9 100",
      across(S3[:2], "exports_share_china", 2006, "percent", ["22.1", "14.9"]))
group(P004, T13, "Total population (millions) 25 — 1,308",
      across(S3, "population", 2006, "million persons", ["25", "—", "1,308"]))
group(P004, T13, "1,308 as % of China total 1.9 — 100",
      across(S3[:2], "population_share_china", 2006, "percent", ["1.9", "—"]))

# ---------------------------------------------------------------- 004 Table 1.4 (every one of the 60 cells)
# Footnotes: a. 1979. b. 1980. c. Preliminary figures. d. January–November (the 2008 row). e. January–September.
# Footnote 5 (prose): 2007 FDI 'Figures for Xiamen and Hainan are only for the first three quarters'.
T14 = f"{P004}, Table 1.4"
SEZ5 = ["sez-shenzhen", "sez-zhuhai", "sez-shantou", "sez-xiamen", "sez-hainan"]
EXPORTS = "<i>Exports (billion current US\\$)</i> "
FDI = "<i>Utilized FDI (million current US\\$)</i> "
N, J = "partial_year:Jan-Nov", "partial_year:Jan-Sep"
group(P004, T14, EXPORTS + "1978 0.009 ^a 0.009 ^a 0.251 ^b 0.082 —",
      across(SEZ5, "exports", 1978, "USD billion", ["0.009 ^a", "0.009 ^a", "0.251 ^b", "0.082", "—"],
             flags=["year_substituted:1979", "year_substituted:1979", "year_substituted:1980", "", ""]))
group(P004, T14, "1990 8.152 0.489 0.84 0.781 0.471",
      across(SEZ5, "exports", 1990, "USD billion", ["8.152", "0.489", "0.84", "0.781", "0.471"]))
group(P004, T14, "2000 34.564 3.646 2.595 5.880 0.803",
      across(SEZ5, "exports", 2000, "USD billion", ["34.564", "3.646", "2.595", "5.880", "0.803"]))
group(P004, T14, "2006 135.959 14.843 3.484 20.508 1.376",
      across(SEZ5, "exports", 2006, "USD billion", ["135.959", "14.843", "3.484", "20.508", "1.376"]))
group(P004, T14, "2007 168.542 18.477 3.912 25.555 ^c 1.838 ^c",
      across(SEZ5, "exports", 2007, "USD billion", ["168.542", "18.477", "3.912", "25.555 ^c", "1.838 ^c"],
             flags=["", "", "", "preliminary", "preliminary"]))
group(P004, T14, "2008 ^d 163.780 19.730 3.278 ^e 26.970 — " + FDI,
      across(SEZ5, "exports", 2008, "USD billion", ["163.780", "19.730", "3.278 ^e", "26.970", "—"],
             flags=[N, N, J, N, N]))
group(P004, T14, FDI + "1978 5.48 ^a n.a. 1.61 ^b — 0.10 ^b",
      across(SEZ5, "utilised_fdi", 1978, "USD million", ["5.48 ^a", "n.a.", "1.61 ^b", "—", "0.10 ^b"],
             flags=["year_substituted:1979", "", "year_substituted:1980", "", "year_substituted:1980"]))
group(P004, T14, "1990 389.94 69.1 98.09 72.37 100.55",
      across(SEZ5, "utilised_fdi", 1990, "USD million", ["389.94", "69.1", "98.09", "72.37", "100.55"]))
group(P004, T14, "2000 1961.45 815.18 165.61 1031.50 430.8",
      across(SEZ5, "utilised_fdi", 2000, "USD million", ["1961.45", "815.18", "165.61", "1031.50", "430.8"]))
group(P004, T14, "2006 3268.47 824.22 139.60 954.61 748.78",
      across(SEZ5, "utilised_fdi", 2006, "USD million", ["3268.47", "824.22", "139.60", "954.61", "748.78"]))
group(P004, T14, "2007 3662.17 1028.83 171.62 1272 ^c 1120 ^c",
      across(SEZ5, "utilised_fdi", 2007, "USD million", ["3662.17", "1028.83", "171.62", "1272 ^c", "1120 ^c"],
             flags=["", "", "", "preliminary;" + J, "preliminary;" + J]))
group(P004, T14, "2008 ^d 3929.58 1138.49 — 1955.63 — Sources: Yeung et al. 2008",
      across(SEZ5, "utilised_fdi", 2008, "USD million", ["3929.58", "1138.49", "—", "1955.63", "—"],
             flags=[N, N, N, N, N]))

# ---------------------------------------------------------------- 004 Table 1.5 (all 21 cells)
# No unit printed; 5,402.65 = 54.0 million employed in Guangdong in 2007, so 10,000 persons.
T15 = f"{P004}, Table 1.5"
Y15 = [2001, 2002, 2003, 2004, 2005, 2006, 2007]
for ind, unit, label, tokens in [
        ("cluster_employment", "10000 persons", "Cluster employees",
         ["52.95", "182.29", "241.74", "266.74", "370.71", "—", "431.48"]),
        ("total_employment", "10000 persons", "Total employees",
         ["4,058.63", "4,134.37", "4,395.93", "4,681.89", "5,022.97", "5,250.09", "5,402.65"]),
        ("cluster_employment_share", "percent", "Cluster employment (%)",
         ["1.30", "4.41", "5.50", "5.70", "7.38", "—", "7.99"])]:
    group(P004, T15, " ".join([label] + tokens),
          [case for y, tok in zip(Y15, tokens) for case in one("prov-44", ind, y, tok, unit)])

# ---------------------------------------------------------------- 004 Table 1.6 (all 48 cells)
T16 = f"{P004}, Table 1.6"
COLS16 = ["firms", "employees", "output", "rd_expenditure", "patents"]
UNITS16 = ["firms", "persons", "USD million", "USD thousand", "patents"]
for label, key, t98, t03 in [
        ("<10", "lt10", "795 7,055 44.6 0 0", "465 3,715 31.9 0 0"),
        ("10-50", "10_50", "583 26,235 130.1 0 0", "534 25,299 94.5 0 0"),
        ("51-100", "51_100", "205 19,475 106.1 0 0", "359 33,387 323.2 2,256.7 22"),
        (">100", "gt100", "7 1,094 61.5 230 0", "22 6,445 339.2 3,648.2 166"),
        ("Total", "total", "1590 53,859 342.2 230 0", "1380 68,846 788.8 5,904.9 188")]:
    quote = f"{label} {t98} {t03}"
    inds = [f"{c}_{key}" for c in COLS16]
    group(P004, T16, quote, down("cl-xiqiao", inds, 1998, UNITS16, t98.split(" "))
          + down("cl-xiqiao", inds, 2003, UNITS16, t03.split(" ")))
# Firm average: the printed 1998 employees per firm (32.28) contradicts 53,859 / 1,590 = 33.87 (corrected)
AVG = ["employees_per_firm", "output_per_firm", "rd_per_firm", "patents_per_firm"]
AVG_UNITS = ["persons", "USD million", "USD thousand", "patents"]
group(P004, T16, "Firm average 32.28 0.21 0.14 0 49.86 0.58 4.28 0.14",
      down("cl-xiqiao", AVG, 1998, AVG_UNITS, ["32.28", "0.21", "0.14", "0"], values=[33.87, 0.21, 0.14, 0])
      + down("cl-xiqiao", AVG, 2003, AVG_UNITS, ["49.86", "0.58", "4.28", "0.14"]))

# ---------------------------------------------------------------- 004 prose (SEZ and ETDZ counts, shares)
EST = f"{P004}, section 'The Establishment of SEZs in China'"
CON = f"{P004}, section 'Contributions of SEZs to China's Development'"
OVR = f"{P004}, section 'A Brief Overview of China's Industrial Clusters'"
group(P004, EST, "From 1984 to 1988, 14 ETDZs were established in additional coastal cities",
      one("china", "etdz_new", 1988, "14", "zones"))
group(P004, EST, "in 1992, the State Council created another 35 ETDZs",
      one("china", "etdz_new", 1992, "35", "zones"))
group(P004, EST, "By the end of 2008, there were 54 state-level ETDZs",
      one("china", "etdz_count", 2008, "54", "zones"))
group(P004, EST, "By April 2010, this number increased to 69: 18 in the Yangtze River Delta, 10 in the Pearl River "
      "Delta, 15 in the central region, 11 in the Bohai Bay region, 2 in the northeast region, and 13 in the western",
      one("china", "etdz_count", 2010, "69", "zones")
      + across(["region-yrd", "region-prd", "region-central", "region-bohai", "region-northeast", "region-western"],
               "etdz_count", 2010, "zones", ["18", "10", "15", "11", "2", "13"]))
group(P004, EST, "there are 54 state-level HIDZs in China—25 in the coastal and 29 in the inland regions",
      one("china-coastal", "hidz_count", "", "25", "zones") + one("china-inland", "hidz_count", "", "29", "zones"))
group(P004, EST, "Currently, there are 15 FTZs in 13 coastal cities",
      one("china", "ftz_count", "", "15", "zones") + one("china", "ftz_cities", "", "13", "cities"))
group(P004, EST, "So far, 61 EPZs have been set up in China; 44 of them are located in the coastal region, while the "
      "other 17 are inland", one("china", "epz_count", "", "61", "zones")
      + one("china-coastal", "epz_count", "", "44", "zones") + one("china-inland", "epz_count", "", "17", "zones"))
group(P004, EST, "In 1981, the four zones accounted for 59.8 percent of total FDI in China, with Shenzhen accounting "
      "for the lion’s share at 50.6 percent", one("sez-initial-four", "fdi_share_china", 1981, "59.8", "percent")
      + one("sez-shenzhen", "fdi_share_china", 1981, "50.6", "percent"))
group(P004, EST, "By the end of 1985, realized FDI in the four zones totaled US\\$1.17 billion",
      one("sez-initial-four", "utilised_fdi_cumulative", 1985, "1.17", "USD billion"))
group(P004, EST, "Shenzhen grew at a phenomenal 58 percent annual rate, followed by Zhuhai (32 percent), Xiamen "
      "(13 percent), and Shantou (9 percent)",
      across(["sez-shenzhen", "sez-zhuhai", "sez-xiamen", "sez-shantou"], "gdp_growth_avg_annual", 1984, "percent",
             ["58", "32", "13", "9"]))
group(P004, EST, "the number of industrial parks had been reduced to 1,568, among which 222 are state-level zones",
      one("china", "industrial_parks_count", 2006, "1,568", "parks")
      + one("china", "industrial_parks_state_level_count", 2006, "222", "parks"))
group(P004, CON, "In 2006, the 54 state-level ETDZs, 53 state-level HIDZs,⁴ and 15 FTZs accounted for a combined "
      "**11.1** percent of China's total GDP and 29.8 percent of exports",
      one("china", "hidz_count", 2006, "53", "zones")
      + one("zones-etdz-hidz-ftz", "gdp_share_china", 2006, "11.1", "percent")
      + one("zones-etdz-hidz-ftz", "exports_share_china", 2006, "29.8", "percent"))
group(P004, CON, "would account for about **18.5** percent of China's total GDP",
      one("zones-state-level-major", "gdp_share_china", 2006, "18.5", "percent", flag="estimate"))
group(P004, CON, "In 2007, the actual utilized FDI of the five initial SEZs was about US\\$7.3 billion.⁵",
      one("sez-initial-five", "utilised_fdi", 2007, "7.3", "USD billion", flag=J + ";approximate"))
group(P004, CON, "In 2007, China's total utilized FDI was US\\$74.8 billion",
      one("china", "utilised_fdi", 2007, "74.8", "USD billion"))
group(P004, CON, "In 2007, total employment of the 54 ETDZs and the 54 HIDZs was about 5.35 million and 6.5 million",
      one("etdz-national", "employment", 2007, "5.35", "million persons", flag="approximate")
      + one("hidz-national", "employment", 2007, "6.5", "million persons", flag="approximate"))
group(P004, CON, "their expenditure on R&D in 2002 was RMB 31.4 billion and accounted for 24.4 percent",
      one("hidz-national", "rd_expenditure", 2002, "31.4", "RMB billion")
      + one("hidz-national", "rd_expenditure_share_china", 2002, "24.4", "percent"))
group(P004, CON, "In 2008, Shenzhen ranked first among all Chinese cities, registering 2,480 new patents",
      one("sez-shenzhen", "new_patents", 2008, "2,480", "patents"))
group(P004, OVR, "In 2007, 228 clusters in Guangdong, with a GDP of RMB 765 billion, accounted for 25 percent",
      one("prov-44", "clusters", 2007, "228", "clusters") + one("prov-44", "cluster_gdp", 2007, "765", "RMB billion")
      + one("prov-44", "cluster_gdp_share", 2007, "25", "percent"))
group(P004, OVR, "more than 3.87 billion pairs with a total value of US\\$9.47 billion were exported",
      one("china-footwear-clusters", "shoes_exported", 2003, "3.87", "billion pairs", flag="lower_bound")
      + one("china-footwear-clusters", "shoe_exports_value", 2003, "9.47", "USD billion"))
group(P004, f"{P004}, introduction", "Rapid growth in the past decades has helped lift more than 400 million people out of poverty",
      one("china", "people_lifted_out_of_poverty", "", "400", "million persons", flag="lower_bound"))
group(P004, f"{P004}, section 'Cluster Formation'", "By the end of 2005, this region had agglomerated more than 1,200 footwear firms and more than 3,000 "
      "related firms", one("cl-chengdu-footwear", "footwear_firms", 2005, "1,200", "firms", flag="lower_bound")
      + one("cl-chengdu-footwear", "related_firms", 2005, "3,000", "firms", flag="lower_bound"))
group(P004, OVR, "In the Dalang apparel cluster in Guangdong Province, nearly 2,000 woolen firms with more than "
      "100,000 workers produce some 200 million sets of sweaters",
      one("cl-dalang", "firms", "", "2,000", "firms", flag="approximate")
      + one("cl-dalang", "workers", "", "100,000", "persons", flag="lower_bound")
      + one("cl-dalang", "sweaters_output", "", "200", "million sets", flag="approximate"))
group(P004, f"{P004}, section 'Major Factors for Success and Lessons Learned'",
      "the first city to establish the system of government approval within 24 hours",
      one("sez-shenzhen", "government_approval_time_limit", "", "24", "hours"))

# ---------------------------------------------------------------- 000 Table 1 (all 24 cells)
# Header 'Total output (billion yuan)' contradicts §2.1 ('12.457 billion RMB' in 2007 = 124.57 x RMB 100 million)
T1P = f"{P000}, Table 1"
for row in ["2002 22 21.1 13.8 45", "2003 65 40.2 17.9 85.2", "2004 71 65.9 24.4 64", "2005 91 78.6 19 21",
            "2006 102 101.5 27.4 22.68", "2007 120 124.57 22.72 21.9"]:
    y, *tok = row.split(" ")
    group(P000, T1P, row, down("zj-pinghu", ["firms", "gross_output", "share_of_entire_industry",
                                             "gross_output_growth"], int(y),
                               ["firms", "RMB 100 million", "percent", "percent"], tok))
group(P000, f"{P000}, §2.1", "By 2007, the gross output of Pinghu’s opto-mechatronics producers reached 12.457 billion RMB",
      one("zj-pinghu", "gross_output", 2007, "12.457", "RMB 100 million", value=124.57))

# ---------------------------------------------------------------- 000 Table 2 (all 38 cells)
T2P = f"{P000}, Table 2"
for quote, key, count, share, value in [
        ("Wholly foreign- owned 38 (31.6%)", "ownership_wholly_foreign_owned", "38", "31.6", None),
        ("Private 56 (46.7%)", "ownership_private", "56", "46.7", None),
        ("Joint venture 22 18.3%", "ownership_joint_venture", "22", "18.3", None),
        ("Others 4 (3.4%) Others 13", "ownership_others", "4", "3.4", None),
        ("Electronic information 19 (15.8%)", "industry_electronic_information", "19", "15.8", None),
        ("Opto- mechatronics 88 (73.3%)", "industry_opto_mechatronics", "88", "73.3", None),
        ("Others 13 (10.9%)", "industry_others", "13", "10.9", None),
        ("Over 10 million 44 (36.7%)", "registered_capital_over_10m_yuan", "44", "36.7", None),
        ("5 to 10 million 50 (41.7%)", "registered_capital_5_10m_yuan", "50", "41.7", None),
        # printed 9.6%, but 8/120 = 6.7% and the column would sum to 103: corrected
        ("1 to 5 million 8 (9.6%)", "registered_capital_1_5m_yuan", "8", "9.6", 6.7),
        ("Under 1 million 18 (15%)", "registered_capital_under_1m_yuan", "18", "15", None),
        ("Over 100 million 26 (21.7%)", "annual_output_over_100m_yuan", "26", "21.7", None),
        ("50 to 100 million 47 (39.2)", "annual_output_50_100m_yuan", "47", "39.2", None),
        ("10 to 50 million 33 (27.5%)", "annual_output_10_50m_yuan", "33", "27.5", None),
        ("Under 10 million 14 (11.7%)", "annual_output_under_10m_yuan", "14", "11.7", None),
        ("Over 3,000 37 (30.8%)", "employees_over_3000", "37", "30.8", None),
        ("1,000 to 3,000 44 (36.7%)", "employees_1000_3000", "44", "36.7", None),
        ("500–1,000 12 (10%)", "employees_500_1000", "12", "10", None),
        ("Under 500 27 (22.5%)", "employees_under_500", "27", "22.5", None)]:
    group(P000, T2P, quote, one("zj-pinghu", f"survey_firms_by_{key}", 2008, count, "firms")
          + one("zj-pinghu", f"survey_share_by_{key}", 2008, share, "percent", value=value))

# ---------------------------------------------------------------- 000 Table 3 (all 52 cells)
T3P = f"{P000}, Table 3"
REASONS = ["government_support_service", "preferential_policy", "following_up_downstream", "market_potential",
           "supporting_industries", "geographic_location"]
for quote, end_year in [("1999–2001 (20) 9 (45%) 5 (25%) 2 (10%) 0 (0%) 1 (5%) 3 (15%)", 2001),
                        ("2001–2004 (51) 16 (31.37%) 7 (13.73%) 5 (9.8%) 8 (15.69%) 10 (19.61%) 5 (9.8%)", 2004),
                        ("2004–2007 (49) 10 (20.41%) 7 (14.29%) 6 (12.24%) 8 (16.33%) 11 (22.45%) 7 (14.29%)", 2007),
                        ("2007–2008 (13) 2 (15.38%) 2 (15.38%) 2 (15.38%) 4 (30.77%) 7 (53.85%) 1 (7.69%)", 2008)]:
    period, total, *cells = quote.split(" ")
    cases = one("zj-pinghu", "survey_firms_founded_in_period", end_year, total.strip("()"), "firms")
    for reason, n, share in zip(REASONS, cells[0::2], cells[1::2]):
        cases += one("zj-pinghu", f"survey_invest_reason_{reason}_firms", end_year, n, "firms")
        cases += one("zj-pinghu", f"survey_invest_reason_{reason}_share", end_year, share.strip("()%"), "percent")
    group(P000, T3P, quote, cases)

# ---------------------------------------------------------------- 000 Table 4 (all 20 cells)
T4P = f"{P000}, Table 4"
T4 = ["survey_direct_value_added_ratio", "survey_labour_productivity", "survey_import_ratio_intermediate_inputs",
      "survey_rd_input_ratio"]
T4U = ["percent", "USD per worker", "percent", "percent"]
for quote, key in [("Overall average 47.54 11,240 27.85 10.11", "all"),
                   ("Wholly foreign-owned enterprises 44.96 10,960 44.55 6.37", "wholly_foreign_owned"),
                   ("Private enterprises 51.73 11,010 16.87 12.03", "private"),
                   ("Joint ventures 47.05 10,710 31.09 11.3", "joint_venture"),
                   ("Others 46.43 10,980 18.92 10.75", "others")]:
    group(P000, T4P, quote, down("zj-pinghu", [f"{c}_{key}" for c in T4], 2008, T4U, quote.split(" ")[-4:]))
group(P000, f"{P000}, §4.1", "The average labor productivity was 76,821 yuan (about $11,240)",
      one("zj-pinghu", "survey_labour_productivity_cny_all", 2008, "76,821", "yuan per worker"))

# ---------------------------------------------------------------- 000 Table 5 (all 60 cells)
T5P = f"{P000}, Table 5"
for block, key, vals in [
        ("Overall average", "all", ["5.16", "61.45", "35.72", "52.24", "32.5", "23.51", "13.4", "47.76", "36.7",
                                    "79.28", "13.44", "48.01", "88.12", "3.61", "5.54"]),
        ("Wholly foreign- owned enterprises", "wholly_foreign_owned",
         ["4.52", "81.45", "28.3", "69.56", "17.57", "5.7", "8.9", "30.44", "24.5", "78.4", "10.03", "70.51",
          "87.1", "2.82", "0.29"]),
        ("Private enterprises", "private", ["8.79", "47.9", "56.77", "19.34", "75.5", "33.81", "21.9", "80.66",
                                            "59.49", "70.45", "13.3", "13.4", "82.26", "4.99", "7.93"]),
        ("Joint ventures", "joint_venture", ["2.18", "55", "22.09", "67.81", "4.44", "31.01", "9.4", "32.19",
                                             "26.12", "89", "17", "60.12", "95", "3.01", "8.39"])]:
    v = dict(zip(["core", "imp", "in", "exp", "gen", "dom", "dfirm", "dsales", "ph", "fa", "ird", "ffirm", "test",
                  "eoth", "doth"], vals))
    gen = "General components process" if key == "all" else "General components processing"
    quote = (f"{block} Core components processing {v['core']} Import {v['imp']} Inside of fi rms {v['in']} Export "
             f"{v['exp']} {gen} {v['gen']} Domestic purchase {v['dom']} Domestic fi rms {v['dfirm']} Domestic sales "
             f"{v['dsales']} ({v['ph']} for Pinghu production) Final assembly {v['fa']} Independent R&D {v['ird']} "
             f"Foreign fi rms {v['ffirm']} Finished product testing {v['test']} Others {v['eoth']} Others {v['doth']}")
    inds = ["process_core_components", "equipment_import", "design_inside_firm", "sales_export",
            "process_general_components", "equipment_domestic_purchase", "design_domestic_firms", "sales_domestic",
            "sales_domestic_pinghu_production", "process_final_assembly", "equipment_independent_rd",
            "design_foreign_firms", "process_product_testing", "equipment_others", "design_others"]
    group(P000, T5P, quote, down("zj-pinghu", [f"survey_{i}_{key}" for i in inds], 2008, "percent", vals))

# ---------------------------------------------------------------- 000 Table 6 (all 36 cells printed with a value)
# Header 'Labor productivity (thousand $)' contradicts §4.2 (Pinghu's 11,240 USD 'basically the same as the
# national average' 10,850): the values are in USD, unit corrected.
T6P = f"{P000}, Table 6"
T6 = ["hightech_direct_value_added_ratio", "hightech_labour_productivity", "hightech_import_ratio_intermediate_inputs"]
T6U = ["percent", "USD per worker", "percent"]
for year, quote, entity in [
        (2000, "China 43.53 10570 27.23", "china"), (2000, "German 46.76 51640 67.68", "country-germany"),
        (2000, "Japan 46.43 75600 25.94", "country-japan"), (2000, "South Korea 47.47 20210 57.96",
                                                             "country-south_korea"),
        (2000, "United States 46.5 71830 42.22", "country-usa"), (2005, "China 41.32 10850 55.39", "china"),
        (2005, "German 45.02 60490 78.87 17.7 (2004)", "country-germany"),
        (2005, "Japan 51.43 48950 45.43 30.1 (2003)", "country-japan"),
        (2005, "United States 46.18 65970 52.54 23 (2004)", "country-usa")]:
    tok = quote.split(" ")
    tok = tok[2:5] if entity in ("country-south_korea", "country-usa") else tok[1:4]
    group(P000, T6P, quote, down(entity, T6, year, T6U, tok))
group(P000, T6P, "2000 Brazil 48.91 – 58.44 China", [
    ("country-brazil", "hightech_direct_value_added_ratio", 2000, "48.91", 48.91, "percent", ""),
    ("country-brazil", "hightech_import_ratio_intermediate_inputs", 2000, "58.44", 58.44, "percent", "")])
group(P000, T6P, "Indian 53.76 – 13.15", [
    ("country-india", "hightech_direct_value_added_ratio", 2000, "53.76", 53.76, "percent", ""),
    ("country-india", "hightech_import_ratio_intermediate_inputs", 2000, "13.15", 13.15, "percent", "")])
group(P000, T6P, "2005 Brazil 47.42 – 79.13", [
    ("country-brazil", "hightech_direct_value_added_ratio", 2005, "47.42", 47.42, "percent", ""),
    ("country-brazil", "hightech_import_ratio_intermediate_inputs", 2005, "79.13", 79.13, "percent", "")])
group(P000, T6P, "78.87 17.7 (2004)",
      one("country-germany", "hightech_rd_input_ratio", 2005, "17.7", "percent", flag="year_substituted:2004"))
group(P000, T6P, "45.43 30.1 (2003)",
      one("country-japan", "hightech_rd_input_ratio", 2005, "30.1", "percent", flag="year_substituted:2003"))
group(P000, T6P, "South Korea – – – 50 (2004)",
      one("country-south_korea", "hightech_rd_input_ratio", 2005, "50", "percent", flag="year_substituted:2004"))
group(P000, T6P, "52.54 23 (2004)",
      one("country-usa", "hightech_rd_input_ratio", 2005, "23", "percent", flag="year_substituted:2004"))

# ---------------------------------------------------------------- 002 Tables 1-3 (all values)
T1Z, T2Z, T3Z = f"{P002}, Table 1", f"{P002}, Table 2", f"{P002}, Table 3"
for quote, park, area, firms, fflag in [
        ("1 Haidian Park Haidian District 217(planned) over 10000", "haidian", "217", "10000", "lower_bound"),
        ("north outskirts of Beijing 5 over 1300", "changping", "5", "1300", "lower_bound"),
        ("south outskirts of Beijing 5 over 2700", "fengtai", "5", "2700", "lower_bound"),
        ("Economic-Technological Development Area 7.5 over 1000", "yizhuang", "7.5", "1000", "lower_bound"),
        ("east outskirts of Beijing 10.5 over 440", "electronic-zone", "10.5", "440", "lower_bound"),
        ("Desheng Science and Technology Park Xicheng District 6 145", "desheng", "6", "145", "")]:
    group(P002, T1Z, quote, one(f"cl-zgc-{park}", "area", 2005, area, "km2",
                                flag="planned" if park == "haidian" else "")
          + one(f"cl-zgc-{park}", "firms", 2005, firms, "firms", flag=fflag))
group(P002, T1Z, "Jianxiang Science and Technology Park Chaoyang District 4.2 -",
      one("cl-zgc-jianxiang", "area", 2005, "4.2", "km2"))
group(P002, T2Z, "Haidian Park Research institutes: 232 Universities: 73 Researchers: 378 thousand University "
      "students: 300 thousand",
      one("cl-zgc-haidian", "research_institutes", 2006, "232", "institutes")
      + one("cl-zgc-haidian", "universities", 2006, "73", "universities")
      + one("cl-zgc-haidian", "researchers", 2006, "378", "persons", value=378000)
      + one("cl-zgc-haidian", "university_students", 2006, "300", "persons", value=300000))
group(P002, T2Z, "Changping Park Scientific research institutes: 114 Universities: 14 Researchers: 15 thousand",
      one("cl-zgc-changping", "research_institutes", 2006, "114", "institutes")
      + one("cl-zgc-changping", "universities", 2006, "14", "universities")
      + one("cl-zgc-changping", "researchers", 2006, "15", "persons", value=15000))
group(P002, T2Z, "Fengtai Park Scientific research institutes: 60 Researchers: 70 thousand",
      one("cl-zgc-fengtai", "research_institutes", 2006, "60", "institutes")
      + one("cl-zgc-fengtai", "researchers", 2006, "70", "persons", value=70000))
group(P002, T2Z, "The Electronic Zone Electronic research institute: 4 Electronic universities: 5",
      one("cl-zgc-electronic-zone", "research_institutes", 2006, "4", "institutes")
      + one("cl-zgc-electronic-zone", "universities", 2006, "5", "universities"))
group(P002, T2Z, "CAS Institutes: 12 CAS academic members: 44 CAE academic members: 5 TWAS academic members: 5",
      one("cl-zgc-jianxiang", "cas_institutes", 2006, "12", "institutes")
      + one("cl-zgc-jianxiang", "cas_academicians", 2006, "44", "persons")
      + one("cl-zgc-jianxiang", "cae_academicians", 2006, "5", "persons")
      + one("cl-zgc-jianxiang", "twas_academicians", 2006, "5", "persons"))
group(P002, T2Z, "Desheng Science and Technology Park Research institutes: 6 Universities: 8",
      one("cl-zgc-desheng", "research_institutes", 2006, "6", "institutes")
      + one("cl-zgc-desheng", "universities", 2006, "8", "universities"))
ZGC = "hidz-zhongguancun"
Y3 = [2002, 2003, 2004, 2005]


def t3(indicator, unit, tokens, flags=None, values=None):
    cases = []
    for i, (y, tok) in enumerate(zip(Y3, tokens)):
        if tok == "n.a.":
            continue  # 'n.a.' cells are not transcribed
        cases += one(ZGC, indicator, y, tok, unit, flag=(flags or {}).get(y, "interview" if y == 2005 else ""),
                     value=(values or {}).get(y))
    return cases


group(P002, T3Z, "Number of firms 9,567 11,529 13,957 17,000",
      t3("firms", "firms", ["9,567", "11,529", "13,957", "17,000"]))
group(P002, T3Z, "Total revenue from technology trade 2,394.8 2,886.4 3,692.2 n.a.",
      t3("total_revenue_technology_trade", "RMB 100 million", ["2,394.8", "2,886.4", "3,692.2", "n.a."]))
group(P002, T3Z, "Total industrial output (at cost) 1,477.2 1,607.8 1,876.1 n.a.",
      t3("industrial_output", "RMB 100 million", ["1,477.2", "1,607.8", "1,876.1", "n.a."]))
group(P002, T3Z, "(one hundred million US \\$) 28.8 32.9 53.6 n.a.",
      t3("exports", "USD 100 million", ["28.8", "32.9", "53.6", "n.a."]))
group(P002, T3Z, "Total tax payment 98.8 120.1 141.7 n.a.",
      t3("tax_paid", "RMB 100 million", ["98.8", "120.1", "141.7", "n.a."]))
# header '(million)' contradicts §4-1 ('about 400 thousand and increased to 690 thousand in 2005'): 10,000 persons
group(P002, T3Z, "Number of employees (million) 40.4 48.9 55.7 69.0",
      t3("employment", "persons", ["40.4", "48.9", "55.7", "69.0"],
         values={2002: 404000, 2003: 489000, 2004: 557000, 2005: 690000}))
group(P002, T3Z, "Gross profit 96.6 161.5 256.6 48.0",
      t3("gross_profit", "RMB 100 million", ["96.6", "161.5", "256.6", "48.0"]))
group(P002, f"{P002}, Section 4-1", "The 17 thousand firms in the ZSP employ 690 thousand people and earn 480 "
      "billion yuan (about 60 billion dollars)", one(ZGC, "total_revenue", 2005, "480", "RMB billion")
      + one(ZGC, "total_revenue_usd", 2005, "60", "USD billion", flag="approximate"))
# printed '250 thousand square kilometers' for THSP (inside the 217 km2 Haidian Park): 250 thousand m2
group(P002, f"{P002}, Section 4-3", "THSP, a holding company for Tsinghua University, covers 250 thousand square "
      "kilometers", one("cl-zgc-thsp", "area", "", "250", "km2", value=0.25))

# ---------------------------------------------------------------- 003 province facts (§I.1)
S003 = f"{P003}, §I.1"
group(P003, S003, "Zhejiang is, in fact, one of the smallest provinces in China (occupying 1.06% of China’s land",
      one("prov-33", "land_area_share_of_china", "", "1.06", "percent"))
group(P003, S003, "In 2005, it had 48,980,000 inhabitants (according to the hukou register), representing 3.75% of",
      one("prov-33", "population_hukou", 2005, "48,980,000", "persons")
      + one("prov-33", "population_share_of_china", 2005, "3.75", "percent"))
group(P003, S003, "the province has the highest proportion of private companies in China: 92%, compared to a national "
      "average of 60%", one("prov-33", "private_company_share", "", "92", "percent")
      + one("china", "private_company_share", "", "60", "percent"))
group(P003, S003, "In 2001, the number of SMEs with sales turnovers of less than 5 million RMB was estimated at "
      "682,000. These businesses employ 5,976,400 people, representing 65% of the industrial labour force",
      one("prov-33", "smes_turnover_under_5m", 2001, "682,000", "firms", flag="estimate")
      + one("prov-33", "smes_turnover_under_5m_employment", 2001, "5,976,400", "persons")
      + one("prov-33", "smes_turnover_under_5m_share_of_industrial_labour", 2001, "65", "percent"))
group(P003, S003, "In 2001, it was estimated that there were 519 specialised industrial clusters with a production "
      "value higher than 100 million RMB",
      one("prov-33", "specialised_clusters_output_over_rmb100m", 2001, "519", "clusters", flag="estimate"))
group(P003, S003, "can be found in 85 of the 88 towns in the Zhejiang district",
      one("prov-33", "block_economy_units", "", "85", "towns")
      + one("prov-33", "block_economy_units_total", "", "88", "towns"))
group(P003, f"{P003}, §I.3.2", "In 2000, 89.3% of companies in the province were private companies, representing "
      "78.9% of the province’s total production value",
      one("prov-33", "private_companies_share_of_firms", 2000, "89.3", "percent")
      + one("prov-33", "private_companies_share_of_output", 2000, "78.9", "percent"))
group(P003, f"{P003}, §I.2", "In 2001, shoes manufactured in Wenzhou represented 20% of the total Chinese market, with "
      "lighters at 90% and razors at 60%", one("zj-wenzhou-footwear", "market_share_china", 2001, "20", "percent")
      + one("zj-wenzhou-lighters", "market_share_china", 2001, "90", "percent")
      + one("zj-wenzhou", "razors_market_share_china", 2001, "60", "percent"))
# printed '38,010,000 employees' for 219 units (3/4 of Zhejiang's population): read as 38,010
group(P003, f"{P003}, §II.2.4", "study on 219 manufacturing units in Zhejiang’s 104 clusters confirms that, of "
      "38,010,000 employees, 82.89% are from an agricultural background",
      one("prov-33", "xu_tang_survey_units", "", "219", "units")
      + one("prov-33", "xu_tang_survey_employees", "", "38,010,000", "persons", value=38010)
      + one("prov-33", "xu_tang_survey_share_agricultural_background", "", "82.89", "percent"))

CASES = [(f, c, q, case) for f, c, q, cases in GROUPS for case in cases]


def _id(case):
    f, c, q, (e, ind, y, *_rest) = case
    return f"{e}|{ind}|{y}"


@pytest.mark.parametrize("paper_file,citation,quote,cases", GROUPS, ids=[g[2][:60] for g in GROUPS])
def test_quote_is_in_the_paper_and_holds_the_printed_tokens(paper_file, citation, quote, cases):
    text = paper(paper_file)
    assert _norm(quote) in text, f"quote not found in {paper_file}: {quote!r}"
    for entity, indicator, year, printed, *_ in cases:
        assert printed in quote, f"{entity}/{indicator}/{year}: printed token {printed!r} not in the quote"
    assert citation.split(", ")[0] == paper_file


def test_table_1_4_rows_are_in_their_panels():
    """The exports rows are read between the two panel headers, the FDI rows after the FDI header."""
    text = paper(P004)
    exp, fdi = text.index(_norm(EXPORTS)), text.index(_norm(FDI))
    for row in ["1990 8.152 0.489 0.84 0.781 0.471", "2007 168.542 18.477 3.912 25.555 ^c 1.838 ^c"]:
        assert exp < text.index(row) < fdi
    for row in ["1990 389.94 69.1 98.09 72.37 100.55", "2007 3662.17 1028.83 171.62 1272 ^c 1120 ^c"]:
        assert text.index(row) > fdi


@pytest.mark.parametrize("paper_file,citation,quote,case", CASES, ids=[_id(c) for c in CASES])
def test_source_csv_holds_the_paper_value(paper_file, citation, quote, case):
    entity, indicator, year, printed, value, unit, flag = case
    rec = source_rows().get((entity, indicator, str(year)))
    assert rec is not None, f"no row ({entity}, {indicator}, {year}) for {printed!r} in {quote!r}"
    if value is None:
        assert rec["value"].strip() == "", f"printed {printed!r} (not available) but the CSV has {rec['value']!r}"
        assert rec["note"].strip(), "an empty value needs a note"
    else:
        assert rec["value"].strip() != "", f"value missing, paper prints {printed!r}"
        assert float(rec["value"]) == pytest.approx(value, rel=1e-9), f"paper prints {printed!r}"
    assert rec["unit"] == unit
    assert rec["flag"] == flag
    assert citation in rec["source"], f"source {rec['source']!r} does not cite {citation!r}"
    printed_value = _value(printed)
    if value is not None and printed_value is not None and printed_value != pytest.approx(value) \
            and unit not in ("persons",):
        # a corrected slip: the note must keep what the paper printed
        assert printed.split(" ")[0] in rec["note"].replace(",", "") or printed.split(" ")[0] in rec["note"], \
            f"corrected value {value} but the note does not give the printed {printed!r}"


@pytest.fixture(scope="module")
def built():
    ind = data.load_indicators()
    return {(r["entity_id"], r["indicator"], "" if r["year"] is None or str(r["year"]) == "<NA>" else str(r["year"])):
            r for r in ind.to_dict("records")}


def test_built_table_agrees_with_the_source_for_every_pinned_row(built):
    for _f, _c, _q, (entity, indicator, year, _p, value, unit, flag) in CASES:
        rec = built.get((entity, indicator, str(year)))
        assert rec is not None, (entity, indicator, year)
        got = rec["value"]
        if value is None:
            assert got != got or got is None, (entity, indicator, year, got)  # NaN
        else:
            assert got == pytest.approx(value), (entity, indicator, year)
        assert (rec["unit"], rec["flag"]) == (unit, flag), (entity, indicator, year)


def test_every_table_is_pinned_on_at_least_60_percent_of_its_rows():
    """Coverage guard: the pins above reach most rows of each source table."""
    rows = source_rows()
    pinned = {(e, i, str(y)) for _f, _c, _q, (e, i, y, *_r) in CASES}
    for citation in [T13, T14, T15, T16, T1P, T2P, T3P, T4P, T5P, T6P, T1Z, T2Z, T3Z]:
        keys = {k for k, r in rows.items() if re.search(re.escape(citation) + r"(?![\d.])", r["source"])}
        assert keys, citation
        share = len(keys & pinned) / len(keys)
        assert share >= 0.6, f"{citation}: {len(keys & pinned)}/{len(keys)} rows pinned"
    t14 = {k for k, r in rows.items() if T14 in r["source"]}
    assert t14 <= pinned and len(t14) == 60, "every cell of Table 1.4 is pinned"


# ---------------------------------------------------------------- feature lists: Annex A, Annex B, SEZs, Zhejiang


@pytest.fixture(scope="module")
def features():
    out = {}
    for name in ("features_004.csv", "features_zhejiang.csv"):
        with open(PAPERS / name, newline="", encoding="utf-8") as f:
            out.update({r["id"]: r for r in csv.DictReader(f)})
    return out


# Annex A: 'Jiangsu • Changzhou • Nanning • Wuxi • Suzhou' — 'Nanning' under Jiangsu is the Nanjing HIDZ
ANNEX_A = {
    "eastern": {"北京市": 1, "福建省": 2, "广东省": 6, "海南省": 1, "河北省": 2, "江苏省": 4, "山东省": 5, "上海市": 1,
                "天津市": 1, "浙江省": 2},
    "inland": {"安徽省": 1, "重庆市": 1, "甘肃省": 1, "广西壮族自治区": 2, "贵州省": 1, "黑龙江省": 2, "河南省": 2,
               "湖北省": 2, "湖南省": 2, "内蒙古自治区": 1, "江西省": 1, "吉林省": 2, "辽宁省": 3, "陕西省": 3,
               "山西省": 1, "四川省": 2, "新疆维吾尔自治区": 1, "云南省": 1},
}


def test_annex_a_provinces_and_groups(features):
    assert "Jiangsu <ul style=\"list-style-type: none\"> • Changzhou • Nanning • Wuxi • Suzhou" in paper(P004)
    hidz = [r for r in features.values() if r["layer"] == "hidz" and "004 Annex A" in r["paper_list"]]
    for grp, expected in ANNEX_A.items():
        got = {}
        for r in hidz:
            if r["annex_a_group"] == grp:
                got[r["province_zh"]] = got.get(r["province_zh"], 0) + 1
        assert got == expected, grp
    assert sum(ANNEX_A["eastern"].values()) == 25 and sum(ANNEX_A["inland"].values()) == 29
    nanjing = features["hidz-nanjing"]
    assert (nanjing["name_en"], nanjing["prefecture_zh"]) == ("Nanjing", "南京市") and "Nanning" in nanjing["note"]
    assert features["hidz-nanning"]["province_zh"] == "广西壮族自治区"


def test_annex_b_fifteen_ftzs_in_thirteen_cities(features):
    assert "Annex B: China's 15 Free Trade Zones" in paper(P004)
    ftz = [r for r in features.values() if r["layer"] == "ftz" and "004 Annex B" in r["paper_list"]]
    assert len(ftz) == 15
    assert len({r["prefecture_zh"] or r["province_zh"] for r in ftz}) == 13
    by_prov = {}
    for r in ftz:
        by_prov[r["province_zh"]] = by_prov.get(r["province_zh"], 0) + 1
    assert by_prov == {"福建省": 2, "广东省": 6, "海南省": 1, "辽宁省": 1, "江苏省": 1, "山东省": 1, "上海市": 1,
                       "天津市": 1, "浙江省": 1}


@pytest.mark.parametrize("fid,year,quote", [
    ("sez-shenzhen", 1980, "By August 1980, Shenzhen, Zhuhai, and Shantou in Guangdong Province were designated"),
    ("sez-zhuhai", 1980, "By August 1980, Shenzhen, Zhuhai, and Shantou"),
    ("sez-shantou", 1980, "By August 1980, Shenzhen, Zhuhai, and Shantou"),
    ("sez-xiamen", 1980, "followed by Xiamen in Fujian Province in October 1980"),
    ("sez-hainan", 1988, "in 1988, the entire province of Hainan was designated as the fifth comprehensive SEZ"),
    ("sez-pudong", 1989, "in 1989 and 2006, Shanghai Pudong New Area and Tianjin Binhai New Area were granted"),
    ("sez-binhai", 2006, "in 1989 and 2006, Shanghai Pudong New Area and Tianjin Binhai New Area were granted"),
])
def test_sez_dates(features, fid, year, quote):
    assert quote in paper(P004)
    assert int(features[fid]["year"]) == year


# 003 §I.2 table: every entry -> (prefecture, products as printed, slips read as noted)
ZJ_TABLE = [
    ("zj-hangzhou", "杭州市", "automobiles", "Huangzhou: automobiles"),
    ("zj-yaqian", "杭州市", "chemical fibre", "Yan qian in the town of Xiao shan: chemical fibre"),
    ("zj-nanyang", "杭州市", "umbrellas", "Nan yang: umbrellas"),
    ("zj-xintang", "杭州市", "bird feather products", "Xin tang: bird feather products"),
    ("zj-xiaoshan", "杭州市", "textiles;automobile parts", "Xiaoshan: textiles, automobile parts"),
    ("zj-yuyao", "宁波市", "industrial moulds;toys;plastics", "Yuyao: industrial moulds, toys, plastics"),
    ("zj-hengjie", "宁波市", "watches", "Hengjie: watches"),
    ("zj-jiangshan-yinzhou", "宁波市", "gas appliances", "Jiangshan: gas appliances"),
    ("zj-xianxiang", "宁波市", "safes", "Xianxiang: safes"),
    ("zj-shaoxing", "绍兴市", "textiles", "Shaoxing: textiles"),
    ("zj-zhuji", "绍兴市", "shirts;shoes", "Zhuji: shirts, shoes"),
    ("zj-diankou", "绍兴市", "hardware", "Diankou: hardware"),
    ("zj-shangyu", "绍兴市", "protective clothing", "Shangyu: protective clothing"),
    ("zj-yuecheng", "绍兴市", "furniture", "Yuecheng: furniture"),
    ("zj-shengzhou", "绍兴市", "ties", "Chengzhou: ties"),
    ("zj-fengqiao", "绍兴市", "shirts", "Fengqiao: shirts"),
    ("zj-shanxiahu", "绍兴市", "cultured pearls", "Shanxiahu: cultured pearls"),
    ("zj-haining", "嘉兴市", "leather", "Haining: leather"),
    ("zj-pinghu", "嘉兴市", "clothing;bags;opto-mechatronics", "Pinghu: clothing, bags"),
    ("zj-xiuzhou", "嘉兴市", "silk;synthetic fabrics", "Xiuzhouqu: silk, synthetic fabrics"),
    ("zj-haiyan", "嘉兴市", "machine parts;toys", "Haiyan: machine parts, toys"),
    ("zj-tongxiang", "嘉兴市", "woollen jumpers", "Tongxiang: woollen jumpers"),
    ("zj-jiashan", "嘉兴市", "wood", "Jiashan: wood"),
    ("zj-zhili", "湖州市", "children's clothing", "Zhili: children’s clothing"),
    ("zj-chengau", "湖州市", "textiles", "Chengau: textiles"),
    ("zj-nanxun", "湖州市", "construction materials", "Nanxun: construction materials"),
    ("zj-anji", "湖州市", "bamboo products", "Anji: bamboo products"),
    ("zj-linghu", "湖州市", "farming", "Linghu: farming"),
    ("zj-zhoushan", "舟山市", "piscicultural product distribution market;medicines;toys;hardware",
     "Zhoushan: piscicultural product distribution market, medicines, toys, hardware"),
    ("zj-xiaojiang", "温州市", "plastics", "Pingyang, town of Xiaojiang: plastics"),
    ("zj-cangnan", "温州市", "signage manufacture;salty foods", "Cangnan: signage manufacture, salty foods"),
    ("zj-tangxia", "温州市", "automobile and motorcycle parts",
     "Ruian, town of Tangxia: automobile and motorcycle parts"),
    ("zj-liushi", "温州市", "low-voltage electrical appliances;circuit breakers",
     "Leqing, town of Liushi: low-voltage electrical appliances"),
    ("zj-hongqiao", "温州市", "electronics", "Hongqiao: electronics"),
    ("zj-panshi", "温州市", "clothing", "Panshi: clothing"),
    ("zj-beibaixiang", "温州市", "construction materials", "Beibaixiang: construction materials"),
    ("zj-longgang", "温州市", "plastic bags", "Longgang: plastic bags"),
    ("zj-yongjia", "温州市", "buttons", "Yongjia: buttons"),
    ("zj-wenzhou-lighters", "温州市", "cigarette lighters", "Lucheng: cigarette lighters"),
    ("zj-shujiang-zhaoqiao", "台州市", "plastics", "Shujiang Zhaoqiao: plastics"),
    ("zj-linhai", "台州市", "multicoloured lights", "Linhai, family village of Qu: multicoloured lights"),
    ("zj-sanmen", "台州市", "nails", "Sanmen gao: nails"),
    ("zj-jinhua", "金华市", "measuring instruments", "Jinghua: measuring instruments"),
    ("zj-dongyang", "金华市", "magnetic materials;suits", "Dongyang: magnetic materials, suits"),
    ("zj-yiwu", "金华市", "clothes;textiles;decorations;shoes;accessories market",
     "Yiwu: clothes, textiles, decorations, shoes…; Yiwu: accessories market"),
    ("zj-pujiang", "金华市", "clothing", "Pujiang: clothing"),
    ("zj-yongkang", "金华市", "hardware", "Yongkang: hardware"),
    ("zj-wucun", "衢州市", "shuttlecocks", "Town of Wucun: shuttlecocks"),
    ("zj-shizikou", "衢州市", "", "Shangshan village Shizikou: finishing of..???"),
    ("zj-huibu", "衢州市", "heat treatment", "Shangfang, Shangshan Huifu: heat treatment"),
    ("zj-miaoxia", "衢州市", "bamboo", "Longyouwu village, Miaoxia: bamboo"),
    ("zj-huzhen", "衢州市", "card paper processing", "Longyou lake; Diyu village: card paper processing"),
    ("zj-qinghu", "衢州市", "springs", "Jiangshanqing lake: springs"),
    ("zj-xiakou", "衢州市", "steel", "Xiakou: steel"),
    ("zj-kaihua", "衢州市", "wood products", "Kaihua-Zhangwan: wood products"),
    ("zj-longquan", "丽水市", "umbrellas", "Longquan: umbrellas"),
    ("zj-qingtian", "丽水市", "leather;shoes", "Qingtian: leather, shoes"),
    ("zj-yunhe", "丽水市", "toys;wood toys", "Yunhe district: toys"),
]


@pytest.mark.parametrize("fid,prefecture,products,quote", ZJ_TABLE, ids=[z[0] for z in ZJ_TABLE])
def test_zhejiang_table_entry(features, fid, prefecture, products, quote):
    assert quote in paper(P003), f"entry not in 003: {quote!r}"
    row = features[fid]
    assert row["prefecture_zh"] == prefecture
    assert row["products"] == products
    assert "003_ddc06a3a7c4e4ece.txt" in row["source"]


def test_zhejiang_table_is_complete(features):
    """Every entry of the 003 table has its row (57 entries, the two Yiwu entries merged into one row)."""
    table_rows = [r for r in features.values() if "§I.2 table of Zhejiang clusters" in r["source"]]
    assert {r["id"] for r in table_rows} == {z[0] for z in ZJ_TABLE}


@pytest.mark.parametrize("prefecture,sectors,quote", [
    ("杭州市", "Machines and equipment;electronic communications;household appliances;medical;high-tech",
     "Hangzhou Machines and equipment, electronic communications, household appliances, medical, high-tech"),
    ("宁波市", "Clothing;mechanics;petrochemical industry", "Ningbo Clothing, mechanics, petrochemical industry, etc."),
    ("绍兴市", "Textiles;dyes;medicines;chemicals", "Shaoxing Textiles, dyes, medicines, chemicals"),
    ("嘉兴市", "textiles;leather;mechanical equipment", "Jiaxing textiles, leather and mechanical equipment"),
    ("湖州市", "Textiles;children's clothing;construction materials",
     "Huzhou Textiles, children’s clothing, construction materials"),
    ("舟山市", "pisciculture;marine product-based medications;mechanics",
     "Zhoushan pisciculture, marine product-based medications, mechanics"),
    ("温州市", "mechanics;plastics;printing;electrical appliances;leather",
     "Wenzhou mechanics, plastics, printing, electrical appliances, leather"),
    ("台州市", "automobile and motorcycle parts;craft products;shoes;plastics",
     "Taizhou automobile and motorcycle parts, craft products, shoes, plastics"),
    ("金华市", "mechanics;hardware;agricultural product processing;textiles;clothing",
     "Jinhua mechanics, hardware, agricultural product processing, textiles, clothing"),
    ("衢州市", "chemical fertiliser;cement;mechanical equipment", "Quzhou chemical fertiliser, cement, mechanical equipment"),
    ("丽水市", "wood processing;craft products;agricultural product processing",
     "Lishui wood processing, craft products, agricultural product processing"),
])
def test_zhejiang_prefecture_sectors(features, prefecture, sectors, quote):
    assert quote in paper(P003)
    rows = [r for r in features.values() if r["prefecture_zh"] == prefecture and r.get("prefecture_sectors")]
    assert rows and all(r["prefecture_sectors"] == sectors for r in rows)


# Annex A as printed (Eastern Region, then Inland China); 'Nanning' under Jiangsu is transcribed as Nanjing
ANNEX_A_NAMES = {
    "eastern": ["Zhongguancun", "Fuzhou", "Xiamen Torch", "Foshan", "Guangzhou", "Huizhou Zhongkai", "Shenzhen",
                "Zhongshan Torch", "Zhuhai", "Hainan International (in Haikou)", "Baoding", "Shijiazhuang",
                "Changzhou", "Nanning", "Wuxi", "Suzhou", "Ji'nan", "Qingdao", "Weifang", "Weihai", "Zibo",
                "Shanghai Zhangjiang", "Tianjin", "Hangzhou", "Ningbo"],
    "inland": ["Hefei", "Chongqing", "Lanzhou", "Guilin", "Nanning", "Guiyang", "Daqing", "Harbin", "Luoyang",
               "Zhengzhou", "Wuhan East Lake", "Xiangfan", "Changsha", "Zhuzhou", "Baotou Rare-earth", "Nanchang",
               "Changchun", "Jilin", "Anshan", "Dalian", "Shenyang", "Baoji", "Xi'an", "Yangling Agriculture (in Xi'an)",
               "Taiyuan", "Chengdu", "Mianyang", "Urumqi", "Kunming"],
}
ANNEX_B_NAMES = ["Fuzhou", "Xiangyu (in Xiamen)", "Futian (in Shenzhen)", "Guangzhou", "Shantou",
                 "Shatoujiao (in Shenzhen)", "Yantian (in Shenzhen)", "Zhuhai", "Haikou", "Dalian", "Zhangjiagang",
                 "Qingdao", "Waigaoqiao", "Tianjin", "Ningbo"]


@pytest.mark.parametrize("grp", ["eastern", "inland"])
def test_annex_a_names_as_printed(features, grp):
    text = paper(P004)
    annex = text[text.index("Annex A: China's State-Level"):text.index("Annex B: China's 15")]
    printed = ANNEX_A_NAMES[grp]
    assert len(printed) == (25 if grp == "eastern" else 29)
    for name in printed:
        assert f"• {name}" in annex, name
    expected = sorted("Nanjing" if (grp, n) == ("eastern", "Nanning") else n for n in printed)
    got = sorted(r["name_en"] for r in features.values()
                 if r["layer"] == "hidz" and r.get("annex_a_group") == grp and "004 Annex A" in r["paper_list"])
    assert got == expected


def test_annex_b_names_as_printed(features):
    text = paper(P004)
    annex = text[text.index("Annex B: China's 15"):text.index("Source: China Knowledge Online (2009) and Annual")]
    for name in ANNEX_B_NAMES:
        assert name in annex, name
    got = sorted(r["name_en"] for r in features.values() if r["layer"] == "ftz" and "004 Annex B" in r["paper_list"])
    assert got == sorted(ANNEX_B_NAMES)
