"""'Who said X' is answered from the quote that says X, on every pack, alone and in chat."""

from __future__ import annotations

import pytest

from bot.answering.service import FaqService
from bot.knowledge.language import build_vocabulary
from bot.model import ARTICLE_SPEAKER_ID, KnowledgePack


def _named_quotes(pack: KnowledgePack) -> list[tuple[str, str]]:
    """(quote text, speaker id) for every distinct quote a named speaker is credited with."""
    seen: dict[str, str] = {}
    for entry in pack.entries:
        for quote in entry.quotes:
            if quote.speaker_id != ARTICLE_SPEAKER_ID:
                seen.setdefault(quote.text, quote.speaker_id)
    return list(seen.items())


@pytest.fixture(scope="module")
def any_service(any_pack: KnowledgePack) -> FaqService:
    return FaqService(any_pack)


def test_who_said_each_quote_names_its_speaker(any_service: FaqService) -> None:
    pack = any_service.pack
    wrong = []
    for text, speaker_id in _named_quotes(pack):
        answer = any_service.ask(f"who said {text}?")
        speakers = {q.speaker_id for q in answer.quotes}
        if not answer.answered or speaker_id not in speakers:
            wrong.append((text[:60], speaker_id, answer.kind, sorted(speakers)))
    assert wrong == []


def test_who_said_after_another_answer_is_a_new_question(any_service: FaqService) -> None:
    pack = any_service.pack
    quotes = _named_quotes(pack)
    for text, speaker_id in quotes:
        # Follow up on an entry that does not quote this speaker, so "that" would be wrong.
        previous = next(
            e for e in pack.entries if speaker_id not in {q.speaker_id for q in e.quotes}
        )
        answer = any_service.follow_up(f"who said {text}?", previous_entry_id=previous.id)
        assert speaker_id in {q.speaker_id for q in answer.quotes}, text


def test_who_said_that_still_follows_up_on_the_previous_answer(any_service: FaqService) -> None:
    entry = next(e for e in any_service.pack.entries if len({q.speaker_id for q in e.quotes}) > 0)
    answer = any_service.follow_up("who said that?", previous_entry_id=entry.id)
    assert {q.speaker_id for q in answer.quotes} == {q.speaker_id for q in entry.quotes}


@pytest.mark.parametrize(
    "question",
    ["who said the moon is made of green cheese?", "which expert claims bananas cure insomnia"],
)
def test_who_said_something_nobody_says_is_refused(any_service: FaqService, question: str) -> None:
    answer = any_service.ask(question)
    assert not answer.answered
    assert "quotes nobody saying that" in answer.text


def test_a_speaker_asked_about_a_topic_they_are_not_quoted_on_is_refused(
    any_service: FaqService,
) -> None:
    """Ask each named person about another person's word that appears nowhere near the first
    (not in any entry quoting them): the reply says the article does not quote them on it and
    shows what they do say."""
    pack = any_service.pack
    vocabulary = build_vocabulary(pack.lexicon)
    plain = vocabulary.words.stop_words | vocabulary.words.reporting_verbs
    people = [s for s in pack.speakers.values() if s.kind == "person"]
    checked = 0
    for speaker in people:
        near = " ".join(
            " ".join((e.answer, *e.questions, *(q.text for q in e.quotes)))
            for e in pack.entries
            if speaker.id in {q.speaker_id for q in e.quotes}
        ).lower()
        if not near:
            continue
        for other in people:
            words = sorted(
                {
                    w
                    for e in pack.entries
                    for q in e.quotes
                    if q.speaker_id == other.id and other.id != speaker.id
                    for w in q.text.lower().split()
                    if len(w) > 7 and w.isalpha() and w[:6] not in near and w not in plain
                }
            )
            if not words:
                continue
            answer = any_service.ask(f"What does {speaker.name} say about {words[0]}?")
            assert not answer.answered, (speaker.name, words[0])
            assert {q.speaker_id for q in answer.quotes} == {speaker.id}
            checked += 1
    assert checked > 0
