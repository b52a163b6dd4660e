"""Issue 15: a sweep folder that verifies what it reads (sim/lab/sweep_store.py).

Each case of the issue: an edited number, another run's file under a run's name, a file of the
wrong shape, another engine version -> moved to rejected/ and redone; a different plan refused
(or archived with --new); a second sweep refused while the first holds the lock; results.csv
never stale; load_sweep with users/agents/days columns, refusing mixed plans; a Dask cluster
that dies mid-sweep -> one line saying what was saved and how to resume."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.core.errors import EnvironmentFailure, UsageError
from sim.lab import sweep as sweep_mod
from sim.lab.sweep import load_sweep, sweep
from sim.lab.sweep_store import SweepStore

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
GRID = {"messaging.per_week": [1, 3]}
SIZE = {"users": 300, "days": 20, "progress": False}


def runs(out: Path) -> list[Path]:
    return sorted((out / "runs").glob("*.json"))


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """A complete reference sweep (4 runs) and its table."""
    out = tmp_path_factory.mktemp("ref") / "sw"
    return out, sweep(BASELINE, grid=GRID, seeds=2, out=out, **SIZE)


def fresh_copy(clean, tmp_path) -> Path:
    import shutil
    out = tmp_path / "sw"
    shutil.copytree(clean[0], out)
    return out


def test_table_has_users_agents_days_and_load_sweep_matches(clean):
    out, table = clean
    assert list(table.columns[:5]) == ["messaging.per_week", "seed", "users", "agents", "days"]
    assert set(table["users"]) == {300} and set(table["days"]) == {20}
    assert set(table["agents"]) == {300}           # all 300 people simulated (market.agents is 20,000)
    pd.testing.assert_frame_equal(load_sweep(out), table)
    assert pd.read_csv(out / "results.csv").shape == table.shape


def test_edited_number_is_rejected_and_redone(clean, tmp_path):
    out = fresh_copy(clean, tmp_path)
    p = runs(out)[0]
    rec = json.loads(p.read_text())
    rec["summary"]["ltv"] = 1e9                                     # edited by hand, checksum kept
    p.write_text(json.dumps(rec))
    with pytest.warns(UserWarning, match="load_sweep: 1 run file"):
        assert load_sweep(out).shape[0] == 3                        # load_sweep leaves it out
    with pytest.warns(UserWarning, match=f"{p.name} moved to rejected/: its checksum does not match"):
        table = sweep(BASELINE, grid=GRID, seeds=2, out=out, **SIZE)
    assert table.attrs == {"ran": 1, "skipped": 3}
    pd.testing.assert_frame_equal(table, clean[1])                  # the model's number, not the edited one
    assert (out / "rejected" / p.name).is_file()


def test_other_runs_file_under_a_runs_name_is_rejected(clean, tmp_path):
    out = fresh_copy(clean, tmp_path)
    a, b = runs(out)[:2]
    a.write_bytes(b.read_bytes())                                   # a valid, sealed file of another run
    with pytest.warns(UserWarning, match="made for another run"):
        table = sweep(BASELINE, grid=GRID, seeds=2, out=out, **SIZE)
    assert table.attrs["ran"] == 1
    pd.testing.assert_frame_equal(table, clean[1])                  # right seeds, no duplicate row
    assert not table.duplicated(["messaging.per_week", "seed"]).any()


@pytest.mark.parametrize("content", ["[]", "{\"summary\": 1, \"seed\": 0}", "not json", "\u00ff\u00fe"])
def test_wrong_shape_is_rejected_not_a_crash(clean, tmp_path, content):
    out = fresh_copy(clean, tmp_path)
    runs(out)[1].write_text(content, encoding="latin-1")
    with pytest.warns(UserWarning, match="moved to rejected/"):
        table = sweep(BASELINE, grid=GRID, seeds=2, out=out, **SIZE)
    pd.testing.assert_frame_equal(table, clean[1])


def test_stray_file_and_other_engine_version_are_rejected(clean, tmp_path, monkeypatch):
    out = fresh_copy(clean, tmp_path)
    (out / "runs" / "0123456789abcdef01234567.json").write_text(runs(out)[0].read_text())
    monkeypatch.setattr(sweep_mod, "engine_fingerprint", lambda: "another-code")
    with pytest.warns(UserWarning) as seen:
        table = sweep(BASELINE, grid=GRID, seeds=2, out=out, **SIZE)
    text = " ".join(str(w.message) for w in seen)
    assert "not a run of this sweep's plan" in text and "another version of the engine" in text
    assert table.attrs == {"ran": 4, "skipped": 0} and len(list((out / "rejected").iterdir())) == 5


def test_different_plan_refused_then_archived_with_new(clean, tmp_path, capsys):
    out = fresh_copy(clean, tmp_path)
    before = {p.name: p.read_bytes() for p in runs(out)}
    for args, fragment in ((["--users", "400"], "users 300 there, 400 now"),
                           (["--users", "300", "--grid", "messaging.per_week=1,2"], "grid"),
                           (["--users", "300", "--seeds", "3"], "seeds 2 there, 3 now")):
        cli = ["sweep", str(BASELINE), "--days", "20", "--out", str(out)] + args
        if "--grid" not in args:
            cli += ["--grid", "messaging.per_week=1,3"]
        if "--seeds" not in args:
            cli += ["--seeds", "2"]
        assert main(cli) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and fragment in err and "--new" in err and len(err.splitlines()) == 1, err
    assert {p.name: p.read_bytes() for p in runs(out)} == before and (out / "results.csv").is_file()
    assert main(["sweep", str(BASELINE), "--grid", "messaging.per_week=1,3", "--seeds", "2", "--users", "400",
                 "--days", "20", "--out", str(out), "--new"]) == 0
    assert "warning: sweep: the earlier sweep" in capsys.readouterr().err
    archived = [p for p in tmp_path.iterdir() if p.name.startswith("sw.archived-")]
    assert len(archived) == 1 and {p.name for p in runs(archived[0])} == set(before)
    assert set(load_sweep(out)["users"]) == {400}


def test_results_csv_removed_at_start(clean, tmp_path, monkeypatch):
    """A re-sweep that fails part way must not leave the earlier complete results.csv."""
    out = fresh_copy(clean, tmp_path)
    runs(out)[0].unlink()

    def crash(sc, seed):
        raise RuntimeError("killed")
    monkeypatch.setattr(sweep_mod, "_simulate", crash)
    with pytest.raises(RuntimeError):
        sweep(BASELINE, grid=GRID, seeds=2, out=out, **SIZE)
    assert not (out / "results.csv").exists() and len(runs(out)) == 3


def test_second_sweep_refused_while_the_first_holds_the_lock(tmp_path, capsys):
    out = tmp_path / "sw"
    with SweepStore(out):
        assert main(["sweep", str(BASELINE), "--grid", "messaging.per_week=1", "--seeds", "1", "--users", "300",
                     "--days", "20", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"in use by another sweep (PID {os.getpid()})" in err and len(err.splitlines()) == 1
    assert runs(out) == []
    with SweepStore(out):                                           # released when the first one ends
        pass


def test_load_sweep_refuses_mixed_plans(clean, tmp_path):
    out = fresh_copy(clean, tmp_path)
    other = tmp_path / "other"
    sweep(BASELINE, grid=GRID, seeds=1, out=other, users=250, days=20, progress=False)
    stray = runs(other)[0]
    (out / "runs" / stray.name).write_bytes(stray.read_bytes())
    with pytest.raises(UsageError, match="mixes plans.*users 250"):
        load_sweep(out)


def test_lock_in_a_second_process(tmp_path):
    """Two real processes: the second exits 2 naming the first's PID."""
    out = tmp_path / "sw"
    args = [sys.executable, "-m", "sim", "sweep", str(BASELINE), "--grid", "messaging.per_week=1,2,3,4",
            "--seeds", "50", "--users", "20000", "--days", "365", "--out", str(out)]   # ~1-2 min: killed below
    first = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while not (out / "sweep.json").exists() and time.time() < deadline:
            time.sleep(0.05)
        assert first.poll() is None, "the first sweep ended before the second could meet its lock"
        second = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert second.returncode == 2
        assert f"PID {first.pid}" in second.stderr and "Traceback" not in second.stderr
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()


@pytest.mark.slow
def test_dask_cluster_dying_mid_sweep_is_one_line_and_resumable(tmp_path):
    """A real scheduler and worker; the scheduler is killed after the first runs are saved."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    addr = f"tcp://127.0.0.1:{port}"
    bindir = Path(sys.executable).parent
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    sched = subprocess.Popen([str(bindir / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                              "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    worker = None
    out = tmp_path / "sw"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        worker = subprocess.Popen([str(bindir / "dask"), "worker", addr, "--nthreads", "1", "--no-dashboard"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
        cmd = [sys.executable, "-m", "sim", "sweep", str(BASELINE), "--grid", "messaging.per_week=1,2,3,4",
               "--seeds", "4", "--users", "20000", "--days", "120", "--out", str(out), "--dask", addr]
        client = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 120
        while len(runs(out)) < 2 and client.poll() is None and time.time() < deadline:
            time.sleep(0.05)
        sched.kill()
        _, err = client.communicate(timeout=120)
        saved = len(runs(out))
        assert client.returncode == 1, err
        lines = [ln for ln in err.replace("\r", "\n").splitlines() if ln.strip() and "it/s" not in ln
                 and "run/s" not in ln and "s/run" not in ln]              # progress bar redraws are not lines
        assert "Traceback" not in err and len(lines) == 1, err
        assert "Dask cluster stopped" in err and f"{saved} of 16 runs are saved" in err and "rerun" in err, err
    finally:
        for p in (worker, sched):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait()
    table = sweep(BASELINE, grid={"messaging.per_week": [1, 2, 3, 4]}, seeds=4, out=out, users=20000, days=120,
                  progress=False)
    assert table.attrs == {"ran": 16 - saved, "skipped": saved}


def test_dask_failure_mapping(monkeypatch):
    """A task's own error is re-raised as itself (a bug), a dead connection becomes EnvironmentFailure."""
    from sim.lab.sweep import _cluster_error
    assert _cluster_error(OSError("closed")) and not _cluster_error(ValueError("bug"))
    err = sweep_mod._cluster_failure(Path("out/x"), 3, 10, OSError("Stream is closed"))
    assert isinstance(err, EnvironmentFailure) and "3 of 10 runs are saved in out/x/runs" in str(err)
