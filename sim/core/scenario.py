"""Scenario files: the schema every strategy is written in, loading, `extends:` and overrides.

A scenario is a YAML file of nested sections. Every key has a type, unit, range,
default, one-line meaning and the source of its default (seed file, paper, or
"assumption"); the sections and their keys are defined in `schema.py` (`Sections`, which
`Scenario` extends with loading and overrides); `python -m sim schema` and docs/model.md are
generated from them, so there is one place where a parameter is defined (the listing functions,
iter_schema, plausible_ranges, schema_keys, live in `schema_info` and are re-exported here).
"""
from __future__ import annotations

import copy
import difflib
import math
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ValidationError

from .customers import read_customers
from .errors import ScenarioError
from .errors import clip as _clip
from .places import find_scenario
from .schema import Sections
from .schema_sales import SALES_CHANNELS, event_windows
from .schema_tiers import TIERS, thresholds
from .schema_info import _describe_allowed, iter_schema, plausible_ranges, schema_keys  # noqa: F401 (re-exported)
from .yamlread import dump, number_hint, parse_scalar, read_document


class Scenario(Sections):
    """A whole strategy: the schema's sections (schema.Sections) with loading and overrides. Build with
    `load_scenario`, not by hand, to get file-aware errors."""

    def with_overrides(self, overrides: dict[str, Any], source: str = "<overrides>") -> Scenario:
        """A validated copy with dotted-key overrides applied (e.g. {"messaging.per_week": 3})."""
        data = self.model_dump()
        for key, value in overrides.items():
            _set_dotted(data, key, value, source)
        return _validate(data, source)

    def get(self, key: str):
        """The value of a dotted key, e.g. sc.get("messaging.per_week")."""
        node = self
        for part in key.split("."):
            node = getattr(node, part)
        return node

    def to_yaml(self) -> str:
        return dump(self.model_dump())


# ----------------------------------------------------------------- loading

def _set_dotted(data: dict, key: str, value: Any, source: str) -> None:
    parts = key.split(".")
    node = data
    for i, part in enumerate(parts[:-1]):
        if not isinstance(node, dict) or part not in node or not isinstance(node[part], dict):
            _unknown(".".join(parts[: i + 1]), key, source)
        node = node[part]
    if parts[-1] not in node or isinstance(node[parts[-1]], dict):
        if parts[-1] not in node:
            _unknown(key, key, source)
        raise ScenarioError(source, key, value, "a value inside this section, e.g. " + next(iter(node[parts[-1]])) + " under it")
    node[parts[-1]] = value


def _unknown(prefix: str, key: str, source: str):
    valid = schema_keys()
    sections = sorted({k.rsplit(".", 1)[0] for k in valid if "." in k})
    key = _clip(key)
    close = difflib.get_close_matches(key, valid + sections, n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'?" if close else "see `python -m sim schema` for valid keys"
    raise ScenarioError(source, key, None, f"unknown key; {hint}", unknown=True)


def _deep_merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def _read_yaml(path: Path, chain: tuple = ()) -> dict:
    """Read a scenario file, resolving `extends:` recursively (a file relative to this one, else a shipped
    scenario's name: sim.core.places.find_scenario)."""
    src = str(path)
    if not path.is_file():
        raise ScenarioError(src, None, None, "a folder, not a file" if path.is_dir() else "file not found")
    if path.resolve() in chain:
        raise ScenarioError(src, "extends", str(path), "a file that does not extend itself (cycle)")
    data = read_document(path)
    if data is None or data == {}:
        raise ScenarioError(src, None, None, "empty scenario: give `extends:` or at least `name:`")
    if not isinstance(data, dict):
        raise ScenarioError(src, None, type(data).__name__, "a mapping of sections at the top level")
    pool = data.get("pool")
    if isinstance(pool, dict) and isinstance(pool.get("initial_from"), str) and pool["initial_from"]:
        pool["initial_from"] = str((path.parent / pool["initial_from"]).resolve())  # relative to this file
    parent = data.pop("extends", None)
    if parent is not None:
        if not isinstance(parent, str) or not parent.strip():
            raise ScenarioError(src, "extends", parent, "a file name (string), relative to this file, or a shipped "
                                "scenario's name")
        target = find_scenario(parent, relative_to=path.parent)
        try:
            found = target.is_file()
        except (OSError, ValueError):
            found = False
        if not found:
            raise ScenarioError(src, "extends", parent, f"an existing file relative to this one or a shipped scenario's "
                                f"name, e.g. baseline (file not found: {target})")
        base = _read_yaml(target, chain + (path.resolve(),))
        data = _deep_merge(base, data)
    return data


def _strict_types(model: type[BaseModel], data, source: str, prefix: str = ""):
    """Check and normalise `data` for `model` before pydantic's strict validation: no value changes type
    except an integral float (1e5) for an integer key and NumPy scalars; an empty section is {}.
    Returns the normalised copy; raises ScenarioError for a non-integral or non-finite number."""
    if not isinstance(data, dict):
        return data                                           # pydantic names what a section must be
    out = {}
    for key, value in data.items():
        if not isinstance(key, str):
            _unknown(prefix + _clip(key), prefix + _clip(key), source)
        field = model.model_fields.get(key)
        if field is None:
            out[key] = value                                  # unknown: reported by validation (did you mean)
            continue
        ann, dotted = field.annotation, prefix + key
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            value = _strict_types(ann, {} if value is None else value, source, dotted + ".")
        elif ann in (int, float, float | None) and number_hint(value):    # 020, 0x1F, 1:30 (yamlread)
            raise ScenarioError(source, dotted, value, number_hint(value))
        elif isinstance(value, float) and not math.isfinite(value) and ann in (int, float):
            raise ScenarioError(source, dotted, value, f"a finite number: {_describe_allowed(dotted)}")
        elif ann is int and isinstance(value, float):
            if not value.is_integer():
                raise ScenarioError(source, dotted, value, f"a whole number: {_describe_allowed(dotted)}")
            value = int(value)
        out[key] = value
    return out


def _validate(data: dict, source: str) -> Scenario:
    try:
        sc = Scenario.model_validate(_strict_types(Scenario, data, source), strict=True)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        if err["type"] == "extra_forbidden":
            _unknown(loc, loc, source)
        value = err.get("input")
        hint = "; YAML reads yes/no/on/off/true/false as booleans" if isinstance(value, bool) else ""
        raise ScenarioError(source, loc, value, f"{_describe_allowed(loc)} ({err['msg'].lower()}){hint}") from None
    _check_consistency(sc, source)
    return sc


# Keys the rules below tie together: a tool that changes some keys and not others moves each group as one.
LINKED_KEYS = (("market.segments.deal_seeker", "market.segments.quality_seeker", "market.segments.loyal_prone"),
               ("acquisition.douyin.share", "acquisition.xiaohongshu.share", "acquisition.ecommerce.share"),
               ("messaging.promo_share", "messaging.value_share"), ("messaging.moments_share", "messaging.mass_share"),
               ("pool.initial_members", "market.users"),
               ("offers.discount_days", "offers.discount_every_days"),
               tuple(f"sales.{c}.share" for c in SALES_CHANNELS))


def _check_consistency(sc: Scenario, source: str) -> None:
    """Rules that span several keys."""
    seg = sc.market.segments
    total = seg.deal_seeker + seg.quality_seeker + seg.loyal_prone
    if abs(total - 1) > 1e-6:
        raise ScenarioError(source, "market.segments", round(total, 6), "segment shares that add up to 1")
    ch = sc.acquisition
    total = ch.douyin.share + ch.xiaohongshu.share + ch.ecommerce.share
    if ch.daily_budget > 0 and abs(total - 1) > 1e-6:
        raise ScenarioError(source, "acquisition.*.share", round(total, 6), "channel budget shares that add up to 1")
    if sc.messaging.promo_share + sc.messaging.value_share > 1 + 1e-9:
        raise ScenarioError(source, "messaging.value_share", sc.messaging.value_share,
                            f"at most {1 - sc.messaging.promo_share:g} (promo_share + value_share <= 1)")
    if sc.messaging.moments_share + sc.messaging.mass_share > 1 + 1e-9:
        raise ScenarioError(source, "messaging.mass_share", sc.messaging.mass_share,
                            f"at most {1 - sc.messaging.moments_share:g} (moments_share + mass_share <= 1)")
    if sc.pool.initial_members > sc.market.users:
        raise ScenarioError(source, "pool.initial_members", sc.pool.initial_members,
                            f"at most market.users ({sc.market.users})")
    if 0 < sc.groups.size < 3:
        raise ScenarioError(source, "groups.size", sc.groups.size, "0 (no groups) or at least 3 (a group needs three members)")
    if sc.pool.initial_from and not Path(sc.pool.initial_from).is_file():
        raise ScenarioError(source, "pool.initial_from", sc.pool.initial_from,
                            "an existing customers.csv written by `python -m sim calibrate` (or empty)")
    if sc.pool.initial_from:
        read_customers(sc.pool.initial_from, copy=False)   # the reader the run uses: every cell checked (cached)
    if sc.offers.discount_every_days and sc.offers.discount_days > sc.offers.discount_every_days:
        raise ScenarioError(source, "offers.discount_days", sc.offers.discount_days,
                            f"at most offers.discount_every_days ({sc.offers.discount_every_days})")
    _check_calendar(sc, source)
    if sc.sales.enabled:
        total = sum(getattr(sc.sales, c).share for c in SALES_CHANNELS)
        if abs(total - 1) > 1e-6:
            raise ScenarioError(source, "sales.*.share", round(total, 6), "sales channel shares that add up to 1")
    if sc.tiers.enabled:
        _check_tiers(sc, source)


def _check_tiers(sc: Scenario, source: str) -> None:
    """Tier thresholds rising; an exclusive group needs groups with tiering; a tier's coupon needs the strategy's
    discount days."""
    t = sc.tiers
    thr = thresholds(t)
    for lo, hi in zip(TIERS[1:], TIERS[2:]):
        if getattr(t, hi).threshold_rmb <= getattr(t, lo).threshold_rmb:
            raise ScenarioError(source, f"tiers.{hi}.threshold_rmb", getattr(t, hi).threshold_rmb,
                                f"above tiers.{lo}.threshold_rmb ({getattr(t, lo).threshold_rmb:g}): thresholds rise "
                                f"tier by tier ({', '.join(f'{v:g}' for v in thr[1:])} given)")
    for name in TIERS[1:]:
        if getattr(t, name).exclusive_group and not (sc.groups.size > 0 and sc.groups.tiering):
            raise ScenarioError(source, f"tiers.{name}.exclusive_group", True, "false unless groups.size > 0 and "
                                "groups.tiering is true (the exclusive group is the groups' VIP tier)")
    o = sc.offers
    for name in TIERS:
        depth = getattr(t.playbook, name).offers.discount_depth
        if depth is not None and depth > 0 and not (o.discount_every_days > 0 and o.discount_depth > 0):
            raise ScenarioError(source, f"tiers.playbook.{name}.offers.discount_depth", depth,
                                "0 or empty unless the strategy runs discount days (offers.discount_every_days and "
                                "offers.discount_depth above 0): a tier's coupon comes on those days")


def _check_calendar(sc: Scenario, source: str) -> None:
    """Each event's days: dates readable (calendar.start_date set), start <= end."""
    cal = sc.calendar
    for i, ev in enumerate(cal.events):
        key = f"calendar.events.{i}"
        try:
            (start, end), = event_windows(cal.model_copy(update={"events": [ev]}))
        except ValueError as exc:
            raise ScenarioError(source, key, f"{ev.start} .. {ev.end}", str(exc)) from None
        if end < start:
            raise ScenarioError(source, key + ".end", ev.end, f"a day at or after the event's start (day {start})")


def load_scenario(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> Scenario:
    """Read, merge (`extends:`) and validate a scenario file; apply dotted overrides.

    `path` is a file or a shipped scenario's name ('baseline', 'cases/hair_clinic': sim.core.places);
    `path=None` gives the built-in defaults. Raises ScenarioError (one line: file,
    key, value, what is allowed) on any bad input.
    """
    if path is None:
        data, source = {}, "<defaults>"
    else:
        p = find_scenario(path)
        data, source = _read_yaml(p), str(p)
        data.setdefault("name", p.stem)
    sc = _validate(data, source)
    if overrides:
        sc = sc.with_overrides(overrides, source=f"{source} (override)")
    return sc


def parse_value(text: str) -> Any:
    """A --set / --grid value as a scenario file would read it (numbers incl. 1e5, booleans, text)."""
    return parse_scalar(text, source=f"value {_clip(text)!r}")
