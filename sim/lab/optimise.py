"""Search for the best strategy under constraints, with Optuna, on common random numbers.

    from sim.lab.optimise import optimise        # as text: sim.present.tables.search_text
    opt = optimise("scenarios/baseline.yaml", levers={"messaging.per_week": (0, 14), "groups.size": (0, 200)},
                   objective="profit", constraints={"churn_rate_monthly": ("<=", 0.10)}, trials=40, seeds=2,
                   out="out/opt1")
    opt.best_params, opt.best_scenario   # the best feasible setting, and the scenario with it
    opt.check                            # start vs best on fresh seeds: figure, start, best, diff, lo, hi
    opt.trials                           # one row per trial: params, objective, constraint values, state

Search. Optuna's TPE sampler (Bergstra et al. 2011; `sampler="random"` for plain random search)
proposes lever settings; a lever is a range (low, high) of a numeric key (whole numbers for
integer keys) or a list of options. Every trial runs seeds 0..K-1, the same for every trial
(common random numbers), so two trials differ by their levers, not their luck. After each seed the
running mean is reported, and Optuna's median pruner stops a trial whose running mean is worse
than the median of earlier trials at the same seed (fair, because the seeds are the same).
Constraints (`{figure or scenario key: (op, value)}`, op one of <=, <, >=, >) are mean-over-seeds
conditions; Optuna's constrained TPE learns where they hold, and the best trial is the best feasible
one. A setting the schema refuses (e.g. promotion + content shares above 1) is pruned.

Storage. With `out=DIR` the study lives in DIR/study.journal (Optuna's JournalStorage on a file,
safe for several processes at once through file locks): run the same call again and it resumes,
running only the trials still missing. Several machines can work on one study through a shared
database: pass `storage="postgresql://..."` (or "mysql://...", Optuna's RDBStorage) and the same
`study_name` on each machine, each with its own `trials`. Dask is not used here.

Check. The search's best is optimistic (it was picked on those seeds). So the start and the best
scenario are re-run on fresh seeds (`FRESH_SEED0` onwards, never used by the search) and compared
paired by seed, with a 90% t-interval of the difference, for the objective and every constrained
figure. DIR/best.yaml is the best scenario, loadable with `load_scenario`.
"""
from __future__ import annotations

import math
import numbers
import operator
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import ScenarioError, UsageError, clip, quote
from ..core.files import check_out_dir, json_text, write_atomic
from ..core.scenario import Scenario, schema_keys
from ..engine.runner import resolve
from .digest import digest
from .experiments import check_count, check_seeds, flat_settings, mean_interval, paired_difference
from .figures import better_sign, check_figures, seed_values
from .interrupts import optimize
from .levers import numeric_range

OPS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt}
FRESH_SEED0 = 1000
SAMPLERS = ("tpe", "random")


class NoFeasibleTrial(UsageError):
    """No completed trial met every constraint: nothing is the best. `trials` the trials table, `constraints`
    {name: (op, limit)}, `closest` {name: (value reached nearest the limit, trial number)}, `where` the study's
    storage (the trials are kept there: the same call resumes). sim.present.tables.no_feasible_text words it."""

    def __init__(self, trials: pd.DataFrame, constraints: dict, where: str):
        self.trials, self.constraints, self.where = trials, constraints, where
        self.closest = closest_values(trials, constraints)
        super().__init__(f"optimise: none of {len(trials)} trials met the constraints "
                         f"({', '.join(f'{n}{o}{v:g}' for n, (o, v) in constraints.items())}); widen the levers "
                         f"or relax a constraint")


def closest_values(trials: pd.DataFrame, constraints: dict) -> dict:
    """{constraint: (the value nearest its limit among completed trials, that trial's number)}; a constraint
    no completed trial measured is left out."""
    done = trials[trials["state"] == "COMPLETE"] if "state" in trials else trials
    out = {}
    for name, (op, limit) in constraints.items():
        col = f"violation:{name}"
        if col not in done or not np.isfinite(done[col].astype(float)).any():
            continue
        i = done[col].astype(float).idxmin()
        gap = float(done.at[i, col])
        out[name] = (limit + gap if op in ("<=", "<") else limit - gap, int(done.at[i, "number"]))
    return out


@dataclass
class Optimisation:
    """What `optimise` found. `check`: start vs best on fresh seeds (paired)."""
    objective: str
    direction: str
    levers: dict
    constraints: dict
    seeds: list[int]
    start: Scenario
    best_params: dict
    best_value: float
    best_scenario: Scenario
    start_value: float
    trials: pd.DataFrame
    check: pd.DataFrame
    importance: dict
    study_name: str
    storage: str
    study: object = field(repr=False, default=None)


# ----------------------------------------------------------------- input

def parse_lever(text: str) -> tuple[str, object]:
    """'messaging.per_week=0:14' -> (key, (0.0, 14.0)); 'pool.container=personal,wecom' -> (key, [options])."""
    if "=" not in text:
        raise UsageError(f"--lever {text!r}: expected key=low:high or key=a,b,c, e.g. messaging.per_week=0:14")
    key, rng = (s.strip() for s in text.split("=", 1))
    if ":" in rng:
        try:
            lo, hi = (float(x) for x in rng.split(":"))
        except ValueError:
            raise UsageError(f"--lever {text!r}: low:high must be two numbers, e.g. {key}=0:14") from None
        return key, (lo, hi)
    opts = [o.strip() for o in rng.split(",") if o.strip()]
    if len(opts) < 2:
        raise UsageError(f"--lever {text!r}: expected key=low:high or at least two options key=a,b")
    from ..core.scenario import parse_value
    return key, [parse_value(o) for o in opts]


_CONSTRAINT = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*(<=|>=|<|>)\s*([-+0-9.eE]+)\s*$")


def parse_constraint(text: str) -> tuple[str, tuple[str, float]]:
    """'churn_rate_monthly<=0.1' -> ('churn_rate_monthly', ('<=', 0.1))."""
    m = _CONSTRAINT.match(text or "")
    if not m:
        raise UsageError(f"--constraint {text!r}: expected figure<=value (or <, >=, >), e.g. churn_rate_monthly<=0.1")
    try:
        return m.group(1), (m.group(2), float(m.group(3)))
    except ValueError:
        raise UsageError(f"--constraint {text!r}: '{m.group(3)}' is not a number") from None


def _check_levers(base: Scenario, levers: dict) -> dict:
    if not isinstance(levers, dict) or not levers:
        raise UsageError("levers: give {dotted.key: (low, high)} or {key: [options]}, e.g. {'messaging.per_week': (0, 14)}")
    out = {}
    for key, rng in levers.items():
        if isinstance(rng, list):
            if not rng:
                raise UsageError(f"lever '{key}' = []: give at least one option")
            for v in rng:                                       # also 'unknown key; did you mean ...'
                base.with_overrides({key: v}, source=f"lever {key}")
            out[key] = list(rng)
            continue
        lo, hi, is_int = numeric_range(base, key, rng)
        out[key] = (int(round(lo)), int(round(hi))) if is_int else (lo, hi)
    return out


def _check_constraints(constraints) -> dict:
    out = {}
    for name, cond in (constraints or {}).items():
        if not (isinstance(cond, (tuple, list)) and len(cond) == 2 and cond[0] in OPS
                and isinstance(cond[1], numbers.Real)):
            raise UsageError(f"constraint '{name}' = {cond!r}: expected (op, value) with op one of {', '.join(OPS)}")
        if name not in schema_keys():
            check_figures([name])
        out[name] = (cond[0], float(cond[1]))
    return out


# ----------------------------------------------------------------- search

def _study_name(base: Scenario, levers, objective, direction, constraints, seeds) -> str:
    """'<scenario>-<objective>-<12 hex>': the name a resumed study is found under."""
    spec = {"scenario": base.model_dump(mode="json"), "levers": {k: list(v) for k, v in levers.items()},
            "objective": objective, "direction": direction, "constraints": constraints, "seeds": seeds}
    return f"{base.name}-{objective}-" + digest(spec, 12, spaced=True)


OUT_FILES = ("study.journal*", "best.yaml", "trials.csv", "check.csv", "summary.json")   # what `out` holds


def _storage(out, storage):
    """(Optuna storage, where it is): the URL's database, DIR/study.journal, or memory. Checks `out`
    (not a file, writable, not someone else's folder) and opens the URL before any trial runs."""
    import optuna
    if out is not None:
        check_out_dir(out, OUT_FILES)
    if storage is not None:
        from sqlalchemy.exc import SQLAlchemyError
        try:
            return optuna.storages.get_storage(storage), str(storage)
        except (ImportError, ValueError, SQLAlchemyError) as exc:
            reason = clip(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, 160)
            raise UsageError(f"--storage {quote(storage)}: cannot open it ({reason}); give a database URL such as "
                             "sqlite:///study.db or postgresql://user@host/db (its driver installed), or leave "
                             "--storage out to keep the study in DIR/study.journal") from None
    if out is None:
        return None, "memory (not kept)"
    path = Path(out) / "study.journal"
    path.parent.mkdir(parents=True, exist_ok=True)
    from optuna.storages.journal import JournalFileBackend
    return optuna.storages.JournalStorage(JournalFileBackend(str(path))), str(path)


def _violations(values: dict, sc: Scenario, constraints: dict) -> list[float]:
    """Optuna's form: one number per constraint, <= 0 when it holds."""
    out = []
    for name, (op, bound) in constraints.items():
        v = values[name] if name in values else float(sc.get(name))
        if not math.isfinite(v):
            out.append(math.inf)
        else:
            gap = v - bound if op in ("<=", "<") else bound - v
            out.append(gap if op in ("<=", ">=") else (gap if gap != 0 else 1e-12))
    return out


def _set_constraints(trial, constraints: dict, violations: list[float]) -> None:
    """Tell Optuna's constrained sampler (<= 0 holds) and keep them for the trials table."""
    for name, v in zip(constraints, violations):
        trial.set_constraint(name, v)
    trial.set_user_attr("constraints", violations)


def _objective_fn(base, levers, objective, constraints, seeds):
    import optuna
    figs = [objective] + [c for c in constraints if c not in schema_keys() and c != objective]

    def fn(trial):
        params = {}
        for key, rng in levers.items():
            if isinstance(rng, list):
                params[key] = trial.suggest_categorical(key, rng)
            elif isinstance(rng[0], int):
                params[key] = trial.suggest_int(key, rng[0], rng[1])
            else:
                params[key] = trial.suggest_float(key, rng[0], rng[1])
        try:
            sc = base.with_overrides(params, source="trial")
        except ScenarioError as exc:
            _set_constraints(trial, constraints, [math.inf] * len(constraints))
            trial.set_user_attr("refused", str(exc))
            raise optuna.TrialPruned() from None
        vals = {f: [] for f in figs}
        for i, s in enumerate(seeds):
            one = seed_values(sc, [s], figs)
            for f in figs:
                vals[f].append(float(one[f][0]))
            means = {f: float(np.mean(v)) for f, v in vals.items()}
            last = i == len(seeds) - 1
            if not last and math.isfinite(means[objective]):
                trial.report(means[objective], i)
            if last or not math.isfinite(means[objective]) or trial.should_prune():
                break
        _set_constraints(trial, constraints, _violations(means, sc, constraints))
        for f, m in means.items():
            trial.set_user_attr(f, m)
        if not last or not math.isfinite(means[objective]):   # pruned, or no value to rank (never pays back)
            raise optuna.TrialPruned()
        return means[objective]
    return fn


def optimise(scenario, levers: dict, objective: str = "profit", direction: str | None = None,
             constraints: dict | None = None, trials: int = 40, seeds: int = 2, users: int | None = None,
             days: int | None = None, out=None, storage: str | None = None, study_name: str | None = None,
             sampler: str = "tpe", fresh_seeds: int | None = None, design_seed: int = 0,
             prune: bool = True, progress: bool = False, agents: int | None = None) -> Optimisation:
    """Search `levers` for the best `objective` under `constraints` (see the module docstring).

    direction: "maximize" | "minimize" (default: the figure's better direction). trials: trials the
    study should have in all (a resumed study runs only the missing ones). fresh_seeds: seeds of the
    final check (default: max(seeds, 4)).
    """
    import optuna
    (objective,) = check_figures([objective])
    direction = direction or ("maximize" if better_sign(objective) > 0 else "minimize")
    if direction not in ("maximize", "minimize"):
        raise UsageError(f"direction = {direction!r}: choose maximize or minimize")
    trials = check_count(trials, "trials", 1, unit="trials")
    if sampler not in SAMPLERS:
        raise UsageError(f"sampler = {sampler!r}: choose one of {', '.join(SAMPLERS)}")
    k = check_seeds(seeds)
    base = resolve(scenario, users, days, agents)
    levers = _check_levers(base, levers)
    constraints = _check_constraints(constraints)
    seed_list = list(range(k))
    name = study_name or _study_name(base, levers, objective, direction, constraints, seed_list)
    store, where = _storage(out, storage)
    smp = (optuna.samplers.TPESampler(seed=design_seed, n_startup_trials=min(10, trials))
           if sampler == "tpe" else optuna.samplers.RandomSampler(seed=design_seed))
    pruner = optuna.pruners.MedianPruner(n_startup_trials=5) if prune else optuna.pruners.NopPruner()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(study_name=name, storage=store, sampler=smp, pruner=pruner, direction=direction,
                                load_if_exists=True)
    done = sum(t.state.is_finished() for t in study.trials)
    if not study.trials:                       # the start itself is the first trial: never end worse
        start = {key: base.get(key) for key in levers}
        if all(v in rng if isinstance(rng, list) else rng[0] <= v <= rng[1] for v, rng in
               ((start[key], levers[key]) for key in levers)):
            study.enqueue_trial(start)
    if trials > done:
        optimize(study, _objective_fn(base, levers, objective, constraints, seed_list), n_trials=trials - done,
                 show_progress_bar=progress)
    table = trials_table(study, levers, constraints)
    ok = table[(table["state"] == "COMPLETE") & table["feasible"]]
    if ok.empty:
        raise NoFeasibleTrial(table, constraints, where)
    best_row = ok.loc[ok["value"].idxmax() if direction == "maximize" else ok["value"].idxmin()]
    best_params = {kk: _plain(best_row[kk]) for kk in levers}
    best_sc = base.with_overrides({**best_params, "name": f"{base.name}_optimised"}, source="best trial")
    start_vals = seed_values(base, seed_list, [objective])[objective]
    check = _fresh_check(base, best_sc, [objective] + [c for c in constraints if c != objective],
                         fresh_seeds or max(k, 4))
    opt = Optimisation(objective=objective, direction=direction, levers=levers, constraints=constraints,
                       seeds=seed_list, start=base, best_params=best_params, best_value=float(best_row["value"]),
                       best_scenario=best_sc, start_value=mean_interval(start_vals)["mean"], trials=table, check=check,
                       importance=_importance(study, levers), study_name=name, storage=where, study=study)
    if out is not None:
        _write(opt, Path(out))
    return opt


def _plain(v):
    return v.item() if hasattr(v, "item") else v


def trials_table(study, levers: dict, constraints: dict) -> pd.DataFrame:
    """One row per trial: number, state, the levers, value (mean objective over the seeds it ran),
    each constraint's violation (<= 0 holds), feasible."""
    rows = []
    for t in study.trials:
        viol = t.user_attrs.get("constraints", [])
        r = {"number": t.number, "state": t.state.name, **{k: t.params.get(k) for k in levers},
             "value": t.value if t.value is not None else math.nan,
             "feasible": bool(all(v <= 0 for v in viol)) if viol or not constraints else False}
        for name, v in zip(constraints, viol):
            r[f"violation:{name}"] = v
        rows.append(r)
    return pd.DataFrame(rows)


def _importance(study, levers) -> dict:
    """Optuna's parameter importances over completed trials by PED-ANOVA (Watanabe et al. 2023, Optuna's
    default evaluator since 5.0, named so the label does not depend on the installed version); {} when
    the trials are too few to tell the levers apart (Optuna would warn and return equal importances)."""
    import warnings

    import optuna
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            imp = dict(optuna.importance.get_param_importances(
                study, evaluator=optuna.importance.PedAnovaImportanceEvaluator()))
    except (RuntimeError, ValueError, ZeroDivisionError):
        return {}
    return {} if any("importances will be equal" in str(w.message) for w in caught) else imp


def _fresh_check(start: Scenario, best: Scenario, figures: list[str], k: int) -> pd.DataFrame:
    """Start vs best on k fresh seeds, one row per figure; a constraint on a lever (a scenario key) is the
    setting itself in every seed (it was written 'nan' before)."""
    seeds = [FRESH_SEED0 + i for i in range(k)]
    results = [f for f in figures if f not in schema_keys()]
    a, b = seed_values(start, seeds, results), seed_values(best, seeds, results)
    fa, fb = flat_settings(start.model_dump()), flat_settings(best.model_dump())
    for f in figures:
        if f not in results:
            a[f], b[f] = np.full(k, float(fa[f])), np.full(k, float(fb[f]))
    rows = {}
    for f in figures:
        d = paired_difference(a[f], b[f])
        rows[f] = {"start": mean_interval(a[f])["mean"], "best": mean_interval(b[f])["mean"], "diff": d["diff"],
                   "lo": d["lo"], "hi": d["hi"], "n": d["n"]}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "figure"
    out.attrs["seeds"] = seeds
    return out


def _write(opt: Optimisation, out: Path) -> None:
    write_atomic(out / "best.yaml", f"# Best of {len(opt.trials)} trials: {opt.direction} {opt.objective} over "
                 f"{', '.join(opt.levers)} (python -m sim optimise)\n" + opt.best_scenario.to_yaml())
    write_atomic(out / "trials.csv", opt.trials.to_csv(index=False))
    write_atomic(out / "check.csv", opt.check.to_csv())
    summary = {"objective": opt.objective, "direction": opt.direction, "best_params": opt.best_params,
               "best_value_search_seeds": opt.best_value, "start_value_search_seeds": opt.start_value,
               "importance": opt.importance, "study_name": opt.study_name, "storage": opt.storage,
               "constraints": opt.constraints, "seeds": opt.seeds}
    write_atomic(out / "summary.json", json_text(summary))


__all__ = [
    "FRESH_SEED0",
    "Optimisation",
    "optimise",
    "parse_constraint",
    "parse_lever",
    "trials_table",
]
