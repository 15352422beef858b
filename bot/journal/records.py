"""The journal's records, typed: what the stores write and what they read back.

Both stores (bot.journal.sqlite_journal, bot.journal.postgres) queue a HandledQuestion or a
CastVote when the bot journals one, and turn it into the columns of one SQL statement on
writing (the user id pseudonymised then). Reading gives QuestionRecord and VoteRecord. The
columns and statements are written here once, with the placeholder style of each driver
(``?`` for sqlite3, ``%s`` for psycopg) filled in by the store.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.model import Answer, Origin

log = logging.getLogger(__name__)

QUESTION_COLUMNS = (
    "asked_at",
    "platform",
    "chat_kind",
    "user_hash",
    "question",
    "kind",
    "entry_id",
    "matched_question",
    "score",
    "answered",
    "rule",
    "reasons",
    "pack",
)
VOTE_COLUMNS = ("user_hash", "entry_id", "vote", "voted_at", "platform")


def pseudonym(key: bytes, *parts: str) -> str:
    """HMAC-SHA256 of the parts under the salt: stable per database, never the raw value."""
    message = "\x1f".join(parts).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def user_hash(key: bytes, platform: str, user_id: str | None) -> str | None:
    """The stored form of a user id: its pseudonym under the store's salt."""
    return None if user_id is None else pseudonym(key, "user", platform, str(user_id))


@dataclass(frozen=True, slots=True)
class HandledQuestion:
    """A handled question as queued for the writer: the user id is still the platform's."""

    asked_at: float
    platform: str
    chat_kind: str
    user_id: str | None
    question: str
    kind: str
    entry_id: str | None
    matched_question: str | None
    score: float
    answered: bool
    rule: str
    reasons: tuple[str, ...]
    pack: str | None
    """The slug of the pack that answered or refused it; None when no one pack did."""

    @classmethod
    def of(cls, answer: Answer, origin: Origin, now: float) -> HandledQuestion:
        """The record of `answer`, given to the reader at `origin` at Unix time `now`."""
        return cls(
            asked_at=now,
            platform=origin.platform,
            chat_kind=str(origin.chat_kind),
            user_id=origin.user_id,
            question=answer.question,
            kind=str(answer.kind),
            entry_id=answer.entry_id,
            matched_question=answer.matched_question,
            score=float(answer.score),
            answered=answer.answered,
            rule=answer.rule or str(answer.kind),
            reasons=tuple(answer.reasons),
            pack=answer.pack,
        )

    def values(self, key: bytes) -> tuple[Any, ...]:
        """The columns of QUESTION_COLUMNS, in order: the user id pseudonymised under `key`,
        text UTF-8 cannot encode replaced."""
        return (
            self.asked_at,
            self.platform,
            self.chat_kind,
            user_hash(key, self.platform, self.user_id),
            _utf8(self.question),
            self.kind,
            self.entry_id,
            None if self.matched_question is None else _utf8(self.matched_question),
            self.score,
            self.answered,
            self.rule,
            _utf8("\n".join(self.reasons)),
            self.pack,
        )


@dataclass(frozen=True, slots=True)
class CastVote:
    """A 👍 (+1) or 👎 (-1) as queued for the writer: the user id is still the platform's."""

    user_id: str | None
    entry_id: str
    vote: int
    voted_at: float
    platform: str

    @classmethod
    def of(cls, origin: Origin, entry_id: str, vote: int, now: float) -> CastVote | None:
        """The record of a vote; None (logged) for anything but +1 or -1."""
        if vote not in (1, -1):
            log.warning("ignoring a vote of %r on %s: votes are +1 or -1", vote, entry_id)
            return None
        return cls(origin.user_id, entry_id, vote, now, origin.platform)

    def values(self, key: bytes) -> tuple[Any, ...]:
        """The columns of VOTE_COLUMNS, in order: the user id pseudonymised under `key`."""
        return (
            user_hash(key, self.platform, self.user_id),
            self.entry_id,
            self.vote,
            self.voted_at,
            self.platform,
        )


PendingRecord = HandledQuestion | CastVote
"""What a store queues (or keeps with a delivery's claim) until it is written."""


@dataclass(frozen=True, slots=True)
class QuestionRecord:
    """One journalled question, as read back for reports."""

    asked_at: float
    platform: str
    chat_kind: str
    user_hash: str | None
    question: str
    kind: str
    entry_id: str | None
    matched_question: str | None
    score: float
    answered: bool
    rule: str = ""
    """The rule that answered or refused it ("low score", "asked back", "who said"…)."""
    pack: str | None = None
    """The slug of the pack that answered or refused it. None for rows journalled before the
    journal recorded packs, and for replies no single pack gave (asking back which article,
    or no article covering the question)."""


@dataclass(frozen=True, slots=True)
class VoteRecord:
    """One user's current vote on one entry."""

    user_hash: str | None
    entry_id: str
    vote: int
    voted_at: float


@dataclass(frozen=True, slots=True)
class PurgeResult:
    """How many rows a purge deleted."""

    questions: int
    votes: int
    conversations: int = 0
    """Readers' conversation rows (last answer, chosen article) of readers quiet since then."""


def insert_question_sql(placeholder: str) -> str:
    """The INSERT of one question row, with the driver's `placeholder` (``?`` or ``%s``)."""
    marks = ", ".join(placeholder for _ in QUESTION_COLUMNS)
    return f"INSERT INTO questions ({', '.join(QUESTION_COLUMNS)}) VALUES ({marks})"


def upsert_vote_sql(placeholder: str) -> str:
    """The upsert of one vote (a user's later vote on an entry replaces the earlier one)."""
    marks = ", ".join(placeholder for _ in VOTE_COLUMNS)
    return f"""INSERT INTO votes ({", ".join(VOTE_COLUMNS)}) VALUES ({marks})
    ON CONFLICT (user_hash, entry_id) DO UPDATE
    SET vote = excluded.vote, voted_at = excluded.voted_at, platform = excluded.platform"""


def select_questions_sql(placeholder: str, *, by_pack: bool) -> str:
    """The SELECT of questions asked at or after a time (the first parameter), oldest first;
    `by_pack`: only those of one pack (a second parameter). Rows read by question_record."""
    where = f"asked_at >= {placeholder}" + (f" AND pack = {placeholder}" if by_pack else "")
    return f"""SELECT asked_at, platform, chat_kind, user_hash, question, kind, entry_id,
                      matched_question, score, answered, COALESCE(rule, kind), pack
               FROM questions WHERE {where} ORDER BY asked_at, id"""


def select_votes_sql(placeholder: str) -> str:
    """The SELECT of current votes cast at or after a time, oldest first (see vote_record)."""
    return f"""SELECT user_hash, entry_id, vote, voted_at FROM votes
               WHERE voted_at >= {placeholder} ORDER BY voted_at"""


def question_parameters(since: float | None, pack: str | None) -> tuple[Any, ...]:
    """The parameters of select_questions_sql(by_pack=pack is not None)."""
    start = since if since is not None else float("-inf")
    return (start,) if pack is None else (start, pack)


def vote_parameters(since: float | None) -> tuple[Any, ...]:
    """The parameters of select_votes_sql."""
    return (since if since is not None else float("-inf"),)


def question_record(row: Sequence[Any]) -> QuestionRecord:
    """A row of select_questions_sql as a QuestionRecord."""
    asked_at, platform, chat_kind, user, question, kind, entry_id, matched, score = row[:9]
    answered, rule, pack = row[9:12]
    return QuestionRecord(
        asked_at=asked_at,
        platform=platform,
        chat_kind=chat_kind,
        user_hash=user,
        question=question,
        kind=kind,
        entry_id=entry_id,
        matched_question=matched,
        score=score,
        answered=bool(answered),
        rule=rule,
        pack=pack,
    )


def vote_record(row: Sequence[Any]) -> VoteRecord:
    """A row of select_votes_sql as a VoteRecord."""
    user, entry_id, vote, voted_at = row
    return VoteRecord(user_hash=user, entry_id=entry_id, vote=int(vote), voted_at=voted_at)


def _utf8(text: str) -> str:
    """The text with anything UTF-8 cannot encode (lone surrogates) replaced by '?'."""
    return text.encode("utf-8", "replace").decode("utf-8")
