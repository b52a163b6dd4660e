"""Voila variants of the dashboard side by side: the same visitors-at-once measurement as
benchmarks/dashboard_visitors.py, alternating between variants (same load), with what each visit costs the
browser (docs/notebooks.md, "What a visitor's first table waits for").

    python benchmarks/dashboard_variants.py lab= classic=--template=classic --visitors 4 --tries 3

Each variant is NAME=VOILA_OPTIONS (space-separated, added to sim.present.serve.voila_command; empty: the
default). Every variant gets its own Voila (pool of --pool pre-heated kernels, runs read from the lab's cache:
run `python -m sim.present.serve --capacity` once or the dashboard before, so the cache is warm); per try and
variant, all servers' kernels are settled first, then `visitors` Chromium pages open at once. Prints per visit
the seconds to the dashboard's table, the page's main-thread task time (Chrome's TaskDuration), the JavaScript
it loaded and, with one visitor, the CPU time of the whole browser; then the median per arrival rank.
Needs /usr/bin/chromium; stops what it started.
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dashboard_visitors import ARGS, CHROMIUM, ROOT, TABLE, _at_once, _kernels, _port  # noqa: E402

sys.path.insert(0, str(ROOT))
from sim.present.serve import NOTEBOOK, template_env, voila_command  # noqa: E402


def _settle(pids: list[int], kernels: int, timeout: float = 900) -> None:
    """Wait until every server runs `kernels` kernels and none uses the CPU for four checks in a row."""
    end, quiet = time.monotonic() + timeout, 0
    while quiet < 4:
        if time.monotonic() > end:
            raise TimeoutError("the dashboards' kernels did not settle")
        time.sleep(1)
        busy = False
        for pid in pids:
            ks = _kernels(pid)
            busy = busy or len(ks) != kernels or any(k.cpu_percent(interval=0.2) > 5 for k in ks)
        quiet = 0 if busy else quiet + 1


def _browser_cpu() -> float:
    """CPU seconds used so far by the Chromium processes this benchmark started."""
    import psutil
    total = 0.0
    for c in psutil.Process().children(recursive=True):
        try:
            if "chrom" in c.name():
                t = c.cpu_times()
                total += t.user + t.system
        except psutil.Error:
            pass
    return total


def _visit(url: str, out: list, i: int, go) -> None:
    """Open `url` when `go` is set; out[i] = (seconds to the table, main-thread task s, JS MB, browser CPU s)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = b.new_page(viewport={"width": 1280, "height": 800})
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        go.wait()
        c0, t0 = _browser_cpu(), time.monotonic()
        try:
            page.goto(url, timeout=300_000, wait_until="domcontentloaded")
            page.wait_for_selector(TABLE, timeout=300_000)
            seconds = time.monotonic() - t0
        except Exception:                   # no table within 5 minutes: counted as never
            seconds = float("inf")
        cpu = _browser_cpu() - c0
        task = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}.get("TaskDuration", 0)
        js = page.evaluate("""() => performance.getEntriesByType('resource')
            .filter(r => r.name.split('?')[0].endsWith('.js')).reduce((s, r) => s + r.decodedBodySize, 0)""")
        out[i] = (seconds, task, js / 1e6, cpu)
        b.close()


def _start(options: list[str], pool: int, cull: int, lang: str, log: Path) -> tuple[subprocess.Popen, str]:
    """Voila serving the dashboard with `options` added to serve's command line; returns (process, url)."""
    port = _port()
    cmd = voila_command(NOTEBOOK.relative_to(ROOT), port, pool, cull, 5) + options
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=open(log, "w"), stderr=subprocess.STDOUT, start_new_session=True,
                            env={**template_env(), "SIYU_LANG": lang})
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, f"http://127.0.0.1:{port}/"
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"Voila exited; see {log}")
            time.sleep(0.5)


def main() -> int:
    a = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    a.add_argument("variants", nargs="+", help="NAME=VOILA_OPTIONS, e.g. lab= classic=--template=classic")
    a.add_argument("--lang", default="zh")
    a.add_argument("--visitors", type=int, default=4)
    a.add_argument("--tries", type=int, default=3)
    a.add_argument("--pool", type=int, default=4)
    a.add_argument("--cull-idle", type=int, default=20, help="s before a closed page's kernel is stopped")
    o = a.parse_args()
    variants = dict(v.split("=", 1) if "=" in v else (v, "") for v in o.variants)
    servers = {}
    try:
        for name, opts in variants.items():
            servers[name] = _start(opts.split(), o.pool, o.cull_idle, o.lang, Path(f"/tmp/dashboard_variant_{name}.log"))
        seconds = {name: [] for name in variants}
        for t in range(o.tries):
            for name, (_, url) in servers.items():
                _settle([p.pid for p, _ in servers.values()], o.pool)
                load = os.getloadavg()[0]
                out = _at_once(_visit, url, o.visitors)
                seconds[name].append(sorted(x[0] for x in out))
                cpu = f"; browser CPU {out[0][3]:.2f} s" if o.visitors == 1 else ""
                print(f"{name} try {t + 1} (load {load:.1f}): table after " + ", ".join(f"{s:.1f}" for s in seconds[name][-1])
                      + " s; main-thread tasks " + ", ".join(f"{x[1]:.2f}" for x in out)
                      + f" s; JavaScript {out[0][2]:.2f} MB{cpu}", flush=True)
        for name, runs in seconds.items():
            print(f"{name}: median of {o.tries} tries by arrival order: "
                  + ", ".join(f"{statistics.median(x):.1f}" for x in zip(*runs)) + " s")
    finally:
        for proc, _ in servers.values():
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=20)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
