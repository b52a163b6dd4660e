"""Referral: organic word of mouth, incentivised fission, invite-N-to-unlock, and KOC seeding.

Reads referral.* and the network (network.py). Changes users.invites, referrals,
referrer, koc, spam_received, the inviters' trust and invited members' annoyance;
admits converted contacts through the common acquisition path (acquisition.admit);
books incentives.

Each day every active pool member with trust >= trust_threshold sends on average
  invites_per_year/365 x (1 + L x/(1 + x)),   x = incentive / incentive_half, L = incentive_max_lift
invitations (rewards raise invitations with diminishing returns), each to a different
one of their contacts. A share Lx/(1+x) / (1 + Lx/(1+x)) of them are reward-driven.
An organic invitation converts a contact with chance `conversion`; who is invited
decides the referred customer's worth (homophily on the network: contacts share
traits, network.py). A reward-driven invitation converts with chance
  conversion x incentive_conversion_cut x price_sens / mean price_sens x (1 - spam_fatigue)^k
(a reward appeals to deal seekers; k = reward-driven invitations the contact already
received), costs the sender spam_trust_cost of trust and adds spam_annoyance to an
invited pool member (seed 003: fission brings low-quality users and burns the brand).
A contact converts only if not yet acquired. With an incentive every converted
invitation is rewarded. Invite-N-to-unlock: a new member takes part with chance
unlock_take_up and sends N reward-driven invitations at once, to at most all their
contacts (seed 001). KOC seeding: koc_count people chosen by seed_koc (at random, or
by their number of contacts: the follower or friend count Douyin and Xiaohongshu show)
are paid koc_fee_rmb on day 0 (koc_count / scale whole agents, rounded up or down at
random; the fee is booked for those recruited); the fee buys reach, not trust: they join the pool with the trust
they have and post to their whole network (koc_invites_per_contact per contact a year),
invitations that convert like reward-driven ones (seed 001: KOL/KOC carry spread).
"""
from __future__ import annotations

import numpy as np

from ..core.population import CH_KOC, CH_REFERRAL, POOL, PUBLIC, whole_agents
from . import acquisition, containers


class Referral:
    def __init__(self, model, build_network):
        self.model = model
        self._build_network = build_network
        self._net = None
        self.has_koc = False
        r = model.sc.referral
        x = r.incentive_rmb / r.incentive_half_rmb
        lift = r.incentive_max_lift * x / (1 + x)             # diminishing returns to the reward
        self.inc_share = lift / (1 + lift)
        self.rate = r.invites_per_year / 365.0 * (1 + lift)
        self.mean_price_sens = max(float(model.users.price_sens.mean()), 1e-9)

    @property
    def net(self):
        """The social network, built on first use (from its own random stream, so building it
        late, or not at all when nobody can invite, changes no result)."""
        if self._net is None:
            self._net = self._build_network()
        return self._net

    def seed_koc(self, day: int) -> None:
        """Recruit referral.koc_count KOCs on day 0 (whole agents, random rounding), chosen at random or by
        contacts; they join the pool (the fee buys reach, not trust)."""
        r, model = self.model.sc.referral, self.model
        if r.seed_koc == "none" or r.koc_count <= 0:
            return
        n = model.users.n
        k = min(whole_agents(r.koc_count, model.scale, model.streams, "koc_count"), n)   # each stands for scale people
        if k <= 0:
            return
        noise = model.streams.uniform("koc", -1, np.arange(n))
        score = noise if r.seed_koc == "random" else self.net.scores("degree") + noise  # noise breaks ties
        chosen = np.argpartition(-score, k - 1)[:k]
        users = model.users
        new = chosen[~users.acquired[chosen]]             # day-0 pool members may be recruited too
        acquisition.admit(model, new, day, np.full(len(new), CH_KOC, dtype=np.int8), join_pool=False)
        containers.join(model, chosen[users.state[chosen] == PUBLIC], day)
        users.koc[chosen] = True
        self.has_koc = True
        model.ledger.add("incentives", k * r.koc_fee_rmb)        # agent units: k x scale KOCs paid in the market

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
        senders = np.repeat(idx, n)
        self.send(senders, day, np.where(users.koc[senders], 1.0, self.inc_share), ("invite_target", "invite_convert"))

    def unlock(self, idx: np.ndarray, day: int) -> None:
        """Invite-N-to-unlock campaign for members who joined today."""
        r = self.model.sc.referral
        if r.unlock_invites <= 0 or len(idx) == 0:
            return
        takers = idx[self.model.streams.uniform("unlock", day, idx) < r.unlock_take_up]
        n = np.minimum(r.unlock_invites, self.net.degree_of(takers)).astype(np.int64)   # no more than their contacts
        self.send(np.repeat(takers, n), day, 1.0, ("unlock_target", "unlock_convert"))

    def send(self, senders: np.ndarray, day: int, inc_share, streams: tuple[str, str]) -> None:
        """Invitations from `senders` (one per entry, grouped by sender) to a different contact each;
        admit those who convert. `inc_share`: chance (scalar or per entry) an invitation is
        reward-driven. `streams` name the (target, conversion) random streams of this kind of
        invitation, so daily and unlock invitations on the same day draw independently."""
        if len(senders) == 0:
            return
        model, users, r = self.model, self.model.users, self.model.sc.referral
        # stream index: sender x 2^20 + k-th invitation of that sender today (common random numbers)
        first = np.r_[True, senders[1:] != senders[:-1]]
        head = np.maximum.accumulate(np.where(first, np.arange(len(senders)), 0))   # sender's first entry
        k = np.arange(len(senders)) - head
        key = senders.astype(np.int64) * (1 << 20) + k
        u_target, u_kind = model.streams.uniform2(streams[0], day, key)
        u_conv = model.streams.uniform(streams[1], day, key)
        target = self.net.contacts(senders, u_target[head], k)    # one start per sender, then step on
        paid = u_kind < inc_share
        p = np.full(len(senders), r.conversion)
        if paid.any():
            tp, sp = target[paid], senders[paid]
            safe = np.maximum(tp, 0)
            p[paid] *= (r.incentive_conversion_cut * users.price_sens[safe] / self.mean_price_sens
                        * (1.0 - r.spam_fatigue) ** users.spam_received[safe])
            np.add.at(users.spam_received, tp[tp >= 0], 1)
            annoyed = tp[(tp >= 0) & (users.state[safe] == POOL)]
            np.add.at(users.annoyance, annoyed, r.spam_annoyance)
            who, sent = np.unique(sp, return_counts=True)
            users.trust[who] = np.maximum(0.0, users.trust[who] - sent * r.spam_trust_cost)
        ok = (target >= 0) & (u_conv < p)
        ok[ok] = ~users.acquired[target[ok]]
        np.add.at(users.invites, senders, 1)
        model.today["invitations"] += len(senders)
        if not ok.any():
            return
        t, s = target[ok], senders[ok]
        order = np.argsort(t, kind="stable")              # a contact converts once, to the first inviter
        ts = t[order]
        first_i = order[np.r_[True, ts[1:] != ts[:-1]]]
        t, s = t[first_i], s[first_i]
        np.add.at(users.referrals, s, 1)
        model.ledger.add("incentives", len(t) * r.incentive_rmb)
        model.today["referred_users"] += len(t)
        acquisition.admit(model, t, day, np.full(len(t), CH_REFERRAL, dtype=np.int8), referrer=s)
