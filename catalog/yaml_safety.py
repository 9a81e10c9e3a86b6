"""Read YAML content safely: safe constructors only, bounded size, no alias expansion bombs.

`yaml.safe_load` already refuses `!!python/object` and friends; on top of that we refuse files over
`MAX_CONTENT_BYTES` and documents that use more than `MAX_ALIASES` aliases (a "billion laughs"
document needs many aliases to blow up; hand-written content needs few or none).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from errors import ContentError, Problem

MAX_CONTENT_BYTES = 10 * 1024 * 1024
MAX_ALIASES = 100


class _BoundedSafeLoader(yaml.SafeLoader):
    """SafeLoader that counts alias uses and gives up past MAX_ALIASES."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._aliases_seen = 0

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            self._aliases_seen += 1
            if self._aliases_seen > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise yaml.YAMLError(
                    f"more than {MAX_ALIASES} YAML aliases (line {mark.line + 1}); "
                    "aliases are refused past that to prevent alias-expansion bombs"
                )
        return super().compose_node(parent, index)


def parse_yaml(text: str):
    """Parse YAML text with the bounded safe loader (raises yaml.YAMLError)."""
    loader = _BoundedSafeLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def load_yaml(path: Path):
    """Load one YAML file; any problem becomes a ContentError whose problems name the line."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ContentError(f"cannot read {path}", [Problem("", exc.strerror or str(exc))]) from None
    if size > MAX_CONTENT_BYTES:
        raise ContentError(
            "content file too large",
            [Problem("", f"{size} bytes; content files are limited to {MAX_CONTENT_BYTES} bytes")],
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError("not UTF-8", [Problem(f"byte {exc.start}", "the file is not valid UTF-8 text")]) from None
    try:
        return parse_yaml(text)
    except yaml.YAMLError as exc:
        raise ContentError("invalid YAML", [_yaml_problem(exc)]) from None


def _yaml_problem(exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"{context}: {problem}" if context else problem
    hint = ""
    if "python/" in message or "could not determine a constructor" in message:
        hint = "tags such as !!python/object are not allowed in content files"
    return Problem(where, f"YAML error: {message}", hint)
