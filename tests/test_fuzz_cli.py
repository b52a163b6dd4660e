"""Property-based tests (Hypothesis) of the CLI, in-process via sim.cli.main: random scenario
documents (mostly schema keys with valid, edge or wrong-typed values, some junk keys, some raw
bytes) and random --set overrides never give a traceback, only exit code 0 or 2, and nothing is
written when the exit code is 2 (and the complete run folder when it is 0).

The example counts are fixed and derandomised (the same examples on every run), sized to keep
this file well under a minute."""
from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main
from sim.core.scenario import iter_schema

ROOT = Path(__file__).resolve().parents[1]
ROWS = list(iter_schema())
KEYS = [r[0] for r in ROWS]
RUN_FILES = {"daily.csv", "summary.json", "scenario.yaml"}
FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

junk = st.one_of(st.booleans(), st.none(), st.integers(-10**20, 10**20),
                 st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
                 st.lists(st.integers(0, 9), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


def value_for(row) -> st.SearchStrategy:
    """A value for one schema key: its default, a value in or just outside its range, or junk."""
    key, typ, default, rng, *_ = row
    options = [st.just(default), junk]
    if typ == "choice":
        options.append(st.sampled_from(rng.split(" | ")))
    elif rng and typ in ("int", "float"):
        lo, hi = (float(x) for x in rng.split(" .. "))
        num = st.floats(lo - 1, hi + 1) if typ == "float" else st.integers(int(lo) - 1, int(min(hi, 10**7)) + 1)
        options.append(num)
    return st.one_of(*options)


@st.composite
def documents(draw) -> bytes:
    """A scenario file's bytes: a nested mapping from schema keys (plus junk), or raw text/bytes."""
    kind = draw(st.sampled_from(["schema", "schema", "schema", "text", "bytes"]))
    if kind == "text":
        return draw(st.text(max_size=200)).encode("utf-8")
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    doc: dict = {}
    for row in draw(st.lists(st.sampled_from(ROWS), max_size=6, unique_by=lambda r: r[0])):
        node = doc
        *parents, leaf = row[0].split(".")
        for p in parents:
            node = node.setdefault(p, {}) if isinstance(node.get(p, {}), dict) else {}
        node[leaf] = draw(value_for(row))
    for k, v in draw(st.dictionaries(st.text(min_size=1, max_size=12), junk, max_size=2)).items():
        doc[k] = v
    if draw(st.booleans()):
        doc["name"] = draw(st.one_of(st.text(max_size=30), junk))
    return yaml.safe_dump(doc, allow_unicode=True).encode("utf-8")


def call(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    return code, err.getvalue()


def check_run(argv: list[str], out: Path) -> None:
    code, err = call(argv)
    assert code in (0, 2), (code, err)
    assert "Traceback" not in err, err
    if code == 2:
        assert err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
        assert not out.exists(), "output written although the input was refused"
    else:
        assert RUN_FILES <= {p.name for p in out.iterdir()}


@FUZZ
@given(documents())
def test_random_scenario_documents(data):
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "scenario.yaml"
        f.write_bytes(data)
        out = Path(d) / "out"
        check_run(["run", str(f), "--users", "60", "--days", "3", "--quiet", "--out", str(out)], out)


settings_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
schema_setting = st.sampled_from(ROWS).flatmap(lambda row: st.tuples(st.just(row[0]), value_for(row).map(str)))
any_setting = st.tuples(st.one_of(st.sampled_from(KEYS), settings_text), settings_text)
SETTINGS = st.lists(st.one_of(schema_setting, schema_setting, any_setting), min_size=1, max_size=3)


@FUZZ
@given(SETTINGS, st.sampled_from(["run", "validate"]))
def test_random_overrides(pairs, command):
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "out"
        argv = [command, str(ROOT / "scenarios" / "baseline.yaml")]
        for k, v in pairs:
            argv += ["--set", f"{k}={v}"]
        if command == "run":
            check_run(argv + ["--users", "60", "--days", "3", "--quiet", "--out", str(out)], out)
        else:
            code, err = call(argv)
            assert code in (0, 2) and "Traceback" not in err, (code, err)


def test_the_property_check_can_fail(monkeypatch, tmp_path):
    """check_run catches an uncaught error, a second line, and output left behind on exit 2."""
    import sim.cli as cli
    from sim.core.errors import UsageError
    out = tmp_path / "out"
    argv = ["run", str(ROOT / "scenarios" / "baseline.yaml"), "--users", "60", "--days", "3", "--quiet",
            "--out", str(out)]

    def crash(*a, **k):
        raise RuntimeError("a bug")
    monkeypatch.setattr(cli, "load_scenario", crash)
    with pytest.raises(RuntimeError):
        check_run(argv, out)

    def writes_then_refuses(*a, **k):
        out.mkdir()
        raise UsageError("refused after writing")
    monkeypatch.setattr(cli, "load_scenario", writes_then_refuses)
    with pytest.raises(AssertionError, match="output written"):
        check_run(argv, out)
