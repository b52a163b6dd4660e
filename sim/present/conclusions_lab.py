"""Stated conclusions of the lab's tools, English or Chinese: the case library's lever verdicts
(sim.lab.cases) and the decide tools (sim.explain, sim.robustness, sim.optimise).

    from sim.present.conclusions_lab import print_case_conclusions, print_decide_conclusions
    print_case_conclusions(verdicts)                       # [lever_verdict(case), ...]
    print_decide_conclusions(ex, rob, opt, strategies=(A, B))

Every number is read from the objects passed in. Whether a lever pays is `verdict_table`'s `pays`
(the 90% interval of the profit effect above zero, below it, or spanning it); which strategy is
ahead, which lever carries a difference and whether a limit holds all follow from the numbers.
Strategies are named by their display titles (`title` / `title_zh`, registered from `strategies`
or a shipped scenario's label), levers and assumptions by their display names (labels.LEVERS,
the `l.` labels), falling back to the dotted key where there is none.
"""
from __future__ import annotations

import math
import operator

from ..core.scenario import Scenario, load_scenario
from ..lab.cases import verdict_table
from ..lab.figures import better_sign
from ..lab.robustness import MIN_WORLDS, hinge_finding, missing_worlds
from .conclusions import (
    TEMPLATES,
    _fig_name,
    flip_text,
    inline,
    lever_words,
    print_both,
)
from .formats import figure_text, level_text, lever_name, rmb_signed
from .labels import FIGURES, check_lang, register_titles, scenario_label
from .readings import carrier, interval_side

OPS = {"<=": (operator.le, "at most", "不超过"), "<": (operator.lt, "below", "低于"),
       ">=": (operator.ge, "at least", "不低于"), ">": (operator.gt, "above", "高于")}


# ----------------------------------------------------------------- names in a sentence

def amount(fig: str, v: float, lang: str, signed: bool = True) -> str:
    """A difference of summary figure `fig` in a sentence, signed or as a size (formats.figure_text)."""
    return figure_text(fig, v, lang, "diff" if signed else "size")


def _who(name: str, lang: str) -> str:
    return inline(scenario_label(name, lang), lang)


def _end(lang: str) -> str:
    return TEMPLATES[lang]["end"]


def _cap(s: str) -> str:
    return s[0].upper() + s[1:] if s else s


# ----------------------------------------------------------------- case library

CASE_WORDS = {"en": {True: "pays", False: "loses money", None: "is not clear (the interval spans zero)"},
              "zh": {True: "赚钱", False: "亏钱", None: "尚无定论(区间跨过零)"}}


def case_conclusions(verdicts: list[dict], lang: str = "en") -> list[str]:
    """One sentence per case verdict (sim.lab.cases.lever_verdict): the case's title, the lever and
    its value, whether it pays (verdict_table's `pays`), the profit effect with its 90% interval,
    and LTV with and without the lever."""
    check_lang(lang)
    pays = verdict_table(verdicts)["pays"].tolist() if verdicts else []
    out = []
    for v, p in zip(verdicts, pays):
        title = v["title_zh"] if lang == "zh" else v["title"]
        key = v["lever"]
        on, off = level_text(key, v["on"], lang), level_text(key, v["off"], lang)
        d, lo, hi = (float(x) for x in v["profit"])
        profit = [amount("profit", x, lang) for x in (d, lo, hi)]
        ltv_on, ltv_off = rmb_or_dash(v["ltv_on"]), rmb_or_dash(v["ltv_off"])
        word = CASE_WORDS[lang][p]
        if lang == "en":
            out.append(f"{title}: {lever_words(key, lang)} at {on} (against {off}) {word}: profit {profit[0]} over the "
                       f"run, 90% interval {profit[1]} to {profit[2]} over {v['seeds']} paired seeds; LTV {ltv_on} "
                       f"RMB per acquired customer with the lever, {ltv_off} RMB without.")
        else:
            out.append(f"{title}:{lever_words(key, lang)}设为 {on}(对照 {off}){word}:模拟期内利润 {profit[0]},"
                       f"{v['seeds']} 个配对种子的 90% 区间为 {profit[1]} 至 {profit[2]};每位获客用户 LTV "
                       f"有该杠杆时 {ltv_on} 元,没有时 {ltv_off} 元。")
    return out


def rmb_or_dash(v) -> str:
    return "-" if v is None or not math.isfinite(float(v)) else rmb_signed(float(v))


def print_case_conclusions(verdicts: list[dict]) -> None:
    """Print `case_conclusions` in English, then in Chinese."""
    print_both(lambda lang: case_conclusions(verdicts, lang))


# ----------------------------------------------------------------- decide: explain

def explain_sentences(ex, figure: str = "profit", lang: str = "en") -> list[str]:
    """B - A of `figure` with its interval, the lever carrying most of it (largest contribution in the
    direction of the total) and how much the levers add alone and together (sim.explain)."""
    t = ex.totals.loc[figure]
    total, lo, hi, n = float(t["total"]), float(t["lo"]), float(t["hi"]), int(t["n"])
    A, B, fig = _who(ex.a_name, lang), _who(ex.b_name, lang), _fig_name(figure, lang)
    higher = total >= 0
    ci = (amount(figure, lo, lang), amount(figure, hi, lang))
    if lang == "en":
        s = (f"{B}'s {fig} is {amount(figure, total, lang, signed=False)} {'higher' if higher else 'lower'} than "
             f"{A}'s (paired difference over {n} seeds, 90% interval {ci[0]} to {ci[1]})")
        if not interval_side(lo, hi):
            s += f", but the interval includes zero: over {n} seeds the two cannot be ranked on it"
    else:
        s = (f"{B}的{fig}比{A}{'高' if higher else '低'} {amount(figure, total, lang, signed=False)}"
             f"({n} 个种子的配对差值,90% 区间为 {ci[0]} 至 {ci[1]})")
        if not interval_side(lo, hi):
            s += f",但区间包含零:{n} 个种子下两者在这一指标上无法排出高下"
    out = [_cap(s) + _end(lang)]
    c = ex.contributions[ex.contributions["figure"] == figure]
    top = carrier(c["contribution"], total)
    alone, inter = float(c["alone"].sum()), float(t["interaction"])
    if top is not None:
        r = c.loc[top]
        v, vlo, vhi = (amount(figure, float(r[k]), lang) for k in ("contribution", "lo", "hi"))
        name = lever_words(r["lever"], lang)
        out.append(f"Of the {len(c)} levers that differ, {name} carries the most of it: {v} (90% interval {vlo} "
                   f"to {vhi})." if lang == "en" else
                   f"在 {len(c)} 个不同的杠杆中,{name}贡献最大:{v}(90% 区间 {vlo} 至 {vhi})。")
    a_txt, t_txt, i_txt = (amount(figure, x, lang) for x in (alone, total, inter))
    out.append(f"Switched one at a time the levers would add {a_txt} in all; together they add {t_txt} "
               f"(interaction {i_txt})." if lang == "en" else
               f"各杠杆单独切换合计 {a_txt};一起切换为 {t_txt}(交互作用 {i_txt})。")
    return out


# ----------------------------------------------------------------- decide: robustness

def robustness_sentence(rob, figure: str, lang: str = "en") -> str:
    """Which strategy does better on `figure` in what share of plausible worlds (a tie counts half, and
    the sentence says how many tied), the spread of B - A across worlds and what it hinges on
    (sim.robustness; hinges by lab.robustness.hinge_finding)."""
    s = rob.summary.loc[figure]
    p, n = float(s["p_a_beats_b"]), int(s["worlds"])
    A, B, fig = _who(rob.a_name, lang), _who(rob.b_name, lang), _fig_name(figure, lang)
    good = better_sign(figure) > 0
    med, lo, hi = (amount(figure, float(s[k]), lang) for k in ("median", "lo", "hi"))
    ties = int(s.get("ties", 0))
    if ties == n and int(s["finite"]) == 0:       # e.g. neither pays back in any world
        head = (f"Across {n} plausible worlds, neither {A} nor {B} has a {fig} in any of them"
                if lang == "en" else f"在 {n} 个合理情景中,{A}与{B}在任何情景中都没有{fig}")
    elif ties == n:
        head = (f"Across {n} plausible worlds, {A} and {B} have the same {fig} in every one"
                if lang == "en" else f"在 {n} 个合理情景中,{A}与{B}的{fig}在每个情景中都相同")
    elif p == 0.5:
        head = (f"Across {n} plausible worlds, {A} and {B} each have the better {fig} in half of them"
                if lang == "en" else f"在 {n} 个合理情景中,{A}与{B}的{fig}各在一半情景中更优")
    else:
        who, share = (A, p) if p > 0.5 else (B, 1 - p)
        head = (f"Across {n} plausible worlds, {who} has the {'higher' if good else 'lower'} {fig} in "
                f"{100 * share:.0f}% of them" if lang == "en" else
                f"在 {n} 个合理情景中,{who}的{fig}在 {100 * share:.0f}% 的情景中更{'高' if good else '低'}")
    if 0 < ties < n:                              # the share counts a tie as half a win: say how many
        head += (f", counting the {ties} where they are equal as half each" if lang == "en" else
                 f",其中 {ties} 个情景两者相同,各计一半")
    spread = ("" if int(s["finite"]) == 0 else           # no world with a value for both: no spread to state
              f" (median of {B} minus {A}: {med}; 5% to 95% of worlds: {lo} to {hi})" if lang == "en" else
              f"({B}减{A}的中位数 {med};5% 至 95% 的情景在 {lo} 至 {hi} 之间)")
    h = hinge_finding(rob, figure)
    if h["state"] == "flips":
        key, side, v = h["flips"][0]
        tail = (f"; the difference changes sign when {lever_words(key, lang)} is {side} {flip_text(key, v, lang)}"
                if lang == "en" else
                f";当{lever_words(key, lang)}{'低于' if side == 'below' else '高于'} {flip_text(key, v, lang)} 时差异反号")
    elif h["state"] == "moves":
        tail = (f"; it moves most with {lever_words(h['key'], lang)} but keeps its sign over that assumption's "
                "plausible range" if lang == "en" else
                f";差异随{lever_words(h['key'], lang)}变化最大,但在其合理范围内不改变方向")
    elif h["state"] == "few":
        gap = missing_worlds(s)
        tail = (f"; too few worlds{f' with a value for both ({gap[0]} of {gap[1]})' if gap else ''} (fewer than "
                f"{MIN_WORLDS}) to tell what it hinges on" if lang == "en" else
                f";{f'两者都有数值的情景仅 {gap[0]}/{gap[1]} 个,' if gap else ''}情景太少(少于 {MIN_WORLDS} 个),"
                "无法判断它取决于哪个假设")
    else:
        tail = "; no assumption moves it clearly" if lang == "en" else ";没有哪个假设明显影响它"
    return _cap(head + spread + tail) + _end(lang)


# ----------------------------------------------------------------- decide: optimise

def _limit(name: str, value: float, lang: str) -> str:
    return figure_text(name, value, lang) if name in FIGURES else level_text(name, value, lang, spec=".3g")


def _constraint(name: str, op: str, value: float, lang: str) -> str:
    what = _fig_name(name, lang) if name in FIGURES else lever_words(name, lang)
    word = OPS[op][1 if lang == "en" else 2]
    return f"{what} {word} {_limit(name, value, lang)}" if lang == "en" else f"{what}{word} {_limit(name, value, lang)}"


def optimise_sentences(opt, lang: str = "en") -> list[str]:
    """What the search found against its start on fresh seeds (sim.optimise), and whether each
    figure constraint holds there."""
    obj, c = opt.objective, opt.check
    start, fig = _who(opt.start.name, lang), _fig_name(obj, lang)
    want = "highest" if opt.direction.startswith("max") else "lowest"
    params = (", " if lang == "en" else "、").join(f"{lever_name(k, lang)} {level_text(k, v, lang, spec='.3g')}"
                       for k, v in opt.best_params.items())
    cons = [_constraint(k, op, v, lang) for k, (op, v) in opt.constraints.items()]
    d, lo, hi, k = (float(c.at[obj, x]) for x in ("diff", "lo", "hi", "n"))
    k = int(k)
    ci = (amount(obj, lo, lang), amount(obj, hi, lang))
    higher = d >= 0
    if lang == "en":
        s = (f"Searching from {start} for the {want} {fig}" + (f" with {' and '.join(cons)}" if cons else "")
             + f", the best of {len(opt.trials)} trials ({params}) gives {amount(obj, d, lang, signed=False)} "
             f"{'more' if higher else 'less'} {fig} than {start} on {k} fresh seeds (90% interval {ci[0]} to {ci[1]})")
        if not interval_side(lo, hi):
            s += ", within the noise of these seeds"
    else:
        s = (f"从{start}出发搜索{fig}{'最高' if want == 'highest' else '最低'}的设置"
             + (f"(约束:{'、'.join(cons)})" if cons else "")
             + f",{len(opt.trials)} 次试验中最佳的设置({params})在 {k} 个新种子上的{fig}比{start}"
             f"{'高' if higher else '低'} {amount(obj, d, lang, signed=False)}(90% 区间 {ci[0]} 至 {ci[1]})")
        if not interval_side(lo, hi):
            s += ",差异在这些种子的波动之内"
    out = [s + _end(lang)]
    for name, (op, limit) in opt.constraints.items():
        if name == obj or name not in c.index or not math.isfinite(float(c.at[name, "best"])):
            continue
        best = float(c.at[name, "best"])
        ok = OPS[op][0](best, limit)
        out.append(f"On those seeds its {_fig_name(name, lang)} is {figure_text(name, best, lang)}, "
                   f"{'within' if ok else 'outside'} the limit ({_constraint(name, op, limit, lang)})."
                   if lang == "en" else
                   f"在这些种子上其{_fig_name(name, lang)}为 {figure_text(name, best, lang)},"
                   f"{'在限制之内' if ok else '超出限制'}({_constraint(name, op, limit, lang)})。")
    return out


# ----------------------------------------------------------------- decide: all four

def register_strategies(strategies) -> None:
    """Record the display titles of the strategies compared (paths or Scenarios)."""
    for s in strategies or ():
        sc = s if isinstance(s, Scenario) else load_scenario(s)
        register_titles(sc.name, sc)


def decide_conclusions(ex=None, rob=None, opt=None, lang: str = "en", figure: str = "profit",
                       strategies=None) -> list[str]:
    """Sentences for notebook 08's findings: the lever attribution of `figure` (ex), the robustness
    verdict of every figure `rob` measured, and the search's check (opt); any may be None."""
    check_lang(lang)
    register_strategies(strategies)
    if opt is not None and opt.start.title:
        register_titles(opt.start.name, opt.start)
    out = []
    if ex is not None:
        out += explain_sentences(ex, figure, lang)
    if rob is not None:
        out += [robustness_sentence(rob, f, lang) for f in rob.summary.index]
    if opt is not None:
        out += optimise_sentences(opt, lang)
    return out


def print_decide_conclusions(ex=None, rob=None, opt=None, figure: str = "profit", strategies=None) -> None:
    """Print `decide_conclusions` in English, then in Chinese."""
    print_both(lambda lang: decide_conclusions(ex, rob, opt, lang, figure, strategies))


__all__ = ["amount", "case_conclusions", "decide_conclusions", "explain_sentences", "optimise_sentences",
           "print_case_conclusions", "print_decide_conclusions", "register_strategies", "robustness_sentence"]
