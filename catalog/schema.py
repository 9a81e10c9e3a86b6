"""JSON Schema of every content kind, generated from the pydantic models (for editors and CI).

Each schema gets a `$schema` and `$id` so editors (e.g. VS Code's YAML extension, via a
`# yaml-language-server: $schema=...` comment) can validate content files while they are typed.
"""

from __future__ import annotations

import json

from catalog.loader import MODELS_BY_KIND

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def content_schemas() -> dict[str, dict]:
    """File name → JSON Schema, one per content kind (`framework.schema.json`, ...)."""
    out: dict[str, dict] = {}
    for kind, model in MODELS_BY_KIND.items():
        schema = model.model_json_schema(mode="validation")
        name = f"{kind}.schema.json"
        out[name] = {"$schema": SCHEMA_DIALECT, "$id": name, **schema}
    return out


def schema_texts() -> dict[str, str]:
    """The schemas serialised deterministically (sorted keys, 2-space indent, final newline)."""
    return {name: json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n" for name, schema in content_schemas().items()}
