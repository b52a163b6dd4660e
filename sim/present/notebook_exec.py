"""Execute notebooks in place and keep their real outputs (`make notebooks`).

    python -m sim.notebook_exec notebooks/*.ipynb [--timeout 600]

Each notebook runs top to bottom in a fresh `python3` kernel (this environment's Python)
with its own folder as the working directory, exactly like nbval and Voila run it. The
executed notebook replaces the file only when every cell succeeded (written to a temporary
file and renamed); a failing notebook is left as it was and reported with the cell that
failed. Exit code: 0 if all ran, 1 if any failed, 2 for a usage error.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from ..core.files import atomic_path


def execute(path: str | Path, timeout: int = 600, kernel_name: str = "python3") -> float:
    """Run one notebook in place; returns the seconds it took. Raises CellExecutionError on a failing cell."""
    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    t0 = time.perf_counter()
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel_name, allow_errors=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    seconds = time.perf_counter() - t0
    with atomic_path(path, suffix=".ipynb", mode=path.stat().st_mode & 0o777) as tmp:
        nbformat.write(nb, str(tmp))
    return seconds


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m sim.notebook_exec", description="execute notebooks in place")
    p.add_argument("notebooks", nargs="+", help="notebook files (.ipynb)")
    p.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default 600)")
    a = p.parse_args(argv)
    missing = [n for n in a.notebooks if not Path(n).is_file() or not n.endswith(".ipynb")]
    if missing:
        print(f"error: not a notebook file: {', '.join(missing)}", file=sys.stderr)
        return 2
    failed, total = [], 0.0
    for nb in a.notebooks:
        try:
            s = execute(nb, timeout=a.timeout)
        except CellExecutionError as exc:
            first = str(exc).strip().splitlines()
            print(f"FAILED {nb}: {first[-1] if first else exc}", file=sys.stderr)
            failed.append(nb)
            continue
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return 130
        total += s
        print(f"ran {nb} in {s:.1f} s")
    print(f"{len(a.notebooks) - len(failed)} of {len(a.notebooks)} notebook(s) ran in {total:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
