"""Where things are (sim/core/places.py): shipped scenario names resolve from any folder, in `load_scenario`,
in `extends:` (after a file beside the extending one) and on the command line; outputs and caches go to the
checkout's out/ when run from one and to the current folder / the user's cache folder otherwise."""
from __future__ import annotations

import pytest

import sim
from sim.cli import main
from sim.core import places


@pytest.mark.parametrize("name, expect", [("baseline", "baseline"), ("discount_only.yaml", "discount_only"),
                                          ("cases/hair_clinic", "hair_clinic"), ("hair_clinic.yaml", "hair_clinic"),
                                          ("scenarios/small_groups_weekly.yaml", "small_groups_weekly")])
def test_load_scenario_takes_a_shipped_name_from_any_folder(name, expect, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert sim.load_scenario(name).name == expect


def test_extends_a_shipped_name_after_a_file_beside_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "a.yaml").write_text("extends: discount_only\nmessaging:\n  per_week: 2.5\n", encoding="utf-8")
    sc = sim.load_scenario(tmp_path / "mine" / "a.yaml")
    shipped = sim.load_scenario("discount_only")
    assert sc.messaging.per_week == 2.5 and sc.offers == shipped.offers      # the shipped file's levers
    (tmp_path / "mine" / "b.yaml").write_text("extends: cases/hair_clinic.yaml\nname: b\n", encoding="utf-8")
    assert sim.load_scenario(tmp_path / "mine" / "b.yaml").market == sim.load_scenario("cases/hair_clinic").market
    # a file beside the extending one comes first, even when it has a shipped scenario's name
    (tmp_path / "mine" / "baseline.yaml").write_text("name: local\nmessaging:\n  per_week: 9\n", encoding="utf-8")
    (tmp_path / "mine" / "c.yaml").write_text("extends: baseline.yaml\n", encoding="utf-8")
    assert sim.load_scenario(tmp_path / "mine" / "c.yaml").messaging.per_week == 9
    (tmp_path / "mine" / "d.yaml").write_text("extends: no_such_parent\n", encoding="utf-8")
    with pytest.raises(sim.ScenarioError, match="no_such_parent.*shipped scenario"):
        sim.load_scenario(tmp_path / "mine" / "d.yaml")


def test_the_command_line_takes_case_names_from_any_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "cases/hair_clinic"]) == 0
    assert "valid (hair_clinic" in capsys.readouterr().out
    assert main(["validate", "cases/no_such_case"]) == 2
    assert "no_such_case" in capsys.readouterr().err


def test_outputs_and_caches_outside_a_checkout(tmp_path, monkeypatch):
    monkeypatch.delenv("SIYU_CACHE", raising=False)
    assert places.IN_CHECKOUT and places.out_dir() == places.PROJECT_DIR / "out"
    assert places.cache_dir() == places.PROJECT_DIR / "out" / "cache"
    monkeypatch.setattr(places, "IN_CHECKOUT", False)                 # as from an installed wheel
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert places.out_dir() == tmp_path / "out"
    assert places.cache_dir() == tmp_path / "xdg" / "siyu-lab"
    monkeypatch.setenv("SIYU_CACHE", str(tmp_path / "c"))
    assert places.cache_dir() == tmp_path / "c"
