"""sim.engine.mesa_import: Mesa imported with a cheap `inspect.stack` gives the same Mesa (same
module loggers), restores `inspect.stack`, and restores it when the import fails."""
import inspect
import subprocess
import sys

_LOGGERS = "import mesa.mesa_logging as m; print(sorted(m._module_loggers))"


def _python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_mesa_loggers_are_named_as_with_a_plain_import():
    plain = _python(_LOGGERS)
    through_sim = _python("import inspect; s = inspect.stack; import sim.engine.model; "
                          "assert inspect.stack is s and inspect.getmodule.__module__ == 'inspect' == inspect.getouterframes.__module__; " + _LOGGERS)
    assert through_sim == plain
    assert "mesa.model" in plain


def test_lookups_give_what_inspect_gives_for_the_caller():
    from sim.engine import mesa_import

    def logger_like():                  # what create_module_logger / method_logger read
        ours, theirs = mesa_import._stack()[1], inspect.stack()[1]
        outer = mesa_import._getouterframes(inspect.currentframe())[1]
        return ours, theirs, outer

    ours, theirs, outer = logger_like()
    assert ours.frame is theirs.frame is outer.frame
    assert (ours.filename, ours.lineno, ours.function) == (theirs.filename, theirs.lineno, theirs.function)
    assert outer.function == "test_lookups_give_what_inspect_gives_for_the_caller"
    assert mesa_import._getmodule(ours.frame) is inspect.getmodule(theirs.frame) is sys.modules[__name__]
    assert mesa_import._getmodule(inspect) is inspect          # not a frame: inspect's own answer


_BLOCKED = """
import inspect, sys
stack = inspect.stack
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "mesa":
            raise ImportError("mesa blocked")
sys.meta_path.insert(0, Block())
try:
    import sim.engine.mesa_import
except ImportError as e:
    print(e)
print(inspect.stack is stack and inspect.getmodule.__module__ == "inspect")
"""


def test_inspect_stack_restored_when_the_import_fails():
    assert _python(_BLOCKED).splitlines() == ["mesa blocked", "True"]


_COUNTED = """
import inspect
calls = []
stack, outer = inspect.stack, inspect.getouterframes
inspect.stack = lambda *a, **k: calls.append("stack") or stack(*a, **k)
inspect.getouterframes = lambda *a, **k: calls.append("outer") or outer(*a, **k)
import PLACE
import mesa.mesa_logging as m
print(len(calls), len(m._module_loggers))
"""


def test_mesa_does_not_walk_the_stack_through_inspect_when_sim_imports_it():
    """The point of the module (a test of the test: a plain `import mesa` calls inspect's lookups)."""
    plain = _python(_COUNTED.replace("PLACE", "mesa")).split()
    through_sim = _python(_COUNTED.replace("PLACE", "sim.engine.model")).split()
    assert int(plain[0]) > 0 and int(through_sim[0]) == 0
    assert through_sim[1] == plain[1]                       # and Mesa made the same loggers
