"""User-facing errors: one readable line, no traceback (the CLI exits with code 2)."""
from __future__ import annotations


class ScenarioError(ValueError):
    """Bad scenario input. Names the file, the dotted key, the bad value and what is allowed."""

    def __init__(self, source: str, key: str | None, value, allowed: str, unknown: bool = False):
        self.source, self.key, self.value, self.allowed = source, key, value, allowed
        parts = [source]
        if key:
            parts.append(f"'{key}'" if unknown else f"{key} = {value!r}" if value is not None else key)
        parts.append(allowed if unknown or value is None else f"allowed: {allowed}")
        super().__init__(": ".join(parts))


class UsageError(ValueError):
    """A bad request to the API or CLI that is not about a scenario file (e.g. a sweep spec)."""
