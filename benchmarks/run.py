"""Run the benchmarks (`make bench`): engine speed and memory, and the sweep benchmark if present.

    .venv/bin/python benchmarks/run.py [--quick] [--skip-1m]

Prints a table, writes benchmarks/results.md (with the machine it ran on) and replaces the block
between `<!-- bench:start -->` and `<!-- bench:end -->` in README.md with the same table, if
README.md exists and has both markers. See benchmarks/README.md for how to read the figures.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import inspect
import math
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


def machine() -> dict:
    """CPU model, cores, RAM, Python version, date, load at start."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024**2:.1f} GB"
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    return {"cpu": cpu, "cores": f"{os.cpu_count()} ({usable} usable)", "ram": ram,
            "python": platform.python_version(), "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "load": load, "probe": host_probe()}


def host_probe(repeats: int = 5) -> str:
    """Seconds a fixed pure-Python loop (sum of 30 million integers) takes, fastest and slowest of
    `repeats`: on a shared host, neighbours slow a VM without showing in its load average, and this
    says how fast the host was while the benchmarks ran (run again at the end for the spread)."""
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        sum(range(30_000_000))
        times.append(time.perf_counter() - t)
    return f"{min(times):.2f}-{max(times):.2f} s"


def _load_sweep(name: str = "bench_sweep"):
    """benchmarks/<name>.py's run(), if the file exists."""
    path = HERE / f"{name}.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return getattr(mod, "run", None)


def _call(fn, quick: bool, skip_1m: bool):
    params = inspect.signature(fn).parameters
    kw = {k: v for k, v in (("quick", quick), ("skip_1m", skip_1m)) if k in params}
    return fn(**kw)


def fmt_value(v, unit: str = "") -> str:
    if isinstance(v, bool) or v is None:
        return str(v)
    if isinstance(v, (int, float)):
        if isinstance(v, float) and math.isnan(v):
            return "n/a"
        a = abs(v)
        if "user-days" in unit and a >= 1e5:
            return f"{v / 1e6:.2f}M"
        if a >= 1e4:
            return f"{v:,.0f}"
        if a >= 100:
            return f"{v:.0f}"
        if a >= 10:
            return f"{v:.1f}"
        return f"{v:.3g}" if a < 1 else f"{v:.2f}"
    return str(v)


def fmt_ok(ok) -> str:
    return "n/a" if ok is None else ("yes" if ok else "**no**")


def markdown(rows: list[dict], info: dict, elapsed: float, args) -> str:
    mode = "quick" if args.quick else ("full, without 1M" if args.skip_1m else "full")
    lines = [
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram']} RAM; Python {info['python']}; "
        f"{info['date']}; load average at start {info['load']} (other work on the machine slows the figures); "
        f"host speed probe (a fixed Python loop) {info['probe']} at the start and {info.get('probe_end', '?')} at the "
        f"end (lower is a faster host); mode {mode}, {elapsed:.0f} s in all.",
        "",
        "| benchmark | value | unit | target | met | note |",
        "|---|---:|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['benchmark']} | {fmt_value(r['value'], r.get('unit', ''))} | {r.get('unit', '')} | "
                     f"{r.get('target', '-')} | {fmt_ok(r.get('ok'))} | {r.get('note', '')} |")
    return "\n".join(lines) + "\n"


def text_table(rows: list[dict]) -> str:
    cols = [("benchmark", lambda r: r["benchmark"]), ("value", lambda r: fmt_value(r["value"], r.get("unit", ""))),
            ("unit", lambda r: r.get("unit", "")), ("target", lambda r: str(r.get("target", "-"))),
            ("met", lambda r: fmt_ok(r.get("ok")).strip("*"))]
    cells = [[f(r) for _, f in cols] for r in rows]
    w = [max([len(h)] + [len(c[i]) for c in cells]) for i, (h, _) in enumerate(cols)]
    out = ["  ".join(h.ljust(w[i]) for i, (h, _) in enumerate(cols)), "  ".join("-" * x for x in w)]
    out += ["  ".join(c[i].ljust(w[i]) for i in range(len(cols))) for c in cells]
    return "\n".join(out)


def update_readme(table_md: str, readme: Path = ROOT / "README.md") -> bool:
    """Replace the block between the bench markers in README.md; False if there is no such block."""
    if not readme.exists():
        return False
    text = readme.read_text(encoding="utf-8")
    i, j = text.find(START), text.find(END)
    if i < 0 or j < i:
        return False
    readme.write_text(text[: i + len(START)] + "\n" + table_md + text[j:], encoding="utf-8")
    return True


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Run the siyu-lab benchmarks.")
    p.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    p.add_argument("--skip-1m", action="store_true", help="leave out the 1,000,000-user engine run")
    args = p.parse_args(argv)
    info = machine()
    t0 = time.perf_counter()
    import bench_engine
    print("engine benchmarks" + (" (quick)" if args.quick else ""), flush=True)
    rows = bench_engine.run(quick=args.quick, skip_1m=args.skip_1m, log=lambda s: print(s, flush=True))
    sweep = _load_sweep()
    if sweep is not None:
        print("sweep benchmarks", flush=True)
        try:
            rows += list(_call(sweep, args.quick, args.skip_1m))
        except Exception as exc:  # a broken sweep benchmark must not lose the engine figures
            rows.append({"benchmark": "bench_sweep.run()", "value": float("nan"), "unit": "-", "target": "-",
                         "ok": False, "note": f"failed: {type(exc).__name__}: {exc}"})
    decide = _load_sweep("bench_decide")
    if decide is not None:
        print("decision-tool benchmarks", flush=True)
        try:
            rows += list(_call(decide, args.quick, args.skip_1m))
        except Exception as exc:  # as above: keep the other figures
            rows.append({"benchmark": "bench_decide.run()", "value": float("nan"), "unit": "-", "target": "-",
                         "ok": False, "note": f"failed: {type(exc).__name__}: {exc}"})
    elapsed = time.perf_counter() - t0
    info["probe_end"] = host_probe()
    print()
    print(text_table(rows))
    md = markdown(rows, info, elapsed, args)
    (HERE / "results.md").write_text("# Benchmark results\n\nWritten by `benchmarks/run.py` (`make bench`); "
                                     "see benchmarks/README.md.\n\n" + md, encoding="utf-8")
    where = "benchmarks/results.md" + (" and README.md" if update_readme(md) else "")
    print(f"\nwritten to {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
