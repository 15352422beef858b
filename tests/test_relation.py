"""What a who/which question asks about (bot.matching.relation), on plain word lists."""

from __future__ import annotations

import pytest

from bot.matching.relation import asked_relation

_STOP = frozenset("the a an she he her him it they them of to".split())
_REPORTING = frozenset({"said", "say", "says", "claimed"})


def _asked(question: str) -> tuple[str, ...]:
    return asked_relation(question.split(), lambda w: w not in _STOP, _REPORTING)


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("which club did she join", ("club", "join")),
        ("which firm is handling the sale", ("firm", "handling")),
        ("who replaced her", ("replaced",)),
        ("who will replace her", ("replace",)),
        ("who has taken over the club", ("taken",)),
        ("which party", ("party",)),
    ],
)
def test_the_kind_and_the_relation_asked(question: str, asked: tuple[str, ...]) -> None:
    assert _asked(question) == asked


@pytest.mark.parametrize(
    "question",
    [
        "who said the club was finished",  # for the attribution rules
        "who is she",  # no relation: a profile
        "anybody who used to run the club",  # a relative clause, not the question
        "which one is right",  # an empty noun
        "what happened to the club",
    ],
)
def test_questions_that_ask_no_relation(question: str) -> None:
    assert _asked(question) == ()
