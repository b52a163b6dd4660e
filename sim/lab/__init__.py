"""Lab: experiments on the engine.

`experiments` (many seeds, paired comparisons), `sweep` (resumable parameter sweeps, serial
or on Dask: the `dist` extra), `sensitivity` (SALib Morris/Sobol, tornado data: the `lab`
extra), `validation` (Bass diffusion checks), `reference` (the per-agent Mesa reference model
the engine is tested against).

May import: `sim.core`, `sim.mechanisms`, `sim.engine`.
"""
