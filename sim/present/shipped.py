"""Where the shipped scenarios are, and how a command-line scenario argument finds one.

Kept apart from report.py so that the CLI can resolve a scenario without importing
the plotting stack (matplotlib) for a run that draws nothing.
"""
from __future__ import annotations

from pathlib import Path

from ..core.files import PROJECT_DIR, SCENARIOS_DIR

ROOT = PROJECT_DIR


def scenario_path(name: str) -> Path:
    """Path of a scenario shipped in scenarios/ ('baseline' or 'baseline.yaml')."""
    return SCENARIOS_DIR / (name if name.endswith((".yaml", ".yml")) else f"{name}.yaml")


def find_scenario(arg: str) -> str:
    """A scenario argument as given, or, when it names no file and is a bare name ('baseline'), the
    shipped file scenarios/NAME.yaml or scenarios/cases/NAME.yaml that exists (else `arg` unchanged,
    so loading reports the missing file)."""
    p = Path(arg)
    if p.exists() or len(p.parts) > 1:
        return arg
    stem = arg if arg.endswith((".yaml", ".yml")) else f"{arg}.yaml"
    for folder in (SCENARIOS_DIR, SCENARIOS_DIR / "cases"):
        if (folder / stem).is_file():
            return str(folder / stem)
    return arg


def shipped_names() -> list[str]:
    """Names of the shipped scenarios (scenarios/*.yaml and scenarios/cases/*.yaml), sorted."""
    return sorted(f.stem for folder in (SCENARIOS_DIR, SCENARIOS_DIR / "cases") for f in folder.glob("*.yaml"))
