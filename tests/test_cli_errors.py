"""A new user's walk through the CLI (brief h19a): the bad inputs that broke the one-line rule
(a traceback, an exit code 1 for a user mistake, a message naming a parameter the user never typed,
a check made only after minutes of work) and the option that was accepted but ignored.
Every case here failed before its fix; all run in well under 2 s (no simulation runs)."""
from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
BASELINE = str(ROOT / "scenarios" / "baseline.yaml")
ORDERS = str(ROOT / "tests" / "bad_orders" / "too_small.csv")
OPT = ["optimise", BASELINE, "--lever", "messaging.per_week=0:14", "--users", "200", "--days", "5"]


def one_line_error(capsys, fragment: str) -> str:
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1, err
    assert fragment in err, err
    return err


def _no_simulation(monkeypatch):
    """Any simulation fails the test: the mistake must be found before the work starts."""
    import sim.engine.runner as runner
    from sim.lab.figures import check_figures
    check_figures(["profit"])                  # the list of figures comes from a tiny run: made before the patch

    def refuse(*a, **k):
        raise AssertionError("simulated although the input was bad")
    monkeypatch.setattr(runner, "run", refuse)


@pytest.mark.parametrize("date", ["2024-13-01", "yesterday", "2024-02-30"])
def test_calibrate_bad_holdout_date_one_line_exit_2(capsys, tmp_path, date):
    out = tmp_path / "fit"
    assert main(["calibrate", ORDERS, "--out", str(out), "--holdout-from", date]) == 2
    one_line_error(capsys, f"--holdout-from: {date!r} is not a date")
    assert not out.exists()


def test_calibrate_api_bad_holdout_date_is_a_usage_error():
    import pandas as pd

    import sim
    from sim.lab.calibrate import calibrate
    occ = pd.DataFrame({"customer_id": ["a"], "date": [pd.Timestamp("2024-01-01")], "amount": [1.0]})
    with pytest.raises(sim.UsageError, match="holdout_from = 'yesterday': not a date"):
        calibrate(occ, holdout_from="yesterday")


@pytest.mark.parametrize("storage,fragment", [
    ("nosuch://x", "--storage 'nosuch://x'"),
    ("not a url", "--storage 'not a url'"),
    ("postgresql://u@127.0.0.1:1/db", "--storage 'postgresql://u@127.0.0.1:1/db'"),
    ("sqlite:////no/such/folder/x.db", "--storage 'sqlite:////no/such/folder/x.db'"),
])
def test_optimise_bad_storage_one_line_exit_2(capsys, tmp_path, monkeypatch, storage, fragment):
    _no_simulation(monkeypatch)
    assert main([*OPT, "--out", str(tmp_path / "o"), "--storage", storage]) == 2
    one_line_error(capsys, fragment)


def test_optimise_out_is_a_file_or_not_writable_refused_before_searching(capsys, tmp_path, monkeypatch):
    _no_simulation(monkeypatch)
    f = tmp_path / "taken"
    f.write_text("x")
    assert main([*OPT, "--out", str(f)]) == 2
    one_line_error(capsys, "is a file, not a folder")
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    assert main([*OPT, "--out", str(mine)]) == 2
    one_line_error(capsys, "this command did not write")
    assert (mine / "notes.txt").read_text() == "mine" and sorted(p.name for p in mine.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("args,fragment", [
    (["compare", BASELINE, BASELINE, "--uncertain", "1"], "argument --uncertain: 1 is outside 2 .. "),
    (["compare", BASELINE, BASELINE, "--uncertain", "4", "--world-seeds", "0"], "argument --world-seeds: 0 is outside 1 .. 1000"),
    ([*OPT, "--out", "never", "--trials", "0"], "argument --trials: 0 is outside 1 .. 100000"),
    ([*OPT, "--out", "never", "--seeds", "-2"], "argument --seeds: -2 is outside 1 .. 1000"),
    (["report", "--out", "never", "--explain", "--worlds", "1"], "argument --worlds: 1 is neither 0 (none) nor in 2 .. "),
    (["report", "--out", "never", "--worlds", "-3"], "argument --worlds: -3 is neither 0 (none) nor in 2 .. "),
])
def test_counts_name_the_option_typed_and_are_checked_before_any_run(capsys, monkeypatch, args, fragment):
    """--uncertain / --world-seeds / --worlds / optimise's --trials and --seeds: the message names the
    option (not the API's draws= or seeds=), and report --explain --worlds 1 fails before the explain runs."""
    _no_simulation(monkeypatch)
    assert main(args) == 2
    one_line_error(capsys, fragment)
    assert not Path("never").exists()


def test_unknown_figure_points_to_a_file_that_exists(capsys):
    assert main(["compare", BASELINE, BASELINE, "--explain", "--figures", "zzz"]) == 2
    err = one_line_error(capsys, "'zzz' is not a summary figure")
    paths = [w.strip(".,;()`'") for w in err.split() if w.startswith("sim/")]
    assert paths and all((ROOT / p).is_file() for p in paths), err


@pytest.mark.parametrize("cmd", [["run"], ["validate"], ["compare", BASELINE]])
def test_a_folder_given_as_scenario_says_so(capsys, tmp_path, cmd):
    folder = tmp_path / "strategy.yaml"
    folder.mkdir()
    assert main([*cmd, str(folder)]) == 2
    one_line_error(capsys, f"{folder}: a folder, not a file")


def test_a_folder_given_as_orders_says_so(capsys, tmp_path):
    folder = tmp_path / "orders.csv"
    folder.mkdir()
    assert main(["calibrate", str(folder), "--out", str(tmp_path / "fit")]) == 2
    one_line_error(capsys, f"{folder}: a folder, not a file")


def test_compare_explain_and_uncertain_use_agents(monkeypatch, capsys):
    """--agents was accepted by compare but dropped on the way to --explain and --uncertain (the worlds check
    runs the comparison's own scenarios, resolved to its size: their market.agents)."""
    import sim.lab.explain as ex
    import sim.lab.findings as fd
    seen = {}

    def fake(name):
        def f(*a, **k):
            seen[name] = k.get("agents") or a[0].market.agents
            raise SystemExit(0)
        return f
    monkeypatch.setattr(ex, "explain", fake("explain"))
    monkeypatch.setattr(fd, "check_worlds", fake("robustness"))
    for flag in (["--explain"], ["--uncertain", "4"]):
        with pytest.raises(SystemExit):
            main(["compare", "discount_only", "differentiated_service", "--agents", "777", "--seeds", "1",
                  "--days", "30", *flag])
    assert seen == {"explain": 777, "robustness": 777}


def test_help_states_the_defaults():
    """Options with a default say it in their help (argparse does not show it by itself)."""
    p = build_parser()
    sub = next(a for a in p._actions if a.__class__.__name__ == "_SubParsersAction")
    missing = []
    for name, sp in sub.choices.items():
        for a in sp._actions:
            if a.option_strings and a.default not in (None, False) and a.dest != "help" \
                    and "default" not in (a.help or ""):
                missing.append(f"{name} {a.option_strings[0]}")
    assert not missing, missing


def test_too_few_worlds_says_when_worlds_had_no_value():
    """64 worlds where neither strategy pays back: 'too few worlds (< 8)' read as if only a few were
    drawn, and 'each has the lower payback in half of them' as if they differed; the sentence now says
    neither pays back in any world and how many worlds had a value for both (en and zh)."""
    import pandas as pd

    from sim.lab.robustness import Robustness
    from sim.lab.verdicts import worlds_of
    from sim.present.conclusions_lab import worlds_sentence
    nan = float("nan")
    summary = pd.DataFrame({"p_a_beats_b": [0.5, 0.5], "p_lo": [0.4, 0.4], "p_hi": [0.6, 0.6], "median": [nan, 1.0],
                            "lo": [nan, 0.5], "hi": [nan, 2.0], "worlds": [64, 4], "finite": [0, 4], "ties": [64, 0]},
                           index=pd.Index(["payback_day", "ltv"], name="figure"))
    hinges = pd.DataFrame(columns=["figure", "key", "rho", "p", "p_adjusted", "flip_value", "flip_side"])
    worlds = pd.DataFrame({"B-A:payback_day": [nan] * 64, "B-A:ltv": [1.0] * 4 + [nan] * 60})
    w = worlds_of(Robustness("a", "b", {}, [0], "Latin hypercube", 128, summary, hinges, worlds))
    en = worlds_sentence(w["payback_day"], "en")
    assert "too few worlds with a value for both (0 of 64)" in en and "neither" in en and "half" not in en, en
    assert "0/64" in worlds_sentence(w["payback_day"], "zh")
    ltv = worlds_sentence(w["ltv"], "en")
    assert "with a value" not in ltv and "half of them" in ltv, ltv


@pytest.mark.parametrize("args,fragment", [
    (["run", "baselin"], "'baselin' is neither a file nor a shipped scenario; did you mean 'baseline'?"),
    (["compare", "baseline", "discount_onyl"], "did you mean 'discount_only'?"),
    (["report", "--scenarios", "hair_clinc", "--out", "never"], "did you mean 'hair_clinic'?"),
    (["calibrate", ORDERS, "--out", "never", "--base", "basline"], "did you mean 'baseline'?"),
    (["run", "baseline", "--set", "=3"], "--set '=3': the key before '=' is empty"),
])
def test_a_misspelt_shipped_name_gets_the_closest_one(capsys, args, fragment):
    assert main(args) == 2
    one_line_error(capsys, fragment)
    assert not Path("never").exists()


@pytest.mark.parametrize("args,fragment", [
    (["--by", "key"], "compare --by: applies only with --explain"),
    (["--worlds", "0", "--world-seeds", "3"], "compare --world-seeds: applies only with a plausible-worlds check"),
    (["--explain", "--worlds", "0", "--world-seeds", "3"], "compare --world-seeds: applies only with a plausible-worlds"),
    (["--worlds", "0", "--figures", "ltv"], "compare --figures: applies only with --explain or a plausible-worlds check"),
    (["--uncertain", "8", "--worlds", "16"], "give the number of worlds once"),
])
def test_compare_refuses_options_it_would_ignore(capsys, monkeypatch, args, fragment):
    _no_simulation(monkeypatch)
    assert main(["compare", "discount_only", "differentiated_service", *args]) == 2
    one_line_error(capsys, fragment)


def test_sweep_refuses_a_folder_holding_other_files(capsys, tmp_path, monkeypatch):
    """run, report, calibrate and optimise refused someone else's folder; sweep wrote its runs into it."""
    _no_simulation(monkeypatch)
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    assert main(["sweep", BASELINE, "--grid", "messaging.per_week=1,2", "--users", "200", "--days", "5",
                 "--out", str(mine)]) == 2
    one_line_error(capsys, "sweep: --out")
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]


def test_run_summary_json_is_strict_json(tmp_path):
    """A run without customers has undefined figures (NaN): summary.json held bare NaN, which Python reads
    but jq, JavaScript and spreadsheet imports refuse; they are written as null."""
    import json
    out = tmp_path / "tiny"
    assert main(["run", BASELINE, "--users", "100", "--days", "5", "--quiet", "--out", str(out)]) == 0
    text = (out / "summary.json").read_text()

    def refuse(token):
        raise ValueError(f"not strict JSON: {token}")
    summary = json.loads(text, parse_constant=refuse)
    assert summary["ltv"] is None and summary["acquired_users"] == 0


def test_sizes_read_like_a_scenario_file():
    """--users / --days / --agents take 1e5 and 100_000 as a scenario file does (the README says 1e5 reads as
    100000); a number that is not whole is refused by argparse, naming the option."""
    p = build_parser()
    a = p.parse_args(["run", BASELINE, "--users", "1e5", "--days", "3e1", "--agents", "2_000"])
    assert (a.users, a.days, a.agents) == (100_000, 30, 2_000)


@pytest.mark.parametrize("value", ["1.2", "abc", "nan", "inf", ".nan", "true", "_5_", "1e400"])
def test_size_that_is_not_whole_one_line_exit_2(capsys, value):
    """Refused as a scenario file would refuse it: '_5_' is text there (not 5), 'true' a yes/no."""
    assert main(["run", BASELINE, "--users", value]) == 2
    one_line_error(capsys, "--users")
