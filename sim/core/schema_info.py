"""The schema as a list: every leaf key of a scenario with its type, default, bounds, unit, meaning and
source (`iter_schema`), the plausible ranges of the assumptions (`plausible_ranges`) and the words used
in error messages; as text (`schema_text`: what `python -m sim schema [--markdown]` prints). Read by
`python -m sim schema`, docs/model.md and the lab's tools.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ValidationError

from .schema import Sections


def _leaf_fields(model: type[BaseModel] | None = None, prefix: str = ""):
    """Yield (dotted_key, pydantic field) for every leaf key, sections walked in order (default: the whole scenario)."""
    model = Sections if model is None else model
    for name, field in model.model_fields.items():
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            yield from _leaf_fields(ann, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", field


def iter_schema(model: type[BaseModel] | None = None, prefix: str = ""):
    """Yield (dotted_key, type, default, range, unit, meaning, source) for every leaf key. The default is
    the one a scenario gets: a section made by its own factory (each platform's channel) has its own."""
    defaults = _default_instance(model)
    for key, field in _leaf_fields(model, prefix):
        ann = field.annotation
        extra = field.json_schema_extra or {}
        default = _effective_default(defaults, key[len(prefix):], field)
        lo, hi, _ = _bounds(field)
        if getattr(ann, "__origin__", None) is Literal:
            rng = " | ".join(str(a) for a in ann.__args__)
            typ = "choice"
        else:
            typ = getattr(ann, "__name__", str(ann))
            rng = "" if lo is None and hi is None else f"{_fmt(lo)} .. {_fmt(hi)}"
        yield key, typ, default, rng, extra.get("unit", "-"), field.description or "", extra.get("source", "assumption")


def _default_instance(model: type[BaseModel] | None):
    """The model built with every default (None when it cannot be built without arguments)."""
    model = Sections if model is None else model
    try:
        return model()
    except ValidationError:                            # a section with a required key: field defaults only
        return None


def _effective_default(instance, key: str, field):
    """The value at dotted `key` in the default instance, else the field's own default."""
    if instance is None:
        return field.get_default(call_default_factory=True)
    value = instance
    for part in key.split("."):
        value = getattr(value, part)
    return value


def _bounds(field) -> tuple:
    """(low, high, low is strict) of a field's ge/gt/le constraints (None where unbounded)."""
    lo = hi = None
    strict = False
    for m in field.metadata:
        if getattr(m, "ge", None) is not None:
            lo, strict = m.ge, False
        if getattr(m, "gt", None) is not None:
            lo, strict = m.gt, True
        if getattr(m, "le", None) is not None:
            hi = m.le
    return lo, hi, strict


def numeric_bounds(model: type[BaseModel] | None = None) -> dict[str, tuple]:
    """{dotted key: (low, high, low is strict)} of every leaf key's allowed range."""
    return {key: _bounds(f) for key, f in _leaf_fields(model)}


def _fmt(v):
    if v is None:
        return ""
    return f"{v:g}" if isinstance(v, float) else str(v)


def plausible_ranges(model: type[BaseModel] | None = None, prefix: str = "") -> dict[str, tuple[tuple, str]]:
    """{dotted key: ((low, high) or (option, ...), why)} for every key with a plausible range."""
    return {key: (tuple(f.json_schema_extra["plausible"]), f.json_schema_extra["why"])
            for key, f in _leaf_fields(model, prefix) if "plausible" in (f.json_schema_extra or {})}


EVIDENCE_KINDS = ("fitted", "cited", "assumed", "setting")


def evidence_kind(source: str) -> str:
    """What a default rests on, from its schema source text: 'setting' (a decision, a run setting or a
    label: the user's choice, not a claim about the world), 'assumed' (the text opens with 'assumption',
    however it goes on) or 'cited' (a seed, a paper, a practitioner's or a company's figure). A key fitted
    from the brand's data is 'fitted' (sim.lab.provenance reads the scenario's marks); this is the one rule."""
    head = (source or "assumption").strip().lower()
    if head.startswith(("decision", "run setting", "label")):
        return "setting"
    return "assumed" if head.startswith("assumption") else "cited"


def schema_keys() -> list[str]:
    return [row[0] for row in iter_schema()]


def _item_key(key: str) -> tuple[type[BaseModel] | None, str]:
    """(the item model, the key inside it) for a key inside a list of sections ('calendar.events.0.depth' ->
    (Event, 'depth')); (None, key) otherwise."""
    parts = key.split(".")
    for i, part in enumerate(parts):
        if part.isdigit():
            fields = dict(_leaf_fields())
            field = fields.get(".".join(parts[:i]))
            args = getattr(field.annotation, "__args__", ()) if field is not None else ()
            if args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
                return args[0], ".".join(parts[i + 1:])
    return None, key


def _describe_allowed(key: str) -> str:
    model, key = _item_key(key)
    for k, typ, _d, rng, unit, meaning, _s in iter_schema(model):
        if k == key:
            what = f"{typ}" + (f" in {rng}" if rng else "") + (f" ({unit})" if unit != "-" else "")
            if typ == "choice":
                what = f"one of {rng}"
            return what
    return "a section (mapping)"


def _plausible_text(key: str, ranges: dict) -> str:
    """'0.2 .. 0.5: reason' (or 'a | b: reason') for a key with a plausible range, else ''."""
    if key not in ranges:
        return ""
    vals, why = ranges[key]
    span = " .. ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in vals) if len(vals) == 2 and not \
        isinstance(vals[0], str) else " | ".join(map(str, vals))
    return f"{span}: {why}"


def schema_text(markdown: bool = False, fitted: dict | None = None) -> str:
    """Every key with its type, default, range, unit, meaning, source, evidence (`evidence_kind`, or 'fitted'
    for the keys of `fitted`: {key: 'fitted from FILE on DATE ...'}) and plausible range: as a Markdown
    table (the one docs/model.md holds) or as an indented list."""
    ranges = plausible_ranges()
    fitted = dict(fitted or {})

    def evidence(key, source):
        return f"fitted ({fitted[key]})" if key in fitted else evidence_kind(source)
    if markdown:
        lines = ["| key | type | default | range | unit | meaning | source | evidence | plausible: why |",
                 "|---|---|---|---|---|---|---|---|---|"]
        lines += ["| " + " | ".join(str(x).replace("|", "\\|") for x in (*r, evidence(r[0], r[6]),
                                                                         _plausible_text(r[0], ranges))) + " |"
                  for r in iter_schema()]
        return "\n".join(lines)
    out = []
    for key, typ, default, rng, unit, meaning, source in iter_schema():
        plaus = _plausible_text(key, ranges)
        out.append(f"{key}  ({typ}, default {default!r}{', ' + rng if rng else ''}{', ' + unit if unit != '-' else ''})\n"
                   f"    {meaning}  [source: {source}]  [evidence: {evidence(key, source)}]"
                   + (f"\n    plausible {plaus}" if plaus else ""))
    return "\n".join(out)
