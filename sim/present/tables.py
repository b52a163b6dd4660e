"""Every table of numbers the lab shows, as cells or as text: the one comparison table (report, deck,
`sim compare`, the notebooks' summary tables), the tables of the decide tools (`compare --explain`,
`--uncertain`, `optimise`) and a sweep's best cells. Cells are written by formats.fmt, text tables laid
out by `text_grid`; every number comes from a finding (sim.lab.findings, sim.lab.verdicts).

    head, rows = comparison_rows(finding, "zh")                 # report and deck (place="table")
    print(comparison_text(finding, KEY_FIGURES))                # python -m sim compare
    print(summary_table(cmp))                                   # notebooks: coarse numbers nbval can check
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..lab.experiments import Estimate
from ..lab.figures import best_cell, better_sign, unit_of
from ..lab.findings import Finding
from ..lab.verdicts import Levers, Worlds
from .formats import fmt, level_text, lever_name, missing, setting_text, setting_words, written_zero
from .inputs import shown
from .labels import check_lang, figure_label, label, scenario_label
from .phrases import cap

REPORT_FIGURES = ("ltv", "ltv_to_cac", "churn_rate_monthly", "retention_90d", "referral_share", "payback_day",
                  "profit", "pool_size_end")
SUMMARY_FIGURES = ("ltv", "churn_rate_monthly", "referral_share", "payback_day")
HEADS = {"figure": ("figure", "指标"), "mean_ci": ("{name} (average [90% interval])", "{name}（平均 [90% 区间]）"),
         "diff": ("{b} - {a} (paired)", "{b} - {a}（配对）"),
         "one": ("one simulated history", "模拟 1 次"), "many": ("averages of {k} simulated histories", "模拟 {k} 次的平均"),
         "paired": ("; differences paired by history [90% interval]", "；差值逐次配对 [90% 区间]")}


def text_grid(head: list[str], rows: list[list[str]]) -> list[str]:
    """Lines of a plain-text table: first column left-aligned, the others right-aligned, a rule under the
    header."""
    cols = [(h, [str(r[i]) for r in rows]) for i, h in enumerate(head)]
    widths = [max([len(h)] + [len(c) for c in cells]) for h, cells in cols]
    just = [str.ljust] + [str.rjust] * (len(cols) - 1)
    out = ["  ".join(j(h, w) for j, (h, _), w in zip(just, cols, widths)).rstrip(),
           "  ".join("-" * w for w in widths)]
    for r in range(len(cols[0][1])):
        out.append("  ".join(j(cells[r], w) for j, (_, cells), w in zip(just, cols, widths)).rstrip())
    return out


@dataclass(frozen=True)
class Cell:
    """One number of a table as written: its text, its 90% interval as text ('' when none) and its tone for a
    styled table: +1 the better value of its row or a difference in the better direction, -1 a difference
    in the worse direction, 0 neither (or not clear: its interval spans zero)."""
    text: str
    interval: str = ""
    tone: int = 0

    def __str__(self) -> str:
        return f"{self.text} {self.interval}" if self.interval else self.text


def cell(e: Estimate, unit: str, lang: str = "en", form: str = "level", place: str = "table",
         interval: bool = True) -> str:
    """An estimate in a table cell: the mean, and its 90% interval in brackets when `interval` and known."""
    return str(_cell(e, unit, lang, form, place, interval))


def _cell(e: Estimate, unit: str, lang: str, form: str, place: str, interval: bool, tone: int = 0,
          scale: float = 1.0, bare: bool = False) -> Cell:
    """`cell` as a Cell; `scale` divides the numbers (a money row written in 万); `bare` writes the interval
    without the points' unit, which its number carries (always so for Chinese points: 个百分点 once, after
    the mean)."""
    bare = bare or (lang == "zh" and unit == "share" and form != "level")
    def w(v, plain=False):
        return fmt(v / scale, unit if scale == 1 else "wan", lang, form, place, not plain)
    known = interval and math.isfinite(e.lo) and math.isfinite(e.hi)
    sep = ", " if lang == "en" else "，"
    text = w(e.mean)
    return Cell(text, f"[{w(e.lo, bare)}{sep}{w(e.hi, bare)}]" if known else "", 0 if written_zero(text) else tone)


def _head(key: str, lang: str, **kw) -> str:
    return HEADS[key][check_lang(lang)].format(**kw)


def _tone(d: Estimate, better: int) -> int:
    """A difference's tone: its interval's side in the better direction; with one history (no interval)
    its sign."""
    side = d.side if d.n > 1 else (0 if missing(d.mean) or d.mean == 0 else (1 if d.mean > 0 else -1))
    return side * better


def _best(g, names, first: str) -> str | None:
    """The strategy whose value of figure `g` is clearly the best: the best mean, when its paired difference
    from the first strategy (or, for the first, every other's from it) points its way beyond the noise."""
    means = {n: g.values[n].mean for n in names if not missing(g.values[n].mean)}
    if len(means) < 2:
        return None
    top = max(means, key=lambda n: g.better * means[n])
    if sum(1 for v in means.values() if v == means[top]) > 1:
        return None
    if top == first:
        return top if all(_tone(g.diffs[o], g.better) < 0 for o in names if o != first) else None
    return top if _tone(g.diffs[top], g.better) > 0 else None


def comparison_grid(obj, lang: str = "en", figures=REPORT_FIGURES, place: str = "table", diffs=None,
                    styled: bool = False) -> tuple[list, list]:
    """The one comparison table as cells: header (figure, each strategy, each difference from the first)
    and per figure [figure name with its unit, Cell...]; each strategy's mean over histories with its 90%
    interval ('table'; 'stable' writes the means coarsely without one) and the paired differences from the
    first strategy with theirs. `diffs` the further strategies whose difference is shown (default: all);
    `styled` (styled tables, whose note says what the numbers are): columns named by the strategies alone,
    money totals in 万 in Chinese, intervals without the points' unit. Cells carry their tone (Cell)."""
    f = shown(obj)
    lab = {n: scenario_label(n, lang) for n in f.names}
    report = place == "table"
    shown_diffs = [n for n in f.others if diffs is None or n in diffs]
    if styled:
        head = ([label("ui.figure", lang)] + [lab[n] for n in f.names]
                + [label("pg.diff", lang, a=lab[f.first], b=lab[n]) for n in shown_diffs])
    elif report:
        head = ([_head("figure", lang)] + [_head("mean_ci", lang, name=lab[n]) for n in f.names]
                + [_head("diff", lang, a=lab[f.first], b=lab[n]) for n in shown_diffs])
    else:
        head = [""] + [lab[n] for n in f.names] + [f"{lab[n]} - {lab[f.first]}" for n in shown_diffs]
    rows = []
    for name in figures:
        if name not in f.figures:
            continue
        g = f.figures[name]
        scale, unit_text = 1.0, None
        if styled and lang == "zh" and g.unit == "rmb":
            scale, unit_text = 1e4, label("u.wan_rmb", lang)
        best = _best(g, f.names, f.first)
        never = Cell(label("pg.no_payback", lang))          # styled: a payback that never came, in words
        rows.append([figure_label(name, lang, unit_text=unit_text)]
                    + [never if styled and name == "payback_day" and missing(g.values[n].mean) else
                       _cell(g.values[n], g.unit, lang, "level", place, report or styled, int(n == best), scale, styled)
                       for n in f.names]
                    + [_cell(g.diffs[n], g.unit, lang, "diff", place, True, _tone(g.diffs[n], g.better), scale,
                             styled) for n in shown_diffs])
    return head, rows


def comparison_rows(obj, lang: str = "en", figures=REPORT_FIGURES, place: str = "table") -> tuple[list, list]:
    """Header and rows of the comparison table as text (comparison_grid): each strategy's mean and the
    paired differences from the first strategy with their 90% intervals. place 'table' (report, deck, CLI):
    every mean with its interval, headers in words; 'stable' (notebooks): coarse means without intervals,
    bare headers."""
    head, rows = comparison_grid(obj, lang, figures, place)
    return head, [[r[0]] + [str(c) for c in r[1:]] for r in rows]


def differs_lines(f: Finding) -> list[str]:
    """One line per further strategy naming how many settings differ from the first, then each one."""
    lines = []
    for n in f.others:
        diff = f.differs.get(n, ())
        lines.append(f"'{n}' differs from '{f.first}' in {len(diff)} setting(s)" + (":" if diff else ""))
        lines += [f"  {k}: {setting_text(va)} -> {setting_text(vb)}" for k, va, vb in diff]
    return lines


def _ratio(v: float) -> str:
    if math.isnan(v):
        return "-"
    return "inf" if math.isinf(v) else f"{v:,.1f}x" if v < 100 else f"{v:,.0f}x"


def comparison_text(obj, figures=REPORT_FIGURES, vr: bool = False) -> str:
    """`python -m sim compare`: what ran, the settings that differ, and the comparison table (English);
    `vr` adds each difference's variance ratio (how many times more seeds unpaired runs would need) and a
    line per strategy on what pairing saved."""
    f = shown(obj)
    head, rows = comparison_rows(f, "en", figures)
    s = f.seeds
    note = (f"{len(f.names)} strategies x {len(s)} simulated histories (seeds {s[0]}-{s[-1]}), a market of "
            f"{f.users:,} people ({f.agents:,} agents) x {f.days} days; 90% intervals; differences paired by seed")
    if vr:
        shown_figs = [g for g in figures if g in f.figures]
        for n in f.others:
            head.append(f"vr {scenario_label(n)}" if len(f.others) > 1 else "vr")
            for row, g in zip(rows, shown_figs):
                row.append(_ratio(f.figures[g].diffs[n].vr))
    lines = [note] + differs_lines(f) + [""] + text_grid(head, rows)
    if vr:
        lines += [""] + [_pairing_line(f, n) for n in f.others]
    return "\n".join(lines)


def _pairing_line(f: Finding, n: str) -> str:
    ltv = f.figures["ltv"].diffs[n].vr if "ltv" in f.figures else math.nan
    who = f"'{n}' vs '{f.first}'"
    if math.isinf(ltv):
        return f"Variance reduction from pairing ({who}): the LTV difference is the same in every seed."
    if math.isnan(ltv):
        return f"Variance reduction from pairing ({who}): not measurable for LTV."
    return (f"Variance reduction from pairing ({who}): the LTV difference varies {_ratio(ltv)} less than with "
            f"independent seeds (as many times more seeds would be needed without pairing).")


def summary_table(obj, figures=SUMMARY_FIGURES, lang: str = "en") -> str:
    """The comparison table as text for notebooks (numbers nbval checks: place 'stable'): one column per
    strategy (mean over seeds), then each further strategy's difference from the first, paired by seed,
    with the 90% interval."""
    f = shown(obj)
    head, rows = comparison_rows(f, lang, figures, place="stable")
    k = max(s.histories for s in f.strategies.values())
    note = (_head("one", lang) if k == 1 else _head("many", lang, k=k)) + (_head("paired", lang) if len(f.names) > 1
                                                                          else "")
    return "\n".join(text_grid(head, rows) + [note])


# ----------------------------------------------------------------- the decide tools

def lever_grid(lv: Levers, lang: str = "en") -> tuple[list, list]:
    """One figure's split among the levers as cells: per lever its contribution and its effect alone [90%],
    then the interaction and the total (B - A); a difference in the figure's better direction has tone +1."""
    u, better = lv.unit, better_sign(lv.figure)
    def d(e):
        return _cell(e, u, lang, "diff", "table", True, _tone(e, better))
    names = ([cap(lever_name(s.lever, lang)) for s in lv.levers]
             + [label("dt.interaction", lang), label("dt.total", lang)])
    contrib = [d(s.contribution) for s in lv.levers] + [label("dt.shared", lang), d(lv.total)]
    alone = [d(s.alone) for s in lv.levers] + [d(lv.interaction), ""]
    head = [label("dt.lever", lang), label("dt.contribution", lang), label("dt.alone", lang)]
    return head, [list(r) for r in zip(names, contrib, alone)]


def levers_text(levers: dict[str, Levers]) -> str:
    """`compare --explain`: the levers and their changes, then per figure each lever's contribution [90%],
    its effect alone, the interaction and the total (the contributions add up to the total). Levers and keys
    by their display names (the dotted key after a key's name, for --set), values with their units."""
    first = next(iter(levers.values()))
    k = first.seeds
    lines = [f"'{first.b}' - '{first.a}', split among {len(first.levers)} lever(s): {first.method}, {first.runs} runs "
             f"({first.runs // k} mixes x {k} seeds, common random numbers); 90% t-intervals over seeds"]
    for s in first.levers:
        if tuple(s.keys) == (s.lever,):                      # a lever of one key: its name, key and change
            key = s.lever
            lines.append(f"  {lever_name(key)} ({key}): {setting_words(key, s.a[key])} -> {setting_words(key, s.b[key])}")
            continue
        parts = [f"{lever_name(key)} ({key}) {setting_words(key, s.a[key])} -> {setting_words(key, s.b[key])}"
                 for key in s.keys[:3]]
        more = len(s.keys) - 3
        lines.append(f"  {cap(lever_name(s.lever))}: " + "; ".join(parts) + (f"; +{more} more key(s)" if more > 0 else ""))
    for fig, lv in levers.items():
        lines += ["", f"{figure_label(fig)} ({lv.total.n} seeds)" + (":" if lv.total.n else
                                                                     ": no seed where every mix has a value "
                                                                     "(e.g. a mix that never pays back)")]
        head, rows = lever_grid(lv)
        lines += ["  " + x for x in text_grid(head, [[str(c) for c in r] for r in rows])]
        if lv.method.startswith("Shapley from the two ends") and lv.total.n:
            lines.append(f"  interactions of three or more levers, which the two ends cannot place: "
                         f"{cell(Estimate(lv.rest, math.nan, math.nan, lv.total.n), lv.unit, form='diff')}, shared "
                         f"equally (--exact places them)")
    return "\n".join(lines)


def worlds_text(worlds: dict[str, Worlds], hinges: int = 5) -> str:
    """`compare --uncertain`: per figure P(A beats B) [90%], median B - A and its 5-95% spread over worlds,
    then the assumptions each difference hinges on (display name, key, here, rank correlation, adjusted p,
    where it flips, written as the setting is)."""
    w0 = next(iter(worlds.values()))
    lines = [f"'{w0.a}' (A) vs '{w0.b}' (B) across plausible worlds: {w0.method}, {w0.seeds} seed(s) each, "
             f"{2 * w0.worlds * w0.seeds} runs (common random numbers within a world)", ""]
    lines += text_grid(*worlds_grid(worlds))
    for g, w in worlds.items():
        if not w.hinges[:hinges]:
            continue
        lines += ["", f"{figure_label(g)}: what B - A hinges on (rank correlation across worlds, Spearman; the sign "
                      f"flips where a line fit crosses 0)"]
        lines += ["  " + x for x in text_grid(*hinges_grid(w, hinges))]
    return "\n".join(lines)


def worlds_grid(worlds: dict[str, Worlds], lang: str = "en", a: str = "A", b: str = "B") -> tuple[list, list]:
    """Per figure: the chance that A does better than B [90%], the median B - A and its 5-95% spread over the
    plausible worlds (A and B named by `a`, `b` in the heads)."""
    sep = " .. " if lang == "en" else " 至 "
    def dw(v):
        return fmt(v, w.unit, lang, form="diff")
    rows = []
    for g, w in worlds.items():
        chance = (f"{w.a_better:.2f} [{w.a_better_lo:.2f}, {w.a_better_hi:.2f}]" if lang == "en" else
                  f"{w.a_better:.0%} [{w.a_better_lo:.0%}，{w.a_better_hi:.0%}]")
        rows.append([figure_label(g, lang), chance, dw(w.median), f"{dw(w.lo)}{sep}{dw(w.hi)}"])
    return [label("dt.figure", lang), label("dt.a_better", lang, a=a, b=b), label("dt.median", lang, a=a, b=b),
            label("dt.spread", lang)], rows


def hinges_grid(w: Worlds, hinges: int = 5, lang: str = "en") -> tuple[list, list]:
    """The assumptions B - A hinges on most: display name, key (English only: for --set), the value here,
    rank correlation, adjusted p, and where the sign flips, each value written as the setting is."""
    en = lang == "en"
    rows = []
    for h in w.hinges[:hinges]:
        here = setting_words(h.key, h.value, lang, unit=h.unit) if h.value is not None else "-"
        flips = (label(f"dt.flip_{h.flip_side}", lang, v=setting_words(h.key, h.flip_value, lang, unit=h.unit))
                 if h.flip_value is not None else "-")
        rho, p = (f"{v:.3g}" if math.isfinite(v) else "-" for v in (h.rho, h.p_adjusted))
        rows.append([lever_name(h.key, lang)] + ([h.key] if en else []) + [here, rho] + ([p] if en else []) + [flips])
    head = ([label("dt.assumption", lang)] + (["key"] if en else []) + [label("dt.here", lang), label("dt.rho", lang)]
            + (["p (x assumptions)"] if en else []) + [label("dt.flips", lang)])
    return head, rows


def _value(name: str, v, form: str = "level", lang: str = "en") -> str:
    """A summary figure (no dot in its name) or a scenario key's value in a text table, with its unit."""
    return setting_words(name, v, lang) if "." in name else fmt(v, unit_of(name), lang, form=form)


def _name(name: str, lang: str = "en") -> str:
    """A summary figure (with its unit) or a scenario key by its display name."""
    return lever_name(name, lang) if "." in name else figure_label(name, lang)


def search_text(opt) -> str:
    """`python -m sim optimise`: the search, the best setting, and start vs best on fresh seeds with 90%
    intervals (sim.lab.optimise.Optimisation); figures and levers by their names, values with units."""
    from .conclusions_lab import constraint_words
    states = opt.trials["state"].value_counts().to_dict()
    levers = ", ".join(f"{lever_name(k)} ({k})" for k in opt.levers)
    lines = [f"{opt.direction} {figure_label(opt.objective, with_units=False).lower()} by searching {levers}; "
             f"{len(opt.trials)} trials ({', '.join(f'{v} {k.lower()}' for k, v in states.items())}), seeds "
             f"{opt.seeds[0]}-{opt.seeds[-1]} in every trial (common random numbers); study '{opt.study_name}' in "
             f"{opt.storage}"]
    if opt.constraints:
        lines.append("constraints (mean over seeds): " + ", ".join(constraint_words(n, o, v, "en")
                                                                  for n, (o, v) in opt.constraints.items()))
    lines.append("best trial: " + ", ".join(f"{lever_name(k)} = {setting_words(k, v)}" for k, v in opt.best_params.items())
                 + f"  ({figure_label(opt.objective)}: {_value(opt.objective, opt.best_value)} on the search seeds; "
                   f"start {_value(opt.objective, opt.start_value)})")
    if opt.importance:
        lines.append("importance (PED-ANOVA): " + ", ".join(f"{lever_name(k)} {v:.2f}" for k, v in opt.importance.items()))
    c = opt.check
    seeds = c.attrs.get("seeds", [])
    lines += ["", f"start vs best on {len(seeds)} fresh seeds ({seeds[0]}-{seeds[-1]}), paired, 90% t-intervals:"
              if seeds else ""]
    return "\n".join(lines + text_grid(*check_grid(opt)))


def check_grid(opt, lang: str = "en") -> tuple[list, list]:
    """optimise's start vs best on fresh seeds: per figure (and constrained lever) the start, the best and
    best - start [90%], values with their units."""
    c = opt.check
    sep = ", " if lang == "en" else "，"
    rows = [[_name(g, lang), _value(g, c.at[g, "start"], lang=lang), _value(g, c.at[g, "best"], lang=lang),
             f"{_value(g, c.at[g, 'diff'], 'diff', lang)} [{_value(g, c.at[g, 'lo'], 'diff', lang)}{sep}"
             f"{_value(g, c.at[g, 'hi'], 'diff', lang)}]"] for g in c.index]
    return [label("dt.figure", lang), label("dt.start", lang), label("dt.best", lang), label("dt.best_start", lang)], rows


def no_feasible_text(err) -> str:
    """The one line `optimise` prints when no trial met every constraint (sim.lab.optimise.NoFeasibleTrial):
    each constraint in words with the value the closest trial reached; nothing is called the best."""
    from .conclusions_lab import constraint_words, limit_words
    parts = []
    for name, (op, limit) in err.constraints.items():
        near = err.closest.get(name)
        parts.append(constraint_words(name, op, limit, "en") + (f" (closest: {limit_words(name, near[0], 'en')}, "
                                                                f"trial {near[1]})" if near else ""))
    return (f"optimise: none of {len(err.trials)} trials met the constraints, so there is no best setting: "
            f"{'; '.join(parts)}. The trials are kept in {err.where} (the same command adds more); widen the levers "
            f"or relax a constraint")


# ----------------------------------------------------------------- sweeps

def best_cells_text(table, keys: list[str], objectives) -> str:
    """The best grid cell of a sweep for each objective (lab.figures.best_cell, mean over seeds): figure,
    best value, where."""
    rows = []
    for g, how in objectives:
        found = best_cell(table, keys, g, how) if g in table else None
        if found is None:
            continue
        idx, v = found
        where = ", ".join(f"{k}={setting_text(x)}" for k, x in zip(keys, idx))
        rows.append([figure_label(g), "highest" if how == "max" else "lowest", fmt(v, unit_of(g)), where])
    if not rows:
        return ""
    return "\n".join(["best cells (mean over seeds):"] + text_grid(["figure", "", "value", "at"], rows))


__all__ = ["REPORT_FIGURES", "best_cells_text", "cell", "check_grid", "comparison_rows", "comparison_text",
           "differs_lines", "hinges_grid", "lever_grid", "levers_text", "no_feasible_text", "search_text",
           "summary_table", "text_grid", "worlds_grid", "worlds_text"]
