"""Cross-reference checks between loaded content files.

Each check returns problems rather than raising, so one run reports everything that is wrong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from errors import Problem

if TYPE_CHECKING:
    from catalog.loader import Catalog

LEVELS = range(6)


def check_references(catalog: Catalog, label_of: Callable[[str], str]) -> list[Problem]:
    problems: list[Problem] = []
    for fw in catalog.frameworks.values():
        problems.extend(_check_framework(fw, label_of(fw.id)))
    for cw in catalog.crosswalks.values():
        problems.extend(_check_crosswalk(catalog, cw, label_of(cw.id)))
    metric_names = set(catalog.metric_definitions())
    for q in catalog.questionnaires.values():
        problems.extend(_check_questionnaire(catalog, q, metric_names, label_of(q.id)))
    return problems


def _duplicates(ids) -> list[str]:
    return [i for i, n in Counter(ids).items() if n > 1]


def _check_framework(fw, label: str) -> list[Problem]:
    out: list[Problem] = []
    for dup in _duplicates(n.id for n in fw.nodes):
        out.append(Problem(f"{label}: nodes", f"duplicate node id '{dup}'"))
    seen: dict[str, str] = {}
    for i, node in enumerate(fw.nodes):
        if node.parent is not None and node.parent not in seen:
            out.append(Problem(f"{label}: nodes[{i}].parent", f"unknown parent '{node.parent}' (parents must come first)"))
        seen[node.id] = node.kind
    return out


def _check_crosswalk(catalog, cw, label: str) -> list[Problem]:
    out: list[Problem] = []
    indexes = {}
    for side in ("source_framework", "target_framework"):
        fw_id = getattr(cw, side)
        if fw_id not in catalog.frameworks:
            out.append(Problem(f"{label}: {side}", f"unknown framework '{fw_id}'"))
        else:
            indexes[side] = {n.id for n in catalog.frameworks[fw_id].nodes}
    for i, entry in enumerate(cw.entries):
        if "source_framework" in indexes and entry.source not in indexes["source_framework"]:
            out.append(Problem(f"{label}: entries[{i}].source", f"unknown id '{entry.source}' in {cw.source_framework}"))
        if "target_framework" in indexes and entry.target not in indexes["target_framework"]:
            out.append(Problem(f"{label}: entries[{i}].target", f"unknown id '{entry.target}' in {cw.target_framework}"))
    return out


def _check_questionnaire(catalog, q, metric_names: set[str], label: str) -> list[Problem]:
    out: list[Problem] = []
    csf = catalog.frameworks.get(q.frameworks.csf)
    cpg = catalog.frameworks.get(q.frameworks.cpg)
    if csf is None:
        out.append(Problem(f"{label}: frameworks.csf", f"unknown framework '{q.frameworks.csf}'"))
    if cpg is None:
        out.append(Problem(f"{label}: frameworks.cpg", f"unknown framework '{q.frameworks.cpg}'"))
    subcategories = {n.id for n in csf.nodes if n.kind == "subcategory"} if csf else None
    goals = {n.id for n in cpg.nodes if n.kind == "goal"} if cpg else None
    sections = {s.id for s in q.sections}
    question_ids = {qq.id for qq in q.questions}

    for dup in _duplicates(s.id for s in q.sections):
        out.append(Problem(f"{label}: sections", f"duplicate section id '{dup}'"))
    for dup in _duplicates(qq.id for qq in q.questions):
        out.append(Problem(f"{label}: questions", f"duplicate question id '{dup}'"))
    for section in q.target_profile.by_section:
        if section not in sections:
            out.append(Problem(f"{label}: target_profile.by_section", f"unknown section '{section}'"))
    for i, node in enumerate(q.uncovered_subcategories):
        if subcategories is not None and node.id not in subcategories:
            out.append(Problem(f"{label}: uncovered_subcategories[{i}]", f"unknown subcategory '{node.id}'"))

    for i, question in enumerate(q.questions):
        where = f"{label}: questions[{i}]"
        if question.section not in sections:
            out.append(Problem(f"{where}.section", f"unknown section '{question.section}'", f"one of {', '.join(sorted(sections))}"))
        missing_levels = [lvl for lvl in LEVELS if lvl not in question.levels]
        if missing_levels:
            out.append(Problem(f"{where}.levels", f"missing level(s) {', '.join(map(str, missing_levels))}", "every question describes levels 0 to 5"))
        if not question.applies_to:
            out.append(Problem(f"{where}.applies_to", "empty", "list IT, OT or both"))
        for j, ref in enumerate(question.csf):
            if subcategories is not None and ref not in subcategories:
                out.append(Problem(f"{where}.csf[{j}]", f"unknown subcategory '{ref}'"))
        for j, ref in enumerate(question.cpg):
            if goals is not None and ref not in goals:
                out.append(Problem(f"{where}.cpg[{j}]", f"unknown goal '{ref}'"))
        for j, metric in enumerate(question.metrics):
            if metric not in metric_names:
                out.append(Problem(f"{where}.metrics[{j}]", f"unknown metric '{metric}'"))

    for i, rule in enumerate(q.evidence_rules):
        where = f"{label}: evidence_rules[{i}]"
        if rule.metric not in metric_names:
            out.append(Problem(f"{where}.metric", f"unknown metric '{rule.metric}'"))
        for j, qid in enumerate(rule.questions):
            if qid not in question_ids:
                out.append(Problem(f"{where}.questions[{j}]", f"unknown question '{qid}'"))
        if not rule.steps:
            out.append(Problem(f"{where}.steps", "at least one step is needed"))
    for i, scenario in enumerate(q.scenarios):
        where = f"{label}: scenarios[{i}]"
        for j, qid in enumerate(scenario.questions):
            if qid not in question_ids:
                out.append(Problem(f"{where}.questions[{j}]", f"unknown question '{qid}'"))
        for j, metric in enumerate(scenario.metrics):
            if metric not in metric_names:
                out.append(Problem(f"{where}.metrics[{j}]", f"unknown metric '{metric}'"))
    return out
