"""Rows of the ReportContext that come from records beside the Scorecard: exception ageing,
exercises, sites, responses and the trend series.

Rules: an exception's age is `as_of − opened` in days, over open exceptions only, oldest first,
where `as_of` is the as-of date of the assessment whose evidence holds it (the date its metrics are
measured at; the report's own for one assessment); age bands are ≤ 30, ≤ 90, ≤ 180, ≤ 365 days
and over a year. Rows dated after their as-of date never reach this module (evidence.as_of), so
an age is never negative. The trend is the history before the report's date followed by the
current scorecard, labelled by calendar quarter.
"""

from __future__ import annotations

from collections.abc import Callable

from catalog.models import HIGH_RISK, Questionnaire
from exports.context import (
    ExceptionRow,
    ExerciseRecord,
    ExerciseRow,
    NoteGroup,
    NoteLine,
    ReportMeta,
    ResponseRow,
    Score3,
    SiteRow,
    SiteSummary,
    TrendRow,
)
from scoring.model import Scorecard

AGE_BANDS = ((30, "0–30 days"), (90, "31–90 days"), (180, "91–180 days"), (365, "181–365 days"))
OLDEST_BAND = "over 1 year"


def age_band(days: int) -> str:
    for limit, label in AGE_BANDS:
        if days <= limit:
            return label
    return OLDEST_BAND


def overdue_days(due, as_of) -> int | None:
    """Days a due date lies before `as_of` (None when it has not passed, or there is none)."""
    return (as_of - due).days if due is not None and due < as_of else None


def exception_rows(exceptions, meta: ReportMeta) -> tuple[ExceptionRow, ...]:
    rows = []
    for e in exceptions:
        if e.status != "open":
            continue
        as_of = e.as_of or meta.as_of
        age = (as_of - e.opened).days
        late = overdue_days(e.review_date, as_of)
        rows.append(
            ExceptionRow(
                exception_id=e.exception_id,
                title=e.title,
                risk_rating=e.risk_rating,
                site=e.site,
                owner=e.owner,
                opened=e.opened,
                age_days=age,
                age_band=age_band(age),
                review_date=e.review_date,
                overdue_review=late is not None,
                review_overdue_days=late,
                high_risk=e.risk_rating in HIGH_RISK,
                as_of=as_of,
            )
        )
    return tuple(sorted(rows, key=lambda r: (-r.age_days, r.exception_id)))


def exercise_row(e: ExerciseRecord) -> ExerciseRow:
    return ExerciseRow(
        exercise_id=e.exercise_id,
        date=e.date,
        scenario=e.scenario,
        exercise_type=e.exercise_type,
        site=e.site,
        detect_minutes=e.detect_minutes,
        escalate_minutes=e.escalate_minutes,
        contain_minutes=e.contain_minutes,
        recover_minutes=e.recover_minutes,
    )


def site_row(s: SiteSummary) -> SiteRow:
    v, p = s.overall.verified, s.previous_verified
    return SiteRow(
        name=s.name,
        criticality=s.criticality,
        as_of=s.as_of,
        status=s.status,
        overall=s.overall,
        completion=s.completion,
        confidence=s.confidence,
        cpg_implemented_pct=s.cpg_implemented_pct,
        delta_verified=v - p if v is not None and p is not None else None,
        functions=dict(s.functions),
        weight=s.weight,
    )


def response_rows(scorecard: Scorecard, questionnaire: Questionnaire,
                  readable: Callable[[str], str] = str) -> tuple[ResponseRow, ...]:
    """One row per response; `readable` turns a cap reason into words (exports.cap_text)."""
    questions = {q.id: q for q in questionnaire.questions}
    sections = {s.id: s.title for s in questionnaire.sections}
    rows = []
    for r in scorecard.responses:
        q = questions.get(r.question_id)
        rows.append(
            ResponseRow(
                question_id=r.question_id,
                section=sections.get(q.section, q.section) if q else "",
                text=q.text if q else "",
                environment=r.environment,
                state=r.state,
                claimed=r.claimed,
                verified=r.verified,
                target=r.target,
                verified_by_evidence=r.verified_by_evidence,
                na_reason=r.na_reason,
                notes=r.notes,
                cap_reasons="; ".join(readable(c.reason) for c in r.caps),
                site=r.site,
            )
        )
    return tuple(rows)


def note_groups(rows: tuple[ResponseRow, ...], questionnaire: Questionnaire) -> tuple[NoteGroup, ...]:
    """Responses with a note or N/A reason, grouped by question so its text is printed once.

    Groups follow the questionnaire's question order (unknown ids last, by first appearance);
    lines within a group keep the responses' order (site, then environment). Nothing is dropped:
    every response with a note or N/A reason is one line.
    """
    rank = {q.id: i for i, q in enumerate(questionnaire.questions)}
    texts: dict[str, str] = {}
    lines: dict[str, list[NoteLine]] = {}
    for r in rows:
        if not (r.notes or r.na_reason):
            continue
        texts.setdefault(r.question_id, r.text)
        lines.setdefault(r.question_id, []).append(
            NoteLine(site=r.site, environment=r.environment, state=r.state, verified=r.verified,
                     na_reason=r.na_reason, notes=r.notes))
    first_seen = {qid: i for i, qid in enumerate(lines)}
    ordered = sorted(lines, key=lambda qid: (rank.get(qid, len(rank)), first_seen[qid]))
    return tuple(NoteGroup(question_id=qid, text=texts[qid], lines=tuple(lines[qid])) for qid in ordered)


def trend_rows(history, scorecard: Scorecard, meta: ReportMeta) -> tuple[TrendRow, ...]:
    """History up to the report's date, ending with the current scorecard (replacing a same-day
    snapshot); the current row is provisional unless the assessment is final."""
    rows = [
        TrendRow(h.label, h.as_of, h.overall, h.cpg_implemented_pct, dict(h.functions),
                 by_environment=dict(h.by_environment))
        for h in history
        if h.as_of < meta.as_of
    ]
    o = scorecard.overall
    rows.append(
        TrendRow(
            label=period_label(meta.as_of),
            as_of=meta.as_of,
            overall=Score3(o.claimed, o.verified, o.target),
            cpg_implemented_pct=scorecard.cpg_implemented_pct,
            functions={k: f.combined.verified for k, f in scorecard.functions.items()},
            provisional=not meta.is_final,
            by_environment={env: Score3(v.claimed, v.verified, v.target)
                            for env, v in scorecard.by_environment.items()},
        )
    )
    return tuple(rows)


def period_label(day) -> str:
    """Calendar quarter of a date, e.g. '2026 Q3' (the label of quarterly snapshots)."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"
