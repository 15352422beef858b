"""Attribution questions answered from the quotes themselves, not from the topic's entry.

"Who said X", "which expert thinks Y": the answer names the speaker of the quote that says X.
"What does P say about T": when P is quoted but never on T, the article does not say.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.knowledge.language import Vocabulary
from bot.matching.analysis import is_entity
from bot.matching.text import normalise
from bot.model import ARTICLE_SPEAKER_ID, KnowledgePack

_AUXILIARIES = frozenset("is was has had did does do are were have".split())
_WHO = frozenset({"who", "whom"})
_ABOUT = ("about", "on", "regarding", "of")
ENTITY_SHARE = 0.5  # a name in the claim counts for this share of its weight
ANSWER_COVERAGE = 0.55  # a quote saying this share of the claim is who said it
ENTRY_QUOTE_COVERAGE = 0.1  # ... or, among the matched entry's quotes, at least this share
CLOSE_COVERAGE = 0.1  # other quotes this close are shown too
SUGGEST_COVERAGE = 0.35  # quotes saying at least this much are offered as suggestions
SPEAKER_TOPIC_COVERAGE = 0.5  # "what does P say about T": P's quotes must say this much of T
MAX_QUOTES = 3
CURATED_SCORE = 0.9  # a question matching a pack phrasing this well is answered by its entry
SAY_CONCEPT = "say"
NOT_CLAIM = frozenset({SAY_CONCEPT})


@dataclass(frozen=True, slots=True)
class AttributionQuestion:
    """What an attribution question asks: who said `claim`, or what `speaker_id` says on it."""

    claim: str
    speaker_id: str | None = None


@dataclass(frozen=True, slots=True)
class QuoteRef:
    """One distinct quote of the pack, with the entries that show it."""

    text: str
    speaker_id: str
    verb: str
    entry_ids: tuple[str, ...]
    tokens: frozenset[str]


@dataclass(frozen=True, slots=True)
class QuoteMatch:
    """How much of a claim one quote says."""

    quote: QuoteRef
    coverage: float


def parse(text: str, vocabulary: Vocabulary) -> AttributionQuestion | None:
    """The attribution a question asks about, or None for any other question.

    Recognised: "who (did/has…) VERB X", "which WORD [WORD] VERB X", "according to whom X",
    "X, according to whom" — VERB being a reporting verb of the pack's languages."""
    words = normalise(text).split()
    if len(words) >= 3 and words[:3] == ["according", "to", "whom"]:
        return _claim(words[3:])
    if len(words) >= 4 and words[-3:] == ["according", "to", "whom"]:
        return _claim(words[:-3])
    if not words:
        return None
    rest: list[str] | None = None
    if words[0] in _WHO:
        tail = words[1:]
        while tail and tail[0] in _AUXILIARIES:
            tail = tail[1:]
        if tail and tail[0] in vocabulary.words.reporting_verbs:
            rest = tail[1:]
    elif words[0] == "which":
        for offset in (2, 3):
            if len(words) > offset and words[offset] in vocabulary.words.reporting_verbs:
                rest = words[offset + 1 :]
                break
    if rest is None:
        return None
    return _claim(rest)


def _claim(words: Sequence[str]) -> AttributionQuestion | None:
    words = list(words)
    while words and words[0] in ("that", "this", "it", "so", *_ABOUT[:1]):
        words = words[1:]
    return AttributionQuestion(" ".join(words)) if words else None


def speaker_of(token: str) -> str:
    """The speaker id an entity token stands for ("" for any other token)."""
    return token[1:] if is_entity(token) else ""


def asked_speaker(tokens: Sequence[str], words: Sequence[str]) -> str | None:
    """The speaker whose view a question asks for: "what does P say/think…", "P's view",
    "according to P"; None when no speaker is asked about that way."""
    for position, token in enumerate(tokens[:-1]):
        if is_entity(token) and tokens[position + 1] == SAY_CONCEPT:
            return speaker_of(token)
    for position in range(len(words) - 2):
        if words[position : position + 2] == ["according", "to"]:
            following = [t for t in tokens if is_entity(t)]
            if following and words[position + 2] not in ("the", "this", "article", "piece"):
                return speaker_of(following[0])
    return None


class QuoteIndex:
    """The pack's distinct quotes as concept tokens, for finding who says what."""

    def __init__(self, pack: KnowledgePack, tokens_of: Callable[[str], list[str]]) -> None:
        found: dict[str, tuple[str, str, list[str]]] = {}
        for entry in pack.entries:
            for quote in entry.quotes:
                found.setdefault(quote.text, (quote.speaker_id, quote.verb, []))[2].append(entry.id)
        self.quotes: tuple[QuoteRef, ...] = tuple(
            QuoteRef(
                text=text,
                speaker_id=speaker,
                verb=verb,
                entry_ids=tuple(dict.fromkeys(entries)),
                tokens=frozenset(tokens_of(f"{text} {verb}")),
            )
            for text, (speaker, verb, entries) in found.items()
        )
        counts: Counter[str] = Counter(t for q in self.quotes for t in q.tokens)
        n = max(1, len(self.quotes))
        self._idf = {t: math.log(1.0 + n / c) for t, c in counts.items()}
        self._unknown = math.log(1.0 + n)

    def weight(self, token: str) -> float:
        """How much covering a token is worth: rare among the quotes is worth more."""
        weight = self._idf.get(token, self._unknown)
        return weight * ENTITY_SHARE if is_entity(token) else weight

    def rank(self, tokens: Iterable[str], *, speaker_id: str | None = None) -> list[QuoteMatch]:
        """Quotes by how much of the claim's tokens they say, best first (optionally one
        speaker's only)."""
        wanted = list(dict.fromkeys(tokens))
        total = sum(self.weight(t) for t in wanted)
        if total <= 0:
            return []
        matches = [
            QuoteMatch(q, sum(self.weight(t) for t in wanted if t in q.tokens) / total)
            for q in self.quotes
            if speaker_id is None or q.speaker_id == speaker_id
        ]
        return sorted(
            (m for m in matches if m.coverage > 0),
            key=lambda m: (-m.coverage, m.quote.speaker_id == ARTICLE_SPEAKER_ID),
        )
