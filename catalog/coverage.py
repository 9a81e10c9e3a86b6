"""How much of each framework a questionnaire informs.

Rules: a subcategory or goal is covered when at least one question lists it (`csf` / `cpg`); a
category is covered when at least one of its subcategories is; a function is covered when at
least one node under it is. Counts are per node kind; `uncovered` lists every uncovered ID of
every kind in framework order, and `uncovered_reasons` the questionnaire's stated reasons for
uncovered subcategories (`unexplained` lists uncovered subcategories with no stated reason).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from catalog.models import Framework, NodeKind, Questionnaire

KINDS: tuple[NodeKind, ...] = ("function", "category", "subcategory", "goal")
PLURAL = {"function": "functions", "category": "categories", "subcategory": "subcategories", "goal": "goals"}


@dataclass(frozen=True)
class KindCoverage:
    total: int
    covered: int

    @property
    def pct(self) -> float:
        """Covered share in percent (0–100); 100 when there is nothing to cover."""
        return 100.0 * self.covered / self.total if self.total else 100.0


@dataclass(frozen=True)
class FrameworkCoverage:
    framework_id: str
    by_kind: dict[NodeKind, KindCoverage]
    covered_ids: frozenset[str]
    uncovered: tuple[str, ...]
    uncovered_reasons: dict[str, str] = field(default_factory=dict)
    unexplained: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        """The `scorecard coverage --json` shape for one framework."""
        out: dict = {"framework": self.framework_id}
        for kind in KINDS:
            counts = self.by_kind[kind]
            out[PLURAL[kind]] = {"total": counts.total, "covered": counts.covered}
        out["uncovered"] = list(self.uncovered)
        out["uncovered_reasons"] = dict(self.uncovered_reasons)
        out["unexplained"] = list(self.unexplained)
        return out


def framework_coverage(framework: Framework, referenced: set[str], reasons: dict[str, str] | None = None) -> FrameworkCoverage:
    """Coverage of `framework` given the leaf IDs (subcategories, goals) a questionnaire references."""
    reasons = reasons or {}
    children: dict[str, list[str]] = {}
    for node in framework.nodes:
        if node.parent is not None:
            children.setdefault(node.parent, []).append(node.id)
    covered: set[str] = set()
    # Nodes come parents first, so walking them in reverse settles children before parents.
    for node in reversed(framework.nodes):
        if node.id in referenced or any(c in covered for c in children.get(node.id, ())):
            covered.add(node.id)
    by_kind = {
        kind: KindCoverage(
            total=sum(1 for n in framework.nodes if n.kind == kind),
            covered=sum(1 for n in framework.nodes if n.kind == kind and n.id in covered),
        )
        for kind in KINDS
    }
    uncovered = tuple(n.id for n in framework.nodes if n.id not in covered)
    leaf_uncovered = [n.id for n in framework.nodes if n.id not in covered and n.kind in ("subcategory", "goal")]
    return FrameworkCoverage(
        framework_id=framework.id,
        by_kind=by_kind,
        covered_ids=frozenset(covered),
        uncovered=uncovered,
        uncovered_reasons={i: reasons[i] for i in uncovered if i in reasons},
        unexplained=tuple(i for i in leaf_uncovered if i not in reasons),
    )


def questionnaire_coverage(questionnaire: Questionnaire, frameworks: dict[str, Framework]) -> dict[str, FrameworkCoverage]:
    """Coverage of the questionnaire's CSF and CPG frameworks, keyed by framework id.

    A framework the questionnaire binds but `frameworks` lacks is left out (the loader reports it).
    """
    reasons = {n.id: n.reason for n in questionnaire.uncovered_subcategories}
    refs = {
        questionnaire.frameworks.csf: {r for q in questionnaire.questions for r in q.csf},
        questionnaire.frameworks.cpg: {r for q in questionnaire.questions for r in q.cpg},
    }
    return {
        fw_id: framework_coverage(frameworks[fw_id], referenced, reasons if fw_id == questionnaire.frameworks.csf else {})
        for fw_id, referenced in refs.items()
        if fw_id in frameworks
    }
