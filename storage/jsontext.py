"""Canonical JSON text for Text columns: sorted keys, no spaces, dates as ISO strings.

One encoding everywhere makes stored values, audit entries and bundles byte-stable.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default)


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)
