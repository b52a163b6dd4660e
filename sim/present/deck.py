"""The slide deck for the boss: `make deck` / `python -m sim report --deck [--lang en]` -> out/report.pptx.

    from sim.present.deck import build_deck
    data = build_deck(finding, "zh")      # bytes of a .pptx; finding = sim.findings_of(sim.compare([...]))

Native 16:9 (13.333 x 7.5 in). Titles, sentences and the key-figure table are editable text (text
boxes and a PowerPoint table); charts are PNG pictures drawn at 200 dpi, so their fonts (including the
Chinese one) are part of the image and show the same on any machine. Slides, in order:

  1  title: what was compared and how it was run
  2  the answer: the stated conclusions (sim.present.conclusions), generated from the numbers, with each
     verdict's hinge when the finding was checked across plausible worlds
  3  key figures: a table of averages with 90% intervals and paired differences (tables.comparison_rows)
  4  the J-curve with its deepest point and payback day marked
  5  the LTV bridge (one slide per further strategy)
  6  where users go (flows)
  7  cohort retention
  8+ the lever waterfall (when explained) and the worlds chart (when checked)
  last  assumptions and sources (each input's provenance: setting, default and its source, fitted)

The charts are the report's Figure objects (plots.report_charts), drawn here at the deck's resolution.
"""
from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from . import plots
from .conclusions import conclusions
from .inputs import shown
from .report_text import assumptions, how_to_read, setup_line, text
from .tables import comparison_rows

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
DPI = 200
INK = RGBColor(0x22, 0x22, 0x22)
ACCENT = RGBColor(0x00, 0x72, 0xB2)
GREY = RGBColor(0x55, 0x55, 0x55)
DECK_CHARTS = ("j_curve", "ltv_bridge", "flows", "retention", "levers", "worlds")   # the report's charts, in deck order


def _font(lang: str) -> str:
    """Font name for editable text: the CJK font the charts use for Chinese, else a common sans."""
    return (plots.cjk_font() or "Microsoft YaHei") if lang == "zh" else "Calibri"


def _text(slide, left, top, width, height, paragraphs, lang, size=18, bold=False, color=INK, bullets=False):
    """An editable text box with one paragraph per item of `paragraphs`."""
    box = slide.shapes.add_textbox(left, top, width, height)
    tf = box.text_frame
    tf.word_wrap = True
    for i, para in enumerate(paragraphs):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = p.add_run()
        run.text = ("• " if bullets else "") + para
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, _font(lang)
        run.font.color.rgb = color
        if bullets:
            p.space_after = Pt(10)
    return box


def _fit(paragraphs: list[str], lang: str, largest: int = 20, smallest: int = 11) -> int:
    """The largest font size (pt) at which the paragraphs fill at most the body of a slide: lines are
    estimated from the characters that fit on one line (a Chinese character is about twice as wide)."""
    width_in, height_in = (WIDTH - 2 * MARGIN) / 914400, (HEIGHT - Inches(1.8)) / 914400
    for size in range(largest, smallest - 1, -1):
        per_line = width_in * 72 / (size * (0.95 if lang == "zh" else 0.5))
        lines = sum(-(-len(p) // int(per_line)) for p in paragraphs)
        if lines * size * 1.25 / 72 + len(paragraphs) * 10 / 72 <= height_in:
            return size
    return smallest


def _slide(prs, title: str, lang: str):
    slide = prs.slides.add_slide(prs.slide_layouts[6])          # blank layout: every shape is ours
    _text(slide, MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.8), [title], lang, size=28, bold=True,
          color=ACCENT)
    return slide


def _picture(slide, png: bytes, top=Inches(1.15), bottom_room=Inches(0.9)):
    """Place a chart as large as fits under the title, centred, keeping its aspect ratio."""
    from PIL import Image
    w, h = Image.open(io.BytesIO(png)).size
    box_w, box_h = WIDTH - 2 * MARGIN, HEIGHT - top - bottom_room
    scale = min(box_w / w, box_h / h)
    pw, ph = int(w * scale), int(h * scale)
    return slide.shapes.add_picture(io.BytesIO(png), Emu(int((WIDTH - pw) / 2)), top, Emu(pw), Emu(ph))


def _chart_slide(prs, fig, title: str, note: str, lang: str) -> None:
    slide = _slide(prs, title, lang)
    pic = _picture(slide, plots.to_png_bytes(fig, dpi=DPI))
    _text(slide, MARGIN, pic.top + pic.height + Inches(0.05), WIDTH - 2 * MARGIN, Inches(0.8), [note], lang,
          size=11, color=GREY)


def _table_slide(prs, f, lang: str) -> None:
    head, rows = comparison_rows(f, lang)
    slide = _slide(prs, text("key_figures", lang), lang)
    shape = slide.shapes.add_table(len(rows) + 1, len(head), MARGIN, Inches(1.3), WIDTH - 2 * MARGIN,
                                   Inches(0.45) * (len(rows) + 1))
    tbl = shape.table
    tbl.columns[0].width = Inches(3.0)
    rest = (WIDTH - 2 * MARGIN - Inches(3.0)) // (len(head) - 1) if len(head) > 1 else 0
    for j in range(1, len(head)):
        tbl.columns[j].width = rest
    for i, row in enumerate([head] + rows):
        for j, val in enumerate(row):
            cell = tbl.cell(i, j)
            cell.text = val
            for p in cell.text_frame.paragraphs:
                for r in p.runs:
                    r.font.size, r.font.name, r.font.bold = Pt(12), _font(lang), i == 0
    _text(slide, MARGIN, Inches(1.45) + Inches(0.45) * (len(rows) + 1), WIDTH - 2 * MARGIN, Inches(0.8),
          [text("table_note", lang)], lang, size=11, color=GREY)


def build_deck(obj, lang: str = "zh", charts: dict | None = None) -> bytes:
    """The deck of a finding (or of a comparison, inputs.shown) as .pptx bytes (module docstring).

    charts  {key: Figure} of plots.report_charts in `lang` (drawn here when not given)
    """
    plots.check_lang(lang)
    plots.font_family(lang)                       # Chinese deck without a CJK font: fail before drawing
    f = shown(obj)
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    names = f.names
    vs = " vs ".join(plots.scenario_label(n, lang) for n in names) if lang == "en" else \
        " 对比 ".join(plots.scenario_label(n, lang) for n in names)

    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _text(slide, MARGIN, Inches(2.3), WIDTH - 2 * MARGIN, Inches(1.2), [text("title", lang)], lang, size=40,
          bold=True, color=ACCENT)
    _text(slide, MARGIN, Inches(3.5), WIDTH - 2 * MARGIN, Inches(0.8), [vs], lang, size=26)
    _text(slide, MARGIN, Inches(4.4), WIDTH - 2 * MARGIN, Inches(1.0), [setup_line(f, lang)], lang, size=16,
          color=GREY)

    if len(names) > 1:
        slide = _slide(prs, text("headline", lang), lang)
        sentences = conclusions(f, lang)
        _text(slide, MARGIN, Inches(1.3), WIDTH - 2 * MARGIN, HEIGHT - Inches(1.8), sentences, lang,
              size=_fit(sentences, lang), bullets=True)
    _table_slide(prs, f, lang)

    charts = charts if charts is not None else plots.report_charts(f, lang)
    for key in sorted((k for k in charts if plots.chart_kind(k) in DECK_CHARTS),
                      key=lambda k: DECK_CHARTS.index(plots.chart_kind(k))):
        title, note = how_to_read(plots.chart_kind(key), lang)
        _chart_slide(prs, charts[key], title, note, lang)

    changed, shared = assumptions(f, lang)
    slide = _slide(prs, text("assumptions", lang), lang)
    body = []
    if changed:
        body += [text("differs", lang) + ":"] + [f"  {c}" for c in changed]
    body += [text("shared", lang) + ":"] + [f"  {s}" for s in shared] + [text("more", lang)]
    _text(slide, MARGIN, Inches(1.2), WIDTH - 2 * MARGIN, HEIGHT - Inches(1.6), body, lang, size=12)

    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
