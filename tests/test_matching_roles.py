"""A person named by role is evidence for the entries that quote them; short typos with two
letters swapped are corrected. On the second article's pack (no lexicon.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.pack import load_pack
from bot.matching.matcher import Matcher

SECOND = Path(__file__).resolve().parent / "packs" / "harbour-cable"


@pytest.fixture(scope="module")
def second() -> Matcher:
    return Matcher(load_pack(SECOND))


def _quoted(matcher: Matcher, entry_id: str) -> set[str]:
    entry = next(e for e in matcher._entries if e.id == entry_id)
    return {q.speaker_id for q in entry.quotes}


@pytest.mark.parametrize(
    "question",
    [
        "what does the university ecologist say about the drilling",
        "what's the coastal ecologist's main concern",
    ],
)
def test_a_role_is_answered_from_that_persons_quotes_not_their_profile(
    second: Matcher, question: str
) -> None:
    best = second.match(question).best
    assert best is not None
    assert best.entry_id != "who-is-ingrid-halvorsen"
    assert "ingrid-halvorsen" in _quoted(second, best.entry_id)


def test_who_is_by_role_still_finds_the_profile(second: Matcher) -> None:
    best = second.match("who is the ecologist").best
    assert best is not None and best.entry_id == "who-is-ingrid-halvorsen"


def test_a_question_naming_a_person_reads_no_role(second: Matcher) -> None:
    query = second._query("what does Halvorsen the ecologist say about the toads")
    assert query.roles == ()


def test_a_head_of_a_longer_description_alone_names_nobody(second: Matcher) -> None:
    # "leader" alone could be the council's or the fishermen's: no role is read.
    assert second._query("what does the leader want").roles == ()


def test_two_letters_swapped_at_the_end_are_corrected(second: Matcher) -> None:
    assert second.concept_tokens("how deep is the cabel") == second.concept_tokens(
        "how deep is the cable"
    )


def test_a_named_persons_view_is_answered_from_their_quotes(second: Matcher) -> None:
    best = second.match("what's dr halvorsen's take on directional drilling").best
    assert best is not None
    assert best.entry_id != "who-is-ingrid-halvorsen"
    assert "ingrid-halvorsen" in _quoted(second, best.entry_id)
