"""Issue 15, hardening: strict input beyond the file corpus (tests/bad_scenarios, see test_scenario.py),
the CLI's one-line errors and exit codes, and output folders that are whole or absent (failure
injection: a writer that fails mid-way leaves the complete earlier output)."""
from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.cli import main
from sim.core import files
from sim.core.files import MARKER, publish_dir, write_atomic
from sim.core.yamlread import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parents[1]
BASELINE = str(ROOT / "scenarios" / "baseline.yaml")
SMALL = ["--users", "300", "--days", "20", "--quiet"]


def one_line_error(capsys, fragment: str | None = None) -> str:
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1, err
    if fragment:
        assert fragment in err, err
    return err


# ----------------------------------------------------------------- input

def test_huge_value_key_and_file_give_short_messages(tmp_path):
    big = tmp_path / "big_value.yaml"
    big.write_text("market:\n  users: " + "x" * (MAX_FILE_BYTES - 100) + "\n", encoding="utf-8")
    with pytest.raises(sim.ScenarioError) as err:
        sim.load_scenario(big)
    assert len(str(err.value)) < 400 and "market.users = 'xxx" in str(err.value) and "..." in str(err.value)
    key = tmp_path / "big_key.yaml"
    key.write_text("market:\n  " + "k" * 1000 + ": 1\n", encoding="utf-8")    # YAML caps plain keys at 1024
    with pytest.raises(sim.ScenarioError, match="unknown key") as err:
        sim.load_scenario(key)
    assert len(str(err.value)) < 400
    huge = tmp_path / "huge.yaml"
    huge.write_text("name: " + "y" * (2 * MAX_FILE_BYTES) + "\n", encoding="utf-8")
    with pytest.raises(sim.ScenarioError, match="at most 1,000,000 bytes") as err:
        sim.load_scenario(huge)
    assert len(str(err.value)) < 400


def test_integral_exponent_accepted_for_integer_keys(tmp_path):
    f = tmp_path / "exp.yaml"
    f.write_text("market:\n  users: 1e5\n  price_rmb: 1.5e2\nstaff:\n  accounts: 4.0\n", encoding="utf-8")
    sc = sim.load_scenario(f)
    assert sc.market.users == 100_000 and isinstance(sc.market.users, int)
    assert sc.market.price_rmb == 150.0 and sc.staff.accounts == 4
    assert sim.load_scenario(None, {"market.users": np.int64(500), "messaging.per_week": np.float64(3)}).market.users == 500


@pytest.mark.parametrize("overrides,fragment", [
    ({"messaging.per_week": True}, "valid number"),
    ({"messaging.per_week": "3"}, "valid number"),
    ({"groups.size": True}, "valid integer"),
    ({"groups.tiering": 1}, "valid boolean"),
    ({"groups.tiering": "no"}, "valid boolean"),
    ({"pool.initial_members": True}, "valid integer"),
    ({"market.users": 1000.5}, "whole number"),
    ({"messaging.per_week": float("nan")}, "finite number"),
    ({"name": 3}, "valid string"),
])
def test_python_overrides_are_strict(overrides, fragment):
    with pytest.raises(sim.ScenarioError, match=fragment):
        sim.load_scenario(None, overrides)


@pytest.mark.parametrize("setting,fragment", [
    ("messaging.per_week=yes", "valid number"),
    ("messaging.per_week=true", "valid number"),
    ("messaging.per_week='3'", "valid number"),
    ("groups.size=yes", "valid integer"),
    ("groups.tiering=1", "valid boolean"),
    ("groups.tiering='no'", "valid boolean"),
    ("market.users=1.5e3", "valid integer"),
])
def test_cli_set_is_strict(capsys, tmp_path, setting, fragment):
    if setting == "market.users=1.5e3":        # 1500: integral, accepted
        assert main(["validate", BASELINE, "--set", setting]) == 0
        assert "1,500 users" in capsys.readouterr().out
        return
    assert main(["run", BASELINE, "--set", setting, "--out", str(tmp_path / "o"), *SMALL]) == 2
    one_line_error(capsys, fragment)
    assert not (tmp_path / "o").exists()


def test_cli_grid_is_strict(capsys, tmp_path):
    out = tmp_path / "sw"
    assert main(["sweep", BASELINE, "--grid", "groups.size=yes,no", "--seeds", "1", "--out", str(out), *SMALL[:4]]) == 2
    one_line_error(capsys, "groups.size")
    assert not out.exists()


# ----------------------------------------------------------------- CLI errors

@pytest.mark.parametrize("args,fragment", [
    (["run", BASELINE, "--seed", "-1"], "outside 0 .. 4294967295"),
    (["run", BASELINE, "--seed", str(2**32)], "outside 0 .. 4294967295"),
    (["run", BASELINE, "--seed", "x" * 5000], "not a whole number"),
    (["compare", BASELINE, BASELINE, "--seeds", "1000000000"], "outside 1 .. 1000"),
    (["sweep", BASELINE, "--grid", "messaging.per_week=1", "--seeds", "1000000000", "--out", "never"], "1 .. 1000"),
    (["report", "--seeds", "0"], "outside 1 .. 1000"),
    (["calibrate", "never.csv", "--out", "never", "--seeds", "0"], "--seeds: 0 is outside 1 .. 1000"),
    (["calibrate", "never.csv", "--out", "never", "--seeds", "1001"], "--seeds: 1001 is outside 1 .. 1000"),
    (["calibrate", "never.csv", "--out", "never", "--trials", "0"], "unrecognized arguments: --trials 0"),
    (["sweep", BASELINE, "--grid", "messaging.per_week=1", "--out", "never", "--dask", "inproc://x"], "only tcp://"),
    (["sweep", BASELINE, "--grid", "messaging.per_week=1", "--out", "never", "--workers", "0"], "outside 1 .. 512"),
])
def test_cli_bad_options_one_line_exit_2(capsys, args, fragment):
    assert main(args) == 2
    one_line_error(capsys, fragment)
    assert not Path("never").exists()


def test_api_seed_bounds():
    with pytest.raises(sim.UsageError, match="0 .. 4294967295"):
        sim.run(None, users=100, days=2, seed=-1)
    with pytest.raises(sim.UsageError, match="1 .. 1000"):
        sim.compare([None, None], seeds=10**9)


def _no_simulation(monkeypatch):
    import sim.engine.runner as runner

    def refuse(*a, **k):
        raise AssertionError("simulated although the output folder is bad")
    monkeypatch.setattr(runner, "run", refuse)


def test_run_out_is_a_file_refused_before_simulating(capsys, tmp_path, monkeypatch):
    _no_simulation(monkeypatch)
    f = tmp_path / "taken"
    f.write_text("x")
    assert main(["run", BASELINE, "--out", str(f), *SMALL]) == 2
    one_line_error(capsys, "is a file, not a folder")
    assert main(["run", BASELINE, "--out", str(f / "sub"), *SMALL]) == 2
    one_line_error(capsys, "is a file, not a folder")


def test_run_out_not_writable_refused_before_simulating(capsys, tmp_path, monkeypatch):
    _no_simulation(monkeypatch)
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    if os.access(ro, os.W_OK):                    # root writes anyway: make the probe fail as a read-only mount would
        def denied(*a, **k):
            raise PermissionError(errno.EROFS, "Read-only file system")
        monkeypatch.setattr(files.tempfile, "mkdtemp", denied)
    try:
        assert main(["run", BASELINE, "--out", str(ro / "run1"), *SMALL]) == 2
        one_line_error(capsys, "cannot write in")
    finally:
        ro.chmod(0o755)


def test_run_out_holding_other_files_refused(capsys, tmp_path, monkeypatch):
    _no_simulation(monkeypatch)
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    assert main(["run", BASELINE, "--out", str(mine), *SMALL]) == 2
    one_line_error(capsys, "'notes.txt'")
    assert (mine / "notes.txt").read_text() == "keep me"


# ----------------------------------------------------------------- whole or absent

def _snapshot(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _failing_writer(fail_at: int, exc: OSError):
    calls = {"n": 0}
    real = write_atomic

    def writer(path, data):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise exc
        real(path, data)
    return writer


@pytest.mark.parametrize("fail_at", [1, 2, 3])
def test_run_out_failure_mid_write_keeps_the_complete_earlier_run(capsys, tmp_path, monkeypatch, fail_at):
    import sim.cli as cli
    out = tmp_path / "run1"
    assert main(["run", BASELINE, "--out", str(out), "--seed", "1", *SMALL]) == 0
    old = _snapshot(out)
    assert set(old) == {"daily.csv", "summary.json", "scenario.yaml", MARKER}
    monkeypatch.setattr(cli, "write_atomic", _failing_writer(fail_at, OSError(errno.ENOSPC, "No space left on device")))
    capsys.readouterr()
    assert main(["run", BASELINE, "--out", str(out), "--seed", "2", *SMALL]) == 1          # disk full: exit 1
    one_line_error(capsys, "No space left on device")
    assert _snapshot(out) == old                                                            # the complete old run
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run1"]                          # no temporary folder left
    monkeypatch.undo()
    assert main(["run", BASELINE, "--out", str(out), "--seed", "2", *SMALL]) == 0
    new = _snapshot(out)
    assert set(new) == set(old) and new["summary.json"] != old["summary.json"]            # the complete new run
    assert json.loads(new["summary.json"]) == json.loads((out / "summary.json").read_text())


def test_publish_failure_at_the_swap_keeps_the_earlier_folder(tmp_path, monkeypatch):
    out = tmp_path / "o"
    with publish_dir(out, ["*.txt"]) as tmp:
        write_atomic(tmp / "a.txt", "old")
    monkeypatch.setattr(files, "_exchange", lambda a, b: False)          # no atomic swap: two renames

    def rename_fails(src, dst):
        raise OSError(errno.EIO, "I/O error")
    real_rename = os.rename
    monkeypatch.setattr(files.os, "rename", rename_fails)
    with pytest.raises(OSError):
        with publish_dir(out, ["*.txt"]) as tmp:
            write_atomic(tmp / "b.txt", "new")
    assert _snapshot(out) == {MARKER: (out / MARKER).read_bytes(), "a.txt": b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]
    monkeypatch.setattr(files.os, "rename", real_rename)
    with publish_dir(out, ["*.txt"]) as tmp:                              # the fallback path, succeeding
        write_atomic(tmp / "b.txt", "new")
    assert sorted(_snapshot(out)) == [MARKER, "b.txt"] and sorted(p.name for p in tmp_path.iterdir()) == ["o"]


def test_report_failure_mid_write_keeps_the_earlier_report(tmp_path, monkeypatch):
    from sim.present import plots, report
    if plots.cjk_font() is None:
        pytest.skip("no CJK font installed")
    out = tmp_path / "rep"
    out.mkdir()
    (out / "report.md").write_text("old report\n")                     # an earlier report (no marker yet)
    monkeypatch.setattr(report, "write_atomic", _failing_writer(5, OSError(errno.ENOSPC, "No space left on device")))
    with pytest.raises(OSError):
        report.make_report(out, seeds=2, users=300, days=30)
    assert _snapshot(out) == {"report.md": b"old report\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rep"]


def test_report_escapes_names(tmp_path):
    from sim.present import plots
    from sim.present.report import make_report
    if plots.cjk_font() is None:
        pytest.skip("no CJK font installed")
    evil = [sim.load_scenario(None, {"name": "<script>alert(1)</script>"}),
            sim.load_scenario(None, {"name": "a|b $x$ [link](http://x) **bold**", "messaging.per_week": 4})]
    make_report(tmp_path / "r", scenarios=evil, seeds=2, users=300, days=30)
    md = (tmp_path / "r" / "report_en.md").read_text(encoding="utf-8")
    page = (tmp_path / "r" / "report_en.html").read_text(encoding="utf-8")
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "a|b" not in md and "a\\|b" in md and "\\[link\\]" in md and "\\*\\*bold\\*\\*" in md
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    header = next(line for line in md.splitlines() if line.startswith("| figure"))
    assert len(re.findall(r"(?<!\\)\|", header)) == 5                   # 4 columns: the pipe in a name splits none


def test_dashboard_shows_names_as_text():
    from sim.present.dashboard import build_dashboard
    name = r"<img src=x onerror=alert(1)> $\frac{$"
    dash = build_dashboard([sim.load_scenario(None, {"name": name})], users=300, days=20)
    assert "<img" not in dash.table.value and "&lt;img src=x onerror=alert(1)&gt; $\\frac{$" in dash.table.value
    assert dash.charts["j_curve"].value[:4] == b"\x89PNG"           # dollar signs drawn as text, not mathtext
    assert dash.base.options[0][0] == name                          # the dropdown shows the name as text
