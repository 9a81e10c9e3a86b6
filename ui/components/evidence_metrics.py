"""The resilience metrics of one dataset with their RAG status, and the questions they cap."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from catalog.models import MetricDefinition, Questionnaire
from evidence.metric_set import MetricSet
from exports.formatting import metric_value, threshold
from scoring.model import Scorecard

RAG = {"green": "Green", "amber": "Amber", "red": "Red", "missing": "Missing"}
# Colour-blind-safe cell colours (blue/orange/vermillion of the Okabe-Ito palette); the word is
# always written too, so colour is never the only signal.
RAG_STYLE = {"Green": "background-color: #cfe6f7; color: #0b3c5d", "Amber": "background-color: #fde3b3; color: #6b4100",
             "Red": "background-color: #f6c6b0; color: #7a1f00", "Missing": "color: #6b6b6b"}


def metric_table(dataset: str, definitions: dict[str, MetricDefinition], metrics: MetricSet | None) -> None:
    rows = []
    for d in (d for d in definitions.values() if d.dataset == dataset):
        result = metrics.metrics.get(d.name) if metrics else None
        value = result.value if result else None
        status = result.status if result else "missing"
        by_env = result.by_environment if result else {}
        rule = "≥" if d.direction == "higher_is_better" else "≤"
        rows.append({"Metric": d.label, "Value": metric_value(value, d.unit), "Status": RAG[status],
                     "IT": metric_value(by_env.get("IT"), d.unit) if "IT" in by_env else "",
                     "OT": metric_value(by_env.get("OT"), d.unit) if "OT" in by_env else "",
                     "Green if": f"{rule} {threshold(d.green, d.unit)}", "Amber if": f"{rule} {threshold(d.amber, d.unit)}",
                     "Why missing": (result.missing_reason or "") if result and value is None else
                     ("" if result else "no evidence imported for this dataset")})
    if not rows:
        st.caption("No metric is computed from this dataset.")
        return
    table = pd.DataFrame(rows)
    if not (table["IT"] + table["OT"]).str.len().any():
        table = table.drop(columns=["IT", "OT"])
    if not table["Why missing"].str.len().any():
        table = table.drop(columns=["Why missing"])
    st.dataframe(table.style.map(RAG_STYLE.get, subset=["Status"]), hide_index=True, width="stretch",
                 column_config={"Metric": st.column_config.TextColumn(width="medium"),
                                "Why missing": st.column_config.TextColumn(width="large")})


def capped_questions(dataset: str, definitions: dict[str, MetricDefinition], questionnaire: Questionnaire,
                     card: Scorecard | None) -> None:
    """Each question an evidence rule of this dataset's metrics checks, with the caps in force."""
    names = {d.name for d in definitions.values() if d.dataset == dataset}
    rules = [r for r in questionnaire.evidence_rules if r.metric in names]
    if not rules:
        return
    caps = {}
    for cap in card.caps if card else ():
        if cap.metric in names:
            caps.setdefault(cap.question_id, []).append(cap)
    texts = {q.id: q.text for q in questionnaire.questions}
    rows = []
    for rule in rules:
        for qid in rule.questions:
            active = [c for c in caps.get(qid, []) if c.metric == rule.metric]
            lowered = [c for c in active if c.verified < c.claimed]
            rows.append({"Question": qid, "Text": _short(texts.get(qid, ""), 90), "Metric": definitions[rule.metric].label,
                         "Cap now": ", ".join(f"{c.environment}: up to {c.cap_level}" for c in active) or "—",
                         "Lowers the claim": ", ".join(f"{c.environment} {c.claimed}→{c.verified}" for c in lowered) or "no"})
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={"Text": st.column_config.TextColumn(width="medium", help="Hover a cell for the full text")})


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
