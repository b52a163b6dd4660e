"""Writing files so that a reader never sees half of one: a temporary file in the same folder,
then a rename over the target (atomic on POSIX). Used by the CLI, sweeps, reports, chart
export and notebook execution.

Commands that write several files publish a whole folder (`publish_dir`): everything is written
into a temporary folder beside the target, which then replaces the target in one rename, so a
reader finds either the complete earlier output or the complete new one, never a mix.
`check_out_dir` checks the target before any work (not a file, writable, not someone else's folder).
A publish that was killed leaves its temporary folder (.NAME.new-XXXXXXXX, .NAME.old-XXXXXXXX) beside the
target; the next publish into the same target removes those (`_remove_leftovers`) without reading them.
`oversize` is the one size rule for input files, checked before a file is read."""
from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import fnmatch
import json
import math
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

from .errors import UsageError

MAX_DATA_BYTES = 1_000_000_000   # an orders or customers file (CSV): ~20 million orders


def oversize(size: int, limit: int, what: str) -> str | None:
    """None if `size` bytes (from a stat, before reading) is within `limit`, else the sentence saying
    so for an error message, e.g. "2,147,483,648 bytes: a scenario file is at most 1,000,000 bytes"."""
    return None if size <= limit else f"{size:,} bytes: {what} is at most {limit:,} bytes"


def file_mode() -> int:
    """Permissions for a new file under the current umask (temporary files are created 0600)."""
    return 0o666 & ~_umask()


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


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")   # a spreadsheet runs such a cell as a formula


def csv_safe(value):
    """`value` as a CSV cell a spreadsheet shows as text: text starting with = + - @ (or full-width ones), a
    tab or a carriage return gets a leading apostrophe (OWASP's advice on CSV injection); other values as they are."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def csv_text(frame, **kw) -> str:
    """`frame.to_csv(**kw)` with every text cell passed through `csv_safe` (numbers and dates untouched).
    Every CSV the lab writes with text from a user's file (customer ids) goes through here."""
    text_cols = [c for c in frame.columns if frame[c].dtype == object or str(frame[c].dtype) in ("string", "str")]
    if text_cols:
        frame = frame.copy()
        for c in text_cols:
            frame[c] = frame[c].astype(object).map(csv_safe, na_action="ignore")
    return frame.to_csv(**kw)


def json_text(obj, indent: int = 2) -> str:
    """`obj` as strict JSON text (RFC 8259, what jq, JavaScript and spreadsheets read): NaN and
    infinities as null, other values JSON lacks as their str()."""
    def clean(v):
        if isinstance(v, float) and not math.isfinite(v):
            return None
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [clean(x) for x in v]
        return v
    return json.dumps(clean(obj), indent=indent, default=str, allow_nan=False)


# ----------------------------------------------------------------- whole output folders

MARKER = ".siyu-output.json"     # written into every published folder: which command wrote which files


def _nearest_existing(path: Path) -> Path:
    p = path
    while not p.exists() and p != p.parent:
        p = p.parent
    return p


def _foreign(folder: Path, patterns) -> list[str]:
    """Entries of `folder` not written by a publish (per its marker) and not matching `patterns`."""
    ours: set[str] = {MARKER}
    try:
        ours |= set(json.loads((folder / MARKER).read_text(encoding="utf-8")).get("files", []))
    except (OSError, ValueError, AttributeError):
        pass
    return sorted(e.name for e in folder.iterdir()
                  if e.name not in ours and not any(fnmatch.fnmatch(e.name, p) for p in patterns))


def check_out_dir(path, patterns=(), what: str = "--out") -> Path:
    """Check, before any work, that `path` can be published as a whole by `publish_dir`: it is not a
    file, its parent folder can be written (a probe folder is made and removed there), and an
    existing folder holds only an earlier output (files matching `patterns` or listed in its marker).
    Raises UsageError naming the folder; returns it as a Path."""
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{what} {str(out)!r} is a file, not a folder")
    if out.resolve() == Path.cwd().resolve() or out.resolve().parent == out.resolve():
        raise UsageError(f"{what} {str(out)!r}: give a folder for this output, not the current or root folder")
    base = _nearest_existing(out.parent)
    if not base.is_dir():
        raise UsageError(f"{what} {str(out)!r}: {str(base)!r} is a file, not a folder")
    try:
        os.rmdir(tempfile.mkdtemp(dir=base, prefix=".siyu-probe-"))
    except OSError as exc:
        raise UsageError(f"{what} {str(out)!r}: cannot write in {str(base)!r} ({exc.strerror or exc})") from None
    if out.is_dir():
        extra = _foreign(out, patterns)
        if extra:
            raise UsageError(f"{what} {str(out)!r} holds {len(extra)} file(s) this command did not write "
                             f"(e.g. {extra[0]!r}); give a new or empty folder, or an earlier output of this command")
    return out


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(-100, os.fsencode(a), -100, os.fsencode(b), 2) == 0:      # AT_FDCWD, RENAME_EXCHANGE
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextlib.contextmanager
def publish_dir(path, patterns=(), what: str = "--out"):
    """Yield a fresh temporary folder beside `path`; when the block succeeds, it becomes `path` in one
    rename (an earlier output at `path` is replaced as a whole); when it fails, it is removed and
    `path` is left as it was. Call `check_out_dir` first (before the work) for a clean message.

        with publish_dir("out/run1", ["*.csv", "*.json", "*.yaml"]) as tmp:
            write_atomic(tmp / "daily.csv", text)
    """
    out = check_out_dir(path, patterns, what)
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.new-"))
    held = _hold(tmp)                               # tells a concurrent publish into `out` that tmp is in use
    try:
        yield tmp
        names = sorted(p.name for p in tmp.iterdir())
        (tmp / MARKER).write_text(json.dumps({"files": names}), encoding="utf-8")
        os.chmod(tmp, 0o777 & ~_umask())
        if not out.exists():
            os.rename(tmp, out)
        elif _exchange(tmp, out):                   # tmp now holds the earlier output (a folder or a link)
            _remove(tmp)
        else:
            old = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.old-"))
            os.replace(out, old)
            try:
                os.rename(tmp, out)
            except BaseException:
                os.replace(old, out)
                raise
            _remove(old)
    except BaseException:
        _remove(tmp)
        raise
    finally:
        os.close(held)


_LEFTOVER = r"\.{name}\.(?:new|old)-[a-z0-9_]{{8}}"   # tempfile.mkdtemp's 8 characters after publish_dir's prefixes


def _hold(folder: Path) -> int:
    """An open descriptor of `folder` holding an exclusive lock on it (released when closed or the process dies)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def _remove(path: Path) -> None:
    """Delete a temporary folder of a publish, or a link to one (never what the link points to)."""
    with contextlib.suppress(OSError):
        if path.is_symlink():
            path.unlink()
        else:
            shutil.rmtree(path, ignore_errors=True)


def _remove_leftovers(out: Path) -> None:
    """Remove what killed publishes into `out` left beside it: entries named like publish_dir's temporary folders
    for `out` (.NAME.new-XXXXXXXX, .NAME.old-XXXXXXXX), owned by this user, that are links (removed, not followed)
    or folders no running publish holds (see _hold). Their contents are never read."""
    pattern = re.compile(_LEFTOVER.format(name=re.escape(out.name)))
    try:
        entries = [e for e in os.scandir(out.parent) if pattern.fullmatch(e.name)]
    except OSError:
        return
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
            if info.st_uid != os.getuid():
                continue
            if stat.S_ISLNK(info.st_mode):
                os.unlink(entry.path)
            elif stat.S_ISDIR(info.st_mode):
                fd = os.open(entry.path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)     # fails while a running publish holds it
                    shutil.rmtree(entry.path, ignore_errors=True)
                finally:
                    os.close(fd)
        except OSError:
            continue


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
