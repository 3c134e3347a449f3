"""Import one data file as an import does, in a process of its own: the hostile-input tests run
this with a memory limit and a time limit and read what it prints (JSON).

``python -m tests.hostile_runner DATA FORM``
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tilik.core.i18n import translate
from tilik.core.ingest import read_export_parallel
from tilik.core.xlsform import read_xlsform


def main() -> None:
    data, form_path = Path(sys.argv[1]), Path(sys.argv[2])
    form, _ = read_xlsform(form_path)
    assert form is not None
    stored: list[object] = []
    result = read_export_parallel(
        data.read_bytes(), form, sink=stored.extend, file_name=data.name, min_rows=0
    )
    print(
        json.dumps(
            {
                "stored": len(stored),
                "quarantined": len(result.quarantined),
                "stopped": result.stopped,
                "problems": [
                    {
                        "id": p.message,
                        "en": translate(p.message, "en"),
                        "row": p.row,
                        "text": p.render("en"),
                        "severity": p.severity,
                    }
                    for p in result.problems
                ],
            }
        )
    )


if __name__ == "__main__":
    main()
