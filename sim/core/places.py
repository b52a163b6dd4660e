"""Where things are: the scenarios the lab ships, how a scenario argument finds its file, and where
default outputs and caches go, the same from a checkout (editable install) and from an installed wheel.

The shipped scenarios are package data, `sim.scenarios` (pyproject maps it to the checkout's top-level
scenarios/ folder), read through importlib.resources. A scenario argument is, in this order: a file
(relative to the extending file for `extends:`, else to the current folder), then a shipped name:
`baseline`, `discount_only.yaml`, `cases/hair_clinic`, `hair_clinic`, `scenarios/baseline.yaml`.
`load_scenario`, `extends:` and the CLI all resolve through `find_scenario`.
"""
from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]   # the checkout (scenarios/, notebooks/, out/) when run from one
IN_CHECKOUT = (PROJECT_DIR / "pyproject.toml").is_file() and (PROJECT_DIR / "scenarios").is_dir()
SUFFIXES = (".yaml", ".yml")


def _scenarios_dir() -> Path:
    """The folder of the shipped scenarios: package data `sim.scenarios` (a wheel: sim/scenarios/; an editable
    install: the checkout's scenarios/), or the checkout's scenarios/ when sim is imported uninstalled."""
    try:
        return Path(str(files("sim.scenarios")))
    except ModuleNotFoundError:
        return PROJECT_DIR / "scenarios"


SCENARIOS_DIR = _scenarios_dir()


def shipped_scenarios() -> dict[str, Path]:
    """{name: file} of every shipped scenario: 'baseline' and 'cases/hair_clinic' (and 'hair_clinic' when no
    top-level scenario has that name)."""
    found = {f.stem: f for f in sorted(SCENARIOS_DIR.glob("*.yaml"))}
    for f in sorted((SCENARIOS_DIR / "cases").glob("*.yaml")):
        found[f"cases/{f.stem}"] = f
        found.setdefault(f.stem, f)
    return found


def shipped_names() -> list[str]:
    """Names of the shipped scenarios (as `shipped_scenarios`), sorted."""
    return sorted(shipped_scenarios())


def _shipped_key(arg: str) -> str:
    """'scenarios/cases/hair_clinic.yaml' -> 'cases/hair_clinic' (the key of `shipped_scenarios`)."""
    parts = list(Path(arg).parts)
    if len(parts) > 1 and parts[0] == "scenarios":
        parts = parts[1:]
    key = "/".join(parts)
    for suffix in SUFFIXES:
        key = key.removesuffix(suffix)
    return key


def shipped_scenario(arg: str) -> Path | None:
    """The shipped file `arg` names (see the module docstring), or None."""
    return shipped_scenarios().get(_shipped_key(str(arg)))


def scenario_path(name: str) -> Path:
    """The file of the shipped scenario `name` ('baseline', 'cases/hair_clinic.yaml'); when there is none, the
    path it would have in the shipped folder (loading it then names the missing file)."""
    return shipped_scenario(name) or SCENARIOS_DIR / f"{_shipped_key(name)}.yaml"


def find_scenario(arg: str | Path, relative_to: Path | None = None) -> Path:
    """The scenario file `arg` stands for: `relative_to / arg` (the folder of a file that extends it) or `arg`
    (relative to the current folder) when that file exists, else the shipped scenario it names, else the path
    as given (loading it then reports the missing file)."""
    path = Path(relative_to) / arg if relative_to is not None else Path(arg)
    try:
        if path.exists():
            return path
    except (OSError, ValueError):                 # a name too long for the file system, a NUL byte
        return path
    return shipped_scenario(str(arg)) or path


def out_dir() -> Path:
    """The default folder for outputs: out/ in the checkout when run from one, else out/ in the current folder."""
    return (PROJECT_DIR if IN_CHECKOUT else Path.cwd()) / "out"


def cache_dir() -> Path:
    """The lab's cache folder: $SIYU_CACHE, else out/cache in the checkout when run from one, else the user's
    cache folder ($XDG_CACHE_HOME or ~/.cache, /siyu-lab)."""
    if os.environ.get("SIYU_CACHE"):
        return Path(os.environ["SIYU_CACHE"])
    if IN_CHECKOUT:
        return PROJECT_DIR / "out" / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "siyu-lab"
