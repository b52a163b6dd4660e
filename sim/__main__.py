"""`python -m sim` and the `siyu-lab` command (`entry`): sim.cli.main in a process of its own."""
import gc
import sys

from .cli import main


def entry() -> None:
    """Run `main` and exit with its code, without the interpreter's last full garbage collections over every object
    the libraries made (~0.45 s of each command on the 2-core machine; what is left is freed as the process ends,
    and exit handlers still run)."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    entry()
