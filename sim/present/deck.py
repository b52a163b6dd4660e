"""The slide deck a consultant can hand to a boss: `make deck` / `python -m sim report --deck` ->
deck_zh.pptx and deck_en.pptx.

    from sim.present.deck import build_deck
    data = build_deck(finding, "zh")      # bytes of a .pptx; finding = sim.findings_of(sim.compare([...]))

The slides are the storyline's (sim.present.storyline: title with the question; the answer as the summary's
title; one recommendation with what it is worth, how sure it is and what it hinges on; one slide per
supporting finding, its title carrying its figure, with its chart; what to test first; appendix: key
figures, method, assumptions and sources, terms), each with speaker notes. This module only lays them out.

Native 16:9 (13.333 x 7.5 in). Titles, sentences and the key-figure table are editable text; charts are
PNG pictures drawn at 200 dpi with an installed CJK font, so they show the same on any machine. Editable
text names its fonts: Microsoft YaHei (微软雅黑) as the East Asian font of every run, with its panose and
GB2312 character set so that PowerPoint on a Mac without it substitutes a Simplified Chinese font, and the
theme naming PingFang SC for Simplified Chinese (Hans); the Latin font is Microsoft YaHei in the Chinese deck
and Calibri in the English one. A what-if (settings the user made with `--set`) is named in the footer of
every slide.
"""
from __future__ import annotations

import io
import math
import re

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from . import plots
from .inputs import shown
from .phrases import typeset
from .storyline import Slide, storyline, what_if_line

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.55)
TOP = Inches(1.45)                 # where a slide's body starts, under the (up to two-line) title
FOOT = Inches(7.0)                 # the footer line
DPI = 200
INK = RGBColor(0x22, 0x22, 0x22)
ACCENT = RGBColor(0x00, 0x5A, 0x9C)
GREY = RGBColor(0x55, 0x55, 0x55)
ALERT = RGBColor(0xC0, 0x4A, 0x00)
EAST_ASIAN = "Microsoft YaHei"     # 微软雅黑: Windows PowerPoint has it
EAST_ASIAN_MAC = "PingFang SC"     # named in the theme for Simplified Chinese (Hans): macOS has it
EA_ATTRS = {"panose": "020B0503020204020204", "pitchFamily": "34", "charset": "-122"}   # GB2312
LATIN = {"zh": EAST_ASIAN, "en": "Calibri"}
_CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")


# ----------------------------------------------------------------- text

def _fonts(run, lang: str) -> None:
    """Name the run's Latin and East Asian fonts (module docstring)."""
    run.font.name = LATIN[lang]
    rpr = run._r.get_or_add_rPr()
    for old in rpr.findall(qn("a:ea")):
        rpr.remove(old)
    ea = rpr.makeelement(qn("a:ea"), {"typeface": EAST_ASIAN, **EA_ATTRS})
    latin = rpr.find(qn("a:latin"))
    latin.addnext(ea)


def _width(text: str) -> float:
    """Width of a text in ems: a Chinese character or full-width mark is one em, anything else about half."""
    return sum(1.0 if _CJK.match(c) else 0.56 for c in text)


def _lines(paragraphs, size: float, width_in: float) -> int:
    per_line = width_in * 72 / size
    return sum(max(1, math.ceil(_width(p) / per_line)) for p in paragraphs)


def _fit(paragraphs, width, height, largest: int, smallest: int = 10, gap: float = 0.5) -> int:
    """The largest font size (pt) at which `paragraphs` fill at most `height` in a box `width` wide, with
    `gap` lines between paragraphs."""
    w, h = width / 914400 - 0.2, height / 914400 - 0.1
    for size in range(largest, smallest - 1, -1):
        if (_lines(paragraphs, size, w) * 1.15 + gap * len(paragraphs)) * size / 72 <= h:
            return size
    return smallest


def _title_size(title: str, width) -> int:
    """A message title's size: the largest from 26 pt down to 21 pt that keeps it on one line, else 24 pt on two."""
    room = (width / 914400 - 0.25) * 72
    return next((size for size in range(26, 20, -1) if _width(title) * size * 1.02 <= room), 24)


def _box(slide, left, top, width, height, paragraphs, lang, size=16, bold=False, color=INK, bullets=False,
         space: float = 0.5):
    """An editable text box, one paragraph per item (a (text, bold, colour) item sets its own run)."""
    box = slide.shapes.add_textbox(left, top, width, height)
    tf = box.text_frame
    tf.word_wrap = True
    for i, para in enumerate(paragraphs):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        runs = para if isinstance(para, list) else [(para, bold, color)]
        for j, (text, b, c) in enumerate(runs):
            run = p.add_run()
            run.text = ("• " if bullets and j == 0 else "") + typeset(text, lang)
            run.font.size, run.font.bold = Pt(size), b
            run.font.color.rgb = c
            _fonts(run, lang)
        if i:
            p.space_before = Pt(size * space)
    return box


def _notes(slide, notes: list[str], lang: str) -> None:
    tf = slide.notes_slide.notes_text_frame
    for i, text in enumerate(notes):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = p.add_run()
        run.text = typeset(text, lang)
        _fonts(run, lang)


# ----------------------------------------------------------------- slides

def _frame(prs, s: Slide, lang: str, page: int, pages: int, footer: str):
    """A blank slide with its message title, a rule under it, the footer (what-if, page) and its notes."""
    slide = prs.slides.add_slide(prs.slide_layouts[6])           # blank layout: every shape is ours
    width = WIDTH - 2 * MARGIN
    _box(slide, MARGIN, Inches(0.3), width, Inches(1.05), [s.title], lang, size=_title_size(s.title, width), bold=True,
         color=ACCENT)
    rule = slide.shapes.add_connector(1, MARGIN, Inches(1.36), WIDTH - MARGIN, Inches(1.36))
    rule.line.color.rgb, rule.line.width = ACCENT, Pt(1.25)
    _footer(slide, lang, page, pages, footer)
    _notes(slide, s.notes, lang)
    return slide


def _footer(slide, lang: str, page: int, pages: int, footer: str) -> None:
    if footer:
        _box(slide, MARGIN, FOOT, WIDTH - 2 * MARGIN - Inches(1.2), Inches(0.4), [footer], lang, size=11, bold=True,
             color=ALERT)
    _box(slide, WIDTH - MARGIN - Inches(1.1), FOOT, Inches(1.1), Inches(0.4), [f"{page} / {pages}"], lang, size=10,
         color=GREY)


def _title_slide(prs, s: Slide, lang: str, pages: int, footer: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    width = WIDTH - 2 * MARGIN
    bar = slide.shapes.add_shape(1, 0, Inches(2.0), Inches(0.25), Inches(2.4))
    bar.fill.solid()
    bar.fill.fore_color.rgb = ACCENT
    bar.line.fill.background()
    _box(slide, MARGIN, Inches(1.9), width, Inches(1.7), [s.title], lang, size=_fit([s.title], width, Inches(1.7), 36, 24,
                                                                                    gap=0), bold=True, color=ACCENT)
    _box(slide, MARGIN, Inches(3.9), width, Inches(1.6), s.body[:1], lang, size=17, color=GREY)
    if len(s.body) > 1:
        _box(slide, MARGIN, Inches(5.2), width, Inches(1.0), s.body[1:], lang, size=16, bold=True, color=ALERT)
    _footer(slide, lang, 1, pages, footer)
    _notes(slide, s.notes, lang)


def _bullets(slide, s: Slide, lang: str, largest: int = 22) -> None:
    width, height = WIDTH - 2 * MARGIN, FOOT - TOP - Inches(0.15)
    _box(slide, MARGIN, TOP + Inches(0.1), width, height, s.body, lang, size=_fit(s.body, width, height, largest, 11),
         bullets=True, space=0.6)


def _sections(slide, s: Slide, lang: str) -> None:
    """Headed sections, one paragraph each: the heading in bold accent, then its text."""
    width, height = WIDTH - 2 * MARGIN, FOOT - TOP - Inches(0.15)
    sep = ": " if lang == "en" else "："
    paras = [[(h + sep, True, ACCENT), (t, False, INK)] for h, t in s.sections]
    size = _fit([h + sep + t for h, t in s.sections], width, height, 21, 11, gap=0.6)
    _box(slide, MARGIN, TOP + Inches(0.1), width, height, paras, lang, size=size, space=0.6)


def _columns(slide, s: Slide, lang: str) -> None:
    """The assumptions: each section a heading and its lines, in two columns (the last section on the right)."""
    gap = Inches(0.3)
    width, height = (WIDTH - 2 * MARGIN - gap) // 2, FOOT - TOP - Inches(0.15)
    halves = [s.sections[:-1] or s.sections, s.sections[-1:] if len(s.sections) > 1 else []]
    texts = [[line for h, t in half for line in [h] + t.split("\n")] for half in halves]
    size = min(_fit(t, width, height, 15, 9, gap=0.25) for t in texts if t)
    for i, half in enumerate(halves):
        paras = [p for h, t in half for p in [[(h, True, ACCENT)]] + [[(line, False, INK)] for line in t.split("\n")]]
        if paras:
            _box(slide, MARGIN + i * (width + gap), TOP + Inches(0.1), width, height, paras, lang, size=size, space=0.25)


def _chart(slide, png: bytes, caption: str, lang: str) -> None:
    """The chart as large as fits under the title, centred, with its caption under it."""
    from PIL import Image
    w, h = Image.open(io.BytesIO(png)).size
    room = Inches(0.55) if caption else 0
    box_w, box_h = WIDTH - 2 * MARGIN, FOOT - TOP - room - Inches(0.1)
    scale = min(box_w / w, box_h / h)
    pw, ph = int(w * scale), int(h * scale)
    pic = slide.shapes.add_picture(io.BytesIO(png), Emu(int((WIDTH - pw) / 2)), TOP + Inches(0.05), Emu(pw), Emu(ph))
    if caption:
        _box(slide, MARGIN, pic.top + pic.height + Inches(0.02), WIDTH - 2 * MARGIN, room, [caption], lang, size=13,
             color=GREY)


def _table(slide, head, rows, lang: str) -> None:
    width = WIDTH - 2 * MARGIN
    first = Inches(2.6)
    row_h = Inches(0.5)
    shape = slide.shapes.add_table(len(rows) + 1, len(head), MARGIN, TOP + Inches(0.15), width, row_h * (len(rows) + 1))
    tbl = shape.table
    weights = [1.0] * (len(head) - 1)
    n_diff = sum(1 for h in head[1:] if " - " in h)          # difference columns hold longer cells
    weights[len(weights) - n_diff:] = [1.4] * n_diff
    tbl.columns[0].width = first
    for j, wgt in enumerate(weights, 1):
        tbl.columns[j].width = int((width - first) * wgt / sum(weights))
    size = 12 if len(head) <= 4 else 10
    for i, row in enumerate([head] + rows):
        for j, val in enumerate(row):
            cell = tbl.cell(i, j)
            cell.text = ""
            run = cell.text_frame.paragraphs[0].add_run()
            run.text = typeset(val, lang)
            run.font.size, run.font.bold = Pt(size), i == 0
            _fonts(run, lang)


def _theme_fonts(prs, lang: str) -> None:
    """The theme's fonts: Latin per language, Microsoft YaHei as East Asian, PingFang SC for Hans."""
    theme = prs.slide_masters[0].part.part_related_by(RT.THEME)
    xml = theme.blob.decode("utf-8")
    xml = re.sub(r'<a:latin typeface="[^"]*"/>', f'<a:latin typeface="{LATIN[lang]}"/>', xml)
    xml = xml.replace('<a:ea typeface=""/>', f'<a:ea typeface="{EAST_ASIAN}"/>')
    xml = re.sub(r'<a:font script="Hans" typeface="[^"]*"/>', f'<a:font script="Hans" typeface="{EAST_ASIAN_MAC}"/>', xml)
    theme._blob = xml.encode("utf-8")


def build_deck(obj, lang: str = "zh", charts: dict | None = None) -> bytes:
    """The deck of a finding (or of a comparison, inputs.shown) as .pptx bytes (module docstring).

    charts  {key: Figure} of plots.report_charts in `lang` (drawn here when not given)
    """
    plots.check_lang(lang)
    plots.font_family(lang)                       # Chinese deck without a CJK font: fail before drawing
    f = shown(obj)
    slides = storyline(f, lang)
    charts = charts if charts is not None else plots.report_charts(f, lang)
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    _theme_fonts(prs, lang)
    footer = what_if_line(f, lang)
    for page, s in enumerate(slides, 1):
        if s.kind == "title":
            _title_slide(prs, s, lang, len(slides), footer)
            continue
        slide = _frame(prs, s, lang, page, len(slides), footer)
        if s.chart is not None and s.chart in charts:
            _chart(slide, plots.to_png_bytes(charts[s.chart], dpi=DPI), s.caption, lang)
        elif s.table is not None:
            _table(slide, *s.table, lang)
        elif s.kind == "assumptions":
            _columns(slide, s, lang)
        elif s.sections:
            _sections(slide, s, lang)
        else:
            _bullets(slide, s, lang)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


__all__ = ["DPI", "EAST_ASIAN", "EAST_ASIAN_MAC", "build_deck"]
