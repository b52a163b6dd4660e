"""The one door from the lab to presentation: what a chart, sentence or table is handed becomes the
typed finding it renders (sim.lab.findings, sim.lab.verdicts), with the strategies' display titles
recorded for the labels.

    shown(obj)                  a Finding: as it is, or made by the lab from a Comparison, a Many, a
                                Result, a list of Results or a dict {name: any of those}, without the
                                plausible-worlds check (stated verdicts come from `sim.findings_of`)
    levers_shown(obj, figure)   a Levers: as it is, from a Finding's `levers`, or from a sim.explain result
    worlds_shown(obj, figure)   a Worlds: as it is, from a Finding's `worlds` (its second strategy), or from
                                a sim.robustness result
"""
from __future__ import annotations

from ..lab.explain import Explanation
from ..lab.findings import Finding, findings_of
from ..lab.robustness import Robustness
from ..lab.verdicts import Levers, Worlds, levers_of, worlds_of
from .labels import register_titles


def shown(obj) -> Finding:
    """`obj` as a Finding (see the module docstring); its strategies' titles are recorded (labels)."""
    if obj is None:
        raise ValueError("no results given")
    f = obj if isinstance(obj, Finding) else findings_of(obj, worlds=0)
    register_titles(f.titles)
    return f


def levers_shown(obj, figure: str) -> Levers:
    """The levers carrying `figure`'s difference (see the module docstring)."""
    if isinstance(obj, Levers):
        return obj
    if isinstance(obj, Finding):
        register_titles(obj.titles)
        return obj.levers[figure]
    if isinstance(obj, Explanation):
        return levers_of(obj)[figure]
    raise TypeError(f"expected Levers, a Finding or a sim.explain result, not {type(obj).__name__}")


def worlds_shown(obj, figure: str) -> Worlds:
    """`figure` across plausible worlds (see the module docstring)."""
    if isinstance(obj, Worlds):
        return obj
    if isinstance(obj, Finding):
        register_titles(obj.titles)
        return obj.worlds[obj.names[1]][figure]
    if isinstance(obj, Robustness):
        return worlds_of(obj)[figure]
    raise TypeError(f"expected Worlds, a Finding or a sim.robustness result, not {type(obj).__name__}")


__all__ = ["levers_shown", "shown", "worlds_shown"]
