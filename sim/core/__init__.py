"""Core: what every other layer stands on.

The scenario schema and its loading (`scenario`), the users as arrays (`population`),
counter-based random streams (`rng`), the money ledger (`ledger`), the results of a run
(`result`), atomic file writes (`files`) and the error types (`errors`).

May import: nothing else in `sim`.
"""
