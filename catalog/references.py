"""Cross-reference checks between loaded content files.

Each check returns problems rather than raising, so one run reports everything that is wrong.
Problem locations here are paths inside the file (``questions[3].csf[0]``); the loader prefixes
the file name and adds the line number.
"""

from __future__ import annotations

from collections.abc import Iterable

from catalog.content_catalog import Catalog
from catalog.models import Crosswalk, Framework, MetricCatalog, Questionnaire
from errors import Problem

LEVELS = range(6)
# Which node kinds may sit under which parent kind (None = top level).
ALLOWED_PARENTS = {
    "function": {None},
    "category": {"function"},
    "subcategory": {"category"},
    "goal": {None, "function", "category"},
}


def check_references(catalog: Catalog) -> dict[str, list[Problem]]:
    """Problems per content id (only ids with problems appear)."""
    found: dict[str, list[Problem]] = {}
    for fw in catalog.frameworks.values():
        found[fw.id] = _check_framework(fw)
    for cw in catalog.crosswalks.values():
        found[cw.id] = _check_crosswalk(catalog, cw)
    for mc in catalog.metric_catalogs.values():
        found[mc.id] = _check_metrics(catalog, mc)
    metric_names = set(catalog.metric_definitions())
    for q in catalog.questionnaires.values():
        found[q.id] = _check_questionnaire(catalog, q, metric_names)
    return {cid: problems for cid, problems in found.items() if problems}


def _repeats(ids: Iterable[str]) -> list[tuple[int, str, int]]:
    """(index, id, index of first occurrence) for every repeated occurrence of an id."""
    first: dict[str, int] = {}
    out = []
    for i, item in enumerate(ids):
        if item in first:
            out.append((i, item, first[item]))
        else:
            first[item] = i
    return out


def _repeat_problems(field: str, ids: Iterable[str], what: str) -> list[Problem]:
    return [
        Problem(f"{field}[{i}].id", f"duplicate {what} '{item}' (first at {field}[{j}])")
        for i, item, j in _repeats(ids)
    ]


def _check_framework(fw: Framework) -> list[Problem]:
    out: list[Problem] = []
    out.extend(_repeat_problems("nodes", (n.id for n in fw.nodes), "node id"))
    kinds: dict[str, str] = {}
    for i, node in enumerate(fw.nodes):
        if node.parent is not None and node.parent not in kinds:
            out.append(Problem(f"nodes[{i}].parent", f"unknown parent '{node.parent}'", "parents must come before their children"))
        else:
            parent_kind = kinds.get(node.parent) if node.parent is not None else None
            if parent_kind not in ALLOWED_PARENTS[node.kind]:
                allowed = " or ".join(k or "no parent" for k in sorted(ALLOWED_PARENTS[node.kind], key=str))
                out.append(Problem(f"nodes[{i}].parent", f"a {node.kind} cannot sit under a {parent_kind or 'top level'}", f"expected {allowed}"))
        kinds.setdefault(node.id, node.kind)
    return out


def _check_crosswalk(catalog: Catalog, cw: Crosswalk) -> list[Problem]:
    out: list[Problem] = []
    indexes: dict[str, set[str]] = {}
    if cw.source_elements:
        # The crosswalk carries its own source IDs (a framework not shipped as a catalog).
        out.extend(_repeat_problems("source_elements", (e.id for e in cw.source_elements), "element id"))
        if cw.source_framework in catalog.frameworks:
            out.append(Problem("source_elements", f"'{cw.source_framework}' is a loaded framework", "drop source_elements and map to its nodes"))
        indexes["source_framework"] = {e.id for e in cw.source_elements}
    sides = ("target_framework",) if cw.source_elements else ("source_framework", "target_framework")
    for side in sides:
        fw_id = getattr(cw, side)
        if fw_id not in catalog.frameworks:
            out.append(Problem(side, f"unknown framework '{fw_id}'", _known(catalog.frameworks)))
        else:
            indexes[side] = {n.id for n in catalog.frameworks[fw_id].nodes}
    seen: set[tuple[str, str]] = set()
    for i, entry in enumerate(cw.entries):
        if "source_framework" in indexes and entry.source not in indexes["source_framework"]:
            out.append(Problem(f"entries[{i}].source", f"unknown id '{entry.source}' in {cw.source_framework}"))
        if "target_framework" in indexes and entry.target not in indexes["target_framework"]:
            out.append(Problem(f"entries[{i}].target", f"unknown id '{entry.target}' in {cw.target_framework}"))
        if (entry.source, entry.target) in seen:
            out.append(Problem(f"entries[{i}]", f"duplicate mapping {entry.source} → {entry.target}"))
        seen.add((entry.source, entry.target))
    return out


def _check_metrics(catalog: Catalog, mc: MetricCatalog) -> list[Problem]:
    out: list[Problem] = []
    elsewhere = {m.name for other in catalog.metric_catalogs.values() if other.id != mc.id for m in other.metrics}
    for i, name, j in _repeats(m.name for m in mc.metrics):
        out.append(Problem(f"metrics[{i}].name", f"duplicate metric name '{name}' (first at metrics[{j}])"))
    for i, metric in enumerate(mc.metrics):
        if metric.name in elsewhere:
            out.append(Problem(f"metrics[{i}].name", f"metric '{metric.name}' is also defined in another metrics file"))
        higher = metric.direction == "higher_is_better"
        if (higher and metric.green < metric.amber) or (not higher and metric.green > metric.amber):
            relation = "≥" if higher else "≤"
            out.append(Problem(f"metrics[{i}]", f"green {metric.green:g} must be {relation} amber {metric.amber:g} when {metric.direction}"))
    return out


def _check_questionnaire(catalog: Catalog, q: Questionnaire, metric_names: set[str]) -> list[Problem]:
    out: list[Problem] = []
    subcategories = _node_ids(catalog, q.frameworks.csf, "subcategory", "frameworks.csf", out)
    goals = _node_ids(catalog, q.frameworks.cpg, "goal", "frameworks.cpg", out)
    sections = {s.id for s in q.sections}
    question_ids = {qq.id for qq in q.questions}

    out.extend(_repeat_problems("sections", (s.id for s in q.sections), "section id"))
    out.extend(_repeat_problems("questions", (qq.id for qq in q.questions), "question id"))
    out.extend(_repeat_problems("scenarios", (s.id for s in q.scenarios), "scenario id"))
    for section in q.target_profile.by_section:
        if section not in sections:
            out.append(Problem(f"target_profile.by_section.{section}", f"unknown section '{section}'"))
    used_envs = {env for question in q.questions for env in question.applies_to}
    for env in sorted(used_envs - set(q.target_profile.default)):
        out.append(Problem("target_profile.default", f"no default target for {env}", "questions apply to it"))

    mapped = {ref for question in q.questions for ref in question.csf}
    out.extend(_repeat_problems("uncovered_subcategories", (n.id for n in q.uncovered_subcategories), "entry"))
    for i, node in enumerate(q.uncovered_subcategories):
        if subcategories is not None and node.id not in subcategories:
            out.append(Problem(f"uncovered_subcategories[{i}].id", f"unknown subcategory '{node.id}'"))
        elif node.id in mapped:
            out.append(Problem(f"uncovered_subcategories[{i}].id", f"'{node.id}' is listed as uncovered but a question maps to it"))

    for i, question in enumerate(q.questions):
        out.extend(_check_question(i, question, sections, subcategories, goals, metric_names))
    for i, rule in enumerate(q.evidence_rules):
        if rule.metric not in metric_names:
            out.append(Problem(f"evidence_rules[{i}].metric", f"unknown metric '{rule.metric}'"))
        for j, qid in enumerate(rule.questions):
            if qid not in question_ids:
                out.append(Problem(f"evidence_rules[{i}].questions[{j}]", f"unknown question '{qid}'"))
        if not rule.steps:
            out.append(Problem(f"evidence_rules[{i}].steps", "at least one step is needed"))
    for i, scenario in enumerate(q.scenarios):
        for j, qid in enumerate(scenario.questions):
            if qid not in question_ids:
                out.append(Problem(f"scenarios[{i}].questions[{j}]", f"unknown question '{qid}'"))
        for j, metric in enumerate(scenario.metrics):
            if metric not in metric_names:
                out.append(Problem(f"scenarios[{i}].metrics[{j}]", f"unknown metric '{metric}'"))
    return out


def _check_question(i, question, sections, subcategories, goals, metric_names) -> list[Problem]:
    out: list[Problem] = []
    where = f"questions[{i}]"
    if question.section not in sections:
        out.append(Problem(f"{where}.section", f"unknown section '{question.section}'", f"one of {', '.join(sorted(sections))}"))
    missing_levels = [lvl for lvl in LEVELS if lvl not in question.levels]
    if missing_levels:
        out.append(Problem(f"{where}.levels", f"missing level(s) {', '.join(map(str, missing_levels))}", "every question describes levels 0 to 5"))
    if not question.applies_to:
        out.append(Problem(f"{where}.applies_to", "empty", "list IT, OT or both"))
    for field, refs, known, what in (("csf", question.csf, subcategories, "subcategory"), ("cpg", question.cpg, goals, "goal")):
        for j, ref, first in _repeats(refs):
            out.append(Problem(f"{where}.{field}[{j}]", f"'{ref}' is listed twice (first at {field}[{first}])"))
        for j, ref in enumerate(refs):
            if known is not None and ref not in known:
                out.append(Problem(f"{where}.{field}[{j}]", f"unknown {what} '{ref}'"))
    for j, metric in enumerate(question.metrics):
        if metric not in metric_names:
            out.append(Problem(f"{where}.metrics[{j}]", f"unknown metric '{metric}'"))
    return out


def _node_ids(catalog: Catalog, fw_id: str, kind: str, where: str, out: list[Problem]) -> set[str] | None:
    """IDs of `kind` nodes in framework `fw_id`; None (after noting a problem) if it is unusable."""
    fw = catalog.frameworks.get(fw_id)
    if fw is None:
        out.append(Problem(where, f"unknown framework '{fw_id}'", _known(catalog.frameworks)))
        return None
    ids = {n.id for n in fw.nodes if n.kind == kind}
    if not ids:
        out.append(Problem(where, f"framework '{fw_id}' has no {kind} nodes"))
        return None
    return ids


def _known(frameworks: dict) -> str:
    return f"known: {', '.join(sorted(frameworks)) or 'none loaded'}"
