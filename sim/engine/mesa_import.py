"""Import Mesa without its slow call-stack lookups.

Mesa 3.5 names each module's logger (`mesa.mesa_logging.create_module_logger`) with
`inspect.stack()` and `inspect.getmodule(frame)`, and each logged method's class (`method_logger`)
with `inspect.getouterframes()`. These resolve the source file and read the source lines of every
frame on the stack, and scan all of `sys.modules` for a file they cannot place (cpython#92041);
imported from deep inside `sim`, with numpy, pandas, numba and scipy loaded, that is ~0.2 s of
Mesa's ~0.3 s import. Mesa only reads the caller's frame, module and function name, so while
`import mesa` runs the stack functions return `FrameInfo`s built from the code objects (file name,
line, function; no source lines) and `getmodule(frame)` reads the frame's module from its globals.
The originals are restored even if the import fails (another thread calling them meanwhile gets
the frames without source lines, as `inspect.stack(0)` gives); module names, loggers and Mesa itself
are unchanged (tests/test_mesa_import.py).

    from .mesa_import import mesa      # instead of `import mesa`
"""
from __future__ import annotations

import inspect
import sys


def _outer(frame) -> list[inspect.FrameInfo]:
    """`frame` and its callers, innermost first, as FrameInfos without source context."""
    out = []
    while frame is not None:
        code = frame.f_code
        out.append(inspect.FrameInfo(frame, code.co_filename, frame.f_lineno, code.co_name, None, None))
        frame = frame.f_back
    return out


def _stack(context: int = 1) -> list[inspect.FrameInfo]:
    """What `inspect.stack()` gives, without source lines: from the caller of `inspect.stack()` out."""
    return _outer(sys._getframe(1))


def _getouterframes(frame, context: int = 1) -> list[inspect.FrameInfo]:
    """What `inspect.getouterframes(frame)` gives, without source lines."""
    return _outer(frame)


_getmodule_of = inspect.getmodule


def _getmodule(obj, _filename=None):
    """What `inspect.getmodule` gives; for a frame, the module whose globals it runs in (no scan)."""
    if inspect.isframe(obj):
        module = sys.modules.get(obj.f_globals.get("__name__"))
        if module is not None:
            return module
    return _getmodule_of(obj, _filename)


def _import_mesa():
    """`import mesa` with the three lookups above in place of inspect's while it runs; returns the module."""
    if "mesa" in sys.modules:
        return sys.modules["mesa"]
    originals = inspect.stack, inspect.getouterframes, inspect.getmodule
    inspect.stack, inspect.getouterframes, inspect.getmodule = _stack, _getouterframes, _getmodule
    try:
        import mesa
    finally:
        inspect.stack, inspect.getouterframes, inspect.getmodule = originals
    return mesa


mesa = _import_mesa()
