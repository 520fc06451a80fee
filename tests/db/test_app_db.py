"""The app on the database backend (AppTest): pages render from it, published tables are listed, used and
unpublished on the upload page, and an unreachable database gives one clear error, never a traceback."""
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import data, db
from tests.browser.conftest import free_port
from tests.db.test_published import joined

ENTRY = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


@pytest.fixture(autouse=True)
def fresh_streamlit_caches():
    """st.cache_data is per process: do not reuse the file backend's frames (nor leave ours)."""
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def run(page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=60)
    at.session_state["m_controls"] = True  # the browser has drawn the map: the Map page draws its filters
    if page:
        at.switch_page(f"app_pages/{page}.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def plain(markdown: str) -> str:
    """Markdown as read: escapes and code spans taken out."""
    return markdown.replace("\\", "").replace("`", "")


def assert_clean(at: AppTest):
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_database_down_is_one_clear_error(use_database, lang):
    port = free_port()  # nothing listens there
    use_database(f"postgresql://atlas:s3cret-pw@127.0.0.1:{port}/atlas")
    at = run(lang=lang)
    assert_clean(at)
    [error] = at.error
    text = plain(error.value)
    assert "ATLAS_DATABASE_URL" in text and f"127.0.0.1:{port}/atlas" in text and "Connection refused" in text
    assert "s3cret-pw" not in text
    assert ("无法连接" if lang == "zh" else "cannot be reached") in text
    assert not at.title and not at.dataframe  # no page, not half of one


def test_an_invalid_setting_is_reported_without_echoing_it(use_database):
    use_database("host=db password=hunter2 nonsense")
    at = run()
    assert_clean(at)
    assert "ATLAS_DATABASE_URL" in plain(at.error[0].value) and "hunter2" not in plain(at.error[0].value)


def test_a_database_without_the_atlas_says_what_to_run(fresh_url, use_database):
    use_database(fresh_url)
    at = run()
    assert_clean(at)
    assert "python -m dashboard db init" in plain(at.error[0].value) and not at.title


def test_loaders_raise_database_unavailable_naming_the_setting(use_database):
    port = free_port()
    use_database(f"postgresql://atlas:s3cret-pw@127.0.0.1:{port}/atlas")
    with pytest.raises(db.DatabaseUnavailable) as caught:
        data.load_layer("sez")
    text = str(caught.value)
    assert "ATLAS_DATABASE_URL" in text and f"127.0.0.1:{port}" in text and "s3cret-pw" not in text


@pytest.mark.parametrize("page", ["map", "profile", "compare", "clusters", "regions", "timeline", "story", "data"])
def test_pages_render_from_the_database_as_from_the_files(page, atlas_url, use_database):
    files = run(page)
    use_database(atlas_url)
    st.cache_data.clear()
    from_db = run(page)
    assert_clean(from_db)
    assert not from_db.error
    assert [t.value for t in from_db.title] == [t.value for t in files.title]
    assert [m.value for m in from_db.markdown] == [m.value for m in files.markdown]


def test_upload_page_lists_uses_and_unpublishes_published_tables(clean_published, use_database):
    use_database(clean_published)
    at = run("upload")
    assert_clean(at)
    assert "No table has been published yet." in [i.value for i in at.info]
    db.publish(clean_published, "Office exports", joined({"sez-shenzhen": 300, "hidz-shenzhen": 120}),
               uploaded_by="Li Wei", description="survey", source="Yearbook 2021")
    at.button(key="u_db_refresh").click().run()  # published by "another instance": refresh shows it now
    assert_clean(at)
    listed = at.dataframe[0].value
    assert listed["Name"].tolist() == ["Office exports"] and listed["Uploaded by"].tolist() == ["Li Wei"]
    assert listed["Indicators"].tolist() == ["office_exports"] and listed["Values"].tolist() == [2]
    at.button(key="u_db_use").click().run()
    assert_clean(at)
    assert any("2 values are now in use" in s.value for s in at.success)
    assert at.session_state["user_indicators"]["entity_id"].tolist() == ["sez-shenzhen", "hidz-shenzhen"]
    at.switch_page("app_pages/map.py").run()  # the Map offers the published indicator as a colouring
    assert_clean(at)
    assert "office_exports" in at.selectbox(key="m_colour_by").options
    at.switch_page("app_pages/profile.py")
    at.query_params["zone"] = "sez-shenzhen"
    at.run()
    assert_clean(at)
    cells = [str(v) for df in (d.value for d in at.dataframe) for v in df.to_numpy().ravel()]
    assert "Yearbook 2021 — uploaded: office.csv row 2" in cells  # the published value, with its citation
    at.switch_page("app_pages/upload.py").run()
    at.button(key="u_db_unpublish").click().run()
    assert_clean(at)
    assert any("Office exports was unpublished." in s.value for s in at.success)
    assert db.list_published(clean_published) == []
    assert "No table has been published yet." in [i.value for i in at.info]


def test_upload_page_without_the_database_has_no_shared_section(monkeypatch):
    monkeypatch.delenv(data.DATABASE_URL_ENV, raising=False)
    at = run("upload")
    assert_clean(at)
    assert not [s for s in at.subheader if s.value == "Shared tables"]
    assert not [b for b in at.button if b.key == "u_db_refresh"]


def test_a_database_that_goes_away_while_the_app_runs(use_database):
    """The server stops under a running app: the next run says the database is unreachable, no traceback."""
    from dashboard import app
    from tests.db.postgres import loaded_database, running_postgres
    with running_postgres() as server_url:
        use_database(loaded_database(server_url, "short_lived"))
        at = run("upload")
        assert_clean(at)
        assert not at.error and "No table has been published yet." in [i.value for i in at.info]
    app._database_ready.clear()  # as when its few seconds' cache expires
    app.refresh_published()
    at.run()
    assert_clean(at)
    assert "cannot be reached" in plain(at.error[0].value) and not at.title


def test_publishing_from_the_upload_page(clean_published, use_database):
    """The form: both fields required, a taken name is refused naming who has it, a new name is published."""
    use_database(clean_published)
    db.publish(clean_published, "office", joined({"sez-xiamen": 1}), uploaded_by="Wang Fang")
    at = run("upload")
    at.file_uploader(key="u_file").set_value(("office.csv", b"id,year,office_exports\nsez-shenzhen,2020,300\n"
                                              b"hidz-shenzhen,2020,120\n", "text/csv")).run()
    assert_clean(at)
    assert at.text_input(key="u_pub_name").value == "office"  # the file's name as a start
    at.button(key="u_pub_submit").click().run()
    assert "Give the table a name and say who uploaded it." in [w.value for w in at.warning]
    at.text_input(key="u_pub_by").input("Li Wei")
    at.button(key="u_pub_submit").click().run()
    assert_clean(at)
    assert any(plain(e.value).startswith("A table named office was already published by Wang Fang at 20")
               for e in at.error)
    at.text_input(key="u_pub_name").input("office, Dec 2020")
    at.text_input(key="u_pub_source").input("Office survey")
    at.button(key="u_pub_submit").click().run()
    assert_clean(at)
    assert any("Published office, Dec 2020: 2 values." in plain(s.value) for s in at.success)
    assert at.dataframe[0].value["Name"].tolist() == ["office, Dec 2020", "office"]  # the list, newest first
    mine = db.published_indicators(clean_published, "office, Dec 2020")
    assert mine["value"].tolist() == [300, 120] and mine["source"].str.startswith("Office survey — ").all()
