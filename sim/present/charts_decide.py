"""Decision charts: the waterfall of lever contributions (a `Levers` finding), the difference across
plausible worlds with its hinges (a `Worlds` finding), and the strategy search (sim.lab.optimise's
Optimisation: history; objective against the two most important levers).

`waterfall` and `worlds_chart` also take a Finding or the sim.explain / sim.robustness result
(inputs.levers_shown, worlds_shown).
"""
from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.figure import Figure

from ..lab.figures import unit_of
from .formats import fmt, lever_name, scale_of, setting_words
from .inputs import levers_shown, worlds_shown
from .labels import figure_label, label, lever_label, scenario_label
from .style import PALETTE, finish, new_figure, style_context


def waterfall(obj, figure: str = "ltv", lang: str = "en") -> Figure:
    """Bars from 0 (A) through each lever's Shapley contribution (90% whiskers) to B - A."""
    lv = levers_shown(obj, figure)
    sc = scale_of(lv.unit)
    fig, axes = new_figure(lang, figsize=(11, 6))
    ax = axes[0, 0]

    def num(v):
        return fmt(v, lv.unit, lang, place="label")
    with style_context(lang):
        level = 0.0
        names = []
        for i, s in enumerate(lv.levers):
            c = s.contribution
            v = c.mean * sc
            ax.bar(i, v, bottom=level, color=PALETTE[2] if v >= 0 else PALETTE[1], width=0.6)
            if np.isfinite(c.lo):
                ax.errorbar(i, level + v, yerr=[[v - c.lo * sc], [c.hi * sc - v]], color="#333333", capsize=4, lw=1.2)
            ax.annotate(num(c.mean), (i, level + v), xytext=(0, 4 if v >= 0 else -14),
                        textcoords="offset points", ha="center", fontsize=11)
            if i:
                ax.plot([i - 1.3, i - 0.7], [level, level], color="#999999", lw=1)
            level += v
            names.append(lever_label(s.lever, lang))
        n = len(names)
        ax.bar(n, lv.total.mean * sc, color=PALETTE[0], width=0.6)
        ax.annotate(num(lv.total.mean), (n, lv.total.mean * sc), xytext=(0, 4 if lv.total.mean >= 0 else -14),
                    textcoords="offset points",
                    ha="center", fontsize=11, fontweight="bold")
        names.append(label("a.total_diff", lang))
        ax.axhline(0, color="#444444", lw=1)
        ax.set_xticks(range(n + 1), names, rotation=20, ha="right")
        ax.grid(axis="x", visible=False)
        ax.set_ylabel(figure_label(figure, lang))
        ax.set_title(label("t.waterfall", lang, a=scenario_label(lv.a, lang), b=scenario_label(lv.b, lang)))
        ax.set_xlabel(label("a.waterfall_note", lang, k=lv.seeds, inter=num(lv.interaction.mean)),
                      fontsize=11, color="#555555")
    return finish(fig, lang)


def worlds_chart(obj, figure: str = "profit", lang: str = "en", hinges: int = 6) -> Figure:
    """Left: histogram of B - A across plausible worlds, zero marked. Right: the top hinges (|Spearman rho|),
    with the value where B - A flips sign for those that flip inside their plausible range."""
    w = worlds_shown(obj, figure)
    sc = scale_of(w.unit)
    d = np.asarray(w.differences, dtype=float) * sc
    d = d[np.isfinite(d)]
    h = list(w.hinges[:hinges])[::-1]
    fig, axes = new_figure(lang, ncols=2, figsize=(14, 6))
    with style_context(lang):
        ax = axes[0, 0]
        ax.hist(d, bins=min(20, max(5, len(d) // 3)), color=PALETTE[0], alpha=0.85)
        ax.axvline(0, color="#444444", lw=1.5)
        ax.axvline(float(np.median(d)) if len(d) else 0, color=PALETTE[1], lw=2, ls="--", label=label("a.median", lang))
        xlabel = f"{scenario_label(w.b, lang)} - {scenario_label(w.a, lang)}" + (": " if lang == "en" else "：") \
            + figure_label(figure, lang)
        ax.set_xlabel("\n".join(textwrap.wrap(xlabel, 56 if lang == "en" else 32)))     # inside the half-width axes
        ax.set_ylabel(label("ax.worlds", lang))
        title = label("t.worlds", lang, a=scenario_label(w.a, lang), p=f"{w.a_better:.0%}", n=w.worlds)
        ax.set_title("\n".join(textwrap.wrap(title, 40 if lang == "en" else 24)))
        ax.legend()
        ax2 = axes[0, 1]
        rho = [x.rho for x in h]
        ax2.barh(range(len(h)), rho, color=[PALETTE[2] if r > 0 else PALETTE[1] for r in rho])
        ax2.set_yticks(range(len(h)), [_hinge_label(x, lang) for x in h])
        ax2.axvline(0, color="#444444", lw=1)
        ax2.set_xlim(-1, 1)
        ax2.set_xlabel(label("ax.rho", lang))
        ax2.set_title(label("t.hinges", lang))
        ax2.grid(axis="y", visible=False)
    return finish(fig, lang)


def _hinge_label(h, lang: str) -> str:
    """An assumption by its display name, with the value at which the verdict flips when it does."""
    name = lever_name(h.key, lang)
    half = -(-len(name) // 2)                      # Chinese: two balanced lines when long
    name = "\n".join(textwrap.wrap(name, 26)) if lang == "en" else \
        (name if len(name) <= 14 else name[:half] + "\n" + name[half:])
    if not (h.clear and h.flip_value is not None):
        return name
    flip = f"{label('a.flips', lang)} {setting_words(h.key, h.flip_value, lang, h.unit)}"
    return f"{name}\n({flip})" if lang == "en" else f"{name}\n（{flip}）"


def search_chart(opt, lang: str = "en") -> Figure:
    """Left: objective by trial and best so far (feasible trials). Right: objective against the two
    most important levers (colour = objective; crosses = infeasible or pruned)."""
    t = opt.trials
    sc = scale_of(unit_of(opt.objective))
    ok = (t["state"] == "COMPLETE") & t["feasible"]
    vals = t["value"].to_numpy(dtype=float) * sc
    best = np.where(ok, vals, np.nan)
    run = np.fmax.accumulate(best) if opt.direction == "maximize" else np.fmin.accumulate(best)
    keys = sorted(opt.levers, key=lambda k: -opt.importance.get(k, 0))[:2]
    fig, axes = new_figure(lang, ncols=2, figsize=(14, 6))
    with style_context(lang):
        ax = axes[0, 0]
        ax.scatter(t["number"][ok], vals[ok], color=PALETTE[0], s=28, label=label("a.feasible", lang))
        ax.scatter(t["number"][~ok], vals[~ok], color="#AAAAAA", marker="x", s=28, label=label("a.infeasible", lang))
        ax.plot(t["number"], run, color=PALETTE[1], label=label("a.best_so_far", lang))
        ax.set_xlabel(label("ax.trial", lang))
        ax.set_ylabel(figure_label(opt.objective, lang))
        ax.set_title(label("t.search", lang, n=len(t)))
        ax.legend()
        ax2 = axes[0, 1]
        x = t[keys[0]].to_numpy()
        y = t[keys[1]].to_numpy() if len(keys) > 1 else vals
        s = ax2.scatter(x[ok], y[ok], c=vals[ok], cmap="viridis", s=40)
        ax2.scatter(x[~ok], y[~ok], color="#AAAAAA", marker="x", s=28)
        bp = opt.best_params
        ax2.scatter([bp[keys[0]]], [bp[keys[1]] if len(keys) > 1 else opt.best_value * sc], marker="*", s=300,
                    color=PALETTE[1], edgecolor="black", label=label("a.best", lang), zorder=5)
        ax2.set_xlabel(lever_label(keys[0], lang))
        ax2.set_ylabel(lever_label(keys[1], lang) if len(keys) > 1 else figure_label(opt.objective, lang))
        if len(keys) > 1:
            fig.colorbar(s, ax=ax2, label=figure_label(opt.objective, lang))
        ax2.set_title(label("t.search_levers", lang))
        ax2.legend(loc="best")
    return finish(fig, lang)


__all__ = ["search_chart", "waterfall", "worlds_chart"]
