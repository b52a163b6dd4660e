"""siyu-lab: a strategy simulation lab for private traffic pools (私域).

    import sim
    sc = sim.load_scenario("scenarios/baseline.yaml", {"messaging.per_week": 3})
    res = sim.run(sc, seed=1)
    res.daily, res.summary, res.users
"""
from .engine import run
from .errors import ScenarioError, UsageError
from .result import Result
from .scenario import Scenario, load_scenario

__all__ = ["run", "load_scenario", "Scenario", "Result", "ScenarioError", "UsageError"]
