"""Stated conclusions: a comparison's numbers turned into a few plain sentences, English or Chinese.

    from sim.present.conclusions import conclusions
    for s in conclusions(cmp, "en"):      # cmp = sim.compare([...])
        print(s)

Every number in a sentence is read from the comparison (`facts`): the paired differences and their
90% intervals from `cmp.table`, each strategy's mean from `cmp.runs[name].summary`, payback and the
deepest point of cumulative profit by the one definition of `inputs` (each history's figure,
averaged), and the LTV drivers from the LTV bridge. Nothing is typed in: which strategy is ahead,
by how much, whether the interval allows a ranking, and which driver carries the gap all come from
the run. The driver named is the largest contribution in the direction of the gap.

Optional inputs, used when given (from sim.lab once those tools exist):
  explanation  an object with `.contributions`, a DataFrame with columns figure, lever, contribution,
               lo, hi (lever attribution of B - A): names the lever that carries most of the LTV gap
  robustness   a mapping (or object with the same attributes) with p_b_better (share of plausible
               worlds in which B's LTV is higher), worlds (how many), and optionally hinge (a dotted
               scenario key) and flip_at (its value at which the verdict flips)
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .charts_compare import BRIDGE_DRIVERS, ltv_bridge_parts
from .formats import (
    day,
    figure_text,
    level_text,
    lever_name,
    money_words,
    pct,
    pts,
    rmb,
    rmb_diff,
    rmb_signed,
)
from .inputs import dip_of, payback_month, payback_of, runs_of
from .labels import check_lang, label, scenario_label
from .readings import best_cell, best_in_rows, best_ways, carrier, interval_side


@dataclass
class Facts:
    """The numbers behind the sentences for strategy `b` against the first strategy `a`."""
    a: str
    b: str
    k: int                      # simulated histories (seeds)
    days: int
    ltv_a: float
    ltv_b: float
    ltv_diff: float             # paired mean difference b - a, RMB per acquired customer
    ltv_lo: float
    ltv_hi: float
    churn_a: float              # monthly churn, fraction
    churn_b: float
    churn_diff: float
    churn_lo: float
    churn_hi: float
    payback_a: float | None     # day, by inputs.payback_of
    payback_b: float | None
    paid_back_a: int            # histories that pay back within the horizon
    paid_back_b: int
    payback_diff: float         # paired difference b - a over histories where both pay back (cmp.table)
    dip_a: float                # deepest cumulative profit, RMB (<= 0), by inputs.dip_of
    dip_b: float
    profit_a: float
    profit_b: float
    driver: str | None          # BRIDGE_DRIVERS key with the largest contribution in the gap's direction
    driver_value: float
    offset: str | None          # largest contribution against the gap, when it is at least a quarter of it
    offset_value: float


def _summary(cmp, name: str, fig: str) -> float:
    s = cmp.runs[name].summary
    return float(s.at[fig, "mean"]) if fig in s.index else math.nan


def _cell(cmp, fig: str, col: str, name: str) -> float:
    t = cmp.table
    return float(t.at[fig, f"{col}:{name}"]) if fig in t.index else math.nan


def as_comparison(runs):
    """A Comparison as it is, or one built from results already run ({name: Result or [Result]}, paired by seed)."""
    if hasattr(runs, "table") and hasattr(runs, "runs"):
        return runs
    from ..lab.experiments import comparison_of, many_of
    return comparison_of({n: many_of(lst) for n, lst in runs_of(runs).items()})


def facts(cmp, b: str | None = None) -> Facts:
    """The figures for strategy `b` (default: the second) against the first strategy of `cmp`
    (a Comparison, or results in any shape `as_comparison` takes)."""
    cmp = as_comparison(cmp)
    a = cmp.names[0]
    if len(cmp.names) < 2:
        raise ValueError("conclusions need at least two strategies to compare")
    b = b or cmp.names[1]
    runs_of(cmp)                                   # records the strategies' display names
    ra, rb = cmp.runs[a].results, cmp.runs[b].results
    parts = ltv_bridge_parts(ra, rb)
    gap = float(parts["gap"])
    drivers = {d: float(parts[d]) for d in BRIDGE_DRIVERS}
    driver, offset = carrier(drivers, gap), carrier(drivers, gap, along=False)
    if offset is not None and abs(drivers[offset]) < 0.25 * abs(gap):
        offset = None
    dip_a, dip_b = dip_of(ra)[0], dip_of(rb)[0]
    return Facts(a=a, b=b, k=len(cmp.seeds), days=len(ra[0].daily),
                 ltv_a=_summary(cmp, a, "ltv"), ltv_b=_summary(cmp, b, "ltv"),
                 ltv_diff=_cell(cmp, "ltv", "diff", b), ltv_lo=_cell(cmp, "ltv", "lo", b),
                 ltv_hi=_cell(cmp, "ltv", "hi", b),
                 churn_a=_summary(cmp, a, "churn_rate_monthly"), churn_b=_summary(cmp, b, "churn_rate_monthly"),
                 churn_diff=_cell(cmp, "churn_rate_monthly", "diff", b),
                 churn_lo=_cell(cmp, "churn_rate_monthly", "lo", b),
                 churn_hi=_cell(cmp, "churn_rate_monthly", "hi", b),
                 payback_a=payback_of(ra), payback_b=payback_of(rb),
                 paid_back_a=sum(r.summary.get("payback_day") is not None for r in ra),
                 paid_back_b=sum(r.summary.get("payback_day") is not None for r in rb),
                 payback_diff=_cell(cmp, "payback_day", "diff", b), dip_a=dip_a, dip_b=dip_b,
                 profit_a=_summary(cmp, a, "profit"), profit_b=_summary(cmp, b, "profit"),
                 driver=driver, driver_value=drivers.get(driver, math.nan) if driver else math.nan,
                 offset=offset, offset_value=drivers.get(offset, math.nan) if offset else math.nan)


# ----------------------------------------------------------------- sentences

def conclusions(cmp, lang: str = "en", explanation=None, robustness=None) -> list[str]:
    """Plain sentences (3-6 per strategy after the first) stating what the comparison found."""
    check_lang(lang)
    cmp = as_comparison(cmp)
    out = []
    for b in cmp.names[1:]:
        f = facts(cmp, b)
        out += [x[0].upper() + x[1:] for x in _sentences(f, lang)]
        if explanation is not None:
            s = _explanation_sentence(explanation, f, lang)
            if s:
                out.append(s)
        if robustness is not None:
            s = _robustness_sentence(robustness, f, lang)
            if s:
                out.append(s)
    return out


# Sentence templates per language; the numbers are filled in by `_sentences` from the Facts.
TEMPLATES = {
    "en": {
        "more": ("more", "less"), "fewer": ("fewer", "more"), "higher": ("higher", "lower"),
        "later": ("later", "earlier"), "end": ".",
        "ltv": "{B} earns {d} RMB {more} per acquired customer than {A}",
        "ltv_ci": " ({b} against {a} RMB; 90% interval of the difference {lo} to {hi} RMB)",
        "ltv_one": " ({b} against {a} RMB) in one simulated history; one history gives no interval, so run several "
                   "before deciding",
        "ltv_zero": ", but the interval includes zero: over {k} simulated histories the two cannot be ranked on LTV",
        "churn": "It loses {d} points {fewer} of its customers a month ({b} against {a})",
        "churn_zero": "; within the noise of these runs",
        "cash": "its cumulative profit bottoms out at {b} (the cash to put in first) against {a}",
        "no_payback": "It does not pay back within {days} days; {cash}",
        "payback_only": "It pays back {when}, while {A} does not within {days} days; {cash}",
        "payback": "It pays back {rel}, {when} against day {a}; {cash}",
        "payback_some": "It pays back in {nb} of {k} simulated histories, {when} on average, and {A} in {na} of "
                        "{k}, on day {a}; {cash}",
        "when": "on day {d} (month {m})", "same_day": "on the same day", "rel": "{d} days {later}",
        "profit": "Over {days} days its total profit is {d} {higher} ({b} against {a})",
        "driver": "The largest part of the LTV gap comes from {name}: {v} RMB per customer",
        "offset": ", partly offset by {name} ({v} RMB)",
    },
    "zh": {
        "more": ("多", "少"), "fewer": ("少", "多"), "higher": ("高", "低"),
        "later": ("晚", "早"), "end": "。",
        "ltv": "{B}每位获客用户比{A}{more}赚 {d} 元",
        "ltv_ci": "({b} 元对 {a} 元;差值的 90% 区间为 {lo} 至 {hi} 元)",
        "ltv_one": "({b} 元对 {a} 元),仅一次模拟;一次模拟没有区间,决策前请多跑几次",
        "ltv_zero": ",但区间包含零:{k} 次模拟中两者的 LTV 无法排出高下",
        "churn": "每月流失的客户{fewer} {d} 个百分点({b} 对 {a})",
        "churn_zero": ",差异在模拟波动之内",
        "cash": "累计利润最低降至 {b}(需先投入的资金),对比 {a}",
        "no_payback": "{days} 天内未回本;{cash}",
        "payback_only": "{when}回本,而{A}在 {days} 天内未回本;{cash}",
        "payback": "{rel},{when}对第 {a} 天;{cash}",
        "payback_some": "{k} 次模拟中有 {nb} 次回本,平均在{when};{A}有 {na} 次回本,平均在第 {a} 天;{cash}",
        "when": "第 {d} 天(第 {m} 个月)", "same_day": "同一天回本", "rel": "回本{later} {d} 天",
        "profit": "{days} 天内总利润{higher} {d}({b}对 {a})",
        "driver": "LTV 差距最大的来源是{name}:每位客户 {v} 元",
        "offset": ",部分被{name}抵消({v} 元)",
    },
}


def _pick(pair: tuple[str, str], first: bool) -> str:
    return pair[0] if first else pair[1]


def _sentences(f: Facts, lang: str) -> list[str]:
    """The 4-5 sentences for strategy b against a, in `lang`, from the templates."""
    T = TEMPLATES[lang]
    A, B = scenario_label(f.a, lang), scenario_label(f.b, lang)

    def money(v):
        return money_words(v, lang)

    s1 = T["ltv"].format(B=B, A=A, d=rmb(f.ltv_diff), more=_pick(T["more"], f.ltv_diff >= 0))
    if f.k == 1:
        s1 += T["ltv_one"].format(b=rmb_signed(f.ltv_b), a=rmb_signed(f.ltv_a))
    else:
        s1 += T["ltv_ci"].format(b=rmb_signed(f.ltv_b), a=rmb_signed(f.ltv_a), lo=rmb_signed(f.ltv_lo),
                                 hi=rmb_signed(f.ltv_hi))
        if not interval_side(f.ltv_lo, f.ltv_hi):
            s1 += T["ltv_zero"].format(k=f.k)
    s2 = T["churn"].format(d=pts(f.churn_diff), fewer=_pick(T["fewer"], f.churn_diff <= 0), b=pct(f.churn_b),
                           a=pct(f.churn_a))
    if f.k > 1 and not interval_side(f.churn_lo, f.churn_hi):
        s2 += T["churn_zero"]
    cash = T["cash"].format(b=money(f.dip_b), a=money(f.dip_a))
    if f.payback_b is None:
        s3 = T["no_payback"].format(days=f.days, cash=cash)
    else:
        when = T["when"].format(d=day(f.payback_b), m=payback_month(f.payback_b))
        if f.payback_a is None:
            s3 = T["payback_only"].format(when=when, A=A, days=f.days, cash=cash)
        elif min(f.paid_back_a, f.paid_back_b) < f.k:      # averages over different histories: no "later by"
            s3 = T["payback_some"].format(nb=f.paid_back_b, na=f.paid_back_a, k=f.k, when=when, A=A,
                                          a=day(f.payback_a), cash=cash)
        else:                                               # every history pays back: the table's paired gap
            d = round(f.payback_diff)
            rel = T["same_day"] if d == 0 else T["rel"].format(d=abs(d), later=_pick(T["later"], d > 0))
            s3 = T["payback"].format(rel=rel, when=when, a=day(f.payback_a), cash=cash)
    s4 = T["profit"].format(days=f.days, d=money(abs(f.profit_b - f.profit_a)),
                            higher=_pick(T["higher"], f.profit_b >= f.profit_a), b=money(f.profit_b),
                            a=money(f.profit_a))
    out = [s1, s2, s3, s4]
    if f.driver:
        s5 = T["driver"].format(name=label("d." + f.driver, lang), v=rmb_diff(f.driver_value))
        if f.offset:
            s5 += T["offset"].format(name=label("d." + f.offset, lang), v=rmb_diff(f.offset_value))
        out.append(s5)
    return [x + T["end"] for x in out]


# ----------------------------------------------------------------- optional inputs

def _get(obj, key, default=None):
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def lever_words(key: str, lang: str) -> str:
    """A lever (dotted key) named inside a sentence: its display name without the unit, or the key."""
    return inline(lever_name(str(key), lang), lang)


def flip_text(key: str, v: float, lang: str) -> str:
    """The value of an assumption at which a verdict flips: 3 significant digits, with its unit."""
    return level_text(key, v, lang, spec=".3g")


def _explanation_sentence(explanation, f: Facts, lang: str) -> str | None:
    """The lever carrying most of the LTV gap, in the gap's direction (from a lever attribution)."""
    c = _get(explanation, "contributions")
    if c is None or len(c) == 0:
        return None
    c = c[c["figure"] == "ltv"] if "figure" in c.columns else c
    top = carrier(c["contribution"], f.ltv_diff)
    if top is None:
        return None
    row = c.loc[top]
    v, lo, hi = float(row["contribution"]), float(row.get("lo", math.nan)), float(row.get("hi", math.nan))
    name = lever_words(row["lever"], lang)
    if lang == "en":
        return (f"Of the levers that differ, {name} carries the most of the LTV gap: "
                f"{rmb_diff(v)} RMB per customer (90% interval {rmb_signed(lo)} to {rmb_signed(hi)}).")
    return (f"在不同的杠杆中,{name}贡献了 LTV 差距的最大部分:每位客户 {rmb_diff(v)} 元"
            f"(90% 区间 {rmb_signed(lo)} 至 {rmb_signed(hi)} 元)。")


def _robustness_sentence(robustness, f: Facts, lang: str) -> str | None:
    """How often the LTV verdict holds over plausible worlds (from a robustness check)."""
    p, n = _get(robustness, "p_b_better"), _get(robustness, "worlds")
    if p is None or n is None:
        return None
    p = float(p)
    if p == 0.5:                                          # a tie over worlds: nobody is ahead
        return (f"Over {int(n)} plausible worlds neither strategy has the higher LTV more often (half each)."
                if lang == "en" else f"在 {int(n)} 种合理假设下,两个策略的 LTV 各在一半情形中更高。")
    ahead = f.b if p > 0.5 else f.a
    share = p if p > 0.5 else 1 - p
    hinge, flip = _get(robustness, "hinge"), _get(robustness, "flip_at")
    who = scenario_label(ahead, lang)
    if lang == "en":
        s = f"{who} has the higher LTV in {100 * share:.0f}% of {int(n)} plausible worlds"
        if hinge and flip is not None:
            s += f"; the verdict flips when {lever_words(hinge, 'en')} passes {flip_text(hinge, flip, 'en')}"
        return s + "."
    s = f"在 {int(n)} 种合理假设下,{who}的 LTV 在 {100 * share:.0f}% 的情形中更高"
    if hinge and flip is not None:
        s += f";当{lever_words(hinge, 'zh')}越过 {flip_text(hinge, flip, 'zh')} 时结论反转"
    return s + "。"


# ----------------------------------------------------------------- lever grids (sweeps)

def _fig_name(fig: str, lang: str) -> str:
    """A figure's name inside a sentence: lower case in English; spaced from Chinese in Chinese."""
    name = label(f"fig.{fig}", lang)
    if lang == "en":
        return name if name[:3].isupper() else name[0].lower() + name[1:]
    return inline(name, lang)


def inline(name: str, lang: str) -> str:
    """A name set inside a sentence: in Chinese, Latin text at either end is spaced from the characters."""
    if lang == "en" or not name:
        return name
    return (" " if name[0].isascii() else "") + name + (" " if name[-1].isascii() else "")


def grid_conclusions(table, x: str, y: str, lang: str = "en",
                     objectives=None) -> list[str]:
    """Sentences about a two-lever sweep (one row per run, as sim.sweep returns): for the first
    objective, the best `x` at each level of `y` (one sentence when it is the same everywhere), then
    the best cell for every objective, then how many simulated histories each cell averages.
    `objectives`: (figure, "max" | "min") pairs; default LTV and monthly churn, each the way
    lab.figures.better_sign says is better. Best cells as readings.best_cell picks them (the heatmap's too)."""
    check_lang(lang)
    objectives = objectives or best_ways(("ltv", "churn_rate_monthly"))
    out = []
    value, best = objectives[0]
    per_row = best_in_rows(table, x, y, value, best)
    word = {("en", "max"): "highest", ("en", "min"): "lowest", ("zh", "max"): "最高", ("zh", "min"): "最低"}
    xs, ys, vl = lever_name(x, lang), lever_name(y, lang), _fig_name(value, lang)
    if len(set(per_row.values())) == 1:
        xv = level_text(x, next(iter(per_row.values())), lang)
        out.append(f"At every {ys.lower()} tried, {xv} gives the {word[(lang, best)]} {vl}." if lang == "en" else
                   f"在所试的每个{ys}下,{xv}的{vl}{word[(lang, best)]}。")
    else:
        parts = [f"{level_text(y, yv, lang)}: {level_text(x, xv, lang)}" for yv, xv in per_row.items()]
        out.append(f"The best {xs.lower()} depends on the {ys.lower()}: " + "; ".join(parts) + "." if lang == "en"
                   else f"最佳{xs}取决于{ys}:" + ";".join(parts) + "。")
    for fig, how in objectives:
        cell = best_cell(table, [y, x], fig, how)
        if cell is None:
            continue
        (yv, xv), v = cell
        at_y, at_x, fl = level_text(y, yv, lang), level_text(x, xv, lang), _fig_name(fig, lang)
        out.append(f"The {word[(lang, how)]} {fl} of the grid is at {ys.lower()} {at_y} with {at_x}: "
                   f"{figure_text(fig, v, lang)}." if lang == "en" else
                   f"全网格{fl}{word[(lang, how)]}的组合是{ys} {at_y}, {at_x}:{figure_text(fig, v, lang)}。")
    k = int(table["seed"].nunique()) if "seed" in table else 1
    hist = "one simulated history" if k == 1 else f"{k} simulated histories"
    out.append(f"Each cell averages {hist}; rerun the best cells with more before deciding."
               if lang == "en" else f"每个格子是 {k} 次模拟的平均;决策前请用更多次模拟复核最佳的几个格子。")
    return out


def print_conclusions(cmp=None, explanation=None, robustness=None, grid=None) -> None:
    """Print the sentences in English, then in Chinese (the notebooks' conclusion cells).

    cmp   a Comparison or results (`as_comparison`);  grid  instead, (sweep table, x, y) for `grid_conclusions`
    """
    print_both(lambda lang: grid_conclusions(*grid, lang=lang) if grid is not None else
               conclusions(cmp, lang, explanation=explanation, robustness=robustness))


def print_both(sentences) -> None:
    """Print `sentences(lang)` (a list of str) under an English, then a Chinese heading."""
    for lang, head in (("en", "What to conclude"), ("zh", "结论")):
        print(head)
        for s in sentences(lang):
            print(f"- {s}")
        print()
