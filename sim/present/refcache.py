"""Runs of reference strategies cached on disk, so the dashboard and notebook 02 open fast.

    from sim.present.refcache import cached_runs, cached_compare
    results = cached_runs(scenario, seeds=1)          # list of Result, seeds 0..seeds-1
    cmp = cached_compare([a, b], seeds=5, users=10_000, days=365)
    f = cached_findings([a, b], seeds=5, days=365)   # the finding, its plausible-worlds check cached as well

A cache entry is keyed by the resolved scenario (its whole YAML), the engine's code version
(`sim.lab.sweep.engine_fingerprint`: a hash of sim/core, sim/mechanisms and sim/engine) and the
seed; a change to any of them is a new key, so a stale entry is never read. Entries live in
`runs/<engine fingerprint>/` of the lab's cache folder (out/cache/ in a checkout, ~/.cache/siyu-lab/ in
an installed lab, $SIYU_CACHE when set), one pickle per run, written atomically; folders of other engine versions are removed when a new run is stored, so the cache
holds one code version. Delete the folder to clear it. A cached Result holds the daily table, the summary and the per-user table
(not the live model). A plausible-worlds check (sim.robustness) is cached the same way, keyed by both
scenarios, its settings and the engine. An unreadable entry is ignored and rewritten. Every kernel of the
dashboard reads these before running anything, so a page's strategies are simulated once for all visitors.
"""
from __future__ import annotations

import pickle
import shutil
from pathlib import Path

from ..core.files import write_atomic
from ..core.places import cache_dir as lab_cache_dir
from ..core.result import Result
from ..core.scenario import Scenario, load_scenario
from ..engine.runner import resolve, run
from ..lab.digest import sha256_hex
from ..lab.experiments import check_seeds, comparison_of, many_of, unique_names
from ..lab.figures import DECISION_FIGURES
from ..lab.findings import DEFAULT_WORLDS, Finding, findings_of
from ..lab.robustness import Robustness, robustness
from ..lab.sweep import engine_fingerprint


def cache_dir() -> Path:
    """Where cached runs live: runs/ in the lab's cache folder (sim.core.places.cache_dir: $SIYU_CACHE, else
    out/cache in a checkout, else the user's cache folder)."""
    return lab_cache_dir() / "runs"


def run_key(sc: Scenario, seed: int) -> str:
    """Cache key of one run (24 hex): scenario YAML, engine code version and seed, each ended by NUL.

    Not `digest` of a JSON object like the sweep ids: the keys of entries already in the cache were
    made from the YAML text this way, and they must still be found."""
    return sha256_hex((f"{part}\0" for part in (sc.to_yaml(), engine_fingerprint(), str(int(seed)))), 24)


def _load(path: Path, kind: type = Result):
    """The `kind` object pickled at `path`, or None (missing, unreadable or of another kind)."""
    try:
        with open(path, "rb") as f:
            res = pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return res if isinstance(res, kind) else None


def _store(path: Path, obj) -> None:
    """Write `obj` to the cache at `path` (atomically) and drop other engine versions; a read-only cache is
    skipped (everything still works, only slower)."""
    try:
        write_atomic(path, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
        _drop_other_versions(path.parent)
    except OSError:
        pass


def _drop_other_versions(keep: Path) -> None:
    for old in keep.parent.iterdir() if keep.parent.is_dir() else ():
        if old.is_dir() and old != keep:
            shutil.rmtree(old, ignore_errors=True)


def cached_run(sc: Scenario, seed: int) -> Result:
    """One run of `sc` with `seed`, from the cache when there, else run and stored."""
    folder = cache_dir() / engine_fingerprint()
    path = folder / f"{run_key(sc, seed)}.pkl"
    res = _load(path) if path.is_file() else None
    if res is not None:
        return res
    live = run(sc, seed=seed, progress=False)
    res = Result(scenario=live.scenario, seed=live.seed, daily=live.daily, summary=live.summary,
                 _users=live.users, sales=live.sales, entry=live.entry)
    _store(path, res)
    return res


def cached_runs(scenario, seeds: int = 1, users: int | None = None, days: int | None = None) -> list[Result]:
    """Seeds 0..seeds-1 of a scenario (file or Scenario), each from the cache when there."""
    k = check_seeds(seeds)
    sc = resolve(scenario if isinstance(scenario, Scenario) else load_scenario(scenario), users, days)
    return [cached_run(sc, s) for s in range(k)]


def cached_compare(scenarios, seeds: int = 5, users: int | None = None, days: int | None = None):
    """`sim.compare` with every run taken from the cache when there (same numbers, same Comparison)."""
    scs = [resolve(s if isinstance(s, Scenario) else load_scenario(s), users, days) for s in scenarios]
    names = unique_names([sc.name for sc in scs])
    return comparison_of({n: many_of(cached_runs(sc, seeds)) for n, sc in zip(names, scs)})


def cached_robustness(a: Scenario, b: Scenario, draws: int = DEFAULT_WORLDS, seeds: int = 1,
                      figures=DECISION_FIGURES) -> Robustness:
    """`sim.robustness(a, b, draws, seeds, figures)` of two resolved scenarios, from the cache when there."""
    parts = (a.to_yaml(), b.to_yaml(), engine_fingerprint(), str(int(draws)), str(int(seeds)), ",".join(figures))
    path = cache_dir() / engine_fingerprint() / f"worlds-{sha256_hex((f'{p}\0' for p in parts), 24)}.pkl"
    rob = _load(path, Robustness) if path.is_file() else None
    if rob is None:
        rob = robustness(a, b, draws=draws, seeds=seeds, figures=figures)
        _store(path, rob)
    return rob


def cached_findings(scenarios, seeds: int = 5, users: int | None = None, days: int | None = None,
                    worlds: int = DEFAULT_WORLDS) -> Finding:
    """`sim.findings_of(sim.compare(scenarios, ...))` with its runs and its plausible-worlds checks (`worlds`
    worlds per further strategy, one history each, as findings_of does) read from the cache when there."""
    cmp = cached_compare(scenarios, seeds, users, days)
    a = cmp.runs[cmp.names[0]].scenario
    checks = {b: cached_robustness(a, cmp.runs[b].scenario, worlds) for b in cmp.names[1:]} if worlds else None
    return findings_of(cmp, robustness=checks, worlds=0)
