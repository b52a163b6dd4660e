"""The schema's building blocks: `P`, a parameter with its unit, meaning, source and plausible range, and
`Section`, a strict section of a scenario (schema.py and schema_sales.py build the sections from them)."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


def P(default, unit: str, meaning: str, source: str = "assumption", plausible: tuple | None = None, why="", **bounds):
    """A scenario parameter: default, unit, one-line meaning, source of the default, bounds. An assumption about
    the world also gets `plausible=(low, high)` (a choice: its options) and `why`, a one-line reason
    (sim.lab.robustness draws worlds from them); decisions have source "decision (example setting)"."""
    extra = {"unit": unit, "source": source} | ({"plausible": list(plausible), "why": why} if plausible else {})
    return Field(default, description=meaning, json_schema_extra=extra, **bounds)


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)
