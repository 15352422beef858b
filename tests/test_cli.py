"""The `faqbot` command as a user runs it: a real subprocess, real output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLE = (Path(__file__).parent.parent / "knowledge" / "pti-exodus" / "article.txt").read_text(
    encoding="utf-8"
)
KEYS = {
    "pack",
    "article",
    "rule",
    "reasons",
    "question",
    "answered",
    "entry_id",
    "matched_question",
    "answer",
    "quotes",
    "score",
    "suggestions",
}


def faqbot(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.endswith("_BOT_TOKEN")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli.main", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )


def test_ask_json_prints_one_object_with_verbatim_quotes() -> None:
    result = faqbot("ask", "--json", "What did Khan claim on social media?")
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    payload = json.loads(line)
    assert set(payload) == KEYS
    assert payload["answered"] is True
    assert payload["quotes"]
    for quote in payload["quotes"]:
        assert set(quote) == {"text", "speaker", "role", "attribution"}
        assert quote["text"] in ARTICLE
    assert any(q["speaker"] == "Imran Khan" for q in payload["quotes"])
    assert 0.0 <= payload["score"] <= 1.0


def test_ask_json_reads_stdin_one_object_per_line_in_order() -> None:
    questions = ["hello there", "How many leaders abandoned PTI?", "how do I cook rice", ""]
    result = faqbot("ask", "--json", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in rows] == questions
    assert [r["answered"] for r in rows] == [False, True, False, False]
    assert rows[2]["suggestions"] is not None and len(rows[2]["suggestions"]) <= 3


def test_ask_prints_a_readable_answer_with_speakers() -> None:
    result = faqbot("ask", "What is Benazir Shah's view?")
    assert result.returncode == 0
    assert "— Benazir Shah, political analyst (suggests)" in result.stdout
    assert "Source: “Mass Exodus" in result.stdout


def test_out_of_scope_says_so_plainly() -> None:
    result = faqbot("ask", "What is Imran Khan's net worth?")
    assert "does not cover" in result.stdout


def test_validate_accepts_the_shipped_pack_and_refuses_a_broken_one(tmp_path: Path) -> None:
    assert faqbot("validate").returncode == 0
    broken = tmp_path / "pack"
    broken.mkdir()
    (broken / "article.txt").write_text("An article.", encoding="utf-8")
    (broken / "source.yaml").write_text("title: T\nkind: news\n", encoding="utf-8")
    (broken / "speakers.yaml").write_text(
        "speakers:\n  - {id: a, name: A, role: r}\n", encoding="utf-8"
    )
    (broken / "faq.yaml").write_text("entries: [\n", encoding="utf-8")
    result = faqbot("validate", str(broken))
    assert result.returncode == 2
    assert "faq.yaml: malformed YAML: line" in result.stdout


def test_broken_pack_is_refused_at_startup_with_reasons(tmp_path: Path) -> None:
    result = faqbot("--knowledge", str(tmp_path), "ask", "hi")
    assert result.returncode == 2
    assert "faq.yaml: file is missing" in result.stderr
    assert "Traceback" not in result.stderr


def test_eval_prints_table_and_figures() -> None:
    questions = Path(__file__).parent / "eval" / "questions.yaml"
    result = faqbot("eval", str(questions))
    assert result.returncode == 0
    assert "in-scope accuracy:" in result.stdout and "abstention accuracy:" in result.stdout
    assert "oos_trap" in result.stdout


def test_version_and_console_chat() -> None:
    assert faqbot("--version").stdout.startswith("faqbot ")
    chat = faqbot("chat", stdin="Who is Asma Faiz?\nwhat else did she say?\n/quit\n")
    assert chat.returncode == 0
    assert "associate professor of political science" in chat.stdout


@pytest.mark.parametrize("platform", ["telegram", "discord"])
def test_run_without_token_is_a_one_line_error(platform: str) -> None:
    result = faqbot("run", platform)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "_BOT_TOKEN is not set" in result.stderr


def test_run_with_no_token_opens_console_chat() -> None:
    result = faqbot("run", stdin="Which party is the article about?\n")
    assert result.returncode == 0
    assert "console chat" in result.stdout
    assert "Tehreek-e-Insaf" in result.stdout
