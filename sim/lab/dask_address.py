"""A Dask scheduler address, checked within a few seconds, before a sweep creates anything.

`check_address(address)` accepts tcp://host:port (or tls://) of a running Dask scheduler. It connects
with a plain socket and reads the greeting a scheduler sends as soon as a connection opens
(distributed's comm handshake: an 8-byte length, then frames whose msgpack names 'pickle-protocol').
Anything else is one UsageError naming the address and what answered: nothing (then one HTTP request
tells whether it is a web server, such as the Dask dashboard on port 8787), an HTTP server, other bytes,
or a closed connection. `distributed.Client` itself waits for ever for a greeting that never comes, or
reads an HTTP reply as a frame count and tries to allocate exabytes. A tls:// address is only connected
to (its greeting is encrypted); distributed checks the rest with its own timeout.
"""
from __future__ import annotations

import socket
import struct
import time

from ..core.errors import UsageError, clip

DASK_CONNECT_TIMEOUT = 5.0   # seconds to reach the host and port
GREETING_TIMEOUT = 5.0       # seconds for the scheduler's greeting (it comes within milliseconds)
HTTP_TIMEOUT = 2.0           # seconds for the answer to one HTTP request, when nothing greeted
MAX_GREETING = 1 << 16       # bytes: a scheduler's greeting is ~100


def check_address(address: str) -> None:
    """Refuse (UsageError, one line naming the address and what answered) anything but a Dask scheduler."""
    if not isinstance(address, str) or not address.strip():
        raise UsageError(f"Dask scheduler address {clip(repr(address), 80)}: expected e.g. tcp://host:8786")
    addr = address.strip()
    proto, _, rest = addr.rpartition("://")
    if proto not in ("", "tcp", "tls"):
        raise UsageError(f"Dask scheduler address {clip(address, 80)!r}: only tcp:// (or tls://) addresses of a "
                         "running scheduler are supported, e.g. tcp://10.0.0.5:8786")
    host, _, port = rest.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"Dask scheduler address {clip(address, 80)!r}: expected tcp://host:port, e.g. tcp://10.0.0.5:8786")
    try:
        sock = socket.create_connection((host, int(port)), timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, UnicodeError) as exc:
        raise UsageError(f"cannot reach a Dask scheduler at {clip(address, 80)!r} within {DASK_CONNECT_TIMEOUT:g} s "
                         f"({getattr(exc, 'strerror', None) or exc}); start one with `dask scheduler` and check host "
                         "and port") from None
    with sock:
        what = None if proto == "tls" else _not_a_scheduler(sock, host)
    if what:
        raise UsageError(f"Dask scheduler address {clip(address, 80)!r}: {what}, not a Dask scheduler; give the "
                         "scheduler's address (`dask scheduler` listens on port 8786 by default)")


def _recv(sock: socket.socket, n: int, seconds: float) -> tuple[bytes, bool]:
    """(up to `n` bytes from `sock`, whether it closed): fewer bytes if it closes or `seconds` pass."""
    data, deadline = b"", time.monotonic() + seconds
    while len(data) < n:
        left = deadline - time.monotonic()
        if left <= 0:
            return data, False
        sock.settimeout(left)
        try:
            chunk = sock.recv(n - len(data))
        except TimeoutError:
            return data, False
        except OSError:
            return data, True
        if not chunk:
            return data, True
        data += chunk
    return data, False


def _not_a_scheduler(sock: socket.socket, host: str) -> str | None:
    """None if what `sock` sends first is a Dask scheduler's greeting, else what answered, in words."""
    head, closed = _recv(sock, 8, GREETING_TIMEOUT)
    if len(head) == 8:
        (size,) = struct.unpack("<Q", head)
        if 0 < size <= MAX_GREETING:
            body, _ = _recv(sock, size, GREETING_TIMEOUT)
            if b"pickle-protocol" in body:
                return None
            head += body
        return f"something else answered ({clip(repr(head[:60] + _recv(sock, 40, 0.2)[0]), 80)})"
    if head:
        return f"something else answered ({clip(repr(head), 80)})"
    if closed:
        return "the server closed the connection without a word"
    try:
        sock.sendall(f"HEAD / HTTP/1.0\r\nHost: {host}\r\n\r\n".encode("ascii", "replace"))
        reply, _ = _recv(sock, 64, HTTP_TIMEOUT)
    except OSError:
        reply = b""
    if reply.startswith(b"HTTP/"):
        status = reply.split(b"\r\n", 1)[0].decode("latin-1")
        return f"an HTTP server answered ({clip(status, 60)}), e.g. the Dask dashboard (port 8787)"
    if reply:
        return f"something else answered ({clip(repr(reply), 80)})"
    return f"the server accepted the connection but sent nothing within {GREETING_TIMEOUT:g} s"
