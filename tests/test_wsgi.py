"""`pracha serve` loads the classifier once, in gunicorn's master, before the workers fork:
they share its pages instead of loading a copy each (issue 20)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pracha.management.commands.serve import gunicorn_argv
from tests.cli import Server, run_pracha, server_env


def test_gunicorn_loads_the_application_in_its_master() -> None:
    assert "--preload" in gunicorn_argv("127.0.0.1:8000", 2)


@pytest.mark.slow
def test_the_model_is_loaded_once_in_the_master_and_used_by_every_worker(
    tmp_path: Path, tiny_model_file: Path
) -> None:
    env = server_env(f"sqlite:///{tmp_path / 'pracha.sqlite3'}", tmp_path / "var")
    env["PRACHA_MODEL_PATH"] = str(tiny_model_file)
    run_pracha("migrate", "-v", "0", env=env, check=True)
    log = tmp_path / "serve.log"
    server = Server(env, log, workers=2)
    server.start()
    try:
        for _ in range(6):  # enough for both workers to take some
            status, body = server.request(
                "POST",
                "/api/v1/cases",
                {"description": "ท่อระบายน้ำอุดตัน น้ำเน่าเหม็น", "lat": 13.7291, "lon": 100.534},
            )
            assert status == 201, body
            assert body["triage"]["model_version"]  # the workers classify with the model
        master = server.process.pid if server.process else 0
    finally:
        server.kill()
    output = log.read_text()
    loads = re.findall(r"triage classifier \S+ loaded by process (\d+)", output)
    workers = set(re.findall(r"Booting worker with pid: (\d+)", output))
    assert loads == [str(master)], output[-3000:]
    assert len(workers) == 2 and str(master) not in workers
