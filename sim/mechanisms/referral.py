"""Referral: organic word of mouth, incentivised fission, invite-N-to-unlock, and KOC seeding.

Reads referral.* and the network (network.py). Changes users.invites, referrals,
referrer, fit, koc; admits converted contacts through the common acquisition path
(acquisition.admit); books incentives.

Each day every active pool member with trust >= trust_threshold sends on average
  invites_per_year/365 x (1 + incentive/incentive_half)
invitations, each to one of their contacts; a recruited KOC sends
koc_invites_per_contact/365 per contact (their posts reach their whole network, so
well-connected KOCs spread more). A share x/(1+x), x = incentive/half, of
invitations are incentive-driven: they convert at `incentive_conversion_cut` times
the organic rate and bring users of fit `incentive_fit`; organic ones bring fit
`organic_fit` (Schmitt et al. 2011; seed 003). A contact converts only if not yet
acquired. With an incentive, every converted invitation is rewarded.
Invite-N-to-unlock: a new member takes part with chance unlock_take_up and sends N
incentive-driven invitations at once (seed 001).
"""
from __future__ import annotations

import numpy as np

from ..core.population import CH_KOC, CH_REFERRAL, PUBLIC
from . import acquisition, containers


class Referral:
    def __init__(self, model, build_network):
        self.model = model
        self._build_network = build_network
        self._net = None
        self.has_koc = False
        r = model.sc.referral
        x = r.incentive_rmb / r.incentive_half_rmb
        self.inc_share = x / (1 + x)
        self.rate = r.invites_per_year / 365.0 * (1 + x)

    @property
    def net(self):
        """The social network, built on first use (from its own random stream, so building it
        late, or not at all when nobody can invite, changes no result)."""
        if self._net is None:
            self._net = self._build_network()
        return self._net

    def seed_koc(self, day: int) -> None:
        """Recruit referral.koc_count KOCs on day 0, chosen by seed_koc; they join the pool with full trust."""
        r, model = self.model.sc.referral, self.model
        if r.seed_koc == "none" or r.koc_count <= 0:
            return
        n = model.users.n
        k = min(int(round(r.koc_count / model.scale)), n)     # KOCs in agents (each stands for scale people)
        if k <= 0:
            return
        noise = model.streams.uniform("koc", -1, np.arange(n))
        score = noise if r.seed_koc == "random" else self.net.scores(r.seed_koc) + noise  # noise breaks ties
        chosen = np.argpartition(-score, k - 1)[:k]
        users = model.users
        new = chosen[~users.acquired[chosen]]             # day-0 pool members may be recruited too
        acquisition.admit(model, new, day, np.full(len(new), CH_KOC, dtype=np.int8), join_pool=False)
        containers.join(model, chosen[users.state[chosen] == PUBLIC], day)
        users.koc[chosen] = True
        self.has_koc = True
        users.trust[chosen] = 1.0
        model.ledger.add("incentives", k * r.koc_fee_rmb)

    def daily(self, day: int, pool: np.ndarray) -> None:
        users, r = self.model.users, self.model.sc.referral
        if len(pool) == 0 or (self.rate <= 0 and not self.has_koc):
            return
        idx = pool[~users.muted[pool] & ((users.trust[pool] >= r.trust_threshold) | users.koc[pool])]
        if len(idx) == 0:
            return
        koc = users.koc[idx]
        rate = np.full(len(idx), self.rate)
        if koc.any():
            rate[koc] = r.koc_invites_per_contact / 365.0 * self.net.degree_of(idx[koc])
        n = np.floor(rate + self.model.streams.uniform("invite", day, idx)).astype(np.int64)
        self.send(np.repeat(idx, n), day, self.inc_share, ("invite_target", "invite_convert"))

    def unlock(self, idx: np.ndarray, day: int) -> None:
        """Invite-N-to-unlock campaign for members who joined today."""
        r = self.model.sc.referral
        if r.unlock_invites <= 0 or len(idx) == 0:
            return
        takers = idx[self.model.streams.uniform("unlock", day, idx) < r.unlock_take_up]
        self.send(np.repeat(takers, r.unlock_invites), day, 1.0, ("unlock_target", "unlock_convert"))

    def send(self, senders: np.ndarray, day: int, inc_share: float, streams: tuple[str, str]) -> None:
        """Invitations from `senders` (one per entry, grouped by sender) to a contact each; admit
        those who convert. `streams` name the (target, conversion) random streams of this kind of
        invitation, so daily and unlock invitations on the same day draw independently."""
        if len(senders) == 0:
            return
        model, users, r = self.model, self.model.users, self.model.sc.referral
        # stream index: sender x 2^20 + k-th invitation of that sender today (common random numbers)
        first = np.r_[True, senders[1:] != senders[:-1]]
        k = np.arange(len(senders)) - np.maximum.accumulate(np.where(first, np.arange(len(senders)), 0))
        key = senders.astype(np.int64) * (1 << 20) + k
        u_target, u_kind = model.streams.uniform2(streams[0], day, key)
        u_conv = model.streams.uniform(streams[1], day, key)
        target = self.net.contacts(senders, u_target)
        paid = u_kind < inc_share
        p = r.conversion * np.where(paid, r.incentive_conversion_cut, 1.0)
        ok = (target >= 0) & (u_conv < p)
        ok[ok] = ~users.acquired[target[ok]]
        np.add.at(users.invites, senders, 1)
        model.today["invitations"] += len(senders)
        if not ok.any():
            return
        t, s, pd = target[ok], senders[ok], paid[ok]
        order = np.argsort(t, kind="stable")              # a contact converts once, to the first inviter
        ts = t[order]
        first_i = order[np.r_[True, ts[1:] != ts[:-1]]]
        t = t[first_i]
        s, pd = s[first_i], pd[first_i]
        np.add.at(users.referrals, s, 1)
        fit = np.where(pd, r.incentive_fit, r.organic_fit).astype(np.float32)
        model.ledger.add("incentives", len(t) * r.incentive_rmb)
        model.today["referred_users"] += len(t)
        acquisition.admit(model, t, day, np.full(len(t), CH_REFERRAL, dtype=np.int8), fit=fit, referrer=s)
