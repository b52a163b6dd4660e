"""Charts that compare strategies: summary-figure bars (a finding's FigureFinding estimates) and the LTV
bridge (Finding.bridge: which driver moves LTV)."""
from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from ..lab.bridge import BRIDGE_DRIVERS
from .formats import fmt, scale_of
from .inputs import shown
from .labels import figure_label, label, scenario_label, unit, unit_words, with_unit
from .style import PALETTE, finish, money_axis, new_figure, style_context


def comparison_bars(runs, lang: str = "en",
                    figures=("ltv", "churn_rate_monthly", "referral_share", "payback_day")) -> Figure:
    """One panel per summary figure, one bar per strategy: mean across seeds with 90% interval whiskers."""
    fnd = shown(runs)
    n = len(figures)
    ncols = min(n, 4)
    nrows = math.ceil(n / ncols)
    fig, axes = new_figure(lang, nrows, ncols, figsize=(3.6 * ncols + 1, 4.6 * nrows + 0.6))
    names = list(fnd.names)
    k = max(st.histories for st in fnd.strategies.values())
    with style_context(lang):
        for j, f in enumerate(figures):
            ax = axes[j // ncols, j % ncols]
            g = fnd.figures[f]
            sc = scale_of(g.unit)
            stats = [g.values[nm] for nm in names]
            lo = [e.lo if math.isfinite(e.lo) else e.mean for e in stats]          # one history: no whisker
            hi = [e.hi if math.isfinite(e.hi) else e.mean for e in stats]
            means = np.array([e.mean for e in stats]) * sc
            err = np.array([[max(e.mean - a, 0) * sc for e, a in zip(stats, lo)],
                            [max(b - e.mean, 0) * sc for e, b in zip(stats, hi)]])
            x = np.arange(len(names))
            ax.bar(x, np.nan_to_num(means), color=[PALETTE[i % len(PALETTE)] for i in x], width=0.65,
                   yerr=np.nan_to_num(err), capsize=6, error_kw={"lw": 1.6})
            if g.unit == "rmb":
                money_axis(ax.yaxis, lang)
            for xi, m, e, s in zip(x, means, err[1], stats):
                top = 0 if np.isnan(m) else max(m + e, m, 0)
                text = fmt(s.mean, g.unit, lang, place="label")
                ax.annotate(text, xy=(xi, top),
                            xytext=(0, 4), textcoords="offset points", ha="center", va="bottom", fontsize=11,
                            fontweight="bold")
            ax.margins(y=0.12)
            ax.set_xticks(x, [_wrap(scenario_label(nm, lang), lang) for nm in names],
                          rotation=20 if len(names) > 2 else 0, ha="right" if len(names) > 2 else "center")
            ax.set_title(figure_label(f, lang, with_units=False), fontsize=14)
            ax.set_ylabel(figure_label(f, lang), fontsize=12)
            ax.grid(axis="x", visible=False)
        for j in range(n, nrows * ncols):
            axes[j // ncols, j % ncols].set_visible(False)
        fig.suptitle(label("t.compare", lang) + " - " + label("t.compare_sub", lang, k=k) if lang == "en"
                     else label("t.compare", lang) + "(" + label("t.compare_sub", lang, k=k) + ")", fontsize=15)
    return finish(fig, lang)


def _wrap(text: str, lang: str, width: int = 14) -> str:
    import textwrap
    return "\n".join(textwrap.wrap(text, width if lang == "en" else 7)) or text



# ----------------------------------------------------------------- LTV bridge

def ltv_bridge(runs, lang: str = "en", b: str | None = None) -> Figure:
    """Waterfall from the first strategy's LTV to `b`'s (default: the second) through the drivers of the
    finding's LTV bridge (Finding.bridge; lab.bridge.ltv_bridge_parts)."""
    p = shown(runs).bridge(b)
    fig, axes = new_figure(lang, figsize=(12, 6.4))
    ax = axes[0, 0]
    labels_ = [scenario_label(p.a, lang)] + [label(f"d.{d}", lang) for d in BRIDGE_DRIVERS] + [scenario_label(p.b, lang)]

    def num(v, form="level"):
        return fmt(v, "rmb_user", lang, form)
    with style_context(lang):
        x = 0
        ax.bar(x, p.ltv_a, color="#555555", width=0.6)
        ax.annotate(num(p.ltv_a), (x, p.ltv_a), xytext=(0, 3), textcoords="offset points", ha="center",
                    va="bottom" if p.ltv_a >= 0 else "top", fontsize=11)
        level = p.ltv_a
        for d in BRIDGE_DRIVERS:
            x += 1
            v = p.parts[d]
            color = "#009E73" if v >= 0 else "#D55E00"
            ax.bar(x, v, bottom=level, color=color, width=0.6)
            ax.plot([x - 1 + 0.3, x - 0.3], [level, level], color="#777777", lw=1)
            top = level + v
            ax.annotate(num(v, "diff"), (x, max(level, top)), xytext=(0, 3), textcoords="offset points",
                        ha="center", va="bottom", fontsize=11)
            level = top
        x += 1
        ax.plot([x - 1 + 0.3, x - 0.3], [level, level], color="#777777", lw=1)
        ax.bar(x, p.ltv_b, color="#0072B2", width=0.6)
        ax.annotate(num(p.ltv_b), (x, p.ltv_b), xytext=(0, 3), textcoords="offset points", ha="center",
                    va="bottom" if p.ltv_b >= 0 else "top", fontsize=11)
        ax.axhline(0, color="#444444", lw=1)
        levels = np.cumsum([p.ltv_a] + [p.parts[d] for d in BRIDGE_DRIVERS])
        lo, hi = min(0.0, levels.min(), p.ltv_b), max(0.0, levels.max(), p.ltv_b)
        pad = 0.12 * (hi - lo if hi > lo else 1.0)
        ax.set_ylim(lo - (pad if lo < 0 else 0), hi + pad)
        ax.set_xticks(range(len(labels_)), labels_, rotation=25, ha="right")
        ax.grid(axis="x", visible=False)
        ax.set_ylabel(with_unit(label("ax.ltv", lang), unit_words("rmb_user", lang)))
        ax.set_xlabel(with_unit(label("ax.ltv_change", lang), f"{label('a.gap', lang)} {num(p.gap, 'diff')} {unit('u.rmb', lang)}"))
        ax.set_title(label("t.bridge", lang))
    return finish(fig, lang)
