"""Containers: where pool members are held (staff personal WeChat accounts or WeCom), and how the
brand's messages reach them.

Reads pool.container, pool.accept_*, pool.wecom_warmth, messaging.channel / moments_share / mass_share /
open_moments / open_chat / open_mass / open_group / open_service_account / open_subscription_account,
staff.accounts, staff.friend_cap / wecom_cap. Changes users.state, pool_day,
staff (account) when someone joins the pool.

Personal accounts feel warm (warmth 1) but each holds at most 5000 friends and customers follow a
departing staff member; WeCom is colder (warmth < 1: lower acceptance, trust gain and open rates) but
keeps customers when staff leave (see staff.py).

Direct messages go out through the channels the seeds name, each with its own open rate: Moments posts
(seen in the feed by >85% [001]; no notification, so an unseen post does not nag), one-to-one chats and
mass messages (both notify); a group member's share `group_share` is posted in their group (groups.py
gives the attention). Every staff-account channel's rate is x warmth; an official account's is its own.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..core.rng import unit


def warmth(sc) -> float:
    return 1.0 if sc.pool.container == "personal" else sc.pool.wecom_warmth


def direct_reach(sc) -> tuple[float, float]:
    """(chance a brand message sent outside a group is opened, its chance of being an unopened message that
    notified the member): the messaging mix of Moments (no notification), one-to-one chat and mass
    messages from the staff accounts, x warmth; or an official account's rate (its messages notify)."""
    m = sc.messaging
    if m.channel != "direct":
        p = m.open_service_account if m.channel == "service_account" else m.open_subscription_account
        return p, 1.0 - p
    w = warmth(sc)
    chat = max(0.0, 1.0 - m.moments_share - m.mass_share)
    mix = ((m.moments_share, m.open_moments * w, 0.0), (chat, m.open_chat * w, 1.0), (m.mass_share, m.open_mass * w, 1.0))
    return sum(s * p for s, p, _ in mix), sum(s * n * (1.0 - p) for s, p, n in mix)


def open_rate(sc) -> float:
    """Chance a brand message sent outside a group (or to a member not in one) is opened (direct_reach)."""
    return direct_reach(sc)[0]


def group_open(sc) -> float:
    """Chance a member of a very small group reads the brand's post in it (x the group's attention, groups.py)."""
    return sc.messaging.open_group * warmth(sc)


def accept_chances(sc) -> tuple[float, float]:
    """Chance a friend request is accepted by a buyer and by someone who has not bought (the container's)."""
    p = sc.pool
    if p.container == "personal":
        return float(p.accept_buyer_personal), float(p.accept_nonbuyer_personal)
    return float(p.accept_buyer_wecom), float(p.accept_nonbuyer_wecom)


@njit(cache=True)
def _accepted(idx, key, bought, buyer, other):
    """Those of `idx` who accept a friend request (one uniform each of the stream's `key`; chance `buyer` where
    `bought`, else `other`), in the order given."""
    out = np.empty(idx.shape[0], np.int64)
    k = 0
    for j in range(idx.shape[0]):
        if unit(idx[j], key) < (buyer if bought[j] else other):
            out[k] = idx[j]
            k += 1
    return out[:k]


def account_cap(sc, container: str) -> int:
    """Contacts one account on `container` (personal WeChat or WeCom) can hold, in people."""
    return sc.staff.friend_cap if container == "personal" else sc.staff.wecom_cap


def capacity(sc) -> int:
    """Contacts the staff accounts can hold, in people (the model divides by its scale). Shop assistants' accounts
    hold their own books (stores.py: each assistant's account_cap on stores.container)."""
    return sc.staff.accounts * account_cap(sc, sc.pool.container)


def invite(model, idx: np.ndarray, day: int, bought: np.ndarray, stream: str = "accept") -> np.ndarray:
    """Send friend requests to `idx` (counted, and those accepted); those who accept join the pool as far as
    there is room. Returns who joined.
    `stream`: "accept" for the request at acquisition (one draw per person, whatever the day),
    "reinvite" for a later one (a new draw each day)."""
    if len(idx) == 0:
        return idx
    key = model.streams.key(stream, -1 if stream == "accept" else day)     # "accept": once per person
    accepted = _accepted(np.asarray(idx, np.int64), key, bought, *accept_chances(model.sc))
    model.today["friend_requests"] += len(idx)
    model.today["friend_accepts"] += len(accepted)     # whether or not the accounts still have room
    return join(model, accepted, day)


def join(model, idx: np.ndarray, day: int, newcomers: bool = True, accounts=None) -> np.ndarray:
    """Put `idx` into the pool, as far as the staff accounts' friend capacity allows, each on a staff account in
    turn; or on the accounts `accounts(k)` gives for up to k people, as far as they have room (the shop
    assistants' own books, stores.py). Returns who joined (a prefix of `idx`).
    `newcomers=False` (day-0 members) skips the new-member count and the unlock campaign."""
    if len(idx) == 0:
        return idx[:0]
    if accounts is None:
        room = model.capacity - model.pool_count     # + those on the assistants' accounts: counted when it matters
        if room < len(idx):
            room += model.stores.held()
        if room <= 0:
            return idx[:0]
        idx = idx[:room]
        model.users.enter_pool(idx, day, dealt=model.join_counter, turn=model.sc.staff.accounts)   # in turn
        model.join_counter += len(idx)
    else:
        ids = accounts(len(idx))
        idx = idx[:len(ids)]
        if len(idx) == 0:
            return idx
        model.users.enter_pool(idx, day, ids)
        model.stores.note(idx)
    model.pool_count += len(idx)
    model.groups.assign(idx, 0, day)
    if newcomers:
        model.today["new_pool_users"] += len(idx)
        model.referral.unlock(idx, day)
    return idx
