"""User-facing errors: one readable line, no traceback (the CLI exits with code 2)."""
from __future__ import annotations

import numbers

QUOTE_LIMIT = 80   # characters of a value (or key) an error message quotes


def clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    """`text` cut to `limit` characters ("..." marks the cut) on one line, control characters escaped."""
    text = str(text)[:limit + 1]
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in " ".join(text.splitlines()))
    return text if len(text) <= limit else text[:limit - 3] + "..."


def quote(value) -> str:
    """repr of a value for an error message, at most QUOTE_LIMIT characters, built without
    formatting a huge value whole (a long list or string is cut before repr)."""
    if isinstance(value, str) and len(value) > QUOTE_LIMIT:
        value = value[:QUOTE_LIMIT]
    elif isinstance(value, (list, tuple, dict)) and len(value) > 8:
        value = type(value).__name__ + f" of {len(value)} items"
        return value
    try:
        return clip(repr(value))
    except RecursionError:
        return type(value).__name__


class ScenarioError(ValueError):
    """Bad scenario input. Names the file, the dotted key, the bad value and what is allowed.
    One line; the key and value are quoted at most QUOTE_LIMIT characters."""

    def __init__(self, source: str, key: str | None, value, allowed: str, unknown: bool = False):
        self.source, self.key, self.value, self.allowed = source, key, value, allowed
        parts = [clip(source, 200)]
        if key:
            k = clip(key)
            parts.append(f"'{k}'" if unknown else f"{k} = {quote(value)}" if value is not None else k)
        parts.append(allowed if unknown or value is None else f"allowed: {allowed}")
        super().__init__(clip(": ".join(parts), 600))


class UsageError(ValueError):
    """A bad request to the API or CLI that is not about a scenario file (e.g. a sweep spec)."""


class EnvironmentFailure(RuntimeError):
    """The machine or a service failed, not the request (disk full, a Dask cluster that died).
    One line saying what was kept and how to go on; the CLI exits with code 1."""


MAX_SEED = 2**32 - 1      # seeds are 0 .. MAX_SEED (numpy SeedSequence takes any non-negative integer)


def check_seed(seed, what: str = "seed") -> int:
    """`seed` as an int in 0 .. MAX_SEED; UsageError otherwise."""
    if isinstance(seed, bool) or not isinstance(seed, int) and not hasattr(seed, "__index__"):
        raise UsageError(f"{what} = {quote(seed)}: need a whole number in 0 .. {MAX_SEED}")
    seed = int(seed)
    if not 0 <= seed <= MAX_SEED:
        raise UsageError(f"{what} = {seed}: need a whole number in 0 .. {MAX_SEED}")
    return seed


def check_count(value, name: str, lo: int = 1, hi: int | None = None, unit: str = "") -> int:
    """`value` as an int in lo .. hi (no upper end if hi is None); else a UsageError naming `name`,
    the value and what is allowed, e.g. "trials = 0: need a whole number of trials >= 1"."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < lo \
            or (hi is not None and value > hi):
        allowed = f"in {lo} .. {hi}" if hi is not None else f">= {lo}"
        raise UsageError(f"{name} = {quote(value)}: need a whole number{f' of {unit}' if unit else ''} {allowed}")
    return int(value)


def interrupted(exc: BaseException | None) -> bool:
    """True if `exc` is a Ctrl-C (KeyboardInterrupt) or was raised because of one: a KeyboardInterrupt raised
    inside Numba-compiled code surfaces as a SystemError (or another error) caused by it."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False
