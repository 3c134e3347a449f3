"""`tilik demo` (what `make run` starts) prints what a person needs, and no library noise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_the_demo_prints_the_report_the_address_and_the_login(tmp_path):
    env = {**os.environ, "TILIK_DATA": str(tmp_path / "data"), "TILIK_LOG_LEVEL": "INFO"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    tilik = Path(sys.executable).with_name("tilik")
    result = subprocess.run(
        [str(tilik), "demo", "--no-serve", "--port", "8765", "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert str(tmp_path / "out" / "laporan.html") in output
    assert "http://127.0.0.1:8765/evaluasi/" in output
    assert "kata sandi «" in output
    assert "fontTools" not in output and "DEBUG" not in output
    assert len(output.splitlines()) < 20, output
    # the demo user administers the demo's organisation: its portfolio and team pages open
    import sqlite3

    (database,) = (tmp_path / "data").glob("*.sqlite3")
    with sqlite3.connect(database) as db:
        roles = db.execute(
            "SELECT m.role FROM accounts_organisationmember m JOIN auth_user u ON u.id = m.user_id"
            " WHERE u.username = 'demo'"
        ).fetchall()
    assert ("admin",) in roles
