"""``python -m tilik.web.jobs.child LABEL PK PARENT``: do one job's work, then exit.

Started by a worker (:func:`tilik.web.jobs.runner.supervise`) in a fresh interpreter, so no
thread pool of the worker's is inherited; it dies with the worker.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    label, pk, parent = argv
    from tilik.core.procs import die_with_parent

    die_with_parent(int(parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilik.web.settings")
    import django

    django.setup()
    from tilik.web.jobs.runner import execute, job_model

    execute(job_model(label), int(pk))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
