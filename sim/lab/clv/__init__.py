"""Customer-base models (buy till you die): the standard statistical models of repeat purchasing that
the lab's customer process nests, fitted by maximum likelihood (SciPy), one model per module:

  pareto_nbd.py   Pareto/NBD (Schmittlein, Morrison & Colombo 1987): Poisson purchases at a gamma-distributed
                  rate, exponential lifetimes at a gamma-distributed rate (leaving at any moment)
  beta_geo.py     BG/NBD (Fader, Hardie & Lee 2005): the same purchases, leaving right after a repeat purchase
                  with a beta-distributed probability

Both take per-customer summaries in days (frequency x = repeat purchase days, recency t_x = days from the
first to the last purchase, age T = days from the first purchase to the end of the calibration period) and
give: the log-likelihood, `fit`, the expected repeat purchases of a new customer, the conditional expectation
of each customer's purchases in a future window, the chance each is still a customer, and draws of each
customer's latent rate and status from their own posterior (what a calibrated run starts from).
"""
