"""Benchmark of the respondent submission endpoint under 50 concurrent phones (loopback only).

Starts gunicorn (gthread workers) on 127.0.0.1 against PostgreSQL when
``TILIK_BENCH_POSTGRES_URL`` is set, else against a fresh SQLite file. Each client sends the
participant survey (fully answered, so every rule is checked) with a new instance id made on
the "phone"; about 20 % of the submissions are sent again (a retry after a lost answer), some
immediately and some later. At the end, every instance id the server acknowledged must be in
the database exactly once, and nothing else.

First a 1-client phase (the baseline: the same endpoint unloaded), then ``--clients``
clients (default 50) for ``--seconds`` (default 120). Latency p50/p99 for both.

Usage::

    .venv/bin/python benchmarks/bench_submit.py --seconds 30
    TILIK_BENCH_POSTGRES_URL=postgres://tilik@127.0.0.1:55433/tilik \\
        .venv/bin/python benchmarks/bench_submit.py
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RETRY_SHARE = 0.2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _setup(env: dict[str, str]) -> tuple[str, dict]:
    """Migrate, make an evaluation with the participant survey and an open link."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tilik.web.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    from tilik.web.accounts.models import Organisation
    from tilik.web.collection import services
    from tilik.web.collection.models import RespondentLink
    from tilik.web.evaluations.models import Evaluation

    organisation = Organisation.objects.create(name=f"Bench {uuid.uuid4()}", kind="instansi")
    evaluation = Evaluation.objects.create(
        organisation=organisation, title=f"Bench {uuid.uuid4()}", period="2025"
    )
    (instrument,) = services.add_standard_instruments(evaluation, ["survei_peserta"])
    _, token = RespondentLink.make(instrument, "open")
    form = instrument.form()
    answers: dict = {"persetujuan": "ya", "angkatan": "2", "saran": "Perlu jadwal yg fleksibel"}
    choices = {}
    for q in form.data_questions():
        if q.type == "select_one" and q.name not in answers:
            names = form.choice_names(q)
            choices[q.name] = names if q.list_name != "ya_tidak" else ["ya"]
        if q.type == "select_multiple":
            choices[q.name] = [[n] for n in form.choice_names(q) if n != "lainnya"]
    return token, {"fixed": answers, "choices": choices, "instrument": instrument.pk}


def _answers(rng: random.Random, spec: dict) -> dict:
    answers = dict(spec["fixed"])
    answers["nip"] = "19" + "".join(rng.choice("0123456789") for _ in range(16))
    for name, options in spec["choices"].items():
        answers[name] = rng.choice(options)
    return answers


class Client(threading.Thread):
    def __init__(self, port: int, token: str, spec: dict, deadline: float, seed: int) -> None:
        super().__init__(daemon=True)
        self.port, self.token, self.spec, self.deadline = port, token, spec, deadline
        self.rng = random.Random(seed)
        self.latencies: list[float] = []
        self.statuses: Counter[int] = Counter()
        self.acknowledged: set[str] = set()
        self.sent: set[str] = set()
        self.wrong: list[str] = []
        self.later: list[bytes] = []

    def _post(self, connection: http.client.HTTPConnection, body: bytes) -> tuple[int, dict]:
        start = time.perf_counter()
        connection.request(
            "POST", f"/f/{self.token}/kirim/", body, {"Content-Type": "application/json"}
        )
        response = connection.getresponse()
        payload = response.read()
        self.latencies.append(time.perf_counter() - start)
        self.statuses[response.status] += 1
        try:
            return response.status, json.loads(payload)
        except ValueError:
            return response.status, {}

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while time.time() < self.deadline:
            instance_id = str(uuid.uuid4())
            body = json.dumps(
                {"instance_id": instance_id, "lang": "id", "answers": _answers(self.rng, self.spec)}
            ).encode()
            self.sent.add(instance_id)
            try:
                status, data = self._post(connection, body)
                if status in (200, 201):
                    self.acknowledged.add(instance_id)
                if self.rng.random() < RETRY_SHARE:
                    if self.rng.random() < 0.5:
                        status, data = self._post(connection, body)  # at once
                        if status == 201:
                            self.wrong.append(f"{instance_id} stored twice")
                        elif status == 200:
                            self.acknowledged.add(instance_id)
                    else:
                        self.later.append(body)  # when the phone comes back online
                if self.later and self.rng.random() < 0.1:
                    late = self.later.pop(0)
                    status, data = self._post(connection, late)
                    late_id = json.loads(late)["instance_id"]
                    if status in (200, 201):
                        if status == 201 and late_id in self.acknowledged:
                            self.wrong.append(f"{late_id} stored twice")
                        self.acknowledged.add(late_id)
            except (OSError, http.client.HTTPException):
                self.statuses[0] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.close()


def _phase(port: int, token: str, spec: dict, clients: int, seconds: float) -> dict:
    deadline = time.time() + seconds
    threads = [Client(port, token, spec, deadline, seed) for seed in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    latencies = sorted(x for t in threads for x in t.latencies)
    statuses: Counter[int] = Counter()
    for t in threads:
        statuses.update(t.statuses)
    return {
        "clients": clients,
        "requests": len(latencies),
        "per_s": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else 0,
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))] if latencies else 0,
        "statuses": dict(statuses),
        "acknowledged": set().union(*(t.acknowledged for t in threads)),
        "sent": set().union(*(t.sent for t in threads)),
        "wrong": [w for t in threads for w in t.wrong],
    }


def _wait(port: int, process: subprocess.Popen) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise SystemExit("gunicorn exited early")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--baseline-seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="tilik-bench-submit-")
    env = {
        "TILIK_DATA": data_dir,
        "TILIK_OPEN_LINK_RATE": "1000000000",  # every client shares 127.0.0.1
        "TILIK_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TILIK_LOG_LEVEL": "ERROR",
    }
    postgres = os.environ.get("TILIK_BENCH_POSTGRES_URL", "")
    if postgres:
        env["DATABASE_URL"] = postgres
    token, spec = _setup(env)
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "tilik.web.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        env={**os.environ, **env},
        cwd=ROOT,
    )
    try:
        _wait(port, process)
        database = "PostgreSQL" if postgres else "SQLite"
        print(
            f"gunicorn {args.workers} workers × {args.threads} threads, {database}, "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        base = _phase(port, token, spec, 1, args.baseline_seconds)
        load = _phase(port, token, spec, args.clients, args.seconds)
    finally:
        process.terminate()
        process.wait(timeout=30)
    from tilik.web.collection.models import Submission

    stored = set(
        Submission.objects.filter(instrument_id=spec["instrument"]).values_list(
            "instance_id", flat=True
        )
    )
    acknowledged = base["acknowledged"] | load["acknowledged"]
    sent = base["sent"] | load["sent"]
    for name, r in (("baseline (1 client)", base), (f"{args.clients} clients", load)):
        print(
            f"{name:20s} {r['requests']:>7,} requests {r['per_s']:7.1f}/s  "
            f"p50 {r['p50_ms']:7.1f} ms  p99 {r['p99_ms']:7.1f} ms  statuses {r['statuses']}"
        )
    lost = acknowledged - stored
    unexpected = stored - sent
    print(
        f"instance ids sent {len(sent):,}, acknowledged {len(acknowledged):,}, "
        f"in the database {len(stored):,} (each at most once: unique constraint)"
    )
    ok = not lost and not unexpected and not base["wrong"] and not load["wrong"]
    print(
        "exactly once: "
        + (
            "yes"
            if ok
            else f"NO (lost {len(lost)}, unexpected {len(unexpected)}, double {load['wrong'][:3]})"
        )
    )
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
