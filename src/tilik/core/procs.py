"""Child processes that never outlive their parent, and forks that are safe."""

from __future__ import annotations

import ctypes
import os
import signal
import sys

__all__ = ["die_with_parent", "os_thread_count", "safe_to_fork"]

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """Have the kernel kill this process when its parent dies (Linux; elsewhere nothing).

    ``parent`` is the pid the caller expects as its parent: if that one is already gone
    (it died between starting this process and this call), this process exits now.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the supervisor's heartbeat still tells
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def os_thread_count() -> int:
    """Threads of this process as the operating system sees them (thread pools of polars,
    BLAS or OpenMP included, which :func:`threading.active_count` does not count)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        import threading

        return threading.active_count()


def safe_to_fork() -> bool:
    """Whether :func:`os.fork` may be used: only a process running one thread may fork; a
    thread pool (polars, BLAS) does not survive into the child, whose first parallel
    operation then waits forever."""
    return hasattr(os, "fork") and os_thread_count() == 1
