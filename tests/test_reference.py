"""The fast engine (sim/engine/model.py) against the per-agent Mesa reference (sim/lab/reference.py).

The two implementations share formulas and parameter meanings but no code on the
simulation path and no random numbers (the engine draws from counter-based streams,
the reference from Mesa's `self.random`), so they must agree in distribution.

Set-up: the baseline scenario with every non-core mechanism switched off
(`core_overrides()`), 2,000 users x 200 days, SEEDS independent seeds per engine,
in two regimes:
  steady     300 RMB a day, daily reach 0.5%: the Hill curve is in its bend (x ~ 0.06-0.19 per
             platform), ~3 people a day are bought and the cost per user rises as the market
             is used up; paid acquisition, carry-over and organic discovery through
             customers run all along;
  saturated  30,000 RMB a day, daily reach 1%: every platform buys nearly its whole daily
             reach, the market is mostly used up after ~2 months and most of the run is the
             repeat-purchase / leaving dynamics of ~2,000 customers.

Margin: for every figure, |mean_fast - mean_ref| <= 4 x sqrt(se_fast^2 + se_ref^2)
+ 1e-9 x max(1, |mean|), se = sample sd / sqrt(SEEDS). The first term is 4 standard
errors of the difference of two independent means; with 8 + 8 seeds the standardised
difference is roughly t-distributed with ~14 degrees of freedom, so a correct engine
exceeds it with probability ~0.13% per figure (~3% over the 24 comparisons: a false
alarm is possible but rare; rerun with other seeds before hunting a bug). The seeds
are fixed, so for a given engine the outcome is deterministic. The second term is a rounding floor
that only matters when a figure has zero variance in both engines (acquired_users in
a regime); it does not hide a real difference.

Power: test_comparison_has_power reruns the reference with one parameter changed
(market.purchase_cycle_days doubled; washback.public_per_year x 1.5) and asserts the
same comparison flags the figures that change should move. Exploratory runs showed it
also flags a 20% longer purchase cycle (z ~ 15 on orders), so a formula slip of that size
in the core flows fails test_engines_agree.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.core.population import CHURNED
from sim.lab.reference import ReferenceModel, core_overrides, run_reference

ROOT = Path(__file__).resolve().parents[1]
USERS, DAYS, SEEDS = 2_000, 200, 8
FIGURES = ("acquired_users", "paid_users", "organic_users", "pool_joined", "pool_size_end", "orders", "revenue", "profit", "ltv",
           "churn_rate_monthly", "retention_90d", "repurchase_rate", "lost_lapsed", "lost_washed_back")
Z = 4.0


def scenario(regime: str, **overrides) -> sim.Scenario:
    base = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml", core_overrides())
    # the regimes were set at 80 RMB a lead and at the friend-acceptance rates before issue 23 (0.45 /
    # 0.35 / 0.15 against 0.2 / 0.15 / 0.05 now): with the evidence's smaller pool, the power check's
    # wash-back change no longer moves the pool's end size beyond 4 standard errors
    over = {"market.users": USERS, "horizon_days": DAYS, "acquisition.cac": 80.0,
            "pool.accept_buyer_personal": 0.45, "pool.accept_buyer_wecom": 0.35, "pool.accept_nonbuyer_personal": 0.15}
    over["acquisition.daily_budget"], over["acquisition.daily_reach"] = {"steady": (300, 0.005),
                                                                         "saturated": (30_000, 0.01)}[regime]
    over.update(overrides)
    return base.with_overrides(over)


def fast_runs(sc) -> list[dict]:
    return [sim.run(sc, seed=s).summary for s in range(SEEDS)]


def ref_runs(sc) -> list[dict]:
    return [run_reference(sc, seed=s) for s in range(SEEDS)]


def disagreements(fast: list[dict], ref: list[dict], figures=FIGURES) -> dict[str, str]:
    """Figures whose means differ by more than the margin (see the module docstring), with the numbers."""
    out = {}
    for k in figures:
        f = np.array([r[k] for r in fast], dtype=float)
        g = np.array([r[k] for r in ref], dtype=float)
        se = math.sqrt(f.var(ddof=1) / len(f) + g.var(ddof=1) / len(g))
        diff = f.mean() - g.mean()
        margin = Z * se + 1e-9 * max(1.0, abs(f.mean()))
        if not abs(diff) <= margin:
            out[k] = f"fast {f.mean():.6g} ref {g.mean():.6g} diff {diff:.4g} margin {margin:.4g} (se {se:.4g})"
    return out


@pytest.fixture(scope="module")
def runs():
    cache = {}

    def get(regime: str, engine: str):
        if (regime, engine) not in cache:
            sc = scenario(regime)
            cache[regime, engine] = fast_runs(sc) if engine == "fast" else ref_runs(sc)
        return cache[regime, engine]
    return get


@pytest.mark.parametrize("regime", ["steady", "saturated"])
def test_engines_agree(runs, regime):
    bad = disagreements(runs(regime, "fast"), runs(regime, "ref"))
    assert not bad, f"fast engine and Mesa reference disagree ({regime}): {bad}"


def test_same_summary_keys_and_saturating_paid_counts(runs):
    """Both report the same figures and book the whole budget; the saturated regime buys several
    times the steady one's users for 100 times the budget (the response saturates in both)."""
    fast, ref = runs("steady", "fast"), runs("steady", "ref")
    assert set(fast[0]) == set(ref[0])
    for engine in ("fast", "ref"):
        steady = np.mean([r["paid_users"] for r in runs("steady", engine)])
        saturated = np.mean([r["paid_users"] for r in runs("saturated", engine)])
        assert 2 * steady < saturated < 0.2 * 100 * steady, (engine, steady, saturated)


@pytest.mark.parametrize("regime, key, factor, must_flag", [
    ("steady", "market.purchase_cycle_days", 2.0, {"orders", "revenue", "ltv"}),
    ("saturated", "washback.public_per_year", 1.5, {"churn_rate_monthly", "retention_90d", "pool_size_end"}),
])
def test_comparison_has_power(runs, regime, key, factor, must_flag):
    """The agreement check detects a real difference: the reference with one parameter scaled fails it."""
    section, name = key.split(".")
    value = getattr(getattr(scenario(regime), section), name) * factor
    changed = ref_runs(scenario(regime, **{key: value}))
    bad = disagreements(runs(regime, "fast"), changed)
    assert must_flag <= set(bad), f"{key} x {factor}: expected {sorted(must_flag)} flagged, got {bad}"


def test_reference_refuses_non_core_scenario():
    sc = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml", {"market.users": 50})   # messaging on
    with pytest.raises(ValueError, match="messaging.per_week"):
        ReferenceModel(sc)


def test_reference_is_a_mesa_model_with_a_daily_series():
    sc = scenario("steady", **{"market.users": 200, "horizon_days": 20})
    model = ReferenceModel(sc, seed=3)
    for _ in range(20):
        model.step()
    df = model.datacollector.get_model_vars_dataframe()
    assert len(df) == 20 and len(model.agents) == 200
    assert (df["public_users"] + df["pool_users"] + df["churned_users"] == 200).all()
    a, b = run_reference(sc, seed=3), run_reference(sc, seed=3)          # reproducible from the seed
    assert a.keys() == b.keys()
    assert all(a[k] == b[k] or (a[k] != a[k] and b[k] != b[k]) for k in a)


def test_reference_steps_only_current_customers():
    """The fair reference: its stepped AgentSet is exactly the acquired people not yet lost, every day."""
    sc = scenario("steady", **{"market.users": 300, "horizon_days": 60})
    model = ReferenceModel(sc, seed=5)
    sizes = []
    for _ in range(60):
        model.step()
        stepped = set(model.customers)
        assert stepped == {ag for ag in model.people if ag.acquired and ag.state != CHURNED}
        sizes.append(len(stepped))
    assert 0 < max(sizes) < len(model.people) and model.churned_count > 0   # the set grows and shrinks
