"""Cached reference runs: the same numbers as running, read back from disk, a new key for any change
of scenario, seed or engine version, and a broken entry is rerun rather than trusted."""
from __future__ import annotations

import pytest

import sim
from sim.present import refcache
from sim.present.report import ROOT


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SIYU_CACHE", str(tmp_path))
    return tmp_path / "runs"


def test_cached_compare_gives_the_numbers_of_compare(cache):
    paths = [ROOT / "scenarios" / "baseline.yaml", ROOT / "scenarios" / "small_groups_weekly.yaml"]
    live = sim.compare(paths, seeds=2, users=800, days=60)
    first = refcache.cached_compare(paths, seeds=2, users=800, days=60)
    files = sorted(cache.rglob("*.pkl"))
    assert len(files) == 4                                             # 2 scenarios x 2 seeds
    stamp = [f.stat().st_mtime_ns for f in files]
    again = refcache.cached_compare(paths, seeds=2, users=800, days=60)
    assert [f.stat().st_mtime_ns for f in sorted(cache.rglob("*.pkl"))] == stamp      # read, not rerun
    for cmp in (first, again):
        assert cmp.names == live.names
        assert cmp.table.equals(live.table)
        for n in live.names:
            assert cmp.runs[n].results[1].daily.equals(live.runs[n].results[1].daily)
    assert len(again.runs[live.names[0]].results[0].users) > 0           # the per-user table travels too


def test_keys_change_with_scenario_seed_and_engine(cache, monkeypatch):
    sc = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    k = refcache.run_key(sc, 0)
    assert refcache.run_key(sc, 1) != k
    assert refcache.run_key(sc.with_overrides({"messaging.per_week": 3}), 0) != k
    monkeypatch.setattr(refcache, "engine_fingerprint", lambda: "another-version")
    assert refcache.run_key(sc, 0) != k


def test_a_broken_entry_is_rerun(cache):
    from sim.engine.runner import resolve
    sc = resolve(sim.load_scenario(ROOT / "scenarios" / "baseline.yaml"), 500, 30)
    res = refcache.cached_run(sc, 0)
    (path,) = list(cache.rglob("*.pkl"))
    path.write_bytes(b"not a pickle")
    again = refcache.cached_run(sc, 0)
    assert again.daily.equals(res.daily) and path.read_bytes() != b"not a pickle"
