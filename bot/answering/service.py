"""Answering from one article's pack: a question in, an Answer out (the matcher, then the rules)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from bot.answering import messages
from bot.answering.served import PackSlot, outermost
from bot.answering.speakers import SpeakerDirectory
from bot.matching import attribution, followup
from bot.matching.analysis import is_entity
from bot.matching.attribution import AttributionQuestion, QuoteIndex, QuoteMatch
from bot.matching.courtesy import is_thanks
from bot.matching.matcher import Match, Matcher
from bot.matching.script import unreadable_script
from bot.matching.text import normalise
from bot.model import (
    ARTICLE_SPEAKER_ID,
    Answer,
    AnswerKind,
    AttributedQuote,
    Entry,
    KnowledgePack,
    Origin,
    Source,
    Speaker,
    Suggestion,
)
from bot.ports import Journal, NullJournal

MAX_QUESTION_CHARS = 4000
CHOSEN_RULE = "chosen"  # the rule of an entry the reader picked: a suggestion tapped, a link


class FaqService:
    """Answers questions from one article's pack; knows no platform, chat or setting."""

    def __init__(self, pack: KnowledgePack | PackSlot, *, journal: Journal | None = None) -> None:
        """Serve a pack (or the pack a slot holds, following its reloads). Answers given for an
        origin go to the journal."""
        self._slot = pack if isinstance(pack, PackSlot) else PackSlot(pack)
        self._reporting: tuple[Matcher, frozenset[str]] | None = None
        self._proper: tuple[KnowledgePack, Mapping[str, str], frozenset[str]] | None = None
        self._journal: Journal = journal or NullJournal()

    @property
    def slot(self) -> PackSlot:
        """Where the served pack lives (shared with the speaker directory)."""
        return self._slot

    @property
    def pack(self) -> KnowledgePack:
        """The knowledge pack now being served."""
        return self._slot.served.pack

    @property
    def source(self) -> Source:
        """The article's metadata."""
        return self.pack.source

    @property
    def _pack(self) -> KnowledgePack:
        return self._slot.served.pack

    @property
    def _matcher(self) -> Matcher:
        return self._slot.served.matcher

    @property
    def _quotes(self) -> QuoteIndex:
        return self._slot.served.quotes

    # --- questions -------------------------------------------------------------------------

    def ask(self, question: str, *, origin: Origin | None = None) -> Answer:
        """Answer a question from the article, or say plainly that the article does not cover it."""
        answer = self._answer(question)
        self._journal_answer(answer, origin)
        return answer

    def follow_up(
        self, question: str, *, previous_entry_id: str, origin: Origin | None = None
    ) -> Answer:
        """Answer a reply to an earlier answer ("who said that?", "tell me more", "what else did
        she say?") against that answer's entry and speaker; other text is asked afresh."""
        answer = self.resolve_follow_up(question, previous_entry_id)
        if answer is None:
            answer = self._answer(question)
        self._journal_answer(answer, origin)
        return answer

    def resolve_follow_up(self, question: str, previous_entry_id: str) -> Answer | None:
        """The answer to a reply that follows up on an earlier answer's entry; None when the
        reply is not a follow-up (a question of its own) or the entry is gone."""
        previous = self._pack.entry(previous_entry_id)
        return self._resolve_follow_up(question, previous) if previous is not None else None

    def answer_entry(
        self, entry_id: str, *, question: str | None = None, origin: Origin | None = None
    ) -> Answer | None:
        """The answer of one entry (buttons, deep links, inline results); None if unknown.
        With an origin (a reader picked it) it is journaled like a question."""
        entry = self._pack.entry(entry_id)
        if entry is None:
            return None
        answer = replace(
            self._entry_answer(question or entry.title, entry, score=1.0),
            rule=CHOSEN_RULE,
            reasons=("the reader chose this entry (a button, a link or a numbered choice)",),
        )
        self._journal_answer(answer, origin)
        return answer

    def looks_like_question(self, text: str) -> bool:
        """Whether a plain chat message is clearly a question (for auto-answer)."""
        return self._matcher.vocabulary.looks_like_question(text)

    def search(self, text: str, *, limit: int = 10) -> list[Answer]:
        """Up to `limit` answers for inline results, best first; empty when nothing fits."""
        match = self._matcher.match(text[:MAX_QUESTION_CHARS])
        if match.abstained:
            return []
        best = match.candidates[0]
        answers: list[Answer] = []
        for candidate in match.candidates[:limit]:
            if candidate.score < best.score * 0.75 and answers:
                break
            entry = self._pack.entry(candidate.entry_id)
            if entry is not None:
                answers.append(self._entry_answer(text, entry, score=candidate.score))
        return answers

    def complete(self, prefix: str, *, limit: int = 25) -> list[Suggestion]:
        """Closest FAQ questions for what the user has typed so far (autocomplete)."""
        if not normalise(prefix):
            return self.examples(limit)
        return [
            Suggestion(entry_id, phrasing)
            for entry_id, phrasing in self._matcher.complete(prefix, limit=limit)
        ]

    def topics(self) -> list[Suggestion]:
        """Every entry, by its canonical question, in pack order."""
        return [Suggestion(e.id, e.title) for e in self._pack.entries]

    def examples(self, n: int = 3) -> list[Suggestion]:
        """Representative questions: entries spread evenly across the pack."""
        entries = self._pack.entries
        if not entries or n <= 0:
            return []
        step = max(1, len(entries) // n)
        return [Suggestion(e.id, e.title) for e in entries[::step][:n]]

    # --- internals -------------------------------------------------------------------------

    def _answer(self, question: str) -> Answer:
        question = question[:MAX_QUESTION_CHARS]
        script = unreadable_script(question)
        if script is not None:
            return Answer(
                question=question,
                kind=AnswerKind.UNREADABLE,
                text=messages.unreadable_script(script),
                suggestions=tuple(self.examples(3)),
            )
        if is_thanks(question):
            return Answer(question=question, kind=AnswerKind.GREETING, text=messages.thanks())
        small_talk = self._matcher.vocabulary.small_talk(question)
        if small_talk is not None:
            kind = {
                "empty": AnswerKind.EMPTY,
                "greeting": AnswerKind.GREETING,
                "help": AnswerKind.HELP,
            }[small_talk]
            return Answer(
                question=question,
                kind=kind,
                text=messages.small_talk(kind, self._pack.source, self.example_question()),
                suggestions=tuple(self.examples(3)),
            )
        match = self._matcher.match(question)
        unquoted = self._unquoted_subject(question, match)
        if unquoted is not None:
            return unquoted
        asked = attribution.parse(question, self._matcher.vocabulary)
        if asked is not None:
            attributed = self._attribution_answer(question, asked, match)
            if attributed is not None:
                return attributed
        view = self._speaker_view(question, match)
        if view is not None:
            return view
        off_topic = self._speaker_off_topic(question, match)
        if off_topic is not None:
            return off_topic
        return self._from_match(question, match)

    def _claim_tokens(
        self, text: str, tokens: list[str] | None = None, *, keep_verbs: bool = False
    ) -> list[str]:
        """What a question says beyond asking who or what someone said: its concept tokens
        (`tokens` when already known) without question words and (unless `keep_verbs`: a claim
        whose asking verb is already taken off, "who suggested going back to the old site")
        reporting verbs."""
        vocabulary = self._matcher.vocabulary
        if self._reporting is None or self._reporting[0] is not self._matcher:
            verbs = frozenset(
                t
                for v in vocabulary.words.reporting_verbs
                for t in self._matcher.text_tokens(v)[:1]
            )
            self._reporting = (self._matcher, verbs)
        reporting = self._reporting[1]
        return [
            t
            for t in (tokens if tokens is not None else self._matcher.concept_tokens(text))
            if t not in vocabulary.words.question_words
            and (keep_verbs or t not in reporting)
            and t not in attribution.NOT_CLAIM
        ]

    def _attribution_answer(
        self, question: str, asked: AttributionQuestion, match: Match
    ) -> Answer | None:
        """ "Who said X": the speakers of the quotes that say X; a plain refusal when no quote
        says it; None when the claim is too vague to look for, or a curated phrasing answers."""
        tokens = self._claim_tokens(asked.claim, keep_verbs=True)
        if not tokens:
            return None
        if match.best is not None and match.best.score >= attribution.CURATED_SCORE:
            return None  # the question is (almost) a phrasing the curator wrote for an entry
        ranked = self._quotes.rank(tokens)
        if asked.verb is not None:
            return self._quote_did(question, asked.verb, tokens, ranked, match)
        if ranked and ranked[0].coverage >= attribution.ANSWER_COVERAGE:
            best = ranked[0].coverage
            chosen = [m for m in ranked if m.coverage >= best - attribution.CLOSE_COVERAGE]
            if asked.asked_with is not None:
                same = [m for m in chosen if attribution.same_verb(asked.asked_with, m.quote.verb)]
                chosen = same or chosen  # "who suggested X": the quote that suggests it
            why = f"who said it: a quote says {best:.0%} of the claim"
            return replace(self._said_by(question, chosen, match), reasons=(why,))
        if match.best is not None:
            entry_quotes = {q.text for q in self._entry_or_fail(match.best.entry_id).quotes}
            plain = self._quotes.rank(tokens, context=False)  # the entry's quotes' own words
            within = [m for m in plain if m.quote.text in entry_quotes]
            if within and within[0].coverage >= attribution.ENTRY_QUOTE_COVERAGE:
                why = (
                    f"who said it: the quotes of '{match.best.entry_id}', the entry matched, "
                    f"say {within[0].coverage:.0%} of the claim"
                )
                return replace(self._said_by(question, within, match), reasons=(why,))
        near = [m for m in ranked if m.coverage >= attribution.SUGGEST_COVERAGE]
        suggested = [self._entry_for(m, match).id for m in near]
        suggested += [c.entry_id for c in match.suggestions or match.candidates[:3]]
        return Answer(
            question=question,
            kind=AnswerKind.NOT_COVERED,
            text=messages.nobody_said(self._pack.source),
            score=ranked[0].coverage if ranked else 0.0,
            rule="who said: nobody",
            reasons=(
                "who said it: no quote says enough of the claim "
                f"(best {ranked[0].coverage if ranked else 0.0:.0%})",
            ),
            suggestions=tuple(
                Suggestion(eid, self._title(eid)) for eid in list(dict.fromkeys(suggested))[:3]
            ),
        )

    def _quote_did(
        self, question: str, verb: str, tokens: list[str], ranked: list[QuoteMatch], match: Match
    ) -> Answer | None:
        """ "Who raised X", "who took to Y" (a verb that does not report speech): the speakers
        of the quotes that say it, when one says enough of it in enough words and uses the verb
        if the article uses it at all ("who chairs X" is not answered by a quote on X that does
        not say "chairs"). Otherwise None: the question is left to the matcher."""
        if match.best is not None and match.best.score >= attribution.LOOSE_SCORE:
            return None  # the matcher is sure of an entry: not a question about a quote
        if not ranked or ranked[0].coverage < attribution.ANSWER_COVERAGE:
            return None
        best = ranked[0].coverage
        chosen = [m for m in ranked if m.coverage >= best - attribution.CLOSE_COVERAGE]
        verb_tokens = {t for t in self._matcher.text_tokens(verb) if self._quotes.knows(t)}
        naming = {
            t
            for form in self._quotes.named(question).values()
            for t in self._matcher.text_tokens(form)
        }
        content = {t for t in tokens if not is_entity(t) and t not in naming}  # not "who leads P"
        chosen = [
            m
            for m in chosen
            if verb_tokens <= m.quote.tokens
            and len(content & m.quote.tokens) >= attribution.LOOSE_MIN_WORDS
        ]
        if not chosen:
            return None
        said = self._said_by(question, chosen, match)
        why = f"who did it: a quote says {best:.0%} of it"
        return replace(said, reasons=(why,)) if said.answered else None

    def _said_by(self, question: str, ranked: list[QuoteMatch], match: Match) -> Answer:
        """Who says it, from the best quotes: named speakers first, an article-voice quote
        after the speaker's quote it carries on (`QuoteIndex.lead`); when only the article's
        own voice says it, the article attributes it to nobody and the reply says so."""
        named: dict[str, QuoteMatch] = {}  # by text: the first (best) match of each quote
        for found in ranked:
            lead = self._quotes.lead(found.quote)
            if lead is not None:
                named.setdefault(lead.text, QuoteMatch(lead, found.coverage))
                named.setdefault(found.quote.text, found)
            elif found.quote.speaker_id != ARTICLE_SPEAKER_ID:
                named.setdefault(found.quote.text, found)
        chosen = (list(named.values()) or ranked)[: attribution.MAX_QUOTES]
        entry = self._entry_for(chosen[0], match)
        listed = [self._quote_of(m) for m in chosen]
        kept = outermost(listed)  # a named quote inside the article's sentence still shows
        quotes = tuple(q for q in listed if q in kept or q.speaker_id != ARTICLE_SPEAKER_ID)
        if not named:
            return Answer(
                question=question,
                kind=AnswerKind.NOT_COVERED,
                text=messages.said_by_nobody(),
                quotes=quotes,
                score=chosen[0].coverage,
                suggestions=(Suggestion(entry.id, entry.title),),
                rule="who said: the article itself",
            )
        answer = self._entry_answer(question, entry, score=chosen[0].coverage)
        speaking = [q for q in quotes if q.speaker_id != ARTICLE_SPEAKER_ID]
        return replace(answer, text=messages.who_said(speaking), quotes=quotes, rule="who said")

    def _entry_or_fail(self, entry_id: str) -> Entry:
        entry = self._pack.entry(entry_id)
        assert entry is not None
        return entry

    def _speaker_view(self, question: str, match: Match) -> Answer | None:
        """ "Where does P stand", "what does P say about T", P named by name or alias, when the
        entry matched does not quote P: P's quotes that say T (all of them when T is only P's
        stance). None when the matcher's entry quotes P, or P's quotes do not say T."""
        named = self._quotes.named(question)
        plain = normalise(question).split()
        if len(named) != 1 or not plain or plain[0] in attribution.NOT_VIEW_OPENERS:
            return None  # "which platform did P use", "who is the P that …": a fact, not a view
        ((speaker_id, form),) = named.items()
        words = set(plain)
        asking = attribution.VIEW_WORDS | self._matcher.vocabulary.words.reporting_verbs
        if not (words & asking or attribution.SAY_CONCEPT in match.tokens):
            return None
        if match.best is not None:
            if match.best.score >= attribution.CURATED_SCORE:
                return None
            shown = {q.text for q in self._entry_or_fail(match.best.entry_id).quotes}
            if any(q.text in shown for q in self._quotes.said_by(speaker_id)):
                return None  # the entry matched quotes P: its answer stands
        theirs = {q.text for q in self._quotes.said_by(speaker_id)}
        if not theirs:
            return None
        naming = set(self._matcher.text_tokens(form))
        naming |= {t for w in attribution.VIEW_WORDS & words for t in self._matcher.text_tokens(w)}
        topic = [
            t
            for t in self._claim_tokens(question, list(match.tokens))
            if not is_entity(t) and t not in naming
        ]
        if topic:
            ranked = [m for m in self._quotes.rank(topic) if m.quote.text in theirs]
            if not ranked or ranked[0].coverage < attribution.SPEAKER_TOPIC_COVERAGE:
                return None
            best = ranked[0].coverage
            chosen = [m for m in ranked if m.coverage >= best - attribution.CLOSE_COVERAGE]
        else:  # only P's stance is asked: all of what P says
            best = 1.0
            chosen = [QuoteMatch(q, 1.0) for q in self._quotes.quotes if q.text in theirs]
        chosen = chosen[: attribution.MAX_QUOTES]
        entry = self._entry_for(chosen[0], match)
        answer = self._entry_answer(question, entry, score=best)
        quotes = tuple(outermost([self._quote_of(m) for m in chosen]))
        why = f"asks for {speaker_id}'s view: their quotes say {best:.0%} of the topic"
        return replace(answer, quotes=quotes, rule="speaker's view", reasons=(why,))

    def _unquoted_subject(self, question: str, match: Match) -> Answer | None:
        """ "What did X say", X named in the article (or capitalised) but never quoted: the
        article cannot say what X said, however well the rest of the question matches."""
        if match.best is not None and match.best.score >= attribution.CURATED_SCORE:
            return None  # the curator wrote this very question for an entry
        if self._proper is None or self._proper[0] is not self._pack:
            self._proper = (
                self._pack,
                attribution.proper_words(self._pack.article),
                attribution.speaker_words(self._pack),
            )
        _, proper, described = self._proper
        name = attribution.unquoted_subject(
            question, proper, described, self._matcher.concept_tokens
        )
        if name is None:
            return None
        return Answer(
            question=question,
            kind=AnswerKind.NOT_COVERED,
            text=messages.not_quoted(name, self._pack.source),
            rule="not quoted",
            reasons=(f"asks what {name!r} said; the article quotes nobody of that name",),
            score=match.candidates[0].score if match.candidates else 0.0,
            suggestions=tuple(
                Suggestion(c.entry_id, self._title(c.entry_id)) for c in match.candidates[:3]
            ),
        )

    def _speaker_off_topic(self, question: str, match: Match) -> Answer | None:
        """ "What does P say about T" when the article quotes P, but never on T."""
        tokens = list(match.tokens)
        speaker_id = attribution.asked_speaker(tokens, normalise(question).split())
        speaker = self._pack.speakers.get(speaker_id) if speaker_id else None
        if speaker is None:
            return None
        topic = [
            t
            for t in self._claim_tokens(question, tokens)
            if not is_entity(t) and self._matcher.knows(t)
        ]
        quoted = [q for q in self._quotes.quotes if q.speaker_id == speaker.id]
        if not topic or not quoted:
            return None
        if match.best is not None:
            phrasing = set(self._matcher.text_tokens(match.best.phrasing))
            if f"@{speaker.id}" in phrasing and set(topic) <= phrasing:
                return None  # the curator wrote this speaker and topic into the phrasing matched
        shown = self._slot.served.quotes_of(speaker.id)
        said = set().union(*(q.tokens for q in quoted))
        for entry in self._pack.entries:
            main = followup.main_speaker(self._pack, entry)
            if main is not None and main.id == speaker.id:
                for text in (entry.answer, *entry.questions):
                    said.update(self._matcher.text_tokens(text))
        weights = {t: self._quotes.weight(t) for t in topic}
        coverage = sum(w for t, w in weights.items() if t in said) / sum(weights.values())
        if coverage >= attribution.SPEAKER_TOPIC_COVERAGE:
            return None
        return Answer(
            question=question,
            kind=AnswerKind.NOT_COVERED,
            text=messages.not_quoted_on(speaker),
            rule="speaker not quoted on it",
            reasons=(
                f"asks what {speaker.id} says on a topic; what the article attributes to them "
                f"covers {coverage:.0%} of it",
            ),
            quotes=tuple(shown),
            score=coverage,
            suggestions=tuple(
                Suggestion(c.entry_id, self._title(c.entry_id)) for c in match.candidates[:3]
            ),
        )

    def _entry_for(self, found: QuoteMatch, match: Match) -> Entry:
        """Of the entries showing a quote, the one the matcher ranks highest for the question."""
        rank = {c.entry_id: i for i, c in enumerate(match.candidates)}
        entry_id = min(found.quote.entry_ids, key=lambda e: rank.get(e, len(rank)))
        entry = self._pack.entry(entry_id)
        assert entry is not None
        return entry

    def _quote_of(self, found: QuoteMatch) -> AttributedQuote:
        quote = found.quote
        return self._slot.served.attributed_quote(quote.text, quote.speaker_id, quote.verb)

    def _from_match(self, question: str, match: Match) -> Answer:
        suggestions = tuple(
            Suggestion(c.entry_id, self._title(c.entry_id)) for c in match.suggestions
        )
        if match.unsure:
            choices = list(dict.fromkeys(c.entry_id for c in match.candidates))[:3]
            return Answer(
                question=question,
                kind=AnswerKind.CLARIFY,
                text=messages.clarify(),
                score=match.candidates[0].score,
                suggestions=tuple(Suggestion(e, self._title(e)) for e in choices),
                reasons=(*match.reasons, "asked back: did you mean one of these?"),
                rule=match.rule,
            )
        if match.abstained or not match.candidates:
            return Answer(
                question=question,
                kind=AnswerKind.NOT_COVERED,
                text=messages.not_covered(self._pack.source),
                score=match.candidates[0].score if match.candidates else 0.0,
                suggestions=suggestions,
                reasons=(*match.reasons, "refused") if match.reasons else ("nothing matched",),
                rule=match.rule,
            )
        best = match.candidates[0]
        entry = self._pack.entry(best.entry_id)
        assert entry is not None
        answer = self._entry_answer(question, entry, score=best.score, phrasing=best.phrasing)
        return replace(
            answer, suggestions=suggestions, reasons=(*match.reasons, "answered"), rule=match.rule
        )

    def _entry_answer(
        self, question: str, entry: Entry, *, score: float, phrasing: str | None = None
    ) -> Answer:
        related = tuple(
            Suggestion(rid, self._title(rid)) for rid in entry.related if self._pack.entry(rid)
        )
        return Answer(
            question=question,
            kind=AnswerKind.ANSWER,
            text=entry.answer,
            entry_id=entry.id,
            matched_question=phrasing or entry.title,
            quotes=tuple(self._slot.served.attributed(entry)),
            score=score,
            related=related,
        )

    def _speaker_answer(self, question: str, speaker: Speaker) -> Answer:
        return SpeakerDirectory(self._slot).about(speaker, question=question)

    def _resolve_follow_up(self, question: str, previous: Entry) -> Answer | None:
        intent = followup.classify(question)
        if intent is followup.Intent.WHO_SAID:
            answer = self._entry_answer(question, previous, score=1.0)
            return replace(answer, text=messages.who_said(answer.quotes))
        if intent is followup.Intent.MORE:
            target = next((rid for rid in previous.related if self._pack.entry(rid)), None)
            entry = self._pack.entry(target) if target else previous
            assert entry is not None
            return self._entry_answer(question, entry, score=1.0)
        speaker = followup.main_speaker(self._pack, previous, question)
        if intent is followup.Intent.ELSE_FROM_SPEAKER and speaker is not None:
            return self._speaker_answer(question, speaker)
        if speaker is not None and followup.has_pronoun(question):
            resolved = followup.substitute_pronouns(question, speaker)
            answer = self._answer(resolved)
            if answer.answered:
                return replace(answer, question=question)
        return None

    def example_question(self) -> str | None:
        """The question help texts show: the pack's chosen example, else its first entry's."""
        if self._pack.source.example:
            return self._pack.source.example
        return self._pack.entries[0].title if self._pack.entries else None

    def _title(self, entry_id: str) -> str:
        return self._slot.served.title(entry_id)

    def _journal_answer(self, answer: Answer, origin: Origin | None) -> None:
        if origin is not None:
            self._journal.record_answer(answer, origin)
