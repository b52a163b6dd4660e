"""Order histories as the customer process sees them: purchase occasions -> per-customer Histories.

  histories(occ, end) -> (customer ids, Histories)   occasions on or before `end` (a day), customers first
                                                     seen by then, days counted from each first purchase
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...core.btyd import Histories


def histories(occ: pd.DataFrame, end) -> tuple[np.ndarray, Histories]:
    """Customer ids (sorted) and their Histories from purchase occasions (one row per customer and day, as
    sim/lab/orders.py `occasions` makes them) up to and including the day `end`; with a joined_pool column, the
    first day each spent in the pool (the day after joining; joined before the first purchase: day 1)."""
    end = pd.Timestamp(end)
    o = occ.loc[occ["date"] <= end, ["customer_id", "date"]].sort_values(["customer_id", "date"], kind="stable")
    codes, ids = pd.factorize(o["customer_id"].to_numpy(), sort=True)
    date = o["date"].to_numpy("datetime64[D]")
    first_idx = np.r_[0, np.flatnonzero(np.diff(codes)) + 1]
    first = date[first_idx]
    day = (date - first[codes]).astype(np.int64)
    rep = np.ones(len(codes), dtype=bool)
    rep[first_idx] = False
    n = len(ids)
    x = np.bincount(codes[rep], minlength=n).astype(float)
    tx = np.zeros(n)
    np.maximum.at(tx, codes, day.astype(float))
    T = (np.datetime64(end.date(), "D") - first).astype(np.int64).astype(float)
    prev = np.r_[0, day[:-1]]
    join = None
    if "joined_pool" in occ:     # the first day in the pool, from the first purchase (inf: not by `end`)
        jp = pd.Series(occ.loc[occ["date"] <= end].groupby("customer_id")["joined_pool"].min()).reindex(ids)
        days = (jp.to_numpy("datetime64[D]") - first).astype("timedelta64[D]").astype(float)
        # a member from the day after joining: a friend request follows an order, so the order on the joining
        # day was placed outside the pool (counting it inside would credit the pool with what made people join)
        join = np.where(jp.isna().to_numpy() | (jp >= end).to_numpy(), np.inf, np.maximum(days, 0.0) + 1.0)
    return np.asarray(ids), Histories(x, tx, T, codes[rep].astype(np.int64), prev[rep].astype(float),
                                      (day - prev)[rep].astype(float), join)
