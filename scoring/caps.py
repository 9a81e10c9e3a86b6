"""Rule 1: what the evidence supports. Turns each applicable response into a `ResponseScore`.

verified = min(current, every applicable cap). A rule applies to a response when it lists the
response's question; its metric value is the one for the response's environment when the metric
has one, else the overall value. A missing metric (absent, or no value) caps nothing but leaves the
response unverified. A cap is recorded (`CapApplied`) only when it binds: cap level < claim.
"""

from __future__ import annotations

from collections import defaultdict

from catalog.models import Environment, EvidenceRule, Question, Questionnaire
from evidence.metric_set import MetricSet
from scoring import rules
from scoring.model import CapApplied, Response, ResponseScore


def rules_by_question(questionnaire: Questionnaire) -> dict[str, list[EvidenceRule]]:
    """Evidence rules that apply to each question id."""
    out: dict[str, list[EvidenceRule]] = defaultdict(list)
    for rule in questionnaire.evidence_rules:
        for question_id in rule.questions:
            out[question_id].append(rule)
    return out


def metric_value(metrics: MetricSet | None, name: str, environment: Environment) -> tuple[float | None, str]:
    """The metric's value for the environment (else overall) and which of the two it is.

    The value is None when the metric is missing (absent, or computed without a value).
    """
    result = None if metrics is None else metrics.metrics.get(name)
    if result is None:
        return None, "overall"
    where = environment if environment in result.by_environment else "overall"
    return result.value_for(environment), where


def score_response(
    questionnaire: Questionnaire,
    question: Question,
    environment: Environment,
    response: Response | None,
    question_rules: list[EvidenceRule],
    metrics: MetricSet | None,
) -> ResponseScore:
    """Claimed, verified and target level of one applicable (question, environment)."""
    state = rules.state_of(response)
    target = rules.target_of(questionnaire, question, response, environment)
    values = [(rule, *metric_value(metrics, rule.metric, environment)) for rule in question_rules]
    verified_by_evidence = bool(values) and all(value is not None for _, value, _ in values)
    claimed = response.current if state == "answered" and response is not None else None
    binding = []  # (rule, (value, where), threshold, cap level) of each cap below the claim
    if claimed is not None:
        for rule, value, where in values:
            if value is None:
                continue
            level, threshold = rules.cap_for(rule, value)
            if level < claimed:
                binding.append((rule, (value, where), threshold, level))
    verified = min(claimed, *(level for *_, level in binding)) if binding else claimed
    caps = [_cap(question, environment, rule, measured, threshold, level, claimed, verified)
            for rule, measured, threshold, level in binding]
    # Every value is already of its field's type (content and Response are validated), so the
    # model is built without validating again: a projection scores each assessment many times.
    return ResponseScore.model_construct(
        question_id=question.id,
        environment=environment,
        state=state,
        claimed=claimed,
        verified=verified,
        target=target,
        verified_by_evidence=verified_by_evidence,
        caps=tuple(caps),
        na_reason=response.na_reason if response is not None and state == "na" else "",
        notes=response.notes if response is not None else "",
    )


def _cap(
    question: Question,
    environment: Environment,
    rule: EvidenceRule,
    measured: tuple[float, str],
    threshold: str,
    level: int,
    claimed: int,
    verified: int,
) -> CapApplied:
    value, where = measured
    reason = (
        f"{rule.metric} = {round(value, 2):g} ({where}; {threshold}): "
        f"claimed {claimed}, evidence supports at most {level}"
    )
    # Built without validating (as ResponseScore above): every value already has its field's type.
    return CapApplied.model_construct(
        question_id=question.id,
        environment=environment,
        metric=rule.metric,
        value=float(value),
        threshold=threshold,
        cap_level=level,
        claimed=claimed,
        verified=verified,
        reason=reason,
    )
