"""Two app instances on two ports against one PostgreSQL/PostGIS database (ATLAS_DATABASE_URL), as an office
runs them behind a load balancer: a table published in instance A is listed, used and unpublished in B."""
import pytest

from tests.browser.conftest import ARTIFACTS, free_port, start_server
from tests.browser.helpers import choose, main_text, no_exception, open_page, shot, wait_idle
from tests.db.postgres import loaded_database, running_postgres

CSV = "id,year,office_exports\nsez-shenzhen,2020,300\nhidz-shenzhen,2020,120\n"


def map_legend_shows(page, text: str, timeout_ms: int = 30_000) -> bool:
    """Whether a map's colour legend shows `text`, looking in every frame (Streamlit redraws the map's iframe
    after a choice, so for a moment there are two, and the old one goes away)."""
    from playwright.sync_api import Error
    for _ in range(timeout_ms // 300):
        for frame in page.frames:
            try:
                if frame.locator(".atlas-choropleth-legend", has_text=text).count():
                    return True
            except Error:  # a frame detached while we looked
                continue
        page.wait_for_timeout(300)
    return False


@pytest.fixture(scope="module")
def instances():
    """(url of A, url of B): two streamlit servers sharing one freshly loaded database."""
    with running_postgres() as server_url:
        database = loaded_database(server_url, "atlas_browser")
        ARTIFACTS.mkdir(exist_ok=True)
        procs = [start_server(free_port(), env={"ATLAS_DATABASE_URL": database}) for _ in range(2)]
        try:
            yield tuple(f"http://127.0.0.1:{proc.args[proc.args.index('--server.port') + 1]}" for proc in procs)
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(timeout=20)


@pytest.fixture
def second_page(browser):
    """A second browser (another colleague, another session) for instance B."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def test_a_table_published_in_one_instance_appears_in_the_other(instances, page, second_page, tmp_path):
    a, b = instances
    colleague = second_page
    open_page(colleague, f"{b}/upload")
    assert "No table has been published yet." in main_text(colleague)

    # instance A: upload, join, publish with a name, who uploaded it and a citation
    path = tmp_path / "office.csv"
    path.write_text(CSV, encoding="utf-8")
    open_page(page, f"{a}/upload")
    page.locator("input[type='file']").set_input_files(str(path))
    page.get_by_text("Join report").wait_for(timeout=30_000)
    wait_idle(page)
    assert "2 rows read, 2 matched, 0 unmatched" in main_text(page)
    page.get_by_role("textbox", name="Name").fill("Office exports 2020")
    page.get_by_role("textbox", name="Description").fill("Our survey of two zones")
    page.get_by_role("textbox", name="Uploaded by").fill("Li Wei")
    page.get_by_role("textbox", name="Source citation").fill("Office survey, December 2020")
    page.get_by_role("button", name="Publish 2 values").click()
    page.get_by_text("Published Office exports 2020: 2 values.").wait_for(timeout=30_000)
    no_exception(page)
    shot(page, "db-published-in-a")

    # instance B (another server process, another session): refresh, the table is there; use it on the map
    colleague.get_by_role("button", name="Refresh the list").click()
    wait_idle(colleague)
    table_box = colleague.get_by_role("combobox", name="Published table")
    table_box.wait_for(timeout=30_000)
    table_box.click()  # the list of published tables offers A's table
    colleague.get_by_role("option", name="Office exports 2020", exact=True).click()
    wait_idle(colleague)
    colleague.get_by_role("button", name="Use this table in the atlas").click()
    colleague.get_by_text("Office exports 2020: 2 values are now in use this session.").wait_for()
    no_exception(colleague)
    shot(colleague, "db-listed-in-b")
    colleague.get_by_role("link", name="Map").first.click()
    wait_idle(colleague)
    choose(colleague, "Colour the map by your indicator", "office_exports")
    assert map_legend_shows(colleague, "office_exports")
    no_exception(colleague)
    shot(colleague, "db-b-map-coloured")

    # B unpublishes it; A no longer lists it
    open_page(colleague, f"{b}/upload")
    colleague.get_by_role("button", name="Unpublish").click()
    colleague.get_by_text("Office exports 2020 was unpublished.").wait_for()
    open_page(page, f"{a}/upload")
    page.get_by_role("button", name="Refresh the list").click()
    page.get_by_text("No table has been published yet.").wait_for()
    no_exception(page)
