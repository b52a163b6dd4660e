"""What a notebook page shows, in its reader's language: the one language switch of the lab, the page's words,
its tables and its stated conclusions.

    from sim.present.page import language, say, show_table, conclude
    LANG = language()                 # "en" or "zh": $SIYU_LANG (make lab LANG=zh, make dashboard DASH_LANG=zh),
                                      # else "en"; a notebook may also set LANG = "zh" itself
    say("nb02.intro", LANG)           # a paragraph of the page (texts.py) as Markdown
    show_table(finding, LANG)         # the comparison table: styled HTML, and as text (what nbval checks)
    conclude(lambda lg: conclusions(f, lg), LANG)   # the page's stated conclusions: in LANG, then in the other
                                      # language; on the dashboard page (Voila) once, in LANG only

The words come from the one label table (labels.LABELS, texts.py); numbers from formats.fmt through the one
comparison table (tables.comparison_grid) and styled.py.
"""
from __future__ import annotations

import os

import pandas as pd

from ..core.errors import UsageError
from .formats import fmt, money_text
from .labels import LANGS, check_lang, label
from .styled import comparison_html, frame_html
from .tables import SUMMARY_FIGURES, summary_table

ENV = "SIYU_LANG"          # the setting: make lab LANG=zh / make dashboard DASH_LANG=zh put it in the kernels' environment
APP_ENV = "VOILA_BASE_URL"  # set by Voila in the kernels it starts: the page is served as the dashboard


def language(default: str = "en") -> str:
    """The lab's language for this page: $SIYU_LANG ('en' or 'zh'), else `default`. Anything else is one
    line naming the variable, its value and what is allowed."""
    v = os.environ.get(ENV, "").strip() or default
    if v not in LANGS:
        raise UsageError(f"{ENV} = {v!r}: the lab speaks {' or '.join(repr(x) for x in LANGS)}")
    return v


def in_app() -> bool:
    """True when the page runs as the dashboard (a Voila kernel), where it states its conclusions once."""
    return bool(os.environ.get(APP_ENV))


def text(key: str, lang: str, **values) -> str:
    """The page's words for `key` in `lang` (labels.label)."""
    return label(key, lang, **values)


def say(key: str, lang: str, **values):
    """A paragraph of the page (Markdown) in `lang`; the cell shows it."""
    from IPython.display import Markdown
    return Markdown(text(key, lang, **values))


def people(n: float, lang: str) -> str:
    """A number of people as a reader writes it: 100,000 / 10万."""
    return money_text(float(n), lang) if lang == "zh" else f"{n:,.0f}"


class Table:
    """A table for a notebook cell: styled HTML where HTML is shown, its text otherwise (and for nbval)."""

    def __init__(self, text: str, html: str):
        self.text, self.html = text, html

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return self.html


def _histories(obj) -> int:
    from .inputs import shown
    return max(s.histories for s in shown(obj).strategies.values())


def table_note(obj, lang: str) -> str:
    """What the numbers of a comparison table are, in `lang`."""
    k = _histories(obj)
    return text("pg.table_note", lang, k=k) if k > 1 else text("pg.table_note_1", lang)


def show_table(obj, lang: str = "en", figures=SUMMARY_FIGURES) -> Table:
    """The comparison table of `obj` (a finding, comparison or results) for a notebook: styled HTML of the one
    comparison table (coarse numbers: place 'stable'), and summary_table's text."""
    check_lang(lang)
    return Table(summary_table(obj, figures, lang),
                 comparison_html(obj, lang, figures, place="stable", note=table_note(obj, lang)))


def frame_table(df, lang: str, heads: dict[str, str], note: str = "") -> Table:
    """A DataFrame of written values with its columns named by label keys (`heads`: column -> key, with its
    unit in the key's words): the text and the styled table carry the same words."""
    check_lang(lang)
    out = df.rename(columns={c: text(k, lang) for c, k in heads.items()})
    if out.index.name in heads:
        out.index.name = text(heads[out.index.name], lang)
    return Table(out.to_string(), frame_html(out, note))


def options_table(q, lang: str) -> Table:
    """A business question's options (sim.lab.business.Options) as a table: each option in words, its profit, the
    profit change against the first option with its 90% interval, orders, LTV and the churn change."""
    from .conclusions_lab import option_words
    from .labels import unit_words, with_unit
    t, k, ref = q.table(), len(q.seeds), q.options[0]
    heads = {"profit": ("nb10.profit", "rmb"), "profit_change": ("nb10.profit_change", "rmb"),
             "orders": ("nb10.orders", None), "ltv": ("nb10.ltv", "rmb_user"), "churn": ("nb10.churn_change", "share")}
    names = {c: with_unit(text(key, lang), unit_words(u, lang)) if u else text(key, lang) for c, (key, u) in heads.items()}
    rows = [{text("nb10.option", lang): option_words(q, o, lang),
             names["profit"]: fmt(t.at[o, "profit"], "rmb", lang, place="stable"),
             names["profit_change"]: text("opt.reference", lang) if o == ref else
             effect_text(tuple(t.loc[o, [f"profit_{x}" for x in ("diff", "lo", "hi")]]), "profit", lang, k),
             names["orders"]: fmt(t.at[o, "orders"], "users", lang, place="stable"),
             names["ltv"]: fmt(t.at[o, "ltv"], "rmb_user", lang, place="stable"),
             names["churn"]: text("opt.reference", lang) if o == ref else
             effect_text(tuple(t.loc[o, [f"churn_rate_monthly_{x}" for x in ("diff", "lo", "hi")]]),
                         "churn_rate_monthly", lang, k)} for o in q.options]
    return frame_table(pd.DataFrame(rows).set_index(text("nb10.option", lang)), lang, {},
                       note=text("pg.table_note", lang, k=k))


def effect_text(effect, fig: str, lang: str, n: int = 0) -> str:
    """A paired effect (mean, lo, hi) of summary figure `fig` as a notebook writes it: signed, coarse enough
    for nbval (place 'stable'), its 90% interval in brackets (tables.cell)."""
    from ..lab.experiments import Estimate
    from ..lab.figures import unit_of
    from .tables import cell
    d, lo, hi = (float(x) for x in effect)
    return cell(Estimate(d, lo, hi, n), unit_of(fig), lang, form="diff", place="stable")


# Result.breakdown's columns: label key, unit (formats.fmt; None: one decimal), whether the header names the unit.
BREAKDOWN = {"users": ("bd.users", "users", False), "ltv": ("bd.ltv", "rmb_user", True),
             "orders_per_user": ("bd.orders_per_user", None, False), "spend_per_user": ("bd.spend_per_user", "rmb_user", True),
             "joined_pool": ("bd.joined_pool", "share", True), "lost": ("bd.lost", "share", True)}


def breakdown_table(res, by: str, lang: str = "en") -> Table:
    """`res.breakdown(by)` (channel or segment) as a table people read: the groups by name, each column with
    its unit in the header, numbers rounded as nbval checks them."""
    from .labels import unit_words, with_unit
    check_lang(lang)
    df = res.breakdown(by)
    rows = {}
    for g, r in df.iterrows():
        name = text(f"ch.{g}" if by == "channel" else f"seg.{g}", lang) if by in ("channel", "segment") else str(g)
        rows[name] = {c: (fmt(r[c], u, lang, place="stable") if u else f"{r[c]:.1f}") for c, (_, u, _) in BREAKDOWN.items()}
    import pandas as pd
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = text(f"bd.{by}", lang) if f"bd.{by}" in ("bd.channel", "bd.segment") else by
    out.columns = [with_unit(text(k, lang), unit_words(u, lang)) if named else text(k, lang)
                   for k, u, named in BREAKDOWN.values()]
    return Table(out.to_string(), frame_html(out))


def conclude(sentences, lang: str = "en", note: str | None = None, **values) -> None:
    """Show the page's stated conclusions: `sentences(lang)` (a list of str) under a heading, in `lang` and then
    in the other language; on the dashboard page (in_app) once, in `lang` only. `note` (a label key, filled
    with `values`) says where they come from (default: pg.conclude_note). Shown as a list (HTML) and as text
    (what nbval checks)."""
    import html

    from IPython.display import display
    check_lang(lang)
    langs = [lang] if in_app() else [lang] + [x for x in LANGS if x != lang]
    lines, parts = [], []
    for lg in langs:
        said = list(sentences(lg))
        head, why = text("pg.conclude", lg), text(note or "pg.conclude_note", lg, **values)
        lines += [head] + [f"- {s}" for s in said] + [""]
        parts.append(f"<h4 style='margin:0.8em 0 0.2em'>{html.escape(head)}</h4>"
                     f"<div style='color:#666;font-size:0.9em'>{html.escape(why)}</div>"
                     "<ul class='siyu-conclusions'>" + "".join(f"<li>{html.escape(s)}</li>" for s in said) + "</ul>")
    display(Table("\n".join(lines).rstrip("\n"), "".join(parts)))


__all__ = ["Table", "breakdown_table", "conclude", "effect_text", "frame_table", "in_app", "language", "people", "say",
           "show_table", "table_note", "text"]
