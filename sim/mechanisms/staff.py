"""Staff accounts: turnover, and what happens to a departing member's customers.

Reads staff.accounts, turnover_monthly, loss_on_quit_personal / _wecom,
trust_kept_on_handover, pool.container; stores.* (shop assistants quit alike, their customers held on
stores.container: stores.py). Changes users.state / churn_day / reason
(customers who leave with the staff member, reason 'staff_left') and users.trust
(the rest are handed over to a new hire and keep part of their trust).

staff.turnover_monthly is a rate (quits per position per month, HR's monthly
turnover): the daily hazard is rate / DAYS_PER_MONTH, so each account's holder quits
on a given day with probability 1 - exp(-rate / DAYS_PER_MONTH) and is replaced the
same day (a rate of 1 means about one quit per account a month, not one a day). On a personal account the customers are the staff
member's own WeChat friends and most go with them; WeCom's customer inheritance
keeps nearly all (seeds 000, 002).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from numba import njit

from ..core.population import STAFF_LEFT
from ..core.rng import unit
from ..core.units import DAYS_PER_MONTH


@lru_cache(maxsize=64)
def _daily_quit_chance(rate: float) -> float:
    """Chance an account's holder quits on a given day at `rate` quits a month (asked every day: kept)."""
    return -np.expm1(-rate / DAYS_PER_MONTH)


@njit(cache=True)
def _quitting(first, count, key, q):
    """Accounts first..first+count-1 whose holder quits today: account first + j when the uniform of j under
    `key` (the stream's draw, as Streams.uniform gives it) is below `q`."""
    out = np.empty(count, np.int64)
    k = 0
    for j in range(count):
        if unit(j, key) < q:
            out[k] = first + j
            k += 1
    return out[:k]


def turnover(model, day: int) -> None:
    """Today's quits of the staff accounts and, with stores, of the shop assistants (stores.turnover_monthly,
    their customers held on stores.container)."""
    st, sc = model.sc.staff, model.sc
    _quits(model, day, 0, st.accounts, st.turnover_monthly, sc.pool.container, "staff")
    if sc.stores.enabled:
        s = sc.stores
        _quits(model, day, st.accounts, s.count * s.assistants_per_store, s.turnover_monthly, s.container, "assistants")


def _quits(model, day: int, first: int, count: int, rate: float, container: str, stream: str) -> None:
    """Accounts first..first+count-1 quit at `rate` a month (draws from `stream`); their customers held on
    `container` leave with them (staff.loss_on_quit_*) or are handed over, keeping part of their trust."""
    st = model.sc.staff
    if rate <= 0 or count <= 0:
        return
    quit_ = _quitting(first, count, model.streams.key(stream, day), _daily_quit_chance(rate))
    if len(quit_) == 0:
        return
    users = model.users
    members = users.pool_on(quit_)
    loss = st.loss_on_quit_personal if container == "personal" else st.loss_on_quit_wecom
    gone = model.streams.uniform("staff_loss", day, members) < loss
    model.leaving.churn(members[gone], day, STAFF_LEFT)
    kept = members[~gone]
    users.trust[kept] *= st.trust_kept_on_handover
    model.today["staff_quits"] += len(quit_)
