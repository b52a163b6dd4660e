"""Stated conclusions: a comparison's finding turned into a few plain sentences, English or Chinese.

    import sim
    from sim.present.conclusions import conclusions, print_conclusions
    f = sim.findings_of(cmp)              # cmp = sim.compare([...]); checks 16 plausible worlds per pair
    for s in conclusions(f, "en"):
        print(s)

Every number in a sentence is read from the finding (sim.lab.findings.Finding): each strategy's mean and
the paired differences with their 90% intervals, payback and the deepest point of cumulative profit (each
history's figure, averaged), the LTV driver carrying the gap (`Finding.bridge`), the lever carrying it
(`Levers.carrier`, when the finding was explained) and, when the finding was checked across plausible
worlds, the verdict on LTV and on profit that reconciles the seeds with the worlds and names the
assumption it hinges on (`Finding.verdict`, conclusions_lab.verdict_sentence). Nothing is typed in.
A Comparison or results given instead of a finding are shown without the worlds check (inputs.shown).
"""
from __future__ import annotations

from ..lab.figures import best_cell, best_in_rows, best_ways, unit_of
from ..lab.findings import Finding
from .conclusions_lab import verdict_sentence
from .formats import fmt, level_text, lever_name
from .inputs import shown
from .labels import check_lang, label, scenario_label
from .phrases import cap, fig_name, lever_words, print_both, typeset

VERDICT_FIGURES = ("ltv", "profit")      # the stated verdicts of a comparison checked across worlds


def conclusions(obj, lang: str = "en") -> list[str]:
    """Plain sentences (4-8 per strategy after the first) stating what the comparison found."""
    check_lang(lang)
    f = shown(obj)
    out = []
    for b in f.others:
        out += [cap(x) for x in _sentences(f, b, lang)]
        lv = f.levers.get("ltv")
        if lv is not None and lv.carrier is not None and b == f.names[1]:
            out.append(_lever_sentence(f, lang))
        if b in f.worlds:
            out += [verdict_sentence(f.verdict(fig, b), lang) for fig in VERDICT_FIGURES if fig in f.worlds[b]]
    return [typeset(x, lang) for x in out]


# Sentence templates per language; the numbers are filled in by `_sentences` from the finding.
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
        "ltv_ci": "（{b} 元对 {a} 元；差值的 90% 区间为 {lo} 至 {hi} 元）",
        "ltv_one": "（{b} 元对 {a} 元），仅一次模拟；一次模拟没有区间，决策前请多跑几次",
        "ltv_zero": "，但区间包含零：{k} 次模拟中两者的 LTV 无法排出高下",
        "churn": "每月流失的客户{fewer} {d} 个百分点（{b} 对 {a}）",
        "churn_zero": "，差异在模拟波动之内",
        "cash": "累计利润最低降至 {b}（需先投入的资金），对比 {a}",
        "no_payback": "{days} 天内未回本；{cash}",
        "payback_only": "{when}回本，而{A}在 {days} 天内未回本；{cash}",
        "payback": "{rel}，{when}对第 {a} 天；{cash}",
        "payback_some": "{k} 次模拟中有 {nb} 次回本，平均在{when}；{A}有 {na} 次回本，平均在第 {a} 天；{cash}",
        "when": "第 {d} 天（第 {m} 个月）", "same_day": "同一天回本", "rel": "回本{later} {d} 天",
        "profit": "{days} 天内总利润{higher} {d}（{b}对 {a}）",
        "driver": "LTV 差距最大的来源是{name}：每位客户 {v} 元",
        "offset": "，部分被{name}抵消（{v} 元）",
    },
}


def _pick(pair: tuple[str, str], first: bool) -> str:
    return pair[0] if first else pair[1]


def _num(v, unit: str, lang: str, form: str = "level") -> str:
    """A number inside a template that says its unit itself."""
    return fmt(v, unit, lang, form, "sentence", units=False)


def _sentences(f: Finding, b: str, lang: str) -> list[str]:
    """The 4-5 sentences for strategy b against the first, in `lang`, from the templates."""
    T = TEMPLATES[lang]
    a = f.first
    A, B = scenario_label(a, lang), scenario_label(b, lang)
    ltv, churn = f.figures["ltv"], f.figures["churn_rate_monthly"]
    d, k = ltv.diffs[b], len(f.seeds)
    sa, sb = f.strategies[a], f.strategies[b]

    def money(v):
        return fmt(v, "rmb", lang, place="sentence")

    def rmb(v):
        return _num(v, "rmb_user", lang)
    s1 = T["ltv"].format(B=B, A=A, d=_num(d.mean, "rmb_user", lang, "size"), more=_pick(T["more"], d.mean >= 0))
    if k == 1:
        s1 += T["ltv_one"].format(b=rmb(ltv.values[b].mean), a=rmb(ltv.values[a].mean))
    else:
        s1 += T["ltv_ci"].format(b=rmb(ltv.values[b].mean), a=rmb(ltv.values[a].mean), lo=rmb(d.lo), hi=rmb(d.hi))
        if not d.side:
            s1 += T["ltv_zero"].format(k=k)
    c = churn.diffs[b]
    s2 = T["churn"].format(d=_num(c.mean, "share", lang, "size"), fewer=_pick(T["fewer"], c.mean <= 0),
                           b=_num(churn.values[b].mean, "share", lang), a=_num(churn.values[a].mean, "share", lang))
    if k > 1 and not c.side:
        s2 += T["churn_zero"]
    cash = T["cash"].format(b=money(sb.dip), a=money(sa.dip))
    if sb.payback is None:
        s3 = T["no_payback"].format(days=sa.days, cash=cash)
    else:
        when = T["when"].format(d=_num(sb.payback, "days", lang), m=sb.payback_month)
        if sa.payback is None:
            s3 = T["payback_only"].format(when=when, A=A, days=sa.days, cash=cash)
        elif min(sa.paid_back, sb.paid_back) < k:          # averages over different histories: no "later by"
            s3 = T["payback_some"].format(nb=sb.paid_back, na=sa.paid_back, k=k, when=when, A=A,
                                          a=_num(sa.payback, "days", lang), cash=cash)
        else:                                               # every history pays back: the table's paired gap
            gap = round(f.figures["payback_day"].diffs[b].mean)
            rel = T["same_day"] if gap == 0 else T["rel"].format(d=abs(gap), later=_pick(T["later"], gap > 0))
            s3 = T["payback"].format(rel=rel, when=when, a=_num(sa.payback, "days", lang), cash=cash)
    pa, pb = f.figures["profit"].values[a].mean, f.figures["profit"].values[b].mean
    s4 = T["profit"].format(days=sa.days, d=fmt(pb - pa, "rmb", lang, "size", "sentence"),
                            higher=_pick(T["higher"], pb >= pa), b=money(pb), a=money(pa))
    out = [s1, s2, s3, s4]
    br = f.bridge(b)
    if br.driver:
        s5 = T["driver"].format(name=label("d." + br.driver, lang), v=_num(br.parts[br.driver], "rmb_user", lang, "diff"))
        if br.offset:
            s5 += T["offset"].format(name=label("d." + br.offset, lang),
                                     v=_num(br.parts[br.offset], "rmb_user", lang, "diff"))
        out.append(s5)
    return [x + T["end"] for x in out]


def _lever_sentence(f: Finding, lang: str) -> str:
    """The lever carrying most of the LTV gap, in its direction (the finding's lever attribution)."""
    c = f.levers["ltv"]
    share = c.share(c.carrier).contribution
    v, lo, hi = (_num(x, "rmb_user", lang, form) for x, form in ((share.mean, "diff"), (share.lo, "level"),
                                                                   (share.hi, "level")))
    name = lever_words(c.carrier, lang)
    if lang == "en":
        return (f"Of the levers that differ, {name} carries the most of the LTV gap: "
                f"{v} RMB per customer (90% interval {lo} to {hi}).")
    return f"在不同的杠杆中，{name}贡献了 LTV 差距的最大部分：每位客户 {v} 元（90% 区间 {lo} 至 {hi} 元）。"


# ----------------------------------------------------------------- lever grids (sweeps)

def grid_conclusions(table, x: str, y: str, lang: str = "en",
                     objectives=None) -> list[str]:
    """Sentences about a two-lever sweep (one row per run, as sim.sweep returns): for the first
    objective, the best `x` at each level of `y` (one sentence when it is the same everywhere), then
    the best cell for every objective, then how many simulated histories each cell averages.
    `objectives`: (figure, "max" | "min") pairs; default LTV and monthly churn, each the way
    lab.figures.better_sign says is better. Best cells as lab.figures.best_cell picks them (the heatmap's too)."""
    check_lang(lang)
    objectives = objectives or best_ways(("ltv", "churn_rate_monthly"))
    out = []
    value, best = objectives[0]
    per_row = best_in_rows(table, x, y, value, best)
    word = {("en", "max"): "highest", ("en", "min"): "lowest", ("zh", "max"): "最高", ("zh", "min"): "最低"}
    xs, ys, vl = lever_name(x, lang), lever_name(y, lang), fig_name(value, lang)
    if len(set(per_row.values())) == 1:
        xv = level_text(x, next(iter(per_row.values())), lang)
        out.append(f"At every {ys.lower()} tried, {xv} gives the {word[(lang, best)]} {vl}." if lang == "en" else
                   f"在所试的每个{ys}下，{xv}的{vl}{word[(lang, best)]}。")
    else:
        colon = ": " if lang == "en" else "时"
        parts = [f"{level_text(y, yv, lang)}{colon}{level_text(x, xv, lang)}" for yv, xv in per_row.items()]
        out.append(f"The best {xs.lower()} depends on the {ys.lower()}: " + "; ".join(parts) + "." if lang == "en"
                   else f"最佳{xs}取决于{ys}：" + "；".join(parts) + "。")
    for fig, how in objectives:
        cell = best_cell(table, [y, x], fig, how)
        if cell is None:
            continue
        (yv, xv), v = cell
        at_y, at_x, fl = level_text(y, yv, lang), level_text(x, xv, lang), fig_name(fig, lang)
        out.append(f"The {word[(lang, how)]} {fl} of the grid is at {ys.lower()} {at_y} with {at_x}: "
                   f"{fmt(v, unit_of(fig), lang, place='sentence')}." if lang == "en" else
                   f"全网格{fl}{word[(lang, how)]}的组合是{ys} {at_y}、{at_x}：{fmt(v, unit_of(fig), lang, place='sentence')}。")
    k = int(table["seed"].nunique()) if "seed" in table else 1
    hist = "one simulated history" if k == 1 else f"{k} simulated histories"
    out.append(f"Each cell averages {hist}; rerun the best cells with more before deciding."
               if lang == "en" else f"每个格子是 {k} 次模拟的平均；决策前请用更多次模拟复核最佳的几个格子。")
    return [typeset(x, lang) for x in out]


def verdicts_text(f: Finding, lang: str = "en") -> str:
    """`python -m sim compare`: how the verdicts were checked, then each further strategy's verdict on LTV and
    on profit (conclusions_lab.verdict_sentence), one line each."""
    n, k = f.world_count, max((w.seeds for per in f.worlds.values() for w in per.values()), default=0)
    head = (f"Verdicts, each checked in {n} plausible worlds ({k} simulated {'history' if k == 1 else 'histories'} each; --worlds 0 leaves the "
            f"check out):" if n else "Verdicts on these assumptions alone (no plausible-worlds check: --worlds 0):")
    if lang == "zh":
        head = f"结论，每条都在 {n} 个合理情景中检验（每个情景 {k} 次模拟）：" if n else "仅基于本次假设的结论（未做合理情景检验）："
    return "\n".join([head] + [f"- {verdict_sentence(f.verdict(g, b), lang)}" for b in f.others
                               for g in VERDICT_FIGURES])


def print_conclusions(obj=None, grid=None) -> None:
    """Print the sentences in English, then in Chinese (the notebooks' conclusion cells).

    obj   a Finding (sim.findings_of: with its plausible-worlds verdicts), or a Comparison or results
          (shown without the worlds check);  grid  instead, (sweep table, x, y) for `grid_conclusions`
    """
    print_both(lambda lang: grid_conclusions(*grid, lang=lang) if grid is not None else conclusions(obj, lang))


__all__ = ["VERDICT_FIGURES", "conclusions", "grid_conclusions", "print_conclusions", "verdicts_text"]
