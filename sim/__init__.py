"""siyu-lab: a strategy simulation lab for private traffic pools (私域).

    import sim
    sc = sim.load_scenario("baseline", {"messaging.per_week": 3})   # a file, or a shipped scenario's name
    res = sim.run(sc, seed=1)
    res.daily, res.summary, res.users
    cmp = sim.compare([a, b], seeds=5)          # paired seeds (common random numbers)
    f = sim.findings_of(cmp)                    # typed findings, each verdict checked in 16 plausible worlds
    table = sim.sweep(sc, grid={...}, out="out/sweep"); sim.load_sweep("out/sweep")
    cal = sim.calibrate("orders.csv", holdout_from="2024-07-01")   # fit to a brand's own orders

Layers (each may import only the layers before it, and no module imports itself through others;
tests/test_layout.py enforces both):

    core        scenario schema, population arrays, random streams, ledger, results, files, errors
    data        a brand's own files as they come: encodings, .xlsx, platform exports (orders, contacts)
    mechanisms  one module per mechanism of the pool (imports core; mechanisms may use each other)
    engine      the model that composes the mechanisms into a day, and `run`
    lab         experiments on the engine: seeds, comparisons, sweeps, sensitivity, validation, reference;
                the typed findings it hands to presentation (lab.findings, lab.verdicts, lab.provenance)
    present     renders findings and nothing else: words, one number formatter, tables, charts, sentences,
                dashboard, report, deck, notebook execution
    cli         the command line, on top of everything (`siyu-lab` or `python -m sim`)

Beside the code, `sim.scenarios` is data: the shipped strategies and cases (the checkout's scenarios/
folder, mapped into the package by pyproject.toml; sim.core.places finds them). `pip install siyu-lab`
brings what `import sim` and every command need; extras add the notebooks (`lab`), Dask (`dist`) and the
test suite (`test`).
"""
from .core.errors import ScenarioError, UsageError
from .core.result import Result
from .core.scenario import Scenario, load_scenario
from .engine.runner import run

_LAZY = {"compare": "sim.lab.experiments", "run_many": "sim.lab.experiments",
         "sweep": "sim.lab.sweep", "load_sweep": "sim.lab.sweep", "calibrate": "sim.lab.calibrate",
         "explain": "sim.lab.explain", "robustness": "sim.lab.robustness", "optimise": "sim.lab.optimise",
         "findings_of": "sim.lab.findings"}


def __getattr__(name):
    """`sim.compare`, `sim.run_many`, `sim.sweep`, `sim.load_sweep`, `sim.calibrate`, `sim.explain`,
    `sim.robustness`, `sim.optimise`, `sim.findings_of`, imported on first use (keeps `import sim` light)."""
    if name in _LAZY:
        import importlib
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


__all__ = ["run", "load_scenario", "Scenario", "Result", "ScenarioError", "UsageError", "compare", "run_many",
           "sweep", "load_sweep", "calibrate", "explain", "robustness", "optimise", "findings_of"]
