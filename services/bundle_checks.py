"""The domain rules a bundle's records must meet before an import writes anything.

The record models (storage.records) already hold each value to its type and range (levels 0–5,
versions from 1, times with a zone, the allowed statuses). Here are the rules that need the loaded
content or more than one record, the same ones the services apply to ordinary writes:

- the questionnaire is loaded; every response and target names a question of it and an environment
  the question applies to within the assessment's scope (scoring.applicability), at most once; an
  NA response has no current level; findings name a question of it and have a title, their
  promises name its questions and environments (once each) and their evidence a known metric;
- the site has a name, a country and a criticality (services.sites); texts fit their columns;
- the uid is a canonical UUID; framework versions look like {"csf": "id@version", "cpg": ...};
- every evidence import names a known dataset;
- times are not in the future (beyond `CLOCK_SKEW`), nothing happened before the assessment was
  created, and a final assessment has a finaliser and a finalisation time after everything else;
  a draft or in-review one has neither;
- a final assessment has exactly one snapshot (its Scorecard and metrics parsed with the record,
  scoring.model and evidence.metric_set), which describes the same questionnaire, scope and date, keeps scores within 0–5, fractions within 0–1 and the CPG
  share within 0–100 %, and was made by the finaliser at the finalisation time; a draft has none.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError

from catalog.content_catalog import Catalog
from errors import Problem
from evidence.schemas import DATASETS
from scoring.applicability import pair_problem
from scoring.model import Response, Scope, Scorecard, Triple
from services.action_fields import promise_problems
from services.sites import site_problems
from storage.bundle_io import PortableAssessment, length_problems

CLOCK_SKEW = timedelta(days=1)
"""How far ahead of this server's clock a bundle's times may be (another server's clock may run fast)."""
FRAMEWORK_VERSION = re.compile(r"^[a-z0-9][a-z0-9.\-]*@\S+$")


def record_problems(records: PortableAssessment, catalog: Catalog, now: datetime, name: str) -> list[Problem]:
    """Every rule broken by the records, each located as `bundle: file field`."""
    a = records.assessment
    out = [Problem(f"{name}: records/assessment.json {where}", what) for where, what in length_problems(records)]
    head = f"{name}: records/assessment.json"
    try:
        canonical = str(uuid.UUID(a.uid)) == a.uid
    except ValueError:
        canonical = False
    if not canonical:
        out.append(Problem(f"{head} assessment.uid", f"{a.uid[:60]!r} is not a canonical UUID"))
    if records.organisation is not None and not records.organisation.strip():
        out.append(Problem(f"{head} organisation", "blank"))
    if records.site is not None:
        out += [Problem(f"{head} {p.location}", p.message, p.hint)
                for p in site_problems(records.site.name, records.site.country, records.site.criticality, "site")]
    out += [Problem(f"{head} assessment.framework_versions.{role}", f"{value!r} is not 'framework-id@version'")
            for role, value in a.framework_versions.items() if not FRAMEWORK_VERSION.match(value)]
    questionnaire = catalog.questionnaires.get(a.questionnaire_id)
    if questionnaire is None:
        known = ", ".join(sorted(catalog.questionnaires)) or "none"
        out.append(Problem(f"{head} assessment.questionnaire_id", f"questionnaire '{a.questionnaire_id}' is not "
                           f"loaded here (loaded: {known})", "load the same content (SCORECARD_CONTENT_DIR) as the "
                                                             "exporting installation"))
    else:
        out += _answer_problems(records, questionnaire, name, set(catalog.metric_definitions()))
    out += [Problem(f"{name}: evidence/imports.json [{i}].dataset", f"unknown dataset '{item.dataset}'",
                    f"one of {', '.join(DATASETS)}") for i, item in enumerate(records.evidence)
            if item.dataset not in DATASETS]
    out += _chronology_problems(records, now, name)
    out += _snapshot_problems(records, name)
    return out


def _answer_problems(records: PortableAssessment, questionnaire, name: str, metrics: set[str]) -> list[Problem]:
    scope = Scope(records.assessment.scope)
    questions = {q.id: q for q in questionnaire.questions}
    out = []
    for file, items in (("responses", records.responses), ("targets", records.targets)):
        seen = set()
        for i, item in enumerate(items):
            where = f"{name}: records/{file}.json [{i}]"
            message = pair_problem(questionnaire, questions, scope, item.question_id, item.environment)
            if message is not None:
                out.append(Problem(where, message))
            elif (item.question_id, item.environment) in seen:
                out.append(Problem(where, f"a second {file[:-1]} for {item.question_id} ({item.environment})"))
            seen.add((item.question_id, item.environment))
    for i, r in enumerate(records.responses):
        if r.na and r.current is not None:
            out.append(Problem(f"{name}: records/responses.json [{i}]", "marked NA but also has a current level",
                               "leave current empty for NA"))
        else:
            try:  # the engine's own input model
                Response(question_id=r.question_id, environment=r.environment, current=r.current, na=r.na,
                         na_reason=r.na_reason, target=r.target, notes=r.notes)
            except ValidationError as exc:
                out.append(Problem(f"{name}: records/responses.json [{i}]", exc.errors()[0]["msg"]))
    for i, f in enumerate(records.findings):
        where = f"{name}: records/findings.json [{i}]"
        if f.question_id not in questions:
            out.append(Problem(f"{where}.question_id", f"unknown question '{f.question_id}' in '{questionnaire.id}'"))
        if f.environment is not None and f.environment not in scope.environments:
            out.append(Problem(f"{where}.environment", f"'{f.environment}' is not in the scope {scope.value}"))
        if not f.title.strip():
            out.append(Problem(f"{where}.title", "a finding needs a title"))
        out += [Problem(f"{where}.promises", f"{place}: {message}")
                for place, message in promise_problems(questionnaire, scope, f.promises)]
        if f.evidence_metric is not None and f.evidence_metric not in metrics:
            out.append(Problem(f"{where}.evidence_metric", f"'{f.evidence_metric}' is not a metric of the catalog"))
    return out


def _chronology_problems(records: PortableAssessment, now: datetime, name: str) -> list[Problem]:
    a = records.assessment
    latest = now + CLOCK_SKEW
    out = []
    head = f"{name}: records/assessment.json assessment"
    if a.created_at > latest:
        out.append(Problem(f"{head}.created_at", f"{a.created_at:%Y-%m-%d %H:%M} UTC is in the future"))
    if a.is_final != (a.finalised_by is not None) or a.is_final != (a.finalised_at is not None):
        out.append(Problem(f"{head}.finalised_at", "a final assessment has a finaliser and a finalisation time, "
                                                   f"any other has neither (status {a.status})"))
    end = a.finalised_at if a.is_final and a.finalised_at is not None else latest
    for where, at in _times(records):
        if at < a.created_at or at > end:
            limit = "its finalisation" if end is a.finalised_at else "now"
            out.append(Problem(f"{name}: {where}", f"{at:%Y-%m-%d %H:%M:%S} UTC is outside the assessment's life "
                                                   f"(created {a.created_at:%Y-%m-%d %H:%M:%S} UTC, until {limit})"))
    if a.finalised_at is not None and not a.created_at <= a.finalised_at <= latest:
        out.append(Problem(f"{head}.finalised_at", f"{a.finalised_at:%Y-%m-%d %H:%M:%S} UTC is before the assessment "
                                                   "was created or in the future (back-dated or forged)"))
    return out


def _times(records: PortableAssessment) -> Iterator[tuple[str, datetime]]:
    yield from ((f"records/responses.json [{i}].updated_at", r.updated_at) for i, r in enumerate(records.responses))
    yield from ((f"records/targets.json [{i}].set_at", t.set_at) for i, t in enumerate(records.targets))
    yield from ((f"records/findings.json [{i}].updated_at", f.updated_at) for i, f in enumerate(records.findings))
    yield from ((f"evidence/imports.json [{i}].imported_at", e.imported_at) for i, e in enumerate(records.evidence))
    yield from ((f"records/audit.json [{i}].at", e.at) for i, e in enumerate(records.audit))


def _snapshot_problems(records: PortableAssessment, name: str) -> list[Problem]:
    a, snapshot = records.assessment, records.snapshot
    where = f"{name}: records/snapshot.json"
    if snapshot is None:
        return [Problem(where, "a final assessment needs its snapshot")] if a.is_final else []
    if not a.is_final:
        return [Problem(where, f"a {a.status} assessment has no snapshot (only finalising makes one)")]
    card = snapshot.scorecard
    out = []
    if (card.questionnaire_id, card.scope.value, card.as_of) != (a.questionnaire_id, a.scope, a.as_of):
        out.append(Problem(f"{where} scorecard", f"scores {card.questionnaire_id} {card.scope.value} {card.as_of}, "
                                                 f"not the assessment ({a.questionnaire_id} {a.scope} {a.as_of})"))
    for label, triple in _triples(card):
        for kind in ("claimed", "verified", "target"):
            value = getattr(triple, kind)
            if value is not None and not 0 <= value <= 5:
                out.append(Problem(f"{where} scorecard.{label}.{kind}", f"{value} is not a level between 0 and 5"))
    o = card.overall
    for label, value, top in (("overall.completion", o.completion, 1), ("overall.confidence", o.confidence, 1),
                              ("cpg_implemented_pct", card.cpg_implemented_pct, 100),
                              *((f"cpg_implemented_pct_by_environment.{env}", pct, 100)
                                for env, pct in card.cpg_implemented_pct_by_environment.items())):
        if value is not None and not 0 <= value <= top:
            out.append(Problem(f"{where} scorecard.{label}", f"{value} is not between 0 and {top}"))
    if (snapshot.created_by, snapshot.created_at) != (a.finalised_by, a.finalised_at):
        out.append(Problem(f"{where} created_at", "the snapshot was not made when and by whom the assessment was "
                                                  "finalised"))
    return out


def _triples(card: Scorecard) -> Iterator[tuple[str, Triple | Any]]:
    yield "overall", card.overall
    for env, overall in card.by_environment.items():
        yield f"by_environment.{env}", overall
    for group in ("functions", "categories", "subcategories", "cpg_goals"):
        for key, node in getattr(card, group).items():
            yield f"{group}.{key}.combined", node.combined
            for env, triple in node.by_environment.items():
                yield f"{group}.{key}.{env}", triple
    for i, response in enumerate(card.responses):
        yield f"responses[{i}]", response
