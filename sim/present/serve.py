"""`make dashboard`: notebook 02 served to a team as the strategy dashboard (Voila), sized to the machine.

    python -m sim.present.serve --lang zh --port 8866          # what `make dashboard DASH_LANG=zh` runs
    python -m sim.present.serve --capacity                     # what this machine can serve, then exit

Before Voila starts, the page is run once (nbclient), so its strategies' simulations are in the lab's cache
(sim/present/refcache.py): every visitor's kernel then reads them instead of simulating them again. Voila
keeps `pool` kernels that have already run the page (pre-heated), so a visitor's page is ready when they
arrive; the pool is sized to the machine (`pool_size`: two per core, as many as half the free memory holds,
at most MAX_POOL). A kernel taken by a visitor is replaced after FILL_DELAY seconds, so the replacement does
not compete with the pages being drawn. Idle kernels of closed pages are stopped by Jupyter's culler, never
a kernel a page has claimed before its browser connects (sim/present/kernels.py).
Capacity measured on a 2-core machine: docs/notebooks.md ("The dashboard").
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from ..core.errors import UsageError
from ..core.places import PROJECT_DIR
from ..lab.pool import usable_cores
from .labels import LANGS
from .page import ENV

NOTEBOOK = PROJECT_DIR / "notebooks" / "02_strategy_comparison.ipynb"
KERNEL_MB = 450          # memory of one dashboard kernel after a visit (measured: docs/notebooks.md)
PER_CORE = 2             # pre-heated kernels (visitors at once) per usable core (docs/notebooks.md)
MAX_POOL = 8
KERNEL_MANAGER = "sim.present.kernels.DashboardKernelManager"
FILL_DELAY = 12.0        # s before a taken kernel is replaced (its replacement runs the page: CPU)
TEMPLATE = "siyu"        # Voila's lab template with a still of the page (sim/present/jupyter/voila/templates/siyu)
TEMPLATES_ROOT = Path(__file__).resolve().parent / "jupyter"    # on JUPYTER_PATH, where Voila finds TEMPLATE


def free_memory_mb() -> float:
    """Memory available to new processes (MemAvailable of /proc/meminfo), in MB; inf when unknown."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("inf")


def pool_size(cores: int | None = None, memory_mb: float | None = None) -> int:
    """Pre-heated kernels for this machine: PER_CORE per usable core, no more than half the free memory holds
    (KERNEL_MB each), between 1 and MAX_POOL."""
    cores = cores or usable_cores()
    memory_mb = free_memory_mb() if memory_mb is None else memory_mb
    by_memory = int(0.5 * memory_mb // KERNEL_MB) if memory_mb != float("inf") else MAX_POOL
    return max(1, min(PER_CORE * cores, by_memory, MAX_POOL))


def capacity_line(pool: int) -> str:
    """What the dashboard serves with `pool` pre-heated kernels, in one line."""
    cores = usable_cores()
    return (f"dashboard: {pool} pre-heated kernel(s) on {cores} usable core(s): {pool} visitor(s) at once are served "
            f"at once; each sees the first table (a still of the page, sent with it) within ~4 s and can move the "
            f"sliders within ~8 s when {pool} browsers run on this machine's {cores} core(s) (each page's scripts take "
            f"~1.5 s of a core; measured, docs/notebooks.md); "
            f"each open page holds a kernel of ~{KERNEL_MB} MB ({pool * KERNEL_MB / 1024:.1f} GB for a full pool); "
            f"more visitors wait for a kernel to be re-heated")


def warm(notebook: Path, lang: str) -> float:
    """Run the page once in a kernel of its own (nothing saved), so every simulation it shows is in the lab's
    cache before any visitor's kernel starts; returns the seconds it took."""
    import nbformat
    from nbclient import NotebookClient
    t0 = time.perf_counter()
    nb = nbformat.read(notebook, as_version=4)
    os.environ[ENV] = lang
    NotebookClient(nb, timeout=1800, kernel_name="python3",
                   resources={"metadata": {"path": str(notebook.parent)}}).execute()
    return time.perf_counter() - t0


def voila_command(notebook: Path, port: int, pool: int, cull_idle: int, cull_interval: int,
                  fill_delay: float = FILL_DELAY) -> list[str]:
    """The Voila command line: pre-heated pool, replacement delay, idle kernels culled once their page has left
    them (sim/present/kernels.py: never while a page is on its way to a kernel it claimed); the page's template
    (TEMPLATE) sends a still of the page with it. Run it with template_env()."""
    voila = Path(sys.executable).parent / "voila"
    exe = str(voila) if voila.exists() else (shutil.which("voila") or "voila")
    return [exe, str(notebook), "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}",
            "--preheat_kernel=True", f"--pool_size={pool}", f"--VoilaKernelManager.fill_delay={fill_delay}",
            f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
            f"--MappingKernelManager.cull_interval={cull_interval}", "--MappingKernelManager.cull_connected=False",
            f"--VoilaConfiguration.multi_kernel_manager_class={KERNEL_MANAGER}", f"--template={TEMPLATE}"]


def template_env(env=os.environ) -> dict:
    """`env` with TEMPLATES_ROOT first on JUPYTER_PATH, so Voila finds the dashboard's template."""
    paths = [str(TEMPLATES_ROOT)] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    return {**env, "JUPYTER_PATH": os.pathsep.join(paths)}


def _args(argv):
    ap = argparse.ArgumentParser(prog="python -m sim.present.serve", description=__doc__.split("\n")[0])
    ap.add_argument("--lang", default="zh", help="the dashboard's language: zh (default) or en")
    ap.add_argument("--port", default="8866")
    ap.add_argument("--pool", default="auto", help="pre-heated kernels (default: sized to the machine)")
    ap.add_argument("--cull-idle", default="120")
    ap.add_argument("--cull-interval", default="30")
    ap.add_argument("--no-warm", action="store_true", help="do not run the page once before serving")
    ap.add_argument("--capacity", action="store_true", help="print what this machine can serve and exit")
    return ap.parse_args(argv)


def _whole(name: str, v: str, lo: int, hi: int) -> int:
    try:
        n = int(v)
    except ValueError:
        n = None
    if n is None or not lo <= n <= hi:
        raise UsageError(f"dashboard: {name} = {v!r}: need a whole number from {lo} to {hi}")
    return n


def main(argv=None) -> int:
    """Check the settings (one line and exit code 2 when one is wrong), warm the cache, then run Voila."""
    a = _args(argv)
    try:
        if a.lang not in LANGS:
            raise UsageError(f"dashboard: DASH_LANG = {a.lang!r}: choose {' or '.join(LANGS)}")
        port = _whole("DASH_PORT", a.port, 1, 65535)
        pool = pool_size() if a.pool == "auto" else _whole("DASH_POOL", a.pool, 1, 64)
        cull_idle = _whole("CULL_IDLE", a.cull_idle, 1, 10**6)
        cull_interval = _whole("CULL_INTERVAL", a.cull_interval, 1, 10**6)
        if not NOTEBOOK.is_file():
            raise UsageError(f"dashboard: {NOTEBOOK} not found: the dashboard is served from a checkout of the lab")
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(capacity_line(pool), flush=True)
    if a.capacity:
        return 0
    try:
        if not a.no_warm:
            print("running the page once so every visitor's kernel reads its simulations from the cache ...", flush=True)
            print(f"... done in {warm(NOTEBOOK, a.lang):.0f} s", flush=True)
    except KeyboardInterrupt:
        print("interrupted; nothing served", file=sys.stderr)
        return 130
    os.environ[ENV] = a.lang                     # every kernel Voila starts reads it (page.language)
    os.chdir(PROJECT_DIR)                        # Voila serves the notebook relative to where it runs
    cmd = voila_command(NOTEBOOK.relative_to(PROJECT_DIR), port, pool, cull_idle, cull_interval)
    os.execve(cmd[0], cmd, template_env())       # Voila takes over this process (Ctrl-C stops it)
    return 0


if __name__ == "__main__":
    sys.exit(main())
