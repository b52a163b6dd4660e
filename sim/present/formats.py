"""How a figure is written: every number format of tables, charts and sentences, English or Chinese.

One function per rule; the rules differ where the place differs, and only there:
  fmt_figure    a table cell (report, deck, `sim compare`, `sim run`, dashboard): the most precision
                (defined in labels.py, where sim/cli.py imports it from; re-exported here)
  rounded       notebook text that nbval checks: coarse enough to stay the same between runs
  short_number  a label inside a chart: whole numbers from 10 to 1,000 so it fits on a bar
  figure_text   a sentence: with the unit in the sentence's language, as a level or a difference
  money_text    a money total in K/M/B or 万/亿 (sentences, chart labels; style.MoneyFormatter for axes)
  level_text    a lever's setting with its unit (sentences, chart ticks without the unit)
All take the figure's own value (a share as a fraction) and show "-" for a missing one.
"""
from __future__ import annotations

import math

import numpy as np

from .labels import (  # noqa: F401  (fmt_figure re-exported: every number format is found here)
    FIGURES,
    LABELS,
    LEVERS,
    check_lang,
    fig_scale,
    fmt_figure,
    label,
    missing,
    percent_number,
    unit,
)

# Money units per language, largest first: (threshold, divisor, suffix).
MONEY_UNITS = {"en": ((1e9, 1e9, "B"), (1e6, 1e6, "M"), (1e3, 1e3, "K")),
               "zh": ((1e8, 1e8, "亿"), (1e4, 1e4, "万"))}


def rounded(name: str, v, signed: bool = False) -> str:
    """A figure rounded coarsely enough to be stable between runs of the same code (notebook checks):
    RMB per user to 1 RMB, money totals to 1,000 RMB, shares to 0.1 percentage point, days and users
    to whole numbers, ratios to 0.01."""
    if missing(v):
        return "-"
    sign = "+" if signed else ""
    u = FIGURES.get(name, ("u.x", 1))[0]

    def r(x, nd):                       # round, and never show a negative zero
        return round(x, nd) + 0.0
    if fig_scale(name) == 100:
        return f"{r(100 * v, 1):{sign}.1f}" + (" pp" if signed else "%")
    if u == "u.rmb":
        return f"{r(v, -3):{sign},.0f}"
    if u in ("u.rmb_user", "u.days", "u.users"):
        return f"{r(v, 0):{sign},.0f}"
    return f"{r(v, 2):{sign},.2f}"


def short_number(v: float, fig_name: str) -> str:
    """A figure as a label inside a chart: shares in % as in tables, whole numbers from 10 up."""
    if missing(v):
        return "-"
    if fig_scale(fig_name) == 100:
        return percent_number(100 * v) + "%"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.2f}" if abs(v) < 10 else f"{v:.0f}"


def money_text(v: float, lang: str = "en", ref: float | None = None, decimals: int | None = None) -> str:
    """A money amount in the unit that fits `ref` (default: the amount itself): K/M/B in English,
    万/亿 in Chinese, e.g. -1.25M / -125万; `decimals` None picks 0-2 so that 3 digits show."""
    check_lang(lang)
    a = abs(ref if ref is not None else v)
    div, suf = 1.0, ""
    for thr, d, s in MONEY_UNITS[lang]:
        if a >= thr:
            div, suf = d, s
            break
    x = v / div
    if decimals is None:                     # three significant digits, no trailing zeros
        decimals = 0 if div == 1 or x == 0 else max(0, 2 - int(math.floor(math.log10(abs(x)))))
        out = f"{x:,.{decimals}f}"
        out = out.rstrip("0").rstrip(".") if "." in out else out
    else:
        out = f"{x:,.{decimals}f}"
    return "0" if float(out.replace(",", "")) == 0 else out + suf


# Sentences: a number's size, then its sign from `_signed` (never a sign on a number written as zero).

def _signed(text: str, v: float, plus: bool) -> str:
    """`text` (the size of v) with v's sign: '-' below zero, '+' above it when `plus`; none on a zero."""
    if not any(c in "123456789" for c in text):
        return text
    return "-" + text if v < 0 else "+" + text if plus and v > 0 else text


def rmb(v: float) -> str:
    """RMB per customer in a sentence: whole RMB from 10 up, else one decimal; no sign."""
    v = abs(v)
    return f"{v:,.0f}" if v >= 10 else f"{v:.1f}"


def rmb_signed(v: float) -> str:
    """RMB per customer as a level: a minus below zero."""
    return _signed(rmb(v), v, plus=False)


def rmb_diff(v: float) -> str:
    """RMB per customer as a difference: + or -."""
    return _signed(rmb(v), v, plus=True)


def pts(v: float) -> str:
    """A share (fraction) as percentage points with one decimal; no sign."""
    return f"{abs(100 * v):.1f}"


def pct(v: float) -> str:
    """A share (fraction) as a percentage with one decimal; a minus below zero."""
    return _signed(f"{abs(100 * v):.1f}%", v, plus=False)


def day(v: float) -> str:
    return f"{v:.0f}"


def money_words(v: float, lang: str, plus: bool = False) -> str:
    """A money total in a sentence with its unit, e.g. '-1.25M RMB' / '-125万元' (`plus`: '+' above zero)."""
    return label("w.money", lang, v=_signed(money_text(abs(v), lang), v, plus))


FORMS = ("level", "diff", "size")


def figure_text(fig: str, v, lang: str, form: str = "level") -> str:
    """Summary figure `fig` in a sentence with its unit in `lang`. form 'level': the value (shares in %,
    a minus below zero); 'diff': a difference with + or - (shares in percentage points); 'size': a
    difference without its sign. Money totals in K/M (万/亿), RMB per customer to the RMB."""
    if form not in FORMS:
        raise ValueError(f"form must be one of {FORMS}, not {form!r}")
    if missing(v):
        return "-"
    v = float(v)
    u = FIGURES.get(fig, ("u.x", 1))[0]
    plus = form == "diff"

    def sign(text):
        return text if form == "size" else _signed(text, v, plus)
    if fig_scale(fig) == 100:
        return pct(v) if form == "level" else f"{sign(pts(v))} {unit('u.pp', lang)}"
    if u == "u.rmb":
        return money_words(v, lang, plus) if form != "size" else money_words(abs(v), lang)
    if u == "u.rmb_user":
        return f"{sign(rmb(v))} {unit('u.rmb', lang)}"
    if u in ("u.days", "u.users"):
        return f"{sign(f'{abs(v):,.0f}')} {unit(u, lang)}"
    return sign(f"{abs(v):.2f}")


# ----------------------------------------------------------------- levers

def lever_name(key: str, lang: str = "en") -> str:
    """A lever's (dotted scenario key's) display name without its unit, or the key when it has none."""
    return label(f"l.{key}", lang) if f"l.{key}" in LABELS else key


def level_text(key: str, v, lang: str = "en", spec: str = "g", units: bool = True) -> str:
    """A lever's value in display scale (`spec` formats the number) with its unit when `units`, e.g.
    '2 msgs/week', '15%'; a named setting by its display name (e.g. 'WeCom')."""
    u = LEVERS.get(key)
    if isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_)):
        x = float(v) * (u[1] if u else 1)
        return f"{x:{spec}} {unit(u[0], lang)}".replace(" %", "%") if u and units else f"{x:{spec}}"
    return label(f"v.{v}", lang) if f"v.{v}" in LABELS else str(v)
