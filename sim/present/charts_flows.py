"""Where users go: cohort retention curves and the flow of acquired users to their end states."""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from .inputs import runs_of
from .labels import label, scenario_label, unit, with_unit
from .style import finish, new_figure, style_context


def cohort_retention(results: list, month_days: int = 30) -> pd.DataFrame:
    """Share of each acquisition-month cohort still customers t days after acquisition.

    Built from Result.users (acquired_day, left_day), pooled over seeds. Rows: days since
    acquisition; columns: cohort month (1-based). A cohort's curve stops where its
    latest member's observation window ends (no censored tails).
    """
    horizon = len(results[0].daily)
    acq, left = [], []
    for r in results:
        u = r.users
        m = u["acquired_day"].to_numpy() >= 0
        acq.append(u["acquired_day"].to_numpy()[m])
        left.append(u["left_day"].to_numpy()[m])
    acq, left = np.concatenate(acq), np.concatenate(left)
    life = np.where(left >= 0, left - acq, np.iinfo(np.int32).max)
    cols = {}
    for mth in range(horizon // month_days + 1):
        sel = (acq // month_days) == mth
        if sel.sum() < 20:
            continue
        span = horizon - 1 - int(acq[sel].max())
        if span < 7:
            continue
        t = np.arange(span + 1)
        lf = np.sort(life[sel])
        alive = 1.0 - np.searchsorted(lf, t, side="right") / len(lf)
        cols[mth + 1] = pd.Series(alive, index=t)
    return pd.DataFrame(cols).rename_axis("days_since_acquisition")


def retention_curves(runs, lang: str = "en", max_cohorts: int = 6) -> Figure:
    """Cohort retention (share still customers vs days since acquisition), one line per acquisition month."""
    data = runs_of(runs)
    n = len(data)
    fig, axes = new_figure(lang, 1, n, figsize=(6.2 * n + 1, 5.8), sharey=True)
    from matplotlib import colormaps
    cmap = colormaps["viridis"]
    with style_context(lang):
        for i, (name, results) in enumerate(data.items()):
            ax = axes[0, i]
            tab = cohort_retention(results)
            months = list(tab.columns)
            if len(months) > max_cohorts:
                pick = np.unique(np.linspace(0, len(months) - 1, max_cohorts).round().astype(int))
                months = [months[p] for p in pick]
            for j, mth in enumerate(months):
                s = tab[mth].dropna() * 100
                ax.plot(s.index, s.values, color=cmap(j / max(len(months) - 1, 1) * 0.9),
                        label=label("a.month", lang, m=mth), lw=2)
            ax.set_title(scenario_label(name, lang) if n > 1 else label("t.retention", lang))
            ax.set_xlabel(with_unit(label("ax.days_since", lang), unit("u.days", lang)))
            ax.set_ylim(0, 102)
            ax.set_xlim(left=0)
            ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
            if i == 0:
                ax.set_ylabel(with_unit(label("ax.still_customers", lang), unit("u.pct", lang)))
            ax.legend(loc="lower left", fontsize=10, ncols=2)
        if n > 1:
            fig.suptitle(label("t.retention", lang))
    return finish(fig, lang)


FLOW_GROUPS = ("paid", "organic", "referred", "existing")


def user_groups(channel) -> np.ndarray:
    """Group index (into FLOW_GROUPS) of each user's channel: paid platforms, organic,
    referred (referral + KOC), existing (in the pool before the run)."""
    ch = pd.Series(channel).astype(str)
    return np.select([ch.isin(["referral", "koc"]), ch == "organic", ch == "existing"], [2, 1, 3], 0)
FLOW_END = ("pool_active", "pool_muted", "public", "lapsed", "washed_back", "annoyed", "staff_left")
_END_COLORS = ("#009E73", "#8FD3B6", "#56B4E9", "#999999", "#D55E00", "#CC79A7", "#E69F00")


def flow_table(results: list) -> pd.DataFrame:
    """Acquired users by stage (how they came, whether they joined the pool, where they ended), % of acquired.

    Mean over seeds. Columns: stage ('acquired', 'pool', 'end'), category, share (%) and users.
    """
    rows = []
    for r in results:
        u = r.users
        a = u[u["acquired_day"] >= 0]
        n = max(len(a), 1)
        ch = a["channel"].astype(str)
        grp = np.array(FLOW_GROUPS)[user_groups(ch)]
        state = a["state"].astype(str).to_numpy()
        reason = a["reason"].astype(str).to_numpy()
        end = np.where(state == "pool", np.where(a["muted"].to_numpy(), "pool_muted", "pool_active"),
                       np.where(state == "public", "public", reason))
        for g in FLOW_GROUPS:
            c = int(np.count_nonzero(grp == g))
            rows.append((r.seed, "acquired", g, 100 * c / n, c))
        joined = int(a["in_pool_ever"].sum())
        rows.append((r.seed, "pool", "joined", 100 * joined / n, joined))
        rows.append((r.seed, "pool", "never", 100 * (len(a) - joined) / n, len(a) - joined))
        for e in FLOW_END:
            c = int(np.count_nonzero(end == e))
            rows.append((r.seed, "end", e, 100 * c / n, c))
    df = pd.DataFrame(rows, columns=["seed", "stage", "category", "share", "users"])
    return df.groupby(["stage", "category"], sort=False)[["share", "users"]].mean().reset_index()


def user_flow(runs, lang: str = "en") -> Figure:
    """Sankey-like stacked bars: how acquired users came, whether they joined the pool, where they ended (% of acquired)."""
    data = runs_of(runs)
    n = len(data)
    fig, axes = new_figure(lang, 1, n, figsize=(6.4 * n + 2.6, 6.4), sharey=True)
    stages = (("acquired", FLOW_GROUPS, ("#0072B2", "#56B4E9", "#009E73", "#F0E442"), "g"),
              ("pool", ("joined", "never"), ("#009E73", "#BBBBBB"), "g"),
              ("end", FLOW_END, _END_COLORS, "e"))
    with style_context(lang):
        handles = {}
        for i, (name, results) in enumerate(data.items()):
            ax = axes[0, i]
            tab = flow_table(results).set_index(["stage", "category"])["share"]
            for x, (stage, cats, colors, prefix) in enumerate(stages):
                bottom = 0.0
                for cat, col in zip(cats, colors):
                    v = float(tab.get((stage, cat), 0.0))
                    h = ax.bar(x, v, bottom=bottom, color=col, width=0.62, edgecolor="white", lw=0.8)
                    if v > 0 or stage == "pool":          # no legend entry for a category nobody is in
                        handles.setdefault(f"{prefix}.{cat}", h)
                    if v >= 4:
                        ax.text(x, bottom + v / 2, f"{v:.0f}%", ha="center", va="center", fontsize=10,
                                color="black" if col in ("#BBBBBB", "#8FD3B6", "#56B4E9", "#E69F00", "#999999") else "white")
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
