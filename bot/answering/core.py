"""What every adapter is given: the articles, the chat policy, the conversations, claims and the
pacer, and the few calls that need more than one of them (a reader's question in a chat)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from bot.answering import messages
from bot.answering.chat_policy import ChatPolicy
from bot.answering.library import Article, Library
from bot.journal.claims import Claims, MemoryClaims
from bot.matching import followup
from bot.model import Answer, AnswerKind, ChatKey, EntryRef, Origin, Source
from bot.ports import (
    Conversations,
    LocalPacer,
    LocalReload,
    MemoryConversations,
    Pacer,
    ReloadBus,
)

# What a reader types to go back from one article to every article.
EVERY_ARTICLE_WORDS = frozenset({"", "all", "every", "none"})


def wanted_article(text: str) -> str | None:
    """The slug a reader names after /article; None for "all" (every article)."""
    wanted = text.strip()
    return None if wanted.casefold() in EVERY_ARTICLE_WORDS else wanted


# After these, a follow-up cannot mean an answer from before them.
_FORGETTING = frozenset({AnswerKind.NOT_COVERED, AnswerKind.CLARIFY, AnswerKind.UNREADABLE})


@dataclass(eq=False)  # one Core is one bot: compared and hashed by identity
class Core:
    """The core as adapters see it. Each job is its own object: `library` (answers and speakers
    per article), `policy` (chat settings, admins, auto-answer cooldowns), `conversations` (what
    each reader was last answered, the article they picked), `claims` (exactly once), `pacer`."""

    library: Library
    policy: ChatPolicy = field(default_factory=ChatPolicy)
    conversations: Conversations = field(default_factory=MemoryConversations)
    claims: Claims = field(default_factory=MemoryClaims)
    pacer: Pacer = field(default_factory=LocalPacer)
    reload_bus: ReloadBus = field(default_factory=LocalReload)

    # --- which article a chat talks about ----------------------------------------------------

    def chosen_article(self, origin: Origin) -> Article | None:
        """The article this chat is about: the reader's pick, else the chat's default set by an
        admin, else the only one served; None when several are served and none was picked
        (questions are then asked of every article)."""
        key = ChatKey.of(origin)
        for slug in (
            self.conversations.chosen_article(key),
            self.policy.settings(origin.platform, origin.chat_id or "").article,
        ):
            article = self.library.article(slug)
            if article is not None:
                return article
        articles = self.library.articles
        return articles[0] if len(articles) == 1 else None

    def article(self, origin: Origin) -> Article:
        """The article a chat browses (topics, speakers, the source): the chosen one, else the
        first served."""
        return self.chosen_article(origin) or self.library.first

    def source_for(self, answer: Answer | None, origin: Origin) -> Source:
        """The article a reply names: the one that answered, else the chat's."""
        article = self.library.article(answer.pack) if answer is not None else None
        return (article or self.article(origin)).answers.source

    def article_choices(self, origin: Origin) -> tuple[list[tuple[str, str]], str | None]:
        """Every served article as (slug, title), in load order, and the slug of the one this
        chat is about (None: every article)."""
        chosen = self.chosen_article(origin)
        return [(a.slug, a.title) for a in self.library.articles], chosen.slug if chosen else None

    def choose_article(self, origin: Origin, slug: str | None, *, for_chat: bool) -> bool:
        """Pick the article for this reader (or, for_chat, the chat's default: the adapter checks
        the reader is a chat admin first). None goes back to every article. False for an
        unknown slug."""
        if slug is not None and self.library.article(slug) is None:
            return False
        if for_chat:
            settings = self.policy.settings(origin.platform, origin.chat_id or "")
            self.policy.update(
                origin.platform, origin.chat_id or "", replace(settings, article=slug)
            )
            self.conversations.choose_article(ChatKey.of(origin), None)
        else:
            self.conversations.choose_article(ChatKey.of(origin), slug)
        return True

    # --- a reader's question in a chat -------------------------------------------------------

    def ask(self, question: str, *, origin: Origin, replying_to: str | None = None) -> Answer:
        """Answer a message in a conversation. A reply to an earlier answer (`replying_to`, the
        entry id that answer showed) or a short follow-up ("who said that?") after the last
        answer is resolved against it; anything else is a new question, asked of the chat's
        article or, when it has none, of every article."""
        key = ChatKey.of(origin)
        chosen = self.chosen_article(origin)
        previous = self.conversations.last_entry(key)
        if replying_to is not None:
            slug = self.library.pack_of(
                replying_to,
                prefer=(previous.pack if previous else None, chosen.slug if chosen else None),
            )
            previous = EntryRef(slug, replying_to) if slug else None
        resolved = self.library.resolve_follow_up(question, previous) if previous else None
        if resolved is not None:
            answer = resolved
            self.library.record(answer, origin)
        elif previous is None and replying_to is None and followup.classify(question):
            answer = Answer(
                question=question, kind=AnswerKind.NOT_COVERED, text=messages.no_earlier_answer()
            )
        else:
            answer = self.library.ask(question, pack=chosen.slug if chosen else None, origin=origin)
        self.remember(answer, origin)
        return answer

    def answer_entry(
        self,
        entry_id: str,
        *,
        origin: Origin,
        question: str | None = None,
        pack: str | None = None,
    ) -> Answer | None:
        """An entry a reader picked (a button, a suggestion, a numbered choice) of article
        `pack`, else of the chat's article or the last answered; None if gone."""
        last = self.conversations.last_entry(ChatKey.of(origin))
        chosen = self.chosen_article(origin)
        answer = self.library.answer_entry(
            entry_id,
            prefer=(pack, chosen.slug if chosen else None, last.pack if last else None),
            question=question,
            origin=origin,
        )
        if answer is not None:
            self.remember(answer, origin)
        return answer

    def speaker(self, speaker_id: str, *, origin: Origin) -> Answer | None:
        """What one speaker (by id: a button) of the chat's article said; None if unknown."""
        article = self.article(origin)
        answer = article.speakers.by_id(speaker_id)
        if answer is None:
            return None
        answer = self.library.tag(answer, article.slug)
        self.library.record(answer, origin)
        self.remember(answer, origin)
        return answer

    def who(self, name: str, *, origin: Origin) -> Answer:
        """One speaker of the chat's article by name or alias, or not covered."""
        article = self.article(origin)
        answer = self.library.tag(article.speakers.who(name), article.slug)
        self.library.record(answer, origin)
        self.remember(answer, origin)
        return answer

    def auto_answer(self, question: str, *, origin: Origin) -> Answer | None:
        """For plain group messages: an answer only when the chat enabled auto-answer, the text is
        clearly a question, the match is confident and not auto-answered lately in the chat.
        None means stay silent."""
        if not self.policy.auto_answers(origin):
            return None
        if not self.article(origin).answers.looks_like_question(question):
            return None
        chosen = self.chosen_article(origin)
        answer = self.library.ask(question, pack=chosen.slug if chosen else None)
        if not self.policy.take_auto_answer(answer, origin):
            return None
        self.library.record(answer, origin)
        self.remember(answer, origin)
        return answer

    def feedback(self, *, origin: Origin, entry_id: str, vote: int) -> bool:
        """Record a 👍 (+1) / 👎 (-1) vote on an entry; False when the entry or vote is not
        valid."""
        last = self.conversations.last_entry(ChatKey.of(origin))
        chosen = self.chosen_article(origin)
        slug = self.library.pack_of(
            entry_id, prefer=(chosen.slug if chosen else None, last.pack if last else None)
        )
        if vote not in (1, -1) or slug is None:
            return False
        self.library.feedback(origin, entry_id, vote)
        return True

    def remember(self, answer: Answer, origin: Origin) -> None:
        """Note what this reader was just answered, for their follow-ups."""
        key = ChatKey.of(origin)
        if answer.kind is AnswerKind.ANSWER and answer.entry_id and answer.pack:
            self.conversations.remember_entry(key, EntryRef(answer.pack, answer.entry_id))
        elif answer.kind in _FORGETTING:
            self.conversations.remember_entry(key, None)

    # --- reload ------------------------------------------------------------------------------

    def reload(self, *, announce: bool = True) -> list[str]:
        """Reload every pack; each broken one keeps serving its old version. Returns every
        problem found. A clean reload is announced to the other instances unless `announce` is
        False (as when answering such an announcement)."""
        outcome = self.library.reload()
        problems = [p for found in outcome.values() for p in found]
        if announce and any(not found for found in outcome.values()):
            self.reload_bus.announce()
        return problems
