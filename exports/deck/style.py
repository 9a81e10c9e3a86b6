"""The board deck's template, made in code (no binary template): a 16:9 page with a title, a
one-line takeaway, a footer, a DRAFT mark on drafts and speaker notes, plus the text boxes, tiles
and tables the slides are built from.

Geometry is in inches on a 13.333 × 7.5 in slide (PowerPoint's 16:9); type sizes in points. Text
is Arial (Liberation Sans where Arial is missing) so the deck reads the same on any machine.
Colours are the PDF's (exports.charts: the Okabe–Ito colour-blind-safe palette); a status is
always written in words as well as coloured. User text goes through `clean`: python-pptx escapes
markup, and characters XML cannot carry are dropped, so no user text can break the file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from exports.charts import BLUE, INK, VERMILLION
from exports.context import ReportContext
from exports.formatting import day, status

SLIDE_W, SLIDE_H = 13.333, 7.5
MARGIN = 0.5
CONTENT_TOP = 1.5
CONTENT_BOTTOM = 6.85
CONTENT_W = SLIDE_W - 2 * MARGIN
FONT = "Arial"
MUTED = "555555"
RULE = "D0D0D0"
WATERMARK = "EBEBEB"
BLANK_LAYOUT = 6
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def rgb(colour: str) -> RGBColor:
    """'#0072B2' or '0072B2' as an RGBColor."""
    return RGBColor.from_string(colour.lstrip("#").upper())


def mix(colour: str, other: str, share: float) -> str:
    """`colour` blended with `other` (share 0–1 of `other`), as 'RRGGBB': a pattern's foreground is
    the fill darkened towards ink, as the PDF draws its hatching at 40 % ink over the colour."""
    a, b = colour.lstrip("#"), other.lstrip("#")
    return "".join(f"{round(int(a[i:i + 2], 16) * (1 - share) + int(b[i:i + 2], 16) * share):02X}"
                   for i in (0, 2, 4))


def clean(text: str) -> str:
    """User text as it can be stored in the file: characters XML 1.0 cannot carry are dropped."""
    return _XML_ILLEGAL.sub("", text or "")


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in inches."""

    left: float
    top: float
    width: float
    height: float

    def emu(self) -> tuple[Emu, Emu, Emu, Emu]:
        return Inches(self.left), Inches(self.top), Inches(self.width), Inches(self.height)


CONTENT = Box(MARGIN, CONTENT_TOP, CONTENT_W, CONTENT_BOTTOM - CONTENT_TOP)


def halves(gap: float = 0.4, split: float = 0.5) -> tuple[Box, Box]:
    """The content area as a left and a right box; `split` is the left box's share of the width."""
    left_w = (CONTENT_W - gap) * split
    return (Box(MARGIN, CONTENT_TOP, left_w, CONTENT.height),
            Box(MARGIN + left_w + gap, CONTENT_TOP, CONTENT_W - gap - left_w, CONTENT.height))


def new_slide(prs, context: ReportContext, title: str, takeaway: str = ""):
    """A slide of the template: watermark (drafts) behind everything, title, takeaway, footer."""
    slide = prs.slides.add_slide(prs.slide_layouts[BLANK_LAYOUT])
    meta = context.meta
    if not meta.is_final:
        mark = "DRAFT" if meta.status == "draft" else "IN REVIEW"
        wm = text_box(slide, Box(1.2, 2.3, 11.0, 2.6), mark, size=120, bold=True, colour=WATERMARK,
                      align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
        wm.rotation = -20
        wm.name = "draft-watermark"
        badge = text_box(slide, Box(SLIDE_W - MARGIN - 3.0, 0.18, 3.0, 0.32),
                         f"{status(meta.status).upper()} — not approved", size=11, bold=True, colour=VERMILLION,
                         align=PP_ALIGN.RIGHT)
        badge.name = "draft-badge"
    accent = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *Box(MARGIN, 0.5, 0.08, 0.62).emu())
    _fill(accent, BLUE)
    text_box(slide, Box(MARGIN + 0.22, 0.42, CONTENT_W - 0.22, 0.62), title, size=26, bold=True).name = "title"
    if takeaway:
        text_box(slide, Box(MARGIN + 0.22, 1.02, CONTENT_W - 0.22, 0.42), takeaway, size=14,
                 colour=MUTED).name = "takeaway"
    rule = slide.shapes.add_connector(1, Inches(MARGIN), Inches(7.0), Inches(SLIDE_W - MARGIN), Inches(7.0))
    rule.line.color.rgb = rgb(RULE)
    subject = meta.subject if meta.subject.startswith(meta.organisation) else f"{meta.organisation} · {meta.subject}"
    footer = f"{subject} · as of {day(meta.as_of)} · Confidential · {meta.frameworks}"
    text_box(slide, Box(MARGIN, 7.04, CONTENT_W - 1.0, 0.3), footer, size=9, colour=MUTED).name = "footer"
    number = text_box(slide, Box(SLIDE_W - MARGIN - 1.0, 7.04, 1.0, 0.3), str(len(prs.slides)),
                      size=9, colour=MUTED, align=PP_ALIGN.RIGHT)
    number.name = "slide-number"
    return slide


def notes(slide, method: str, sources: Sequence[str]) -> None:
    """Speaker notes: how the slide's figures are made, then where each one comes from."""
    lines = ["Method: " + method, "", "Sources:"] + [f"- {s}" for s in sources]
    slide.notes_slide.notes_text_frame.text = clean("\n".join(lines))


def text_box(slide, box: Box, text: str, *, size: float = 14, bold: bool = False, colour: str = INK,
             align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP):
    """A text box with one paragraph per line of `text`, wrapped to the box."""
    shape = slide.shapes.add_textbox(*box.emu())
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Inches(0.04)
    frame.margin_top = frame.margin_bottom = Inches(0.02)
    for index, line in enumerate(clean(text).split("\n")):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = align
        _run(paragraph, line, size, bold, colour)
    return shape


def bullets(slide, box: Box, items: Sequence[tuple[str, str]], *, size: float = 14, empty: str = "") -> None:
    """Numbered items, each a bold title and a detail line beneath it (the PDF's summary lists)."""
    shape = slide.shapes.add_textbox(*box.emu())
    frame = shape.text_frame
    frame.word_wrap = True
    if not items:
        _run(frame.paragraphs[0], empty, size, False, MUTED)
        return
    for index, (title, detail) in enumerate(items):
        head = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        head.space_before = Pt(0 if index == 0 else 10)
        _run(head, f"{index + 1}. {title}", size, True, INK)
        if detail:
            line = frame.add_paragraph()
            _run(line, detail, size - 2, False, MUTED)


def tile(slide, box: Box, label: str, value: str, note: str) -> None:
    """A headline figure: label, large value, small note, on a light panel."""
    panel = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *box.emu())
    _fill(panel, "F3F6F9")
    panel.line.color.rgb = rgb(RULE)
    text_box(slide, Box(box.left + 0.1, box.top + 0.08, box.width - 0.2, 0.5), label, size=12, colour=MUTED)
    text_box(slide, Box(box.left + 0.1, box.top + 0.5, box.width - 0.2, 0.75), value, size=30, bold=True,
             colour=INK)
    text_box(slide, Box(box.left + 0.1, box.top + 1.25, box.width - 0.2, box.height - 1.3), note, size=11,
             colour=MUTED)


def table(slide, box: Box, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
          *, size: float = 11, fills: dict[tuple[int, int], tuple[str, str]] | None = None):
    """A plain table: bold header on a light rule, one row per item. `widths` are relative column
    widths, scaled to the box; `fills` maps (row, column) of a body cell to (background, text
    colour), for status cells that are coloured *and* worded."""
    shape = slide.shapes.add_table(len(rows) + 1, len(header), *box.emu())
    grid = shape.table
    grid.first_row = True
    total = sum(widths)
    for index, width in enumerate(widths):
        grid.columns[index].width = Inches(box.width * width / total)
    for r, values in enumerate([header, *rows]):
        grid.rows[r].height = Inches(0.3)
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            cell.margin_left = cell.margin_right = Inches(0.06)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            background, colour = ("E8EEF4", INK) if r == 0 else (fills or {}).get((r - 1, c), ("FFFFFF", INK))
            cell.fill.solid()
            cell.fill.fore_color.rgb = rgb(background)
            cell.text_frame.word_wrap = True
            _run(cell.text_frame.paragraphs[0], str(value), size, r == 0, colour)
    return shape


def _run(paragraph, text: str, size: float, bold: bool, colour: str) -> None:
    run = paragraph.add_run()
    run.text = clean(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = rgb(colour)


def _fill(shape, colour: str) -> None:
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb(colour)
    shape.line.fill.background()
    shape.shadow.inherit = False
