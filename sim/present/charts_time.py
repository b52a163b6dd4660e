"""Charts over time: daily levels (with staff-quit drops marked) and the J-curve of cumulative
profit with its deepest point and payback day. Each reads a finding's strategies (lab.findings.Strategy:
daily bands, dip, payback, staff drops), through inputs.shown."""
from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .formats import fmt
from .inputs import shown
from .labels import label, scenario_label, unit, with_unit
from .style import PALETTE, finish, money_axis, new_figure, style_context

# ----------------------------------------------------------------- charts

def daily_series(runs, lang: str = "en", columns=("pool_users", "customers", "public_users", "churned_users")) -> Figure:
    """Daily levels (pool size, customers, public side, churned) over the run; bands across histories.
    Days when departing staff take a visible share of the pool along are marked on the pool line."""
    data = shown(runs).strategies
    fig, axes = new_figure(lang)
    ax = axes[0, 0]
    styles = ("-", "--", ":", "-.")
    marked = False
    with style_context(lang):
        for si, (name, st) in enumerate(data.items()):
            for ci, col in enumerate(columns):
                b = st.band(col)
                color = PALETTE[(ci if len(data) == 1 else si) % len(PALETTE)]
                ls = "-" if len(data) == 1 else styles[ci % len(styles)]
                lab = label(f"col.{col}", lang)
                if len(data) > 1:
                    lab = scenario_label(name, lang) if len(columns) == 1 else f"{scenario_label(name, lang)}: {lab}"
                    ls = "-" if len(columns) == 1 else ls
                ax.plot(b.index, b["mean"], color=color, ls=ls, label=lab)
                if st.histories > 1:
                    ax.fill_between(b.index, b["lo"], b["hi"], color=color, alpha=0.15, lw=0)
                if col == "pool_users":
                    drops = st.staff_drops
                    if drops:
                        ax.plot(drops, b["mean"].to_numpy()[drops], marker="v", ms=9, color="#000000", ls="none",
                                label=None if marked else label("a.staff_quit", lang), zorder=5)
                        marked = True
        ax.set_title(label(f"col.{columns[0]}", lang) if len(columns) == 1 else label("t.daily", lang))
        ax.set_xlabel(with_unit(label("ax.day", lang), unit("u.days", lang)))
        ax.set_ylabel(with_unit(label("ax.users", lang), unit("u.users", lang)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        ax.legend(loc="best")
    return finish(fig, lang)


def j_curve(runs, lang: str = "en", column: str = "cumulative_profit") -> Figure:
    """Cumulative profit over the run (the J-curve): the deepest point and the payback day marked.

    Both marks are the figures of the tables (Strategy.payback, .dip: each history's own figure,
    averaged over histories), so chart and table always agree; with several histories the mean
    curve is drawn with a band holding 90% of them.
    """
    data = shown(runs).strategies
    fig, axes = new_figure(lang)
    ax = axes[0, 0]
    with style_context(lang):
        ax.axhline(0, color="#444444", lw=1)
        horizon, lowest, highest = 0, 0.0, 0.0
        for i, (name, st) in enumerate(data.items()):
            color = PALETTE[i % len(PALETTE)]
            b = st.band(column)
            horizon = max(horizon, len(b))
            lowest, highest = min(lowest, float(b["lo"].min())), max(highest, float(b["hi"].max()))
            ax.plot(b.index, b["mean"], color=color, label=scenario_label(name, lang))
            if st.histories > 1:
                ax.fill_between(b.index, b["lo"], b["hi"], color=color, alpha=0.15, lw=0)
            depth, dip_day = st.dip, st.dip_day
            lowest = min(lowest, depth)
            if depth < 0:
                ax.plot([dip_day], [depth], marker="o", ms=7, color=color)
                late = dip_day > 0.6 * len(b)          # a late point's label goes to its left, inside the chart
                ax.annotate(label("a.dip", lang, v=fmt(depth, "rmb", lang, place="label"), d=dip_day), (dip_day, depth),
                            xytext=(-10 if late else 10, -14 - 22 * i), textcoords="offset points", color=color,
                            fontsize=11, ha="right" if late else "left",
                            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85})
            pb = st.payback
            if pb is not None and pb > 0:
                ax.axvline(pb, color=color, ls="--", lw=1.4)
                late = pb > 0.6 * len(b)
                ax.annotate(label("a.payback", lang, d=f"{pb:.0f}", m=st.payback_month), xy=(pb, 0),
                            xytext=(-8 if late else 8, 12 + 26 * i), textcoords="offset points", color=color,
                            fontsize=12, ha="right" if late else "left",
                            fontweight="bold", bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none",
                                                     "alpha": 0.85})
            elif pb is None:
                ax.annotate(label("a.no_payback", lang, d=len(b)), xy=(len(b) - 1, b["mean"].iloc[-1]),
                            xytext=(-6, -18 - 18 * i), textcoords="offset points", color=color, fontsize=12,
                            ha="right")
        k = max(st.histories for st in data.values())
        ax.set_title(label("t.j_curve", lang) + (f"\n{label('a.seeds', lang, k=k)}" if k > 1 else ""))
        ax.set_xlabel(with_unit(label("ax.day", lang), unit("u.days", lang)))
        ax.set_ylabel(with_unit(label("ax.cum_profit", lang), unit("u.rmb", lang)))
        span = max(highest - lowest, 1.0)
        ax.set_ylim(lowest - 0.2 * span, highest + 0.05 * span)     # room under the dip for its label
        money_axis(ax.yaxis, lang)
        ax.set_xlim(0, max(horizon - 1, 1))
        if len(data) > 1:
            ax.legend(loc="upper left")
    return finish(fig, lang)
