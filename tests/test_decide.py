"""Decision tools (issue 13): lever attribution, robustness across plausible worlds, strategy search.

Small markets (1,000-2,000 users) keep each test to seconds; the properties tested (sums, exact
zeros, dominance, ties) do not depend on the market size. Seeds are fixed.
"""
from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.core.scenario import iter_schema, plausible_ranges
from sim.lab.explain import explain, group_levers
from sim.lab.figures import seed_values
from sim.lab.optimise import optimise, parse_constraint
from sim.lab.robustness import draw_worlds, robustness, world_assumptions
from sim.lab.verdicts import worlds_of
from sim.present.conclusions_lab import worlds_sentence

ROOT = Path(__file__).resolve().parents[1]
SMALL = {"market.users": 1000, "horizon_days": 180}


def _base(**over):
    return sim.load_scenario(ROOT / "scenarios" / "baseline.yaml", {**SMALL, **over})


# ----------------------------------------------------------------- explain

def test_contributions_add_up_to_the_difference():
    a = sim.load_scenario(ROOT / "scenarios" / "discount_only.yaml", SMALL)
    b = sim.load_scenario(ROOT / "scenarios" / "differentiated_service.yaml", SMALL)
    ex = explain(a, b, seeds=2, figures=("ltv", "profit"), by="section", method="exact")
    assert [lv.name for lv in ex.levers] == ["groups", "messaging", "offers", "service"]
    assert ex.runs == 16 * 2
    for f in ("ltv", "profit"):
        c = ex.contributions[ex.contributions["figure"] == f]["contribution"].sum()
        total = ex.totals.at[f, "total"]
        assert c == pytest.approx(total, rel=1e-9, abs=1e-9)
        da, db = seed_values(a, [0, 1], [f])[f], seed_values(b, [0, 1], [f])[f]
        assert total == pytest.approx(float(np.mean(db - da)), rel=1e-9)   # the total is the paired B - A


def test_sampled_orders_also_add_up():
    a = sim.load_scenario(ROOT / "scenarios" / "discount_only.yaml", SMALL)
    b = sim.load_scenario(ROOT / "scenarios" / "differentiated_service.yaml", SMALL)
    ex = explain(a, b, seeds=1, figures=("ltv",), by="section", permutations=3)
    assert "3 sampled orders" in ex.method
    assert ex.contributions["contribution"].sum() == pytest.approx(ex.totals.at["ltv", "total"], rel=1e-9)


def test_one_key_difference_gets_the_whole_difference():
    a, b = _base(), _base(**{"messaging.per_week": 4})
    ex = explain(a, b, seeds=2, figures=("ltv", "churn_rate_monthly"))
    assert len(ex.levers) == 1 and ex.levers[0].keys == ("messaging.per_week",)
    for f in ("ltv", "churn_rate_monthly"):
        row = ex.contributions[ex.contributions["figure"] == f].iloc[0]
        assert row["contribution"] == pytest.approx(ex.totals.at[f, "total"], rel=1e-12)
        assert row["alone"] == pytest.approx(row["contribution"], rel=1e-12)
        assert ex.totals.at[f, "interaction"] == pytest.approx(0, abs=1e-9)
        assert abs(ex.totals.at[f, "total"]) > 0                     # a real difference, not 0 = 0


def test_known_interaction_is_shown():
    """Open rate matters only when messages are sent: from no messages, switching the open rate
    alone does exactly nothing, so the whole of its effect is interaction, and Shapley gives it
    exactly half of that interaction (the other half goes to the message frequency)."""
    # daily_reach 2%: the budget reaches most of the 1,000-person market within the 180 days, so there
    # are enough customers for messages to matter (at the default 0.1% the interaction is ~3 RMB)
    # every direct message a Moments post, so that open_moments is the open rate of every message
    reach = {"acquisition.daily_reach": 0.02, "messaging.moments_share": 1.0, "messaging.mass_share": 0.0}
    a = _base(**{"messaging.per_week": 0, "messaging.open_moments": 0.85, **reach})
    b = _base(**{"messaging.per_week": 4, "messaging.open_moments": 0.3, **reach})
    # 8 seeds: the interaction was +5.7 RMB per user [+3.8, +7.6] (90%) while pool members bought 2.9x as
    # often; at issue 23's evidence (+30%) it is -0.79 RMB [-1.27, -0.32]: more opens of 4 messages a week
    # now annoy more than they sell. Its sign is the model's; the test is that it is clearly not zero and
    # that Shapley splits it in half.
    ex = explain(a, b, seeds=8, figures=("ltv",), by="key")
    c = ex.contributions.set_index("lever")
    inter = ex.totals.at["ltv", "interaction"]
    assert c.at["messaging.open_moments", "alone"] == 0.0
    lo, hi = ex.totals.at["ltv", "interaction_lo"], ex.totals.at["ltv", "interaction_hi"]
    assert lo > 0 or hi < 0                                           # clearly not zero: its 90% interval
    assert c.at["messaging.open_moments", "contribution"] == pytest.approx(inter / 2, rel=1e-9)
    assert c.at["messaging.per_week", "contribution"] == pytest.approx(
        c.at["messaging.per_week", "alone"] + inter / 2, rel=1e-9)


def test_linked_keys_move_together_and_sections_group():
    d = {"messaging.promo_share": (0.7, 0.3), "messaging.value_share": (0.2, 0.5), "groups.size": (0, 100)}
    names = [lv.name for lv in group_levers(d, "key")]
    assert names == ["messaging.promo_share + messaging.value_share", "groups.size"]
    assert [lv.name for lv in group_levers(d, "section")] == ["messaging", "groups"]
    with pytest.raises(sim.UsageError, match="by"):
        group_levers(d, "nonsense")


# ----------------------------------------------------------------- robustness

def test_every_assumption_has_a_plausible_range_inside_its_bounds():
    ranges = plausible_ranges()
    rows = list(iter_schema())
    for key, typ, default, rng, unit, meaning, source in rows:
        if source.startswith("assumption"):
            assert key in ranges, f"{key} is an assumption without a plausible range"
            vals, why = ranges[key]
            assert why, key
            if typ == "choice":
                assert default in vals, key
                continue
            lo, hi = vals
            assert lo < hi, key
            b_lo, b_hi = (float(x) if x else math.nan for x in rng.split(" .. "))
            assert not lo < b_lo and not hi > b_hi, key                           # inside the schema bounds
        elif source.startswith("decision"):
            assert key not in ranges, f"{key} is a decision; it has no plausible range"


def test_worlds_cover_the_ranges_and_keep_shares_valid():
    a, b = _base(), _base(**{"messaging.per_week": 4})
    chosen = world_assumptions(a, b)
    assert "messaging.per_week" not in chosen and "trust.buy_lift" in chosen
    w = draw_worlds(chosen, 32, "lhs", design_seed=3)
    seg = w[["market.segments.deal_seeker", "market.segments.quality_seeker", "market.segments.loyal_prone"]].sum(axis=1)
    assert np.allclose(seg, 1)
    lo, hi = chosen["trust.buy_lift"][0]
    x = w["trust.buy_lift"]
    assert x.min() >= lo and x.max() <= hi
    assert np.histogram(x, bins=4, range=(lo, hi))[0].tolist() == [8, 8, 8, 8]   # Latin hypercube strata
    assert set(w["referral.network"]) == {"clustered", "mixed"}


def test_a_case_is_judged_in_worlds_around_its_own_figures():
    """A case that sets an assumption away from its default (the clinic's 15,000 RMB ticket, a
    700-day cycle) draws it around its own value, with the schema range's relative width and within
    the key's bounds; assumptions it leaves at the default keep the schema's range."""
    b = sim.load_scenario("scenarios/cases/hair_clinic.yaml")
    a = b.with_overrides({"service.one_to_one_hours_per_day": 0})
    chosen = world_assumptions(a, b)
    low, high = plausible_ranges()["market.price_rmb"][0]
    default = sim.Scenario().market.price_rmb
    assert chosen["market.price_rmb"][0] == pytest.approx((low * 15_000 / default, high * 15_000 / default))
    assert chosen["referral.homophily"][0] == plausible_ranges()["referral.homophily"][0]
    worlds = draw_worlds(chosen, 16)
    assert worlds["market.price_rmb"].min() > 5_000
    for key, (rng, _why) in chosen.items():       # still inside every key's bounds (shares: rescaled together)
        if not isinstance(rng[0], str) and not key.startswith("market.segments."):
            b.with_overrides({key: rng[0]}), b.with_overrides({key: rng[1]})


def test_robustness_dominance_and_identical_strategies():
    """Lower staff salaries cost less and change no behaviour: more profit in every world (1.0 / 0.0).
    Two identical strategies tie in every world: 0.5. (A test of the test: the tie is not produced
    by a broken comparison, since the dominated pair gives exactly 0.0 and 1.0.)"""
    cheap, dear = _base(**{"staff.salary_rmb_per_month": 6000}), _base(**{"staff.salary_rmb_per_month": 9000})
    rob = robustness(dear, cheap, draws=6, seeds=1, figures=("profit", "ltv"))
    assert rob.summary.at["profit", "p_a_beats_b"] == 0.0
    assert rob.runs == 12 and "staff.salary_rmb_per_month" not in rob.assumptions
    rob2 = robustness(cheap, dear, draws=6, seeds=1, figures=("profit",))
    assert rob2.summary.at["profit", "p_a_beats_b"] == 1.0
    assert rob2.summary.at["profit", "p_hi"] == 1.0 and rob2.summary.at["profit", "p_lo"] < 1.0
    same = robustness(cheap, cheap.with_overrides({"name": "copy"}), draws=6, seeds=1, figures=("profit",))
    assert same.summary.at["profit", "p_a_beats_b"] == 0.5
    assert same.summary.at["profit", "median"] == 0.0
    assert "higher profit over the run in 100% of them" in worlds_sentence(worlds_of(rob2)["profit"])
    assert same.summary.at["profit", "ties"] == 6
    assert "have the same profit over the run in every one" in worlds_sentence(worlds_of(same)["profit"])   # a tie: no win


def test_robustness_finds_the_hinge_and_its_flip():
    """More messages pay only while people tolerate them: across worlds the difference of 4 vs 2
    messages a week rises with the tolerance, which must be the top hinge for LTV."""
    a, b = _base(), _base(**{"messaging.per_week": 5})
    rob = robustness(a, b, draws=24, seeds=1, figures=("ltv",),
                     assumptions=["messaging.tolerance", "economics.cogs_share", "referral.mean_degree"])
    h = rob.hinges[rob.hinges["figure"] == "ltv"]
    assert h.iloc[0]["key"] == "messaging.tolerance" and h.iloc[0]["rho"] > 0.5


# ----------------------------------------------------------------- optimise

def test_optimise_finds_the_interior_optimum_of_message_frequency(tmp_path):
    """Profit against messages per week on the baseline (2,000 users x 365 days, seeds 0-1) peaks
    inside 0..14 (about 2 a week). Starting far off (8 a week), 20 trials must land within
    0.75 messages a week of the best point of a 0.5-step grid, and do at least as well as the best
    point of a coarse grid (0, 3.5, 7, 10.5, 14) on the same seeds."""
    base = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml", {"market.users": 2000, "messaging.per_week": 8})
    prof = lambda pw: float(np.mean(seed_values(base.with_overrides({"messaging.per_week": pw}), [0, 1],
                                                ["profit"])["profit"]))
    fine = {pw: prof(pw) for pw in np.arange(0.5, 4.01, 0.5)}
    g_best = max(fine, key=fine.get)
    assert 0 < g_best < 14 and fine[g_best] > prof(0) and fine[g_best] > prof(7)          # interior
    opt = optimise(base, {"messaging.per_week": (0, 14)}, objective="profit", trials=20, seeds=2,
                   out=tmp_path / "opt")
    found = opt.best_params["messaging.per_week"]
    assert abs(found - g_best) <= 0.75, (found, g_best)
    coarse = max(prof(pw) for pw in (0, 3.5, 7, 10.5, 14))
    assert opt.best_value >= coarse
    assert opt.best_value == pytest.approx(prof(found), rel=1e-12)     # the search seeds are 0 and 1
    best = sim.load_scenario(tmp_path / "opt" / "best.yaml")
    assert best.messaging.per_week == pytest.approx(found)
    assert opt.check.at["profit", "diff"] > 0 and opt.check.attrs["seeds"][0] == 1000


def test_optimise_respects_constraints_and_resumes(tmp_path):
    base = _base()
    kw = dict(levers={"messaging.per_week": (0, 10), "groups.size": (0, 200)}, objective="profit",
              constraints={"churn_rate_monthly": ("<=", 0.3), "groups.size": ("<=", 150)}, seeds=1,
              out=tmp_path / "o")
    first = optimise(base, trials=6, **kw)
    again = optimise(base, trials=9, **kw)
    assert len(first.trials) == 6 and len(again.trials) == 9
    assert again.trials.head(6)["value"].equals(first.trials["value"])      # resumed, not rerun
    ok = again.trials[again.trials["feasible"] & (again.trials["state"] == "COMPLETE")]
    best = again.trials.loc[ok["value"].idxmax()]
    assert again.best_params["groups.size"] == best["groups.size"] <= 150
    assert again.best_scenario.groups.size <= 150
    row = again.check.loc["groups.size"]                   # a constraint on a lever: the setting itself
    assert row["start"] == base.groups.size and row["best"] == again.best_scenario.groups.size
    assert row["diff"] == row["lo"] == row["hi"] == row["best"] - row["start"]


def test_parse_constraint():
    assert parse_constraint("churn_rate_monthly<=0.1") == ("churn_rate_monthly", ("<=", 0.1))
    assert parse_constraint(" staff.accounts > 2 ") == ("staff.accounts", (">", 2.0))
    with pytest.raises(sim.UsageError):
        parse_constraint("churn =< 3")


# ----------------------------------------------------------------- command line

@pytest.mark.parametrize("args, words", [
    (["optimise", "scenarios/baseline.yaml", "--lever", "messaging.per_wek=0:14", "--out", "{out}"], "did you mean"),
    (["optimise", "scenarios/baseline.yaml", "--lever", "messaging.per_week=0:100", "--out", "{out}"], "0 .. 70"),
    (["optimise", "scenarios/baseline.yaml", "--lever", "messaging.per_week=0:9", "--objective", "proft",
      "--out", "{out}"], "did you mean 'profit'"),
    (["optimise", "scenarios/baseline.yaml", "--lever", "messaging.per_week=0:9", "--constraint", "churn<<1",
      "--out", "{out}"], "--constraint"),
    (["optimise", "scenarios/baseline.yaml", "--lever", "messaging.per_week=0:9", "--trials", "0", "--out", "{out}"],
     "trials"),
    (["compare", "scenarios/baseline.yaml", "scenarios/discount_only.yaml", "--explain", "--figures", "ltv,prfit"],
     "prfit"),
    (["compare", "scenarios/baseline.yaml", "--explain"], "exactly two"),
    (["report", "--scenarios", "scenarios/baseline.yaml", "--explain", "--out", "{out}"], "exactly two"),
])
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, args, words):
    out = tmp_path / "never"
    p = subprocess.run([sys.executable, "-m", "sim", *[a.replace("{out}", str(out)) for a in args]],
                       capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 2, p.stderr
    assert words in p.stderr and len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr
    assert not out.exists()


def test_cli_explain_and_uncertain_print_their_tables():
    p = subprocess.run([sys.executable, "-m", "sim", "compare", "scenarios/baseline.yaml", "scenarios/discount_only.yaml",
                        "--explain", "--by", "section", "--uncertain", "4", "--seeds", "1", "--users", "800",
                        "--days", "90", "--figures", "ltv"], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    assert "total (B - A)" in p.stderr + p.stdout and "P(A beats B)" in p.stdout


def test_cli_decide_tables_name_figures_and_settings_with_units():
    """compare --explain / --uncertain: figures by their names with units, levers and assumptions by their names
    (the key beside them, for --set), settings in their units (15%, not 0.15)."""
    p = subprocess.run([sys.executable, "-m", "sim", "compare", "scenarios/baseline.yaml", "scenarios/discount_only.yaml",
                        "--explain", "--by", "key", "--uncertain", "4", "--seeds", "1", "--users", "800", "--days", "90",
                        "--figures", "ltv,churn_rate_monthly"], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    out = p.stdout.split("split among", 1)[1]                          # the decide tables, after the comparison
    assert "churn_rate_monthly" not in out and "Monthly churn (%)" in out
    assert "Discount depth (offers.discount_depth): 0% -> 15%" in out     # a share as a setting is written
    hinges = out.split("what B - A hinges on", 1)[1].splitlines()[3:8]
    assert all(re.search(r"[a-z]+\.[a-z_.]+", r) and re.match(r"\s+[A-Z]", r) for r in hinges)   # name, then key


def test_cli_optimise_says_plainly_that_no_trial_met_a_constraint(tmp_path):
    """No trial meets the constraint: no best setting is presented, the constraint is named in words with how
    close the search came, exit code 2, and the trials are kept for a resumed search."""
    out = tmp_path / "opt"
    p = subprocess.run([sys.executable, "-m", "sim", "optimise", "scenarios/baseline.yaml", "--lever",
                        "messaging.per_week=0:6", "--constraint", "churn_rate_monthly<=0.001", "--trials", "3",
                        "--seeds", "1", "--users", "500", "--days", "60", "--out", str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1 and not p.stdout, p.stderr
    assert "no best setting" in p.stderr and "monthly churn at most 0.1% (closest: " in p.stderr
    assert "churn_rate_monthly" not in p.stderr and "best trial" not in p.stderr
    assert not (out / "best.yaml").exists() and (out / "study.journal").exists()


def test_decision_charts_draw_in_both_languages():
    pytest.importorskip("matplotlib")
    from sim.present.charts_decide import search_chart, waterfall, worlds_chart
    from sim.present.style import cjk_font
    a, b = _base(), _base(**{"messaging.per_week": 4, "groups.size": 50})
    ex = explain(a, b, seeds=1, figures=("ltv",))
    rob = robustness(a, b, draws=4, seeds=1, figures=("ltv",), assumptions=["trust.buy_lift", "messaging.tolerance"])
    opt = optimise(a, {"messaging.per_week": (0, 6), "groups.size": (0, 100)}, objective="ltv", trials=4, seeds=1)
    for lang in ("en", "zh") if cjk_font() else ("en",):
        for fig in (waterfall(ex, "ltv", lang), worlds_chart(rob, "ltv", lang), search_chart(opt, lang)):
            assert fig.axes and all(ax.get_title() for ax in fig.axes if ax.get_label() != "<colorbar>")


def test_report_states_levers_and_robustness(tmp_path):
    from sim.present import plots
    from sim.present.report import make_report
    if plots.cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    a = sim.load_scenario(ROOT / "scenarios" / "discount_only.yaml", {"market.users": 800, "horizon_days": 90})
    b = sim.load_scenario(ROOT / "scenarios" / "differentiated_service.yaml", {"market.users": 800, "horizon_days": 90})
    ex = explain(a, b, seeds=1, figures=("ltv",), by="section")
    rob = robustness(a, b, draws=3, seeds=1, figures=("ltv",))
    paths = make_report(tmp_path / "r", scenarios=[a, b], seeds=1, explanation=ex, robustness=rob)
    names = {p.name for p in paths}
    assert {"levers_en.png", "levers_zh.png", "worlds_en.png", "worlds_zh.png"} <= names
    md = (tmp_path / "r" / "report_en.md").read_text(encoding="utf-8")
    assert "plausible worlds" in md and "(levers_en.png)" in md and "(worlds_en.png)" in md
    assert "3 plausible worlds" in md                       # the verdicts rest on the robustness given, not 16 more



def test_cli_optimise_writes_a_valid_best_scenario(tmp_path):
    out = tmp_path / "opt"
    p = subprocess.run([sys.executable, "-m", "sim", "optimise", "scenarios/baseline.yaml", "--lever",
                        "messaging.per_week=0:6", "--lever", "pool.container=personal,wecom", "--constraint",
                        "churn_rate_monthly<=0.5", "--trials", "3", "--seeds", "1", "--users", "500", "--days", "60",
                        "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    assert "fresh seeds" in p.stdout
    best = sim.load_scenario(out / "best.yaml")
    assert best.name == "baseline_optimised" and best.pool.container in ("personal", "wecom")
    assert {f.name for f in out.iterdir()} >= {"best.yaml", "trials.csv", "check.csv", "summary.json", "study.journal"}


def test_worker_processes_give_the_same_numbers():
    """explain and robustness on 2 worker processes (forked, or spawned where this process runs threads) give exactly
    the numbers of one process: every run is seeded by (scenario, seed), not by where it runs."""
    import pandas as pd
    a, b = _base(), _base(**{"messaging.per_week": 5, "offers.discount_every_days": 14})
    one = robustness(a, b, draws=3, seeds=1, figures=("ltv", "profit"))
    two = robustness(a, b, draws=3, seeds=1, figures=("ltv", "profit"), workers=2)
    pd.testing.assert_frame_equal(one.summary, two.summary)
    pd.testing.assert_frame_equal(one.worlds, two.worlds)
    e1 = explain(a, b, seeds=2, figures=("profit",), by="section")
    e2 = explain(a, b, seeds=2, figures=("profit",), by="section", workers=2)
    pd.testing.assert_frame_equal(e1.contributions, e2.contributions)
    with pytest.raises(sim.UsageError, match="workers = 0"):
        robustness(a, b, draws=3, workers=0)


def test_lever_importance_by_ped_anova_and_none_from_one_trial():
    """Importances are PED-ANOVA's (asked for by name: Optuna's default evaluator changed between versions):
    with 40 trials of an objective that depends on x only, x carries it; from one trial there is none, and
    Optuna's warning does not reach the user."""
    import warnings

    import optuna

    from sim.lab.optimise import _importance
    optuna.logging.set_verbosity(optuna.logging.WARNING)

    def study_of(n):
        st = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
        st.optimize(lambda t: t.suggest_float("x", 0, 1) ** 2 + 0 * t.suggest_float("y", 0, 1), n_trials=n)
        return st
    with warnings.catch_warnings():
        warnings.simplefilter("error")            # nothing leaks to the user
        assert _importance(study_of(1), ["x", "y"]) == {}
        imp = _importance(study_of(40), ["x", "y"])
    assert imp["x"] > 0.8 > imp["y"], imp
