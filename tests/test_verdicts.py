"""Each verdict says why, and between answering and refusing the bot asks back."""

from __future__ import annotations

from bot.answering.core import Core
from bot.answering.service import FaqService
from bot.cli.console import ConsoleChat
from bot.model import AnswerKind
from bot.presentation.reply import LINK_HEADINGS, ButtonKind


def test_an_answer_gives_the_phrasing_score_parts_and_rule(service: FaqService) -> None:
    answer = service.ask("Why did so many leaders quit PTI?")
    assert answer.answered and answer.rule == "answered"
    assert any("best phrasing" in r and "score" in r for r in answer.reasons)
    assert answer.to_json()["reasons"] == list(answer.reasons)


def test_a_refusal_names_the_rule_that_refused(service: FaqService) -> None:
    answer = service.ask("What is Imran Khan's net worth?")
    assert not answer.answered
    assert answer.rule == "refused topic"
    assert any("refused topic" in r for r in answer.reasons)


def test_a_question_the_verdict_is_unsure_of_is_asked_back(service: FaqService) -> None:
    answer = service.ask("What does the PTI need in order to keep its political momentum?")
    assert answer.kind is AnswerKind.CLARIFY and not answer.answered
    assert answer.rule == "asked back"
    assert 1 <= len(answer.suggestions) <= 3
    assert answer.text.startswith("I am not sure the article answers exactly that")


def test_the_console_numbers_the_choices_and_a_number_opens_one(
    core: Core, service: FaqService
) -> None:
    chat = ConsoleChat(core)
    asked = service.ask("What does the PTI need in order to keep its political momentum?")
    shown = chat.reply("What does the PTI need in order to keep its political momentum?")
    # One heading for choices on every reply (the clarifying text itself asks "did you mean").
    assert shown is not None and LINK_HEADINGS[ButtonKind.CHOICE] in shown
    assert f"  1. {asked.suggestions[0].question}" in shown
    opened = chat.reply("1")
    entry = service.pack.entry(asked.suggestions[0].entry_id)
    assert entry is not None and opened is not None and "no topic" not in opened
    assert " ".join(entry.answer.split()[:3]) in " ".join(opened.split())
