"""Visitors opening the dashboard at once: seconds from opening the page to its first table, for each visitor,
and the memory of each kernel (docs/notebooks.md, "The dashboard").

    python benchmarks/dashboard_visitors.py --lang zh --visitors 4 --tries 3

Starts `python -m sim.present.serve` (what `make dashboard DASH_LANG=zh` runs, pool sized to the machine) on a
free port, waits until its pre-heated kernels are idle, then per try opens `visitors` pages at once in
Chromium (one browser each) and records when each shows the dashboard's first table (the still the page is sent
with) and when its sliders are live; the pages are closed
and before the next try their kernels are culled (after --cull-idle s idle, default 60) and the pool is refilled and idle. Prints every try, the median per visitor rank
and the resident memory of each kernel after the visits. Needs /usr/bin/chromium; stops what it started.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
TABLE = ".siyu-dash-table .siyu-table"                        # the first table: the page's still or the live one
LIVE = "#rendered_cells .siyu-dashboard .widget-slider"        # the live dashboard: its sliders can be moved


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _kernels(pid: int) -> list:
    import psutil
    out = []
    for k in psutil.Process(pid).children(recursive=True):
        try:
            if any("ipykernel" in part for part in k.cmdline()):
                out.append(k)
        except psutil.Error:
            pass
    return out


def _settle(pid: int, kernels: int, timeout: float = 900) -> None:
    """Wait until exactly `kernels` kernels run (the visited ones culled, the pool refilled) and none uses the
    CPU for five checks in a row."""
    end, quiet = time.monotonic() + timeout, 0
    while quiet < 5:
        if time.monotonic() > end:
            raise TimeoutError("the dashboard's kernels did not settle")
        time.sleep(1)
        ks = _kernels(pid)
        busy = len(ks) != kernels or any(k.cpu_percent(interval=0.3) > 5 for k in ks)
        quiet = 0 if busy else quiet + 1


def _visit(url: str, out: list, i: int, go: threading.Event) -> None:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = b.new_page(viewport={"width": 1280, "height": 800})
        said = []                           # what the page reported, shown when it never drew its table
        page.on("console", lambda m: said.append(f"console {m.type}: {m.text}"[:300]))
        page.on("requestfailed", lambda r: said.append(f"request failed: {r.url} {r.failure}"[:300]))
        go.wait()
        t0 = time.monotonic()
        try:
            page.goto(url, timeout=300_000, wait_until="domcontentloaded")
            page.wait_for_selector(TABLE, timeout=300_000)
            first = time.monotonic() - t0
            page.wait_for_selector(LIVE, timeout=300_000)
            out[i] = (first, time.monotonic() - t0)
        except Exception:                   # no table within 5 minutes: counted as never
            out[i] = (float("inf"), float("inf"))
            print(f"visitor {i + 1}: no table; the page said:\n  " + "\n  ".join(said[-20:]), flush=True)
        b.close()


def _at_once(visit, url: str, visitors: int) -> list:
    """`visitors` threads each run visit(url, out, i, go): every browser is launched, then all open the page
    at the same moment; returns out (what each visit recorded)."""
    out, go = [None] * visitors, threading.Event()
    threads = [threading.Thread(target=visit, args=(url, out, i, go)) for i in range(visitors)]
    for th in threads:
        th.start()
    time.sleep(3)                           # every browser launched, then all open the page at once
    go.set()
    for th in threads:
        th.join()
    return out


def main() -> int:
    a = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    a.add_argument("--lang", default="zh")
    a.add_argument("--visitors", type=int, default=4)
    a.add_argument("--tries", type=int, default=3)
    a.add_argument("--pool", default="auto")
    a.add_argument("--cull-idle", type=int, default=60, help="s before an unconnected idle kernel is stopped")
    o = a.parse_args()
    port = _port()
    log = open(f"/tmp/dashboard_visitors_{port}.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "sim.present.serve", f"--lang={o.lang}", f"--port={port}",
                             f"--pool={o.pool}", f"--cull-idle={o.cull_idle}", "--cull-interval=10"], cwd=ROOT, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("the dashboard exited; see " + log.name)
                time.sleep(1)
        first = Path(log.name).read_text().splitlines()[0]
        print(first)
        pool = int(re.search(r"dashboard: (\d+) pre-heated", first).group(1))
        tries = []
        for t in range(o.tries):
            _settle(proc.pid, pool)
            load = os.getloadavg()[0]
            got = _at_once(_visit, f"http://127.0.0.1:{port}/", o.visitors)
            seconds, live = sorted(g[0] for g in got), sorted(g[1] for g in got)
            tries.append((seconds, live))
            rss = [k.memory_info().rss / 2**20 for k in _kernels(proc.pid)]
            print(f"try {t + 1} (load average {load:.1f} before): first table after " + ", ".join(f"{s:.1f}" for s in seconds)
                  + " s; sliders live after " + ", ".join(f"{s:.1f}" for s in live) + " s; kernels "
                  + ", ".join(f"{m:.0f}" for m in sorted(rss)) + " MB", flush=True)
        for k, what in enumerate(("first table", "sliders live")):
            med = [statistics.median(x) for x in zip(*(tr[k] for tr in tries))]
            print(f"median of {o.tries} tries, {what}, visitors by arrival order: " + ", ".join(f"{m:.1f}" for m in med) + " s")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
