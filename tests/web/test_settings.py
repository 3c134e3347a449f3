from __future__ import annotations

import os
import subprocess
import sys


def _check(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TILIK_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "django", "check", *args, "--settings=tilik.web.settings"],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def test_it_passes_the_deployment_checks_in_production(tmp_path):
    result = _check(
        "--deploy",
        "--fail-level",
        "WARNING",
        TILIK_DATA=str(tmp_path),
        TILIK_SECURE="yes",
        TILIK_SECRET_KEY="x" * 64 + "-production-key",
        TILIK_HASH_KEY="h" * 40,
        TILIK_ALLOWED_HOSTS="tilik.example.go.id",
        TILIK_TRUSTED_PROXIES="127.0.0.1",
        DATABASE_URL="postgres://tilik:pw@127.0.0.1:5432/tilik",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_warns_when_a_tls_proxy_hides_the_client_addresses(tmp_path):
    result = _check(TILIK_DATA=str(tmp_path), TILIK_SECURE="yes")
    assert "tilik.W004" in result.stdout + result.stderr
    bad = _check(TILIK_DATA=str(tmp_path), TILIK_TRUSTED_PROXIES="proksi-kantor")
    assert "tilik.E001" in bad.stdout + bad.stderr


def test_it_warns_when_the_hash_key_is_missing_on_postgresql(tmp_path):
    result = _check(TILIK_DATA=str(tmp_path), DATABASE_URL="postgres://u:p@127.0.0.1:1/x")
    assert "tilik.W001" in result.stdout + result.stderr


def test_it_keeps_its_data_in_the_data_folder(tmp_path):
    _check(TILIK_DATA=str(tmp_path))
    assert (tmp_path / "secret_key").exists()
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_the_access_log_never_shows_a_respondent_token():
    from types import SimpleNamespace

    from gunicorn.config import Config

    from tilik.web.server import RedactingLogger, redact

    token = "qGx2fC6m3cqmHft8t9NAR5qkMDkZAkBmEe6zeIGgQDQ"
    assert redact(f"/f/{token}/") == "/f/…/"
    assert redact(f"/f/{token}/kirim/") == "/f/…/kirim/"
    assert redact("/evaluasi/3/") == "/evaluasi/3/"
    logger = RedactingLogger(Config())
    request = SimpleNamespace(
        method="POST", path=f"/f/{token}/kirim/", query="", version=(1, 1), headers=[]
    )
    response = SimpleNamespace(status="201 Created", response_length=10, sent=10, headers=[])
    environ = {
        "RAW_URI": f"/f/{token}/kirim/",
        "REQUEST_METHOD": "POST",
        "PATH_INFO": f"/f/{token}/kirim/",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    from datetime import timedelta

    atoms = logger.atoms(response, request, environ, timedelta(seconds=0.1))
    assert token not in str(atoms)


def test_django_request_warnings_never_show_a_respondent_token():
    import logging

    from tilik.web.server import TokenFilter

    token = "x" * 43
    record = logging.LogRecord(
        "django.request", logging.WARNING, "", 0, "Gone: %s", (f"/f/{token}/",), None
    )
    assert TokenFilter().filter(record) and token not in record.getMessage()
    assert record.getMessage() == "Gone: /f/…/"


def test_a_web_worker_fits_the_theme_coder_in_the_background(monkeypatch):
    from tilik.core.themes import Coder
    from tilik.web.server import options, warm_coder

    assert options("127.0.0.1", 0)["post_worker_init"]
    monkeypatch.setenv("TILIK_WARM_CODER", "0")
    assert warm_coder(delay=0) is None
    monkeypatch.setenv("TILIK_WARM_CODER", "1")
    thread = warm_coder(delay=0)
    assert thread is not None and thread.daemon
    thread.join(timeout=120)
    assert Coder.default()._model is not None
