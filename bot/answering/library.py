"""Several articles, one bot: every pack a source holds, each answered by its own service.

A question is asked of every pack and answered from the one that covers it; when two articles
answer it about equally well the reader is asked which article they mean; when none covers it
the reply says so. A broken pack is refused alone, and the others keep serving.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace

from bot.answering import messages
from bot.answering.served import PackSlot
from bot.answering.service import FaqService
from bot.answering.speakers import SpeakerDirectory
from bot.knowledge.pack import KnowledgeError
from bot.model import Answer, AnswerKind, EntryRef, KnowledgePack, Origin, Suggestion
from bot.ports import Journal, NullJournal, PackSource

log = logging.getLogger(__name__)

CLOSE_CALL = 0.05  # answers from two articles this close in score: ask which article


@dataclass(frozen=True)
class Article:
    """One served article: its slug, and the answering and speaker jobs over its pack."""

    slug: str
    answers: FaqService
    speakers: SpeakerDirectory

    @property
    def title(self) -> str:
        """The article's title."""
        return self.answers.source.title


class Library:
    """The articles one bot serves, by slug (the pack's folder name), in load order."""

    def __init__(
        self,
        packs: Iterable[KnowledgePack],
        *,
        journal: Journal | None = None,
        source: PackSource | None = None,
    ) -> None:
        """Serve the packs; `source` is where reload() reads them again (None: no reload)."""
        self._journal: Journal = journal or NullJournal()
        self._source = source
        self._articles: dict[str, Article] = {}
        for pack in packs:
            self._add(pack)
        if not self._articles:
            raise ValueError("a library needs at least one pack")

    @classmethod
    def load(cls, source: PackSource, *, journal: Journal | None = None) -> Library:
        """Every pack the source holds; each broken one is refused alone. KnowledgeError when
        none at all loads."""
        found = source.load()
        packs = [f.pack for f in found if f.pack is not None]
        if not packs:
            raise KnowledgeError([p for f in found for p in f.problems])
        for refused in (f for f in found if f.pack is None):
            shown = "\n  ".join(str(p) for p in refused.problems)
            log.error("knowledge pack %s refused; the others serve:\n  %s", refused.slug, shown)
        return cls(packs, journal=journal, source=source)

    @property
    def slugs(self) -> list[str]:
        """Every article's slug, in the order they were loaded."""
        return list(self._articles)

    @property
    def articles(self) -> list[Article]:
        """Every served article, in load order."""
        return list(self._articles.values())

    def article(self, slug: str | None) -> Article | None:
        """One article by slug, or None for an unknown (or no) slug."""
        return self._articles.get(slug) if slug else None

    @property
    def first(self) -> Article:
        """The first article loaded: the one a chat browses before it picks another."""
        return next(iter(self._articles.values()))

    def service(self, slug: str) -> FaqService | None:
        """The answering service of one article, or None for an unknown slug."""
        article = self._articles.get(slug)
        return article.answers if article else None

    def title(self, slug: str) -> str:
        """The title of a pack's article."""
        return self._articles[slug].title

    # --- answering across articles -----------------------------------------------------------

    def ask(
        self, question: str, *, pack: str | None = None, origin: Origin | None = None
    ) -> Answer:
        """Answer from the pack that covers the question (or from `pack` only)."""
        if pack is not None:
            chosen = self._articles.get(pack)
            if chosen is None:
                raise KeyError(pack)
            return self._journal_answer(self.tag(chosen.answers.ask(question), pack), origin)
        answers = {slug: a.answers.ask(question) for slug, a in self._articles.items()}
        return self._journal_answer(self._best(question, answers), origin)

    def resolve_follow_up(self, question: str, previous: EntryRef) -> Answer | None:
        """A reply that follows up on an earlier answer, resolved in that answer's article;
        None when it is a question of its own (or the article is gone)."""
        article = self._articles.get(previous.pack)
        if article is None:
            return None
        answer = article.answers.resolve_follow_up(question, previous.entry_id)
        return self.tag(answer, article.slug) if answer is not None else None

    def answer_entry(
        self,
        entry_id: str,
        *,
        prefer: Iterable[str | None] = (),
        question: str | None = None,
        origin: Origin | None = None,
    ) -> Answer | None:
        """The answer of one entry (a button, a link), from the first article in `prefer` that
        has it, else the first that does; None if no article has it."""
        slug = self.pack_of(entry_id, prefer=prefer)
        if slug is None:
            return None
        answer = self._articles[slug].answers.answer_entry(entry_id, question=question)
        if answer is None:
            return None
        return self._journal_answer(self.tag(answer, slug), origin)

    def pack_of(self, entry_id: str, *, prefer: Iterable[str | None] = ()) -> str | None:
        """The slug of the article holding an entry: the first of `prefer` that has it, else
        the first loaded that does; None if none does."""
        for slug in [*(s for s in prefer if s), *self._articles]:
            article = self._articles.get(slug)
            if article is not None and article.answers.pack.entry(entry_id) is not None:
                return slug
        return None

    def search(self, text: str, *, limit: int = 10) -> list[Answer]:
        """Inline results from every article, best first, each naming its article."""
        found = [
            self.tag(answer, slug)
            for slug, article in self._articles.items()
            for answer in article.answers.search(text, limit=limit)
        ]
        return sorted(found, key=lambda a: -a.score)[:limit]

    def reload(self) -> dict[str, list[str]]:
        """Read every pack again from the source. A broken one keeps serving its old version, a
        new one is served from now on. Returns the problems per slug (empty: reloaded)."""
        if self._source is None:
            return {}
        outcome: dict[str, list[str]] = {}
        for found in self._source.load():
            if found.pack is None:
                outcome[found.slug] = [str(p) for p in found.problems]
                continue
            article = self._articles.get(found.slug)
            if article is None:
                self._add(found.pack)
            else:
                article.answers.slot.replace(found.pack)
            outcome[found.slug] = []
        return outcome

    @property
    def location(self) -> str | None:
        """Where reload() reads the packs from, if anywhere."""
        return self._source.location if self._source else None

    def feedback(self, origin: Origin, entry_id: str, vote: int) -> None:
        """Journal a reader's 👍 (+1) / 👎 (-1) vote on an entry."""
        self._journal.record_feedback(origin, entry_id, vote)

    def record(self, answer: Answer, origin: Origin) -> None:
        """Journal an answer given outside ask (an entry or speaker a reader picked)."""
        self._journal.record_answer(answer, origin)

    def tag(self, answer: Answer, slug: str) -> Answer:
        """The answer naming the article it comes from."""
        return replace(answer, pack=slug, article=self.title(slug))

    def _add(self, pack: KnowledgePack) -> None:
        slot = PackSlot(pack)
        self._articles[pack.slug] = Article(pack.slug, FaqService(slot), SpeakerDirectory(slot))

    def _best(self, question: str, answers: dict[str, Answer]) -> Answer:
        ranked = sorted(
            (slug for slug, a in answers.items() if a.answered),
            key=lambda slug: -answers[slug].score,
        )
        if not ranked:
            best = max(answers, key=lambda slug: answers[slug].score)
            answer = self.tag(answers[best], best)
            if len(self._articles) > 1 and answer.kind is AnswerKind.NOT_COVERED:
                answer = replace(
                    answer,
                    text=messages.covered_by_none([self.title(s) for s in self._articles]),
                    pack=None,
                    article=None,
                )
            return answer
        top = answers[ranked[0]]
        close = [s for s in ranked[1:] if answers[s].score >= top.score - CLOSE_CALL]
        if not close:
            return self.tag(top, ranked[0])
        choices = [ranked[0], *close]
        return Answer(
            question=question,
            kind=AnswerKind.CLARIFY,
            text=messages.which_article([self.title(s) for s in choices]),
            score=top.score,
            suggestions=tuple(
                Suggestion(
                    answers[s].entry_id or "",
                    f"{self.title(s)}: {answers[s].matched_question}",
                    pack=s,
                )
                for s in choices
            ),
            reasons=(
                *(f"'{s}' answers with score {answers[s].score:.2f}" for s in choices),
                "asked back: which article?",
            ),
            rule="asked back: which article",
        )

    def _journal_answer(self, answer: Answer, origin: Origin | None) -> Answer:
        if origin is not None:
            self._journal.record_answer(answer, origin)
        return answer
