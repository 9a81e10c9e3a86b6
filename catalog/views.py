"""Machine-readable views of content: the shapes `--json` commands print and integrations rely on.

Shapes (issue 2, item 8) — keep them stable; add keys rather than change them:
- framework: {"id","name","version","nodes":[{"id","kind","parent","title","text"}]}
- questionnaire: {"id","version","questions":[{"id","section","text","applies_to","weight",
  "consequence","csf","cpg","metrics","levels":{"0":..,"5":..}}]}
"""

from __future__ import annotations

from catalog.models import Framework, Questionnaire


def framework_view(framework: Framework) -> dict:
    """A framework as plain data, nodes in document order (parents first)."""
    return {
        "id": framework.id,
        "name": framework.name,
        "version": framework.version,
        "nodes": [
            {"id": n.id, "kind": n.kind, "parent": n.parent, "title": n.title, "text": n.text}
            for n in framework.nodes
        ],
    }


def questionnaire_view(questionnaire: Questionnaire) -> dict:
    """A questionnaire's questions as plain data; level keys are the strings "0".."5"."""
    return {
        "id": questionnaire.id,
        "version": questionnaire.version,
        "questions": [
            {
                "id": q.id,
                "section": q.section,
                "text": q.text,
                "applies_to": list(q.applies_to),
                "weight": q.weight,
                "consequence": q.consequence,
                "csf": list(q.csf),
                "cpg": list(q.cpg),
                "metrics": list(q.metrics),
                "levels": {str(level): q.levels[level] for level in sorted(q.levels)},
            }
            for q in questionnaire.questions
        ],
    }
