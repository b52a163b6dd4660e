"""The LTV bridge: the gap in LTV per acquired customer between two strategies split into drivers that
add up exactly to it (referral mix, retention, spend per order, discounts, one-to-one service, timing),
read by the bridge chart and the stated conclusions through `findings.Finding.bridge`.

    parts = ltv_bridge_parts(results_a, results_b)     # paired by seed; a Series of the drivers + gap
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .anatomy import FLOW_GROUPS, user_groups

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

    `a`, `b`: a Result or a list of Results (one per seed); with several seeds, seed i of a is
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
    la, lb = (list(x) if isinstance(x, (list, tuple)) else [x] for x in (a, b))
    if len(la) != len(lb):
        raise ValueError(f"pair runs seed by seed: {len(la)} runs of a but {len(lb)} of b")
    pairs = [_bridge_pair(x, y) for x, y in zip(la, lb)]
    return pd.DataFrame(pairs).mean().reindex(list(BRIDGE_DRIVERS) + ["gap", "ltv_a", "ltv_b"])


__all__ = ["BRIDGE_DRIVERS", "ltv_bridge_parts"]
