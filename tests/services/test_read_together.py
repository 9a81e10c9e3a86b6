"""Records of several assessments read in one query each (storage `list_for_many`, `get_many`, as
the enterprise view reads its members) are exactly each assessment's own, in the order reading one
gives, and an assessment without any reads as empty."""

from __future__ import annotations

from services import answers
from services.assessments import create_assessment
from storage import findings, responses, snapshots, targets
from tests.services.helpers import ADMIN
from tests.services.sample import filled


def test_reading_many_equals_reading_each(ctx):
    final = filled(ctx, final=True)
    draft = create_assessment(ctx, ADMIN, site="Plant South", scope="IT+OT", as_of=final.as_of)
    answers.save_response(ctx, ADMIN, draft.id, "GOV-01", "IT", {"current": 2}, expected_version=0)
    answers.save_response(ctx, ADMIN, draft.id, "ACC-02", "OT", {"current": 1}, expected_version=0)
    answers.set_target(ctx, ADMIN, draft.id, "ACC-02", "OT", 4, reason="insurer")
    answers.add_finding(ctx, ADMIN, draft.id, question_id="ACC-02", environment="OT", title="MFA", owner="it")
    empty = create_assessment(ctx, ADMIN, site="Plant South", scope="OT", as_of=final.as_of, title="empty")
    ids = [draft.id, empty.id, final.id]
    with ctx.read() as session:
        for store in (responses, targets, findings):
            many = store.list_for_many(session, ids)
            assert list(many) == ids
            assert many == {i: store.list_for(session, i) for i in ids}
            assert many[empty.id] == [] and many[draft.id] and many[final.id]
        found = snapshots.get_many(session, ids)
        assert list(found) == [final.id] and found[final.id] == snapshots.get(session, final.id)
