"""bench/cat_simulation.py runs and prints every figure the issue asks for (a small run)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_simulation_prints_its_figures_and_goals() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "cat_simulation.py"), "--examinees", "300"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for line in (
        "300 examinees",
        "items to reach it, adaptive: mean",
        "random fixed form (BKN):",
        "best fixed form:",
        "RMSE of theta:",
        "conditional bias and RMSE by true theta:",
        "pass/fail accuracy at theta -1.00:",
        "largest item exposure:",
        "fewer items than the shortest fixed form",
    ):
        assert line in out, line
