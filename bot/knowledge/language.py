"""General language data (package data in bot/data/) merged with a pack's lexicon into the
vocabulary the analyzer and the matcher work with.

General data says how readers ask in a language (stop words, question words, greetings, everyday
equivalents such as "how come" for "why"); a pack's lexicon says what its article is about. Where
both give a word a concept, the pack's wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml

from bot.matching.text import normalise, stem
from bot.model import Lexicon

_DATA_PACKAGE = "bot"
_DATA_FOLDER = "data"
_WORD_LISTS = (
    "stop_words",
    "question_words",
    "question_starts",
    "asker_words",
    "greetings",
    "help_phrases",
    "reporting_verbs",
)

SmallTalk = Literal["empty", "greeting", "help"]


class LanguageDataError(Exception):
    """General language data shipped with faqbot is malformed (a packaging bug)."""


@dataclass(frozen=True, slots=True)
class WordLists:
    """The word lists of general language data, by what the bot does with them."""

    stop_words: frozenset[str] = frozenset()
    """Carry no meaning for matching: function words, chat filler."""
    question_words: frozenset[str] = frozenset()
    """Say what kind of answer is wanted (who, when …): never stop words."""
    question_starts: frozenset[str] = frozenset()
    """A group message starting with one is a question (auto-answer)."""
    asker_words: frozenset[str] = frozenset()
    """"my", "our": the word after one is the asker's context, not the topic."""
    greetings: frozenset[str] = frozenset()
    help_phrases: frozenset[str] = frozenset()
    reporting_verbs: frozenset[str] = frozenset()
    """"said", "warns", "argues": what attribution questions ask about."""

    def merged(self, other: WordLists) -> WordLists:
        """Both languages' words, list by list."""
        return WordLists(**{key: getattr(self, key) | getattr(other, key) for key in _WORD_LISTS})


@dataclass(frozen=True, slots=True)
class Language:
    """One language's general data, as shipped in bot/data/<code>.yaml."""

    code: str
    concepts: Mapping[str, tuple[str, ...]]
    refuse: tuple[str, ...]
    words: WordLists


def available_languages() -> tuple[str, ...]:
    """Codes of the general language data shipped with faqbot ("en", "ur-roman")."""
    folder = resources.files(_DATA_PACKAGE) / _DATA_FOLDER
    return tuple(
        sorted(f.name.removesuffix(".yaml") for f in folder.iterdir() if f.name.endswith(".yaml"))
    )


@lru_cache(maxsize=16)
def load_language(code: str) -> Language:
    """The general data of one language; LanguageDataError when it is missing or malformed."""
    if code not in available_languages():
        raise LanguageDataError(f"no general language data for {code!r}")
    resource = resources.files(_DATA_PACKAGE) / _DATA_FOLDER / f"{code}.yaml"
    doc = yaml.safe_load(resource.read_text(encoding="utf-8"))
    if not isinstance(doc, Mapping):
        raise LanguageDataError(f"{code}.yaml: expected a mapping")
    lists = {key: _string_list(code, key, doc.get(key) or []) for key in _WORD_LISTS}
    concepts = doc.get("concepts") or {}
    if not isinstance(concepts, Mapping):
        raise LanguageDataError(f"{code}.yaml: concepts must be a mapping")
    return Language(
        code=code,
        concepts={
            str(name): tuple(_string_list(code, f"concepts.{name}", words))
            for name, words in concepts.items()
        },
        refuse=tuple(_string_list(code, "refuse", doc.get("refuse") or [])),
        words=WordLists(**{key: frozenset(values) for key, values in lists.items()}),
    )


def _string_list(code: str, key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LanguageDataError(f"{code}.yaml: {key} must be a list of words")
    return [v.strip() for v in value]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Everything the analyzer knows about words, for one pack."""

    concepts: Mapping[str, str]
    """Stem of a word → its concept."""
    phrases: Mapping[str, str]
    """Normalised multi-word phrase → its concept."""
    concept_words: frozenset[str]
    """Single words of the concepts a question can be about (known spellings for typo fixing)."""
    refuse: frozenset[str]
    words: WordLists

    def small_talk(self, text: str) -> SmallTalk | None:
        """'empty' for nothing to match, 'greeting' for pure greetings or thanks, 'help' for a
        request for help; None for anything that should go to the matcher."""
        cleaned = normalise(text)
        if not any(ch.isalnum() for ch in cleaned):
            return "empty"
        if cleaned in self.words.help_phrases:
            return "help"
        if all(word in self.words.greetings for word in cleaned.split()):
            return "greeting"
        return None

    def looks_like_question(self, text: str) -> bool:
        """Whether a plain group message is clearly a question (for auto-answer)."""
        if text.strip().endswith("?"):
            return True
        words = normalise(text).split()
        return bool(words) and words[0] in self.words.question_starts and len(words) >= 3


def concept_groups(lexicon: Lexicon) -> list[tuple[str, tuple[str, ...]]]:
    """(concept, equivalents) in precedence order: the pack's own first, then each language's."""
    groups = list(lexicon.concepts.items())
    for code in lexicon.languages:
        groups.extend(load_language(code).concepts.items())
    return groups


def build_vocabulary(lexicon: Lexicon) -> Vocabulary:
    """Merge the general data of the pack's languages with the pack's own concepts."""
    languages = [load_language(code) for code in lexicon.languages]
    concepts: dict[str, str] = {}
    phrases: dict[str, str] = {}
    refuse = set(lexicon.refuse).union(*(lang.refuse for lang in languages))
    concept_words: set[str] = set()
    for concept, equivalents in concept_groups(lexicon):
        for term in (concept, *equivalents):
            folded = normalise(term)
            if " " in folded:
                phrases.setdefault(folded, concept)
                continue
            concepts.setdefault(stem(folded), concept)
            if concept not in refuse and folded.isalpha():
                concept_words.add(folded)

    words = WordLists()
    for language in languages:
        words = words.merged(language.words)
    words = replace(words, help_phrases=frozenset(normalise(p) for p in words.help_phrases))

    return Vocabulary(
        concepts=concepts,
        phrases=phrases,
        concept_words=frozenset(concept_words),
        refuse=frozenset(refuse),
        words=words,
    )
