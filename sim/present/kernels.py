"""The dashboard's kernel manager (Voila's `multi_kernel_manager_class`, set by sim/present/serve.py): Jupyter's
culler stops a kernel only once its page has left it, never while a page is on its way to it.

Why: Voila hands a visitor a pre-heated kernel that has sat idle in the pool since it ran the page. Voila's own
culling check spares kernels while they are in the pool, but the moment a page claims one it is no longer
pooled, its last activity is still the end of its pre-heat (often longer ago than the cull time), and the page's
browser has not connected yet (it loads the page and the widget scripts first). A cull sweep in that window
stopped the kernel as "idle and unconnected" and the page retried a dead kernel for ever (HTTP 404): 4 of 24
visits in the measurement of docs/notebooks.md. Claiming a kernel is activity: a kernel no browser has yet
connected to gets the full cull time from the first sweep that sees it out of the pool; after that (a visitor
who closed the page before it connected) it is culled as usual, so nothing leaks.
"""
from __future__ import annotations

import time

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager


class DashboardKernelManager(AsyncMappingKernelManager):
    """Jupyter's kernel manager, except that a kernel waiting for its first browser connection is spared by the
    culler for `cull_idle_timeout` seconds after it is first seen out of Voila's pool."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._connected_once: set[str] = set()       # kernels a browser has connected to
        self._waiting_since: dict[str, float] = {}   # kernel -> when a sweep first saw it claimed, unconnected

    def notify_connect(self, kernel_id):
        """A browser connected to the kernel: from now on it is culled once idle and left (Jupyter's rule)."""
        self._connected_once.add(kernel_id)
        self._waiting_since.pop(kernel_id, None)
        return super().notify_connect(kernel_id)

    async def cull_kernel_if_idle(self, kernel_id):
        """Jupyter's idle check (reached only for kernels Voila does not hold in its pool), after a grace of
        `cull_idle_timeout` s for a kernel that no browser has connected to yet."""
        kernel = self._kernels.get(kernel_id)
        if (kernel is not None and kernel_id not in self._connected_once
                and getattr(kernel, "execution_state", None) != "dead"):
            first = self._waiting_since.setdefault(kernel_id, time.monotonic())
            if time.monotonic() - first <= self.cull_idle_timeout:
                return None
        return await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_kernel(self, kernel_id, *args, **kwargs):
        """Forget the kernel's connection record, then stop it as Jupyter does."""
        self._connected_once.discard(kernel_id)
        self._waiting_since.pop(kernel_id, None)
        return await super().shutdown_kernel(kernel_id, *args, **kwargs)
