"""Command line for people: help text on every option, bare scenario names, labelled compare output,
sweep's best cells; README and docs links resolve inside the repository."""
from __future__ import annotations

import argparse
import re

from sim.cli import build_parser, main
from sim.present.report import ROOT


def test_every_option_has_help():
    p = build_parser()
    sub = next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))
    missing = []
    for name, sp in sub.choices.items():
        assert sp.description or sub._choices_actions, name
        for a in sp._actions:
            if isinstance(a, argparse._HelpAction):
                continue
            if not (a.help and a.help.strip()):
                missing.append(f"{name} {'/'.join(a.option_strings) or a.dest}")
    assert not missing, missing
    assert all(c.help for c in sub._choices_actions)                  # every command says what it does


def test_bare_scenario_name_finds_the_shipped_file(capsys, tmp_path, monkeypatch):
    assert main(["validate", "baseline"]) == 0
    assert "valid (baseline" in capsys.readouterr().out
    monkeypatch.chdir(tmp_path)                                       # works from any folder
    assert main(["validate", "discount_only.yaml"]) == 0
    assert main(["validate", "no_such_strategy"]) == 2
    assert "no_such_strategy" in capsys.readouterr().err


def test_compare_prints_labelled_figures_with_units(capsys):
    assert main(["compare", "baseline", "small_groups_weekly", "--seeds", "2", "--users", "800", "--days", "60"]) == 0
    out = capsys.readouterr().out
    assert "LTV per user (RMB per user)" in out and "Monthly churn (%)" in out and "Payback (days)" in out
    assert "churn_rate_monthly" not in out and "lost_annoyed" not in out
    assert "Small groups, weekly" in out and "simulated histories" in out
    assert re.search(r"\d+\.\d%", out)                                 # shares as percentages


def test_sweep_ends_with_its_best_cells(tmp_path, capsys):
    assert main(["sweep", "baseline", "--grid", "messaging.per_week=1,4", "--seeds", "1", "--users", "600",
                 "--days", "40", "--out", str(tmp_path / "sw")]) == 0
    out = capsys.readouterr().out
    tail = out[out.index("best cells"):]
    assert "LTV per user" in tail and "highest" in tail and "lowest" in tail and "messaging.per_week=" in tail


LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def test_readme_and_docs_links_resolve_inside_the_repository():
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "benchmarks" / "README.md"]
    bad = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        for target in LINK.findall(text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = (f.parent / target.split("#")[0]).resolve()
            if not path.exists() or ROOT.resolve() not in path.parents:
                bad.append(f"{f.name}: {target}")
        for ref in re.findall(r"\.\./shared/|/work/", text):
            bad.append(f"{f.name}: refers outside the repository ({ref})")
        for name in re.findall(r"scenarios/[a-z0-9_/]+\.yaml", text):
            if not (ROOT / name).is_file():
                bad.append(f"{f.name}: {name} does not exist")
    assert not bad, bad


def test_run_imports_no_plotting_or_scipy_stats():
    """`python -m sim run` draws nothing, so it must not pay for matplotlib (or scipy.stats) at start-up."""
    import subprocess
    import sys
    code = ("import sys; from sim.cli import main; rc = main(['run', 'baseline', '--users', '200', '--days', '5', "
            "'--quiet']); print(sorted(m for m in ('matplotlib', 'scipy.stats') if m in sys.modules)); sys.exit(rc)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout
    assert "Acquired users" in out.stdout                             # it did run and print its table


def test_run_and_compare_state_the_agents_simulated(capsys):
    """At most one agent per person (sim.core.population.sample_size), in `sim run` and the comparison table."""
    from sim.lab.experiments import compare
    from sim.present.tables import comparison_text
    assert main(["run", "baseline", "--users", "300", "--days", "5", "--quiet"]) == 0
    assert "300 people (300 agents)" in capsys.readouterr().out
    assert main(["run", "baseline", "--users", "5000", "--agents", "400", "--days", "5", "--quiet"]) == 0
    assert "5,000 people (400 agents)" in capsys.readouterr().out
    cmp = compare([ROOT / "scenarios" / "baseline.yaml"], seeds=1, users=300, days=5)
    assert "300 people (300 agents)" in comparison_text(cmp)
