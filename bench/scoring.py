"""Benchmark of the scoring engine: a full score, and a re-score after one changed answer.

Scores the shipped questionnaire (questionnaires/manufacturing-it-ot.yaml; the scoring test
fixture when it is not there yet) for IT+OT with an answer for every applicable question and
environment and a MetricSet holding every defined metric, per environment. Times are medians of
repeated runs; the baseline, measured in the same run, is a plain loop that reads every response
once (what any scoring must at least do). Goal: a full score under 50 ms.

Run: .venv/bin/python bench/scoring.py [--repeat N] [--content DIR] [--questionnaire ID]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalog.content_catalog import Catalog  # noqa: E402
from catalog.loader import load_catalog  # noqa: E402
from catalog.models import (  # noqa: E402
    CapStep,
    EvidenceRule,
    FrameworkBinding,
    Question,
    Questionnaire,
    Scenario,
    Section,
    TargetProfile,
)
from evidence.metric_set import MetricResult, MetricSet  # noqa: E402
from scoring import score  # noqa: E402
from scoring.applicability import applicable_pairs  # noqa: E402
from scoring.model import Response, Scope  # noqa: E402
from scoring.rules import rag_status  # noqa: E402
from services.scorecards import scorecard_to_dict  # noqa: E402

SHIPPED = "manufacturing-it-ot"
FIXTURE = ROOT / "tests" / "data" / "scoring" / "content"
AS_OF = date(2026, 11, 1)
GOAL_MS = 50.0


def _choose(content: Path | None, questionnaire_id: str | None) -> tuple[Catalog, str, str]:
    if content is not None:
        catalog = load_catalog(content)
        return catalog, questionnaire_id or next(iter(catalog.questionnaires)), str(content)
    catalog = load_catalog(ROOT)
    if SHIPPED in catalog.questionnaires:
        return catalog, SHIPPED, "shipped content"
    if {"nist-csf-2.0", "cisa-cpg-2.0"} <= set(catalog.frameworks):
        print(f"note: '{SHIPPED}' is not shipped yet; scoring a synthetic 60-question questionnaire "
              "over the shipped CSF 2.0 and CPG 2.0", file=sys.stderr)
        return _with_synthetic(catalog, 60), "synthetic", "synthetic, shipped frameworks"
    print(f"note: '{SHIPPED}' is not shipped yet; using the test fixture", file=sys.stderr)
    return load_catalog(FIXTURE), "mini", "test fixture (shipped questionnaire absent)"


def _with_synthetic(catalog: Catalog, count: int) -> Catalog:
    """The catalog plus a questionnaire shaped like the shipped one: `count` questions, each mapped
    to 2 subcategories and 1–2 goals, one evidence rule per metric over 3 questions, 6 scenarios."""
    rng = random.Random(7)
    subcategories = [n.id for n in catalog.frameworks["nist-csf-2.0"].of_kind("subcategory")]
    goals = [n.id for n in catalog.frameworks["cisa-cpg-2.0"].of_kind("goal")]
    metric_names = sorted(catalog.metric_definitions())
    levels = {i: f"level {i}" for i in range(6)}
    questions = []
    for i in range(count):
        questions.append(Question(
            id=f"Q-{i:02d}", section="main", text=f"Question {i}?", guidance="Look at the evidence.",
            applies_to=rng.choice([("IT", "OT"), ("IT", "OT"), ("OT",), ("IT",)]),
            weight=rng.randint(1, 3), consequence=rng.randint(1, 5),
            csf=tuple(subcategories[(2 * i + k) % len(subcategories)] for k in range(2)),
            cpg=tuple(goals[(i + k) % len(goals)] for k in range(rng.randint(1, 2))),
            levels=levels,
        ))
    ids = [q.id for q in questions]
    rules = [
        EvidenceRule(metric=name, questions=tuple(rng.sample(ids, 3)),
                     steps=(CapStep(threshold=90, level=5), CapStep(threshold=75, level=4), CapStep(threshold=50, level=3)))
        for name in metric_names
    ]
    scenarios = [
        Scenario(id=f"s{i}", name=f"Scenario {i}", description="d", questions=tuple(rng.sample(ids, 8)),
                 metrics=tuple(rng.sample(metric_names, 3)))
        for i in range(6)
    ]
    synthetic = Questionnaire(
        id="synthetic", name="Synthetic", version="0", source="bench", licence="n/a", date=AS_OF,
        frameworks=FrameworkBinding(csf="nist-csf-2.0", cpg="cisa-cpg-2.0"),
        target_profile=TargetProfile(default={"IT": 3, "OT": 3}),
        sections=(Section(id="main", title="Main"),), questions=tuple(questions),
        evidence_rules=tuple(rules), scenarios=tuple(scenarios),
    )
    return dataclasses.replace(catalog, questionnaires={**catalog.questionnaires, "synthetic": synthetic})


def synthesise(catalog: Catalog, questionnaire_id: str, rng: random.Random) -> tuple[list[Response], MetricSet]:
    """An answer for every applicable (question, environment), a few NA; every metric, per environment."""
    questionnaire = catalog.questionnaire(questionnaire_id)
    responses = []
    for question, env in applicable_pairs(questionnaire, Scope.IT_OT):
        if rng.random() < 0.05:
            responses.append(Response(question_id=question.id, environment=env, na=True, na_reason="not in this plant"))
        else:
            target = rng.choice([None, None, 3, 4, 5])
            responses.append(Response(question_id=question.id, environment=env, current=rng.randint(0, 5), target=target, notes="bench"))
    metrics = {}
    for name, definition in catalog.metric_definitions().items():
        scale = 100.0 if definition.unit == "pct" else 400.0
        by_env = {env: round(rng.uniform(0, scale), 2) for env in ("IT", "OT")}
        value = round(sum(by_env.values()) / 2, 2)
        metrics[name] = MetricResult(name=name, value=value, status=rag_status(definition, value), by_environment=by_env)
    return responses, MetricSet(as_of=AS_OF, metrics=metrics)


def median_seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--content", type=Path)
    parser.add_argument("--questionnaire")
    args = parser.parse_args()

    catalog, qid, source = _choose(args.content, args.questionnaire)
    questionnaire = catalog.questionnaire(qid)
    csf = catalog.framework(questionnaire.frameworks.csf)
    cpg = catalog.framework(questionnaire.frameworks.cpg)
    definitions = catalog.metric_definitions()
    responses, metrics = synthesise(catalog, qid, random.Random(20261101))

    def full(rs=responses):
        return score(questionnaire, csf, cpg, rs, metrics, scope=Scope.IT_OT, as_of=AS_OF, definitions=definitions)

    def baseline():
        total = 0
        for r in responses:
            total += r.current if r.current is not None else 0
        return total

    start = time.perf_counter()
    card = full()
    first = time.perf_counter() - start

    # What the app does on every click: one answer changes, everything is scored again.
    changed = list(responses)
    index = next(i for i, r in enumerate(changed) if r.current is not None)
    flips = [changed[index].model_copy(update={"current": level}) for level in (0, 5)]
    counter = iter(range(10**9))

    def rescore():
        changed[index] = flips[next(counter) % 2]
        return full(changed)

    t_base = median_seconds(baseline, args.repeat * 20)
    t_full = median_seconds(full, args.repeat)
    t_rescore = median_seconds(rescore, args.repeat)
    t_json = median_seconds(lambda: scorecard_to_dict(card), args.repeat)

    print(f"scoring benchmark · {qid} ({source}) · IT+OT")
    print(f"  {len(questionnaire.questions)} questions, {len(responses)} responses, {len(metrics.metrics)} metrics, "
          f"{len(csf.nodes)} CSF nodes, {len(cpg.nodes)} CPG goals, {len(card.caps)} caps applied, {len(card.gaps)} gaps")
    print(f"  baseline (plain loop reading each response once): {t_base * 1e6:9.1f} µs")
    print(f"  first score (cold):                               {first * 1e3:9.2f} ms")
    print(f"  full score (median of {args.repeat}):                     {t_full * 1e3:9.2f} ms"
          f"  = {t_full / t_base:,.0f}× baseline  (goal < {GOAL_MS:.0f} ms: {'PASS' if t_full * 1e3 < GOAL_MS else 'FAIL'})")
    print(f"  re-score after one changed answer:                {t_rescore * 1e3:9.2f} ms  = {t_rescore / t_base:,.0f}× baseline")
    print(f"  presentation (scorecard_to_dict):                 {t_json * 1e3:9.2f} ms")


if __name__ == "__main__":
    main()
