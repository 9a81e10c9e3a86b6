"""The exception and exercise records of many assessments read together
(services.report_records.members_evidence_records, services.stored_evidence.evidence_as_of_many)
are each assessment's own, as the as-of rule and the exercise window place them by its own date."""

from __future__ import annotations

from datetime import date

from services import report_records
from services.assessments import create_assessment
from services.evidence_imports import import_evidence
from services.sites import add_site
from services.stored_evidence import evidence_as_of, evidence_as_of_many
from storage import assessments as store
from storage.evidence_imports import current_imports
from tests.services.helpers import ADMIN

EXCEPTIONS = (b"exception_id,title,owner,risk_rating,opened,review_date,status,justification\n"
              b"E1,Legacy HMI,ops,high,2026-01-05,2026-12-01,open,vendor support ended\n"
              b"E2,Flat network,ot,medium,2026-05-20,,open,\n"
              b"E3,Old VPN,it,low,2025-02-01,,closed,\n")
"""E2 was opened after the first quarter's date: it exists for Q2, not for Q1."""
EXERCISES = (b"exercise_id,date,scenario,exercise_type,detect_minutes,contain_minutes\n"
             b"X1,2025-06-15,ransomware on the historian,tabletop,30,240\n"
             b"X2,2026-06-10,PLC logic change,live,12,\n")
"""X1 is inside Q1's 365-day window and outside Q2's; X2 is held after Q1."""
Q1, Q2 = date(2026, 3, 31), date(2026, 6, 30)


def _assessments(ctx):
    found = []
    for name, as_of in (("Plant North", Q1), ("Plant South", Q2)):
        add_site(ctx, ADMIN, name, country="DE", criticality="high")
        a = create_assessment(ctx, ADMIN, site=name, scope="IT+OT", as_of=as_of)
        import_evidence(ctx, ADMIN, a.id, "exceptions", EXCEPTIONS, name="exceptions.csv")
        import_evidence(ctx, ADMIN, a.id, "exercises", EXERCISES, name="exercises.csv")
        found.append(a.id)
    return found


def test_records_read_together_are_each_assessments_own(ctx):
    ids = _assessments(ctx)
    with ctx.read() as session:
        members = [(store.get(session, i), site) for i, site in zip(ids, ("North", "South"), strict=True)]
        report_records.forget_cached_records()
        together = report_records.members_evidence_records(session, members)
        alone = []
        for a, site in members:
            report_records.forget_cached_records()
            alone.append(report_records.evidence_records(session, a, site))
    assert together == alone
    (north_ex, north_xs), (south_ex, south_xs) = together
    assert [(e.exception_id, e.site, e.as_of) for e in north_ex] == [("E1", "North", Q1)]
    assert [(e.exception_id, e.site, e.as_of) for e in south_ex] == [("E1", "South", Q2), ("E2", "South", Q2)]
    assert [x.exercise_id for x in north_xs] == ["X1"] and [x.exercise_id for x in south_xs] == ["X2"]
    assert south_xs[0].detect_minutes == 12 and south_xs[0].contain_minutes is None


def test_the_frames_read_together_equal_each_assessments_frame_with_only_the_fields_asked(ctx):
    ids = _assessments(ctx)
    with ctx.read() as session:
        held = [(store.get(session, i), current_imports(session, i)) for i in ids]
        together = evidence_as_of_many(session, held, ("exceptions", "exercises"),
                                       fields={"exceptions": ("exception_id",)})
        for position, (a, current) in enumerate(held):
            alone = evidence_as_of(session, a, ("exceptions", "exercises"), current=current)
            frame, owners = together["exceptions"]
            mine = frame[owners == position]
            # `opened` comes along: the as-of rule reads it.
            assert list(mine.columns) == ["exception_id", "opened"]
            assert mine.equals(alone["exceptions"][["exception_id", "opened"]])
            frame, owners = together["exercises"]
            assert frame[owners == position].equals(alone["exercises"])


def test_an_assessment_without_evidence_reads_no_rows(ctx):
    ids = _assessments(ctx)
    add_site(ctx, ADMIN, "Plant West", country="DE", criticality="low")
    empty = create_assessment(ctx, ADMIN, site="Plant West", scope="IT+OT", as_of=Q2)
    with ctx.read() as session:
        members = [(store.get(session, i), site) for i, site in ((empty.id, "West"), (ids[1], "South"))]
        report_records.forget_cached_records()
        west, south = report_records.members_evidence_records(session, members)
    assert west == ([], []) and len(south[0]) == 2
