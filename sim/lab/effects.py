"""Effects a brand's own files measure directly, beside the order history's customer process (calibrate.py):

  contact_effects(contacts, buyers, end)  -> friend acceptance among buyers; the monthly deletion hazard, overall
                                             and by months since adding (a WeCom or SCRM contact export)
  touch_effects(touches, occ, window)     -> the lift in purchases in the days after a message or a coupon, from
                                             the brand's control group (a campaign log); refused without one
  message_intent(uplift, sc, window)      -> messaging.intent_per_open that gives the engine that lift

Every figure comes with a 95% interval. What each estimate can and cannot say is in docs/model.md ("Effects
from a brand's own files").
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..core.errors import UsageError
from ..core.scenario import Scenario
from ..core.units import DAYS_PER_MONTH
from ..mechanisms import containers

Z95 = 1.96
TENURE_BANDS = ((0, 30), (30, 90), (90, 180), (180, math.inf))   # days since adding


def _wilson(k: int, n: int) -> tuple[float, float]:
    """95% Wilson interval of a share k / n."""
    if n == 0:
        return math.nan, math.nan
    p = k / n
    den = 1 + Z95 ** 2 / n
    mid = (p + Z95 ** 2 / (2 * n)) / den
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95 ** 2 / (4 * n * n)) / den
    return mid - half, mid + half


def _rate(events: float, exposure: float) -> dict:
    """A Poisson rate per unit of exposure with its 95% interval (log scale; 0 events: the rule of three)."""
    if exposure <= 0:
        return {"estimate": math.nan, "low": math.nan, "high": math.nan, "events": int(events)}
    est = events / exposure
    if events == 0:
        return {"estimate": 0.0, "low": 0.0, "high": 3.0 / exposure, "events": 0}
    f = math.exp(Z95 / math.sqrt(events))
    return {"estimate": est, "low": est / f, "high": est * f, "events": int(events)}


def contact_effects(contacts: pd.DataFrame, buyers, end) -> dict:
    """From a contact export (customer_id, added, lost): the share of `buyers` (customer ids of the order history,
    first seen by `end`) who became contacts by `end` (friend acceptance among buyers: the export joins the orders
    by customer id), and the monthly hazard of being deleted, overall and by months since adding (contacts added by
    `end`, followed to their loss or `end`)."""
    end = pd.Timestamp(end)
    c = contacts[contacts["added"] <= end]
    buyers = pd.Index(pd.unique(np.asarray(buyers, dtype=object)))
    matched = int(buyers.isin(c["customer_id"].astype(object)).sum())
    lo, hi = _wilson(matched, len(buyers))
    out = {"accept_buyer": {"estimate": matched / len(buyers) if len(buyers) else math.nan, "low": lo, "high": hi,
                            "buyers": int(len(buyers)), "contacts_among_them": matched}}
    lost = c["lost"].notna() & (c["lost"] <= end)
    stop = c["lost"].where(lost, end)
    age = (stop - c["added"]).dt.days.clip(lower=0).to_numpy(float)
    out["deletion_monthly"] = _rate(float(lost.sum()), float(age.sum()) / DAYS_PER_MONTH)
    bands = []
    for a, b in TENURE_BANDS:                     # each contact's exposure and loss split by days since adding
        exp_days = np.clip(np.minimum(age, b) - a, 0, None)
        ev = float((lost.to_numpy() & (age >= a) & (age < b)).sum())
        bands.append({"days_since_added": [a, None if math.isinf(b) else b],
                      **_rate(ev, float(exp_days.sum()) / DAYS_PER_MONTH)})
    out["deletion_monthly"]["by_tenure"] = bands
    return out


def touch_effects(touches: pd.DataFrame, occ: pd.DataFrame, window: int = 14, source: str = "touches") -> dict:
    """Per kind of touch (message, coupon) with a control group in the log: purchase days of each touched customer
    in the `window` days after the touch (the day itself not counted), treated against held out; the lift per touch
    with its 95% interval (the difference of two means), and relative to the control group's mean. A kind without
    any held-out row is refused: no control group, no effect."""
    if not touches["holdout"].any():
        raise UsageError(f"{source}: no control group (no row with the holdout / 对照组 flag): cannot estimate an "
                         "effect; keep a random share of customers untouched and log them")
    days = occ[["customer_id", "date"]].copy()
    days["customer_id"] = days["customer_id"].astype(str)
    by_cust = days.groupby("customer_id")["date"].apply(lambda d: np.sort(d.to_numpy("datetime64[D]")))
    out = {}
    for kind, t in touches.groupby("kind"):
        if not t["holdout"].any():
            out[kind] = {"refused": "no control group for this kind of touch: cannot estimate its effect"}
            continue
        start = t["date"].to_numpy("datetime64[D]")
        counts = np.zeros(len(t))
        for j, (cid, d0) in enumerate(zip(t["customer_id"].astype(str), start)):
            dd = by_cust.get(cid)
            if dd is not None:
                counts[j] = np.searchsorted(dd, d0 + np.timedelta64(window + 1, "D")) - np.searchsorted(dd, d0 + np.timedelta64(1, "D"))
        hold = t["holdout"].to_numpy(bool)
        a, b = counts[~hold], counts[hold]
        diff = float(a.mean() - b.mean())
        se = math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b)) if len(a) > 1 and len(b) > 1 else math.nan
        base = float(b.mean())
        out[kind] = {"window_days": window, "touched": int(len(a)), "held_out": int(len(b)),
                     "purchases_per_touch": diff, "low": diff - Z95 * se, "high": diff + Z95 * se,
                     "control_mean": base, "relative": diff / base if base > 0 else math.nan,
                     "relative_low": (diff - Z95 * se) / base if base > 0 else math.nan,
                     "relative_high": (diff + Z95 * se) / base if base > 0 else math.nan}
    return out


def message_intent(relative: float, sc: Scenario, window: int) -> float:
    """messaging.intent_per_open at which one opened promotion lifts a customer's purchases over `window` days by
    `relative` (0.05 = +5%) in the engine: intent I0 = intent_per_open x open rate decays with
    intent_half_life_days h, the rate is x (1 + intent_max I) for small I, so the extra purchases are
    base x intent_max x I0 x (h / ln 2)(1 - 2^(-window / h)) against base x window."""
    m = sc.messaging
    h = m.intent_half_life_days
    carried = h / math.log(2) * (1 - 2 ** (-window / h))
    opened = containers.open_rate(sc)
    return max(relative, 0.0) * window / (m.intent_max * max(opened, 1e-9) * carried)
