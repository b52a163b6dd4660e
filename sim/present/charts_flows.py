"""Where users go: cohort retention curves and the flow of acquired users to their end states, read
from a finding's strategies (lab.findings.Strategy.retention, .flows; computed in lab.anatomy)."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from ..lab.anatomy import FLOW_END, FLOW_GROUPS
from .inputs import shown
from .labels import label, scenario_label, unit, with_unit
from .style import PALETTE, finish, new_figure, style_context


COHORT_STYLES = ("-", "--", ":", "-.")


def retention_curves(runs, lang: str = "en", max_cohorts: int = 3) -> Figure:
    """Cohort retention (share still customers vs days since acquisition) of every strategy in ONE
    panel: colour = strategy, line style = acquisition month (up to `max_cohorts`, spread over the run)."""
    data = shown(runs).strategies
    fig, axes = new_figure(lang, figsize=(11, 6.2))
    ax = axes[0, 0]
    from matplotlib.lines import Line2D
    with style_context(lang):
        tabs = {name: st.retention for name, st in data.items()}
        months = sorted(set().union(*(t.columns for t in tabs.values())))
        if len(months) > max_cohorts:
            pick = np.unique(np.linspace(0, len(months) - 1, max_cohorts).round().astype(int))
            months = [months[p] for p in pick]
        for i, (name, tab) in enumerate(tabs.items()):
            for j, mth in enumerate(months):
                if mth not in tab:
                    continue
                s_ = tab[mth].dropna() * 100
                ax.plot(s_.index, s_.values, color=PALETTE[i % len(PALETTE)], ls=COHORT_STYLES[j % len(COHORT_STYLES)],
                        lw=2.2)
        ax.set_title(label("t.retention", lang))
        ax.set_xlabel(with_unit(label("ax.days_since", lang), unit("u.days", lang)))
        ax.set_ylabel(with_unit(label("ax.still_customers", lang), unit("u.pct", lang)))
        ax.set_ylim(0, 102)
        ax.set_xlim(left=0)
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        who = ax.legend([Line2D([], [], color=PALETTE[i % len(PALETTE)], lw=3) for i in range(len(tabs))],
                        [scenario_label(n, lang) for n in tabs], loc="lower left")
        ax.add_artist(who)
        ax.legend([Line2D([], [], color="#555555", ls=COHORT_STYLES[j % len(COHORT_STYLES)], lw=2)
                   for j in range(len(months))],
                  [label("a.acquired_in", lang, m=m) for m in months], loc="lower right")
    return finish(fig, lang)


# One colour per category across all three stages (Okabe-Ito and Paul Tol's colour-blind-safe sets).
FLOW_COLORS = {"g.paid": "#0072B2", "g.organic": "#88CCEE", "g.referred": "#AA4499", "g.existing": "#DDCC77",
               "g.joined": "#117733", "g.never": "#DDDDDD",
               "e.pool_active": "#44AA99", "e.pool_muted": "#999933", "e.public": "#332288", "e.lapsed": "#999999",
               "e.washed_back": "#D55E00", "e.annoyed": "#CC79A7", "e.staff_left": "#E69F00"}


def _ink(color: str) -> str:
    """Black or white text, whichever reads better on `color` (relative luminance)."""
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "white"


def user_flow(runs, lang: str = "en") -> Figure:
    """Sankey-like stacked bars: how acquired users came, whether they joined the pool, where they ended (% of acquired)."""
    data = shown(runs).strategies
    n = len(data)
    fig, axes = new_figure(lang, 1, n, figsize=(6.4 * n + 2.6, 6.4), sharey=True)
    stages = (("acquired", FLOW_GROUPS, "g"), ("pool", ("joined", "never"), "g"), ("end", FLOW_END, "e"))
    with style_context(lang):
        handles = {}
        for i, (name, st) in enumerate(data.items()):
            ax = axes[0, i]
            tab = st.flows.set_index(["stage", "category"])["share"]
            for x, (stage, cats, prefix) in enumerate(stages):
                bottom = 0.0
                for cat in cats:
                    col = FLOW_COLORS[f"{prefix}.{cat}"]
                    v = float(tab.get((stage, cat), 0.0))
                    h = ax.bar(x, v, bottom=bottom, color=col, width=0.62, edgecolor="white", lw=0.8)
                    if v > 0 or stage == "pool":          # no legend entry for a category nobody is in
                        handles.setdefault(f"{prefix}.{cat}", h)
                    if v >= 4:
                        ax.text(x, bottom + v / 2, f"{v:.0f}%", ha="center", va="center", fontsize=10,
                                color=_ink(col))
                    bottom += v
                if x < len(stages) - 1:
                    ax.annotate("", xy=(x + 0.62, 50), xytext=(x + 0.38, 50),
                                arrowprops={"arrowstyle": "->", "color": "#555555", "lw": 1.5})
            ax.set_xticks(range(len(stages)), [label(f"s.{s[0]}", lang) for s in stages])
            ax.set_xlabel(label("ax.stage", lang))
            ax.set_ylim(0, 100)
            ax.grid(axis="x", visible=False)
            ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
            ax.set_title(scenario_label(name, lang) if n > 1 else label("t.flow", lang))
            if i == 0:
                ax.set_ylabel(with_unit(label("ax.share_acquired", lang), unit("u.pct", lang)))
        keys = [k for k in handles]
        fig.legend([handles[k] for k in keys], [label(k, lang) for k in keys], loc="outside right center", fontsize=11)
        if n > 1:
            fig.suptitle(label("t.flow", lang))
    return finish(fig, lang)
