"""Writing files so that a reader never sees half of one: a temporary file in the same folder,
then a rename over the target (atomic on POSIX). Used by the CLI, sweeps, reports, chart
export and notebook execution."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def file_mode() -> int:
    """Permissions for a new file under the current umask (temporary files are created 0600)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_path(path, suffix: str = ".tmp", mode: int | None = None):
    """Yield a temporary path beside `path`; when the block succeeds, rename it over `path`
    (with `mode`, default: as a new file would get); when it fails, delete it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, file_mode() if mode is None else mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomic(path, data: str | bytes) -> None:
    """Write text (UTF-8) or bytes to `path` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
