"""Checks against published results: the Bass diffusion model.

`bass_scenario(p, q, users)` switches off everything but two ordinary mechanisms:
organic discovery (market.organic_discovery_per_year = p) and word of mouth
(every adopter is a pool member who sends referral.invites_per_year = q invitations
a year to people drawn at random from the whole market, each converting a
not-yet-adopted person for sure). A non-adopter is then found organically at rate
p/365 per day and invited at rate q x F / 365 per day (F = adopters / users),
which is the Bass hazard f / (1 - F) = p + q F with time in years. With
imitation="organic" the q F term comes from organic discovery through customers
(acquisition.py: hazard q / 365 x customers / market) instead of invitations.
"""
from __future__ import annotations

import numpy as np

from ..core.scenario import Scenario, load_scenario


def bass_scenario(p: float, q: float, users: int = 20_000, years: float = 10.0, network: str = "mixed",
                  imitation: str = "referral") -> Scenario:
    """`imitation`: "referral" (q as pool members' invitations on `network`) or "organic" (q as
    market.organic_per_customer_per_year: discovery through the brand's customers, fully mixed)."""
    days = int(round(years * 365))
    by_referral = imitation == "referral"
    return load_scenario(None, {
        "name": f"bass_p{p:g}_q{q:g}", "horizon_days": days, "market.users": users, "market.agents": users,
        "market.organic_discovery_per_year": p, "market.lapse_per_year": 0,
        "market.organic_per_customer_per_year": 0 if by_referral else q,
        "acquisition.daily_budget": 0,
        "pool.accept_buyer_personal": 1, "pool.accept_nonbuyer_personal": 1,
        "staff.accounts": max(1, -(-users // 5000)), "staff.turnover_monthly": 0,
        "messaging.per_week": 0, "washback.public_per_year": 0,
        "referral.invites_per_year": q if by_referral else 0, "referral.conversion": 1, "referral.trust_threshold": 0,
        "referral.incentive_rmb": 0, "referral.network": network,
    })


def bass_F(t, p: float, q: float):
    """Bass cumulative adoption share at time t (years)."""
    t = np.asarray(t, dtype=float)
    e = np.exp(-(p + q) * t)
    return (1 - e) / (1 + (q / p) * e)


def bass_peak(p: float, q: float) -> tuple[float, float]:
    """(t*, F(t*)): time of peak adoption and the share adopted by then."""
    return np.log(q / p) / (p + q), 0.5 - p / (2 * q)


def adoption_share(result) -> np.ndarray:
    """Adopters (acquired users) as a share of the market at the end of each day."""
    d = result.daily
    return (d["customers"] + d["churned_users"]).to_numpy() / result.scenario.market.users


def fit_bass(t, F) -> tuple[float, float]:
    """Least-squares (p, q) of the Bass curve to an adoption share series F at times t (years)."""
    from scipy.optimize import curve_fit
    (p, q), _ = curve_fit(lambda tt, p, q: bass_F(tt, p, q), np.asarray(t, float), np.asarray(F, float),
                          p0=(0.02, 0.3), bounds=([1e-6, 1e-6], [5.0, 20.0]))
    return float(p), float(q)
