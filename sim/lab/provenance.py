"""Where each input of a run came from: a setting of the strategy, a default (with its source in the
schema), fitted from a brand's own data, or the user's own what-if (`--set`). Read by the report's and
the deck's assumptions and by the findings.

    provenance(sc)                                   # {key: Provenance} for every scenario key
    provenance(sc, fitted=fitted_marks("out/cal/scenario.yaml"))   # keys `calibrate` marked as fitted
    provenance(sc, fitted=fitted_by(cal))            # the keys a Calibration fitted (cal.params)
    provenance(sc, what_if={"market.price_rmb": 300})   # the user's own settings (report / compare --set)

A key the user set for this run (`what_if`, e.g. `report --set`) is the user's what-if, whatever its
value; a value equal to the schema's default is the default (whatever file set it), a value fitted by
`sim calibrate` is fitted (the scenario file it writes marks those keys with `# fitted from FILE on
DATE`, `FITTED_MARK`; `dotted_lines` is the one walk that writes and reads the marks), any other value is
a setting of the scenario that holds it.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..core.places import find_scenario
from ..core.scenario import Scenario, iter_schema
from ..core.schema_info import evidence_kind
from .experiments import DISPLAY_KEYS, flat_settings

FITTED_MARK = "# fitted from "
RANGE_MARK = "; 95% range "        # after the fitted mark: the fit's approximate 95% range of the key
KINDS = ("setting", "default", "fitted", "what_if")


@dataclass(frozen=True)
class Provenance:
    """One input: its value, unit, meaning and default (from the schema), and where it came from: `kind` is
    'setting' (the scenario or the run sets it away from the default), 'default' (the schema's, `source`
    says on what it rests), 'fitted' (`source` names the data and the date) or 'what_if' (the user set it
    for this run: `source` is the schema's source of the default it replaces). `evidence` is what the value
    rests on: 'fitted', 'cited' or 'assumed' (a default's, schema_info.evidence_kind), or 'setting' (a
    decision, the scenario's own figure or the user's what-if)."""
    key: str
    value: object
    kind: str
    source: str
    unit: str
    meaning: str
    default: object
    evidence: str = "assumed"


@lru_cache(maxsize=1)
def schema_table() -> dict[str, tuple]:
    """{key: (default, unit, meaning, source)} of every schema key (display keys aside)."""
    defaults = flat_settings(Scenario().model_dump())          # the effective defaults (channels have their own)
    return {k: (defaults.get(k, d), unit, meaning, source) for k, _t, d, _r, unit, meaning, source in iter_schema()
            if k not in DISPLAY_KEYS}


def provenance(sc: Scenario, fitted: Mapping[str, str] | None = None,
               what_if: Mapping | None = None) -> dict[str, Provenance]:
    """{key: Provenance} of every key of `sc`, in schema order. `fitted`: {key: where it was fitted from};
    `what_if`: the keys the user set for this run (their values are read from `sc`)."""
    fitted, what_if = dict(fitted or {}), set(what_if or ())
    flat = flat_settings(sc.model_dump())
    out = {}
    for key, (default, unit, meaning, source) in schema_table().items():
        v = flat.get(key)
        if key in what_if:
            kind, src, ev = "what_if", source, "setting"
        elif key in fitted:
            kind, src, ev = "fitted", fitted[key], "fitted"
        elif v == default:
            kind, src, ev = "default", source, evidence_kind(source)
        else:
            kind, src, ev = "setting", f"set by {sc.name}", "setting"
        out[key] = Provenance(key=key, value=v, kind=kind, source=src, unit=unit, meaning=meaning, default=default,
                              evidence=ev)
    return out


def dotted_lines(text: str) -> Iterator[tuple[str | None, str]]:
    """(dotted key of the line, line) for each line of a YAML scenario dump (one value per line, nested by
    indentation); the key is None for a comment or blank line."""
    stack: list[tuple[int, str]] = []
    for line in text.split("\n"):
        body = line.strip()
        if not body or body.startswith("#"):
            yield None, line
            continue
        indent = len(line) - len(line.lstrip())
        stack = [s for s in stack if s[0] < indent]
        key = body.split(":", 1)[0]
        yield ".".join([s[1] for s in stack] + [key]), line
        if line.split(FITTED_MARK)[0].rstrip().endswith(":"):
            stack.append((indent, key))


def fitted_marks(path, _chain: tuple = ()) -> dict[str, str]:
    """{key: 'fitted from FILE on DATE[; 95% range LO .. HI]'} of the keys a calibrated scenario file marks,
    with those of the files it `extends:` that it does not set again (none for a file without marks, or a
    name that is not a file)."""
    p = Path(path)
    if not p.is_file() or p.resolve() in _chain:
        return {}
    lines = list(dotted_lines(p.read_text(encoding="utf-8", errors="replace")))
    out: dict[str, str] = {}
    parent = next((line.split(":", 1)[1].split("#", 1)[0].strip().strip("'\"") for key, line in lines
                   if key == "extends" and not line[:1].isspace()), None)
    if parent:
        out.update(fitted_marks(find_scenario(parent, relative_to=p.parent), _chain + (p.resolve(),)))
    for key, line in lines:
        if key and FITTED_MARK in line:
            out[key] = "fitted from " + line.split(FITTED_MARK, 1)[1].strip()
        elif key:
            out.pop(key, None)                             # set again here: this file's value, not the fit
    return out


def fitted_ranges(path) -> dict[str, tuple[float, float]]:
    """{key: (low, high)}: the fit's 95% range of each key a calibrated scenario file marks with one."""
    return ranges_of(fitted_marks(path))


def ranges_of(marks: Mapping[str, str]) -> dict[str, tuple[float, float]]:
    """{key: (low, high)} of the marks ({key: fitted_text}) that carry a 95% range."""
    out = {}
    for key, text in marks.items():
        if RANGE_MARK.strip() in text:
            lo, _, hi = text.split(RANGE_MARK.strip(), 1)[1].strip().partition(" .. ")
            try:
                out[key] = (float(lo), float(hi))
            except ValueError:
                continue                                   # a hand-edited mark: no range
    return out


def evidence_counts(sc: Scenario, fitted: Mapping[str, str] | None = None) -> dict[str, list[str]]:
    """{evidence kind: [keys]} of every input of `sc` (provenance's `evidence`), in schema order."""
    out: dict[str, list[str]] = {k: [] for k in ("fitted", "cited", "assumed", "setting")}
    for key, p in provenance(sc, fitted).items():
        out[p.evidence].append(key)
    return out


def fitted_text(source: str, on: str, rng=None) -> str:
    """'fitted from SOURCE on DATE[; 95% range LO .. HI]': the one wording of a fitted key's mark."""
    return f"fitted from {source} on {on}" + ("" if rng is None else f"{RANGE_MARK}{rng[0]:g} .. {rng[1]:g}")


def fitted_by(cal) -> dict[str, str]:
    """{key: fitted_text} of the keys a `sim.lab.calibrate.Calibration` fitted (its `params`), with their ranges."""
    return {k: fitted_text(Path(cal.source).name, cal.fitted_on, cal.uncertainty.get(k)) for k in cal.params}


__all__ = ["FITTED_MARK", "KINDS", "RANGE_MARK", "Provenance", "dotted_lines", "evidence_counts", "fitted_by",
           "fitted_marks", "fitted_ranges", "fitted_text", "provenance", "ranges_of", "schema_table"]
