"""Ctrl-C during the lab's long loops: one KeyboardInterrupt, nothing printed on the way.

`optimize(study, objective, ...)` runs an Optuna study (calibrate's fit, optimise's search). Optuna stores a
trial stopped by Ctrl-C as failed and logs it with a traceback; Numba-compiled code turns the interrupt
into a SystemError. Here the interrupted trial is stored as failed without the log, and the caller gets a
KeyboardInterrupt (the CLI prints one line, `interrupted_line`, and exits with code 130).
"""
from __future__ import annotations

from ..core.errors import clip, interrupted


def optimize(study, objective, **kwargs) -> None:
    """`study.optimize(objective, **kwargs)`; Ctrl-C raises KeyboardInterrupt with Optuna's log of the
    interrupted trial left out (Optuna's verbosity is restored afterwards)."""
    import optuna
    level = optuna.logging.get_verbosity()

    def guarded(trial):
        try:
            return objective(trial)
        except BaseException as exc:
            if not interrupted(exc):
                raise
            optuna.logging.set_verbosity(optuna.logging.ERROR)      # the failed-trial warning and its traceback
            raise KeyboardInterrupt from None
    try:
        study.optimize(guarded, **kwargs)
    finally:
        optuna.logging.set_verbosity(level)


def interrupted_line(args) -> str:
    """The one line printed on Ctrl-C (exit code 130): what the interrupted command kept."""
    cmd, out = getattr(args, "cmd", None), getattr(args, "out", None)
    where = clip(str(out), 200) if out else ""
    if cmd == "sweep":
        return f"interrupted; the runs finished so far are saved in {where}/runs: rerun the same command to do the rest"
    if cmd == "optimise":
        journal = clip(args.storage, 200) if getattr(args, "storage", None) else f"{where}/study.journal"
        return f"interrupted; the trials finished so far are saved in {journal}: rerun the same command to go on"
    if where:
        return f"interrupted; nothing was written ({where} is as it was: outputs are written whole or not at all)"
    return "interrupted; nothing was written"
