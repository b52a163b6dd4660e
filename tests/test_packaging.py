"""The lab as a library: the wheel holds every subpackage and the shipped scenarios, its required dependencies
hold no test or notebook tool, and a wheel installed without -e (no checkout on the path) validates and runs
shipped scenarios from another folder, with only the required dependencies importable.

By default the installed wheel finds its dependencies in this environment (a .pth line), with every package
that only the extras bring blocked from import, so `sim` comes from the wheel alone and nothing is
downloaded (~30 s). SIYU_WHEEL_TEST=full installs the wheel with its dependencies from the configured index
into a fresh environment instead (~50 s more, ~700 MB).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# Tools of the test suite and the notebooks: never a required dependency of the lab.
TOOLS = {"pytest", "pytest-xdist", "hypothesis", "playwright", "nbval", "psutil", "jupyterlab", "voila", "ipykernel",
         "ipywidgets", "nbclient", "lifetimes", "salib", "dask", "distributed"}


def test_the_wheel_lists_every_subpackage_and_the_shipped_scenarios():
    cfg = PYPROJECT["tool"]["setuptools"]
    code = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "sim").rglob("__init__.py")}
    data = {".".join(("sim",) + p.relative_to(ROOT).parts) for p in (ROOT / "scenarios").rglob("*")
            if p.is_dir() and p.name != "__pycache__"} | {"sim.scenarios"}
    assert set(cfg["packages"]) == code | data, "pyproject.toml [tool.setuptools] packages: list every subpackage"
    assert cfg["package-dir"] == {"sim.scenarios": "scenarios"}
    assert {k: v for k, v in cfg["package-data"].items() if k in data} == {k: ["*.yaml"] for k in data}


def _reachable(requirements) -> set[str]:
    """Names of the installed distributions that `requirements` (and theirs, extras followed) pull in."""
    seen, todo = set(), [Requirement(r) for r in requirements]
    while todo:
        req = todo.pop()
        key = (canonicalize_name(req.name), frozenset(req.extras))
        if key in seen:
            continue
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            continue
        seen.add(key)
        for text in dist.requires or ():
            sub = Requirement(text)
            if sub.marker is None or any(sub.marker.evaluate({"extra": e}) for e in ("", *req.extras)):
                todo.append(sub)
    return {name for name, _ in seen}


def _top_modules(dist) -> set[str]:
    """Top-level import names a distribution installs (from its file list)."""
    names = set()
    for f in dist.files or ():
        first = f.parts[0]
        if first in ("..", "__pycache__") or first.endswith((".dist-info", ".egg-info", ".data")):
            continue
        if len(f.parts) > 1:
            names.add(first)
        elif f.suffix == ".py":
            names.add(f.stem)
        elif f.suffix in (".so", ".pyd"):
            names.add(first.split(".")[0])
    return names


def _extras_only_modules() -> set[str]:
    """Import names of the packages installed here that only the extras (or nothing of the lab) bring."""
    needed = _reachable(PYPROJECT["project"]["dependencies"])
    keep, block = {"sim"}, set()
    for dist in metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"] or "")
        if name == "siyu-lab":
            continue
        (keep if name in needed else block).update(_top_modules(dist))
    return block - keep


BLOCKER = '''"""Test shim (tests/test_packaging.py): packages only the extras bring are not importable here."""
import sys

BLOCKED = frozenset({names!r})


class _Absent:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}} (not a required dependency)", name=name)
        return None


sys.meta_path.insert(0, _Absent())
'''


def _build_wheel(tmp: Path) -> Path:
    """The wheel built (pip, isolated build) from a copy of the sources, so the checkout gets no build/ folder."""
    src = tmp / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("sim", "scenarios"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp / "dist"), str(src)],
                   check=True, capture_output=True, text=True)
    (wheel,) = (tmp / "dist").glob("siyu_lab-*.whl")
    return wheel


def _install(wheel: Path, venv: Path, full: bool) -> Path:
    """A fresh virtual environment holding the wheel (not editable); returns its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    deps = [] if full else ["--no-deps", "--no-index"]
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--quiet", *deps, str(wheel)],
                   check=True, capture_output=True, text=True)
    if not full:
        site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   check=True, capture_output=True, text=True).stdout.strip())
        (site / "_siyu_extras_absent.py").write_text(BLOCKER.format(names=sorted(_extras_only_modules())))
        here = dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib"))
        (site / "zz_siyu_test_deps.pth").write_text("\n".join([*here, "import _siyu_extras_absent", ""]))
    return py


@pytest.mark.slow
def test_an_installed_wheel_runs_shipped_scenarios_from_another_folder(tmp_path):
    wheel = _build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        requires = [line.split(":", 1)[1].strip() for line in
                    z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode().splitlines()
                    if line.startswith("Requires-Dist:")]
    code = {p.relative_to(ROOT).as_posix() for p in (ROOT / "sim").rglob("*")      # code and any data inside sim/
            if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".") and p.suffix != ".pyc"}
    shipped = {"sim/" + p.relative_to(ROOT).as_posix() for p in (ROOT / "scenarios").rglob("*.yaml")}
    assert code <= names and shipped <= names, sorted((code | shipped) - names)
    assert "sim/scenarios/cases/hair_clinic.yaml" in names
    required = {canonicalize_name(Requirement(r).name) for r in requires if "extra ==" not in r}
    assert required and not required & TOOLS, sorted(required & TOOLS)

    py = _install(wheel, tmp_path / "venv", full=os.environ.get("SIYU_WHEEL_TEST") == "full")
    cli = py.parent / "siyu-lab"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "SIYU_CACHE")}

    def call(*args):
        return subprocess.run([*map(str, args)], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=600)

    where = call(py, "-c", "import sim, sim.core.places as p; print(sim.__file__); print(p.SCENARIOS_DIR); print(p.IN_CHECKOUT)")
    lines = where.stdout.split()
    assert where.returncode == 0, where.stderr
    assert Path(lines[0]).is_relative_to(tmp_path / "venv") and Path(lines[1]).is_relative_to(tmp_path / "venv")
    assert lines[2] == "False"                       # not the checkout: sim comes from the wheel

    p = call(cli, "validate", "discount_only")
    assert p.returncode == 0 and "valid (discount_only" in p.stdout, p.stderr
    (elsewhere / "mine.yaml").write_text("extends: cases/hair_clinic\nmessaging:\n  per_week: 1\n", encoding="utf-8")
    p = call(cli, "validate", "mine.yaml")
    assert p.returncode == 0, p.stderr
    p = call(cli, "run", "baseline", "--days", "30", "--agents", "2000", "--out", "run1")
    assert p.returncode == 0, p.stderr
    assert {f.name for f in (elsewhere / "run1").iterdir()} >= {"daily.csv", "summary.json", "scenario.yaml"}
    if os.environ.get("SIYU_WHEEL_TEST") != "full":
        p = call(cli, "sweep", "baseline", "--grid", "messaging.per_week=1,2", "--seeds", "1", "--days", "5",
                 "--users", "300", "--workers", "2", "--out", "sweep1")
        assert p.returncode == 2 and "pip install 'siyu-lab[dist]'" in p.stderr, p.stderr
        assert len(p.stderr.strip().splitlines()) == 1 and not (elsewhere / "sweep1").exists()
