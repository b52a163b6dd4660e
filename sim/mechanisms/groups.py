"""WeChat groups: membership, per-member activity, attention, social proof, noise, tiers.

Reads groups.* (size, activity, half size, trust gain, noise, social proof, staff
hours, tiering, KOC, fade and revival), offers / member days (events and their wear), pool warmth,
users.annoyance / tolerance (the members' mood).
Changes users.group, tier, tier_day, trust, annoyance; keeps group-level arrays
(members, KOC flag, liveliness, newcomers, yesterday's orders) and per-user
`attention` (0 for a member not in an active group) and `proof` multipliers that messaging.py and
purchases.py read. Uses group staff hours.

Groups age: each group's liveliness v (1 when it forms) halves every
fade_half_life_days (x (1 + koc_lift) with a KOC) and is revived by newcomers
(v += (1 - v) x newcomers / size) and by events, on a discount event's first day or a member day:
first v x= 1 - event_fatigue x (1 - pull) (an event that comes before the last one's pull has recovered
tires the group: seed 002, marketing pushed all day emptied the QQ groups), then
v += revive_per_event x pull x mood x (1 - v), pull = what is left of the event's pull at its cadence
(offers.event_pull: frequent events wear out), mood = the members' mean max(0, 1 - annoyance /
tolerance) (a promotion livens a group only as far as its members are not fed up with them). Most groups with nothing to revive them go quiet
(v < 1/4) within two months (REFERENCES.md: most groups active < 2 months).
A group needs at least 3 active members; below that its members are treated as not
in a group (no chatter, no staff time).

For a group of s active members (a0 = activity_per_member, h = activity_half_size):
  activity per member a(s) = a0 v / (1 + s/h) x (1 + koc_lift if the group has a KOC)
  attention          att(s) = (1 + s/h)^-1/2       (share of the brand's posts in the group a member
                                                    reads: messaging.py applies it to group posts only)
  trust per day             = trust_gain x a(s)/a0 x warmth
  annoyance per day         = noise x (1 - att) x c / (c + a0 h),  c = s a0 v/(1+s/h)
  social proof              = 1 + social_proof x att x v x (1 - exp(-orders yesterday / 3))
                              (orders shown fall as a quiet group's members stop talking: x v)
  staff hours per day       = groups x staff_hours_per_group + members x staff_hours_per_member
                              (used from the staff accounts' hours; see ledger.py)
Small groups talk (high a, att), big groups broadcast (more reach per staff hour,
more noise). Members join the quantity tier; with tiering, `quality_after_orders`
orders promote to a quality group, `vip_spend_rmb` of spend to a VIP group, and
`demote_after_days` without an order (or a move) drops one tier (seeds 000, 004); a holder of a membership tier
with an exclusive group (tiers.py) is kept in a VIP group. A promotion needs an
order since the last move (or joining); `quality_after_orders` counts all the member's orders.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..core.population import trust_after
from . import offers

LIVELY = 0.25      # liveliness below which a group counts as quiet


@njit(cache=True)
def _group_day(last, pool, group, koc, vital, fade, newcomers, size_of, orders, pull, revive, fatigue, trust, trust_mult,
               annoyance, tolerance, attention, proof, a0, half, koc_lift, trust_gain, warmth, noise, social_proof):
    """Today's group life in one pass over groups and one over pool members in groups: members per
    group (fewer than 3 are not a group) and their mood, liveliness (fade, revival by newcomers and, when
    an event starts today, by its `pull` x the members' mean mood), then each member's trust, noise,
    attention and social proof (formulas above), after resetting the attention (0) and proof (1) of `last`
    (yesterday's `pool`: nobody else holds other values). Changes vital, newcomers and orders (reset: read
    here), trust, annoyance, attention, proof. Returns (posts, members in active groups, active groups,
    lively groups)."""
    for i in last:
        attention[i] = 0.0
        proof[i] = 1.0
    members = np.zeros(koc.shape[0])
    mood = np.zeros(koc.shape[0])
    event = pull > 0.0                                        # the mood is read only when an event starts
    for j in range(pool.shape[0]):
        i = pool[j]
        if group[i] >= 0:
            members[group[i]] += 1.0
            if event:
                mood[group[i]] += max(0.0, 1.0 - annoyance[i] / tolerance[i])
    active = lively = 0
    for g in range(members.shape[0]):
        if members[g] < 3:
            members[g] = 0.0
        v = vital[g]
        if members[g] > 0:
            v *= fade[g]
        v += (1.0 - v) * min(1.0, newcomers[g] / size_of[g])
        if pull > 0.0 and members[g] > 0:
            v *= 1.0 - fatigue * (1.0 - pull)                 # too soon after the last event: noise
            v += revive * pull * mood[g] / members[g] * (1.0 - v)
        vital[g] = v
        newcomers[g] = 0.0
        if members[g] > 0:
            active += 1
            lively += v >= LIVELY
    # what a member of each active group gets (the formulas above, per group: the same numbers for each member)
    ng = members.shape[0]
    gain, noise_add, att_of, proof_of, posts_of = np.zeros(ng), np.zeros(ng), np.zeros(ng), np.zeros(ng), np.zeros(ng)
    saturation = a0 * half + 1e-12
    for g in range(ng):
        s = members[g]
        if s == 0:
            continue
        crowd = 1.0 + s / half
        act = a0 * vital[g] / crowd
        att = crowd ** -0.5
        lift = 1.0 + koc_lift * koc[g]
        gain[g] = trust_gain * (lift * vital[g] / crowd) * warmth        # a/a0
        chatter = s * act
        noise_add[g] = noise * (1.0 - att) * chatter / (chatter + saturation)
        att_of[g] = att
        proof_of[g] = 1.0 + social_proof * att * vital[g] * -np.expm1(-orders[g] / 3.0)
        posts_of[g] = act * lift
    posts = 0.0
    n = 0
    for j in range(pool.shape[0]):
        i = pool[j]
        g = group[i]
        if g < 0 or members[g] == 0:
            continue
        n += 1
        if a0 > 0:
            trust[i] = trust_after(trust[i], gain[g], trust_mult[i], 1.0)
        annoyance[i] += noise_add[g]
        attention[i] = att_of[g]
        proof[i] = proof_of[g]
        posts += posts_of[g]
    orders[:] = 0.0
    return posts, n, active, lively


@njit(cache=True)
def _count_orders(buyers, group, orders):
    """One more order for the group of each buyer in a group."""
    for i in buyers:
        if group[i] >= 0:
            orders[group[i]] += 1.0


@njit(cache=True)
def _place(idx, tier, day, filled, size, slots, offset, group, newcomers, tiers, tier_day):
    """Put users `idx` into the next open groups of `tier` (groups fill in order and then shrink).
    Changes group, tiers, tier_day, the groups' newcomers and filled[tier]."""
    for j in range(idx.shape[0]):
        g = offset[tier] + (filled[tier] + j) // size[tier] % slots[tier]
        group[idx[j]] = g
        newcomers[g] += 1.0
        tiers[idx[j]] = tier
        tier_day[idx[j]] = day
    filled[tier] += idx.shape[0]


@njit(cache=True)
def _retier(pool, day, quality_after, vip_spend, demote_after, last_order_day, orders, spend,
            filled, size, slots, offset, group, newcomers, tiers, tier_day, floor, level):
    """Tier moves of pool members in groups: a member who ordered since the last move (or joining) is
    promoted to quality with `quality_after` orders in all, to VIP with `vip_spend` (float32, as spend)
    of spend; `demote_after` days with neither an order nor a move drop one tier; no member goes below their
    `floor[level[i]]` (per membership tier, or empty: none; a tier's exclusive group, tiers.py); the movers are placed
    tier by tier, in pool order. Returns the number of moves."""
    movers = np.empty(pool.shape[0], pool.dtype)
    to = np.empty(pool.shape[0], np.int64)
    m = 0
    for i in pool:
        if group[i] < 0:
            continue
        t = tiers[i]
        target = t
        if last_order_day[i] >= tier_day[i]:                      # ordered since the last move
            if t == 0 and orders[i] >= quality_after:
                target = 1
            if spend[i] >= vip_spend:
                target = 2
        if day - max(last_order_day[i], tier_day[i]) > demote_after and t > 0:
            target = t - 1
        else:
            target = max(target, t)
        if floor.shape[0] > 0 and target < floor[level[i]]:
            target = floor[level[i]]
        if target != t:
            movers[m] = i
            to[m] = target
            m += 1
    for t in range(size.shape[0]):
        _place(movers[:m][to[:m] == t], t, day, filled, size, slots, offset, group, newcomers, tiers, tier_day)
    return m


_NO_FLOOR = np.zeros(0, np.int8)


class Groups:
    def __init__(self, model):
        self.model = model
        g = model.sc.groups
        self.enabled = g.size > 0
        n = model.users.n
        self.sizes = [g.size, g.quality_size, g.vip_size] if g.tiering else [g.size]
        # per-user multipliers read by messaging.py and purchases.py; empty = no groups (kernels skip them);
        # attention is 0 for a member not in an active group (they get no group posts)
        self.attention = np.zeros(n if self.enabled else 0, dtype=np.float32)
        self.proof = np.ones(n if self.enabled else 0, dtype=np.float32)
        self._written = np.zeros(0, np.int64)      # who may hold a value other than 0 / 1 (groups.daily's pool)
        floor = model.tiers.group_floor()           # membership tiers' lowest group tiers (fixed for the run)
        self._floor = _NO_FLOOR if floor is None else floor
        if not self.enabled:
            return
        self.slots = [n // s + 2 for s in self.sizes]                 # group ids available per tier
        self._size, self._slots = np.array(self.sizes, dtype=np.int64), np.array(self.slots, dtype=np.int64)
        self.offset = np.concatenate([[0], np.cumsum(self.slots)])[:-1].astype(np.int64)
        self.filled = np.zeros(len(self.sizes), dtype=np.int64)       # members ever placed per tier
        total = int(sum(self.slots))
        self.koc = model.streams.uniform("group", -1, np.arange(total)) < g.koc_share
        self.orders = np.zeros(total)
        self.vital = np.ones(total)                                   # liveliness, 1 when a group forms
        self.newcomers = np.zeros(total)
        self.size_of = np.repeat(np.array(self.sizes, dtype=np.float64), self.slots)
        self.fade = 0.5 ** (1.0 / (g.fade_half_life_days * (1.0 + g.koc_lift * self.koc)))

    def assign(self, idx: np.ndarray, tier: int, day: int) -> None:
        """Place users `idx` into the next open groups of `tier` (groups fill in order and then shrink)."""
        if not self.enabled or len(idx) == 0:
            return
        users = self.model.users
        _place(idx, tier, day, self.filled, self._size, self._slots, self.offset, users.group, self.newcomers,
               users.tier, users.tier_day)

    def daily(self, day: int, pool: np.ndarray) -> None:
        """Today's group life for pool members in groups: trust, noise, attention, proof, staff hours."""
        if not self.enabled:
            return
        model, users, g = self.model, self.model.users, self.model.sc.groups
        last, self._written = self._written, pool   # only yesterday's pool members have other values
        # nobody muted is in a group: an annoyed member leaves it instead
        posts, n, groups_active, lively = _group_day(
            last, pool, users.group, self.koc, self.vital, self.fade, self.newcomers, self.size_of, self.orders,
            offers.event_pull(model.sc, day), g.revive_per_event, g.event_fatigue, users.trust, users.trust_mult, users.annoyance,
            users.tolerance, self.attention, self.proof,
            g.activity_per_member, g.activity_half_size, g.koc_lift, g.trust_gain, model.warmth, g.noise_annoyance,
            g.social_proof)
        hours = groups_active * g.staff_hours_per_group + n * g.staff_hours_per_member
        model.ledger.use_hours(hours)
        model.today["groups"] += groups_active
        model.today["lively_groups"] += lively
        model.today["group_members"] += n
        model.today["group_hours"] += hours
        model.today["group_posts"] += posts

    def count_orders(self, buyers: np.ndarray) -> None:
        """Orders placed by group members today (shown in the group tomorrow: social proof)."""
        if not self.enabled or len(buyers) == 0:
            return
        _count_orders(buyers, self.model.users.group, self.orders)

    def leave(self, idx: np.ndarray) -> None:
        self.model.users.group[idx] = -1

    def retier(self, day: int, pool: np.ndarray) -> None:
        """Promote members who earned it and demote the silent (tiering only)."""
        g = self.model.sc.groups
        if not self.enabled or not g.tiering or len(pool) == 0:
            return
        u = self.model.users
        self.model.today["tier_moves"] += _retier(
            pool, day, g.quality_after_orders, np.float32(g.vip_spend_rmb), g.demote_after_days, u.last_order_day,
            u.orders, u.spend, self.filled, self._size, self._slots, self.offset, u.group, self.newcomers, u.tier,
            u.tier_day, self._floor, u.level)
