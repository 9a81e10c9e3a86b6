"""`Catalog`: all loaded content (frameworks, crosswalks, metric catalogs, questionnaires) by
content id, and the file each came from. `catalog.loader` builds it; everything else reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from catalog.models import (
    ContentModel,
    Crosswalk,
    Framework,
    MetricCatalog,
    MetricDefinition,
    Questionnaire,
)
from errors import ContentError, Problem


@dataclass(frozen=True)
class Catalog:
    """All loaded content, keyed by content id. `sources` maps each id to the file it came from."""

    frameworks: dict[str, Framework] = field(default_factory=dict)
    crosswalks: dict[str, Crosswalk] = field(default_factory=dict)
    metric_catalogs: dict[str, MetricCatalog] = field(default_factory=dict)
    questionnaires: dict[str, Questionnaire] = field(default_factory=dict)
    sources: dict[str, Path] = field(default_factory=dict)

    def metric_definitions(self) -> dict[str, MetricDefinition]:
        """Every metric definition by name, across metric catalogs."""
        return {m.name: m for mc in self.metric_catalogs.values() for m in mc.metrics}

    def framework(self, framework_id: str) -> Framework:
        try:
            return self.frameworks[framework_id]
        except KeyError:
            raise ContentError(
                f"unknown framework '{framework_id}'",
                [Problem("", f"known frameworks: {', '.join(sorted(self.frameworks)) or 'none'}")],
            ) from None

    def questionnaire(self, questionnaire_id: str) -> Questionnaire:
        try:
            return self.questionnaires[questionnaire_id]
        except KeyError:
            known = ", ".join(sorted(self.questionnaires)) or "none"
            raise ContentError(
                f"unknown questionnaire '{questionnaire_id}'", [Problem("", f"known: {known}")]
            ) from None

    def add(self, model: ContentModel, path: Path) -> None:
        """Register a model (the loader's use; the catalog is read-only once loaded)."""
        registry = {
            "framework": self.frameworks,
            "crosswalk": self.crosswalks,
            "metrics": self.metric_catalogs,
            "questionnaire": self.questionnaires,
        }[model.kind]
        registry[model.id] = model
        self.sources[model.id] = path
