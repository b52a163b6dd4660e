"""Tables people read: the one comparison table (tables.comparison_grid) and the notebooks' other tables as
styled HTML (pandas Styler), for the notebooks, the dashboard and the HTML report.

    comparison_html(finding, "zh")            # the comparison table: units in the row names, numbers aligned,
                                              # intervals under each number in a lighter shade, the better value
                                              # in bold, differences beyond the noise in green (better) or red
    grid_html(head, rows, note)               # any grid of tables.Cell (the dashboard's, with its own header)
    frame_html(df, note)                      # a DataFrame of written values (breakdowns, case verdicts)

Numbers come written (formats.fmt through tables); this module only lays them out. The HTML is the same for
the same table (a fixed Styler id), so a notebook cell showing it stays deterministic.
"""
from __future__ import annotations

import html

import pandas as pd

from .inputs import shown
from .tables import REPORT_FIGURES, Cell, comparison_grid

TABLE_CLASS = "siyu-table"
# One look for every table: scoped to the table's own id by the Styler.
CSS = [
    {"selector": "", "props": "border-collapse:collapse;font-variant-numeric:tabular-nums;margin:0.4em 0;"
                              "font-size:0.95em;max-width:100%"},
    {"selector": "th", "props": "padding:0.3em 0.6em;text-align:right;vertical-align:bottom;white-space:normal;"
                                "border-bottom:1px solid #999;font-weight:600"},
    {"selector": "th.col0", "props": "text-align:left"},
    {"selector": "td.col0", "props": "text-align:left;white-space:normal;min-width:7em"},
    {"selector": "td", "props": "padding:0.3em 0.6em;text-align:right;white-space:nowrap;vertical-align:top;"
                                "border-bottom:1px solid #e4e4e4"},
    {"selector": "tbody tr:nth-child(even)", "props": "background:#f7f7f7"},
    {"selector": ".ci", "props": "display:block;color:#8a8a8a;font-size:0.85em"},
    {"selector": ".best", "props": "font-weight:700"},
    {"selector": ".up", "props": "color:#1b7f3b;font-weight:600"},
    {"selector": ".down", "props": "color:#b3261e;font-weight:600"},
    {"selector": "caption", "props": "caption-side:bottom;text-align:left;color:#666;font-size:0.85em;"
                                     "padding-top:0.4em;white-space:normal"},
]
TONES = {1: "up", -1: "down", 0: ""}


def _cell_html(c, diff: bool) -> str:
    """A Cell as HTML: the number (bold when it is its row's better value; green / red for a difference beyond
    the noise) with its interval under it in a lighter shade; a plain value escaped."""
    if not isinstance(c, Cell):
        return html.escape(str(c))
    cls = TONES[c.tone] if diff else ("best" if c.tone > 0 else "")
    num = f"<span class='{cls}'>{html.escape(c.text)}</span>" if cls else html.escape(c.text)
    return num + (f"<span class='ci'>{html.escape(c.interval)}</span>" if c.interval else "")


def _render(df: pd.DataFrame, note: str, css_id: str, escape_cells: bool) -> str:
    """`df` as a styled HTML table with `note` as its caption."""
    from pandas.io.formats.style import Styler     # needs Jinja2
    st = Styler(df, uuid=css_id, cell_ids=False, escape="html" if escape_cells else None)
    st.set_table_styles(CSS).set_table_attributes(f"class='{TABLE_CLASS}'")
    st.hide(axis="index").format_index(escape="html", axis=1)
    if isinstance(df.columns, pd.MultiIndex):
        st.hide(axis="columns", level=1)
    if note:
        st.set_caption(html.escape(note))
    return st.to_html()


def grid_html(head: list[str], rows: list[list], note: str = "", diff_from: int | None = None,
              css_id: str = "siyu") -> str:
    """A grid of a row name and Cells per row as a styled table; `head` names the row-name column and each
    column; columns from index `diff_from` on (of the cells) are differences (coloured by tone), the others
    values (the better one in bold)."""
    diff_from = len(head) if diff_from is None else diff_from + 1
    df = pd.DataFrame([[html.escape(str(r[0]))] + [_cell_html(c, i >= diff_from) for i, c in enumerate(r[1:], 1)]
                       for r in rows], columns=_columns(head))
    return _render(df, note, css_id, escape_cells=False)


def _columns(head: list[str]):
    """Column labels; names that repeat are told apart by their position (hidden)."""
    head = [str(h) for h in head]
    return head if len(set(head)) == len(head) else pd.MultiIndex.from_arrays([head, list(range(len(head)))])


def comparison_html(obj, lang: str = "en", figures=REPORT_FIGURES, place: str = "table", note: str = "") -> str:
    """The one comparison table (tables.comparison_grid, money totals in 万 in Chinese) as a styled table:
    each strategy, then each further strategy's paired difference from the first."""
    f = shown(obj)
    head, rows = comparison_grid(f, lang, figures, place, styled=True)
    return grid_html(head, rows, note, diff_from=len(f.names))


def frame_html(df: pd.DataFrame, note: str = "", css_id: str = "siyu") -> str:
    """A DataFrame of written values (text) as a styled table; its index (named) becomes the first column."""
    df = df.reset_index() if df.index.name else df
    return _render(df.set_axis(_columns(list(df.columns)), axis=1), note, css_id, escape_cells=True)


__all__ = ["CSS", "TABLE_CLASS", "comparison_html", "frame_html", "grid_html"]
