"""Parts of the lab that need an optional dependency, and the message that names the pip extra bringing it
(pyproject.toml's optional-dependencies: `lab`, `dist`, `test`)."""
from __future__ import annotations

import importlib

from .errors import UsageError


def require(module: str, extra: str, what: str):
    """Import `module` and return it. When it (or a package it needs) is not installed: UsageError, one line
    naming `what` needs it and the extra to install (the CLI exits with code 2)."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        raise UsageError(f"{what} needs the '{extra}' extra ({exc.name or module} is not installed): "
                         f"pip install 'siyu-lab[{extra}]' (in a checkout: make setup)") from None
