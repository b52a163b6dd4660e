"""Reading scenario YAML defensively: bounded, strict, with one-line errors.

`read_document(path)` and `parse_scalar(text)` are the only ways the lab turns YAML text
into Python values. Compared with `yaml.safe_load` they
  - refuse files over MAX_FILE_BYTES, NUL bytes, byte-order marks and non-UTF-8 text;
  - refuse a key given twice in one mapping (naming both lines);
  - bound nesting depth (MAX_DEPTH), aliases (MAX_ALIASES) and the size of the document
    with every alias expanded (MAX_NODES), so an alias bomb or `[[[[...` cannot hang or crash;
  - read `1e5` and `2.5E-3` as numbers (YAML 1.2 floats; PyYAML's YAML 1.1 reads them as text);
  - keep as text what YAML 1.1 reads as a number other than the one a person means (a leading zero
    is octal, 020 = 16; 0x1F, 0o17, 0b11; base 60, 1:30 = 90): a number key refuses it, naming what
    to write instead (`number_hint`, used by the scenario's type check and the CLI's size options).
`dump(data)` writes YAML that reads back to the same values, every string on one line; `comment(text)`
escapes text for a one-line comment.
Errors are ScenarioError(source, None, None, what is wrong) with a line number where known.
"""
from __future__ import annotations

import math
import os
import re
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import ScenarioError
from .errors import clip as _clip
from .files import oversize

MAX_FILE_BYTES = 1_000_000      # a scenario is a few KB; anything this large is not one
MAX_DEPTH = 20                  # sections are at most 3 levels deep
MAX_ALIASES = 100
MAX_NODES = 100_000             # values in the document with every alias expanded

_FLOAT_TAG, _INT_TAG, _STR_TAG = "tag:yaml.org,2002:float", "tag:yaml.org,2002:int", "tag:yaml.org,2002:str"
_INT_RE = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")                 # decimal integers only (100_000 too)
_YAML11_NUMBER_RE = re.compile(r"""^[-+]?(?:0[0-9_]+                  # leading zero: octal in YAML 1.1
                                    |0[xXoObB][0-9a-fA-F_]*           # hexadecimal, octal, binary prefixes
                                    |[0-9][0-9_]*(?::[0-9_]*)+(?:\.[0-9_]*)?)$""", re.X)   # base 60: 1:30
_BASES = {"x": (16, "hexadecimal"), "o": (8, "octal"), "b": (2, "binary")}
_FLOAT_RE = re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?
                            |[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?
                            |[-+]?\.(?:inf|Inf|INF)
                            |\.(?:nan|NaN|NAN))$""", re.X)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader with duplicate-key, depth, alias and expanded-size limits, YAML 1.2 floats, decimal
    integers only, and YAML 1.1's other numbers (020, 0x1F, 1:30) kept as text."""

    yaml_implicit_resolvers = {ch: [r for r in rs if r[0] not in (_FLOAT_TAG, _INT_TAG)]
                               for ch, rs in yaml.SafeLoader.yaml_implicit_resolvers.items()}

    def __init__(self, stream, source: str):
        super().__init__(stream)
        self.source, self._depth, self._aliases = source, 0, 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise ScenarioError(self.source, None, None, f"more than {MAX_ALIASES} YAML aliases (*name); "
                                    f"write the values out")
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            line = self.peek_event().start_mark.line + 1
            raise ScenarioError(self.source, None, None, f"nested more than {MAX_DEPTH} levels deep (line {line})")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode):
                key = self.construct_scalar(key_node)
                if key in seen:
                    raise ScenarioError(self.source, None, None,
                                        f"key '{_clip(key)}' appears twice in one section (lines {seen[key]} and "
                                        f"{key_node.start_mark.line + 1}); keep one")
                seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


_StrictLoader.add_implicit_resolver(_STR_TAG, _YAML11_NUMBER_RE, list("-+0123456789"))   # first: wins over the two below
_StrictLoader.add_implicit_resolver(_INT_TAG, _INT_RE, list("-+0123456789"))
_StrictLoader.add_implicit_resolver(_FLOAT_TAG, _FLOAT_RE, list("-+0123456789."))
_StrictLoader.add_constructor(_FLOAT_TAG, lambda loader, node: float(loader.construct_scalar(node).replace("_", "")
                                                                     .lower().replace(".inf", "inf")
                                                                     .replace(".nan", "nan")))


def _expanded_size(node, memo: dict) -> int:
    """Values in the tree under `node` with aliases expanded (shared nodes counted per use)."""
    if id(node) in memo:
        return memo[id(node)]
    if isinstance(node, SequenceNode):
        n = 1 + sum(_expanded_size(c, memo) for c in node.value)
    elif isinstance(node, MappingNode):
        n = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    else:
        n = 1
    memo[id(node)] = min(n, MAX_NODES + 1)
    return memo[id(node)]


def _load(text: str, source: str):
    loader = None
    try:
        loader = _StrictLoader(text, source)
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, {}) > MAX_NODES:
            raise ScenarioError(source, None, None, f"more than {MAX_NODES:,} values once YAML aliases are "
                                "expanded; write the values out")
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(source, None, None, f"not valid YAML ({where}{_clip(problem)})") from None
    finally:
        if loader is not None:
            loader.dispose()


def decode(raw: bytes, source: str) -> str:
    """Scenario text from file bytes: UTF-8 without BOM or NUL bytes, at most MAX_FILE_BYTES."""
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(source, None, None, oversize(len(raw), MAX_FILE_BYTES, "a scenario file"))
    if raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        raise ScenarioError(source, None, None, "starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
    if b"\x00" in raw:
        line = raw[:raw.index(b"\x00")].count(b"\n") + 1
        raise ScenarioError(source, None, None, f"contains a NUL byte (line {line}); a scenario is a UTF-8 text file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ScenarioError(source, None, None, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}); "
                            "save it as UTF-8") from None


def read_document(path: Path, source: str | None = None):
    """The YAML document in `path` (None if it holds no document), read under the limits above: the size is
    checked before reading, and at most MAX_FILE_BYTES + 1 bytes are read."""
    source = source or str(path)
    try:
        with open(path, "rb") as fh:
            too_big = oversize(os.fstat(fh.fileno()).st_size, MAX_FILE_BYTES, "a scenario file")
            if too_big:
                raise ScenarioError(source, None, None, too_big)
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(source, None, None, f"cannot read the file ({exc.strerror or exc})") from None
    return _load(decode(raw, source), source)


def parse_scalar(text: str, source: str = "<value>"):
    """A command-line value as a scenario file would read it (numbers, booleans, text); text if not YAML."""
    if "\x00" in text:
        raise ScenarioError(source, None, None, "contains a NUL byte")
    try:
        return _load(text, source)
    except ScenarioError:
        return text


def number_hint(text) -> str | None:
    """What to write instead of `text` when YAML 1.1 reads it as a number other than the one a person means
    (a leading zero is octal: 020 = 16; 0x1F, 0o17, 0b11; base 60: 1:30 = 90), e.g. "a decimal number: write
    20 ..."; None for any other value."""
    if not isinstance(text, str) or not _YAML11_NUMBER_RE.match(text.strip()):
        return None
    t = text.strip()
    sign = "-" if t.startswith("-") else ""
    body = t.lstrip("+-").replace("_", "")
    if ":" in body:
        parts = [float(p or 0) for p in body.split(":")]
        base60 = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
        hours = sum(p / 60 ** i for i, p in enumerate(parts))
        return (f"one decimal number in the key's unit, e.g. {sign}{hours:g} if {t} means hours:minutes "
                f"(YAML 1.1 reads {t} as {sign}{base60:g}, base 60)")
    if body[1:2].isalpha():
        base, name = _BASES[body[1].lower()]
        try:
            return f"a decimal number: write {sign}{int(body[2:], base)} ({t} is {name})"
        except ValueError:
            return f"a decimal number ({t} is not one)"
    octal = f" as octal {sign}{int(body, 8)}" if set(body) <= set("01234567") else " differently"
    return f"a decimal number: write {sign}{int(body)} without the leading zero (YAML 1.1 reads {t}{octal})"


class _OneLineDumper(yaml.SafeDumper):
    """SafeDumper that writes a string holding a line break or another non-printable character in double
    quotes with escapes (\\n, \\x85, \\L), so every value stays on its line and reads back unchanged."""


def _represent_str(dumper, text: str):
    style = '"' if any(not c.isprintable() for c in text) else None
    return dumper.represent_scalar(_STR_TAG, text, style=style)


_OneLineDumper.add_representer(str, _represent_str)


def comment(text) -> str:
    """`text` as the body of a one-line YAML comment: line breaks and other non-printable characters escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


def dump(data) -> str:
    """`data` as YAML (keys in their order, Unicode as is, no line folding) that reads back to the same values."""
    return yaml.dump(data, Dumper=_OneLineDumper, sort_keys=False, allow_unicode=True, width=math.inf)
