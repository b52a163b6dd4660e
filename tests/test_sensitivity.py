"""Sensitivity analysis: Morris ranks a lever that matters above one that cannot; Sobol and tornado data.

Setting: referral.invites_per_year = 0 and the invite-to-unlock rule off (unlock_invites = 0),
so nobody ever sends an invitation and referral.incentive_rmb cannot change anything; the paid
budget, by contrast, decides how many users are acquired. Small and deterministic.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim
from sim.core.errors import ScenarioError, UsageError
from sim.lab.experiments import run_many
from sim.lab.sensitivity import morris, sobol, tornado_data

NO_REFERRAL = {"referral.invites_per_year": 0, "referral.unlock_invites": 0, "referral.koc_count": 0}
LEVERS = {"acquisition.daily_budget": (300.0, 2000.0), "referral.incentive_rmb": (0.0, 50.0),
          "messaging.per_week": (0.5, 6.0)}
SIZE = {"users": 3000, "days": 60}


@pytest.fixture(scope="module")
def sc():
    # a small market (3,000 people) with a wide daily reach, so the budget range stays on the rising
    # part of the saturation curve (at the default reach of 0.1% it would be saturated)
    return sim.load_scenario(None, {**NO_REFERRAL, "acquisition.daily_reach": 0.05})


def test_morris_ranks_budget_above_an_inert_incentive(sc, tmp_path):
    out = tmp_path / "morris"
    df = morris(sc, LEVERS, outputs=("acquired_users", "profit"), trajectories=4, seeds=1, out=out, progress=False,
                **SIZE)
    assert list(df.columns) == ["lever", "output", "mu", "mu_star", "mu_star_conf", "sigma"]
    assert len(df) == 6
    ms = df.set_index(["output", "lever"])["mu_star"]
    for o in ("acquired_users", "profit"):
        assert ms[o, "acquisition.daily_budget"] > 0
        # common random numbers: a lever with no effect gives exactly the same run, so exactly 0
        assert ms[o, "referral.incentive_rmb"] == 0
        assert ms[o, "acquisition.daily_budget"] > ms[o, "referral.incentive_rmb"]
    # rows are sorted by mu_star within each output: the budget leads for acquired users
    assert df[df["output"] == "acquired_users"].iloc[0]["lever"] == "acquisition.daily_budget"
    # resumable: the same analysis again reads every run from disk and gives the same table
    files = sorted((out / "runs").glob("*.json"))
    stamps = [p.stat().st_mtime_ns for p in files]
    again = morris(sc, LEVERS, outputs=("acquired_users", "profit"), trajectories=4, seeds=1, out=out,
                   progress=False, **SIZE)
    pd.testing.assert_frame_equal(df, again)
    assert [p.stat().st_mtime_ns for p in sorted((out / "runs").glob("*.json"))] == stamps


def test_sobol_indices(sc):
    # n=32: the budget is the only lever that acts, so its true ST is 1, but the estimate is noisy at a
    # small base sample: over design seeds 0-9, n=16 gave 1.07, sd 0.29 (0.62 and 0.71 among them: the
    # bound 0.5 only 2 sd away; n=8 once gave 0.49); n=32 gives 0.99, sd 0.03 (here 0.95, conf +-0.35)
    df = sobol(sc, LEVERS, outputs=("acquired_users",), n=32, seeds=1, progress=False, **SIZE)
    assert list(df.columns) == ["lever", "output", "S1", "S1_conf", "ST", "ST_conf"]
    s = df.set_index("lever")
    assert s.at["referral.incentive_rmb", "S1"] == 0 and s.at["referral.incentive_rmb", "ST"] == 0
    assert s.at["acquisition.daily_budget", "ST"] > 0.5      # the budget explains acquisition
    assert s.at["acquisition.daily_budget", "ST"] > s.at["messaging.per_week", "ST"]


def test_tornado_data(sc):
    levers = {**LEVERS, "staff.accounts": (1, 6)}
    df = tornado_data(sc, levers, "acquired_users", seeds=2, **SIZE)
    assert list(df.columns[:6]) == ["lever", "low_value", "high_value", "output_low", "output_high", "base"]
    assert df.iloc[0]["lever"] == "acquisition.daily_budget"
    assert (np.diff(df["swing"].to_numpy()) <= 0).all()                      # sorted by swing
    inert = df.set_index("lever").loc["referral.incentive_rmb"]
    assert inert["output_low"] == inert["output_high"] == inert["base"]
    base = run_many(sc, seeds=2, **SIZE).summary.at["acquired_users", "mean"]
    assert df["base"].iloc[0] == base


def test_lever_validation(sc):
    with pytest.raises(ScenarioError, match="messaging.per_week"):
        morris(sc, {"messaging.per_wek": (1, 2)}, trajectories=2, seeds=1, **SIZE)
    with pytest.raises(UsageError, match="low < high"):
        morris(sc, {"messaging.per_week": (3, 1)}, trajectories=2, seeds=1, **SIZE)
    with pytest.raises(UsageError, match="choice"):
        morris(sc, {"pool.container": (0, 1)}, trajectories=2, seeds=1, **SIZE)
    with pytest.raises(ScenarioError, match="messaging.per_week"):           # out of the key's range
        morris(sc, {"messaging.per_week": (1, 100)}, trajectories=2, seeds=1, **SIZE)
    with pytest.raises(UsageError, match="power of 2"):
        sobol(sc, {"messaging.per_week": (1, 3)}, n=10, seeds=1, **SIZE)
    with pytest.raises(UsageError, match="did you mean 'ltv'"):
        morris(sc, {"messaging.per_week": (1, 3)}, outputs=("ltvv",), trajectories=2, seeds=1, **SIZE)


def test_integer_levers_are_rounded(sc, tmp_path):
    """staff.accounts is an int key: SALib's continuous design values are rounded before validation."""
    out = tmp_path / "int"
    morris(sc, {"staff.accounts": (1, 6), "messaging.per_week": (1, 3)}, outputs=("ltv",), trajectories=3, seeds=1,
           out=out, progress=False, users=500, days=20)
    table = pd.read_csv(out / "results.csv")
    acc = table["staff.accounts"].to_numpy()
    assert np.all(acc == np.round(acc)) and acc.min() >= 1 and acc.max() <= 6
