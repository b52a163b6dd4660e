"""Staff accounts: turnover, and what happens to a departing member's customers.

Reads staff.accounts, turnover_monthly, loss_on_quit_personal / _wecom,
trust_kept_on_handover, pool.container. Changes users.state / churn_day / reason
(customers who leave with the staff member, reason 'staff_left') and users.trust
(the rest are handed over to a new hire and keep part of their trust).

Each account's holder quits on a given day with probability 1 - (1 - monthly)^(1/30)
and is replaced the same day. On a personal account the customers are the staff
member's own WeChat friends and most go with them; WeCom's customer inheritance
keeps nearly all (seeds 000, 002).
"""
from __future__ import annotations

import numpy as np

from ..core.population import POOL, STAFF_LEFT


def turnover(model, day: int) -> None:
    st = model.sc.staff
    if st.turnover_monthly <= 0:
        return
    q = 1.0 - (1.0 - st.turnover_monthly) ** (1.0 / 30.0)
    quit_ = np.flatnonzero(model.streams.uniform("staff", day, np.arange(st.accounts)) < q)
    if len(quit_) == 0:
        return
    users = model.users
    members = np.flatnonzero((users.state == POOL) & np.isin(users.staff, quit_))
    loss = st.loss_on_quit_personal if model.sc.pool.container == "personal" else st.loss_on_quit_wecom
    gone = model.streams.uniform("staff_loss", day, members) < loss
    model.leaving.churn(members[gone], day, STAFF_LEFT)
    kept = members[~gone]
    users.trust[kept] *= st.trust_kept_on_handover
    model.today["staff_quits"] += len(quit_)
