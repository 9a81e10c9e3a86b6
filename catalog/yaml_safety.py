"""Read YAML content safely: safe constructors only, bounded size, depth and expansion.

`yaml.SafeLoader` already refuses `!!python/object` and friends. On top of it this loader refuses:
- files over `MAX_CONTENT_BYTES`, files that are not UTF-8, and empty files;
- nesting deeper than `MAX_DEPTH` (PyYAML recurses per level and would hit Python's limit);
- documents whose aliases expand to more than `MAX_EXPANDED_NODES` nodes, or refer to themselves.
  A "billion laughs" document is small as a graph but huge once validators walk it as a tree, so
  the expanded size is computed on the node graph, before anything is constructed;
- duplicate keys in a mapping (PyYAML would silently keep the last one);
- values the safe constructors cannot build (e.g. the date 2026-13-45).
Every refusal is a `ContentError` whose problem names the line and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from errors import ContentError, Problem

MAX_CONTENT_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_EXPANDED_NODES = 1_000_000
# libyaml parses ~10x faster than pure-Python PyYAML; construction stays PyYAML's safe constructor.
_BASE_LOADER = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader


class _BoundedSafeLoader(_BASE_LOADER):
    """Safe loader with duplicate-key detection and marked constructor errors."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, MappingNode):
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value:
                if isinstance(key_node, ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                    key = (key_node.tag, key_node.value)
                    if key in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None,
                            f"duplicate key '{key_node.value}' (first at line {seen[key].line + 1})",
                            key_node.start_mark,
                        )
                    seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as exc:
            # e.g. a timestamp-shaped scalar that is not a real date: report it where it is.
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {_shown(node)} as {node.tag.rsplit(':', 1)[-1]}: {exc}", node.start_mark
            ) from None


@dataclass(frozen=True)
class ParsedYaml:
    """Parsed data plus the node tree, kept to turn a data path into a line number."""

    data: Any
    root: Node | None

    def line_of(self, path: tuple[Any, ...]) -> int | None:
        """1-based line of the deepest node along `path` (keys and list indexes), if any."""
        node, line = self.root, None
        for step in path:
            if node is None:
                break
            line = node.start_mark.line + 1
            node = _child(node, step)
        if node is not None:
            line = node.start_mark.line + 1
        return line


def parse_yaml(text: str) -> ParsedYaml:
    """Parse YAML text with the bounded safe loader (raises yaml.YAMLError)."""
    aliases = _check_depth(text)
    loader = _BoundedSafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return ParsedYaml(None, None)
        if aliases:  # without aliases the node graph is a tree no bigger than the text
            _check_expansion(root)
        return ParsedYaml(loader.construct_document(root), root)
    finally:
        loader.dispose()


def read_yaml(path: Path) -> ParsedYaml:
    """Load one YAML file; any problem becomes a ContentError whose problems name the line."""
    try:
        if not path.is_file():
            raise ContentError(f"cannot read {path}", [Problem("", "not a file")])
        size = path.stat().st_size
        if size > MAX_CONTENT_BYTES:
            raise ContentError(
                "content file too large",
                [Problem("", f"{size} bytes; content files are limited to {MAX_CONTENT_BYTES} bytes")],
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError(f"cannot read {path}", [Problem("", exc.strerror or str(exc))]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(
            "not UTF-8",
            [Problem(f"line {line}, byte {exc.start}", "the file is not valid UTF-8 text", "save it as UTF-8")],
        ) from None
    try:
        parsed = parse_yaml(text)
    except yaml.YAMLError as exc:
        raise ContentError("invalid YAML", [_yaml_problem(exc, text)]) from None
    if parsed.root is None:
        raise ContentError("empty file", [Problem("", "the file is empty", "a content file starts with 'kind:' and the header fields")])
    return parsed


def _check_depth(text: str) -> int:
    """Refuse nesting deeper than MAX_DEPTH, from the event stream (composers recurse per level).

    Returns the number of aliases seen.
    """
    loader = _BASE_LOADER(text)
    depth = aliases = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise yaml.composer.ComposerError(None, None, f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    finally:
        loader.dispose()
    return aliases


def _check_expansion(root: Node) -> None:
    """Refuse self-referencing aliases and graphs that expand past MAX_EXPANDED_NODES."""
    sizes: dict[int, int] = {}
    # Iterative post-order walk; nodes shared through aliases are counted once per reference.
    stack: list[tuple[Node, bool]] = [(root, False)]
    on_path: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            total = 1 + sum(sizes[id(c)] for c in _children(node))
            if total > MAX_EXPANDED_NODES:
                raise yaml.composer.ComposerError(
                    None, None,
                    f"aliases expand to more than {MAX_EXPANDED_NODES:,} nodes (an alias-expansion bomb?)",
                    node.start_mark,
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise yaml.composer.ComposerError(None, None, "an alias refers to the node that contains it", node.start_mark)
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                raise yaml.composer.ComposerError(None, None, "an alias refers to the node that contains it", child.start_mark)
            if id(child) not in sizes:
                stack.append((child, False))


def _shown(node: Node) -> str:
    return repr(node.value)[:60] if isinstance(node, ScalarNode) else "this value"


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _child(node: Node, step: Any) -> Node | None:
    if isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return node.value[step]
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == str(step):
                return value_node
    return None


def _yaml_problem(exc: yaml.YAMLError, text: str) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        where = f"line {mark.line + 1}, column {mark.column + 1}"
    elif isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        where = f"line {line}"
    else:
        where = ""
    if isinstance(exc, yaml.reader.ReaderError):
        char = chr(exc.character) if isinstance(exc.character, int) else exc.character
        message = f"character {char!r} is not allowed in YAML"
    else:
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        message = f"{context}: {problem}" if context else problem
    hint = ""
    if "python/" in message or "could not determine a constructor" in message:
        hint = "tags such as !!python/object are not allowed in content files"
    return Problem(where, f"YAML error: {message}", hint)
