"""Every stored id is made by sim.lab.digest and stays what it was before that module existed.

Run ids, scenario hashes and checksums name files of stored sweeps, study names find Optuna studies
to resume, refcache keys find cached reference runs: a changed byte loses them. The expected strings
below were computed by the code of main at 5c942d2, before sim/lab/digest.py existed, on the
baseline scenario at 1,000 users x 30 days as that code dumped it (tests/frozen_ids/). The scenario
is read back from those files, not resolved again, so a parameter added to the schema later does not
move the pins; what is pinned is how each id is built.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from types import SimpleNamespace

import pytest

from sim.lab import optimise, sweep, sweep_store
from sim.lab.digest import canonical, digest, jsonable, sha256_hex
from sim.present import refcache

FROZEN = Path(__file__).resolve().parent / "frozen_ids"
DUMP = json.loads((FROZEN / "baseline_1000x30.json").read_text(encoding="utf-8"))
YAML = (FROZEN / "baseline_1000x30.yaml").read_text(encoding="utf-8")
PARAMS = {"messaging.per_week": 3, "pool.container": "wecom"}
LEVERS = {"messaging.per_week": (1, 7), "pool.container": ["personal", "wecom"]}
CONSTRAINTS = {"buyers": (">=", 10.0)}
ENGINE = "0123456789ab"


class FrozenScenario:
    """What the id functions read of a Scenario, from the frozen dump and YAML."""

    def __init__(self, dump=DUMP, yaml=YAML):
        self.dump, self.yaml = dump, yaml
        self.name, self.horizon_days = dump["name"], dump["horizon_days"]
        self.market = SimpleNamespace(users=dump["market"]["users"], agents=dump["market"]["agents"])

    def model_dump(self, mode):
        assert mode == "json"
        return json.loads(json.dumps(self.dump))

    def to_yaml(self):
        return self.yaml


def record(sc, seed=7, profit=1234.5):
    return {"run_id": sweep._run_id(sc, seed), "scenario": "baseline",
            "key": {**sweep_store.run_key(sc, PARAMS, seed), "engine": ENGINE},
            "summary": {"profit_rmb": profit, "buyers": 17, "roi": None}, "seconds": 0.25, "cpu_seconds": 0.2}


def ids(sc, monkeypatch, seed=7) -> dict:
    monkeypatch.setattr(refcache, "engine_fingerprint", lambda: ENGINE)
    return {"run_id": sweep._run_id(sc, seed),
            "scenario_hash": sweep_store.scenario_hash(sc),
            "checksum": sweep_store.checksum(record(sc, seed)),
            "study": optimise._study_name(sc, LEVERS, "profit_rmb", "maximize", CONSTRAINTS, [0, 1, 2]),
            "refcache": refcache.run_key(sc, seed)}


# computed by main 5c942d2 (before sim/lab/digest.py), see the module docstring
PINNED = {"run_id": "eb13dd0ff56910cf19b3950f",
          "scenario_hash": "7d0c0b9ec57061ef45c11c2a",
          "checksum": "d937aaa1ecf81b2093e1ffe435d2458647b87ad66eb424cd32f7d22c4dbe50c0",
          "study": "baseline-profit_rmb-bd043331e9c9",
          "refcache": "abd44a26e7b2721ea8c52700"}


def test_every_id_is_what_it_was_before_the_one_rule(monkeypatch):
    assert ids(FrozenScenario(), monkeypatch) == PINNED


@pytest.mark.parametrize("change", ["setting", "seed", "yaml"])
def test_a_changed_run_changes_its_ids(monkeypatch, change):
    """The test of the test: the pins above are not constants that any input would give (the stand-in
    keeps its YAML apart from its dump: refcache reads the YAML, the others the dump)."""
    dump = json.loads(json.dumps(DUMP))
    seed, yaml = 7, YAML
    if change == "setting":
        dump["messaging"]["per_week"] = dump["messaging"]["per_week"] + 1
    elif change == "seed":
        seed = 8
    else:
        yaml = YAML.replace("users: 1000", "users: 1001")
    got = ids(FrozenScenario(dump, yaml), monkeypatch, seed)
    moved = {k for k in PINNED if got[k] != PINNED[k]}
    expected = {"setting": set(PINNED) - {"refcache"}, "seed": {"run_id", "checksum", "refcache"}, "yaml": {"refcache"}}[change]
    assert moved == expected


def test_a_changed_result_changes_the_checksum():
    assert sweep_store.checksum(record(FrozenScenario(), profit=1234.6)) != PINNED["checksum"]


def test_canonical_text_is_sorted_compact_and_total():
    obj = {"b": 1, "a": [1.5, None, "基线"], "c": (1, 2), "d": math.nan, "e": Path("x")}
    assert canonical(obj) == '{"a":[1.5,null,"\\u57fa\\u7ebf"],"b":1,"c":[1,2],"d":NaN,"e":"x"}'
    assert canonical(obj, spaced=True) == '{"a": [1.5, null, "\\u57fa\\u7ebf"], "b": 1, "c": [1, 2], "d": NaN, "e": "x"}'
    assert jsonable({"c": (1, 2), "e": Path("x")}) == {"c": [1, 2], "e": "x"}
    assert digest({"a": 1}) == sha256_hex(['{"a":1}'])
    assert digest({"a": 1}, 12) == digest({"a": 1})[:12] != digest({"a": 2}, 12)


def test_engine_fingerprint_construction_is_pinned(tmp_path):
    """Names then bytes of core/, mechanisms/, engine/ *.py; pinned value from main 5c942d2's body."""
    files = {"core": {"a.py": "x = 1\n", "b.py": "y = '基线'\n"}, "mechanisms": {"m.py": ""},
             "engine": {"e.py": "z = 3\n"}}
    for pkg, texts in files.items():
        (tmp_path / pkg).mkdir()
        for name, text in texts.items():
            (tmp_path / pkg / name).write_text(text, encoding="utf-8")
    assert sweep.source_fingerprint(tmp_path) == "0c5be1991ecb"
    (tmp_path / "lab").mkdir()                                   # outside the engine: no change
    (tmp_path / "lab" / "l.py").write_text("w = 0\n", encoding="utf-8")
    assert sweep.source_fingerprint(tmp_path) == "0c5be1991ecb"
    (tmp_path / "engine" / "e.py").write_text("z = 4\n", encoding="utf-8")
    assert sweep.source_fingerprint(tmp_path) != "0c5be1991ecb"


def test_the_frozen_stand_in_reads_a_scenario_as_the_id_functions_do(monkeypatch):
    """A real resolved scenario and its stand-in get the same ids, so the pins speak for real runs."""
    from sim.engine.runner import resolve
    real = resolve(Path(__file__).resolve().parents[1] / "scenarios" / "baseline.yaml", 1000, 30)
    assert ids(real, monkeypatch) == ids(FrozenScenario(real.model_dump(mode="json"), real.to_yaml()), monkeypatch)
    assert sweep.run_key(real, {}, 7) == sweep._run_id(real, 7)
