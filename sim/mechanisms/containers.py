"""Containers: where pool members are held (staff personal WeChat accounts or WeCom).

Reads pool.container, pool.accept_*, pool.wecom_warmth, messaging.channel /
open_personal / open_wecom / open_service_account / open_subscription_account,
staff.accounts, staff.friend_cap / wecom_cap. Changes users.state, pool_day,
staff (account) when someone joins the pool.

Personal accounts feel warm (warmth 1, Moments opened by >85% [001]) but each
holds at most 5000 friends and customers follow a departing staff member;
WeCom is colder (warmth < 1, lower acceptance, mass messages opened less) but
keeps customers when staff leave (see staff.py).
"""
from __future__ import annotations

import numpy as np

from ..core.population import POOL


def warmth(sc) -> float:
    return 1.0 if sc.pool.container == "personal" else sc.pool.wecom_warmth


def open_rate(sc) -> float:
    """Chance a brand message outside a group is opened: by container for direct messages
    (Moments / chat on a personal account, mass message on WeCom), or the official account's rate."""
    m = sc.messaging
    if m.channel == "service_account":
        return m.open_service_account
    if m.channel == "subscription_account":
        return m.open_subscription_account
    return m.open_personal if sc.pool.container == "personal" else m.open_wecom


def accept_prob(sc, bought: np.ndarray) -> np.ndarray:
    """Chance a friend request is accepted: depends on the container and on an earlier purchase."""
    p = sc.pool
    if p.container == "personal":
        return np.where(bought, p.accept_buyer_personal, p.accept_nonbuyer_personal)
    return np.where(bought, p.accept_buyer_wecom, p.accept_nonbuyer_wecom)


def capacity(sc) -> int:
    """Contacts the staff accounts can hold, in people (the model divides by its scale)."""
    per = sc.staff.friend_cap if sc.pool.container == "personal" else sc.staff.wecom_cap
    return sc.staff.accounts * per


def invite(model, idx: np.ndarray, day: int, bought: np.ndarray, stream: str = "accept") -> np.ndarray:
    """Send friend requests to `idx` (counted, and those accepted); those who accept join the pool as far as
    there is room. Returns who joined.
    `stream`: "accept" for the request at acquisition (one draw per person, whatever the day),
    "reinvite" for a later one (a new draw each day)."""
    if len(idx) == 0:
        return idx
    u = model.streams.uniform(stream, -1 if stream == "accept" else day, idx)   # "accept": once per person
    accepted = idx[u < accept_prob(model.sc, bought)]
    model.today["friend_requests"] += len(idx)
    model.today["friend_accepts"] += len(accepted)     # whether or not the accounts still have room
    return join(model, accepted, day)


def join(model, idx: np.ndarray, day: int, newcomers: bool = True) -> np.ndarray:
    """Put `idx` into the pool, as far as the staff accounts' friend capacity allows.
    `newcomers=False` (day-0 members) skips the new-member count and the unlock campaign."""
    room = model.capacity - model.pool_count
    if room <= 0 or len(idx) == 0:
        return idx[:0]
    idx = idx[:room]
    users = model.users
    users.enrol(idx)
    users.state[idx] = POOL
    users.pool_day[idx] = day
    users.staff[idx] = (model.join_counter + np.arange(len(idx))) % model.sc.staff.accounts
    model.join_counter += len(idx)
    model.pool_count += len(idx)
    model.groups.assign(idx, 0, day)
    if newcomers:
        model.today["new_pool_users"] += len(idx)
        model.referral.unlock(idx, day)
    return idx
