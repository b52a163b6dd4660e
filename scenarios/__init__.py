"""The scenarios the lab ships, as package data: installed as `sim.scenarios` (pyproject.toml maps this
folder there) and read through importlib.resources by sim.core.places. Not code: the strategies are the
YAML files here and in cases/."""
