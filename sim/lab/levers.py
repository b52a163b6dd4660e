"""Lever ranges given to the search and sensitivity tools (sim.optimise, sim.lab.sensitivity): one check.

A lever is a dotted scenario key and the range a tool may move it over. `numeric_range` reads the key's
type from the schema and checks the range on a base scenario, so a bad range fails before any run,
with the scenario layer's own 'unknown key; did you mean' message or one line naming the lever.
"""
from __future__ import annotations

import math

from ..core.errors import UsageError
from ..core.scenario import Scenario, iter_schema


def numeric_range(base: Scenario, key: str, rng) -> tuple[float, float, bool]:
    """(low, high, whole number) of lever `key` moved over `rng` = (low, high) on `base`: the key exists and
    is a number, the range is finite with low < high, and both ends are allowed by the schema."""
    types = {k: t for k, t, *_ in iter_schema()}
    if key not in types:
        base.with_overrides({key: 0}, source="levers")          # raises 'unknown key; did you mean ...'
    if types[key] not in ("int", "float"):
        raise UsageError(f"lever '{key}' is a {types[key]}: it has no (low, high) range; give its options as a list "
                         f"(sim.optimise) or a grid (sim.sweep)")
    try:
        lo, hi = (float(v) for v in rng)
    except (TypeError, ValueError):
        raise UsageError(f"lever '{key}' = {rng!r}: expected a (low, high) pair of numbers") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise UsageError(f"lever '{key}' = {rng!r}: need finite low < high")
    is_int = types[key] == "int"
    for v in (lo, hi):                                          # both ends inside the schema's bounds
        base.with_overrides({key: int(round(v)) if is_int else v}, source=f"lever {key}")
    return lo, hi, is_int
