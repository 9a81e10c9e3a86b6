"""What the OSCAL assessment results and the POA&M share: deterministic UUIDs, properties in the
product's namespace, the document metadata, the back-matter that cites the catalogs, and the
questionnaire's links from questions to CSF subcategories, CPG goals and metrics.

Rules:
- Every UUID is a version-5 UUID of the assessment's stable uid (ReportMeta.assessment_uid) and a
  path naming the object ("finding", "GV.OC-01"): exporting the same assessment again gives the
  same UUIDs, and the AR and the POA&M of one assessment name the same finding by the same UUID.
- Properties the OSCAL model does not define carry the namespace NS; values are text, numbers
  unrounded to 4 decimals; a property with no value is left out (OSCAL forbids empty values).
- Dates are the report's: `collected` and `start` are the as-of date at 00:00 UTC,
  `last-modified` the day the report was generated.
- OSCAL's title, description, remarks, statement and citation text are markup (Markdown in JSON):
  `escape_markup` backslash-escapes the characters that would start markup or HTML in them, so no
  user text (a site name, an owner, a note) becomes a link, an emphasis or a tag in a GRC tool.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date

from catalog.content_catalog import Catalog
from catalog.models import Framework
from exports.context import ReportContext

OSCAL_VERSION = "1.2.3"
NS = "urn:resilience-scorecard:oscal"
"""The namespace of the product's own properties (a URN: the product has no web address)."""
ROOT = uuid.uuid5(uuid.NAMESPACE_URL, NS)
CSF_ID, CPG_ID = "nist-csf-2.0", "cisa-cpg-2.0"
MARKUP_KEYS = frozenset({"title", "description", "remarks", "statement", "text"})
_MARKUP = re.compile(r"([\\`*_\[\]<>&])")
_SPACE = re.compile(r"\s+")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Question:
    """A question's links in the questionnaire: CSF subcategories, CPG goal ids, metrics."""

    csf: tuple[str, ...] = ()
    cpg: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sources:
    """The content the documents cite: the CSF framework (with its OSCAL source), the CPG
    framework, and the questionnaire's question links."""

    csf: Framework
    cpg: Framework | None
    questionnaire: str
    questions: dict[str, Question] = field(default_factory=dict)


def sources(context: ReportContext, catalog: Catalog) -> Sources:
    """The CSF and CPG frameworks and the question links of the report's questionnaire."""
    qid = context.meta.questionnaire.split(" ", 1)[0]
    questionnaire = catalog.questionnaire(qid)
    csf = catalog.framework(questionnaire.frameworks.csf or CSF_ID)
    cpg = catalog.frameworks.get(questionnaire.frameworks.cpg or CPG_ID)
    questions = {q.id: Question(tuple(q.csf), tuple(q.cpg), tuple(q.metrics)) for q in questionnaire.questions}
    return Sources(csf=csf, cpg=cpg, questionnaire=context.meta.questionnaire, questions=questions)


class Ids:
    """Deterministic UUIDs of one assessment's OSCAL objects (module docstring)."""

    def __init__(self, context: ReportContext):
        m = context.meta
        self.seed = m.assessment_uid or "|".join((m.kind, m.organisation, m.subject, m.as_of.isoformat()))

    def __call__(self, *path: object) -> str:
        return str(uuid.uuid5(ROOT, "\x1f".join((self.seed, *(str(p) for p in path)))))


def subject_uuid(context: ReportContext) -> str:
    """The UUID of the subject assessed (a site, or the enterprise): the same across assessments."""
    m = context.meta
    return str(uuid.uuid5(ROOT, "\x1f".join(("subject", m.organisation, m.subject))))


def text(value: object) -> str:
    """Text as OSCAL stores it: characters XML cannot carry dropped, whitespace runs made one space,
    trimmed (OSCAL's string type allows no leading or trailing space)."""
    return _SPACE.sub(" ", _ILLEGAL.sub("", str(value))).strip()


def escape_markup(node):
    """The document with every markup field's special characters backslash-escaped (module docstring)."""
    if isinstance(node, dict):
        return {k: _MARKUP.sub(r"\\\1", v) if k in MARKUP_KEYS and isinstance(v, str) else escape_markup(v)
                for k, v in node.items()}
    if isinstance(node, list):
        return [escape_markup(v) for v in node]
    return node


def prop(name: str, value: object, *, ns: str | None = NS) -> dict | None:
    """One property, or None when it has no value; floats to 4 decimals."""
    if value is None:
        return None
    if isinstance(value, float):
        value = f"{value:.4f}".rstrip("0").rstrip(".")
    value = text(value)
    if not value:
        return None
    out = {"name": name, "value": value}
    if ns:
        out["ns"] = ns
    return out


def props(*items: dict | None) -> list[dict]:
    return [item for item in items if item is not None]


def stamp(day: date) -> str:
    """A calendar date as an OSCAL date-time: midnight UTC."""
    return f"{day.isoformat()}T00:00:00Z"


def token(value: str) -> str:
    """An OSCAL token from an id: characters other than letters, digits, '.', '-', '_' become '-'."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "-", value)
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else f"_{cleaned}"


def metadata(context: ReportContext, ids: Ids, title: str) -> dict:
    """Document metadata: title, dates, version (as-of date and status), the organisation and the
    assessor as parties, the report's scope and status as properties."""
    m = context.meta
    organisation = {"uuid": ids("party", "organisation"), "type": "organization", "name": text(m.organisation)}
    parties = [organisation]
    roles = [{"id": "prepared-for", "title": "Prepared for"}]
    responsible = [{"role-id": "prepared-for", "party-uuids": [organisation["uuid"]]}]
    if text(m.assessor):
        assessor = {"uuid": ids("party", "assessor"), "type": "person", "name": text(m.assessor)}
        parties.append(assessor)
        roles.append({"id": "assessor", "title": "Assessor"})
        responsible.append({"role-id": "assessor", "party-uuids": [assessor["uuid"]]})
    return {
        "title": text(title),
        "published": stamp(m.generated_on or m.as_of),
        "last-modified": stamp(m.generated_on or m.as_of),
        "version": f"{m.as_of.isoformat()} {m.status}",
        "oscal-version": OSCAL_VERSION,
        "props": props(prop("report-kind", m.kind), prop("assessment-id", m.assessment_id),
                       prop("assessment-uid", m.assessment_uid), prop("status", m.status), prop("scope", m.scope),
                       prop("as-of", m.as_of.isoformat()), prop("questionnaire", m.questionnaire)),
        "roles": roles,
        "parties": parties,
        "responsible-parties": responsible,
        **({"remarks": text(m.basis)} if text(m.basis) else {}),
    }


def back_matter(context: ReportContext, ids: Ids, src: Sources) -> dict:
    """The cited sources: the CSF 2.0 OSCAL catalog (its own document uuid, file and SHA-256), the
    CPG 2.0 goals and the questionnaire the assessment followed (the assessment plan)."""
    resources = [plan_resource(context, ids)]
    oscal = src.csf.oscal
    if oscal is not None:
        resources.append({
            "uuid": oscal.catalog_uuid,
            "title": text(oscal.title),
            "description": text(f"{src.csf.name}: NIST's OSCAL catalog, the controls the findings cite by id."),
            "props": props(prop("version", oscal.version, ns=None), prop("oscal-version", oscal.oscal_version),
                           prop("published", oscal.published.isoformat(), ns=None)),
            "citation": {"text": text(src.csf.source)},
            "rlinks": [{"href": oscal.file, "media-type": "application/oscal.catalog+json",
                        "hashes": [{"algorithm": "SHA-256", "value": oscal.sha256}]}],
        })
    if src.cpg is not None:
        resources.append({"uuid": ids("resource", src.cpg.id), "title": text(src.cpg.name),
                          "description": "The goals the CPG findings cite; not published as OSCAL.",
                          "props": props(prop("version", src.cpg.version, ns=None)),
                          "citation": {"text": text(src.cpg.source)}})
    return {"resources": resources}


def plan_resource(context: ReportContext, ids: Ids) -> dict:
    """The assessment plan: the questionnaire, its scope and as-of date (no separate OSCAL plan exists)."""
    m = context.meta
    return {"uuid": ids("resource", "assessment-plan"),
            "title": text(f"Assessment plan: questionnaire {m.questionnaire}"),
            "description": text(f"The questionnaire {m.questionnaire} answered for {m.subject} ({m.scope}) as of "
                                f"{m.as_of.isoformat()}, with evidence files checking the answers (Resilience "
                                "Scorecard docs/methodology.md)."),
            "props": props(prop("scope", m.scope), prop("as-of", m.as_of.isoformat()))}


def goal_target_id(goal_id: str) -> str:
    """A CPG goal as an objective id: 'cpg-2.0-3.F' for '2.0:3.F'."""
    return token("cpg-" + goal_id.replace(":", "-"))
