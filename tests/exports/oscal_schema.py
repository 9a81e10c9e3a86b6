"""NIST's OSCAL JSON schemas (tests/data/oscal, see PROVENANCE.md there) as validators.

The schemas write OSCAL's token pattern with Unicode property classes (`\\p{L}` letters, `\\p{N}`
numbers) that Python's `re` does not know; the `pattern` keyword here rewrites them to the
equivalent classes `re` has (`[^\\W\\d_]` any letter, `\\d` any decimal digit) and is otherwise
jsonschema's own check.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import jsonschema
from jsonschema import Draft7Validator

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "oscal"
FILES = {"assessment-results": "oscal_assessment-results_schema.json", "plan-of-action-and-milestones":
         "oscal_poam_schema.json"}
_UNICODE_CLASSES = {r"\p{L}": r"[^\W\d_]", r"\p{N}": r"\d"}


@cache
def _python_pattern(pattern: str) -> re.Pattern:
    for oscal, python in _UNICODE_CLASSES.items():
        pattern = pattern.replace(oscal, python)
    return re.compile(pattern)


def _pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not _python_pattern(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


OscalValidator = jsonschema.validators.extend(Draft7Validator, {"pattern": _pattern})


@cache
def validator(model: str) -> Draft7Validator:
    """The validator of one OSCAL model: assessment-results or plan-of-action-and-milestones."""
    schema = json.loads((SCHEMAS / FILES[model]).read_text(encoding="utf-8"))
    return OscalValidator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def errors(document: dict) -> list[str]:
    """Every schema violation of an OSCAL document, as 'path: message' lines (empty: valid)."""
    (model,) = document.keys()
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(model).iter_errors(document)]
