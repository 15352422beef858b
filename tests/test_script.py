"""Messages in a script the matcher cannot read get a clear reply, not 'not covered'."""

from __future__ import annotations

import pytest

from bot.answering.grammar import plural_verb
from bot.answering.service import FaqService
from bot.matching.script import unreadable_script
from bot.model import AnswerKind


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("عمران خان کی پارٹی کیوں چھوڑ رہے ہیں؟", "Arabic"),
        ("PTI کیوں چھوڑ رہے ہیں", "Arabic"),
        ("Почему они уходят?", "Cyrillic"),
        ("वे क्यों जा रहे हैं?", "Devanagari"),
        ("why are they leaving?", None),
        ("log party kyun chhor rahe hain", None),
        ("Qué pasó con el partido?", None),
        ("👍 123 ?!", None),
        ("ok ک", None),
    ],
)
def test_the_main_script_is_named_only_when_most_letters_are_not_latin(
    text: str, script: str | None
) -> None:
    assert unreadable_script(text) == script


def test_an_urdu_script_question_is_told_what_the_bot_reads(service: FaqService) -> None:
    answer = service.ask("عمران خان کی پارٹی کیوں چھوڑ رہے ہیں؟")
    assert answer.kind is AnswerKind.UNREADABLE
    assert not answer.answered
    assert "Urdu (Arabic) script" in answer.text
    assert "English" in answer.text and "Roman Urdu" in answer.text
    assert "does not cover" not in answer.text
    assert answer.suggestions


def test_roman_urdu_still_reaches_the_matcher(service: FaqService) -> None:
    assert service.ask("PTI log kyun chhor rahe hain?").kind is not AnswerKind.UNREADABLE


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("asserts", "assert"),
        ("highlights", "highlight"),
        ("expresses skepticism", "express skepticism"),
        ("identifies", "identify"),
        ("is quoted", "are quoted"),
        ("according to", "according to"),
    ],
)
def test_a_verb_agrees_with_a_plural_subject(singular: str, plural: str) -> None:
    assert plural_verb(singular) == plural


def test_group_speakers_get_plural_verbs_and_people_singular(service: FaqService) -> None:
    kinds = {s.id: s.kind for s in service.pack.speakers.values()}
    quotes = [q for e in service.pack.entries for q in service.answer_entry(e.id).quotes]  # type: ignore[union-attr]
    groups = [q for q in quotes if kinds[q.speaker_id] == "group"]
    assert groups
    for quote in groups:
        assert not quote.attribution.split()[0].endswith("s"), quote
    people = [q for q in quotes if kinds[q.speaker_id] == "person"]
    assert any(q.attribution.split()[0].endswith("s") for q in people)
