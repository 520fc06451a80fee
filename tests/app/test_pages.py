"""AppTest runs of the pages from the entry file, widgets found by key."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ENTRY = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


def run(page: str | None = None, timeout: float = 60, map_drawn: bool = True, **params) -> AppTest:
    """Run the app from the entry file, opened directly on `page` with URL `params` (as a shared link). The
    Map page draws its filters once the browser has drawn the map; `map_drawn` says it has (AppTest has no
    browser)."""
    at = AppTest.from_file(ENTRY, default_timeout=timeout)
    at.session_state["m_controls"] = map_drawn
    if page:
        at.switch_page(f"app_pages/{page}.py")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at


def assert_clean(at: AppTest):
    assert not at.exception, [e.value for e in at.exception]


def test_map_page_renders_every_layer():
    at = run()
    assert_clean(at)
    assert at.title[0].value == "Zones and clusters map"
    assert all(at.checkbox(key=f"m_layer_{lid}").value for lid in
               ("sez", "etdz", "hidz", "ftz", "customs_zone", "border_zone", "other_zone", "zj_town", "cluster"))
    assert "Features matching: 2,649" in at.markdown[0].value  # 552 national + 1,991 provincial + papers + towns


def test_map_page_url_state_is_restored():
    at = run(province="Guangdong", layers="sez,hidz", q="深圳", zone="sez-shenzhen")
    assert_clean(at)
    assert at.multiselect(key="m_province").value == ["Guangdong"]
    assert at.checkbox(key="m_layer_sez").value and not at.checkbox(key="m_layer_etdz").value
    assert at.text_input(key="m_q").value == "深圳"
    assert at.markdown[0].value.startswith("Features matching: 2 — SEZ **1** · HIDZ **1**")  # SEZ + Shenzhen HIDZ
    assert not at.warning


@pytest.mark.parametrize("params", [
    {"layers": "<script>alert(1)</script>"},
    {"year_min": "abc", "year_max": "99999"},
    {"province": "Atlantis", "sector": "' OR 1=1 --"},
    {"zone": "no-such-zone", "region": "mars"},
    {"q": "x" * 5000},
])
def test_map_page_garbage_url_falls_back_with_notice(params):
    at = run(**params)
    assert_clean(at)
    assert at.warning, "a visible notice names the ignored parameter"


def test_map_filter_widgets_change_the_selection():
    at = run()
    total = at.markdown[0].value
    at.multiselect(key="m_province").set_value(["Zhejiang"]).run()
    assert_clean(at)
    assert at.markdown[0].value != total
    assert at.query_params["province"] in ("Zhejiang", ["Zhejiang"])


def test_data_page_lists_layers_with_sources():
    at = run("data")
    assert_clean(at)
    table = at.dataframe[0].value
    assert set(table["id"]) >= {"sez", "etdz", "hidz", "ftz", "zj_town", "cluster", "province"}
    assert (table.iloc[:, 2] > 0).all()


PAGES = ["map", "profile", "compare", "clusters", "regions", "timeline", "story", "data"]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_both_languages(page, lang):
    at = run(page, lang=lang)
    assert_clean(at)
    if lang == "zh":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in at.title[0].value + at.sidebar.radio[0].label)


@pytest.mark.parametrize("page, params, expect", [
    ("profile", {"zone": "sez-shenzhen"}, "Shenzhen"),
    ("profile", {"zone": "zj-datang"}, "大唐"),
    ("profile", {"zone": "cl-xiqiao"}, "Xiqiao"),
    ("profile", {"zone": "hidz-nanjing"}, "Nanjing"),
    ("compare", {"compare": "sez-shenzhen,sez-zhuhai,sez-shantou,sez-xiamen"}, "Facts"),
    ("compare", {"compare": "region-yrd,region-prd"}, "Zones by type"),
    ("compare", {"compare": "prov-33,prov-44,zj-datang"}, "Facts"),
    ("clusters", {"sector": "textiles"}, "towns and clusters match"),
    ("clusters", {"type": "top_down"}, "towns and clusters match"),
    ("clusters", {"q": "socks"}, "towns and clusters match"),
    ("timeline", {"year": "1992"}, "Zones existing by the end of 1992"),
    ("story", {"story": "thirty-years", "step": "2"}, "1980"),
    ("story", {"story": "zhejiang-clusters", "step": "1"}, "Zhejiang"),
])
def test_pages_with_url_parameters(page, params, expect):
    at = run(page, **params)
    assert_clean(at)
    text = " ".join(str(e.value) for e in list(at.title) + list(at.markdown) + list(at.subheader) + list(at.caption))
    if page == "compare":
        text += " ".join(str(s.value) for s in at.subheader)
    assert expect in text, text[:500]


@pytest.mark.parametrize("page, params", [
    ("profile", {"zone": "<script>alert(1)</script>"}),
    ("compare", {"compare": "nope,also-nope,'; DROP TABLE"}),
    ("clusters", {"sector": "dragons", "type": "<b>", "prefecture": "Atlantis"}),
    ("regions", {"measure": "../../etc/passwd"}),
    ("timeline", {"year": "twenty"}),
    ("story", {"story": "no-such-story"}),
    ("story", {"story": "thirty-years", "step": "999"}),
])
def test_garbage_url_parameters_give_a_notice_not_an_exception(page, params):
    at = run(page, **params)
    assert_clean(at)
    assert at.warning, "a visible notice"


# ------------------------------------------------------------------ provincial zones (issue 14)

def test_map_provincial_group_in_one_province():
    at = run(layers="provincial", province="Zhejiang")
    assert_clean(at)
    assert at.checkbox(key="m_group_prov").value
    assert all(at.checkbox(key=f"m_layer_{lid}").value for lid in ("prov_edz", "prov_ipark", "prov_hidz"))
    assert not at.checkbox(key="m_layer_etdz").value
    assert at.markdown[0].value.startswith("Features matching: 82 — Prov. EDZ **48** · Prov. industrial parks **32**")


def test_map_group_box_turns_the_three_provincial_layers_off():
    at = run(province="Zhejiang")
    at.checkbox(key="m_group_prov").uncheck().run()
    assert_clean(at)
    assert not any(at.checkbox(key=f"m_layer_{lid}").value for lid in ("prov_edz", "prov_ipark", "prov_hidz"))
    assert at.checkbox(key="m_layer_etdz").value
    assert "Prov. EDZ" not in at.markdown[0].value


def test_provincial_profile_and_a_withheld_one():
    at = run("profile", zone="prov_hidz-s138035")
    assert_clean(at)
    assert any("Land around the zone" in h.value for h in at.subheader)
    assert not any("not shown" in w.value for w in at.warning)
    at = run("profile", zone="prov_ipark-s339086")
    assert_clean(at)
    assert any("Land-use values not shown: measured at a point that failed QC" in w.value for w in at.warning)


def test_compare_aligns_on_designation_and_rejects_a_bad_align():
    ids = "etdz-g331018,prov_edz-s337006,prov_ipark-s339013,hidz-g332086"
    at = run("compare", compare=ids, align="designation")
    assert_clean(at)
    assert at.radio(key="c_align").value == "designation"
    at = run("compare", compare=ids, align="sideways")
    assert_clean(at)
    assert at.radio(key="c_align").value == "calendar"
    assert any("align" in w.value for w in at.warning)


def test_regions_rank_by_growth_and_say_it_is_descriptive():
    at = run("regions", measure="built_growth_km2")
    assert_clean(at)
    assert at.selectbox(key="r_measure").value == "built_growth_km2"
    assert any("Descriptive, not causal" in i.value for i in at.info)


def test_map_result_table_on_demand():
    """The table waits for its toggle (the map comes up first); `table=1` in a link opens with it shown."""
    at = run()
    assert_clean(at)
    assert not at.dataframe and at.toggle(key="m_table").value is False
    at.toggle(key="m_table").set_value(True).run()
    assert_clean(at)
    assert len(at.dataframe[0].value) > 0 and at.query_params["table"] in ("1", ["1"])
    at = run(table="1", province="Zhejiang")
    assert set(at.dataframe[0].value["province_en"]) == {"Zhejiang"} and not at.warning  # at once, no notice


def test_map_first_run_draws_the_map_before_its_filters():
    """A page load's first run sends the map and its selection (from the URL), and no filter widgets: their
    scripts would load in the browser before the map's. They come with the run the map's report starts."""
    at = run(map_drawn=False, province="Zhejiang", layers="sez,etdz,zj_town", table="1")
    assert_clean(at)
    assert not at.checkbox and not at.multiselect and not at.toggle and not at.dataframe
    assert at.sidebar.caption[-1].value == "The layers and filters appear here once the map has drawn."
    assert at.markdown[0].value.startswith("Features matching:") and "Zhejiang" in at.query_params["province"]
    assert at.query_params["table"] in ("1", ["1"])  # the URL keeps what the link asked for
    at.session_state["m_controls"] = True  # what the map's report does (AppTest runs no component)
    at.run()
    assert at.multiselect(key="m_province").value == ["Zhejiang"] and at.toggle(key="m_table").value is True
    assert len(at.dataframe) == 1
