"""Charts that compare strategies: summary-figure bars and the LTV bridge (which driver moves LTV)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .charts_flows import FLOW_GROUPS, user_groups
from .formats import money_text, short_number
from .inputs import figure_stats, results_list, runs_of, scenario_name
from .labels import (
    FIGURES,
    fig_scale,
    figure_label,
    label,
    scenario_label,
    unit,
    with_unit,
)
from .style import PALETTE, finish, money_axis, new_figure, style_context


def comparison_bars(runs, lang: str = "en",
                    figures=("ltv", "churn_rate_monthly", "referral_share", "payback_day")) -> Figure:
    """One panel per summary figure, one bar per strategy: mean across seeds with 90% interval whiskers."""
    data = runs_of(runs)
    n = len(figures)
    ncols = min(n, 4)
    nrows = math.ceil(n / ncols)
    fig, axes = new_figure(lang, nrows, ncols, figsize=(3.6 * ncols + 1, 4.6 * nrows + 0.6))
    names = list(data)
    k = max(len(v) for v in data.values())
    with style_context(lang):
        for j, f in enumerate(figures):
            ax = axes[j // ncols, j % ncols]
            sc = fig_scale(f)
            stats = [figure_stats(data[nm], f) for nm in names]
            means = np.array([s[0] for s in stats]) * sc
            err = np.array([[max(s[0] - s[1], 0) * sc for s in stats], [max(s[2] - s[0], 0) * sc for s in stats]])
            x = np.arange(len(names))
            ax.bar(x, np.nan_to_num(means), color=[PALETTE[i % len(PALETTE)] for i in x], width=0.65,
                   yerr=np.nan_to_num(err), capsize=6, error_kw={"lw": 1.6})
            money = FIGURES.get(f, ("u.x", 1))[0] == "u.rmb"
            if money:
                money_axis(ax.yaxis, lang)
            for xi, m, e, s in zip(x, means, err[1], stats):
                top = 0 if np.isnan(m) else max(m + e, m, 0)
                text = "-" if np.isnan(m) else (money_text(m, lang) if money else short_number(s[0], f))
                ax.annotate(text, xy=(xi, top),
                            xytext=(0, 4), textcoords="offset points", ha="center", va="bottom", fontsize=11,
                            fontweight="bold")
            ax.margins(y=0.12)
            ax.set_xticks(x, [_wrap(scenario_label(nm, lang), lang) for nm in names],
                          rotation=20 if len(names) > 2 else 0, ha="right" if len(names) > 2 else "center")
            ax.set_title(figure_label(f, lang, with_units=False), fontsize=14)
            ax.set_ylabel(with_unit(figure_label(f, lang, with_units=False), unit(FIGURES.get(f, ("u.x", 1))[0], lang)),
                          fontsize=12)
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

NG = len(FLOW_GROUPS)
BRIDGE_DRIVERS = ("referral_mix", "retention", "spend_per_order", "discounts", "service_sessions", "timing")


def _bridge_inputs(res) -> dict:
    """Per-acquired-user ledger lines and per-group order data of one run (see ltv_bridge_parts)."""
    u = res.users
    a = u[u["acquired_day"] >= 0]
    n = len(a)
    d = res.daily
    if n == 0:
        return {"n": 0, "ltv": 0.0, "G": 0.0, "D": 0.0, "C": 0.0, "T": 0.0,
                "w": np.zeros(NG), "O": np.zeros(NG), "A": np.zeros(NG), "has_orders": np.zeros(NG, bool),
                "has_users": np.zeros(NG, bool)}
    ltv = float(a["value"].sum()) / n
    people = n * res.scale            # Result.daily is for the whole market; each row of users is `scale` people
    G = float(d["revenue"].sum() + d["discounts"].sum() - d["cogs"].sum() - d["returns"].sum()) / people   # at list price
    D = float(d["discounts"].sum() + d["gifts"].sum()) / people
    svc = res.scenario.service
    C = float(d["service_sessions"].sum()) * svc.hourly_cost_rmb * svc.minutes_per_session / 60.0 / people
    T = ltv - (G - D - C)
    ch = a["channel"].astype(str)
    grp = user_groups(ch)
    orders = a["orders"].to_numpy(dtype=float)
    spend = a["spend"].to_numpy(dtype=float)
    n_g = np.array([np.count_nonzero(grp == g) for g in range(NG)], dtype=float)
    o_g = np.array([orders[grp == g].sum() for g in range(NG)])
    s_g = np.array([spend[grp == g].sum() for g in range(NG)])
    # goods margin G (per acquired user) shared out to groups by kept spend (else by orders)
    if s_g.sum() > 0:
        g_g = G * n * s_g / s_g.sum()
    elif o_g.sum() > 0:
        g_g = G * n * o_g / o_g.sum()
    else:
        g_g = np.zeros(NG)
    w = n_g / n
    O = np.divide(o_g, n_g, out=np.zeros(NG), where=n_g > 0)
    A = np.divide(g_g, o_g, out=np.zeros(NG), where=o_g > 0)
    return {"n": n, "ltv": ltv, "G": G, "D": D, "C": C, "T": T, "w": w, "O": O, "A": A,
            "has_orders": o_g > 0, "has_users": n_g > 0}


def _shapley3(x1, y1, z1, x2, y2, z2):
    """Exact Shapley split of x2*y2*z2 - x1*y1*z1 among the three factors."""
    def part(dx, a1, b1, a2, b2):
        return dx * ((a1 * b1 + a2 * b2) / 3 + (a1 * b2 + a2 * b1) / 6)
    return (part(x2 - x1, y1, z1, y2, z2), part(y2 - y1, x1, z1, x2, z2), part(z2 - z1, x1, y1, x2, y2))


def _bridge_pair(ra, rb) -> dict:
    a, b = _bridge_inputs(ra), _bridge_inputs(rb)
    parts = dict.fromkeys(BRIDGE_DRIVERS, 0.0)
    for g in range(NG):
        Oa, Ob, Aa, Ab = a["O"][g], b["O"][g], a["A"][g], b["A"][g]
        # a group with no users (or no orders) on one side takes the other side's values,
        # so that only the mix term moves (its weight is zero there anyway)
        if not a["has_users"][g]:
            Oa = Ob
        if not b["has_users"][g]:
            Ob = Oa
        if not a["has_orders"][g]:
            Aa = Ab
        if not b["has_orders"][g]:
            Ab = Aa
        sw, so, sa = _shapley3(a["w"][g], Oa, Aa, b["w"][g], Ob, Ab)
        parts["referral_mix"] += sw
        parts["retention"] += so
        parts["spend_per_order"] += sa
    parts["discounts"] = -(b["D"] - a["D"])
    parts["service_sessions"] = -(b["C"] - a["C"])
    parts["timing"] = b["T"] - a["T"]
    # the goods-margin split is exact up to rounding; book the last cent in spend per order
    parts["spend_per_order"] += (b["G"] - a["G"]) - (parts["referral_mix"] + parts["retention"] + parts["spend_per_order"])
    return parts | {"gap": b["ltv"] - a["ltv"], "ltv_a": a["ltv"], "ltv_b": b["ltv"]}


def ltv_bridge_parts(a, b) -> pd.Series:
    """Split the LTV gap LTV(b) - LTV(a) into drivers that add up exactly to it.

    `a`, `b`: a Result, a list of Results or a Many; with several seeds, seed i of a is
    paired with seed i of b (common random numbers) and the parts are averaged, so the
    gap is mean(LTV b) - mean(LTV a).

    Decomposition of one run's LTV (mean discounted value per acquired user, N users),
    from the ledger lines of Result.daily and the per-user table Result.users:

        LTV = G - D - C + T
        G  goods margin per user   = (revenue + discounts - cogs - returns) / N   (at list price;
             revenue is booked at the price paid, net of discounts)
        D  discounts and gifts     = (discounts + gifts) / N
        C  one-to-one service cost = sessions x minutes_per_session x hourly cost / N
             (the cost the ledger charges to the value of the users served; fixed
             staff costs are in profit, not in users' value: ledger.py)
        T  timing                  = LTV - (G - D - C): the effect of discounting later
             cash at economics.discount_rate_annual (plus any rounding)

    G is split over the groups of users g = paid, organic, referred (referral + KOC),
    existing (in the pool before the run; see user_groups):
        G = sum_g  w_g * O_g * A_g
        w_g  share of acquired users in group g            (the referral mix)
        O_g  orders per user of group g (all orders)      (retention)
        A_g  goods margin per order of group g: G shared to groups by their kept
             list-price spend, divided by their orders      (spend per order; includes
             returns and the cogs share)
    and each group's change w*O*A from a to b is split among w, O and A by the exact
    three-factor Shapley formula, e.g. part of w = dw * [(O1A1 + O2A2)/3 + (O1A2 + O2A1)/6].
    A group empty on one side takes the other side's O and A, so only its weight moves.

    Drivers (index): referral_mix = sum of w parts; retention = sum of O parts;
    spend_per_order = sum of A parts; discounts = -(D_b - D_a); service_sessions =
    -(C_b - C_a); timing = T_b - T_a. They sum to `gap` (also returned, with ltv_a, ltv_b).
    """
    la, lb = results_list(a), results_list(b)
    if len(la) != len(lb):
        raise ValueError(f"pair runs seed by seed: {len(la)} runs of a but {len(lb)} of b")
    pairs = [_bridge_pair(x, y) for x, y in zip(la, lb)]
    return pd.DataFrame(pairs).mean().reindex(list(BRIDGE_DRIVERS) + ["gap", "ltv_a", "ltv_b"])


def ltv_bridge(a, b, lang: str = "en", names: tuple[str, str] | None = None) -> Figure:
    """Waterfall from LTV of strategy `a` to LTV of strategy `b` through the drivers of ltv_bridge_parts."""
    p = ltv_bridge_parts(a, b)
    na = names[0] if names else scenario_name(results_list(a)[0])
    nb = names[1] if names else scenario_name(results_list(b)[0])
    fig, axes = new_figure(lang, figsize=(12, 6.4))
    ax = axes[0, 0]
    labels_ = [scenario_label(na, lang)] + [label(f"d.{d}", lang) for d in BRIDGE_DRIVERS] + [scenario_label(nb, lang)]
    with style_context(lang):
        x = 0
        ax.bar(x, p["ltv_a"], color="#555555", width=0.6)
        ax.annotate(f"{p['ltv_a']:,.1f}", (x, p["ltv_a"]), xytext=(0, 3), textcoords="offset points", ha="center",
                    va="bottom" if p["ltv_a"] >= 0 else "top", fontsize=11)
        level = p["ltv_a"]
        for d in BRIDGE_DRIVERS:
            x += 1
            v = p[d]
            color = "#009E73" if v >= 0 else "#D55E00"
            ax.bar(x, v, bottom=level, color=color, width=0.6)
            ax.plot([x - 1 + 0.3, x - 0.3], [level, level], color="#777777", lw=1)
            top = level + v
            ax.annotate(f"{round(v, 1) + 0.0:+,.1f}", (x, max(level, top)),       # never "-0.0" xytext=(0, 3), textcoords="offset points",
                        ha="center", va="bottom", fontsize=11)
            level = top
        x += 1
        ax.plot([x - 1 + 0.3, x - 0.3], [level, level], color="#777777", lw=1)
        ax.bar(x, p["ltv_b"], color="#0072B2", width=0.6)
        ax.annotate(f"{p['ltv_b']:,.1f}", (x, p["ltv_b"]), xytext=(0, 3), textcoords="offset points", ha="center",
                    va="bottom" if p["ltv_b"] >= 0 else "top", fontsize=11)
        ax.axhline(0, color="#444444", lw=1)
        levels = np.cumsum([p["ltv_a"]] + [p[d] for d in BRIDGE_DRIVERS])
        lo, hi = min(0.0, levels.min(), p["ltv_b"]), max(0.0, levels.max(), p["ltv_b"])
        pad = 0.12 * (hi - lo if hi > lo else 1.0)
        ax.set_ylim(lo - (pad if lo < 0 else 0), hi + pad)
        ax.set_xticks(range(len(labels_)), labels_, rotation=25, ha="right")
        ax.grid(axis="x", visible=False)
        ax.set_ylabel(with_unit(label("ax.ltv", lang), unit("u.rmb_user", lang)))
        ax.set_xlabel(label("ax.ltv_change", lang) + f" ({label('a.gap', lang)} {p['gap']:+,.1f} {unit('u.rmb', lang)})")
        ax.set_title(label("t.bridge", lang))
    return finish(fig, lang)
