"""Attribution questions answered from the quotes themselves, not from the topic's entry.

"Who said X", "which expert thinks Y": the answer names the speaker of the quote that says X.
"What does P say about T": when P is quoted but never on T, the article does not say.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.knowledge.language import Vocabulary
from bot.matching.analysis import is_entity
from bot.matching.text import normalise, stem
from bot.model import ARTICLE_SPEAKER_ID, KnowledgePack

NOT_VIEW_OPENERS = frozenset("who whom whose which when why".split())
_AUXILIARIES = frozenset("is was has had did does do are were have".split())
_MODALS = frozenset(
    "will would can could should might may must shall wouldn couldn won can t not never".split()
)
_DETERMINERS = frozenset("the a an this that these those it its his her their".split())
_WHO = frozenset({"who", "whom"})
# Words that ask for someone's stance rather than a fact: "where does P stand", "P's position".
VIEW_WORDS = frozenset(
    "position positions stance view views take stand stands feel feels opinion line".split()
)
_ABOUT = ("about", "on", "regarding", "of")
ENTITY_SHARE = 0.5  # a name in the claim counts for this share of its weight
CONTEXT_SHARE = 0.5  # a claim token only in the quote's sentence counts for this share
ANSWER_COVERAGE = 0.55  # a quote saying this share of the claim is who said it
ENTRY_QUOTE_COVERAGE = 0.1  # ... or, among the matched entry's quotes, at least this share
CLOSE_COVERAGE = 0.1  # other quotes this close are shown too
SUGGEST_COVERAGE = 0.35  # quotes saying at least this much are offered as suggestions
SPEAKER_TOPIC_COVERAGE = 0.5  # "what does P say about T": P's quotes must say this much of T
MAX_QUOTES = 3
LOOSE_SCORE = 0.6  # "who VERB X" with another verb is left to the matcher above this score
LOOSE_MIN_WORDS = 2  # ... and its quote must say at least this many of its words
CURATED_SCORE = 0.9  # a question matching a pack phrasing this well is answered by its entry
SAY_CONCEPT = "say"
_PARAGRAPHS = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"[.!?][\"”’]?\s+")
NOT_CLAIM = frozenset({SAY_CONCEPT})


@dataclass(frozen=True, slots=True)
class AttributionQuestion:
    """What an attribution question asks: who said `claim`, or what `speaker_id` says on it."""

    claim: str
    speaker_id: str | None = None
    asked_with: str | None = None
    """The reporting verb asked with ("who suggested X"): among quotes saying as much of X,
    the ones reported with it are the answer."""
    verb: str | None = None
    """The verb asked with when it is not a reporting verb ("who raised X", "who took to Y"):
    the question may as well be about an event or a role, so only a quote answers it."""


@dataclass(frozen=True, slots=True)
class QuoteRef:
    """One distinct quote of the pack, with the entries that show it."""

    text: str
    speaker_id: str
    verb: str
    entry_ids: tuple[str, ...]
    tokens: frozenset[str]
    context: frozenset[str] = frozenset()
    """The other tokens of the article's sentence holding the quote ("P admits that cost was a
    factor in dropping the other site, but maintains that <quote>")."""


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
    verbs = vocabulary.words.reporting_verbs
    if words[0] in _WHO:
        tail = words[1:]
        while tail and tail[0] in _AUXILIARIES:
            tail = tail[1:]
        if tail and tail[0] in verbs:
            return _claim(tail[1:], tail[0])
        while tail and tail[0] in _AUXILIARIES | _MODALS:
            tail = tail[1:]
        if tail and tail[0] not in _DETERMINERS and tail[0] not in _WHO:
            return _loose(tail)
        return None
    if words[0] in ("which", "whose"):
        for offset in (2, 3):
            if len(words) > offset and words[offset] in verbs:
                return _claim(words[offset + 1 :], words[offset])
        if words[0] == "whose" and "that" in words[2:6]:
            return _claim(words[words.index("that", 2) + 1 :])
        if words[0] == "which" and len(words) > 4 and words[3] == "about":
            return _loose(words[2:])  # "which expert talked about X"
    return None


def _loose(words: Sequence[str]) -> AttributionQuestion | None:
    """ "who VERB … about X": X; else the words from the verb on."""
    verb = words[0]
    for position, word in enumerate(words[:4]):
        if word == "about" and position + 1 < len(words):
            words = words[position + 1 :]
            break
    asked = _claim(words)
    return AttributionQuestion(asked.claim, verb=verb) if asked is not None else None


def _claim(words: Sequence[str], verb: str | None = None) -> AttributionQuestion | None:
    words = list(words)
    while words and words[0] in ("that", "this", "it", "so", *_ABOUT[:1]):
        words = words[1:]
    return AttributionQuestion(" ".join(words), asked_with=verb) if words else None


def same_verb(asked: str, verb: str) -> bool:
    """Whether a quote's reporting verb ("suggests", "points out") is the one asked with."""
    said = normalise(verb).split()
    return bool(said) and stem(said[0]) == stem(normalise(asked))


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
                context=frozenset(tokens_of(_sentence_of(pack.article, text))),
            )
            for text, (speaker, verb, entries) in found.items()
        )
        names = {
            speaker.id: list(
                dict.fromkeys(
                    f" {normalise(n + possessive)} "
                    for n in (speaker.name, *speaker.aliases)
                    for possessive in ("", "'", "'s")  # "the Friends' position" drops the s
                )
            )
            for speaker in pack.speakers.values()
        }

        self._names = names

        def mentioned(text: str) -> set[str]:
            plain = f" {normalise(text)} "
            found = {speaker_of(t) for t in tokens_of(text) if is_entity(t)}
            return found | {s for s, forms in names.items() if any(f in plain for f in forms)}

        self._leads = _leads(pack.article, self.quotes, tokens_of, mentioned)
        counts: Counter[str] = Counter(t for q in self.quotes for t in q.tokens)
        n = max(1, len(self.quotes))
        self._idf = {t: math.log(1.0 + n / c) for t, c in counts.items()}
        self._unknown = math.log(1.0 + n)

    def named(self, text: str) -> dict[str, str]:
        """The speakers a text names by name or alias, each with the words naming them; a
        name inside a longer one ("the union" in "the union's leader") does not count."""
        plain = f" {normalise(text)} "
        found = {
            speaker: max((f for f in forms if f in plain), key=len)
            for speaker, forms in self._names.items()
            if speaker != ARTICLE_SPEAKER_ID and any(f in plain for f in forms)
        }
        return {
            speaker: form.strip()
            for speaker, form in found.items()
            if not any(form in other and form != other for other in found.values())
        }

    def said_by(self, speaker_id: str) -> list[QuoteRef]:
        """A speaker's quotes, with the article's sentences carrying them on (`lead`)."""
        return [q for q in self.quotes if self._voice(q) == speaker_id]

    def _voice(self, quote: QuoteRef) -> str:
        lead = self.lead(quote)
        return lead.speaker_id if lead is not None else quote.speaker_id

    def lead(self, quote: QuoteRef) -> QuoteRef | None:
        """For a quote in the article's own voice, the named speaker's quote it reports or
        carries on: "he stated that <their quote>, suggesting …", or the sentences that follow
        a speaker's quote in the same paragraph without naming them again. None otherwise."""
        return self._leads.get(quote.text)

    def knows(self, token: str) -> bool:
        """Whether any quote holds this token."""
        return token in self._idf

    def weight(self, token: str) -> float:
        """How much covering a token is worth: rare among the quotes is worth more."""
        weight = self._idf.get(token, self._unknown)
        return weight * ENTITY_SHARE if is_entity(token) else weight

    def _said(self, token: str, quote: QuoteRef, context: bool) -> float:
        if token in quote.tokens:
            return self.weight(token)
        in_context = context and token in quote.context
        return self.weight(token) * CONTEXT_SHARE if in_context else 0.0

    def rank(
        self, tokens: Iterable[str], *, speaker_id: str | None = None, context: bool = True
    ) -> list[QuoteMatch]:
        """Quotes by how much of the claim's tokens they say, best first (optionally one
        speaker's only); with `context`, a token their sentence says counts for a share."""
        wanted = list(dict.fromkeys(tokens))
        total = sum(self.weight(t) for t in wanted)
        if total <= 0:
            return []
        matches = [
            QuoteMatch(q, sum(self._said(t, q, context) for t in wanted) / total)
            for q in self.quotes
            if speaker_id is None or q.speaker_id == speaker_id
        ]
        return sorted(
            (m for m in matches if m.coverage > 0),
            key=lambda m: (-m.coverage, m.quote.speaker_id == ARTICLE_SPEAKER_ID),
        )


def _sentences(article: str) -> list[list[tuple[int, int]]]:
    """The article's sentences as (start, end) offsets, paragraph by paragraph."""
    paragraphs = []
    start = 0
    for boundary in [*_PARAGRAPHS.finditer(article), None]:
        end = boundary.start() if boundary else len(article)
        spans, at = [], start
        for stop in _SENTENCE_END.finditer(article, start, end):
            spans.append((at, stop.end()))
            at = stop.end()
        if at < end:
            spans.append((at, end))
        paragraphs.append(spans)
        start = boundary.end() if boundary else len(article)
    return paragraphs


def _sentence_of(article: str, text: str) -> str:
    """The article's sentences a quote lies in ("" when it is not found)."""
    at = article.find(text)
    if at < 0:
        return ""
    for paragraph in _sentences(article):
        spans = [(a, b) for a, b in paragraph if a < at + len(text) and at < b]
        if spans:
            return article[spans[0][0] : spans[-1][1]]
    return ""


def _leads(
    article: str,
    quotes: Sequence[QuoteRef],
    tokens_of: Callable[[str], list[str]],
    mentioned: Callable[[str], set[str]],
) -> dict[str, QuoteRef]:
    """Article-voice quotes whose words the article gives a named speaker (see `lead`)."""
    where = {q.text: article.find(q.text) for q in quotes}
    leads: dict[str, QuoteRef] = {}
    for paragraph in _sentences(article):
        voice: QuoteRef | None = None
        for start, end in paragraph:
            inside = sorted(
                (q for q in quotes if start <= where[q.text] < end), key=lambda q: where[q.text]
            )
            named = [q for q in inside if q.speaker_id != ARTICLE_SPEAKER_ID]
            own = [q for q in inside if q.speaker_id == ARTICLE_SPEAKER_ID]
            others = mentioned(article[start:end])
            for quote in own:
                reported = [n for n in named if _reports(quote, n, tokens_of)]
                if reported:
                    leads[quote.text] = reported[0]
                elif not named and voice is not None and voice.speaker_id not in others:
                    leads[quote.text] = voice
            if named:
                voice = named[-1]
            elif not own or any(q.text not in leads for q in own):
                voice = None
    return leads


def _reports(own: QuoteRef, named: QuoteRef, tokens_of: Callable[[str], list[str]]) -> bool:
    """Whether an article-voice quote reports a named quote: "… VERB (that) <named quote>",
    VERB being the named quote's own reporting verb."""
    at = own.text.find(named.text)
    if at < 0:
        return False
    before = normalise(own.text[:at]).split()
    if before and before[-1] == "that":
        before = before[:-1]
    return bool(before) and bool(set(tokens_of(before[-1])) & set(tokens_of(named.verb)))


_ASKS_WHAT = frozenset({"what", "how", "why"})
_DID = frozenset({"did", "does", "do", "has", "have", "had"})
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”]\s*|\n\s*)$")


def proper_words(article: str) -> Mapping[str, str]:
    """Words the article only ever writes capitalised mid-sentence: names of people, places,
    parties ("Okoro", "NATO", "Welsh"), folded to lower case, each with how it is written."""
    capitalised: dict[str, str] = {}
    lower: set[str] = set()
    for found in _WORD.finditer(article):
        word = found.group().replace("’", "'").split("'")[0]
        if not word:
            continue
        if word[0].isupper():
            if not _SENTENCE_START.search(article[max(0, found.start() - 3) : found.start()]):
                capitalised.setdefault(word.casefold(), word)
        else:
            lower.add(word.casefold())
    return {folded: word for folded, word in capitalised.items() if folded not in lower}


def speaker_words(pack: KnowledgePack) -> frozenset[str]:
    """The words of every speaker's name, role and aliases ("Leeds" of "lecturer at the
    University of Leeds"), folded: a question using them describes someone quoted."""
    texts = [t for s in pack.speakers.values() for t in (s.name, s.role, *s.aliases)]
    return frozenset(w for text in texts for w in normalise(text).split())


def unquoted_subject(
    text: str,
    proper: Mapping[str, str],
    described: frozenset[str],
    tokens_of: Callable[[str], list[str]],
) -> str | None:
    """Whom "what did X say / how did X respond / what does X think" asks about, when X names
    someone (a proper name of the article's, or a capitalised word, that is no word of a
    speaker's name, role or aliases: `described`) and nobody the article quotes: the article
    cannot say what X said. None for any other question."""
    words = text.split()
    folded = [normalise(w) for w in words]
    if len(words) < 4 or folded[0] not in _ASKS_WHAT or folded[1] not in _DID:
        return None
    for end in range(3, min(len(words), 9)):
        if tokens_of(folded[end])[:1] != [SAY_CONCEPT]:
            continue
        subject = words[2:end]
        tokens = [t for w in folded[2:end] for t in tokens_of(w)]
        if not subject or any(is_entity(t) for t in tokens):
            return None  # a speaker the article quotes: the other rules answer it
        named = [
            w
            for w, f in zip(subject, folded[2:end], strict=True)
            if (f.split("'")[0] in proper or (w[:1].isupper() and f not in _DETERMINERS))
            and f.split("'")[0] not in described
        ]
        if not named:
            return None
        spelt = [proper.get(f, w) for w, f in zip(subject, folded[2:end], strict=True)]
        return " ".join(spelt).strip("?,.!")
    return None
