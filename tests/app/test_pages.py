"""AppTest runs of the pages from the entry file, widgets found by key."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ENTRY = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


def run(page: str | None = None, timeout: float = 60, **params) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}.py")
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
    assert "Features matching: 658" in at.markdown[0].value


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
