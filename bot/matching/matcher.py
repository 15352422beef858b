"""Matching a chat question to a FAQ entry, or abstaining when the article does not answer it.

The matcher works on concept tokens (see bot.matching.analysis). An inverted index picks candidate
entries by the rarity-weighted tokens they share with the question, so cost follows the number
of entries that share words with it, not the size of the pack. Candidates are then scored on
every phrasing: how much of the question's weight the phrasing explains (recall), how much of
the phrasing the question asks for (precision), how much of the question the entry's answer and
quotes cover, and a rapidfuzz similarity of the token strings.

Whether the best entry answers is a learned verdict over facts about the match (bot.matching.
verdict): the scores, how much of the question's topic the entry leaves out, words the article
does not know, the kind of question. Regardless of it the matcher refuses when the question asks
for an attribute the pack never mentions ("X's net worth"), touches a topic the pack refuses and
never mentions (a lexicon's `refuse:`), asks when/where and no phrasing of the entry asks that
about the same thing, or asks for a figure or a relation the entry never states.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.knowledge.language import Vocabulary
from bot.matching import attribution, quantity, relation, verdict
from bot.matching.analysis import ENTITY_PREFIX, Analyzer, is_entity
from bot.matching.text import fold, split_pieces
from bot.model import Entry, KnowledgePack, SpeakerKind

# Thresholds and factors were tuned on the question sets in tests/eval/, never on one question.
W_LEXICAL, W_BODY, W_SIMILARITY = 0.62, 0.23, 0.15  # how a phrasing's score is made up
SUGGESTION_FLOOR = 0.2  # weakest candidate still offered as a suggestion
CLOSE_MARGIN = 0.06  # runners-up this close to the best are offered too

# Score penalties: the question asks about something the entry does not speak of.
FOCUS_MISSING_PENALTY = 0.9  # the word after the question word is missing from the entry
FOCUS_UNKNOWN_PENALTY = 0.8  # ... and unknown to the whole pack
ANSWER_TYPE_PENALTY = 0.6  # no phrasing of the entry asks who/why/which/how many …
ENTITY_MISSING_PENALTY = 0.75  # the question names a speaker the entry never mentions
POSSESSED_MISSING_PENALTY = 0.75  # "the company's chief": the entry never mentions "chief"
BLOCKING_TYPES = ("when", "where")  # the article gives no dates or places: these must match
TOPIC_TYPES = ("current", "standfor")
SCORE_FLOOR = 0.35  # a best score below this never answers, whatever the verdict
HARD_RULES = ("refused topic", "asks what no phrasing asks", "low score")  # whatever the verdict
ANSWER_TYPES = ("who", "when", "where", "many", "why", "which", *TOPIC_TYPES)

# Query handling.
CANDIDATES = 40  # entries scored in full, picked through the index
COMMON_SHARE = 0.05  # a token in more than this share of entries does not pick candidates
LONG_MESSAGE_WORDS = 6  # longer messages are also matched piece by piece
MAX_PIECES = 24  # at most this many distinct pieces of one message are matched
_PIECE_MIN_INFORMATIVE = 2  # a piece must say this much beyond "what/which/how" to count
_CHATTY_TOKENS = 5  # past this many tokens, unknown words weigh less (chatter)
_UNKNOWN_SHARE = 0.9  # an unknown word weighs this share of the rarest word's weight
_WEAK_QUESTION_WORDS = frozenset({"what", "which", "how"})
_WEAK_WEIGHT = 0.25
_NOT_FOCUS_CONCEPTS = frozenset({"many", "say"})
_SHORT_QUESTION_WORDS = ("who", "what", "when", "where", "which", "why", "how", "many")
_POSSESSIVE_HEAD = re.compile(r"\b\w+(?:'s|s')\s+(\w+)(?:\s+(\w+))?")
_WHAT_FOR = re.compile(r"^\W*what\b.*\bfor\W*$")


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entry considered for a question, with the phrasing that fitted best."""

    entry_id: str
    phrasing: str
    score: float


@dataclass(frozen=True, slots=True)
class Match:
    """The matcher's verdict: ranked candidates, whether it abstains, and suggestions."""

    candidates: tuple[Candidate, ...]
    abstained: bool
    suggestions: tuple[Candidate, ...] = ()
    unsure: bool = False
    """Abstained, but close: the reader is asked which of the suggestions they meant."""
    reasons: tuple[str, ...] = ()
    """Why the matcher answered or abstained, for curators (`ask --explain`, the journal)."""
    rule: str = "nothing matched"
    """The one rule that decided: "answered", "refused topic", "low score", …"""
    tokens: tuple[str, ...] = ()
    """The question's concept tokens, misspellings corrected."""
    confidence: float = 0.0
    """The verdict's probability that the top candidate answers the question."""
    features: Mapping[str, float] = field(default_factory=dict)
    """The facts about the top candidate the verdict weighed (bot.matching.verdict.FEATURES)."""

    @property
    def best(self) -> Candidate | None:
        """The top candidate when the matcher answers, else None."""
        return None if self.abstained or not self.candidates else self.candidates[0]


@dataclass(frozen=True, slots=True)
class _Query:
    tokens: tuple[str, ...]
    weights: tuple[float, ...]
    similarity: tuple[float, ...]
    focus: str | None = None
    possessed: tuple[str, ...] = ()
    answer_types: tuple[str, ...] = ()
    value_kind: str | None = None
    """A figure asked for: a count, duration, year, date or sum (bot.matching.quantity)."""
    counted: frozenset[str] = frozenset()
    counts_time: bool = False
    value_topic: frozenset[str] = frozenset()
    relation: tuple[str, ...] = ()
    """What a who/which question asks about: "which *club* did she *join*" (see relation)."""
    roles: tuple[tuple[str, str], ...] = ()
    """Words that name a speaker by role ("the *economist*"), each with that speaker's token."""

    @property
    def total(self) -> float:
        return sum(self.weights)

    @property
    def gains(self) -> dict[str, float]:
        """Each token with what covering it is worth: its weight times its spelling similarity
        (summed when the question says it twice)."""
        worth: dict[str, float] = {}
        for t, w, s in zip(self.tokens, self.weights, self.similarity, strict=True):
            worth[t] = worth.get(t, 0.0) + w * s
        return worth


@dataclass(frozen=True, slots=True)
class _Scored:
    entry_index: int
    score: float
    phrasing_index: int
    topic_recall: float
    blocked: bool = False
    unanswered: float = 0.0
    parts: tuple[float, float, float] = (0.0, 0.0, 0.0)
    penalties: tuple[str, ...] = ()
    flags: frozenset[str] = frozenset()
    """Which penalties applied, by verdict feature name ("focus_missing", …)."""


class Matcher:
    """Finds the FAQ entry that answers a question, built once per knowledge pack."""

    def __init__(
        self,
        pack: KnowledgePack,
        *,
        analyzer: Analyzer | None = None,
        verdict_model: verdict.VerdictModel | None = None,
    ) -> None:
        self._analyzer = analyzer or Analyzer.for_pack(pack)
        self._verdict = verdict_model or _shipped_verdict()
        vocabulary = self._analyzer.vocabulary
        self._question_words = vocabulary.words.question_words
        self._not_focus = vocabulary.words.question_words | _NOT_FOCUS_CONCEPTS
        self._reporting = vocabulary.words.reporting_verbs
        self._askers_own = vocabulary.words.asker_words
        self._entries: tuple[Entry, ...] = pack.entries
        self._phrasings: list[str] = []
        self._phrasing_tokens: list[frozenset[str]] = []
        self._phrasing_text: list[str] = []
        self._phrasing_entry: list[int] = []
        self._entry_phrasings: list[range] = []
        self._entry_vocabulary: list[frozenset[str]] = []
        self._entry_body_vocabulary: list[frozenset[str]] = []
        self._entry_question_vocabulary: list[frozenset[str]] = []
        self._entry_sentences: list[list[quantity.Sentence]] = []
        self._entry_speakers: list[frozenset[str]] = []
        self._generic_counted = frozenset(self._analyzer.token(w) for w in quantity.GENERIC_COUNTED)
        words: set[str] = set(self._analyzer.name_words())
        self._word_counts: Counter[str] = Counter()
        postings: dict[str, list[int]] = defaultdict(list)
        for index, entry in enumerate(self._entries):
            start = len(self._phrasings)
            union: set[str] = set()
            for question in entry.questions:
                question_words = self._analyzer.words(question)
                words.update(question_words)
                self._word_counts.update(question_words)
                tokens = self._analyzer.tokens(question_words)
                self._phrasings.append(question)
                self._phrasing_tokens.append(frozenset(tokens))
                self._phrasing_text.append(" ".join(tokens))
                self._phrasing_entry.append(index)
                union.update(tokens)
            self._entry_phrasings.append(range(start, len(self._phrasings)))
            self._entry_question_vocabulary.append(frozenset(union))
            body = [entry.answer, *(q.text for q in entry.quotes)]
            body += [pack.speakers[q.speaker_id].name for q in entry.quotes]
            said: set[str] = set()
            for text in body:
                body_words = self._analyzer.words(text)
                words.update(body_words)
                said.update(self._analyzer.tokens(body_words))
            union.update(said)
            self._entry_vocabulary.append(frozenset(union))
            self._entry_body_vocabulary.append(frozenset(said))
            self._entry_speakers.append(
                frozenset(ENTITY_PREFIX + q.speaker_id for q in entry.quotes)
            )
            self._entry_sentences.append(
                quantity.sentences(
                    [entry.answer, *(q.text for q in entry.quotes)],
                    self._analyzer.words,
                    self._sentence_token,
                )
            )
            for token in union:
                postings[token].append(index)
        self._postings = {token: tuple(ids) for token, ids in postings.items()}
        n = max(1, len(self._entries))
        self._idf = {t: math.log(1.0 + n / len(ids)) for t, ids in self._postings.items()}
        self._unknown_weight = math.log(1.0 + n) * _UNKNOWN_SHARE
        self._common_df = max(50, int(n * COMMON_SHARE))
        self._off_article = vocabulary.refuse - self._idf.keys()
        # Summed in sorted order: float sums over a set would vary with the hash seed.
        self._phrasing_weight = [
            sum(self._weight(t) for t in sorted(ts)) for ts in self._phrasing_tokens
        ]
        self._name_words = sorted(self._analyzer.name_words())
        self._role_aliases, self._role_modifiers = self._role_words(pack)
        self._person_entities = frozenset(
            ENTITY_PREFIX + s.id for s in pack.speakers.values() if s.kind == SpeakerKind.PERSON
        )
        stop_pool: dict[str, list[str]] = defaultdict(list)
        for word in sorted(vocabulary.words.stop_words):
            if len(word) >= 4 and word.isalpha():
                stop_pool[word[0]].append(word)
        self._stop_pool = dict(stop_pool)
        # Misspelt synonyms are corrected too ("resignatoins"), when they mean a word the pack has.
        words.update(vocabulary.concept_words)
        self._words_by_length: dict[int, list[str]] = defaultdict(list)
        for word in sorted(words):
            if word.isalpha() and not self._analyzer.is_stop(word):
                self._words_by_length[len(word)].append(word)

    def _role_words(
        self, pack: KnowledgePack
    ) -> tuple[list[tuple[frozenset[str], str, str]], dict[str, set[str]]]:
        """How a question may name a person by role: each descriptive alias as its tokens, its
        last one (its head: "the labour *economist*") and the person's token; and the words of
        persons' roles and aliases, which narrow a role down ("the *Oxford* lecturer")."""
        aliases: list[tuple[frozenset[str], str, str]] = []
        modifiers: dict[str, set[str]] = defaultdict(set)
        for speaker in sorted(pack.speakers.values(), key=lambda s: s.id):
            if speaker.kind != SpeakerKind.PERSON:
                continue
            entity = ENTITY_PREFIX + speaker.id
            for text in (speaker.role, *speaker.aliases):
                tokens = [
                    t
                    for t in self._analyzer.tokens(self._analyzer.words(text))
                    if t not in self._question_words and t != entity
                ]
                for token in tokens:
                    if not is_entity(token):
                        modifiers[token].add(entity)
                if text != speaker.role and tokens and not is_entity(tokens[-1]):
                    aliases.append((frozenset(tokens), tokens[-1], entity))
        return aliases, dict(modifiers)

    def _named_by_role(self, tokens: Sequence[str]) -> tuple[tuple[str, str], ...]:
        """The question's words that name one person by role ("the economist", "the party
        leader", "the Oxford lecturer"), each with that person's token. A description of
        several words needs its head and another of its words; one naming several people, or a
        question that names a person outright, names nobody by role."""
        present = set(tokens)
        if any(is_entity(t) and t in self._person_entities for t in present):
            return ()
        best: dict[str, int] = {}
        for alias, head, speaker in self._role_aliases:
            if head not in present:
                continue
            matched = len(alias & present)
            if len(alias) > 1 and matched < 2:
                continue
            best[speaker] = max(best.get(speaker, 0), matched)
        if not best:
            return ()
        top = max(best.values())
        named = [s for s, m in best.items() if m == top]
        if len(named) != 1:
            # "the party leader" against "the union leader": narrowed by the other words.
            named = [s for s in named if any(s in self._role_modifiers.get(t, ()) for t in present)]
            narrowed = [
                s
                for s in named
                if sum(s in self._role_modifiers.get(t, ()) for t in present)
                > min(sum(o in self._role_modifiers.get(t, ()) for t in present) for o in named)
            ]
            named = narrowed if len(narrowed) == 1 else []
        if len(named) != 1:
            return ()
        (speaker,) = named
        return tuple(
            (t, speaker)
            for t in tokens
            if not is_entity(t) and speaker in self._role_modifiers.get(t, ())
        )

    # --- public ----------------------------------------------------------------------------

    @property
    def vocabulary(self) -> Vocabulary:
        """The merged general and pack vocabulary this matcher works with."""
        return self._analyzer.vocabulary

    def match(self, question: str) -> Match:
        """Rank entries for a question and decide whether the article answers it."""
        best = self._match_text(question)
        words = question.split()
        if len(words) >= LONG_MESSAGE_WORDS:
            pieces = list(dict.fromkeys(split_pieces(question)))[:MAX_PIECES]
            for piece in pieces:
                if piece == question:
                    continue
                candidate = self._match_text(piece, min_informative=_PIECE_MIN_INFORMATIVE)
                if _verdict_key(candidate) > _verdict_key(best):
                    best = candidate
        return best

    def concept_tokens(self, text: str) -> list[str]:
        """The concept tokens the matcher reads in a text, misspellings corrected."""
        return list(self._query(text).tokens)

    def knows(self, token: str) -> bool:
        """Whether the pack (its questions, answers or quotes) has this concept token."""
        return token in self._idf

    def text_tokens(self, text: str) -> list[str]:
        """The concept tokens of a text as written (article text: no corrections)."""
        return self._analyzer.tokens(self._analyzer.words(text))

    def complete(self, prefix: str, *, limit: int) -> list[tuple[str, str]]:
        """Up to `limit` (entry id, question) pairs for a partly typed question: the entries the
        matcher ranks highest, by their canonical question, then their phrasings closest to
        what was typed."""
        query = self._query(prefix, allow_prefix=True)
        if not query.tokens or limit <= 0:
            return []
        scored = sorted(
            (self._score_entry(query, index) for index in self._candidates(query)),
            key=lambda s: s.score,
            reverse=True,
        )
        results = [
            (self._entries[s.entry_index].id, self._entries[s.entry_index].title) for s in scored
        ]
        if len(results) < limit:
            shown = {question for _, question in results}
            choices = {
                p: self._phrasings[p]
                for s in scored
                for p in self._entry_phrasings[s.entry_index]
                if self._phrasings[p] not in shown
            }
            ranked = process.extract(
                prefix, choices, scorer=fuzz.WRatio, processor=_fold_for_completion, limit=limit
            )
            results += [
                (self._entries[self._phrasing_entry[key]].id, phrasing)
                for phrasing, _score, key in ranked
            ]
        return results[:limit]

    # --- matching --------------------------------------------------------------------------

    def _match_text(self, text: str, *, min_informative: int = 0) -> Match:
        query = self._query(text)
        informative = [t for t in query.tokens if t not in _WEAK_QUESTION_WORDS]
        if not query.tokens or len(informative) < min_informative or query.total <= 0:
            return Match(candidates=(), abstained=True)
        scored = sorted(
            (self._score_entry(query, index) for index in self._candidates(query)),
            key=lambda s: s.score,
            reverse=True,
        )
        candidates = tuple(
            Candidate(
                self._entries[s.entry_index].id,
                self._phrasings[s.phrasing_index],
                round(s.score, 4),
            )
            for s in scored
        )
        if not scored:
            return Match(candidates=(), abstained=True)
        top = scored[0]
        refused = [t for t in query.tokens if t in self._off_article]
        lexical, body, similarity = top.parts
        reasons = [
            f"best phrasing {self._phrasings[top.phrasing_index]!r} of "
            f"'{self._entries[top.entry_index].id}': score {top.score:.2f} (matched words "
            f"{lexical:.2f}, answer and quotes {body:.2f}, spelling {similarity:.2f})",
            *top.penalties,
        ]
        if refused:
            reasons.append(f"refused topic '{refused[0]}': the article never mentions it")
        if top.blocked:
            reasons.append("asks when/where/an attribute no phrasing of the entry asks about")
        features = self._features(query, scored)
        confidence = self._verdict.probability(features)
        reasons.append(self._verdict.explain(features))
        rules = (
            (bool(refused), HARD_RULES[0]),
            (top.blocked, HARD_RULES[1]),
            (top.score < SCORE_FLOOR, HARD_RULES[2]),
            (confidence < self._verdict.threshold, "low confidence"),
        )
        rule = next((name for applies, name in rules if applies), "answered")
        abstained = rule != "answered"
        unsure = rule == "low confidence" and confidence >= self._verdict.ask_back
        if unsure:
            rule = "asked back"
        floor = [c for c in candidates if c.score >= SUGGESTION_FLOOR]
        if abstained:
            suggestions = tuple(floor[:3])
        elif len(floor) > 1 and floor[1].score >= floor[0].score - CLOSE_MARGIN:
            suggestions = tuple(floor[1:4])
        else:
            suggestions = ()
        return Match(
            candidates=candidates,
            abstained=abstained,
            suggestions=suggestions,
            unsure=unsure,
            reasons=tuple(reasons),
            rule=rule,
            tokens=query.tokens,
            confidence=confidence,
            features=features,
        )

    def _features(self, query: _Query, scored: Sequence[_Scored]) -> dict[str, float]:
        """The facts about the best candidate that the verdict weighs (verdict.FEATURES)."""
        top = scored[0]
        runner_up = scored[1].score if len(scored) > 1 else 0.0
        total = query.total or 1.0
        known = self._entry_vocabulary[top.entry_index]
        uncovered = [w for t, w in zip(query.tokens, query.weights, strict=True) if t not in known]
        unknown = [
            w for t, w in zip(query.tokens, query.weights, strict=True) if t not in self._idf
        ]
        features = {
            "score": top.score,
            "lead": top.score - runner_up,
            "topic_recall": top.topic_recall,
            "unanswered": top.unanswered,
            "uncovered_top": max(uncovered, default=0.0) / max(query.weights, default=1.0),
            "uncovered": float(len(uncovered)),
            "unknown_share": sum(unknown) / total,
            "asks_value": float(query.value_kind is not None),
            "asks_relation": float(bool(query.relation)),
            "names_role": float(bool(query.roles)),
            "names_speaker": float(sum(is_entity(t) for t in query.tokens)),
        }
        for flag in ("focus_missing", "type_missing", "speaker_missing", "attribute_missing"):
            features[flag] = float(flag in top.flags)
        return features

    def _query(self, text: str, *, allow_prefix: bool = False) -> _Query:
        words = self._analyzer.words(text)
        folded = fold(text)
        head = _POSSESSIVE_HEAD.search(folded)
        head_words = {w for w in head.groups() if w} if head else set()
        if _WHAT_FOR.match(folded):
            words.append("why")
        tokens: dict[str, tuple[float, float]] = {}
        focus: str | None = None
        possessed: list[str] = []
        asking = False
        typing = allow_prefix and bool(text) and not text[-1].isspace()
        for position, word in enumerate(words):
            if position and words[position - 1] in self._askers_own:
                continue  # "my uncle says…": the asker's context, not the question's topic
            similarity = 1.0
            if typing and position == len(words) - 1:
                completed = self._complete_word(word)
                if completed != word:
                    word, similarity = completed, 0.9
            if self._analyzer.is_stop(word):
                continue
            token = self._analyzer.token(word)
            if word in self._question_words:
                asking = True
            if token not in self._idf and not word.isdigit():
                corrected = self._correct(word)
                if corrected is not None:
                    token, similarity = corrected
                elif self._misspelt_stop_word(word):
                    continue  # "dose", "happend": a function word mistyped, not a topic
            if word in head_words and not is_entity(token):
                possessed.append(token)
            if asking and focus is None and token not in self._not_focus and not is_entity(token):
                focus = token
            if token not in tokens:
                tokens[token] = (self._weight(token), similarity)
        if len(tokens) > _CHATTY_TOKENS:
            # In a long chatty message unknown words are mostly chatter, not the question's topic.
            discount = _CHATTY_TOKENS / len(tokens)
            tokens = {
                t: (w * discount if t not in self._idf else w, s) for t, (w, s) in tokens.items()
            }
        value_kind, counted, counts_time, value_topic = self._asked_value(text, list(tokens))
        roles = self._named_by_role(list(tokens))
        viewed = attribution.asked_speaker(list(tokens), words)
        if viewed and ENTITY_PREFIX + viewed in self._person_entities:
            # "What does P think of T": P is spoken of by every entry that quotes P.
            roles += ((ENTITY_PREFIX + viewed, ENTITY_PREFIX + viewed),)
        if focus is not None and any(focus == t for t, _ in roles):
            focus = None  # "what does the economist say": a person, not the topic asked about
        return _Query(
            tokens=tuple(tokens),
            weights=tuple(w for w, _ in tokens.values()),
            similarity=tuple(s for _, s in tokens.values()),
            focus=possessed[0] if possessed else focus,
            possessed=tuple(possessed),
            answer_types=_answer_types(list(tokens), self._question_words),
            value_kind=value_kind,
            counted=counted,
            counts_time=counts_time,
            value_topic=value_topic,
            relation=self._asked_relation(words),
            roles=roles,
        )

    def _asked_relation(self, words: list[str]) -> tuple[str, ...]:
        asked = relation.asked_relation(
            words,
            lambda w: not self._analyzer.is_stop(w),
            self._reporting,
        )
        tokens: list[str] = []
        for word in asked:
            token = self._analyzer.token(word)
            if token not in self._idf:
                corrected = self._correct(word)
                token = corrected[0] if corrected else token
            if not is_entity(token) and token not in self._question_words:
                tokens.append(token)
        return tuple(tokens)

    def _sentence_token(self, word: str) -> str | None:
        return None if self._analyzer.is_stop(word) else self._analyzer.token(word)

    def _asked_value(
        self, text: str, tokens: list[str]
    ) -> tuple[str | None, frozenset[str], bool, frozenset[str]]:
        """The figure a question asks for, what it counts, and the topic it asks it about."""
        leading = next((t for t in tokens if t in self._question_words), None)
        asked = quantity.asked_value(self._analyzer.words(text), leading)
        if asked is None:
            return None, frozenset(), False, frozenset()
        kind, counted_words = asked
        content: list[tuple[str, str]] = []
        for word in counted_words:
            if self._analyzer.is_stop(word):
                break
            token = self._analyzer.token(word)
            if token not in self._idf:
                corrected = self._correct(word)
                token = corrected[0] if corrected else token
            content.append((word, token))
        counted: set[str] = set()
        # What is counted is the phrase's last word, its head ("how many party figures":
        # figures); the words before it only narrow the topic. A head the pack does not know,
        # or a generic one ("how many people signed"), counts whoever it is: any figure will do.
        if content:
            word, token = content[-1]
            generic = quantity.generic(word) or token in self._generic_counted
            if not generic and token in self._idf and not is_entity(token):
                counted.add(token)
        counts_time = any(quantity.is_time_unit(w) for w in counted_words)
        topic = frozenset(
            t
            for t in tokens
            if t in self._idf
            and t not in self._question_words
            and t not in _WEAK_QUESTION_WORDS
            and t not in _NOT_FOCUS_CONCEPTS
            and t not in counted
        )
        return kind, frozenset(counted), counts_time, topic

    def _complete_word(self, partial: str) -> str:
        """The word a reader is probably typing: a name first, else the pack's most used word
        that starts with what was typed; the partial word itself when nothing fits."""
        if len(partial) < 2:
            return partial
        names = [n for n in self._name_words if n.startswith(partial)]
        if names:
            return min(names, key=len)
        if len(partial) < 3:
            return partial
        words = [
            w
            for size, group in self._words_by_length.items()
            if size > len(partial)
            for w in group
            if w.startswith(partial)
        ]
        return max(words, key=lambda w: (self._word_counts[w], -len(w)), default=partial)

    def _misspelt_stop_word(self, word: str) -> bool:
        """Whether a word the pack does not know is a stop word mistyped: two letters swapped
        ("dose" for does) or, in a word of six letters or more, one letter left out or doubled
        ("happend" for happened). A substituted letter is not enough ("tall" is not "tell")."""
        if len(word) < 4 or not word.isalpha():
            return False
        for stop in self._stop_pool.get(word[0], ()):
            if len(stop) == len(word):
                if sorted(stop) == sorted(word) and OSA.distance(word, stop) == 1:
                    return True
            elif (
                len(word) >= 6 and abs(len(stop) - len(word)) == 1 and OSA.distance(word, stop) == 1
            ):
                return True
        return False

    def _correct(self, word: str) -> tuple[str, float] | None:
        """The known token a misspelt word stands for."""
        length = len(word)
        if length < 3 or not word.isalpha():
            return None
        # Short words allow one substitution or swap ("kahn"), longer ones an edit or two.
        if length <= 4:
            # Short words are only corrected to names ("kahn") or question words ("waht").
            pool = [w for w in self._name_words if length <= len(w) <= length + 1]
            pool += [w for w in _SHORT_QUESTION_WORDS if w[0] == word[0]]
            limit = 1
            if length == 4 and not process.extract(
                word, pool, scorer=OSA.distance, score_cutoff=limit, limit=1
            ):
                # Failing those, to a pack word with one letter left out, same ends ("bots":
                # boats), never to one with a letter changed.
                pool = [
                    w
                    for w in self._words_by_length.get(length + 1, ())
                    if w[0] == word[0] and w[-1] == word[-1]
                ]
        else:
            limit = 1 if length <= 7 else 2
            pool = [
                w
                for size in range(length - limit, length + limit + 1)
                for w in self._words_by_length.get(size, ())
            ]
            if length <= 6:
                # Short real words differ by one letter too ("share"/"shape"): keep both ends,
                # unless the word is the other with two letters swapped ("cabel": cable).
                pool = [
                    w
                    for w in pool
                    if w[0] == word[0]
                    and (w[-1] == word[-1] or (len(w) == length and sorted(w) == sorted(word)))
                ]
        found = process.extract(word, pool, scorer=OSA.distance, score_cutoff=limit, limit=8)
        if not found:
            return None
        # Among equally close words prefer the most similar overall ("wrters": writers, not waters).
        best = min(found, key=lambda f: (f[1], -fuzz.ratio(word, f[0])))
        corrected = self._analyzer.token(best[0])
        if corrected not in self._idf:
            return None
        return corrected, 1.0 - 0.5 * best[1] / length

    def _candidates(self, query: _Query) -> list[int]:
        scores: dict[int, float] = defaultdict(float)
        common: list[int] = []
        for position, token in enumerate(query.tokens):
            ids = self._postings.get(token)
            if not ids:
                continue
            if len(ids) > self._common_df:
                common.append(position)
                continue
            gain = query.weights[position] * query.similarity[position]
            for index in ids:
                scores[index] += gain
        if not scores:
            for position in common:
                for index in self._postings[query.tokens[position]][: self._common_df]:
                    scores[index] += query.weights[position]
        return heapq.nlargest(CANDIDATES, scores, key=scores.__getitem__)

    def _score_entry(self, query: _Query, index: int) -> _Scored:
        # A speaker named by role ("the economist") is spoken of by every entry that quotes them.
        vocabulary = self._entry_vocabulary[index]
        implied: frozenset[str] = frozenset()
        if query.roles:
            speakers = self._entry_speakers[index]
            implied = frozenset(t for t, s in query.roles if s in speakers)
            vocabulary = vocabulary | implied
        total = query.total
        covered = sum(
            w * s
            for t, w, s in zip(query.tokens, query.weights, query.similarity, strict=True)
            if t in vocabulary
        )
        body_recall = covered / total
        topic_total = 0.0
        topic_covered = 0.0
        for token, weight, sim in zip(query.tokens, query.weights, query.similarity, strict=True):
            if is_entity(token) or token in _WEAK_QUESTION_WORDS:
                continue
            topic_total += weight
            if token in vocabulary:
                topic_covered += weight * sim
        topic_recall = topic_covered / topic_total if topic_total > 0 else 1.0
        query_text = " ".join(query.tokens)
        gains = query.gains
        gained = frozenset(gains)
        best_score, best_phrasing = 0.0, self._entry_phrasings[index].start
        parts = (0.0, body_recall, 0.0)
        penalties: list[str] = []
        flags: set[str] = set()
        lexical_scores = []
        for p in self._entry_phrasings[index]:
            tokens = self._phrasing_tokens[p]
            phrasing_total = self._phrasing_weight[p]
            if implied:
                phrasing_total += sum(self._weight(t) for t in implied - tokens)
                tokens = tokens | implied
            common = tokens & gained
            if not common:
                continue
            matched = sum(gains[token] for token in common)
            if matched <= 0:
                continue
            recall = matched / total
            precision = min(1.0, matched / phrasing_total) if phrasing_total else 0.0
            lexical_scores.append((-(recall**0.65 * precision**0.35), p))
        lexical_scores.sort()  # best first; on a tie the earlier phrasing (canonical first)
        for negative_lexical, p in lexical_scores:
            lexical = -negative_lexical
            partial = W_LEXICAL * lexical + W_BODY * body_recall
            if partial + W_SIMILARITY <= best_score:
                break  # even a perfect string similarity could not beat the best so far
            similarity = fuzz.token_sort_ratio(query_text, self._phrasing_text[p]) / 100.0
            score = partial + W_SIMILARITY * similarity
            if score > best_score:
                best_score, best_phrasing = score, p
                parts = (lexical, body_recall, similarity)
        if best_score == 0.0:
            best_score = 0.5 * body_recall
        if query.focus is not None and query.focus not in vocabulary:
            unknown = query.focus not in self._idf
            best_score *= FOCUS_UNKNOWN_PENALTY if unknown else FOCUS_MISSING_PENALTY
            penalties.append(f"asks about '{query.focus}', which the entry never mentions")
            flags.add("focus_missing")
        # "X's Y" asks for an attribute Y of X; if the article never mentions Y, it cannot answer.
        blocked = any(t not in self._idf for t in query.possessed)
        if any(t not in vocabulary for t in query.possessed):
            best_score *= POSSESSED_MISSING_PENALTY
            penalties.append("asks for an attribute the entry never mentions")
            flags.add("attribute_missing")
        asked = self._entry_question_vocabulary[index]
        missing = [t for t in query.answer_types if t not in asked]
        if missing:
            best_score *= ANSWER_TYPE_PENALTY
            penalties.append(f"asks '{missing[0]}', which no phrasing of the entry asks")
            flags.add("type_missing")
        # "When was she hired?" is not answered by "when did the staff start leaving?":
        # a when/where question needs a phrasing that asks it about the same topic.
        topic = {t for t in query.tokens if t not in self._question_words}
        blocked = blocked or any(
            not any(
                kind in self._phrasing_tokens[p] and topic & self._phrasing_tokens[p]
                for p in self._entry_phrasings[index]
            )
            for kind in query.answer_types
            if kind in BLOCKING_TYPES
        )
        if self._phrasing_tokens[best_phrasing] == frozenset(query.tokens):
            pass  # the curator wrote this very question for this entry
        elif query.value_kind is not None and not self._gives_value(query, index):
            blocked = True
            penalties.append(f"asks for a {query.value_kind} its answer and quotes never give")
        elif absent := [t for t in query.relation if t not in vocabulary]:
            blocked = True
            penalties.append(f"asks '{absent[0]}', which the entry never speaks of")
        if any(is_entity(t) and t not in vocabulary for t in query.tokens):
            best_score *= ENTITY_MISSING_PENALTY
            penalties.append("names a speaker the entry never mentions")
            flags.add("speaker_missing")
        unanswered = self._unanswered_share(query, index, best_phrasing, implied)
        return _Scored(
            index,
            best_score,
            best_phrasing,
            topic_recall,
            blocked,
            unanswered,
            parts,
            tuple(penalties),
            frozenset(flags),
        )

    def _gives_value(self, query: _Query, index: int) -> bool:
        """Whether the entry's answer or a quote states the figure the question asks for. A
        counted word only the entry's phrasings use ("houses" for the answer's "homes") is the
        curator's paraphrase: any figure about the topic will do."""
        counted = query.counted
        body, asked = self._entry_body_vocabulary[index], self._entry_question_vocabulary[index]
        if counted and not counted & body and counted <= asked:
            counted = frozenset()
        return any(
            quantity.gives(
                sentence,
                query.value_kind or "",
                counted,
                query.value_topic,
                counts_time=query.counts_time,
            )
            for sentence in self._entry_sentences[index]
        )

    def _unanswered_share(
        self, query: _Query, index: int, phrasing: int, implied: frozenset[str] = frozenset()
    ) -> float:
        """Share of the question's topic that the pack knows but neither this entry's answer
        and quotes nor the phrasing it matched speak of: what it asks that the entry cannot
        answer ("which party did she join" against an entry that only says she left)."""
        said = self._entry_body_vocabulary[index] | self._phrasing_tokens[phrasing]
        if implied:
            said = said | implied
        total = missing = 0.0
        for token, weight in zip(query.tokens, query.weights, strict=True):
            if token in self._question_words or token in _WEAK_QUESTION_WORDS:
                continue
            if is_entity(token) or token not in self._idf:
                continue
            total += weight
            if token not in said:
                missing += weight
        return missing / total if total else 0.0

    def _weight(self, token: str) -> float:
        weight = self._idf.get(token, self._unknown_weight)
        return weight * _WEAK_WEIGHT if token in _WEAK_QUESTION_WORDS else weight


def _answer_types(tokens: list[str], question_words: frozenset[str]) -> tuple[str, ...]:
    """What kind of answer the question wants: its leading question word ("who … when they
    say" asks who, not when), "many" after "how", and the non-question types it mentions."""
    leading = next((t for t in tokens if t in question_words), None)
    wanted = {leading} if leading else set()
    if leading == "how" and "many" in tokens:
        wanted.add("many")
    wanted.update(t for t in tokens if t in TOPIC_TYPES)
    return tuple(t for t in ANSWER_TYPES if t in wanted)


@cache
def _shipped_verdict() -> verdict.VerdictModel:
    return verdict.VerdictModel.shipped()


def _verdict_key(match: Match) -> tuple[bool, float]:
    top = match.candidates[0].score if match.candidates else 0.0
    return (not match.abstained, top)


def _fold_for_completion(text: str) -> str:
    return text.casefold()


def phrasings_of(entries: Sequence[Entry]) -> list[str]:
    """Every question phrasing of the given entries, in order (used by the benchmark)."""
    return [q for e in entries for q in e.questions]
