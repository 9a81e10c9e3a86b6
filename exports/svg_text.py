"""Draw each plain SVG text run of a chart as one string instead of letter by letter.

weasyprint 70 lays out and draws SVG text one character at a time (so that per-letter `x`, `dx`,
`rotate`… lists work), one Pango layout per letter: the CPG heatmap's ~5,000 characters cost a
third of a second. Plotly's labels never use per-letter positions, so for a run with at most one
value in each of x, y, dx and dy, no rotate, no textLength and no letter spacing, the letters are
placed exactly where one shaped string puts them. For such runs the node's text is replaced by a
`WholeText`: a str that iterates as a single "letter", so weasyprint's own text routine lays out
and draws the run once, with the same position, anchor, bounding box and fill. Any other run is
left to the per-letter path. Relies on weasyprint 70's svg.Node (pinned); the chart tests check
that chart text is still drawn and extractable.
"""

from __future__ import annotations

import re

from weasyprint.svg import SVG, Node

TEXT_TAGS = frozenset(("text", "tspan"))
_SEPARATOR = re.compile(r"[\s,]+")


class WholeText(str):
    """Text that weasyprint's per-letter loop sees as one letter: the whole run."""

    __slots__ = ()

    def __iter__(self):
        yield str(self)


def draw_runs_whole(svg: SVG) -> int:
    """Mark every eligible text run of a parsed SVG to be drawn whole; returns how many.

    Walking the tree makes weasyprint apply its cascade (inherited attributes, whitespace) now,
    which it would otherwise do while drawing; it keeps the result, so drawing sees the marks."""
    marked = 0
    stack: list[Node] = [svg.tree]
    while stack:
        node = stack.pop()
        children = list(node)
        if node.tag in TEXT_TAGS and node.text and _single_run(node):
            node._etree_node.text = WholeText(node.text)
            marked += 1
        stack.extend(children)
    return marked


def _single_run(node: Node) -> bool:
    for key in ("x", "y", "dx", "dy"):
        value = (node.get(key) or "").strip()
        if value and len(_SEPARATOR.split(value)) > 1:
            return False
    if node.get("rotate") or node.get("textLength"):
        return False
    return (node.get("letter-spacing") or "normal").strip() in ("normal", "0", "0px")
