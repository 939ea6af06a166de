"""The code passes ruff and mypy with the settings in pyproject.toml ([tool.ruff], [tool.mypy]):
the README's test command runs both, so a lint or typing error fails the suite like a broken test.
`bash tests/install.sh` installs both, with the type stubs, from the test extras."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

RUFF_PATHS = ["gkml_ssg", "tests", "bench", "docs", "build.py", "setup.py"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, encoding="utf-8", timeout=600
    )


def test_ruff_finds_nothing():
    checked = run("ruff", "check", "--no-fix", "--output-format", "concise", *RUFF_PATHS)
    assert checked.returncode == 0, f"ruff check {' '.join(RUFF_PATHS)}:\n{checked.stdout}{checked.stderr}"


def test_mypy_finds_nothing():
    checked = run("mypy", "--config-file", "pyproject.toml", "gkml_ssg")
    assert checked.returncode == 0, f"mypy gkml_ssg:\n{checked.stdout}{checked.stderr}"
