"""WeChat groups: membership, per-member activity, attention, social proof, noise, tiers.

Reads groups.* (size, activity, half size, trust gain, noise, social proof, staff
hours, tiering, KOC), pool warmth.
Changes users.group, tier, tier_day, trust, annoyance; keeps group-level arrays
(members, KOC flag, yesterday's orders) and per-user `attention` and `proof`
multipliers that messaging.py and purchases.py read. Uses group staff hours.

For a group of s active members (a0 = activity_per_member, h = activity_half_size):
  activity per member a(s) = a0 / (1 + s/h) x (1 + koc_lift if the group has a KOC)
  attention          att(s) = (1 + s/h)^-1/2       (share of posts a member reads)
  trust per day             = trust_gain x a(s)/a0 x warmth
  annoyance per day         = noise x (1 - att) x c / (c + a0 h),  c = s a0/(1+s/h)
  social proof              = 1 + social_proof x att x (1 - exp(-orders yesterday / 3))
  staff hours per day       = groups x staff_hours_per_group + members x staff_hours_per_member
                              (used from the staff accounts' hours; see ledger.py)
Small groups talk (high a, att), big groups broadcast (more reach per staff hour,
more noise). Members join the quantity tier; with tiering, `quality_after_orders`
orders promote to a quality group, `vip_spend_rmb` of spend to a VIP group, and
`demote_after_days` without an order drops one tier (seeds 000, 004).
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _group_day(idx, gid, members, koc, orders, trust, trust_mult, annoyance, attention, proof,
               a0, half, koc_lift, trust_gain, warmth, noise, social_proof):
    """One pass over group members: trust, noise, attention and social proof (formulas above).
    Returns the members' posts today."""
    posts = 0.0
    saturation = a0 * half + 1e-12
    for j in range(idx.shape[0]):
        i = idx[j]
        g = gid[j]
        s = members[g]
        crowd = 1.0 + s / half
        act = a0 / crowd
        att = crowd ** -0.5
        lift = 1.0 + koc_lift * koc[g]
        t = trust[i]
        if a0 > 0:
            trust[i] = t + trust_gain * (lift / crowd) * warmth * trust_mult[i] * (1.0 - t)   # a/a0 = lift/crowd
        chatter = s * act
        annoyance[i] += noise * (1.0 - att) * chatter / (chatter + saturation)
        attention[i] = att
        proof[i] = 1.0 + social_proof * att * -np.expm1(-orders[g] / 3.0)
        posts += act * lift
    return posts


class Groups:
    def __init__(self, model):
        self.model = model
        g = model.sc.groups
        self.enabled = g.size > 0
        n = model.users.n
        self.sizes = [g.size, g.quality_size, g.vip_size] if g.tiering else [g.size]
        # per-user multipliers read by messaging.py and purchases.py; empty = no groups (kernels skip them)
        self.attention = np.ones(n if self.enabled else 0, dtype=np.float32)
        self.proof = np.ones(n if self.enabled else 0, dtype=np.float32)
        if not self.enabled:
            return
        self.slots = [n // s + 2 for s in self.sizes]                 # group ids available per tier
        self.offset = np.concatenate([[0], np.cumsum(self.slots)])[:-1]
        self.filled = np.zeros(len(self.sizes), dtype=np.int64)       # members ever placed per tier
        total = int(sum(self.slots))
        self.koc = model.streams.uniform("group", -1, np.arange(total)) < g.koc_share
        self.orders = np.zeros(total)

    def assign(self, idx: np.ndarray, tier: int, day: int) -> None:
        """Place users `idx` into the next open groups of `tier` (groups fill in order and then shrink)."""
        if not self.enabled or len(idx) == 0:
            return
        users, size = self.model.users, self.sizes[tier]
        pos = (self.filled[tier] + np.arange(len(idx))) // size % self.slots[tier]
        users.group[idx] = self.offset[tier] + pos
        users.tier[idx] = tier
        users.tier_day[idx] = day
        self.filled[tier] += len(idx)

    def daily(self, day: int, pool: np.ndarray) -> None:
        """Today's group life for pool members in groups: trust, noise, attention, proof, staff hours."""
        if not self.enabled:
            return
        model, users, g = self.model, self.model.users, self.model.sc.groups
        self.attention.fill(1.0)
        self.proof.fill(1.0)
        idx = pool[(users.group[pool] >= 0) & ~users.muted[pool]]
        gid = users.group[idx]
        members = np.bincount(gid, minlength=len(self.koc)).astype(np.float64)
        posts = _group_day(idx, gid, members, self.koc, self.orders, users.trust, users.trust_mult,
                           users.annoyance, self.attention, self.proof, g.activity_per_member,
                           g.activity_half_size, g.koc_lift, g.trust_gain, model.warmth, g.noise_annoyance,
                           g.social_proof)
        groups_active = int(np.count_nonzero(members))
        hours = groups_active * g.staff_hours_per_group + len(idx) * g.staff_hours_per_member
        model.ledger.use_hours(hours)
        model.today["groups"] += groups_active
        model.today["group_members"] += len(idx)
        model.today["group_hours"] += hours
        model.today["group_posts"] += posts
        self.orders[:] = 0.0

    def count_orders(self, buyers: np.ndarray) -> None:
        """Orders placed by group members today (shown in the group tomorrow: social proof)."""
        if not self.enabled or len(buyers) == 0:
            return
        gid = self.model.users.group[buyers]
        gid = gid[gid >= 0]
        self.orders += np.bincount(gid, minlength=len(self.orders))

    def leave(self, idx: np.ndarray) -> None:
        self.model.users.group[idx] = -1

    def retier(self, day: int, pool: np.ndarray) -> None:
        """Promote members who earned it and demote the silent (tiering only)."""
        g = self.model.sc.groups
        if not self.enabled or not g.tiering or len(pool) == 0:
            return
        users = self.model.users
        idx = pool[users.group[pool] >= 0]
        tier = users.tier[idx]
        target = tier.copy()
        fresh = users.last_order_day[idx] >= users.tier_day[idx]      # ordered since the last move
        target[fresh & (tier == 0) & (users.orders[idx] >= g.quality_after_orders)] = 1
        target[fresh & (users.spend[idx] >= g.vip_spend_rmb)] = 2
        quiet = day - np.maximum(users.last_order_day[idx], users.tier_day[idx]) > g.demote_after_days
        target = np.where(quiet & (tier > 0), tier - 1, np.maximum(target, tier))
        moved = target != tier
        for t in range(len(self.sizes)):
            self.assign(idx[moved & (target == t)], t, day)
        self.model.today["tier_moves"] += int(moved.sum())

