"""A read unit of work sees one state of the database: what another writer commits while it runs
is invisible until the next read (storage.engine; the reports and dashboards rely on it to never
mix two states in one view)."""

from __future__ import annotations

from storage import responses, sites
from tests.storage.helpers import NOW, make_assessment


def _answers(session, assessment_id: int) -> list[int | None]:
    return [r.current for r in responses.list_for(session, assessment_id)]


def test_a_read_sees_one_state_while_another_writer_commits(db) -> None:
    aid = make_assessment(db)
    with db.write() as session:
        responses.save(session, aid, "Q-1", "IT", {"current": 1}, expected_version=0, user="ana", now=NOW)
    with db.read() as reading:
        assert _answers(reading, aid) == [1]
        with db.write() as session:  # another unit of work commits meanwhile
            responses.save(session, aid, "Q-1", "IT", {"current": 4}, expected_version=1, user="bob", now=NOW)
            sites.add_site(session, "Plant B", "MX", "low", NOW, user="bob")
        assert _answers(reading, aid) == [1]
        assert [s.name for s in sites.list_sites(reading)] == ["Plant A"]
    with db.read() as reading:
        assert _answers(reading, aid) == [4]
        assert [s.name for s in sites.list_sites(reading)] == ["Plant A", "Plant B"]
