"""Stated conclusions of the lab's tools, English or Chinese: the case library's lever verdicts
(sim.lab.cases), the levers that carry a difference (a `Levers` finding of sim.explain), a difference
across plausible worlds (a `Worlds` finding of sim.robustness), the stated verdict that reconciles the
seeds with the worlds and names its hinge (a `Verdict`), and the strategy search (sim.optimise).

    from sim.present.conclusions_lab import print_case_conclusions, print_decide_conclusions
    print_case_conclusions(verdicts)                       # [lever_verdict(case), ...]
    print_decide_conclusions(ex, rob, opt, strategies=(A, B))

Every number is read from the findings passed in (sim.lab.verdicts): whether a lever pays is
`verdict_table`'s `pays` (the interval's side); which strategy is ahead, which lever carries a difference
(`Levers.carrier`), what a verdict hinges on and whether it is a finding, a condition or open
(`lab.verdicts.verdict`) are decided in the lab. Strategies are named by their display titles, levers and
assumptions by their display names or, for an assumption without one, the schema's plain words.
"""
from __future__ import annotations

import math
import operator

from ..core.scenario import Scenario, load_scenario
from ..lab.business import NOT_JOINED, Options
from ..lab.cases import verdict_table
from ..lab.experiments import interval_side
from ..lab.figures import unit_of
from ..lab.findings import scenario_titles
from ..lab.robustness import MIN_WORLDS
from ..lab.verdicts import Levers, Verdict, Worlds, levers_of, worlds_of
from .formats import fmt, level_text, lever_name
from .labels import check_lang, label, register_titles
from .phrases import assumption_words, cap, end, fig_name, flip_text, lever_words, print_both, typeset, who

OPS = {"<=": (operator.le, "at most", "不超过"), "<": (operator.lt, "below", "低于"),
       ">=": (operator.ge, "at least", "不低于"), ">": (operator.gt, "above", "高于")}


def amount(fig: str, v: float, lang: str, signed: bool = True) -> str:
    """A difference of summary figure `fig` in a sentence, signed or as a size."""
    return fmt(v, unit_of(fig), lang, "diff" if signed else "size", "sentence")


# ----------------------------------------------------------------- case library

CASE_WORDS = {"en": {True: "pays", False: "loses money", None: "is not clear (the interval spans zero)"},
              "zh": {True: "赚钱", False: "亏钱", None: "尚无定论（区间跨过零）"}}


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
        profit = [amount("profit", float(x), lang) for x in v["profit"]]
        ltv_on, ltv_off = (fmt(x, "rmb_user", lang, place="sentence", units=False) for x in (v["ltv_on"], v["ltv_off"]))
        word = CASE_WORDS[lang][p]
        if lang == "en":
            out.append(f"{title}: {lever_words(key, lang)} at {on} (against {off}) {word}: profit {profit[0]} over the "
                       f"run, 90% interval {profit[1]} to {profit[2]} over {v['seeds']} paired seeds; LTV {ltv_on} "
                       f"RMB per acquired customer with the lever, {ltv_off} RMB without.")
        else:
            out.append(f"{title}：{lever_words(key, lang)}设为 {on}（对照 {off}）{word}：模拟期内利润 {profit[0]}，"
                       f"{v['seeds']} 次配对模拟的 90% 区间为 {profit[1]} 至 {profit[2]}；每位获客用户 LTV "
                       f"有该杠杆时 {ltv_on} 元，没有时 {ltv_off} 元。")
    return [typeset(x, lang) for x in out]


def print_case_conclusions(verdicts: list[dict]) -> None:
    """Print `case_conclusions` in English, then in Chinese."""
    print_both(lambda lang: case_conclusions(verdicts, lang))


# ----------------------------------------------------------------- business options (sim.lab.business)

def option_words(q: Options, name: str, lang: str) -> str:
    """An option of a business question in words: 'not joining 双11', '双11 at 20% off', 'steer 50% of readers',
    an entry point's name, a membership programme's thresholds; an option of another kind by its name."""
    pct = f"{100 * float(name):g}%" if name != NOT_JOINED and q.kind in ("event", "steer") else ""
    if q.kind == "event":
        return label("opt.event.none" if name == NOT_JOINED else "opt.event", lang, name=q.subject, v=pct)
    if q.kind == "steer":
        return label("opt.steer.none", lang) if float(name) == 0 else label("opt.steer", lang, v=pct)
    if q.kind == "entry":
        return label(f"opt.entry.{name}", lang)
    if q.kind == "tier":
        if name == NOT_JOINED:
            return label("opt.tier.none", lang)
        sc = q.scenarios[q.options.index(name)]
        return label("opt.tier", lang, **{t: f"{sc.get(f'tiers.{t}.threshold_rmb'):,.0f}" for t in ("silver", "gold", "platinum")})
    return name


def options_sentence(q: Options, lang: str = "en", figure: str = "profit") -> str:
    """The option with the best `figure` (Options.best), its lead over the runner-up with the paired interval and
    whether the lead is clear, and its difference from the reference: one sentence, numbers as nbval keeps them."""
    check_lang(lang)
    b = q.best(figure)

    def money(v, form="diff"):
        return fmt(v, unit_of(figure), lang, form, "stable")
    s = label("opt.best", lang, best=option_words(q, b.option, lang), value=money(b.value, "level"),
              lead=money(b.diff, "size"), runner=option_words(q, b.runner_up, lang), lo=money(b.lo), hi=money(b.hi),
              settled=label("opt.settled" if b.settled else "opt.open", lang))
    ref = q.options[0]
    if b.option != ref:
        t = q.table()
        s += label("opt.against_ref", lang, ref=option_words(q, ref, lang), diff=money(t.at[b.option, f"{figure}_diff"]))
    return typeset(cap(s) + end(lang), lang)


# ----------------------------------------------------------------- levers (explain)

def levers_sentences(lv: Levers, lang: str = "en") -> list[str]:
    """B - A with its interval, the lever carrying most of it (`Levers.carrier`) and how much the levers
    add alone and together."""
    figure, t = lv.figure, lv.total
    A, B, fig = who(lv.a, lang), who(lv.b, lang), fig_name(figure, lang)
    higher = t.mean >= 0
    ci = (amount(figure, t.lo, lang), amount(figure, t.hi, lang))
    if lang == "en":
        s = (f"{B}'s {fig} is {amount(figure, t.mean, lang, signed=False)} {'higher' if higher else 'lower'} than "
             f"{A}'s (paired difference over {t.n} seeds, 90% interval {ci[0]} to {ci[1]})")
        if not t.side:
            s += f", but the interval includes zero: over {t.n} seeds the two cannot be ranked on it"
    else:
        s = (f"{B}的{fig}比{A}{'高' if higher else '低'} {amount(figure, t.mean, lang, signed=False)}"
             f"（{t.n} 次模拟的配对差值，90% 区间为 {ci[0]} 至 {ci[1]}）")
        if not t.side:
            s += f"，但区间包含零：{t.n} 次模拟下两者在这一指标上无法排出高下"
    out = [cap(s) + end(lang)]
    if lv.carrier is not None:
        c = lv.share(lv.carrier).contribution
        v, vlo, vhi = (amount(figure, x, lang) for x in (c.mean, c.lo, c.hi))
        name, n = lever_words(lv.carrier, lang), len(lv.levers)
        out.append(f"Of the {n} levers that differ, {name} carries the most of it: {v} (90% interval {vlo} "
                   f"to {vhi})." if lang == "en" else
                   f"在 {n} 个不同的杠杆中，{name}贡献最大：{v}（90% 区间 {vlo} 至 {vhi}）。")
    a_txt, t_txt, i_txt = (amount(figure, x, lang) for x in (lv.alone_sum, t.mean, lv.interaction.mean))
    out.append(f"Switched one at a time the levers would add {a_txt} in all; together they add {t_txt} "
               f"(interaction {i_txt})." if lang == "en" else
               f"各杠杆单独切换合计 {a_txt}；一起切换为 {t_txt}（交互作用 {i_txt}）。")
    return [typeset(x, lang) for x in out]


# ----------------------------------------------------------------- worlds (robustness)

def _hinge_tail(w: Worlds, lang: str) -> str:
    """What B - A hinges on, as the end of a sentence (w.state)."""
    if w.state == "flips":
        h = w.flips[0]
        v = flip_text(h.key, h.flip_value, lang, h.unit)
        name = assumption_words(h.key, h.meaning, lang)
        here = _here(h, lang)
        return (f"; the difference changes sign when {name} is {h.flip_side} {v}" + (f" ({here} here)" if here else "")
                if lang == "en" else f"；当{name}{'低于' if h.flip_side == 'below' else '高于'} {v} 时差异反号"
                + (f"（本次为 {here}）" if here else ""))
    if w.state == "moves":
        h = next(h for h in w.hinges if h.clear)
        name = assumption_words(h.key, h.meaning, lang)
        return (f"; it moves most with {name} but keeps its sign over that assumption's plausible range"
                if lang == "en" else f"；差异随{name}变化最大，但在其合理范围内不改变方向")
    if w.state == "few":
        gap = (w.finite, w.worlds) if w.finite < w.worlds else None
        return (f"; too few worlds{f' with a value for both ({gap[0]} of {gap[1]})' if gap else ''} (fewer than "
                f"{MIN_WORLDS}) to tell what it hinges on" if lang == "en" else
                f"；{f'两者都有数值的情景仅 {gap[0]}/{gap[1]} 个，' if gap else ''}情景太少（少于 {MIN_WORLDS} 个），"
                "无法判断它取决于哪个假设")
    return "; no assumption moves it clearly" if lang == "en" else "；没有哪个假设明显影响它"


def _here(h, lang: str) -> str:
    """The scenarios' own value of a hinge's assumption, as its flip value is written ('' when unknown)."""
    ok = isinstance(h.value, (int, float)) and not isinstance(h.value, bool)
    return flip_text(h.key, h.value, lang, h.unit) if ok else ""


def worlds_sentence(w: Worlds, lang: str = "en") -> str:
    """Which strategy does better on the figure in what share of plausible worlds (a tie counts half, and
    the sentence says how many tied), the spread of B - A across worlds and what it hinges on."""
    p, n, figure = w.a_better, w.worlds, w.figure
    A, B, fig = who(w.a, lang), who(w.b, lang), fig_name(figure, lang)
    med, lo, hi = (amount(figure, x, lang) for x in (w.median, w.lo, w.hi))
    if w.ties == n and w.finite == 0:            # e.g. neither pays back in any world
        head = (f"Across {n} plausible worlds, neither {A} nor {B} has a {fig} in any of them"
                if lang == "en" else f"在 {n} 个合理情景中，{A}与{B}在任何情景中都没有{fig}")
    elif w.ties == n:
        head = (f"Across {n} plausible worlds, {A} and {B} have the same {fig} in every one"
                if lang == "en" else f"在 {n} 个合理情景中，{A}与{B}的{fig}在每个情景中都相同")
    elif p == 0.5:
        head = (f"Across {n} plausible worlds, {A} and {B} each have the better {fig} in half of them"
                if lang == "en" else f"在 {n} 个合理情景中，{A}与{B}的{fig}各在一半情景中更优")
    else:
        name, share = (A, p) if p > 0.5 else (B, 1 - p)
        good = w.better > 0
        head = (f"Across {n} plausible worlds, {name} has the {'higher' if good else 'lower'} {fig} in "
                f"{100 * share:.0f}% of them" if lang == "en" else
                f"在 {n} 个合理情景中，{name}的{fig}在 {100 * share:.0f}% 的情景中更{'高' if good else '低'}")
    if 0 < w.ties < n:                           # the share counts a tie as half a win: say how many
        head += (f", counting the {w.ties} where they are equal as half each" if lang == "en" else
                 f"，其中 {w.ties} 个情景两者相同，各计一半")
    spread = ("" if w.finite == 0 else           # no world with a value for both: no spread to state
              f" (median of {B} minus {A}: {med}; 5% to 95% of worlds: {lo} to {hi})" if lang == "en" else
              f"（{B}减{A}的中位数 {med}；5% 至 95% 的情景在 {lo} 至 {hi} 之间）")
    return typeset(cap(head + spread + _hinge_tail(w, lang)) + end(lang), lang)


# ----------------------------------------------------------------- the stated verdict

def verdict_sentence(v: Verdict, lang: str = "en") -> str:
    """`_verdict_sentence`, typeset for `lang`."""
    return typeset(_verdict_sentence(v, lang), lang)


def _verdict_sentence(v: Verdict, lang: str) -> str:
    """One sentence reconciling the seeds' interval with the worlds' count (v.kind 'finding', 'conditional'
    or 'open'; 'seeds' without a worlds check), naming the assumption a conditional verdict rests on and
    where it flips; a conditional or open verdict is never stated as a finding."""
    figure, w, s = v.figure, v.worlds, v.seeds
    en = lang == "en"
    A, B, fig = who(v.a, lang), who(v.b, lang), fig_name(figure, lang)
    word = ("higher" if v.better > 0 else "lower") if en else ("更高" if v.better > 0 else "更低")
    lo, hi = amount(figure, s.lo, lang), amount(figure, s.hi, lang)
    gap = (f"{B} minus {A}: {lo} to {hi}, 90% interval over {s.n} histories" if en else
           f"{B}减{A}：{lo} 至 {hi}，{s.n} 次模拟的 90% 区间")
    it = v.kind == "conditional" and v.leader == v.ahead            # the sentence has named the leader already
    if v.leader:
        seeds = ((f"under these assumptions it is ahead ({gap})" if it else
                  f"under these assumptions {who(v.leader, lang)} has the {word} {fig} ({gap})") if en else
                 (f"在本次假设下它领先（{gap}）" if it else f"在本次假设下{who(v.leader, lang)}的{fig}{word}（{gap}）"))
    else:
        seeds = (f"under these assumptions {s.n} histories cannot rank the two on {fig} ({B} minus {A}: {lo} to {hi})"
                 if en else f"在本次假设下 {s.n} 次模拟无法就{fig}排出高下（{B}减{A}：{lo} 至 {hi}）")
    if w is None:
        return cap(seeds) + (" (not checked across plausible worlds)." if en else "（未在合理情景中检验）。")
    n, ties = w.worlds, w.ties
    if v.kind == "finding":
        tied = ((f" that rank them ({ties} of {n} tied)" if en else f"中能分出高下的 {n - ties} 个（另 {ties} 个持平）")
                if ties else "")
        return cap(seeds + (f", and it is ahead in every one of the {n} plausible worlds drawn from the assumptions' "
                            f"ranges{tied}: a finding" if en else
                            f"，且在从各假设合理范围抽取的 {n} 个情景{tied}中全部领先：这是一个结论")) + end(lang)
    if v.kind == "conditional":
        h, ahead = v.condition, who(v.ahead, lang)
        name, at = assumption_words(h.key, h.meaning, lang), flip_text(h.key, h.flip_value, lang, h.unit)
        here = _here(h, lang)
        m = w.better_in(v.ahead)
        if en:
            bound = "at least" if h.holds_side == "above" else "at most"
            return cap(f"{ahead} has the {word} {fig} only if {name} is {bound} {at}" + (f" ({here} here)" if here else "")
                       + f", so this is a condition, not a finding: {seeds}, and {'it' if it else ahead} is ahead in "
                       f"{m} of {n} plausible worlds") + end(lang)
        bound = "不低于" if h.holds_side == "above" else "不高于"
        return (f"仅当{name}{bound} {at} 时{ahead}的{fig}{word}" + (f"（本次为 {here}）" if here else "")
                + f"，因此这是一个条件，不是结论：{seeds}，在 {n} 个合理情景中{'它' if it else ahead}在 {m} 个领先。")
    name = v.leader or v.ahead
    tied = (f" ({ties} tied)" if en else f"（另 {ties} 个持平）") if ties else ""
    if v.leader and v.agree == n - ties:                     # every world agrees, but too few to call it a finding
        return cap(seeds + (f", and it is ahead in all {v.agree} plausible worlds that rank them{tied}, too few (fewer "
                            f"than {MIN_WORLDS}) to call it a finding" if en else
                            f"，且在能分出高下的 {v.agree} 个合理情景中全部领先{tied}，但情景太少（少于 {MIN_WORLDS} 个），"
                            "不足以成为结论")) + end(lang)
    if name:
        other = v.a if name == v.b else v.b
        split = (f"; across {n} plausible worlds {who(name, lang)} is ahead in {w.better_in(name)} and "
                 f"{who(other, lang)} in {w.better_in(other)}{tied}" if en else
                 f"；在 {n} 个合理情景中{who(name, lang)}在 {w.better_in(name)} 个领先，{who(other, lang)}在 "
                 f"{w.better_in(other)} 个领先{tied}")
    else:
        split = (f"; across {n} plausible worlds neither is ahead more often{tied}" if en else
                 f"；在 {n} 个合理情景中两者领先的次数相同{tied}")
    return cap(seeds + split + (", so this is not settled, not a finding" if en else "，因此尚无定论，不是结论")
               + _hinge_tail(w, lang)) + end(lang)


# ----------------------------------------------------------------- decide: optimise

def limit_words(name: str, value: float, lang: str) -> str:
    """A limit on a summary figure (no dot in its name) or a scenario key, written with its unit."""
    return level_text(name, value, lang, spec=".3g") if "." in name else fmt(value, unit_of(name), lang,
                                                                             place="sentence")


def constraint_words(name: str, op: str, value: float, lang: str) -> str:
    """A constraint in words: 'monthly churn at most 10.0%' / '月流失率不超过 10.0%'."""
    what = lever_words(name, lang) if "." in name else fig_name(name, lang)
    word = OPS[op][1 if lang == "en" else 2]
    return f"{what} {word} {limit_words(name, value, lang)}" if lang == "en" else f"{what}{word} {limit_words(name, value, lang)}"


def optimise_sentences(opt, lang: str = "en") -> list[str]:
    """What the search found against its start on fresh seeds (sim.optimise), and whether each
    figure constraint holds there."""
    obj, c = opt.objective, opt.check
    start, fig = who(opt.start.name, lang), fig_name(obj, lang)
    want = "highest" if opt.direction.startswith("max") else "lowest"
    params = (", " if lang == "en" else "、").join(f"{lever_name(k, lang)} {level_text(k, v, lang, spec='.3g')}"
                                                 for k, v in opt.best_params.items())
    cons = [constraint_words(k, op, v, lang) for k, (op, v) in opt.constraints.items()]
    d, lo, hi, k = (float(c.at[obj, x]) for x in ("diff", "lo", "hi", "n"))
    k = int(k)
    ci = (amount(obj, lo, lang), amount(obj, hi, lang))
    higher = d >= 0
    spans = not interval_side(lo, hi)
    if lang == "en":
        s = (f"Searching from {start} for the {want} {fig}" + (f" with {' and '.join(cons)}" if cons else "")
             + f", the best of {len(opt.trials)} trials ({params}) gives {amount(obj, d, lang, signed=False)} "
             f"{'more' if higher else 'less'} {fig} than {start} on {k} fresh seeds (90% interval {ci[0]} to {ci[1]})")
        if spans:
            s += ", within the noise of these seeds"
    else:
        s = (f"从{start}出发搜索{fig}{'最高' if want == 'highest' else '最低'}的设置"
             + (f"（约束：{'、'.join(cons)}）" if cons else "")
             + f"，{len(opt.trials)} 次试验中最佳的设置（{params}）在 {k} 次新的模拟中{fig}比{start}"
             f"{'高' if higher else '低'} {amount(obj, d, lang, signed=False)}（90% 区间 {ci[0]} 至 {ci[1]}）")
        if spans:
            s += "，差异在这些模拟的波动之内"
    out = [s + end(lang)]
    for name, (op, limit) in opt.constraints.items():
        if name == obj or name not in c.index or not math.isfinite(float(c.at[name, "best"])):
            continue
        best = float(c.at[name, "best"])
        ok = OPS[op][0](best, limit)
        out.append(f"On those seeds its {fig_name(name, lang)} is {limit_words(name, best, lang)}, "
                   f"{'within' if ok else 'outside'} the limit ({constraint_words(name, op, limit, lang)})."
                   if lang == "en" else
                   f"在这些模拟中其{fig_name(name, lang)}为 {limit_words(name, best, lang)}，"
                   f"{'在限制之内' if ok else '超出限制'}（{constraint_words(name, op, limit, lang)}）。")
    return [typeset(x, lang) for x in out]


# ----------------------------------------------------------------- decide: all four

def register_strategies(strategies) -> None:
    """Record the display titles of the strategies compared (paths or Scenarios)."""
    scs = [s if isinstance(s, Scenario) else load_scenario(s) for s in strategies or ()]
    register_titles(scenario_titles({sc.name: sc for sc in scs}))


def decide_conclusions(ex=None, rob=None, opt=None, lang: str = "en", figure: str = "profit",
                       strategies=None) -> list[str]:
    """Sentences for notebook 08's findings: the lever attribution of `figure` (ex: sim.explain), the
    robustness of every figure `rob` measured (sim.robustness), and the search's check (opt); any may be None."""
    check_lang(lang)
    register_strategies(strategies)
    if opt is not None and opt.start.title:
        register_titles(scenario_titles({opt.start.name: opt.start}))
    out = []
    if ex is not None:
        out += levers_sentences(levers_of(ex)[figure], lang)
    if rob is not None:
        out += [worlds_sentence(w, lang) for w in worlds_of(rob).values()]
    if opt is not None:
        out += optimise_sentences(opt, lang)
    return out


def print_decide_conclusions(ex=None, rob=None, opt=None, figure: str = "profit", strategies=None) -> None:
    """Print `decide_conclusions` in English, then in Chinese."""
    print_both(lambda lang: decide_conclusions(ex, rob, opt, lang, figure, strategies))


__all__ = ["amount", "case_conclusions", "constraint_words", "limit_words", "decide_conclusions", "levers_sentences", "optimise_sentences",
           "print_case_conclusions", "print_decide_conclusions", "register_strategies", "verdict_sentence",
           "worlds_sentence"]
