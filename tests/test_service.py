"""The answering jobs: follow-ups, speakers, inline search, auto-answer and reload."""

from __future__ import annotations

from pathlib import Path

from pack_paths import SHIPPED_PACK

from bot.answering.chat_policy import AUTO_ANSWER_COOLDOWN, ChatPolicy
from bot.answering.core import Core
from bot.answering.library import Library
from bot.answering.service import FaqService
from bot.answering.speakers import SpeakerDirectory
from bot.knowledge.pack import load_pack
from bot.knowledge.source import FolderPackSource
from bot.model import AnswerKind, ChatSettings, Origin

GROUP = Origin("telegram", "group", user_id="7", chat_id="-100")


def test_who_said_that_names_the_speakers_of_the_previous_answer(service: FaqService) -> None:
    answer = service.follow_up("who said that?", previous_entry_id="benazir-shah-view")
    assert answer.answered
    assert "Benazir Shah" in answer.text
    assert any(q.speaker == "Benazir Shah" for q in answer.quotes)


def test_what_else_did_she_say_gives_the_speakers_other_quotes(service: FaqService) -> None:
    answer = service.follow_up("what else did she say?", previous_entry_id="asma-faiz-view")
    assert answer.answered
    assert answer.quotes and all(q.speaker_id == "asma-faiz" for q in answer.quotes)


def test_tell_me_more_moves_to_a_related_entry(service: FaqService) -> None:
    previous = service.pack.entry("opportunism")
    assert previous is not None
    answer = service.follow_up("tell me more", previous_entry_id="opportunism")
    assert answer.entry_id == previous.related[0]


def test_a_fresh_question_in_a_reply_is_asked_afresh(service: FaqService) -> None:
    answer = service.follow_up("How many leaders abandoned PTI?", previous_entry_id="summary")
    assert answer.entry_id == "how-many-left"


def test_who_finds_speakers_by_alias_and_refuses_unknown_names(service: FaqService) -> None:
    speakers = SpeakerDirectory(service.slot)
    assert speakers.who("asma").quotes[0].speaker == "Asma Faiz"
    assert speakers.who("Imran").entry_id == "who-is-imran-khan"
    assert speakers.by_id("asma-faiz") == speakers.who("Asma Faiz")
    assert speakers.by_id("nobody") is None
    unknown = speakers.who("Nawaz Sharif")
    assert unknown.kind is AnswerKind.NOT_COVERED and "Benazir Shah" in unknown.text


def test_search_gives_ranked_answers_or_nothing(service: FaqService) -> None:
    results = service.search("why did leaders quit", limit=10)
    assert results and results[0].entry_id == "why-leaders-left" and len(results) <= 10
    assert service.search("how do I cook rice") == []


def test_auto_answer_is_off_by_default_then_rate_limited_per_entry() -> None:
    now = [1000.0]
    core = Core(Library([load_pack(SHIPPED_PACK)]), policy=ChatPolicy(clock=lambda: now[0]))
    question = "why are so many leaders quitting PTI?"
    assert core.auto_answer(question, origin=GROUP) is None
    core.policy.update("telegram", "-100", ChatSettings(auto_answer=True))
    assert core.auto_answer("nice weather today", origin=GROUP) is None
    first = core.auto_answer(question, origin=GROUP)
    assert first is not None and first.answered
    assert core.auto_answer(question, origin=GROUP) is None
    now[0] += AUTO_ANSWER_COOLDOWN + 1
    assert core.auto_answer(question, origin=GROUP) is not None


def test_reload_of_a_broken_pack_keeps_the_old_one(pack_copy: Path) -> None:
    core = Core(Library.load(FolderPackSource(pack_copy)))
    before = core.library.ask("crackdown")
    (pack_copy / "faq.yaml").write_text("entries: [\n", encoding="utf-8")
    problems = core.reload()
    assert problems and "malformed YAML" in problems[0]
    assert core.library.ask("crackdown") == before
