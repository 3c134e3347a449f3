"""The processes behind ``tilik serve`` and ``tilik demo``: the web server and its workers.

Each is a fresh interpreter (never a fork of this process, which may have loaded polars or
scikit-learn: their thread pools do not survive a fork). This process only watches them:
Ctrl-C or SIGTERM stops them all within a few seconds, and if one of them dies the others
are stopped too, so nothing is left running half. If this process is killed outright, the
children notice: gunicorn's master and the workers die with it (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence

#: How long the processes get to stop on their own before they are killed (seconds).
STOP_WITHIN = 4.0
#: Tells a child the pid of the supervisor it must not outlive.
PARENT_ENV = "TILIK_SUPERVISOR_PID"


def die_with_supervisor() -> None:
    """In a child of :func:`run_all`: die when the supervisor dies, even if it is killed."""
    parent = os.environ.pop(PARENT_ENV, "")
    if parent.isdigit():
        from tilik.core.procs import die_with_parent

        die_with_parent(int(parent))


def server_command(host: str, port: int, *, quiet: bool) -> list[str]:
    command = [sys.executable, "-m", "tilik.web.server", host, str(port)]
    return [*command, "--quiet"] if quiet else command


def worker_command() -> list[str]:
    return [sys.executable, "-m", "tilik", "worker"]


class Stop(Exception):
    """A signal asked this process to stop."""


def _raise_stop(signum: int, frame: object) -> None:
    raise Stop(signum)


def run_all(commands: Sequence[Sequence[str]], *, ready: str = "") -> int:
    """Start ``commands``, wait until one ends or a signal comes, then stop them all.

    Returns the exit status: 0 when stopped by a signal, otherwise the first one that ended.
    """
    previous = {sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    children: list[subprocess.Popen] = []
    status = 0
    try:
        for command in commands:
            # Each in its own session: Ctrl-C reaches this process only, which stops each
            # child once (a second signal mid-shutdown makes gunicorn wait longer).
            env = {**os.environ, PARENT_ENV: str(os.getpid())}
            child = subprocess.Popen(list(command), start_new_session=True, env=env)  # noqa: S603
            children.append(child)
        if ready:
            print(ready, flush=True)
        while True:
            ended = [c for c in children if c.poll() is not None]
            if ended:
                status = ended[0].returncode or 1
                break
            time.sleep(0.2)
    except Stop:
        status = 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, signal.SIG_IGN if sig == signal.SIGINT else handler)
        stop_all(children)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return status


def stop_all(children: Sequence[subprocess.Popen]) -> None:
    """SIGTERM to each child still running, SIGKILL to those still running after a while."""
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_WITHIN
    for child in children:
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0.05))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def worker_count(default: int = 1) -> int:
    return max(int(os.getenv("TILIK_TASK_WORKERS", str(default))), 0)


def exec_serve(host: str, port: int, *, tasks: int, quiet: bool, ready: str) -> None:
    """Become the supervisor of the server and its workers (:func:`main`).

    ``tilik demo`` and ``tilik serve`` prepare the database in this process first; what
    then runs for days is a fresh, small interpreter (a few MB) instead of one holding
    everything those steps loaded.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    args = [host, str(port), str(tasks), "quiet" if quiet else "verbose", ready]
    os.execv(sys.executable, [sys.executable, "-m", "tilik.cli.serving", *args])  # noqa: S606


def main(argv: Sequence[str]) -> int:
    host, port, tasks, verbosity, ready = argv
    commands = [server_command(host, int(port), quiet=verbosity == "quiet")]
    commands += [worker_command() for _ in range(int(tasks))]
    return run_all(commands, ready=ready)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
