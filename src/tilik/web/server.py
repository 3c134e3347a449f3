"""Serving the web app with gunicorn, started from Python so ``tilik serve`` needs nothing else.

``python -m tilik.web.server HOST PORT`` is the process that ``tilik serve`` and ``tilik demo``
start: a fresh interpreter whose gunicorn master forks its workers before anything with a
thread pool (polars, BLAS, scikit-learn) was loaded — a thread pool does not survive a fork,
and a worker that inherits one hangs on its first parallel operation. The master refuses to
fork if it finds itself running more than one thread.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import time
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

# A respondent link's token is its credential: it never reaches a log.
_TOKEN_PATH = re.compile(r"/f/[^/?\s]+")


def redact(path: str) -> str:
    """``path`` with the token of a respondent link (``/f/<token>/…``) replaced by ``…``."""
    return _TOKEN_PATH.sub("/f/…", path)


class TokenFilter(logging.Filter):
    """A logging filter taking respondent-link tokens out of every record's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "/f/" in str(record.msg) or any("/f/" in str(a) for a in (record.args or ())):
            record.msg = redact(record.getMessage())
            record.args = None
        return True


class RedactingLogger(Logger):
    """gunicorn's logger, with respondent-link tokens taken out of the access log."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items()}


class _Server(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from tilik.web.wsgi import application

        return application


class UnsafeToFork(RuntimeError):
    """The server process runs other threads: its workers could inherit a broken pool."""


def check_fork_safe(_server: Any = None) -> None:
    """gunicorn hook: a master with more than one thread must not fork workers."""
    from tilik.core.procs import os_thread_count

    threads = os_thread_count()
    if threads != 1:
        raise UnsafeToFork(
            f"the gunicorn master runs {threads} threads (a thread pool was loaded before "
            "the workers were forked); start the server with `tilik serve`"
        )


def options(host: str, port: int, *, quiet: bool = False) -> dict[str, Any]:
    return {
        "bind": f"{host}:{port}",
        "workers": int(os.getenv("TILIK_WORKERS", "2")),
        "threads": int(os.getenv("TILIK_THREADS", "4")),
        "worker_class": "gthread",
        "timeout": 120,
        # Ctrl-C or SIGTERM: requests under way get a few seconds, then the server stops.
        "graceful_timeout": int(os.getenv("TILIK_GRACEFUL_TIMEOUT", "2")),
        "loglevel": "warning" if quiet else "info",
        "accesslog": "-" if os.getenv("TILIK_ACCESS_LOG") else None,
        # The access log never carries query strings: tokens and NIPs could sit there.
        "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss',
        "logger_class": RedactingLogger,
        "pre_fork": lambda server, worker: check_fork_safe(server),
        "post_worker_init": lambda worker: warm_coder(),
    }


def warm_coder(delay: float | None = None) -> threading.Thread | None:
    """Fit the default theme coder in a background thread of a web worker, a few seconds
    after it starts serving: the first coding screen then codes at once instead of fitting
    the model first (about two seconds). ``TILIK_WARM_CODER=0`` turns it off."""
    if os.getenv("TILIK_WARM_CODER", "1") == "0":
        return None
    wait = float(os.getenv("TILIK_WARM_CODER_DELAY", "5")) if delay is None else delay

    def fit() -> None:
        time.sleep(wait)
        try:
            from tilik.core.themes import Coder

            Coder.default().model  # noqa: B018 - fitted and kept for the worker's requests
        except Exception:  # a warm-up only: the coding screen fits it itself if this failed
            logging.getLogger(__name__).exception("warming the theme coder failed")

    thread = threading.Thread(target=fit, name="tilik-warm-coder", daemon=True)
    thread.start()
    return thread


def serve(host: str, port: int, *, quiet: bool = False) -> None:
    """Run gunicorn in this process (which must not have loaded a thread pool)."""
    _Server(options(host, port, quiet=quiet)).run()


def main(argv: list[str]) -> None:
    from tilik.cli.serving import die_with_supervisor

    die_with_supervisor()
    host, port, *rest = argv
    serve(host, int(port), quiet="--quiet" in rest)


if __name__ == "__main__":
    main(sys.argv[1:])
