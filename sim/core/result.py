"""Results of one run: the daily series, the summary figures, the per-user table.

Every count and RMB figure is for the whole market: the run's agent figures times the
population scale (people per agent, population.py). Means per user (LTV, churn,
retention, shares) need no scaling. The user table has one row per agent; each row
stands for `Result.scale` people.

Summary figures (all over the run's horizon):
  acquired_agents       simulated agents acquired: the sample behind every per-user figure (precision
                        grows with it; raise market.agents when it is small)
  ltv                   mean discounted net margin per acquired user, RMB (ledger.py: excludes
                        acquisition cost; includes discounts, returns, gifts, and pool members'
                        share of staff and service cost)
  ltv_paid / _organic / _referred   the same by how users came
  ltv180_paid / _organic / _referred  value in the first 180 days after acquisition, among users
                        acquired at least 180 days before the end (a fair comparison of cohorts)
  cac                   paid acquisition spend per paid user, RMB;  ltv_to_cac = ltv_paid / cac
  churn_rate_monthly    1 - exp(-DAYS_PER_MONTH x losses / customer-days at risk)  (customers = acquired, not lost)
  churn_rate_monthly_paid / _referred  the same among paid / referred users (their own exposure)
  pool_churn_rate_monthly  the same for leaving the pool (losses of pool members / pool-member days)
  retention_90d         share of users acquired >= 90 days before the end still customers 90 days later
  referral_share        referred users / acquired users
  k_factor              users brought in per user, among users acquired in the first half of the
                        horizon (= invitations per user x conversion per invitation)
  profit_6w / profit_6m cumulative profit at the end of week 6 / month 6 (day 41 / 181, or the last day)
  payback_day           first day cumulative profit is back at >= 0 after its lowest point
                        (0 if it never goes below 0; None if not within the horizon)
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import UsageError
from .ledger import COST_LINES, MEMO_LINES
from .population import (
    CH_ORGANIC,
    CH_REFERRAL,
    CHANNELS,
    CHURNED,
    POOL,
    REASONS,
    SEGMENTS,
    STATES,
    sample_size,
)
from .units import DAYS_PER_MONTH

# What the engine records each day: levels, counters, revenue and each cost line.
# `muted_users` (pool members who muted the chat), `muted` (mutes that day) and the user table's
# `muted`, `annoyance` and `trust` are the model's hidden state, kept as diagnostics: WeChat does
# not tell a brand who muted it, and no mechanism's decision reads them (messages_sent counts the
# messages sent to muted members too).
# `first_orders`: first orders placed on arrival (acquisition.admit); `pool_orders`: orders placed by pool
# members (purchases.book); `friend_requests` / `friend_accepts`: friend requests sent to people and those
# they accepted, whether or not the accounts still had room (containers.invite). sim/lab/plausibility.py
# reads them.
COUNTERS = ("new_customers", "new_pool_users", "referred_users", "invitations", "orders", "returned_orders",
            "first_orders", "pool_orders", "friend_requests", "friend_accepts",
            "messages_sent", "messages_opened", "service_sessions", "consultations", "follow_ups", "muted", "left_group", "staff_quits",
            "groups", "lively_groups", "group_members", "group_hours", "group_posts", "tier_moves", "staff_hours") + \
           tuple("lost_" + r for r in REASONS[1:])
LEVELS = ("public_users", "pool_users", "churned_users", "customers", "muted_users")
VALUE_AGE = 180   # days after acquisition at which value_at_age is taken
COLUMNS = ("day",) + LEVELS + COUNTERS + ("revenue",) + MEMO_LINES + COST_LINES + ("cost", "profit")


def payback_day(cum_profit: np.ndarray):
    if len(cum_profit) == 0:
        return None
    low = int(np.argmin(cum_profit))
    if cum_profit[low] >= 0:
        return 0
    after = np.flatnonzero(cum_profit[low:] >= 0)
    return int(low + after[0]) if len(after) else None


def _mean(x):
    """Mean ignoring NaN (e.g. users too young for value_at_age); NaN when nothing is left."""
    x = np.asarray(x, dtype=np.float64)
    x = x[~np.isnan(x)]
    return float(np.mean(x)) if len(x) else float("nan")


def _churn_monthly(u, idx, days: int) -> float:
    """1 - exp(-DAYS_PER_MONTH x losses / customer-days) among users `idx` (from acquisition to loss or the end)."""
    if len(idx) == 0:
        return float("nan")
    lost = u.churn_day[idx] >= 0
    exposure = np.where(lost, u.churn_day[idx] + 1, days) - u.acq_day[idx]
    return float(-np.expm1(-DAYS_PER_MONTH * lost.sum() / max(exposure.sum(), 1)))


# daily columns that are not people or RMB (not multiplied by the population scale)
UNSCALED = ("day", "staff_quits")


def summarise(model, daily: pd.DataFrame) -> dict:
    """Summary figures from the final user arrays and the (market-scaled) daily series."""
    u = model.users
    scale = getattr(model, "scale", 1.0)
    days = len(daily)
    acq = np.flatnonzero(u.acquired)
    ch = u.channel[acq]
    paid = acq[ch < CH_ORGANIC]
    referred = acq[ch == CH_REFERRAL]
    organic = acq[ch == CH_ORGANIC]
    pool_loss = scale * np.count_nonzero((u.pool_day >= 0) & (u.state == CHURNED))
    pool_days = daily["pool_users"].sum()
    old = acq[u.acq_day[acq] <= days - 1 - 90]
    alive90 = (u.churn_day[old] < 0) | (u.churn_day[old] - u.acq_day[old] >= 90)
    first_half = acq[u.acq_day[acq] < days // 2]
    spend_paid = float(daily["acquisition"].sum())
    cum = daily["cumulative_profit"].to_numpy()
    s = {
        "acquired_users": round(scale * len(acq)),
        "acquired_agents": int(len(acq)),
        "paid_users": round(scale * len(paid)),
        "organic_users": round(scale * len(organic)),
        "referred_users": round(scale * len(referred)),
        "ltv": _mean(u.value[acq]),
        "ltv_paid": _mean(u.value[paid]),
        "ltv_organic": _mean(u.value[organic]),
        "ltv_referred": _mean(u.value[referred]),
        "ltv180_paid": _mean(model.value_at_age[paid]),
        "ltv180_organic": _mean(model.value_at_age[organic]),
        "ltv180_referred": _mean(model.value_at_age[referred]),
        "cac": spend_paid / (scale * len(paid)) if len(paid) else float("nan"),
        "churn_rate_monthly": _churn_monthly(u, acq, days),
        "churn_rate_monthly_paid": _churn_monthly(u, paid, days),
        "churn_rate_monthly_referred": _churn_monthly(u, referred, days),
        "pool_churn_rate_monthly": float(-np.expm1(-DAYS_PER_MONTH * pool_loss / max(pool_days, 1))),
        "retention_90d": float(alive90.mean()) if len(old) else float("nan"),
        "retention_90d_paid": _mean(alive90[u.channel[old] < CH_ORGANIC]),
        "retention_90d_referred": _mean(alive90[u.channel[old] == CH_REFERRAL]),
        "referral_share": len(referred) / len(acq) if len(acq) else 0.0,
        "k_factor": _mean(u.referrals[first_half]) if len(first_half) else 0.0,
        "invites_per_user": _mean(u.invites[first_half]) if len(first_half) else 0.0,
        "repurchase_rate": _mean(u.orders[acq] >= 2),
        "orders": int(daily["orders"].sum()),
        "revenue": float(daily["revenue"].sum()),
        "cost": float(daily["cost"].sum()),
        "profit": float(daily["profit"].sum()),
        "payback_day": payback_day(cum),
        "profit_6w": float(cum[min(41, days - 1)]) if days else 0.0,
        "profit_6m": float(cum[min(181, days - 1)]) if days else 0.0,
        "pool_size_end": int(daily["pool_users"].iloc[-1]) if days else 0,
        "pool_joined": round(scale * np.count_nonzero(u.pool_day >= 0)),
        "messages_sent": float(daily["messages_sent"].sum()),
        "trust_end": _mean(u.trust[u.state == POOL]),
        "washed_back_share": _mean(u.reason[acq] == REASONS.index("washed_back")),
    }
    s["ltv_to_cac"] = s["ltv_paid"] / s["cac"] if len(paid) and s["cac"] > 0 else float("nan")
    for i, r in enumerate(REASONS[1:], start=1):
        s[f"lost_{r}"] = round(scale * np.count_nonzero(u.reason == i))
    return s


@dataclass
class Result:
    """What one run produced. `users` is built on first access (it can be large)."""
    scenario: object
    seed: int
    daily: pd.DataFrame
    summary: dict
    _model: object = field(repr=False, default=None)
    _users: pd.DataFrame | None = field(repr=False, default=None)
    sales: pd.DataFrame | None = field(repr=False, default=None)    # per sales channel (mechanisms.sales.Sales.table); None: off
    entry: pd.DataFrame | None = field(repr=False, default=None)    # per entry point (mechanisms.entry.Entry.table); None: off
    tiers: pd.DataFrame | None = field(repr=False, default=None)    # per membership tier (mechanisms.tiers.Tiers.table); None: off

    @property
    def scale(self) -> float:
        """People per simulated agent (market.users / agents), from the scenario (so a cached Result has it)."""
        return sample_size(self.scenario.market)[1]

    @property
    def users(self) -> pd.DataFrame:
        if self._users is None:
            self._users = user_table(self._model)
        return self._users

    def breakdown(self, by: str = "channel") -> pd.DataFrame:
        """LTV and its ingredients per group of acquired users (`by`: a column of `users`, e.g.
        "channel", "segment", "tier12_city"): users, LTV (mean discounted value, RMB), orders and
        kept spend per user, share in the pool at some point, share lost by the end. `users` counts
        people (agents x scale). `by="sales_channel"`: the orders per sales channel instead (sim/mechanisms/sales.py, Sales.table), when
        the scenario books them (sales.enabled); `by="entry"`: people, add rate, LTV, share lost and cost per entry
        point (sim/mechanisms/entry.py, Entry.table), when the scenario has entry points or stores; `by="tier"`: people,
        spend, LTV, share lost, points cost, messages and the next tier's pull per membership tier
        (sim/mechanisms/tiers.py, Tiers.table), when tiers.enabled."""
        if by == "sales_channel":
            if self.sales is None:
                raise UsageError("breakdown(by='sales_channel'): this scenario books no sales channels "
                                 "(set sales.enabled: true)")
            return self.sales
        if by == "entry":
            if self.entry is None:
                raise UsageError("breakdown(by='entry'): this scenario has no entry points "
                                 "(set entry.enabled: true, or stores.enabled: true)")
            return self.entry
        if by == "tier":
            if self.tiers is None:
                raise UsageError("breakdown(by='tier'): this scenario has no membership tiers (set tiers.enabled: true)")
            return self.tiers
        u = self.users
        if by not in u.columns:
            raise UsageError(f"breakdown(by={by!r}): choose one of {', '.join(u.columns)}")
        a = u[u["acquired_day"] >= 0]
        g = a.groupby(by, observed=True)
        out = pd.DataFrame({
            "users": g.size() * self.scale,
            "ltv": g["value"].mean(),
            "orders_per_user": g["orders"].mean(),
            "spend_per_user": g["spend"].mean(),
            "joined_pool": g["in_pool_ever"].mean(),
            "lost": g["state"].apply(lambda s: (s == "churned").mean()),
        })
        return out.sort_values("users", ascending=False)


def user_table(model) -> pd.DataFrame:
    """One row per person: traits, state and history (value_180d: value 180 days after acquisition, NaN if younger)."""
    u = model.users
    chan = np.array(("none",) + CHANNELS)[u.channel.astype(np.int64) + 1]
    return pd.DataFrame({
        "segment": pd.Categorical.from_codes(u.segment, SEGMENTS),
        "tier12_city": u.tier12,
        "channel": pd.Categorical(chan, categories=("none",) + CHANNELS),
        "state": pd.Categorical.from_codes(u.state, STATES),
        "in_pool_ever": u.pool_day >= 0,
        "muted": u.muted,
        "acquired_day": u.acq_day,
        "pool_day": u.pool_day,
        "left_day": u.churn_day,
        "reason": pd.Categorical.from_codes(u.reason, REASONS),
        "orders": u.orders,
        "order_value": u.order_value,
        "spend": u.spend,
        "value": u.value,
        "value_180d": model.value_at_age,
        "trust": u.trust,
        "annoyance": u.annoyance,
        "referrer": u.referrer,
        "referrals": u.referrals,
        "koc": u.koc,
        "group": u.group,
        "tier": u.tier,
    }).rename_axis("user")


def daily_frame(model) -> pd.DataFrame:
    """The DataCollector's daily rows, every count and RMB column multiplied to the market."""
    rows = model.datacollector.model_vars["row"]
    data = np.vstack(rows) if rows else np.zeros((0, len(COLUMNS)))
    scale = getattr(model, "scale", 1.0)
    int_cols = [c for c in COLUMNS if c in ("day",) or c.endswith("_users") or c in
                ("customers", "new_customers", "invitations", "orders", "returned_orders", "first_orders", "pool_orders",
                 "friend_requests", "friend_accepts", "service_sessions",
                 "muted", "left_group", "staff_quits", "groups", "lively_groups", "group_members", "tier_moves") or c.startswith("lost_")]
    cols = {}
    for k, c in enumerate(COLUMNS):       # column by column in NumPy: a tenth of pandas' cost for the same numbers
        v = data[:, k] if c in UNSCALED else data[:, k] * scale
        cols[c] = v.round().astype(np.int64) if c in int_cols else np.ascontiguousarray(v)
    df = pd.DataFrame(cols)
    df["cumulative_profit"] = df["profit"].cumsum()
    return df
