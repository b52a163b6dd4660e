"""Charts over time: daily levels and the J-curve of cumulative profit with its payback day."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..core.result import payback_day
from .inputs import band, runs_of
from .labels import label, scenario_label, unit, with_unit
from .style import PALETTE, finish, new_figure, rmb_formatter, style_context

# ----------------------------------------------------------------- charts

def daily_series(runs, lang: str = "en", columns=("pool_users", "customers", "public_users", "churned_users")) -> Figure:
    """Daily levels (pool size, customers, public side, churned) over the run; bands across seeds."""
    data = runs_of(runs)
    fig, axes = new_figure(lang)
    ax = axes[0, 0]
    styles = ("-", "--", ":", "-.")
    with style_context(lang):
        for si, (name, results) in enumerate(data.items()):
            for ci, col in enumerate(columns):
                b = band(results, col)
                color = PALETTE[(ci if len(data) == 1 else si) % len(PALETTE)]
                ls = "-" if len(data) == 1 else styles[ci % len(styles)]
                lab = label(f"col.{col}", lang)
                if len(data) > 1:
                    lab = scenario_label(name, lang) if len(columns) == 1 else f"{scenario_label(name, lang)}: {lab}"
                    ls = "-" if len(columns) == 1 else ls
                ax.plot(b.index, b["mean"], color=color, ls=ls, label=lab)
                if len(results) > 1:
                    ax.fill_between(b.index, b["lo"], b["hi"], color=color, alpha=0.15, lw=0)
        ax.set_title(label(f"col.{columns[0]}", lang) if len(columns) == 1 else label("t.daily", lang))
        ax.set_xlabel(with_unit(label("ax.day", lang), unit("u.days", lang)))
        ax.set_ylabel(with_unit(label("ax.users", lang), unit("u.users", lang)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        ax.legend(loc="best")
    return finish(fig, lang)


def j_curve(runs, lang: str = "en", column: str = "cumulative_profit") -> Figure:
    """Cumulative profit over the run (the J-curve) with the payback day marked.

    The payback day is read from the mean curve across seeds (first day it is back at
    >= 0 after its lowest point, as in Result.summary); with several seeds a 5-95% band
    is shaded.
    """
    data = runs_of(runs)
    fig, axes = new_figure(lang)
    ax = axes[0, 0]
    with style_context(lang):
        ax.axhline(0, color="#444444", lw=1)
        for i, (name, results) in enumerate(data.items()):
            color = PALETTE[i % len(PALETTE)]
            b = band(results, column)
            ax.plot(b.index, b["mean"], color=color, label=scenario_label(name, lang) +
                    (f" ({label('a.seeds', lang, k=len(results))})" if len(results) > 1 else ""))
            if len(results) > 1:
                ax.fill_between(b.index, b["lo"], b["hi"], color=color, alpha=0.15, lw=0)
            pb = payback_day(b["mean"].to_numpy())
            low = int(np.argmin(b["mean"].to_numpy()))
            if pb is not None and pb > 0:
                ax.axvline(pb, color=color, ls="--", lw=1.4)
                ax.annotate(label("a.payback", lang, d=pb, m=payback_month(pb)), xy=(pb, 0), xytext=(8, 12 + 26 * i),
                            textcoords="offset points", color=color, fontsize=12, fontweight="bold",
                            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85})
            elif pb is None:
                ax.annotate(label("a.no_payback", lang, d=len(b)), xy=(low, b["mean"].iloc[low]), xytext=(6, -18 - 18 * i),
                            textcoords="offset points", color=color, fontsize=12)
        ax.set_title(label("t.j_curve", lang))
        ax.set_xlabel(with_unit(label("ax.day", lang), unit("u.days", lang)))
        ax.set_ylabel(with_unit(label("ax.cum_profit", lang), unit("u.rmb", lang)))
        ax.yaxis.set_major_formatter(rmb_formatter(lang))
        ax.set_xlim(left=0)
        if len(data) > 1 or any(len(r) > 1 for r in data.values()):
            ax.legend(loc="upper left")
    return finish(fig, lang)


def payback_month(day: int | None) -> int | None:
    """Month (1-based, 30.4-day months) in which a payback day falls."""
    return None if day is None else int(day // 30.4) + 1
