"""faqbot installed as a package (not run from a checkout) still finds its shipped pack and its
general language data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("faqbot-*.whl")
    return built


def test_the_wheel_carries_the_shipped_pack_language_data_and_schemas(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for pack_file in ("article.txt", "source.yaml", "speakers.yaml", "faq.yaml", "lexicon.yaml"):
        assert f"faqbot_packs/pti-exodus/{pack_file}" in names
    assert {"bot/data/en.yaml", "bot/data/ur-roman.yaml"} <= names
    assert "bot/data/schema/lexicon.schema.json" in names
    assert not any(name.startswith("tests/") for name in names)


def test_an_installed_faqbot_answers_from_its_shipped_pack(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    code = (
        "import bot.bootstrap as b, bot.answering.service as s, bot.knowledge.pack as k\n"
        "path = b.knowledge_path()\n"
        "service = s.FaqService(k.load_pack(path))\n"
        "print(path)\n"
        "print(service.ask(service.topics()[0].question).answered)\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r})\n{code}"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    path, answered = result.stdout.split()
    assert Path(path).is_relative_to(target)
    assert answered == "True"
