"""Serving the web app with gunicorn, started from Python so ``tilik serve`` needs nothing else."""

from __future__ import annotations

import logging
import os
import re
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


def serve(host: str, port: int) -> None:
    workers = int(os.getenv("TILIK_WORKERS", "2"))
    _Server(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": int(os.getenv("TILIK_THREADS", "4")),
            "worker_class": "gthread",
            "timeout": 120,
            "accesslog": "-" if os.getenv("TILIK_ACCESS_LOG") else None,
            # The access log never carries query strings: tokens and NIPs could sit there.
            "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss',
            "logger_class": RedactingLogger,
            # gunicorn's start-up and worker notes are for operators who ask for them.
            "loglevel": os.getenv("TILIK_LOG_LEVEL", "warning").lower(),
        }
    ).run()
