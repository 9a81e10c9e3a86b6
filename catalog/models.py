"""Typed content: frameworks, crosswalks, metric definitions and questionnaires.

Content is data and its schema is code. Every model forbids unknown fields, so a typo in a YAML
key is an error rather than a silently ignored setting. Models are frozen: once loaded, content is
shared read-only by scoring, exports and the UI.

Every content file starts with the same header (`ContentHeader`): id, name, version, source,
licence, date, and a `kind` that tells the loader which model reads the rest.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Environment = Literal["IT", "OT"]
ENVIRONMENTS: tuple[Environment, ...] = ("IT", "OT")
Criticality = Literal["critical", "high", "medium", "low"]
CRITICALITIES: tuple[Criticality, ...] = ("critical", "high", "medium", "low")
"""The one scale, most critical first, of a site's importance for production, an asset's
criticality and an exception's risk rating."""
HIGH_RISK: tuple[Criticality, ...] = ("critical", "high")
"""Exception risk ratings that count as high risk (the metrics, the summary, the exception table)."""
Combine = Literal["sum", "max", "median", "ratio"]
"""How a metric's value combines across environments and sites (MetricDefinition.combine)."""
NodeKind = Literal["function", "category", "subcategory", "goal"]
Level = Annotated[int, Field(ge=0, le=5)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ContentId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.\-]*$")]


class Model(BaseModel):
    """Base for all content models: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ContentHeader(Model):
    """Fields every content file carries, whatever its kind."""

    kind: Literal["framework", "crosswalk", "metrics", "questionnaire"]
    id: ContentId
    name: NonEmpty
    version: NonEmpty
    source: NonEmpty
    licence: NonEmpty
    date: date
    description: str = ""


# --- Frameworks ---------------------------------------------------------------------------------


class Rating(Model):
    """CISA's cost / impact / ease-of-implementation ratings of a CPG goal.

    CPG 2.0 rates complexity Simple / Moderate / Complex; Low / High stay accepted for other
    catalogs that use a three-step low-to-high scale.
    """

    cost: Literal["Low", "Moderate", "High"]
    impact: Literal["Low", "Moderate", "High"]
    complexity: Literal["Simple", "Moderate", "Complex", "Low", "High"]


class FrameworkNode(Model):
    """One element of a framework: a CSF function, category or subcategory, or a CPG goal.

    `text` is the official outcome statement. `examples` are the official implementation examples
    (CSF). Goal-only fields (`risk_addressed`, `rating`, `applies_to`, `recommended_actions`) are
    empty for CSF nodes.
    """

    id: NonEmpty
    kind: NodeKind
    parent: str | None = None
    title: NonEmpty
    text: str = ""
    examples: tuple[str, ...] = ()
    risk_addressed: str = ""
    rating: Rating | None = None
    applies_to: tuple[Environment, ...] = ()
    recommended_actions: tuple[str, ...] = ()


class OscalSource(Model):
    """The OSCAL catalog a framework was imported from (catalog.oscal), so an export can cite it by
    its own identifiers: the OSCAL control ids are the node ids (the importer keeps only catalogs
    where they agree), the catalog by its document uuid and the imported file by its SHA-256."""

    catalog_uuid: Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                                                           r"[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    title: NonEmpty
    version: NonEmpty
    oscal_version: NonEmpty
    published: date
    file: NonEmpty
    """The catalog file's name as imported."""
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class Framework(ContentHeader):
    """A framework catalog: nodes in document order, parents before children."""

    kind: Literal["framework"] = "framework"
    publisher: str = ""
    oscal: OscalSource | None = None
    """Set when the framework was imported from an OSCAL catalog."""
    nodes: tuple[FrameworkNode, ...]

    def node(self, node_id: str) -> FrameworkNode:
        return self.index()[node_id]

    def index(self) -> dict[str, FrameworkNode]:
        """Nodes by id (built on each call; callers that loop should keep the result)."""
        return {n.id: n for n in self.nodes}

    def of_kind(self, kind: NodeKind) -> tuple[FrameworkNode, ...]:
        return tuple(n for n in self.nodes if n.kind == kind)


# --- Crosswalks ---------------------------------------------------------------------------------


class CrosswalkEntry(Model):
    """One mapped pair: `source` (in the source framework) relates to `target`.

    Relationships follow NIST's OLIR vocabulary, read as "source is <relationship> of target":
    equal, subset (source asks less than target), superset (more), intersect (overlap).
    """

    source: NonEmpty
    target: NonEmpty
    relationship: Literal["equal", "subset", "superset", "intersect", "incorporated_into", "moved_to"]
    rationale: str = ""


class SourceElement(Model):
    """An element of a crosswalk's source framework that is not shipped as a catalog.

    Used when the source framework only matters through this crosswalk (e.g. the CSF 1.1 elements
    withdrawn in CSF 2.0): the crosswalk then carries the source IDs itself.
    """

    id: NonEmpty
    kind: NodeKind
    title: str = ""
    text: str = ""


class Crosswalk(ContentHeader):
    """Mapped pairs from `source_framework` to `target_framework`.

    Source IDs are checked against the loaded source framework, or, when `source_elements` is
    given, against those elements (then `source_framework` must not also be a loaded framework).
    """

    kind: Literal["crosswalk"] = "crosswalk"
    source_framework: NonEmpty
    target_framework: NonEmpty
    authored_by: NonEmpty
    source_elements: tuple[SourceElement, ...] = ()
    entries: tuple[CrosswalkEntry, ...]


# --- Resilience metric definitions ---------------------------------------------------------------


class MetricDefinition(Model):
    """How a resilience metric is presented and judged.

    RAG rule: with `direction: higher_is_better`, value ≥ `green` is green, ≥ `amber` is amber,
    else red; with `lower_is_better`, value ≤ `green` is green, ≤ `amber` is amber, else red.
    A metric with no value is `missing`, whatever the thresholds.

    `combine` says how values of several environments or sites combine, always from their rows
    (evidence.tally): `sum` adds the counts, `max` takes the largest, `median` is the median of the
    pooled rows, `ratio` is the pooled numerator over the pooled denominator (as a percentage). It
    must be the rule of the metric's calculation (evidence.calculations), which checks it.
    """

    name: NonEmpty
    label: NonEmpty
    description: NonEmpty
    unit: Literal["pct", "count", "days", "minutes"]
    dataset: NonEmpty
    combine: Combine
    direction: Literal["higher_is_better", "lower_is_better"]
    green: float
    amber: float
    rationale: str = ""

    def rag(self, value: float) -> Literal["green", "amber", "red"]:
        """The RAG status of a (present) value under this definition's thresholds and direction."""
        if self.direction == "higher_is_better":
            return "green" if value >= self.green else "amber" if value >= self.amber else "red"
        return "green" if value <= self.green else "amber" if value <= self.amber else "red"


class MetricCatalog(ContentHeader):
    kind: Literal["metrics"] = "metrics"
    metrics: tuple[MetricDefinition, ...]


# --- Questionnaires ----------------------------------------------------------------------------


class FrameworkBinding(Model):
    """Which framework ids (and so which versions) a questionnaire's `csf` and `cpg` refer to."""

    csf: ContentId
    cpg: ContentId


class UncoveredNode(Model):
    id: NonEmpty
    reason: NonEmpty


class Section(Model):
    id: NonEmpty
    title: NonEmpty
    description: str = ""


class TargetProfile(Model):
    """Default target maturity per environment, used where a response leaves its target blank.

    Precedence: the question's own `target`, then the section's entry in `by_section`, then `default`.
    `due_date`: when the profile is to be reached (the overall target's due date); an assessment
    may set its own, which wins.
    """

    default: dict[Environment, Level]
    by_section: dict[str, dict[Environment, Level]] = {}
    due_date: date | None = None
    rationale: str = ""


class Question(Model):
    """One assessment question, answered per environment (IT and/or OT) on a 0–5 maturity scale.

    `weight` (1–3) scales the question inside rollups; `consequence` (1–5) is the safety/production
    impact when the practice fails, used to rank gaps. `metrics` names the resilience metrics that
    can verify the answer (their caps are in the questionnaire's `evidence_rules`).
    """

    id: NonEmpty
    section: NonEmpty
    text: NonEmpty
    guidance: NonEmpty
    evidence_requested: tuple[str, ...] = ()
    applies_to: tuple[Environment, ...]
    weight: Annotated[int, Field(ge=1, le=3)] = 1
    consequence: Annotated[int, Field(ge=1, le=5)]
    consequence_note: str = ""
    csf: tuple[str, ...] = ()
    cpg: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    target: dict[Environment, Level] = {}
    levels: dict[Level, NonEmpty]


class CapStep(Model):
    """A threshold: when the metric value passes `threshold`, the answer may reach `level`."""

    threshold: float
    level: Level


class EvidenceRule(Model):
    """The highest maturity a metric's value can support for the listed questions.

    Steps are tried from the first to the last; the first one the value passes gives the cap
    ("passes" means ≥ threshold when `direction` is higher_is_better, ≤ when lower_is_better).
    If none passes, the cap is `floor`. A missing metric caps nothing but leaves the response
    unverified.
    """

    metric: NonEmpty
    questions: tuple[NonEmpty, ...]
    direction: Literal["higher_is_better", "lower_is_better"] = "higher_is_better"
    steps: tuple[CapStep, ...]
    floor: Level = 1
    rationale: str = ""


class Scenario(Model):
    """A disruption the plants must withstand; readiness is read off its questions and metrics."""

    id: NonEmpty
    name: NonEmpty
    description: NonEmpty
    questions: tuple[NonEmpty, ...]
    metrics: tuple[NonEmpty, ...] = ()


class Questionnaire(ContentHeader):
    kind: Literal["questionnaire"] = "questionnaire"
    frameworks: FrameworkBinding
    uncovered_subcategories: tuple[UncoveredNode, ...] = ()
    target_profile: TargetProfile
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    evidence_rules: tuple[EvidenceRule, ...] = ()
    scenarios: tuple[Scenario, ...] = ()

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def default_target(self, question: Question, environment: Environment) -> int:
        """Target when a response leaves it blank (question, then section, then default)."""
        if environment in question.target:
            return question.target[environment]
        by_section = self.target_profile.by_section.get(question.section, {})
        if environment in by_section:
            return by_section[environment]
        return self.target_profile.default[environment]


ContentModel = Framework | Crosswalk | MetricCatalog | Questionnaire
