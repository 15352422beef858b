"""Turning text into weighted concept tokens: phrases, stop words, stems, synonyms, names."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from bot.knowledge.language import Vocabulary, build_vocabulary
from bot.matching.text import normalise, stem
from bot.model import KnowledgePack

ENTITY_PREFIX = "@"
_ENTITY_KINDS = frozenset({"person", "organisation"})


class Analyzer:
    """Maps text to a list of distinct concept tokens.

    A token is a stemmed word, folded to its synonym group's concept, or ``@speaker-id`` for a
    word of a speaker's name or one-word alias. Question words are kept as they are.
    """

    def __init__(self, entities: Mapping[str, str], vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._entities = dict(entities)
        self._concepts = dict(vocabulary.concepts)
        self._phrases = dict(vocabulary.phrases)
        self._stop_words = vocabulary.words.stop_words
        self._question_words = vocabulary.words.question_words
        self._stop_stems = frozenset(stem(w) for w in self._stop_words) - {
            stem(w) for w in self._question_words
        }
        self._phrase_pattern = _phrase_pattern(self._phrases)
        self._compounds = frozenset(w for w in self._entities if len(w) >= 4) | {
            c for c in self._concepts if len(c) >= 4
        }

    @classmethod
    def for_pack(cls, pack: KnowledgePack) -> Analyzer:
        """An analyzer that knows the pack's vocabulary and its speakers' names."""
        vocabulary = build_vocabulary(pack.lexicon)
        return cls(entity_words(pack, vocabulary.words.stop_words), vocabulary)

    def words(self, text: str) -> list[str]:
        """Normalised words with multi-word phrases joined, before stop words and stems."""
        cleaned = normalise(text)
        if self._phrase_pattern is not None:
            cleaned = self._phrase_pattern.sub(lambda m: self._phrases[m.group(0)], cleaned)
        return self._join_split_names(cleaned.split())

    def _join_split_names(self, words: list[str]) -> list[str]:
        """Join names and concepts typed apart ("new york" → "newyork" when a speaker's name
        or a concept is written as one word)."""
        joined: list[str] = []
        index = 0
        while index < len(words):
            for size in (3, 2):
                compound = "".join(words[index : index + size])
                if len(words) - index >= size and compound in self._compounds:
                    joined.append(compound)
                    index += size
                    break
            else:
                joined.append(words[index])
                index += 1
        return joined

    def tokens(self, words: Iterable[str]) -> list[str]:
        """Distinct concept tokens of normalised words (see `words`), in order of appearance."""
        return _distinct(self.token(w) for w in words if not self.is_stop(w))

    def is_stop(self, word: str) -> bool:
        """Whether a normalised word carries no meaning for matching."""
        if word in self._question_words or word in self._entities:
            return False
        if len(word) == 1 and not word.isdigit():
            return True
        if word in self._stop_words:
            return True
        stemmed = stem(word)
        # A stop word's stem ("quite" → "quit") does not silence a concept word ("quit").
        return stemmed in self._stop_stems and stemmed not in self._concepts

    def token(self, word: str) -> str:
        """The concept token of one normalised, non-stop word."""
        entity = self._entities.get(word) or self._entities.get(stem(word))
        if entity is not None:
            return entity
        if word in self._question_words:
            return self._concepts.get(word, word)
        stemmed = stem(word)
        return self._concepts.get(stemmed, stemmed)

    def name_words(self) -> list[str]:
        """The words of speakers' names and proper-noun aliases."""
        return list(self._entities)


def entity_words(pack: KnowledgePack, stop_words: frozenset[str]) -> dict[str, str]:
    """Words of a person's or organisation's name, or of a one-word proper-noun alias (a surname,
    an acronym), mapped to ``@speaker-id``. Descriptions such as "the professor" stay ordinary
    words."""
    mapping: dict[str, str] = {}
    for speaker in pack.speakers.values():
        if speaker.kind not in _ENTITY_KINDS:
            continue
        token = ENTITY_PREFIX + speaker.id
        proper = [a for a in speaker.aliases if a[:1].isupper() and " " not in a.strip()]
        for name in (speaker.name, *proper):
            for word in normalise(name).split():
                if word not in stop_words:
                    mapping.setdefault(word, token)
    return mapping


def is_entity(token: str) -> bool:
    """Whether a token stands for a speaker."""
    return token.startswith(ENTITY_PREFIX)


def _distinct(tokens: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(tokens))


def _phrase_pattern(phrases: Mapping[str, str]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    alternatives = sorted(phrases, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in alternatives) + r")\b")
