"""Write content models back to YAML, in the same shape the loader reads.

Fields left at their default are omitted (so a CSF subcategory does not carry empty CPG fields),
except the header's `kind`, which always comes first. Output is deterministic: the same model
gives byte-identical text, so a regenerated catalog shows as "no change" in git.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml

from catalog.models import ContentModel

LINE_WIDTH = 100


class _ContentDumper(yaml.SafeDumper):
    """Safe dumper that indents list items under their key (the style hand-written files use)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        """Write a value met twice (e.g. the same date) in full, never as an anchor and alias."""
        return True


def dump_content(model: ContentModel) -> str:
    """The model as YAML text, header first, defaults omitted."""
    data = model.model_dump(mode="python", exclude_defaults=True)
    ordered = {"kind": model.kind, **{k: v for k, v in data.items() if k != "kind"}}
    return yaml.dump(
        _plain(ordered),
        Dumper=_ContentDumper,
        sort_keys=False,
        allow_unicode=True,
        width=LINE_WIDTH,
        default_flow_style=False,
    )


def _plain(value: Any) -> Any:
    """Tuples to lists, recursively; dates stay dates (YAML writes them unquoted)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, date) or value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
