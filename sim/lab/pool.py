"""Worker processes for a decision's runs: one warm pool shared by every step of one command.

    with shared_pool(None):              # the CLI's compare / report: default_workers() (the idle cores)
        explain(a, b)                    # its runs, and the worlds check's after it, go to the same workers
    on_workers(fn, jobs, 2)              # fn(job) for each job, in job order, on 2 processes

A decision is many seeded runs of a few summary figures each (lab.figures.many_values). Inside `shared_pool`
every batch of at least MIN_RUNS runs goes to the same workers, started once at the first such batch; outside
it, `on_workers` starts a pool for the one batch and stops it after. Every run is seeded by (scenario, seed),
not by where it runs, so any number of processes gives the same numbers, bit for bit.

Start method. A process running a single thread (the CLI) forks its workers: they inherit the imported lab
and the compiled kernels and start in milliseconds. A process with threads running Python (a notebook kernel,
the dashboard, a pytest-xdist worker) spawns them instead, since forking a threaded process can deadlock; a
spawned worker imports the lab first (~1.5 s). Nothing in a run starts a thread (the lab's progress bars,
engine.runner.ProgressBar, run without tqdm's monitor thread). Workers ignore Ctrl-C: the parent stops them and says
so in one line.

Progress. Inside a `shared_pool` block on a terminal (the CLI's compare and report), a batch of MIN_RUNS runs or more
counts its finished runs on stderr, with the time left (`runs: 37/128 [00:04<00:06]`), and clears the line when the
batch ends; nothing is written to a pipe, a file or a notebook.
"""
from __future__ import annotations

import dataclasses
import os
import sys
import threading
import time
from contextlib import contextmanager

from ..core.errors import check_count
from ..engine.runner import ProgressBar, run

MAX_WORKERS = 512      # worker processes a command may ask for
DEFAULT_MAX = 8        # default_workers() never starts more than this many
MIN_RUNS = 8           # a batch with fewer runs is run in this process (not worth a hand-over)
IDLE_WINDOW = 0.1      # seconds over which default_workers measures the idle cores

_shared: list = []     # the pool of the `shared_pool` block in progress (at most one)


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity: a container or `taskset` may allow fewer than the machine
    has); os.cpu_count() where affinity is unknown (not on Linux). The dashboard's capacity reads it too."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def idle_cores(window: float = IDLE_WINDOW) -> float | None:
    """Cores the machine leaves idle now: the idle share of CPU time over `window` seconds (/proc/stat: idle and
    waiting for disk; time a hypervisor gives other guests, 'steal', is not idle) times the CPU count. None
    where the system does not say."""
    def sample():
        with open("/proc/stat", encoding="ascii") as fh:
            x = [int(v) for v in fh.readline().split()[1:]]
        return sum(x), x[3] + (x[4] if len(x) > 4 else 0)
    try:
        t0, i0 = sample()
        time.sleep(window)
        t1, i1 = sample()
    except (OSError, ValueError, IndexError):
        return None
    return (os.cpu_count() or 1) * (i1 - i0) / (t1 - t0) if t1 > t0 else None


def default_workers() -> int:
    """Worker processes a decision uses when none are asked for: the usable cores that are idle now (rounded;
    on a machine other work keeps busy, more processes than idle cores only slow every run), at least 1 (every
    run in this process), at most DEFAULT_MAX."""
    idle = idle_cores()
    n = usable_cores() if idle is None else min(usable_cores(), int(idle + 0.5))
    return max(1, min(n, DEFAULT_MAX))


def check_workers(workers) -> int | None:
    """`workers` as an int in 1 .. MAX_WORKERS (None stays None); UsageError otherwise."""
    return None if workers is None else check_count(workers, "workers", 1, MAX_WORKERS, unit="processes")


def _worker_start() -> None:
    """In each worker process: ignore Ctrl-C (the parent stops the workers), and forget the parent's shared pool (a
    forked worker inherits it; its runs are its own)."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _shared.clear()


def _showing() -> bool:
    """Whether the `shared_pool` block in progress (if any) counts its batches' runs."""
    return bool(_shared and _shared[-1].progress)


def _counted(results, total: int, show: bool) -> list:
    """The batch's `results` (an iterable of `total` runs' outputs) as a list, counted on stderr while they come
    when `show` and the batch has MIN_RUNS runs or more."""
    if not (show and total >= MIN_RUNS):
        return list(results)
    with ProgressBar(total=total, desc="runs", unit="run", leave=False, file=sys.stderr,
              bar_format="{desc}: {n_fmt}/{total_fmt} [{elapsed}<{remaining}]") as bar:
        out = []
        for r in results:
            out.append(r)
            bar.update()
    return out


class Workers:
    """`n` worker processes, started at the first `map` and kept until `close`; `progress`: count the runs of each
    batch on stderr (`_counted`)."""

    def __init__(self, n: int, progress: bool = False):
        self.n = n
        self.progress = progress
        self._pool = None

    def _start(self):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        # fork only where this is the one thread running Python: threads the threading module does not know
        # (a test runner's I/O thread) count too, through the interpreter's frames
        alone = threading.active_count() == 1 and len(sys._current_frames()) == 1
        method = "fork" if alone and "fork" in multiprocessing.get_all_start_methods() else "spawn"
        for stream in (sys.stdout, sys.stderr):   # a forked worker must not print what this process has buffered
            stream.flush()
        self._pool = ProcessPoolExecutor(max_workers=self.n, mp_context=multiprocessing.get_context(method),
                                         initializer=_worker_start)
        return self._pool

    def map(self, fn, jobs: list) -> list:
        """fn(job) for each job, in job order. On Ctrl-C or any error the workers are stopped at once (the pool
        is gone) and the error raised."""
        pool = self._pool or self._start()
        try:
            # one run at a time: no worker idles at the end
            return _counted(pool.map(fn, jobs), len(jobs), self.progress)
        except BaseException:
            self.close(kill=True)
            raise

    def close(self, kill: bool = False) -> None:
        """Stop the workers (`kill`: at once, without waiting for their work)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if kill:
            for proc in list((getattr(pool, "_processes", None) or {}).values()):
                proc.terminate()
            pool.shutdown(wait=True, cancel_futures=True)    # returns at once: the workers are gone
        else:
            pool.shutdown()


@contextmanager
def shared_pool(workers: int | None = None, progress: bool | None = None):
    """For the block, batches of runs without workers of their own go to one pool of `workers` processes
    (None: default_workers(); 1: every run in this process), started at the first batch of MIN_RUNS or more
    and stopped when the block ends; `progress` (None: when stderr is a terminal): each such batch counts its
    runs on stderr. Yields the number of processes."""
    n = check_workers(workers) or default_workers()
    shown = progress if progress is not None else sys.stderr is not None and sys.stderr.isatty()
    pool = Workers(n, progress=bool(shown))
    _shared.append(pool)
    try:
        yield n
    finally:
        _shared.remove(pool)
        pool.close(kill=sys.exc_info()[0] is not None)


def on_workers(fn, jobs: list, workers: int | None = None) -> list:
    """fn(job) for each job, in job order: on `workers` processes when given (> 1), else on the shared pool
    of the `shared_pool` block in progress, else in this process. A batch of fewer than MIN_RUNS jobs without
    workers of its own runs here."""
    workers = check_workers(workers)
    if workers is None and _shared and _shared[-1].n > 1 and len(jobs) >= MIN_RUNS:
        return _shared[-1].map(fn, jobs)
    if workers is None or workers == 1 or len(jobs) < 2:
        return _counted(map(fn, jobs), len(jobs), _showing())
    if _shared and _shared[-1].n == workers:
        return _shared[-1].map(fn, jobs)
    pool = Workers(min(workers, len(jobs)), progress=_showing())
    try:
        return pool.map(fn, jobs)
    finally:
        pool.close()


def _detached_run(job: tuple):
    """One run (scenario, seed) as a worker hands it back: its users table built, without its model (the
    model stays in the worker; every table a Result offers is built from it first)."""
    scenario, seed = job
    res = run(scenario, seed=int(seed), progress=False)
    return dataclasses.replace(res, _users=res.users, _model=None)


def run_seeds(scenarios: list, seeds: list[int]) -> list[list]:
    """[[run(scenario, seed) for each seed] for each scenario]: on the shared pool of a `shared_pool` block when
    one is active and the runs are MIN_RUNS or more (each Result then without its model, `_detached_run`),
    else in this process. The same numbers either way."""
    jobs = [(sc, int(s)) for sc in scenarios for s in seeds]
    if _shared and _shared[-1].n > 1 and len(jobs) >= MIN_RUNS:
        done = _shared[-1].map(_detached_run, jobs)
    else:
        done = _counted((run(sc, seed=s, progress=False) for sc, s in jobs), len(jobs), _showing())
    k = len(seeds)
    return [done[i * k:(i + 1) * k] for i in range(len(scenarios))]


__all__ = ["DEFAULT_MAX", "MAX_WORKERS", "MIN_RUNS", "Workers", "check_workers", "default_workers", "idle_cores",
           "on_workers",
           "run_seeds", "shared_pool", "usable_cores"]
