"""What each input rests on (issue 27 item 5): fitted from the brand's data, cited, assumed or a setting, in
`python -m sim schema`, the plausibility table and the plausible worlds (fitted keys drawn from their fitted
95% range, assumed ones from their plausible range)."""
from __future__ import annotations

import sim
from sim.cli import main
from sim.core.schema_info import evidence_kind, iter_schema, schema_text
from sim.lab.plausibility import Plausibility
from sim.lab.provenance import evidence_counts, fitted_marks, fitted_ranges, fitted_text, provenance
from sim.lab.robustness import shared_fitted_ranges, world_assumptions

CALIBRATED = """name: shop_calibrated
market:
  purchase_cycle_days: 64.5  # {cycle}
  users: 5000
  repeat_burst: 1.2  # {burst}
"""


def write_calibrated(tmp_path):
    """A scenario file as `sim calibrate` writes it (two fitted keys with their ranges) and a strategy extending it."""
    text = CALIBRATED.format(cycle=fitted_text("shop.csv", "2026-01-02", (55.0, 75.25)),
                             burst=fitted_text("shop.csv", "2026-01-02", (0.8, 1.6)))
    (tmp_path / "status_quo.yaml").write_text(text)
    (tmp_path / "weekly.yaml").write_text("extends: status_quo.yaml\nname: weekly\nmessaging:\n  per_week: 1\n")
    (tmp_path / "own_burst.yaml").write_text("extends: status_quo.yaml\nname: own\nmarket:\n  repeat_burst: 0.5\n")
    return tmp_path / "status_quo.yaml", tmp_path / "weekly.yaml", tmp_path / "own_burst.yaml"


def test_evidence_kind_is_read_from_the_source_text():
    assert evidence_kind("assumption; Douyin tickets average ~69 RMB [003]") == "assumed"
    assert evidence_kind("") == "assumed"
    assert evidence_kind("decision (example setting)") == "setting"
    assert evidence_kind("decision; seed 003: WeChat caps a group at 500") == "setting"
    assert evidence_kind("seed 003: 'only a few percent' without a prior purchase") == "cited"
    kinds = {k: evidence_kind(s) for k, *_, s in iter_schema()}
    assert kinds["market.pool_buy_lift"] == "cited" and kinds["acquisition.daily_budget"] == "setting"
    assert kinds["groups.size"] == "setting"            # a lever, though its source names the seed


def test_marks_carry_the_range_and_follow_extends(tmp_path):
    quo, weekly, own = write_calibrated(tmp_path)
    assert fitted_ranges(quo) == {"market.purchase_cycle_days": (55.0, 75.25), "market.repeat_burst": (0.8, 1.6)}
    assert fitted_marks(weekly) == fitted_marks(quo)     # inherited through extends:
    assert set(fitted_marks(own)) == {"market.purchase_cycle_days"}   # its own repeat_burst is not the fit
    inputs = provenance(sim.load_scenario(weekly), fitted_marks(weekly))
    assert inputs["market.purchase_cycle_days"].evidence == "fitted"
    assert inputs["messaging.per_week"].evidence == "setting" and inputs["market.lapse_per_year"].evidence == "assumed"


def test_schema_lists_the_evidence_of_every_key(tmp_path, capsys):
    quo, *_ = write_calibrated(tmp_path)
    text = schema_text()
    assert "[evidence: cited]" in text and "[evidence: assumed]" in text and "[evidence: setting]" in text
    md = schema_text(markdown=True)
    assert "| evidence |" in md.splitlines()[0]
    assert main(["schema", "--scenario", str(quo)]) == 0
    out = capsys.readouterr().out
    block = out.split("market.purchase_cycle_days", 1)[1].split("\nmarket.", 1)[0]
    assert "[evidence: fitted (fitted from shop.csv on 2026-01-02; 95% range 55 .. 75.25)]" in block


def test_plausibility_counts_what_the_inputs_rest_on(tmp_path):
    quo, weekly, _ = write_calibrated(tmp_path)
    counts = evidence_counts(sim.load_scenario(weekly), fitted_marks(weekly))
    assert sorted(counts["fitted"]) == ["market.purchase_cycle_days", "market.repeat_burst"]
    p = Plausibility("weekly", 1, 100, 30, (), counts)
    line = p.inputs_line()
    assert line.startswith("inputs: 2 fitted from data, ") and "fitted: market.purchase_cycle_days, market.repeat_burst" in line
    base = evidence_counts(sim.load_scenario("baseline"))
    assert not base["fitted"] and len(base["assumed"]) > len(base["cited"]) > 10


def test_worlds_draw_fitted_keys_from_their_fitted_range(tmp_path):
    quo, weekly, own = write_calibrated(tmp_path)
    fitted = shared_fitted_ranges(str(quo), str(weekly))
    assert fitted == {"market.purchase_cycle_days": (55.0, 75.25), "market.repeat_burst": (0.8, 1.6)}
    a, b = sim.load_scenario(quo), sim.load_scenario(weekly)
    worlds = world_assumptions(a, b, fitted=fitted)
    assert worlds["market.purchase_cycle_days"][0] == (55.0, 75.25)
    assert worlds["market.repeat_burst"][0] == (0.8, 1.6)        # the fit's range, not the schema's
    plain = world_assumptions(a, b)                               # without the marks: the schema's range, scaled
    assert plain["market.purchase_cycle_days"][0] != (55.0, 75.25)
    assert "market.repeat_burst" not in shared_fitted_ranges(str(quo), str(own))   # set differently: not shared
    assert shared_fitted_ranges(a, b) == {}                       # Scenario objects carry no marks
    assert shared_fitted_ranges(fitted_marks(quo), fitted_marks(weekly)) == fitted   # the findings pass marks
