"""The schema's building blocks: `P`, a parameter with its unit, meaning, source and plausible range, and
`Section`, a strict section of a scenario (schema.py and schema_sales.py build the sections from them)."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


def P(default, unit: str, meaning: str, source: str = "assumption", plausible: tuple | None = None, why="", **bounds):
    """A scenario parameter: default, unit, one-line meaning, source of the default, bounds. An assumption about
    the world also gets `plausible=(low, high)` (a choice: its options) and `why`, a one-line reason
    (sim.lab.robustness draws worlds from them); decisions have source "decision (example setting)"."""
    extra = {"unit": unit, "source": source} | ({"plausible": list(plausible), "why": why} if plausible else {})
    return Field(default, description=meaning, json_schema_extra=extra, **bounds)


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    @model_validator(mode="before")
    @classmethod
    def _own_defaults(cls, data):
        """A sub-section given in part (a scenario file's `douyin: {share: 0.2}`, `offline: {share: 0.5}`) keeps
        the defaults of its own instance (the field's default_factory: Douyin's first-order chance, the offline
        store's concession fee) for what it does not give, not the defaults of its class."""
        if not isinstance(data, dict):
            return data
        out = dict(data)
        for name, field in cls.model_fields.items():
            given, make = out.get(name), field.default_factory
            if isinstance(given, dict) and make is not None:
                made = make()
                if isinstance(made, BaseModel) and made != type(made)():
                    out[name] = _merged(made.model_dump(), given)
        return out


def _merged(base: dict, over: dict) -> dict:
    """`over` on top of `base`, nested dicts merged key by key."""
    out = dict(base)
    for k, v in over.items():
        out[k] = _merged(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out
