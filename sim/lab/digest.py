"""The one rule that turns what the lab stores into text and ids.

    canonical(obj)        JSON text of obj: sorted keys, no spaces, str() for what JSON lacks
    digest(obj, 24)       SHA-256 hex of canonical(obj), cut to 24 characters
    sha256_hex(chunks)    SHA-256 hex of texts/bytes fed one after another

Every id is built here: sweep run ids and scenario hashes (sim.lab.sweep, sim.lab.sweep_store),
run-file checksums, Optuna study names (sim.lab.optimise), the engine fingerprint and the
reference-cache keys (sim.present.refcache). The ids are stored on disk (run files, study
journals, cache folders), so none of them may change: tests/test_digest.py pins each to the value
the code gave before this module existed.

This module lives in sim/lab, not sim/core, on purpose: the engine fingerprint hashes the source of
sim/core, sim/mechanisms and sim/engine, so moving it there would change the fingerprint and make
every stored sweep run and cached reference run stale.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable


def canonical(obj, *, spaced: bool = False) -> str:
    """The one JSON text of `obj` used for hashes and comparisons (sorted keys, no spaces).

    spaced=True keeps json's default ", " and ": " separators: Optuna study names were first made
    from that text, and a resumed study must be found under its old name."""
    seps = (", ", ": ") if spaced else (",", ":")
    return json.dumps(obj, sort_keys=True, separators=seps, default=str, allow_nan=True)


def jsonable(obj):
    """`obj` as the JSON values it is stored as (tuples -> lists, what JSON lacks -> its str())."""
    return json.loads(canonical(obj))


def sha256_hex(chunks: Iterable[str | bytes], length: int | None = None) -> str:
    """SHA-256 of `chunks` fed one after another (text as UTF-8), in hex, first `length` characters."""
    h = hashlib.sha256()
    for c in chunks:
        h.update(c.encode("utf-8") if isinstance(c, str) else c)
    return h.hexdigest()[:length]


def digest(obj, length: int | None = None, *, spaced: bool = False) -> str:
    """SHA-256 hex of canonical(obj) (first `length` characters): the id of a JSON-able object."""
    return sha256_hex([canonical(obj, spaced=spaced)], length)


__all__ = ["canonical", "digest", "jsonable", "sha256_hex"]
