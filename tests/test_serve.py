"""The dashboard's server settings (sim/present/serve.py) and its kernel manager's culling rule
(sim/present/kernels.py), without a browser: tests/test_browser.py drives the served page."""
from __future__ import annotations

import asyncio
import os
from datetime import timedelta
from types import SimpleNamespace

import pytest

pytest.importorskip("jupyter_server")

from jupyter_server._tz import utcnow  # noqa: E402

from sim.present import kernels, serve  # noqa: E402


def _manager(monkeypatch, clock):
    """A DashboardKernelManager with one idle kernel 'k' (last active 10 min ago), shutdowns recorded."""
    monkeypatch.setattr(kernels.time, "monotonic", lambda: clock[0])
    km = kernels.DashboardKernelManager(cull_idle_timeout=60)
    km._kernels["k"] = SimpleNamespace(execution_state="idle", kernel_name="python3",
                                       last_activity=utcnow() - timedelta(minutes=10),
                                       kernel_spec=SimpleNamespace(metadata={}))
    km._kernel_connections["k"] = 0
    stopped = []

    async def shutdown(kernel_id, *a, **k):
        stopped.append(kernel_id)
        km._kernels.pop(kernel_id, None)
    monkeypatch.setattr(km, "shutdown_kernel", shutdown)
    return km, stopped


def test_a_claimed_kernel_waits_for_its_browser_then_is_culled_if_none_comes(monkeypatch):
    clock = [1000.0]
    km, stopped = _manager(monkeypatch, clock)
    asyncio.run(km.cull_kernel_if_idle("k"))          # just claimed by a page, idle since its pre-heat
    assert stopped == [], "a kernel a page has just claimed was culled before its browser connected"
    clock[0] += 30
    asyncio.run(km.cull_kernel_if_idle("k"))
    assert stopped == []
    clock[0] += 31                                   # the page never connected: no leak
    asyncio.run(km.cull_kernel_if_idle("k"))
    assert stopped == ["k"]
    km, stopped = _manager(monkeypatch, clock)       # a page that connected and then left: culled at once
    km.notify_connect("k")
    km.notify_disconnect("k")
    asyncio.run(km.cull_kernel_if_idle("k"))
    assert stopped == ["k"]


def test_capacity_counts_the_cores_this_process_may_use(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert serve.pool_size(memory_mb=float("inf")) == serve.PER_CORE
    assert "1 usable core" in serve.capacity_line(serve.pool_size(memory_mb=float("inf")))
