"""Engine: the model that composes the mechanisms into one simulated day, and `run`.

`model.PoolModel` is the Mesa model (its docstring lists the phases of a day);
`runner.run` / `runner.resolve` build a scenario, step it and return a `Result`.

May import: `sim.core`, `sim.mechanisms`.
"""
from .runner import resolve, run

__all__ = ["run", "resolve"]
