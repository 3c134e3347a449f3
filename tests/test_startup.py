"""Start-up stays light: every ``tilik`` command and every web or worker process starts by
importing the CLI or calling ``django.setup()``, and a worker waits for jobs with its runner
loaded; none of them may load a heavy library (each takes a tenth of a second to a second
to import). They are imported where they are used."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = (
    "polars",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "sklearn",
    "pyxform",
    "openpyxl",
    "weasyprint",
    "docx",
    "ortools",
)


def _loaded(code: str, tmp_path) -> list[str]:
    probe = (
        f"{code}; import json, sys; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    env = {
        **os.environ,
        "TILIK_DATA": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tilik.web.settings",
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "code",
    [
        "from tilik.cli.main import cli",
        "import django; django.setup()",
        "import django; django.setup(); from tilik.web.jobs import runner, worker",
    ],
    ids=["cli", "django-setup", "worker"],
)
def test_it_starts_without_heavy_libraries(tmp_path, code):
    assert _loaded(code, tmp_path) == []
