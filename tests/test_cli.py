"""The `pracha` command as a person runs it: from any directory, with clear errors."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PRACHA = [sys.executable, "-m", "pracha.cli"]


def run(
    args: list[str], env: dict[str, str], cwd: Path, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PRACHA, *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def isolated_env(tmp_path: Path) -> dict[str, str]:
    """A fresh SQLite database and var/ directory, whatever the caller's environment."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["PRACHA_VAR_DIR"] = str(tmp_path / "var")
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'pracha.sqlite3'}"
    return env


def test_help_lists_the_commands(isolated_env: dict[str, str], tmp_path: Path) -> None:
    result = run(["--help"], isolated_env, tmp_path)
    assert result.returncode == 0
    for command in ("serve", "import-traffy", "apikey", "createofficer", "demo"):
        assert command in result.stdout


@pytest.mark.slow
def test_works_from_any_directory(isolated_env: dict[str, str], tmp_path: Path) -> None:
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    result = run(["migrate", "-v", "0"], isolated_env, elsewhere)
    assert result.returncode == 0, result.stderr
    result = run(["apikey", "create", "partner"], isolated_env, elsewhere)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("pk_")
    assert (tmp_path / "pracha.sqlite3").exists()


@pytest.mark.slow
def test_bad_arguments_give_a_message_not_a_traceback(
    isolated_env: dict[str, str], tmp_path: Path
) -> None:
    result = run(["serve", "--port", "0"], isolated_env, tmp_path)
    assert result.returncode != 0
    assert "--port must be from 1 to 65535" in result.stderr
    assert "Traceback" not in result.stderr
    args = ["createofficer", "bob", "--agency", "no-such-agency", "--no-input"]
    result = run(args, isolated_env, tmp_path)
    assert result.returncode != 0
    assert "the database is not set up yet" in result.stderr
    assert "run `pracha migrate` first" in result.stderr
    assert "Traceback" not in result.stderr
    assert run(["migrate", "-v", "0"], isolated_env, tmp_path).returncode == 0
    result = run(args, isolated_env, tmp_path)
    assert result.returncode != 0
    assert "no agency matches 'no-such-agency'" in result.stderr
    assert "Traceback" not in result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_serve_answers_the_api(isolated_env: dict[str, str], tmp_path: Path) -> None:
    assert run(["migrate", "-v", "0"], isolated_env, tmp_path).returncode == 0
    port = free_port()
    server = subprocess.Popen(
        [*PRACHA, "serve", "--port", str(port), "--workers", "1"],
        env=isolated_env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/api/v1/cases?limit=5", timeout=2
                ) as response:
                    body = json.load(response)
                    break
            except OSError:
                time.sleep(0.2)
        assert body == {"items": [], "count": 0, "limit": 5, "offset": 0}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/docs", timeout=5) as docs:
            page = docs.read().decode()
        assert "swagger" in page.lower()
        assert "cdn.jsdelivr" not in page  # nothing is fetched from the internet
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in output


@pytest.mark.slow
def test_demo_sets_up_real_data_and_officers(isolated_env: dict[str, str], tmp_path: Path) -> None:
    result = run(["demo", "--no-serve", "--no-train"], isolated_env, tmp_path, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "central" in result.stdout and "token" in result.stdout
    check = run(
        [
            "shell",
            "--no-imports",
            "-c",
            "from pracha.cases.models import Case; print(Case.objects.count())",
        ],
        isolated_env,
        tmp_path,
    )
    assert int(check.stdout.strip()) > 5000
