"""Published indicator tables: publish, list, read, unpublish; two instances publishing one name at once."""
import threading

import pandas as pd
import psycopg
import pytest

from dashboard import data, db, upload


def joined(values: dict[str, float], indicator: str = "office_exports") -> pd.DataFrame:
    """Indicator rows as the upload page joins them."""
    frame = pd.DataFrame({"id": list(values), "year": [2020] * len(values), indicator: list(values.values())})
    return upload.join_indicators(frame, data.load_points(), "id", [indicator], None, "year",
                                  source_label="uploaded: office.csv").indicators


def test_publish_list_use_and_unpublish(clean_published):
    url = clean_published
    rows = joined({"sez-shenzhen": 300.5, "hidz-shenzhen": 120})
    published = db.publish(url, "  Office   exports 2020 ", rows, uploaded_by="Li Wei", description="Q4 survey",
                           source="Provincial yearbook 2021, table 3")
    assert published.name == "Office exports 2020" and published.n_rows == 2
    [listed] = db.list_published(url)
    assert (listed.name, listed.description, listed.uploaded_by, listed.source, listed.n_rows, listed.indicators) == (
        "Office exports 2020", "Q4 survey", "Li Wei", "Provincial yearbook 2021, table 3", 2, ("office_exports",))
    assert listed.uploaded_at.tzinfo is not None
    back = db.published_indicators(url, "Office exports 2020")
    assert list(back.columns) == data.INDICATOR_COLUMNS
    assert (back.dtypes == rows.dtypes).all()
    assert back["value"].tolist() == [300.5, 120.0] and back["year"].tolist() == [2020, 2020]
    assert back["source"].tolist() == ["Provincial yearbook 2021, table 3 — uploaded: office.csv row 2",
                                       "Provincial yearbook 2021, table 3 — uploaded: office.csv row 3"]
    pd.testing.assert_frame_equal(back.drop(columns="source"), rows.drop(columns="source"))
    assert db.unpublish(url, "Office exports 2020") is True
    assert db.list_published(url) == []
    assert db.unpublish(url, "Office exports 2020") is False
    with pytest.raises(KeyError):
        db.published_indicators(url, "Office exports 2020")
    with psycopg.connect(url) as conn:  # the rows went with the table
        assert conn.execute("SELECT count(*) FROM published_indicators").fetchone()[0] == 0


def test_publishing_a_taken_name_names_who_has_it(clean_published):
    rows = joined({"sez-shenzhen": 1})
    db.publish(clean_published, "Shared", rows, uploaded_by="Li Wei")
    with pytest.raises(db.AlreadyPublished, match=r"a table named 'Shared' was already published by Li Wei at 20"):
        db.publish(clean_published, "Shared", rows, uploaded_by="Wang Fang")
    assert [(t.name, t.uploaded_by) for t in db.list_published(clean_published)] == [("Shared", "Li Wei")]


@pytest.mark.parametrize("name, by, rows, message", [
    ("", "Li Wei", 1, "needs a name"), ("   ", "Li Wei", 1, "needs a name"), ("x" * 121, "Li Wei", 1, "at most 120"),
    ("ok", " ", 1, "who uploaded"), ("ok", "Li Wei", 0, "no values"),
])
def test_bad_publish_requests_are_refused(clean_published, name, by, rows, message):
    frame = joined({"sez-shenzhen": 1}).head(rows)
    with pytest.raises(db.PublishError, match=message):
        db.publish(clean_published, name, frame, uploaded_by=by)
    assert db.list_published(clean_published) == []


def test_two_concurrent_publishes_of_one_name(clean_published, monkeypatch):
    """Two connections insert the same name at the same moment: one wins whole, the other is told who won."""
    url = clean_published
    ids = data.load_points().index[:400]
    tables = {who: joined({fid: float(i if who == "A" else -i) for i, fid in enumerate(ids)}) for who in "AB"}
    barrier = threading.Barrier(2, timeout=30)
    real_insert = db._insert_published

    def racing_insert(conn, *args):  # both transactions are open and reach the INSERT together
        barrier.wait()
        return real_insert(conn, *args)

    monkeypatch.setattr(db, "_insert_published", racing_insert)
    outcomes: dict[str, object] = {}

    def publish(who):
        try:
            outcomes[who] = db.publish(url, "Race", tables[who], uploaded_by=f"instance {who}")
        except Exception as exc:  # noqa: BLE001 - recorded for the asserts
            outcomes[who] = exc

    threads = [threading.Thread(target=publish, args=(who,)) for who in "AB"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    winners = [who for who, out in outcomes.items() if isinstance(out, db.Published)]
    losers = [who for who, out in outcomes.items() if isinstance(out, db.AlreadyPublished)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    winner, loser = winners[0], losers[0]
    assert outcomes[loser].uploaded_by == f"instance {winner}"
    assert f"already published by instance {winner}" in str(outcomes[loser])
    [listed] = db.list_published(url)
    assert listed.uploaded_by == f"instance {winner}" and listed.n_rows == len(ids)
    back = db.published_indicators(url, "Race")  # the winner's rows, none of the loser's
    assert back["value"].tolist() == tables[winner]["value"].tolist()
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM published_indicators").fetchone()[0] == len(ids)


def test_published_tables_are_seen_from_every_connection(clean_published):
    """What one instance publishes another lists (a separate connection, nothing cached in between)."""
    db.publish(clean_published, "From A", joined({"sez-xiamen": 7}), uploaded_by="A")
    assert [t.name for t in db.list_published(clean_published)] == ["From A"]
