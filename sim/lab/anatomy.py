"""What one strategy's simulated histories show beyond their summary figures, computed once here and
read by charts and sentences: the J-curve's deepest point and payback, the days staff took customers
along, cohort retention, and where acquired users went (read through `findings.Strategy`).

    payback_of(results)        # mean payback day over the histories that pay back (None if none)
    dip_of(results)            # (deepest cumulative profit, its mean day)
    cohort_retention(results)  # share of each acquisition-month cohort still customers t days on
    flow_table(results)        # acquired users by how they came, pool or not, where they ended (%)

One definition per figure: each figure is computed on each simulated history (seed) and then averaged
over the histories (LTV, churn and payback alike), so the J-curve marks the table's numbers.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..core.units import DAYS_PER_MONTH
from .experiments import mean_interval

STAFF_DROP_SHARE = 0.01   # a day's losses to departing staff >= 1% of the pool counts as a visible drop
FLOW_GROUPS = ("paid", "organic", "referred", "existing")
FLOW_END = ("pool_active", "pool_muted", "public", "lapsed", "washed_back", "annoyed", "staff_left")


def payback_of(results: list) -> float | None:
    """Payback day: the mean over histories of each history's `payback_day` (first day cumulative
    profit is back at >= 0 after its lowest point); histories that never pay back within the horizon
    are left out; None if none pays back."""
    s = mean_interval(r.summary.get("payback_day") for r in results)
    return None if s["n"] == 0 else s["mean"]


def payback_month(day: float | None) -> int | None:
    """Month (1-based, months of DAYS_PER_MONTH days) in which a payback day falls."""
    return None if day is None or not math.isfinite(day) else int(day // DAYS_PER_MONTH) + 1


def dip_of(results: list, column: str = "cumulative_profit") -> tuple[float, int]:
    """The deepest point of the J-curve: mean over histories of each history's lowest cumulative
    profit (RMB, <= 0; the money the brand must put in before the pool pays back) and the mean day
    it is reached (rounded)."""
    lows, days = [], []
    for r in results:
        c = r.daily[column].to_numpy(dtype=float)
        i = int(np.argmin(c))
        lows.append(min(float(c[i]), 0.0))
        days.append(i)
    return float(np.mean(lows)), int(round(float(np.mean(days))))


def staff_quit_drops(results: list, share: float = STAFF_DROP_SHARE) -> list[int]:
    """Days on which staff quit (daily `staff_quits`), the customers they took along (`lost_staff_left`,
    mean over histories) were at least `share` of the day-before pool, and the (mean) pool fell."""
    d0 = results[0].daily
    if "staff_quits" not in d0 or "lost_staff_left" not in d0:
        return []
    quits = np.mean([r.daily["staff_quits"].to_numpy(float) for r in results], axis=0)
    lost = np.mean([r.daily["lost_staff_left"].to_numpy(float) for r in results], axis=0)
    pool = np.mean([r.daily["pool_users"].to_numpy(float) for r in results], axis=0)
    before = np.concatenate([[0.0], pool[:-1]])
    hit = (quits > 0) & (lost >= share * np.maximum(before, 1.0)) & (pool < before)
    return [int(d) for d in np.flatnonzero(hit)]


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


def user_groups(channel) -> np.ndarray:
    """Group index (into FLOW_GROUPS) of each user's channel: paid platforms, organic,
    referred (referral + KOC), existing (in the pool before the run)."""
    ch = pd.Series(channel).astype(str)
    return np.select([ch.isin(["referral", "koc"]), ch == "organic", ch == "existing"], [2, 1, 3], 0)


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


__all__ = ["FLOW_END", "FLOW_GROUPS", "cohort_retention", "dip_of", "flow_table", "payback_month", "payback_of",
           "staff_quit_drops", "user_groups"]
