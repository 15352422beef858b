"""The console chat explains itself: commands listed, unknown ones named, numbers open topics."""

from __future__ import annotations

import pytest

from bot.answering.core import Core
from bot.answering.service import FaqService
from bot.cli.console import ConsoleChat, run_console
from bot.model import ARTICLE_SPEAKER_ID

COMMANDS = ("/who", "/topics", "/source", "/quit")


@pytest.fixture
def chat(core: Core) -> ConsoleChat:
    return ConsoleChat(core)


def _reply(chat: ConsoleChat, line: str) -> str:
    reply = chat.reply(line)
    assert reply is not None
    return reply


@pytest.mark.parametrize("line", ["/help", "/start", "/HELP"])
def test_help_and_start_list_every_command(chat: ConsoleChat, line: str) -> None:
    reply = _reply(chat, line)
    assert all(command in reply for command in COMMANDS)
    assert "Please type a question" not in reply


def test_an_unknown_command_is_named_and_the_commands_listed(chat: ConsoleChat) -> None:
    reply = _reply(chat, "/foo bar")
    assert reply.startswith("Unknown command /foo.")
    assert all(command in reply for command in COMMANDS)


def test_thanks_is_not_answered_with_hello(chat: ConsoleChat) -> None:
    for line in ("thanks!", "Thank you so much", "shukriya bhai"):
        reply = _reply(chat, line)
        assert not reply.startswith("Hello"), line
        assert "welcome" in reply.lower(), line


def test_a_number_after_topics_opens_that_topic(chat: ConsoleChat, service: FaqService) -> None:
    listing = _reply(chat, "/topics")
    fifth = service.topics()[4]
    assert f"  5. {fifth.question}" in listing
    expected = service.answer_entry(fifth.entry_id)
    assert expected is not None
    reply = _reply(chat, "5")
    # Titled, like every platform's answer, with the question it answers.
    assert reply.startswith(f"{fifth.question}\n\n{expected.text[:40]}")
    assert "does not cover" not in reply


def test_a_number_out_of_range_says_which_numbers_exist(
    chat: ConsoleChat, service: FaqService
) -> None:
    _reply(chat, "/topics")
    count = len(service.topics())
    assert _reply(chat, str(count + 1)) == (
        f"There is no topic {count + 1}: type a number from 1 to {count}."
    )


def test_who_said_that_after_a_refusal_does_not_reach_back(chat: ConsoleChat) -> None:
    first = _reply(chat, "Who is Asma Faiz?")
    assert "Asma Faiz" in first
    refused = _reply(chat, "What is Imran Khan's net worth?")
    assert "does not cover" in refused
    reply = _reply(chat, "who said that?")
    assert "Asma Faiz" not in reply
    assert "no earlier answer" in reply


def test_who_said_that_right_after_an_answer_names_its_speakers(
    chat: ConsoleChat, service: FaqService
) -> None:
    answer = service.ask("What does Benazir Shah think about the establishment?")
    _reply(chat, "What does Benazir Shah think about the establishment?")
    reply = _reply(chat, "who said that?")
    people = {q.speaker for q in answer.quotes if q.speaker_id != ARTICLE_SPEAKER_ID}
    assert people and all(name in reply.split("\n")[0] for name in people)


def test_quit_ends_and_input_is_read_until_then(core: Core) -> None:
    lines = iter(["/source", "/quit", "never read"])
    written: list[str] = []
    assert run_console(core, read=lambda _prompt: next(lines), write=written.append) == 0
    assert any(core.library.first.title in w for w in written[1:])
    assert next(lines) == "never read"
