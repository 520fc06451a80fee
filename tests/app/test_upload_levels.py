"""Issue 15 on the upload page (AppTest): the level a table joined to, suggestions accepted one by one or
all at once (the report updates, nothing is lost), provincial values in the Map and Regions pages."""
from __future__ import annotations

from pathlib import Path

from tests.app.test_pages import run

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ZONES = "开发区名称,value\n漕河泾开发区,1\n杭州高新区,2\n完全不存在的地方,3\n".encode("gbk")


def staged(name: str, data: bytes):
    at = run("upload")
    at.file_uploader(key="u_file").set_value((name, data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at) -> str:
    return "\n".join([t.value for t in at.text] + [i.value for i in at.info] + [m.value for m in at.markdown])


def test_a_suggestion_accepted_in_the_page_updates_the_report():
    at = staged("zones.csv", ZONES)
    assert "3 rows read, 1 matched, 2 unmatched" in texts(at)
    assert "Zones, towns and clusters" in texts(at)
    picker = at.selectbox(key="u_pick_2")
    assert picker.options[1].endswith("[etdz-g311013]")
    picker.set_value("etdz-g311013")
    at.button(key="u_fix_apply").click().run()
    assert not at.exception
    assert "3 rows read, 2 matched, 1 unmatched" in texts(at)
    resolved = at.dataframe[0].value  # what was written and what it was taken to mean
    assert set(resolved["how"]) == {"short form", "accepted suggestion"} and 2 in set(resolved["row"])
    at.button(key="u_fix_reset").click().run()
    assert "3 rows read, 1 matched, 2 unmatched" in texts(at)


def test_accept_all_unique_best_candidates_at_once():
    at = staged("zones.csv", ZONES)
    at.button(key="u_fix_all").click().run()
    assert not at.exception and "3 rows read, 2 matched, 1 unmatched" in texts(at)


def test_provincial_table_says_its_level_and_colours_map_and_regions():
    at = staged("gdp.csv", (FIXTURES / "provincial_gdp_test.csv").read_bytes())
    assert "The rows were joined to: **Provinces** (34 units)." in [i.value for i in at.info]
    at.text_input(key="u_unit").set_value("test units").run()
    at.button(key="u_use").click().run()
    at.switch_page("app_pages/regions.py").run()
    at.selectbox(key="r_measure").set_value("u:GDP_test_value").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "u:GDP_test_value" in d.value.columns)  # the province table
    assert table.set_index("id").loc["prov-44", "u:GDP_test_value"] == 1000.0
    at.switch_page("app_pages/map.py").run()
    at.selectbox(key="m_colour_by").set_value("GDP_test_value").run()
    assert not at.exception
    at.switch_page("app_pages/compare.py").run()
    at.multiselect(key="c_ids").set_value(["prov-44", "prov-32"]).run()
    assert not at.exception
    assert "Rows and sources: GDP test value (test units)" in [e.label for e in at.expander]  # Guangdong beside Jiangsu


def test_forced_level_prefecture():
    at = staged("pref.csv", "城市,v\n杭州市,1\n宁波,2\n3303,3\n".encode("gbk"))
    assert "Prefecture-level cities" in texts(at) and "3 rows read, 3 matched" in texts(at)
    at.radio(key="u_level").set_value("province").run()
    assert "3 rows read, 0 matched" in texts(at)
