"""Strict JSON for files from outside (bundles): UTF-8, no duplicate keys, no NaN or Infinity.

Python's json module keeps the last of two equal keys and reads NaN and Infinity; in a file that
another system wrote, the first is ambiguous (which value did the writer mean?) and the second is
not JSON. Both are refused with the file named, instead of being read silently.
"""

from __future__ import annotations

import json
from typing import Any

from errors import Problem


def parse_strict(raw: bytes, where: str, problems: list[Problem]) -> Any:
    """The parsed value, or None after adding a Problem located at `where`."""
    try:
        return json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except UnicodeDecodeError as exc:
        problems.append(Problem(where, f"not UTF-8 (byte {exc.start})"))
    except _StrictJSONError as exc:
        problems.append(Problem(where, str(exc)))
    except ValueError as exc:
        problems.append(Problem(where, f"not JSON: {exc}"))
    return None


class _StrictJSONError(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _StrictJSONError(f"duplicate key '{key[:80]}' in one object (which one counts is ambiguous)")
        seen[key] = value
    return seen


def _no_constant(text: str) -> Any:
    raise _StrictJSONError(f"{text} is not a number JSON allows")
