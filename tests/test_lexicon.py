"""The lexicon is consistent: every word folds to exactly one concept."""

from __future__ import annotations

from collections import defaultdict

from bot.lexicon import OFF_ARTICLE_GROUPS, PHRASES, STOP_WORDS, SYNONYM_GROUPS
from bot.text import normalise, stem


def test_no_stem_belongs_to_two_concepts() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for group in SYNONYM_GROUPS + OFF_ARTICLE_GROUPS:
        for word in group:
            owners[stem(word)].add(group[0])
    clashes = {s: sorted(c) for s, c in owners.items() if len(c) > 1}
    assert clashes == {}


def test_concept_words_are_not_stop_words() -> None:
    words = {w for group in SYNONYM_GROUPS + OFF_ARTICLE_GROUPS for w in group}
    assert sorted(words & STOP_WORDS) == []


def test_phrases_are_normalised_text() -> None:
    for phrase, token in PHRASES.items():
        assert normalise(phrase) == phrase
        assert " " not in token
