"""The folder of a resumable sweep, which verifies what it reads.

    DIR/sweep.json     the plan, fixed at the first start: scenario hash, users, agents, days,
                       seeds, parameter sets and every run's key; a different plan is refused
    DIR/.lock          held (flock) while a sweep writes into DIR; a second sweep is refused
    DIR/runs/<id>.json one file per finished run: its key (params, seed, users, agents, days,
                       hash of the resolved scenario, engine fingerprint), the summary and a
                       SHA-256 checksum of the rest of the file
    DIR/rejected/      run files that did not verify (edited, copied from another run, wrong
                       shape, made by another engine version), moved aside to be redone
    DIR/results.csv    removed at start, rebuilt at the end from verified run files

A run file is used only if it parses, its checksum holds and its key equals the key of the run
it is named after; anything else is moved to rejected/ with a one-line warning.
"""
from __future__ import annotations

import contextlib
import json
import os
import time
import warnings
from pathlib import Path

from ..core.errors import UsageError, clip
from ..core.files import check_out_dir, write_atomic
from ..core.scenario import Scenario
from .digest import canonical, digest, jsonable

PLAN, LOCK, RUNS, REJECTED, RESULTS = "sweep.json", ".lock", "runs", "rejected", "results.csv"
FORMAT = 2                      # version of the store's layout; a plan of another format is another plan


def scenario_hash(sc: Scenario) -> str:
    """SHA-256 (24 hex) of a resolved scenario (every key, users and days included)."""
    return digest(sc.model_dump(mode="json"), 24)


def run_key(sc: Scenario, params: dict, seed: int) -> dict:
    """What a run file must carry to stand for this run, apart from the engine version."""
    return {"params": jsonable(params), "seed": int(seed), "users": sc.market.users,
            "agents": sc.market.agents, "days": sc.horizon_days, "scenario_hash": scenario_hash(sc)}


def checksum(rec: dict) -> str:
    """SHA-256 (64 hex) of a run record without its checksum field."""
    return digest({k: v for k, v in rec.items() if k != "checksum"})


def seal(rec: dict) -> str:
    """The text of a run file: `rec` with its checksum."""
    return json.dumps({**rec, "checksum": checksum(rec)}, indent=1, default=str)


def _is_number(v) -> bool:
    return v is None or (isinstance(v, (int, float)) and not isinstance(v, bool))


def check_record(text: str, key: dict, engine: str | None) -> tuple[dict | None, str]:
    """(record, "") if `text` is a sealed run file for `key` (and, unless None, `engine`); else (None, why)."""
    try:
        rec = json.loads(text)
    except ValueError:
        return None, "not valid JSON"
    if not isinstance(rec, dict) or not isinstance(rec.get("summary"), dict) or not isinstance(rec.get("key"), dict):
        return None, "not a run file (no key or summary)"
    if rec.get("checksum") != checksum(rec):
        return None, "its checksum does not match its content (edited or damaged)"
    if not all(isinstance(k, str) and _is_number(v) for k, v in rec["summary"].items()):
        return None, "its summary holds values that are not numbers"
    got = {k: v for k, v in rec["key"].items() if k != "engine"}
    if canonical(got) != canonical(key):
        diff = next((k for k in key if canonical(got.get(k)) != canonical(key[k])), "key")
        return None, f"it was made for another run ({diff} {clip(canonical(got.get(diff)), 40)}, " \
                     f"not {clip(canonical(key[diff]), 40)})"
    if engine is not None and rec["key"].get("engine") != engine:
        return None, f"it was made by another version of the engine ({rec['key'].get('engine')}, now {engine})"
    return rec, ""


class SweepStore:
    """One sweep folder (see the module docstring). Use as a context manager: holds the lock."""

    def __init__(self, out: str | Path):
        self.dir = Path(out)
        self._lock_fd: int | None = None

    # -------------------------------------------------- lock
    def __enter__(self) -> "SweepStore":
        if self.dir.exists() and not self.dir.is_dir():
            raise UsageError(f"sweep: --out {str(self.dir)!r} is a file, not a folder")
        if self.dir.is_dir():                       # a sweep folder, or empty: never mix a sweep into other files
            check_out_dir(self.dir, (PLAN, LOCK, RUNS, REJECTED, RESULTS, ".*"), "sweep: --out")
        try:
            (self.dir / RUNS).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"sweep: cannot create the output folder {str(self.dir)!r}: {exc.strerror or exc}") from None
        try:
            self._lock_fd = self._lock(self.dir)
        except PermissionError as exc:
            raise UsageError(f"sweep: cannot write in the output folder {str(self.dir)!r}: "
                             f"{exc.strerror or exc}") from None
        return self

    def __exit__(self, *exc) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)                 # closing releases the flock
            self._lock_fd = None

    @staticmethod
    def _lock(folder: Path) -> int:
        import fcntl
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise UsageError(f"sweep: {str(folder)!r} is in use by another sweep (PID {holder}); wait for it to "
                             "finish or give another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        return fd

    # -------------------------------------------------- plan
    def fix_plan(self, plan: dict, new: bool = False) -> None:
        """Record `plan` at the first start; refuse a different one (or, with `new`, archive the old folder)."""
        old = self.read_plan()
        if old is not None and old.get("identity") != plan["identity"]:
            if not new:
                raise UsageError(f"sweep: {str(self.dir)!r} holds a different sweep ({self._difference(old, plan)}); "
                                 "give another --out, or --new to archive the earlier sweep and start afresh")
            self._archive()
        elif old is None and new and any((self.dir / RUNS).iterdir()):
            self._archive()
        for name in (RESULTS,):                      # rebuilt at the end from verified runs
            with contextlib.suppress(FileNotFoundError):
                (self.dir / name).unlink()
        write_atomic(self.dir / PLAN, json.dumps(plan, indent=1, default=str))

    def read_plan(self) -> dict | None:
        try:
            plan = json.loads((self.dir / PLAN).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return {"identity": None}
        return plan if isinstance(plan, dict) else {"identity": None}

    @staticmethod
    def _difference(old: dict, plan: dict) -> str:
        a, b = old.get("identity"), plan["identity"]
        if not isinstance(a, dict):
            return "its sweep.json was written by an earlier version of the lab or is damaged"
        for k in b:
            if canonical(a.get(k)) != canonical(b[k]):
                return f"{k} {clip(canonical(a.get(k)), 60)} there, {clip(canonical(b[k]), 60)} now"
        return "another plan"

    def _archive(self) -> None:
        """Move everything in the folder into DIR.archived-<time> beside it, keeping the lock."""
        dest = self.dir.with_name(f"{self.dir.name}.archived-{time.strftime('%Y%m%d-%H%M%S')}")
        n = 1
        while dest.exists():
            n += 1
            dest = dest.with_name(f"{self.dir.name}.archived-{time.strftime('%Y%m%d-%H%M%S')}-{n}")
        dest.mkdir()
        for entry in self.dir.iterdir():
            if entry.name != LOCK:
                os.replace(entry, dest / entry.name)
        (self.dir / RUNS).mkdir()
        warnings.warn(f"sweep: the earlier sweep in {self.dir} was moved to {dest}", stacklevel=3)

    # -------------------------------------------------- runs
    def path(self, rid: str) -> Path:
        return self.dir / RUNS / f"{rid}.json"

    def verified(self, keys: dict[str, dict], engine: str) -> dict[str, dict]:
        """Read every run file; keep those that verify against `keys` (run id -> key) and `engine`;
        move the rest to rejected/ with one warning line each. Returns run id -> record."""
        done, rejected = {}, []
        for p in sorted((self.dir / RUNS).glob("*.json")):
            if p.name.startswith("."):
                continue
            key = keys.get(p.stem)
            if key is None:
                rec, why = None, "it is not a run of this sweep's plan"
            else:
                try:
                    rec, why = check_record(p.read_text(encoding="utf-8"), key, engine)
                except (OSError, UnicodeDecodeError):
                    rec, why = None, "it cannot be read as UTF-8 text"
            if rec is None:
                rejected.append((p, why))
            else:
                done[p.stem] = rec
        if rejected:
            (self.dir / REJECTED).mkdir(exist_ok=True)
            for p, why in rejected:
                dest = self.dir / REJECTED / p.name
                if dest.exists():
                    dest = dest.with_name(f"{p.stem}.{time.time_ns()}.json")
                os.replace(p, dest)
                warnings.warn(f"sweep: {p.name} moved to {REJECTED}/: {why}; the run will be redone", stacklevel=3)
        return done

    def write(self, rid: str, rec: dict) -> None:
        write_atomic(self.path(rid), seal(rec))


def load_verified(out: str | Path) -> tuple[dict, list[dict]]:
    """(plan, records in plan order) of a sweep folder, read-only: only run files that verify against
    the plan are used (others are named in a warning); refuses a folder without a plan of this
    format, or whose runs/ holds sealed runs of another plan (mixed plans)."""
    d = Path(out)
    if not (d / RUNS).is_dir():
        raise UsageError(f"load_sweep: {str(d)!r} has no runs/ folder (not a sweep output folder)")
    plan = SweepStore(d).read_plan()
    if plan is None or not isinstance(plan.get("identity"), dict) or plan.get("format") != FORMAT:
        raise UsageError(f"load_sweep: {str(d)!r} has no sweep.json of this version of the lab; "
                         "rerun the sweep into it (with --new) to rebuild it")
    keys = {r["run_id"]: r["key"] for r in plan["runs"]}
    records, skipped, foreign = [], [], []
    for p in sorted((d / RUNS).glob("*.json")):
        if p.stem not in keys and not p.name.startswith("."):
            try:
                rec = json.loads(p.read_text(encoding="utf-8"))
            except (OSError, ValueError, UnicodeDecodeError):
                continue
            if isinstance(rec, dict) and rec.get("checksum") == checksum(rec) and isinstance(rec.get("key"), dict):
                foreign.append(rec["key"])
    if foreign:
        k = foreign[0]
        raise UsageError(f"load_sweep: {str(d)!r} mixes plans: runs/ holds {len(foreign)} run(s) of another sweep "
                         f"(e.g. users {k.get('users')}, agents {k.get('agents')}, days {k.get('days')}); "
                         "rerun the sweep into it (it moves them to rejected/) or use another folder")
    for item in plan["runs"]:
        p = d / RUNS / f"{item['run_id']}.json"
        if not p.is_file():
            continue
        rec, why = check_record(p.read_text(encoding="utf-8", errors="replace"), item["key"], None)
        if rec is None:
            skipped.append(f"{p.name} ({why})")
        else:
            records.append(rec)
    if skipped:
        warnings.warn(f"load_sweep: {len(skipped)} run file(s) left out, e.g. {skipped[0]}; rerun the sweep to redo "
                      "them", stacklevel=3)
    return plan, records
