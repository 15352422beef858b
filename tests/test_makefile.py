"""The Makefile notices a .venv built by the wrong Python and rebuilds it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _fake_python(path: Path, version: str, new_enough: bool) -> Path:
    """An executable answering the Makefile's probe like a Python of that version would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\necho "{version} {int(new_enough)}"\n', encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(REPO / name, tmp_path / name)
    return tmp_path


def _make(clone: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "-n", "install", *args], cwd=clone, capture_output=True, text=True, timeout=30
    )


def _installed(clone: Path) -> None:
    (clone / ".venv" / ".installed-x").touch()
    stamp = subprocess.run(
        ["make", "-p", "-n", "install"], cwd=clone, capture_output=True, text=True, timeout=30
    ).stdout
    [line] = [ln for ln in stamp.splitlines() if ln.startswith("STAMP :=")]
    (clone / line.split(":=", 1)[1].strip()).touch()


def test_a_venv_of_a_too_old_python_is_rebuilt(clone: Path) -> None:
    _fake_python(clone / ".venv" / "bin" / "python", "3.10", new_enough=False)
    _installed(clone)
    result = _make(clone)
    assert "was built by Python 3.10: rebuilding it" in result.stdout
    assert "rm -rf .venv" in result.stdout and "-m venv .venv" in result.stdout


def test_a_venv_of_another_python_than_the_one_asked_for_is_rebuilt(clone: Path) -> None:
    _fake_python(clone / ".venv" / "bin" / "python", "3.11", new_enough=True)
    _installed(clone)
    wanted = _fake_python(clone / "py312", "3.12", new_enough=True)
    result = _make(clone, f"PYTHON={wanted}")
    assert f"was built by Python 3.11, not {wanted}" in result.stdout
    assert f"{wanted} -m venv .venv" in result.stdout


def test_a_good_venv_is_kept(clone: Path) -> None:
    _fake_python(clone / ".venv" / "bin" / "python", "3.12", new_enough=True)
    _installed(clone)
    same = _fake_python(clone / "py312", "3.12", new_enough=True)
    for args in ((), (f"PYTHON={same}",)):
        result = _make(clone, *args)
        assert result.returncode == 0, result.stderr
        assert "-m venv" not in result.stdout and "rm -rf" not in result.stdout


def test_a_too_old_python_is_refused_with_the_way_out(clone: Path) -> None:
    old = _fake_python(clone / "py310", "3.10", new_enough=False)
    result = subprocess.run(
        ["make", "run", f"PYTHON={old}"], cwd=clone, capture_output=True, text=True, timeout=30
    )
    assert result.returncode != 0
    assert "faqbot needs Python >= 3.11" in result.stderr
    assert "make run PYTHON=python3.11" in result.stderr
    assert not (clone / ".venv").exists()
