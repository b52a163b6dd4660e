"""Core: what every other layer stands on.

The scenario schema (`schema`, listed by `schema_info`) and its loading (`scenario`, `yamlread`),
the users as arrays (`population`), counter-based random streams (`rng`), the money ledger
(`ledger`), the results of a run (`result`), atomic file writes (`files`), the error types
(`errors`), where things are (`places`: shipped scenarios, scenario names, output and cache
folders) and the message for a missing optional package (`extras`).

May import: nothing else in `sim`.
"""
