"""The protocol-level load script (dashboard/loadtest.py, scripts/load_test.py) at small scale against the
shared test server: sessions over websockets, no browser. Pins that it drives real page loads and filter
changes without errors; the numbers themselves are for `python scripts/load_test.py` (no timing asserted)."""
from dashboard.loadtest import Session, format_summary, run_async, run_load


def test_a_few_sessions_load_pages_and_change_filters_without_errors(server):
    summary = run_async(run_load(server, sessions=3, seconds=8, think=(0.1, 0.5), timeout=60))
    print(format_summary(summary))
    assert summary["errors"] == 0, summary["error_samples"]
    assert {"load map", "map checkbox", "map search"} <= set(summary["actions"])
    assert any(a.startswith("load ") and a != "load map" for a in summary["actions"])  # other pages too
    assert summary["p95_ms"] is not None and summary["throughput_per_s"] > 0


def test_a_widget_change_reruns_the_map_with_the_new_selection_and_sends_only_the_points(server):
    async def go():
        session = Session(server, timeout=60)
        try:
            first = await session.load("tiles=none&region=prd")
            layers = {layer["id"]: layer["points"] for layer in first.map_args["layers"]}
            assert layers["etdz"] and layers["hidz"]
            session.set_widget("m_layer_etdz", "bool_value", False)
            change = await session.rerun()
            assert not change.exceptions
            after = {layer["id"]: layer["points"] for layer in change.map_args["layers"]}
            assert after["etdz"] == "" and after["hidz"] == layers["hidz"]
            assert "etdz" not in session.query and "region=prd" in session.query  # the page rewrote the URL
            assert change.bytes < first.bytes
        finally:
            await session.close()
    run_async(go())
