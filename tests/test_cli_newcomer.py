"""The `faqbot` command as a newcomer types it: options anywhere, one-line errors, own eval."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import faqbot

REPO = Path(__file__).resolve().parent.parent


def _broken_pack(tmp_path: Path) -> Path:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "article.txt").write_text("An article.", encoding="utf-8")
    return broken


def test_knowledge_option_is_accepted_after_the_subcommand(tmp_path: Path) -> None:
    broken = _broken_pack(tmp_path)
    result = faqbot("validate", "--knowledge", str(broken))
    assert result.returncode == 2
    assert "unrecognized arguments" not in result.stderr
    assert "faq.yaml: file is missing" in result.stdout


def test_db_option_is_accepted_after_the_subcommand(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.sqlite3"
    result = faqbot("report", "--db", str(missing))
    assert result.returncode == 1
    assert f"no journal at {missing}" in result.stderr


def test_an_option_before_the_subcommand_is_not_reset_by_it(tmp_path: Path) -> None:
    broken = _broken_pack(tmp_path)
    result = faqbot("--knowledge", str(broken), "ask", "hello")
    assert result.returncode == 2
    assert str(broken) in result.stderr


def test_run_with_a_broken_pack_says_refused_before_the_problems(tmp_path: Path) -> None:
    broken = _broken_pack(tmp_path)
    result = faqbot("run", "--knowledge", str(broken), stdin="")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"faqbot: knowledge pack {broken} refused, 3 problem(s):"
    assert any("faq.yaml: file is missing" in line for line in lines[1:])
    assert "Traceback" not in result.stderr


def test_eval_of_a_missing_file_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "dev.yaml"
    result = faqbot("eval", str(missing))
    assert result.returncode == 2
    assert result.stderr.strip() == f"faqbot eval: {missing}: No such file or directory"


def test_eval_of_a_malformed_file_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("items: [\n", encoding="utf-8")
    result = faqbot("eval", str(bad))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_eval_scores_the_projects_own_sets() -> None:
    dry = subprocess.run(
        ["make", "-n", "-s", "eval"], cwd=REPO, capture_output=True, text=True, check=True
    )
    [command] = [line for line in dry.stdout.splitlines() if "faqbot eval" in line]
    files = shlex.split(command.split("faqbot eval", 1)[1])
    assert files, command
    assert all(f.startswith("tests/eval/") and (REPO / f).is_file() for f in files)
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli.main", "eval", *files],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    summary = result.stdout.split("question set", 1)[1].splitlines()[1:]
    assert [row.split()[0] for row in summary] == files
    for row in summary:
        in_scope, abstention = (float(x) for x in row.split()[2:4])
        assert 0.5 < in_scope <= 1.0 and 0.5 < abstention <= 1.0


def _documented_commands() -> list[tuple[str, str]]:
    """(document, argument string) of every `.venv/bin/faqbot ...` command in the docs."""
    found = []
    for doc in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        text = re.sub(r"\\\n\s*", " ", doc.read_text(encoding="utf-8"))  # continued lines
        for line in text.splitlines():
            for match in re.finditer(r"\.venv/bin/faqbot ([^`#\n…]*[^`#\n…\s][^`#\n]*)", line):
                found.append((doc.name, match.group(1).strip()))
    return found


def _code_lines(text: str) -> list[str]:
    """The lines inside fenced code blocks, without a leading `$ ` prompt."""
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
    return [line.strip().removeprefix("$ ") for block in blocks for line in block.splitlines()]


@pytest.mark.parametrize("name", ["README.md", "docs/curation.md"])
def test_docs_commands_say_where_faqbot_is(name: str) -> None:
    text = (REPO / name).read_text(encoding="utf-8")
    bare = [line for line in _code_lines(text) if line.startswith("faqbot ")]
    assert not bare, bare
    assert "source .venv/bin/activate" in text


def test_every_documented_command_parses() -> None:
    from bot.cli.main import _parser, needs_platforms
    from bot.platforms import discover

    commands = _documented_commands()
    assert len(commands) >= 10
    for doc, arguments in commands:
        # Placeholders a reader fills in: "…" (a question) and an upper-case ID.
        argv = shlex.split(re.sub(r"\bID\b", "1234", arguments.replace("…", "x")))
        parser = _parser(discover() if needs_platforms(argv) else {})
        try:
            parser.parse_args(argv)
        except SystemExit as exc:
            pytest.fail(f"{doc}: `faqbot {arguments}` is refused (exit {exc.code})")


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_run_with_both_tokens_and_no_network_shows_both_errors() -> None:
    port = _closed_port()
    result = faqbot(
        "run",
        "--startup-timeout",
        "1",
        env={
            "TELEGRAM_BOT_TOKEN": "123456:FAKE-TOKEN-FOR-TESTS",
            "DISCORD_BOT_TOKEN": "FAKE.DISCORD.TOKEN",
            "TELEGRAM_API_URL": f"http://127.0.0.1:{port}/bot",
            "DISCORD_API_URL": f"http://127.0.0.1:{port}/api/v10",
        },
    )
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("faqbot: ")]
    assert len(errors) == 2, result.stderr
    assert any("Telegram" in line and "cannot reach" in line for line in errors)
    assert any("discord" in line.lower() and "cannot reach" in line for line in errors)
    assert "FAKE" not in result.stderr
