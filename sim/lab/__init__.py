"""Lab: experiments on the engine.

`experiments` (many seeds, paired comparisons), `sweep` (resumable parameter sweeps, serial
or on Dask: the `dist` extra), `sensitivity` (SALib Morris/Sobol, tornado data: the `lab`
extra), `explain`, `robustness`, `optimise` (the decide tools), `calibrate` (the customer twin),
`validation` (Bass diffusion checks), `reference` (the per-agent Mesa reference model the engine is
tested against).

What the lab hands to presentation is typed: `findings` (a comparison's Finding: each figure's unit,
better way, value and 90% interval per strategy and for the paired difference; each strategy's runs as
charts read them; the LTV bridge; `findings_of` builds it and checks each verdict in plausible worlds),
`verdicts` (the levers carrying a difference, the worlds' verdict and its hinges, and the one rule that
states a verdict as a finding, a condition or open), `provenance` (each input: a setting, a default and
its source, or fitted from data), with `anatomy` and `bridge` (what runs show beyond their summary) and
`figures` (units, which way is better, the best cell, the contribution that carries a difference).

May import: `sim.core`, `sim.mechanisms`, `sim.engine`.
"""
