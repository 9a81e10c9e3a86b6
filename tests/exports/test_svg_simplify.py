"""The plotly SVG simplifier keeps what paints and drops what cannot."""

from __future__ import annotations

from xml.etree import ElementTree

from exports.svg_simplify import simplify_svg

NS = "{http://www.w3.org/2000/svg}"
SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="680" height="300">
<g class="layer-above"><g class="imagelayer"/><g class="shapelayer"/></g>
<g class="trace" style="opacity: 0;"><path d="M0,0h5" style="fill: rgb(1, 2, 3);"/></g>
<path id="hover" d="M0,0h9" style="stroke-width: 1px; stroke: rgb(0, 0, 0); stroke-opacity: 0; fill: rgb(0, 0, 0); fill-opacity: 0;"/>
<path id="bar" d="M0,0h9" style="fill: url('#pattern-1'); stroke: rgb(34, 34, 34); stroke-opacity: 1;"/>
<rect id="clip" width="5" height="5"/>
<text id="label" style="font-family: 'DejaVu Sans'; font-size: 10px; fill: rgb(34, 34, 34);">A &amp; B &lt;x&gt;</text>
<text id="odd" style="fill: red !important">kept as written</text>
</svg>"""


def _by_id(root):
    return {e.get("id"): e for e in root.iter() if e.get("id")}


def test_styles_become_attributes_and_invisible_nodes_go():
    root = ElementTree.fromstring(simplify_svg(SVG))
    nodes = _by_id(root)
    assert set(nodes) == {"bar", "clip", "label", "odd"}
    assert nodes["bar"].get("fill") == "url('#pattern-1')" and "style" not in nodes["bar"].attrib
    assert nodes["label"].get("font-family") == "'DejaVu Sans'" and nodes["label"].get("font-size") == "10px"
    assert nodes["label"].text == "A & B <x>"
    assert nodes["odd"].get("style") == "fill: red !important"
    assert not [g for g in root.iter(f"{NS}g")]
    assert root.get("width") == "680" and root.tag == f"{NS}svg"
