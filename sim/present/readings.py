"""What charts and sentences read off the numbers, decided in one place: which way a figure is
better (from sim.lab.figures), the best cell of a lever grid, the side of zero an interval lies on
(sim.lab.experiments.interval_side, re-exported), and the contribution that carries a difference.

    best_cell(table, ["groups.size", "messaging.per_week"], "ltv")   # ((100, 2.0), 163.2)
    interval_side(lo, hi)                                            # 1 above 0, -1 below, 0 spans it
    carrier({"retention": -46, "discounts": 27}, total=-39)          # 'retention'
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from ..lab.experiments import interval_side  # re-exported: the reading of an interval
from ..lab.figures import better_sign

BEST = ("max", "min")


def best_way(figure: str) -> str:
    """'max' when a larger `figure` is better, else 'min' (lab.figures.better_sign)."""
    return "max" if better_sign(figure) > 0 else "min"


def best_ways(figures: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """(figure, 'max' | 'min') for each figure, the way that is better."""
    return tuple((f, best_way(f)) for f in figures)


def _check_best(best: str | None, figure: str) -> str:
    best = best or best_way(figure)
    if best not in BEST:
        raise ValueError(f"best must be one of {BEST}, not {best!r}")
    return best


def best_cell(table: pd.DataFrame, keys: list[str], figure: str, best: str | None = None):
    """The cell of a grid (`table`: one row per run, cells by the columns `keys`) with the best mean
    `figure`: (key values as a tuple, mean); `best` 'max' or 'min' (default: the better way).
    Cells without a value are skipped; ties go to the first cell in sorted key order; None when no
    cell has a value."""
    best = _check_best(best, figure)
    m = table.groupby(list(keys))[figure].mean().dropna()
    if m.empty:
        return None
    idx = m.idxmax() if best == "max" else m.idxmin()
    return (idx if isinstance(idx, tuple) else (idx,)), float(m[idx])


def best_in_rows(table: pd.DataFrame, x: str, y: str, figure: str, best: str | None = None) -> dict:
    """{y value: the x value with the best mean `figure` at that y} (rows without a value left out;
    ties as in best_cell)."""
    out = {}
    for yv, rows in table.groupby(y):
        cell = best_cell(rows, [x], figure, best)
        if cell is not None:
            out[yv] = cell[0][0]
    return out


def carrier(contributions, total: float, along: bool = True):
    """The key of the largest contribution in the direction of `total` (along=False: against it),
    None when there is none. `contributions`: a Mapping or Series {key: contribution}; ties go to the
    first; a contribution that is not a number is skipped."""
    s = pd.Series(dict(contributions) if isinstance(contributions, Mapping) else contributions, dtype=float)
    sign = 1.0 if total >= 0 else -1.0
    s = s[s * sign > 0] if along else s[s * sign < 0]
    return None if s.empty else s.abs().idxmax()


__all__ = ["best_cell", "best_in_rows", "best_way", "best_ways", "carrier", "interval_side"]
