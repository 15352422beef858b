"""Plain, frozen data: the knowledge pack and the platform-neutral Answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

ARTICLE_SPEAKER_ID = "article"
"""The speaker id of the article's own voice, for what it reports itself."""


@dataclass(frozen=True, slots=True)
class Source:
    """What the article is. Unknown metadata stays empty rather than invented."""

    title: str
    kind: str
    outlet: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    example: str | None = None
    """A question shown in help texts; None means the first entry's canonical question."""
    draft: bool = False
    """A pack drafted by `faqbot draft` and not yet marked reviewed by its curator."""


class SpeakerKind(StrEnum):
    """Who a speaker is, as speakers.yaml's `kind` says (its values are the file's words)."""

    PERSON = "person"
    ORGANISATION = "organisation"
    GROUP = "group"
    """Unnamed people spoken of together ("party workers"): verbs agree in the plural."""
    ARTICLE = "article"
    """The article's own voice, for what it reports without attributing it to anyone."""


class ChatKind(StrEnum):
    """Where a question was asked, as the platform names it (the journal keeps these words)."""

    PRIVATE = "private"
    """A one-to-one chat with the bot (Telegram, the console)."""
    GROUP = "group"
    """A Telegram group."""
    SUPERGROUP = "supergroup"
    CHANNEL = "channel"
    """A Telegram channel (the bot reads its posts)."""
    INLINE = "inline"
    """A Telegram inline query: no chat at all."""
    DM = "dm"
    """A Discord direct message."""
    GUILD = "guild"
    """A Discord server channel other than a thread."""
    THREAD = "thread"
    """A Discord thread."""


@dataclass(frozen=True, slots=True)
class Speaker:
    """A person, organisation or group the article attributes a view or a fact to."""

    id: str
    name: str
    role: str
    aliases: tuple[str, ...] = ()
    kind: SpeakerKind = SpeakerKind.PERSON
    profile: str | None = None
    """The id of the entry that introduces this speaker ("who is X"), when the pack has one."""


@dataclass(frozen=True, slots=True)
class Quote:
    """A verbatim span of the article, tied to who said it and the article's verb for it."""

    text: str
    speaker_id: str
    verb: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One curated FAQ entry."""

    id: str
    questions: tuple[str, ...]
    answer: str
    quotes: tuple[Quote, ...]
    related: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """The entry's canonical question, used as its label in menus."""
        return self.questions[0]


DEFAULT_LANGUAGES = ("en",)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """A pack's own vocabulary (lexicon.yaml): its concepts, the topics it refuses, and the
    general language data it uses. An empty lexicon means general English alone."""

    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    concepts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    refuse: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class KnowledgePack:
    """A validated pack: the article, its source, speakers and FAQ entries."""

    slug: str
    path: Path
    article: str
    source: Source
    speakers: Mapping[str, Speaker]
    entries: tuple[Entry, ...]
    entries_by_id: Mapping[str, Entry] = field(repr=False, default_factory=dict)
    lexicon: Lexicon = field(default_factory=Lexicon)

    def entry(self, entry_id: str) -> Entry | None:
        """The entry with this id, or None."""
        return self.entries_by_id.get(entry_id)


class AnswerKind(StrEnum):
    """What kind of reply the core produced. Only ANSWER is an answer from the article."""

    ANSWER = "answer"
    NOT_COVERED = "not_covered"
    CLARIFY = "clarify"
    """Not answered: the article is close to the question, and the reader is asked which of
    the suggestions they meant."""
    GREETING = "greeting"
    HELP = "help"
    EMPTY = "empty"
    UNREADABLE = "unreadable_script"


@dataclass(frozen=True, slots=True)
class AttributedQuote:
    """A quote as shown to readers: the article's words, who said them and how."""

    text: str
    speaker: str
    role: str
    attribution: str
    speaker_id: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A pointer to an entry, shown as a button or a list item."""

    entry_id: str
    question: str
    pack: str | None = None
    """The pack the entry belongs to, when the bot serves several."""


@dataclass(frozen=True, slots=True)
class Answer:
    """The core's reply to one question. Plain data; renderers turn it into messages."""

    question: str
    kind: AnswerKind
    text: str
    entry_id: str | None = None
    matched_question: str | None = None
    quotes: tuple[AttributedQuote, ...] = ()
    score: float = 0.0
    suggestions: tuple[Suggestion, ...] = ()
    related: tuple[Suggestion, ...] = ()
    reasons: tuple[str, ...] = ()
    """Why the core answered or refused: phrasing matched, score parts, the rule applied."""
    rule: str = ""
    """The rule that decided, in a few words ("answered", "low score", "who said: nobody")."""
    pack: str | None = None
    """The slug of the pack that answered, when the bot serves several articles."""
    article: str | None = None
    """That pack's article title."""

    @property
    def answered(self) -> bool:
        """True only for an answer drawn from the article's knowledge."""
        return self.kind is AnswerKind.ANSWER

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape of `faqbot ask --json`."""
        return {
            "question": self.question,
            "answered": self.answered,
            "entry_id": self.entry_id,
            "matched_question": self.matched_question,
            "answer": self.text,
            "quotes": [
                {
                    "text": q.text,
                    "speaker": q.speaker,
                    "role": q.role,
                    "attribution": q.attribution,
                }
                for q in self.quotes
            ],
            "score": round(self.score, 4),
            "suggestions": [
                {
                    "entry_id": s.entry_id,
                    "question": s.question,
                    **({"pack": s.pack} if s.pack else {}),
                }
                for s in self.suggestions
            ],
            "reasons": list(self.reasons),
            "rule": self.rule,
            "pack": self.pack,
            "article": self.article,
        }


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a question came from, for the journal. user_id is hashed before it is stored."""

    platform: str
    chat_kind: ChatKind
    user_id: str | None = None
    chat_id: str | None = None


class Audience(StrEnum):
    """Who sees a reply: its reader alone, or everyone in a shared chat."""

    PRIVATE = "private"
    """A private chat, a DM, or a reply only the reader sees (ephemeral)."""
    GROUP = "group"
    """A group, a server channel or thread, or an inline result shared into any chat."""


@dataclass(frozen=True, slots=True)
class ChatKey:
    """One reader in one chat: whose conversation a follow-up or an article choice belongs to."""

    platform: str
    chat_id: str
    user_id: str

    @classmethod
    def of(cls, origin: Origin) -> ChatKey:
        """The reader and chat a question came from (missing ids are the empty string)."""
        return cls(origin.platform, origin.chat_id or "", origin.user_id or "")


@dataclass(frozen=True, slots=True)
class EntryRef:
    """One entry of one pack: entry ids are unique within a pack, not across packs."""

    pack: str
    entry_id: str


@dataclass(frozen=True, slots=True)
class ChatSettings:
    """Per-chat choices, changed only by chat admins."""

    auto_answer: bool = False
    max_quotes: int = 3
    article: str | None = None
    """The chat's default article (a pack slug) when the bot serves several; None: every one."""
