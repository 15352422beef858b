"""The postgres fixture without a server: skipped with the reason, or failed when required."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


def _run_without_server(tmp_path: Path, *, required: bool) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FAQBOT_PG_BIN": str(tmp_path / "no-server-here")}
    env.pop("FAQBOT_REQUIRE_POSTGRES", None)
    if required:
        env["FAQBOT_REQUIRE_POSTGRES"] = "1"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            str(TESTS / "test_postgres_store.py::test_the_schema_matches_sqlites"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=TESTS.parent,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("required", [False, True], ids=["optional", "required"])
def test_without_server_binaries_postgres_tests_skip_or_fail(
    tmp_path: Path, required: bool
) -> None:
    result = _run_without_server(tmp_path, required=required)
    output = result.stdout + result.stderr
    assert "no PostgreSQL server binaries" in output, output
    if required:
        assert result.returncode != 0 and "FAQBOT_REQUIRE_POSTGRES=1" in output, output
        assert "1 error" in output or "1 failed" in output, output
    else:
        assert result.returncode == 0 and "1 skipped" in output, output
