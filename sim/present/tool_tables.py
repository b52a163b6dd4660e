"""The analysts' tables of notebooks 07-09 as tables a person reads, in the page's language: the decide tools'
(`compare --explain`, `--uncertain`, `optimise`: rows from sim.present.tables, the CLI's own), the import
report of an orders export (sim.lab.orders.read_orders_report) and the buying patterns a calibration tried.
Each returns a page.Table: styled HTML in a notebook, its text for nbval.

    levers_table(sim.explain(A, B, ...), "zh")      worlds_table(sim.robustness(A, B, ...), "zh")
    search_table(sim.optimise(B, ...), "zh")        import_report("orders.csv", "zh")
"""
from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pandas as pd

from ..lab.verdicts import levers_of, worlds_of
from .conclusions_lab import constraint_words
from .formats import lever_name, setting_words
from .labels import LABELS, check_lang, figure_label, label, scenario_label
from .page import Table
from .styled import frame_html, grid_html
from .tables import check_grid, hinges_grid, lever_grid, text_grid, worlds_grid
from .texts_tools import HOW_ZH


def _table(parts: list[tuple[str, list, list]], lang: str, lead: str = "", css: str = "siyu") -> Table:
    """Tables (caption, head, rows of cells) under an optional lead sentence: styled HTML and the same as text."""
    check_lang(lang)
    html = [f"<p>{escape(lead)}</p>"] if lead else []
    text = [lead] if lead else []
    for i, (caption, head, rows) in enumerate(parts):          # each table's title above it, in bold
        html += [f"<p><b>{escape(caption)}</b></p>"] if caption else []
        html += [grid_html(head, rows, diff_from=0, css_id=f"{css}{i}")] if head else []
        text += ([caption] if caption else []) + text_grid(head, [[str(c) for c in r] for r in rows]) + [""]
    return Table("\n".join(text).rstrip(), "\n".join(html))


def levers_table(ex, lang: str = "en") -> Table:
    """`compare --explain` in the page's language: per figure, each lever's contribution to B - A and its
    effect alone, the interaction and the total (they add up to the total), with 90% intervals."""
    levers = levers_of(ex)
    first = next(iter(levers.values()))
    a, b = scenario_label(first.a, lang), scenario_label(first.b, lang)
    lead = label("dt.levers_note", lang, a=a, b=b, n=len(first.levers), k=first.seeds)
    parts = []
    for fig, lv in levers.items():
        name = figure_label(fig, lang)
        if not lv.total.n:
            parts.append((label("dt.levers_none", lang, figure=name), [], []))
            continue
        head, rows = lever_grid(lv, lang)
        parts.append((name, head, rows))
    return _table(parts, lang, lead, "siyu_lv")


def worlds_table(rob, lang: str = "en", hinges: int = 4) -> Table:
    """`compare --uncertain` in the page's language: per figure the chance A does better than B, the median
    B - A and its spread over the plausible worlds; then what each difference hinges on."""
    worlds = worlds_of(rob)
    w0 = next(iter(worlds.values()))
    a, b = scenario_label(w0.a, lang), scenario_label(w0.b, lang)
    lead = label("dt.worlds_note", lang, a=a, b=b, n=w0.worlds, k=w0.seeds)
    parts = [("", *worlds_grid(worlds, lang))]
    for g, w in worlds.items():
        if w.hinges[:hinges]:
            parts.append((label("dt.hinges_note", lang, figure=figure_label(g, lang)), *hinges_grid(w, hinges, lang)))
    return _table(parts, lang, lead, "siyu_w")


def search_table(opt, lang: str = "en") -> Table:
    """`optimise` in the page's language: what was searched, the constraints, the best setting found, and start
    vs best on fresh simulated histories (paired, 90% intervals)."""
    sep = ", " if lang == "en" else "、"
    levers = sep.join(lever_name(k, lang) for k in opt.levers)
    figure = figure_label(opt.objective, lang, with_units=False)
    lead = [label("dt.search_note", lang, levers=levers, figure=figure.lower() if lang == "en" else figure,
                  n=len(opt.trials), k=len(opt.check.attrs.get("seeds", [])))]
    if opt.constraints:
        lead.append(label("dt.constraints", lang, c=sep.join(constraint_words(n, o, v, lang)
                                                             for n, (o, v) in opt.constraints.items())))
    best = sep.join(label("dt.setting", lang, lever=lever_name(k, lang), value=setting_words(k, v, lang))
                    for k, v in opt.best_params.items())
    lead.append(label("dt.best_setting", lang, setting=best))
    joiner = " " if lang == "en" else ""
    return _table([("", *check_grid(opt, lang))], lang, joiner.join(lead), "siyu_s")


def import_report(orders, lang: str = "en", columns: dict[str, str] | None = None) -> Table:
    """What the reader recognised in an orders export (calibrate --dry-run), as a two-column table in the
    page's language: platform, how it was read, the header each column came from, rows read and kept,
    orders, customers, dates, and whether a fit would take them. Nothing written, nothing fitted."""
    from ..lab.orders import (MIN_CALIBRATION_DAYS, MIN_CUSTOMERS, MIN_REPEAT_OCCASIONS, fit_refusal,
                              read_orders_report)
    table, rec = read_orders_report(orders, columns)
    zh = lang == "zh"
    plat = label(f"ir.plat.{rec.platform_key}", lang) if f"ir.plat.{rec.platform_key}" in LABELS else rec.platform
    sep = "；" if zh else "; "
    rows = [(label("ir.file", lang), Path(str(rec.source)).name), (label("ir.platform", lang), plat),
            (label("ir.read_as", lang), sep.join(x for x in (_words(rec.read_as, lang),
                                                             label("ir.header", lang, n=rec.header_line)) if x))]
    for col, header, how in rec.mapping:
        src = label("ir.from", lang, header=header) if header else ""
        name = label(f"ir.col.{col}", lang) if f"ir.col.{col}" in LABELS else col
        rows.append((label("ir.column", lang, col=name), sep.join(x for x in (src, _words(how.strip(), lang)) if x)))
    dropped = sum(rec.dropped.values())
    rows += [(label("ir.rows", lang), label("ir.rows_v", lang, rows=f"{rec.rows:,}", dropped=f"{dropped:,}",
                                            kept=f"{rec.rows - dropped:,}")),
             (label("ir.orders", lang), label("ir.orders_v", lang, n=f"{rec.records:,}", returned=f"{rec.returned:,}")),
             (label("ir.customers", lang), f"{rec.customers:,}")]
    if rec.first is not None:
        rows.append((label("ir.dates", lang), label("ir.dates_v", lang, first=rec.first.date(), last=rec.last.date(),
                                                    days=f"{(rec.last - rec.first).days + 1:,}")))
    refused = fit_refusal(table, rec.source)
    fit = (label("ir.fit_ok", lang, c=MIN_CUSTOMERS, r=MIN_REPEAT_OCCASIONS, d=MIN_CALIBRATION_DAYS) if refused is None
           else label("ir.fit_no", lang, why=refused))
    rows += [(label("ir.fit", lang), fit)] + [(label("ir.note", lang), n) for n in rec.notes]
    df = pd.DataFrame(rows, columns=[label("ir.item", lang), label("ir.value", lang)])
    note = label("ir.nothing", lang)
    return Table("\n".join(text_grid(list(df.columns), df.values.tolist()) + [note]), frame_html(df, note, "siyu_ir"))


def _words(phrase: str, lang: str) -> str:
    """A reader's note on a column or on the file (sim/data) in `lang`: in Chinese phrase by phrase
    (texts_tools.HOW_ZH), or '' when some of it has no Chinese yet (the header it came from is still shown)."""
    if lang == "en" or not phrase:
        return phrase
    out = phrase
    for en in sorted(HOW_ZH, key=len, reverse=True):
        out = out.replace(en, HOW_ZH[en])
    out = re.sub(r"'([^']*)'", r"“\1”", out)
    rest = re.sub(r"“[^”]*”|\b[A-Z0-9-]{2,}\b|GB18030|UTF|BOM|Excel|--columns|\d", "", out)
    return "" if re.search(r"[a-z]{2,}", rest) else out


__all__ = ["import_report", "levers_table", "search_table", "worlds_table"]
