"""Content use cases: load the catalog once per process, validate files, views, coverage, import.

The views and coverage read the context's catalog (services.context); `get_catalog` (defined with
the context) loads the configured content folder once per process.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import config
from catalog.coverage import FrameworkCoverage, questionnaire_coverage
from catalog.models import Crosswalk, Framework
from catalog.oscal import crosswalk_from_oscal, framework_from_oscal, read_oscal
from catalog.schema import schema_texts
from catalog.validation import ValidationReport, validate_paths
from catalog.views import framework_view, questionnaire_view
from catalog.writer import dump_content
from evidence.presets import is_preset_file
from services.context import Context
from services.context import get_catalog as get_catalog  # the loader, named here for its callers
from services.evidence_presets import PRESET_FOLDER, validate_presets


def validate_content(paths: Sequence[Path] = ()) -> ValidationReport:
    """Validate content files or folders (none: the configured content folder, evidence presets
    included); never raises for content. Preset files (`kind: evidence-preset`, or a `presets`
    folder) are checked by services.evidence_presets, the rest by the catalog."""
    if not paths:
        report = validate_paths((), config.content_dir())
        report.merge(validate_presets())
        return report
    presets = [p for p in paths if (p.is_dir() and p.name == PRESET_FOLDER) or (p.is_file() and is_preset_file(p))]
    others = [p for p in paths if p not in presets]
    report = validate_paths(others, config.content_dir()) if others else ValidationReport()
    for path in presets:
        report.merge(validate_presets(sorted(path.glob("*.y*ml")) if path.is_dir() else [path]))
    return report


def framework_data(ctx: Context, framework_id: str) -> dict:
    """`scorecard catalog show --json` shape (raises ContentError for an unknown id)."""
    return framework_view(ctx.catalog.framework(framework_id))


def questionnaire_data(ctx: Context, questionnaire_id: str) -> dict:
    """`scorecard questionnaire show --json` shape."""
    return questionnaire_view(ctx.catalog.questionnaire(questionnaire_id))


def coverage(ctx: Context, questionnaire_id: str) -> dict[str, FrameworkCoverage]:
    """Coverage of the questionnaire's frameworks, keyed by framework id."""
    catalog = ctx.catalog
    return questionnaire_coverage(catalog.questionnaire(questionnaire_id), catalog.frameworks)


def coverage_data(ctx: Context, questionnaire_id: str) -> dict[str, dict]:
    """`scorecard coverage --json` shape: per framework id, counts per node kind and uncovered IDs."""
    return {fw_id: cov.as_dict() for fw_id, cov in coverage(ctx, questionnaire_id).items()}


def import_oscal(path: Path) -> tuple[Framework, Crosswalk]:
    """The CSF 2.0 framework and the CSF 1.1 → 2.0 crosswalk read from an OSCAL catalog file."""
    oscal = read_oscal(path)
    return framework_from_oscal(oscal), crosswalk_from_oscal(oscal)


def render_content(model: Framework | Crosswalk) -> str:
    """A content model as the YAML text the loader reads back."""
    return dump_content(model)


def content_schemas() -> dict[str, str]:
    """JSON Schema texts by file name, one per content kind."""
    return schema_texts()
