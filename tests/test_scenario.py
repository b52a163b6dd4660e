"""Scenario files: every shipped file validates; bad input gets one clear line and exit code 2."""
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import sim
from sim.core.scenario import iter_schema

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "bad_scenarios"

# file -> (dotted key or None, fragments the message must contain). Every file is refused by the
# library with ScenarioError and by the CLI with exit code CORPUS_EXIT and one line on stderr.
CORPUS_EXIT = 2
CORPUS = {
    "unknown_key.yaml": ("market.usres", ["did you mean 'market.users'"]),
    "unknown_section.yaml": ("messagng", ["did you mean 'messaging'"]),
    "negative_frequency.yaml": ("messaging.per_week", ["-1", "0 .. 70"]),
    "group_over_cap.yaml": ("groups.size", ["800", "0 .. 500"]),
    "bad_container.yaml": ("pool.container", ["dingtalk", "personal | wecom"]),
    "discount_over_one.yaml": ("offers.discount_depth", ["1.5", "0 .. 0.9"]),
    "not_a_number.yaml": ("market.users", ["lots", "int"]),
    "broken_yaml.yaml": (None, ["not valid YAML", "line"]),
    "top_level_list.yaml": (None, ["mapping"]),
    "extends_missing.yaml": ("extends", ["missing_parent.yaml", "file not found"]),
    "cycle_a.yaml": ("extends", ["cycle"]),
    "segments_sum.yaml": ("market.segments", ["1.5", "add up to 1"]),
    "channel_shares.yaml": ("acquisition.*.share", ["add up to 1"]),
    "fractional_accounts.yaml": ("staff.accounts", ["2.5", "whole number", "int"]),
    "zero_horizon.yaml": ("horizon_days", ["0", "1 .. 3650"]),
    "too_few_users.yaml": ("market.users", ["5", "10 .. 5000000"]),
    "event_longer_than_cycle.yaml": ("offers.discount_days", ["10", "at most offers.discount_every_days"]),
    "bad_koc_rule.yaml": ("referral.seed_koc", ["famous", "none | random | degree"]),
    "section_not_mapping.yaml": ("messaging", ["3"]),
    # values that lax parsing used to coerce (issue 15)
    "per_week_yes.yaml": ("messaging.per_week", ["True", "float", "valid number"]),
    "per_week_true.yaml": ("messaging.per_week", ["True", "valid number"]),
    "per_week_quoted.yaml": ("messaging.per_week", ["'3'", "valid number"]),
    "group_size_yes.yaml": ("groups.size", ["True", "valid integer"]),
    "initial_members_true.yaml": ("pool.initial_members", ["True", "valid integer"]),
    "tiering_quoted.yaml": ("groups.tiering", ["'no'", "valid boolean"]),
    "tiering_number.yaml": ("groups.tiering", ["1", "valid boolean"]),
    "users_not_whole.yaml": ("market.users", ["1000.01", "whole number"]),
    "per_week_infinite.yaml": ("messaging.per_week", ["inf", "finite number"]),
    # duplicate keys name both lines
    "duplicate_key.yaml": (None, ["'per_week' appears twice", "lines 2 and 3"]),
    "duplicate_section.yaml": (None, ["'messaging' appears twice", "lines 1 and 5"]),
    # bounded parsing and bad bytes
    "alias_bomb.yaml": (None, ["aliases are expanded"]),
    "deep_nesting.yaml": (None, ["nested more than 20 levels", "line 2"]),
    "nul_bytes.yaml": (None, ["NUL byte", "line 1"]),
    "bom.yaml": (None, ["byte-order mark"]),
    "latin1.yaml": (None, ["not UTF-8", "0xe9", "line 1"]),
    "control_char.yaml": (None, ["not valid YAML"]),
    "empty.yaml": (None, ["empty scenario", "extends:", "name:"]),
    "comments_only.yaml": (None, ["empty scenario"]),
}


def test_corpus_is_complete():
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(set(CORPUS) | {"cycle_b.yaml"})


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_bad_file_rejected_with_clear_message(name):
    key, fragments = CORPUS[name]
    with pytest.raises(sim.ScenarioError) as err:
        sim.load_scenario(BAD / name)
    msg = str(err.value)
    assert "\n" not in msg and len(msg) < 400
    assert name.split(".")[0] in msg                                       # names the file
    if key:
        assert err.value.key == key and key in msg
    for f in fragments:
        assert f in msg, (msg, f)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_bad_file_cli_exit_code_and_one_line(name, capsys):
    from sim.cli import main
    assert main(["validate", str(BAD / name)]) == CORPUS_EXIT
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    for f in CORPUS[name][1]:
        assert f in err


@pytest.mark.parametrize("name", ["unknown_key.yaml", "negative_frequency.yaml", "broken_yaml.yaml"])
def test_cli_exit_code_2_no_traceback(name, tmp_path):
    out = tmp_path / "out"
    p = subprocess.run([sys.executable, "-m", "sim", "run", str(BAD / name), "--out", str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 2
    assert "Traceback" not in p.stderr and p.stderr.startswith("error: ")
    assert len(p.stderr.strip().splitlines()) == 1
    assert not out.exists()                                             # nothing half-written


def test_cli_bad_override_and_option():
    for args in (["--set", "messaging.per_wek=3"], ["--set", "groups.size=9000"], ["--set", "novalue"], ["--users", "x"]):
        p = subprocess.run([sys.executable, "-m", "sim", "run", "scenarios/baseline.yaml", *args],
                           capture_output=True, text=True, cwd=ROOT)
        assert p.returncode == 2 and "Traceback" not in p.stderr, (args, p.stderr)
    p = subprocess.run([sys.executable, "-m", "sim", "run", "scenarios/baseline.yaml", "--set", "messaging.per_wek=3"],
                       capture_output=True, text=True, cwd=ROOT)
    assert "messaging.per_week" in p.stderr


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")))
def test_shipped_scenarios_validate_and_say_what_they_are(path):
    sc = sim.load_scenario(path)
    assert sc.name == path.stem
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# "), "each scenario opens with a comment saying what strategy it stands for"


def test_extends_and_overrides(tmp_path):
    sc = sim.load_scenario("scenarios/fission_blitz.yaml")
    assert sc.referral.incentive_rmb == 30                 # own value
    assert sc.referral.invites_per_year == 6               # from organic_referral.yaml
    (tmp_path / "grand.yaml").write_text("name: grand\nacquisition:\n  cac: 80\n")
    (tmp_path / "parent.yaml").write_text("extends: grand.yaml\nname: parent\nmessaging:\n  per_week: 5\n")
    (tmp_path / "child.yaml").write_text("extends: parent.yaml\nname: child\n")
    child = sim.load_scenario(tmp_path / "child.yaml")
    assert child.acquisition.cac == 80 and child.messaging.per_week == 5   # from the grandparent and the parent
    sc2 = sim.load_scenario("scenarios/baseline.yaml", {"messaging.per_week": 3, "pool.container": "wecom"})
    assert sc2.messaging.per_week == 3 and sc2.pool.container == "wecom"
    with pytest.raises(sim.ScenarioError, match="did you mean 'messaging.per_week'"):
        sim.load_scenario("scenarios/baseline.yaml", {"messaging.perweek": 3})
    with pytest.raises(sim.ScenarioError, match="groups.size"):
        sc2.with_overrides({"groups.size": 501})


def test_required_keys_exist_with_units():
    rows = {r[0]: r for r in iter_schema()}
    for key in ("market.users", "horizon_days", "acquisition.daily_budget", "acquisition.cac", "pool.container",
                "messaging.per_week", "groups.size", "offers.discount_depth", "offers.discount_every_days",
                "service.one_to_one_hours_per_day", "referral.incentive_rmb", "staff.accounts",
                "staff.turnover_monthly"):
        assert key in rows, key
    for key, typ, default, rng, unit, meaning, source in rows.values():
        assert meaning and source, key
        assert unit, key


def test_resolved_scenario_round_trips(tmp_path):
    sc = sim.load_scenario("scenarios/differentiated_service.yaml")
    f = tmp_path / "resolved.yaml"
    f.write_text(sc.to_yaml(), encoding="utf-8")
    assert sim.load_scenario(f) == sc          # the written file keeps its name key


def test_environment_yml_matches_pyproject():
    """environment.yml lists the required dependencies and every extra's, and installs the lab with every extra."""
    import tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = set(project["dependencies"]).union(*extras.values())
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = [p for p in pip if not p.startswith("-e")]
    assert sorted(listed) == sorted(wanted)
    assert len(listed) == len(set(listed))
    editable = [p for p in pip if p.startswith("-e")]
    assert editable == [f"-e .[{','.join(extras)}]"]
    assert "python=3.12" in env["dependencies"]


def test_model_doc_lists_every_parameter():
    """docs/model.md carries the generated parameter table (python -m sim schema --markdown)."""
    doc = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    for key, *_ in iter_schema():
        assert f"| {key} |" in doc, f"docs/model.md lacks {key}: run make docs"


def test_schema_defaults_are_what_a_scenario_gets():
    """The listed default of every key is the default scenario's value, also inside sections built by their
    own factory (each platform's channel: the Channel class says 0.15 returns, Douyin's default is 0.30)."""
    defaults = sim.Scenario()
    listed = {key: default for key, _t, default, *_ in iter_schema()}
    for key, default in listed.items():
        assert default == defaults.get(key), key
    assert listed["acquisition.douyin.return_rate"] != listed["acquisition.ecommerce.return_rate"]


def test_model_doc_parameter_table_is_current():
    """Every row of docs/model.md's parameter table is the one `python -m sim schema --markdown` prints now
    (a changed default, source or range must be regenerated into the docs)."""
    doc = (ROOT / "docs" / "model.md").read_text(encoding="utf-8").split("## Parameters", 1)[1]
    out = subprocess.run([sys.executable, "-m", "sim", "schema", "--markdown"], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    stale = [line.split(" | ")[0] for line in out.splitlines() if line.startswith("| ") and line not in doc]
    assert not stale, f"docs/model.md parameter rows out of date (regenerate the table): {stale[:5]}"


def test_cli_run_writes_daily_summary_and_resolved_scenario(tmp_path):
    out = tmp_path / "run1"
    p = subprocess.run([sys.executable, "-m", "sim", "run", "scenarios/discount_only.yaml", "--users", "2000",
                        "--days", "60", "--seed", "4", "--set", "messaging.per_week=3", "--out", str(out), "--quiet"],
                       capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    assert "LTV per user" in p.stdout and "Payback" in p.stdout
    import json

    import pandas as pd
    daily = pd.read_csv(out / "daily.csv")
    summary = json.loads((out / "summary.json").read_text())
    sc = sim.load_scenario(out / "scenario.yaml")
    assert sc.messaging.per_week == 3 and sc.market.users == 2000 and sc.offers.discount_depth == 0.15
    again = sim.run(sc, seed=4)
    assert len(daily) == 60 and daily.profit.sum() == pytest.approx(again.daily.profit.sum())
    assert summary["ltv"] == pytest.approx(again.summary["ltv"])


def test_every_default_lies_inside_its_plausible_range():
    """A plausible world draws each assumption from its range, so a default outside it (the store entry point's
    add rate 0.4 against 0.02-0.3; the offline store's 25% concession against 0-10%) would be redrawn into
    another business. Checked on the effective defaults (each entry point and sales channel has its own)."""
    from sim.core.schema_info import plausible_ranges
    from sim.lab.experiments import flat_settings
    defaults = flat_settings(sim.Scenario().model_dump())
    out = {}
    for key, (rng, _why) in plausible_ranges().items():
        v = defaults.get(key)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and len(rng) == 2 \
                and all(isinstance(x, (int, float)) for x in rng) and not rng[0] <= v <= rng[1]:
            out[key] = (v, rng)
    assert not out, out


def test_a_section_given_in_part_keeps_its_own_defaults(tmp_path):
    """`douyin: {share: 0.2}` changes Douyin's share only: its first-order chance, return rate and ticket stay
    Douyin's (not a generic channel's), as a sales channel's (`offline: {share: 0.5}` keeps the concession fee)
    and a tier's; what the file gives wins, nested or not."""
    base = sim.load_scenario("baseline")
    p = tmp_path / "part.yaml"
    p.write_text("extends: baseline\nname: part\nacquisition:\n  douyin: {share: 0.2, ticket_rmb: 80}\n  ecommerce: {share: 0.6}\n"
                 "sales:\n  enabled: true\n  tmall: {share: 0.1}\n  offline: {share: 0.5}\ntiers:\n  gold: {member_price: 0.1}\n",
                 encoding="utf-8")
    sc = sim.load_scenario(p)
    d, b = sc.acquisition.douyin, base.acquisition.douyin
    assert (d.share, d.ticket_rmb) == (0.2, 80)
    assert (d.first_order_prob, d.return_rate, d.ticket_elasticity) == (b.first_order_prob, b.return_rate,
                                                                       b.ticket_elasticity)
    assert sc.sales.offline.share == 0.5 and sc.sales.offline.commission == base.sales.offline.commission > 0
    assert sc.tiers.gold.member_price == 0.1 and sc.tiers.gold.threshold_rmb == base.tiers.gold.threshold_rmb
