"""Lab: experiments on the engine.

`experiments` (many seeds, paired comparisons), `sweep` (resumable parameter sweeps, serial
or Dask), `sensitivity` (SALib Morris/Sobol, tornado data), `validation` (Bass diffusion
checks), `reference` (the per-agent Mesa reference model the engine is tested against).

May import: `sim.core`, `sim.mechanisms`, `sim.engine`.
"""
