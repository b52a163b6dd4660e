"""Calibration to an order history (issue 12): reading orders, the BG/NBD baseline, replayed
arrivals, day-0 customers from a history, the fit (determinism, recovery of known parameters,
holdout forecast on CDNOW next to BG/NBD), outputs whole or absent, and the bad-input corpus."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import load_scenario, run
from sim.cli import main
from sim.core.errors import ScenarioError, UsageError
from sim.lab import bgnbd, calibrate as cb, orders as od
from sim.lab.synthetic import synthetic_orders
from sim.present import calibration_report

ROOT = Path(__file__).resolve().parents[1]
BAD = Path(__file__).parent / "bad_orders"
NO_POOL = {f"pool.accept_{w}_{c}": 0.0 for w in ("buyer", "nonbuyer") for c in ("personal", "wecom")}
needs_cdnow = pytest.mark.skipif(od.cdnow_path() is None, reason="CDNOW sample not installed (pip install lifetimes)")
TRUE = {"market.purchase_cycle_days": 60.0, "market.purchase_rate_spread": 1.0, "market.lapse_per_year": 0.8,
        "market.leaving_spread": 0.5, "market.price_rmb": 150.0, "market.order_value_spread": 0.4}


@pytest.fixture(scope="module")
def small_orders():
    """A synthetic history of 600 customers over 240 days (for fast tests)."""
    return synthetic_orders(TRUE, customers=600, days=240, seed=3)


# ----------------------------------------------------------------- data preparation

def test_occasions_merge_same_day_orders_and_split_cohort():
    df = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "c"],
                       "date": ["2024-01-01", "2024-01-01 18:30", "2024-01-05", "2024-01-03", "2024-01-06"],
                       "amount": [10, 5, 7, 3, 4]})
    occ = od.occasions(od.read_orders(df))
    assert len(occ) == 4 and occ.loc[occ["customer_id"] == "a", "amount"].tolist() == [15, 7]
    cal, hold = od.calibration_and_holdout_data(occ, "2024-01-04")
    assert set(cal["customer_id"]) == {"a", "b"}
    assert hold["customer_id"].tolist() == ["a"]          # c is first seen after the cut: in neither
    s = od.summary_data_from_transaction_data(occ, "2024-01-06")
    assert s.loc["a", ["frequency", "recency", "T"]].tolist() == [1, 4, 5]


def test_columns_map_other_headers():
    df = pd.DataFrame({"user": ["a"], "paid_at": ["2024-01-01"], "paid": ["1,200.50"]})
    out = od.read_orders(df, od.parse_columns("customer_id=user,date=paid_at,amount=paid"))
    assert out["amount"].iloc[0] == 1200.5


# ----------------------------------------------------------------- BG/NBD baseline

@needs_cdnow
def test_bgnbd_reproduces_the_published_cdnow_fit():
    """Fader, Hardie & Lee 2005: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4 (weeks)."""
    occ = od.occasions(od.read_orders(od.load_cdnow()))
    cal, _ = od.calibration_and_holdout_data(occ, "1997-10-01")
    s = od.summary_data_from_transaction_data(cal, "1997-09-30")
    m = bgnbd.fit(s["frequency"], s["recency"] / 7, s["T"] / 7)
    assert (round(m.r, 3), round(m.alpha, 2), round(m.a, 3), round(m.b, 2)) == (0.243, 4.41, 0.793, 2.43)
    assert abs(m.log_likelihood - -9582.4) < 0.1
    # a test of the test: counting several orders on one day as several purchases moves the fit away
    many = od.read_orders(od.load_cdnow())
    many["first"] = ~many.duplicated("customer_id")
    s2 = od.summary_data_from_transaction_data(many[many["date"] < "1997-10-01"], "1997-09-30")
    assert abs(bgnbd.fit(s2["frequency"], s2["recency"] / 7, s2["T"] / 7).log_likelihood - -9582.4) > 50


# ----------------------------------------------------------------- engine: replay and day-0 customers

def test_replayed_arrivals_are_the_datas_first_purchases(small_orders):
    occ = od.occasions(od.read_orders(small_orders))
    cohort, actual, _ = cb.prepare(occ)
    base = load_scenario(cb.DEFAULT_BASE)
    sc = cb.sim_scenario(base, cohort, {}, cohort.days)
    from sim.engine.model import PoolModel
    from sim.mechanisms.history import Arrivals
    model = PoolModel(sc, seed=0, arrivals=Arrivals(cohort.first_day, cohort.channel, None))
    new = []
    for _ in range(cohort.days):
        model.step()
        new.append(model.today["new_customers"])
    expected = np.bincount(cohort.first_day, minlength=cohort.days)
    assert np.array_equal(np.array(new), expected)
    assert model.users.acquired.sum() == len(cohort.ids) and (model.users.orders >= 1).all()


def test_day0_customers_from_a_history_keep_their_orders_and_buy_by_their_history(tmp_path):
    n = 2000
    rng = np.random.default_rng(0)
    orders = np.where(np.arange(n) < n // 2, 1, 12)                   # half one-off buyers, half frequent buyers
    cust = pd.DataFrame({"customer_id": np.arange(n), "first_order_days_ago": 365,
                         "last_order_days_ago": rng.integers(0, 30, n), "orders": orders,
                         "spend": orders * 100.0, "in_pool": (np.arange(n) % 2).astype(int)})
    cust.to_csv(tmp_path / "customers.csv", index=False)
    (tmp_path / "s.yaml").write_text(f"extends: {ROOT / 'scenarios/baseline.yaml'}\nacquisition:\n  daily_budget: 0\n"
                                     "market:\n  users: 5000\n  organic_discovery_per_year: 0\n"
                                     "pool:\n  initial_from: customers.csv\n")
    sc = load_scenario(tmp_path / "s.yaml")
    res = run(sc, days=90, seed=1)
    u = res.users
    seeded = u[u["channel"] == "existing"]
    assert len(seeded) == n
    assert 0.9 * n / 2 <= res.daily["pool_users"].iloc[0] <= 0.55 * n   # the in_pool half (less any lost on day 0)
    # the frequent buyers of the history are matched to the highest purchase rates: they keep buying more
    frequent = seeded["orders"] >= 12
    gained_frequent = (seeded.loc[frequent, "orders"] - 12).mean()
    gained_once = (seeded.loc[~frequent, "orders"] - 1).mean()
    assert gained_frequent > 1.5 * gained_once
    (tmp_path / "bad.csv").write_text("customer_id,orders\n1,2\n")
    with pytest.raises(ScenarioError, match="missing"):
        run(sc.with_overrides({"pool.initial_from": str(tmp_path / "bad.csv")}), days=2)
    with pytest.raises(ScenarioError, match="initial_from"):
        sc.with_overrides({"pool.initial_from": str(tmp_path / "nope.csv")})



def test_history_seeded_at_a_scale_is_right_on_average(tmp_path):
    """At 2 people per agent a history of 1,001 customers seeds 500 or 501 agents (random rounding, like
    every one-off head count), 500.5 on average: nearest rounding would always seed 500 (or, at 1,003
    customers, always 502: 0.1% too many). 16 seeds: both counts occur, each in 3 to 13 of them
    (Binomial(16, 1/2) falls outside that 0.4% of the time; the seeds are fixed)."""
    from sim.core.population import CH_EXISTING
    from sim.engine.model import PoolModel
    n = 1001
    pd.DataFrame({"customer_id": np.arange(n), "first_order_days_ago": 100, "last_order_days_ago": 10,
                  "orders": 2, "spend": 200.0, "in_pool": 0}).to_csv(tmp_path / "customers.csv", index=False)
    (tmp_path / "s.yaml").write_text(f"extends: {ROOT / 'scenarios/baseline.yaml'}\nacquisition:\n  daily_budget: 0\n"
                                     "market:\n  users: 8000\n  agents: 4000\n  organic_discovery_per_year: 0\n"
                                     "pool:\n  initial_from: customers.csv\n")
    sc = load_scenario(tmp_path / "s.yaml")
    counts = []
    for seed in range(16):
        model = PoolModel(sc, seed=seed)
        model.step()
        counts.append(int(np.count_nonzero(model.users.channel == CH_EXISTING)))
    assert set(counts) == {500, 501}
    assert 3 <= counts.count(501) <= 13, counts          # about half round up, as u < 0.5 half the time


# ----------------------------------------------------------------- the fit

def test_fit_is_deterministic_for_a_fixed_seed(small_orders):
    a = cb.calibrate(small_orders, seeds=1, trials=6, fit_seeds=1)
    b = cb.calibrate(small_orders, seeds=1, trials=6, fit_seeds=1)
    assert a.params == b.params and a.distance == b.distance
    assert a.to_dict()["calibration"] == b.to_dict()["calibration"]
    c = cb.calibrate(small_orders, seeds=1, trials=6, fit_seeds=1, seed=1)
    assert c.params != a.params                                    # the seed matters (test of the test)


def test_fit_simulates_the_datas_price_level(monkeypatch):
    """Whether a would-be order stalls on a question depends on its value (purchases.stall_share), so the
    fit must simulate orders at the data's price level, not the base scenario's 120 RMB: on a 1,500 RMB
    history (about half its would-be orders stall) a fit at 120 RMB learns a purchase rate with no stalls
    in it, and the forecast at the fitted price then loses a large share of its purchases."""
    base = load_scenario(cb.DEFAULT_BASE, NO_POOL)
    data = synthetic_orders({**TRUE, "market.price_rmb": 1500.0}, customers=600, days=240, seed=3, base=base)
    prices = []
    simulate = cb.simulate
    monkeypatch.setattr(cb, "simulate", lambda sc, *a: prices.append(sc.market.price_rmb) or simulate(sc, *a))
    cal = cb.calibrate(data, base=base, seeds=2, trials=12, fit_seeds=1)
    fitted, error = cal.params["market.price_rmb"], cal.period(holdout=False)["error"]
    assert all(abs(p / fitted - 1) < 0.05 for p in prices), (min(prices), max(prices), fitted)
    # measured (trials 12 / 40): price 1442 / 1431 and calibration-period error +28% / +16% with the data's
    # price in the fit; 1098 / 1127 and -43% / -40% without it. The history has only 237 repeat orders: the
    # mean order value has a standard error of ~3%, and the forecast's total on fresh seeds is noisy
    # upward as well as downward (the best of few noisy trials), so the error is checked on the side the
    # fault pushes it to
    assert abs(fitted / 1500.0 - 1) < 0.10, fitted
    assert error > -0.25, error


@pytest.mark.slow
def test_fit_recovers_the_parameters_of_a_known_process():
    """3,000 synthetic customers over a year from the engine itself with known parameters: the rhythm,
    its spread and the order value come back within the stated tolerances; lapse and the spread of
    proneness to leave trade off against each other (a ridge), so their joint effect is checked: the
    share of customers still buying in the last quarter."""
    # no pool: on the baseline's four personal staff accounts one quitting takes 70% of a quarter of the
    # pool with them, a shock that differs from seed to seed (9% apart in repeat purchases between two
    # seeds) and that a fit cannot recover from one history
    base = load_scenario(cb.DEFAULT_BASE, NO_POOL)
    data = synthetic_orders(TRUE, customers=3000, days=365, seed=7, base=base)
    cal = cb.calibrate(data, base=base, seeds=2, trials=120)
    p = cal.params
    assert abs(p["market.purchase_cycle_days"] / 60.0 - 1) < 0.25, p
    assert abs(p["market.purchase_rate_spread"] - 1.0) < 0.3, p
    assert abs(p["market.price_rmb"] / 150.0 - 1) < 0.05, p
    assert abs(p["market.order_value_spread"] - 0.4) < 0.05, p
    period = cal.period(holdout=False)
    # margin: 3 counting-noise SEs as for the last quarter below (~2,770 repeat orders: about 7%). Measured with the
    # fit at the data's price level: -5.3% (fit seed 0), +5.9% (seed 1), -3.7% (seed 2), both signs: the luck of
    # the best of many noisy trials, not a bias. A fixed 5% was about 2 SE and failed on seed 0's fit
    actual_cal, predicted_cal = period["actual_repeat_orders"], period["predicted_repeat_orders"]
    assert abs(predicted_cal - actual_cal) < 3 * np.sqrt(actual_cal + predicted_cal / len(cal.simulated)), period
    last_q = slice(cal.cohort.days - 91, cal.cohort.days)
    sims = [s.daily[last_q].sum() for s in cal.simulated]
    actual_last = cal.actual.daily[last_q].sum()
    # margin: 3 standard errors of counting noise (Poisson, a lower bound: buying is overdispersed) of the one
    # synthetic history and of the mean of the fit's seeds (~500 orders: about 17% of the count). A fixed 10%
    # was under 2 SE and failed on a fit whose other parameters were all recovered (546.5 vs 492 orders)
    margin = 3 * np.sqrt(actual_last + np.mean(sims) / len(sims))
    assert abs(np.mean(sims) - actual_last) < margin, (np.mean(sims), actual_last, margin)


@needs_cdnow
@pytest.mark.slow
def test_cdnow_holdout_forecast_next_to_bgnbd(tmp_path):
    """CDNOW, weeks 1-39 calibration / 40-78 holdout (Fader, Hardie & Lee 2005). No pool existed: friend
    requests are switched off. The lab's forecast of cumulative holdout repeat purchases is compared with
    BG/NBD fitted to the same weeks; both errors are printed and written to fit.json."""
    cal = cb.calibrate(od.load_cdnow(), holdout_from="1997-10-01", base=load_scenario(cb.DEFAULT_BASE, NO_POOL),
                       seeds=4, trials=150)
    hold = cal.period(holdout=True)
    print(f"CDNOW holdout: actual {hold['actual_repeat_orders']:.0f}, lab {hold['predicted_repeat_orders']:.0f} "
          f"({100 * hold['error']:+.1f}%), BG/NBD {hold['bgnbd_repeat_orders']:.0f} ({100 * hold['bgnbd_error']:+.1f}%)")
    assert hold["actual_repeat_orders"] == 1882
    assert abs(hold["bgnbd_error"] - -0.114) < 0.01           # BG/NBD under-forecasts CDNOW's holdout by ~11%
    # measured (fit seed 0 / 1): holdout -18.8% / -17.3%, calibration period +2.3% / +1.8%; the 8 re-run best
    # fits forecast -43% .. +8% / -29% .. -11%. The engine has no burst of repeat buying right after a purchase,
    # which CDNOW shows in its first weeks; the fit trades that misfit against faster leaving, which the
    # holdout then pays for (docs/model.md). A fit at the base scenario's price (120 RMB, not CDNOW's ~34)
    # stalled ~1.5% more would-be orders than the forecast did: +5.3% / -24.7% (test_fit_simulates_the_datas_price_level)
    assert abs(hold["error"]) < 0.25
    assert abs(cal.period(holdout=False)["error"]) < 0.05
    # a test of the test: the score tells the fit from the defaults (distance ~80-90 vs ~1300)
    cohort, actual, _ = cb.prepare(od.occasions(od.read_orders(od.load_cdnow())), "1997-10-01")
    agents = cohort.agents(5000)
    default = cb.simulate(cb.sim_scenario(load_scenario(cb.DEFAULT_BASE, NO_POOL), agents, {}, cohort.cal_days),
                          agents, 0, cohort.cal_days)
    target = cb.statistics(actual, cohort)
    n_shares = cb.COUNT_BINS + cb.RECENCY_BINS * len(cb.FREQUENCY_GROUPS)
    assert cb.distance(cb.statistics(default, agents), target, len(cohort.ids), n_shares) > 5 * cal.distance
    paths = calibration_report.write(cal, tmp_path / "fit")
    d = json.loads(paths[1].read_text())
    assert d["holdout"]["actual_repeat_orders"] == 1882 and len(d["holdout"]["weekly"]) >= 39


# ----------------------------------------------------------------- outputs

def test_cli_writes_a_loadable_scenario_and_the_report(small_orders, tmp_path, capsys):
    path = tmp_path / "orders.csv"
    small_orders.rename(columns={"date": "paid_at"}).to_csv(path, index=False)
    out = tmp_path / "out"
    code = main(["calibrate", str(path), "--out", str(out), "--trials", "4", "--seeds", "1",
                 "--columns", "date=paid_at", "--holdout-from", "2024-07-01"])
    assert code == 0, capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["customers.csv", "fit.html", "fit.json",
                                                                              "scenario.yaml"]
    text = (out / "scenario.yaml").read_text()
    assert "purchase_cycle_days:" in text and "# fitted from orders.csv" in text
    sc = load_scenario(out / "scenario.yaml")
    fit = json.loads((out / "fit.json").read_text())
    assert sc.market.purchase_cycle_days == fit["params"]["market.purchase_cycle_days"]
    assert Path(sc.pool.initial_from) == (out / "customers.csv").resolve()
    assert fit["holdout"]["weekly"] and fit["baseline_model"]["model"] == "BG/NBD"
    assert "<img" in (out / "fit.html").read_text()


def test_joined_pool_replays_joining_and_fits_the_lift_key(tmp_path):
    """With a joined_pool column the replay puts customers into the pool on their day (friend requests
    add no one) and the pool's lift, market.public_buy_factor, is among the fitted keys. Its value is
    not checked here: it is poorly identified when joining follows buying (docs/model.md: a synthetic
    lift of 0.30 was fitted as 0.56), a known limit of the fit."""
    data = synthetic_orders(TRUE, customers=400, days=200, seed=5, joined_pool=True)
    assert (data["joined_pool"] != "").any() and (data["joined_pool"] == "").any()
    cal = cb.calibrate(data, seeds=1, trials=3, fit_seeds=1)
    assert "market.public_buy_factor" in cal.params and "market.public_buy_factor" in cal.uncertainty
    joined = cal.cohort.pool_day >= 0
    assert joined.any() and not joined.all()
    assert cal.customers["in_pool"].sum() == len({c for c, j in zip(data["customer_id"], data["joined_pool"]) if j})


def test_outputs_are_whole_or_absent(small_orders, tmp_path, monkeypatch):
    cal = cb.calibrate(small_orders, seeds=1, trials=3, fit_seeds=1)
    monkeypatch.setattr(calibration_report, "fit_html", lambda c: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        calibration_report.write(cal, tmp_path / "out")
    assert not (tmp_path / "out").exists() and list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------- bad input

BAD_CASES = [
    ("missing_column.csv", [], "missing column 'customer_id' (closest: 'customer')"),
    ("bad_date.csv", [], "line 3, column 'date': '2024-13-45' is not a date"),
    ("empty_date.csv", [], "line 2, column 'date'"),
    ("bad_amount.csv", [], "line 3, column 'amount': 'twelve' is not a number"),
    ("negative_amount.csv", [], "line 3, column 'amount': '-5'"),
    ("empty.csv", [], "the file is empty"),
    ("header_only.csv", [], "no orders"),
    ("bad_returned.csv", [], "'yes' is not 0 or 1"),
    ("bad_channel.csv", [], "'tiktok' is not a channel"),
    ("too_small.csv", [], "a fit needs at least 200 customers"),
    ("too_small.csv", ["--holdout-from", "2030-01-01"], "outside the data"),
    ("too_small.csv", ["--columns", "amount"], "expected NAME=HEADER"),
    ("too_small.csv", ["--columns", "price=amount"], "not a column name"),
    ("too_small.csv", ["--columns", "amount=paid"], "missing column 'paid'"),
    ("nope.csv", [], "no such file"),
    ("gbk.csv", [], "a fit needs"),            # GBK is read (tests/test_data.py checks it reads as its UTF-8 twin)
    ("bom.csv", [], "a fit needs"),            # a byte-order mark is read past: the header is found
    ("unquoted_comma.csv", [], "line 3 has more fields than the header's 3"),   # pandas shifted the fields
    ("duplicate_header.csv", [], "names column 'amount' twice"),                # pandas read the first silently
    ("too_small.csv", ["--columns", "amount=a,amount=b"], "given twice"),       # the last one won silently
]


@pytest.mark.parametrize("name,extra,message", BAD_CASES)
def test_bad_orders_one_line_exit_2_nothing_written(name, extra, message, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["calibrate", str(BAD / name), "--out", str(out), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err, err
    assert not out.exists()


def test_out_folder_with_other_files_is_refused_before_the_fit(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert main(["calibrate", str(BAD / "too_small.csv"), "--out", str(out)]) == 2
    assert "did not write" in capsys.readouterr().err and (out / "notes.txt").read_text() == "mine"


def test_holdout_leaving_too_little_calibration_data(small_orders, tmp_path, capsys):
    path = tmp_path / "orders.csv"
    small_orders.to_csv(path, index=False)
    assert main(["calibrate", str(path), "--out", str(tmp_path / "o"), "--holdout-from", "2024-01-10"]) == 2
    err = capsys.readouterr().err
    assert "the calibration period before 2024-01-10" in err and "a fit needs" in err
    with pytest.raises(UsageError):
        cb.calibrate(small_orders, seeds=0)


@pytest.mark.parametrize("kwargs,message", [
    ({"seeds": 0}, "seeds = 0: need a whole number of seeds in 1 .. 1000"),
    ({"seeds": 1001}, "seeds = 1001: need a whole number of seeds in 1 .. 1000"),
    ({"seeds": 2.5}, "seeds = 2.5: need a whole number of seeds in 1 .. 1000"),
    ({"fit_seeds": 0}, "fit_seeds = 0: need a whole number of seeds in 1 .. 1000"),
    ({"trials": 0}, "trials = 0: need a whole number of trials >= 1"),
    ({"max_agents": 9}, "max_agents = 9: need a whole number >= 10"),
])
def test_bad_counts_are_refused_like_every_other_seeds_argument(kwargs, message):
    """calibrate's counts go through experiments.check_seeds / check_count (the limit MAX_SEEDS of
    compare, sweep, ...), before the orders are read: the file here does not exist."""
    with pytest.raises(UsageError) as info:
        cb.calibrate("no_such_orders.csv", **kwargs)
    assert str(info.value) == message
