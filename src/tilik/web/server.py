"""Serving the web app with gunicorn, started from Python so ``tilik serve`` needs nothing else."""

from __future__ import annotations

import os
from typing import Any

from gunicorn.app.base import BaseApplication


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
        }
    ).run()
