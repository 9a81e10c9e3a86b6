"""Plotly SVG → the same picture with less work for weasyprint's SVG renderer.

weasyprint parses every `style="…"` attribute with its CSS tokenizer and walks every node, and
plotly writes one style attribute per node plus many empty layer groups and invisible hover
shapes. Three rewrites, each leaving the drawing unchanged (checked pixel-for-pixel on the demo
charts):
- a simple `style` (plain `name: value` declarations, no `!important`) becomes presentation
  attributes; weasyprint lets the style attribute override attributes, and so do we;
- elements with `opacity` 0 or `display` none are dropped with their subtree (e.g. the
  invisible hover markers of a trace);
- groups with no children are dropped;
- leaf shapes that paint nothing are dropped: no fill (fill-opacity 0 or fill none) and no
  stroke (stroke-opacity 0, stroke-width 0 or stroke none).
The input is our own browser's output (user text in it is already XML-escaped by plotly).
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

SVG_NS = "http://www.w3.org/2000/svg"
_DECLARATION = re.compile(r"\s*([a-z-]+)\s*:\s*([^;]*?)\s*(?:;|$)")
_GROUP = f"{{{SVG_NS}}}g"
_SHAPES = {f"{{{SVG_NS}}}{tag}" for tag in ("path", "rect", "line", "circle", "ellipse", "polygon", "polyline")}

ElementTree.register_namespace("", SVG_NS)
ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")


def simplify_svg(data: bytes) -> bytes:
    """The simplified SVG document as UTF-8 bytes."""
    root = ElementTree.fromstring(data)
    _inline_style(root)
    _prune(root)
    return ElementTree.tostring(root, encoding="utf-8")


def _prune(parent: ElementTree.Element) -> None:
    for child in list(parent):
        _inline_style(child)
        _prune(child)
        if _paints_nothing(child):
            parent.remove(child)


def _inline_style(node: ElementTree.Element) -> None:
    style = node.get("style")
    if style is None:
        return
    declarations = _declarations(style)
    if declarations is not None:
        del node.attrib["style"]
        node.attrib.update(declarations)


def _declarations(style: str) -> dict[str, str] | None:
    """`name: value; …` as a dict, or None when the style is anything but that simple form."""
    found: dict[str, str] = {}
    end = 0
    for match in _DECLARATION.finditer(style):
        if match.start() != end:
            return None
        found[match.group(1)] = match.group(2)
        end = match.end()
    if style[end:].strip() or any("!" in value for value in found.values()):
        return None
    return found


def _paints_nothing(node: ElementTree.Element) -> bool:
    if node.get("opacity") == "0" or node.get("display") == "none":
        return True
    if len(node):
        return False
    if node.tag == _GROUP:
        return True
    if node.tag not in _SHAPES:
        return False
    no_fill = "fill" in node.attrib and (node.get("fill-opacity") == "0" or node.get("fill") == "none")
    no_stroke = (node.get("stroke-opacity") == "0" or node.get("stroke-width") in ("0", "0px")
                 or node.get("stroke") == "none")
    return no_fill and no_stroke
