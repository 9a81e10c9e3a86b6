"""The board deck: the ReportContext as an editable 16:9 PowerPoint file (python-pptx).

Slides, in order (8 to 10):
 1. the answer in one sentence and the headline figures (with the verdict);
 2. verified vs claimed vs target, overall and per environment, with the trend;
 3. CSF 2.0 functions, IT vs OT;
 4. CISA CPG 2.0 goal status (per site too, enterprise);
 5. the resilience metrics that need attention;
 6. scenario readiness;
 7. accepted risk: open exceptions by age;
 8. top risks and the decisions asked of the board;
 9. path to target — only when the context carries a projection (exports.deck.path);
10. sites compared — enterprise report only.
Charts are native PowerPoint charts (exports.deck.native) holding the JSON report's values; every
slide's speaker notes give the method and the JSON field of each figure; drafts and reports in
review carry a DRAFT / IN REVIEW mark on every slide. The template is made in code
(exports.deck.style).
"""

from __future__ import annotations

import io
from datetime import datetime, time

from pptx import Presentation
from pptx.util import Inches

from exports.context import ReportContext
from exports.deck import evidence_slides, score_slides
from exports.deck.path import path_slide, projection_of
from exports.deck.style import SLIDE_H, SLIDE_W, clean


def render_deck(context: ReportContext) -> bytes:
    """The board deck of `context` as .pptx bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    _properties(prs, context)
    score_slides.answer_slide(prs, context)
    score_slides.scores_slide(prs, context)
    score_slides.functions_slide(prs, context)
    score_slides.cpg_slide(prs, context)
    evidence_slides.metrics_slide(prs, context)
    evidence_slides.scenarios_slide(prs, context)
    evidence_slides.exceptions_slide(prs, context)
    evidence_slides.decisions_slide(prs, context)
    projection = projection_of(context)
    if projection is not None:
        path_slide(prs, context, projection)
    if context.meta.kind == "enterprise" and context.sites:
        score_slides.sites_slide(prs, context)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _properties(prs, context: ReportContext) -> None:
    """Document properties from the report meta; dates are the generation date, so the same report
    rendered twice on one day has the same properties."""
    m = context.meta
    props = prs.core_properties
    props.title = clean(f"{m.title} · {m.subject} · {m.as_of.isoformat()}")
    props.subject = clean(f"Cyber resilience of {m.subject} ({m.organisation}), {m.scope}: NIST CSF 2.0 and CISA CPG 2.0")
    props.author = clean(m.assessor or m.organisation)
    props.last_modified_by = "Resilience Scorecard"
    props.keywords = "cyber resilience, NIST CSF 2.0, CISA CPG 2.0, OT, manufacturing"
    props.category = "" if m.is_final else m.status.replace("_", " ")
    props.revision = 1
    stamp = datetime.combine(m.generated_on or m.as_of, time())
    props.created = props.modified = stamp
    props.last_printed = stamp
