"""How a number is written: one unit-aware formatter for every table, chart and sentence, English or
Chinese, and how a lever's setting is written.

    fmt(v, unit, lang="en", form="level", place="table", units=True)

unit   what the number counts (sim.lab.figures.UNITS; a finding carries it): 'rmb' (a money total),
       'rmb_user' (RMB per customer), 'share' (a fraction, shown in %), 'days', 'users', 'ratio',
       'users_per_user', 'number'; 'wan' a money total already divided by 10,000 (Chinese tables, 万元)
form   'level' (a value: a minus below zero), 'diff' (a difference: + or -; a share in percentage points),
       'size' (a difference without its sign)
place  where the number stands, the only other thing that changes how it is written:
         table     a table cell (report, deck, CLI, dashboard): the most precision
         stable    notebook text nbval checks: coarse enough to stay the same between runs
         label     a label inside a chart: short (whole numbers from 10 up; money in K/M, 万/亿)
         sentence  a sentence: with the unit's words in `lang`; units=False leaves them to the template
A missing value (None, NaN, inf) is "-"; a number written as zero carries no sign.
"""
from __future__ import annotations

import math
import re

import numpy as np

from .key_labels import PERCENT_UNITS, SCHEMA_UNITS
from .labels import LABELS, LEVERS, UNIT_WORDS, check_lang, label, unit

FORMS = ("level", "diff", "size")
PLACES = ("table", "stable", "label", "sentence")
WHOLE = ("rmb", "users", "days")            # units a table writes as whole numbers

# Money units per language, largest first: (threshold, divisor, suffix).
MONEY_UNITS = {"en": ((1e9, 1e9, "B"), (1e6, 1e6, "M"), (1e3, 1e3, "K")),
               "zh": ((1e8, 1e8, "亿"), (1e4, 1e4, "万"))}


def missing(v) -> bool:
    """True for no value: None or a NaN or infinite number."""
    return v is None or (isinstance(v, (float, np.floating)) and not math.isfinite(v))


def scale_of(unit_kind: str) -> float:
    """The display scale of a unit: 100 for a share (shown in %), else 1."""
    return 100.0 if unit_kind == "share" else 1.0


def percent_number(x: float, sign: str = "") -> str:
    """A share already in percent: two decimals under 1, else one (tables and chart labels)."""
    return f"{x:{sign}.2f}" if abs(x) < 1 else f"{x:{sign}.1f}"


def written_zero(text: str) -> bool:
    """True when a number as written shows no non-zero digit ('0.00', '0 个百分点'): it carries no sign or tone."""
    return not any(c in "123456789" for c in text)


def _signed(text: str, v: float, plus: bool) -> str:
    """`text` (the size of v) with v's sign: '-' below zero, '+' above it when `plus`; none on a zero."""
    if written_zero(text):
        return text
    return "-" + text if v < 0 else "+" + text if plus and v > 0 else text


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


def fmt(v, unit_kind: str, lang: str = "en", form: str = "level", place: str = "table", units: bool = True) -> str:
    """`v` written for `place` (module docstring)."""
    if form not in FORMS:
        raise ValueError(f"form must be one of {FORMS}, not {form!r}")
    if place not in PLACES:
        raise ValueError(f"place must be one of {PLACES}, not {place!r}")
    check_lang(lang)
    if missing(v):
        return "-"
    v = float(v)
    return {"table": _table, "stable": _stable, "label": _label, "sentence": _sentence}[place](
        v, unit_kind, lang, form, units)


def _table(v, u, lang, form, units):
    v = abs(v) if form == "size" else v
    diff = form == "diff"
    if u == "share":
        return _signed(percent_number(100 * abs(v)), v, diff) + (
            ("%" if form == "level" else f" {unit('u.pp', lang)}") if units else "")
    if u == "rmb" and lang == "zh" and abs(v) >= 1e4:          # a Chinese reader counts money in 万 / 亿
        return _signed(money_text(abs(v), lang), v, diff)
    if u == "wan":
        text = f"{abs(v):,.1f}" if abs(v) < 1000 else f"{abs(v):,.0f}"
    elif u in WHOLE or abs(v) >= 1000:
        text = f"{abs(v):,.0f}"
    else:
        text = f"{abs(v):,.2f}" if abs(v) < 10 else f"{abs(v):,.1f}"
    return _signed(text, v, diff)


def _stable(v, u, lang, form, units):
    diff = form == "diff"
    v = abs(v) if form == "size" else v

    def r(x, nd):                       # round, and never show a negative zero
        return round(x, nd) + 0.0

    def signed(x, nd, spec):            # the rounded size with v's sign (none on a zero: _signed)
        return _signed(f"{abs(r(x, nd)):{spec}}", r(x, nd), diff)
    if u == "share":
        return signed(100 * v, 1, ".1f") + ((f" {unit('u.pp', lang)}" if units else "") if form != "level" else "%")
    if u == "rmb" and lang == "zh" and abs(r(v, -3)) >= 1e4:     # 万 / 亿 as a Chinese reader counts, to the thousand
        return _signed(money_text(r(abs(v), -3), lang, decimals=1 if abs(v) < 1e8 else 2), v, diff)
    if u == "rmb":
        return signed(v, -3, ",.0f")
    if u == "wan":                      # 0.1 万 = the thousand RMB of 'rmb'
        return signed(v, 1, ",.1f")
    if u in ("rmb_user", "days", "users"):
        return signed(v, 0, ",.0f")
    return signed(v, 2, ",.2f")


def _label(v, u, lang, form, _units):
    sign = "+" if form == "diff" else ""
    v = abs(v) if form == "size" else v
    if u == "share":
        return percent_number(100 * v, sign) + "%"
    if u == "rmb":
        return _signed(money_text(abs(v), lang), v, bool(sign))
    if abs(v) >= 1000:
        return f"{v:{sign},.0f}"
    return f"{v:{sign}.2f}" if abs(v) < 10 else f"{v:{sign}.0f}"


def _sentence(v, u, lang, form, units):
    plus = form == "diff"

    def sign(text):
        return text if form == "size" else _signed(text, v, plus)
    if u == "share":
        if form == "level":
            return _signed(f"{abs(100 * v):.1f}%", v, plus=False)
        pts = sign(f"{abs(100 * v):.1f}")
        return f"{pts} {unit('u.pp', lang)}" if units else pts
    if u == "rmb":
        text = sign(money_text(abs(v), lang))
        return label("w.money", lang, v=text) if units else text
    if u == "rmb_user":
        text = sign(f"{abs(v):,.0f}" if abs(v) >= 10 else f"{abs(v):.1f}")
        return f"{text} {unit('u.rmb', lang)}" if units else text
    if u in ("days", "users"):
        text = sign(f"{abs(v):,.0f}")
        return f"{text} {unit(UNIT_WORDS[u], lang)}" if units else text
    return sign(f"{abs(v):.2f}")


# ----------------------------------------------------------------- levers and settings

def setting_text(v, unit: str = "") -> str:
    """A scenario setting as it is set (not a display scale): numbers with thousands separators and the
    schema's unit when given, e.g. '3,000 RMB/day', '0.15 share', 'True'."""
    if isinstance(v, float):
        v = f"{v:,g}"
    elif isinstance(v, int) and not isinstance(v, bool):
        v = f"{v:,}"
    return f"{v} {unit}" if unit not in ("-", "") else str(v)


def number_words(v: float, lang: str = "en", digits: int = 3) -> str:
    """A plain number as a reader expects it: whole numbers with thousands separators (in Chinese from
    10,000 up in 万 / 亿), others to `digits` significant digits."""
    check_lang(lang)
    if lang == "zh" and abs(v) >= 1e4:
        return money_text(v, "zh")
    if float(v).is_integer() and abs(v) < 1e15:
        return f"{v:,.0f}"
    text = f"{v:,.{digits}g}"
    return text if "e" not in text else f"{v:,.0f}"


_ZERO_IS_NONE = re.compile(r"\(0 = (?:no|none|off)\b")


def setting_words(key: str, v, lang: str = "en", unit: str | None = None, digits: int = 3) -> str:
    """A scenario setting in the reader's words (the deck's and the report's assumptions, a verdict's
    hinge): a share or chance in %, other numbers with the schema unit's words (key_labels.SCHEMA_UNITS),
    yes / no, a choice by its display name, and 'none' for a 0 the schema's meaning calls none ('0 = no
    discounts'). `unit` defaults to the schema's unit of `key`."""
    from ..lab.provenance import schema_table
    i = check_lang(lang)
    row = schema_table().get(key, (None, "-", "", ""))
    unit = row[1] if unit is None else unit
    if v is None or (v == 0 and not isinstance(v, bool) and _ZERO_IS_NONE.search(row[2])):
        return label("v.none", lang)
    if isinstance(v, (bool, np.bool_)):
        return label(f"v.{bool(v)}", lang)
    if isinstance(v, str):
        return label(f"v.{v}", lang) if f"v.{v}" in LABELS else (v.rsplit("/", 1)[-1] or "-")
    v = float(v)
    if unit in PERCENT_UNITS:
        pct = f"{100 * v:.{digits}g}%"
        per = SCHEMA_UNITS.get(unit, ("", ""))[i] if unit != "share" and unit != "prob" else ""
        return pct + (f" {per}" if lang == "en" and per else per)
    num = number_words(v, lang, digits)
    words = SCHEMA_UNITS.get(unit, (unit, unit))[i]
    if not words:
        return num
    if words in ("x", "/年", "/月", "/天") or (lang == "zh" and num[-1] in "万亿"):
        return num + words
    return f"{num} {words}"


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


__all__ = ["FORMS", "MONEY_UNITS", "PLACES", "fmt", "level_text", "lever_name", "missing", "money_text",
           "number_words", "percent_number", "scale_of", "setting_text", "setting_words"]
