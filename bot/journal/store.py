"""The Store port: all state an instance shares with the others, and how one is opened.

`FAQBOT_DB` / `--db` chooses it: a path means a SQLite file (the embedded default, one
instance), a ``postgresql://user@host:port/db`` URL means PostgreSQL (several instances).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from bot.journal.claims import Claim
from bot.journal.records import QuestionRecord, VoteRecord
from bot.journal.state import db_path
from bot.model import Answer, ChatKey, ChatSettings, EntryRef, Origin

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class Store(Protocol):
    """Journal, votes, chat settings, cooldowns, conversations, the salt, claims and reloads,
    in one place."""

    @property
    def location(self) -> str:
        """Where the state is, for logs (never a password)."""

    @property
    def salt(self) -> bytes:
        """The store's random salt for user and chat pseudonyms."""

    def record_answer(self, answer: Answer, origin: Origin) -> None:
        """Journal one handled question (see bot.ports.Journal)."""

    def record_feedback(self, origin: Origin, entry_id: str, vote: int) -> None:
        """Journal a vote; a user's vote on an entry replaces the earlier one."""

    def get(self, platform: str, chat_id: str) -> ChatSettings:
        """A chat's settings, defaults if never changed."""

    def put(self, platform: str, chat_id: str, settings: ChatSettings) -> None:
        """Store a chat's settings."""

    def take(self, platform: str, chat_id: str, entry_id: str, *, now: float, wait: float) -> bool:
        """The auto-answer cooldown as one conditional upsert (see bot.ports.Cooldowns)."""

    def last_entry(self, chat: ChatKey) -> EntryRef | None:
        """The entry last answered to a reader in a chat by any instance, within
        bot.ports.FOLLOW_UP_WINDOW (see bot.ports.Conversations); None if the store fails."""

    def remember_entry(self, chat: ChatKey, entry: EntryRef | None) -> None:
        """Note the entry just answered to a reader (None: a refusal); never raises."""

    def chosen_article(self, chat: ChatKey) -> str | None:
        """The article a reader picked for a chat; None if never (or the store fails)."""

    def choose_article(self, chat: ChatKey, slug: str | None) -> None:
        """Note (None: forget) the article a reader picked for a chat; never raises."""

    def claim(self, scope: str, key: str) -> Claim | None:
        """Claim a delivery for exactly-once handling (see bot.journal.claims)."""

    def announce(self) -> None:
        """Tell the other instances to reload their knowledge pack."""

    def pace(self, key: str, interval: float) -> None:
        """Wait for this caller's turn for `key` (see bot.ports.Pacer)."""

    def listen_reloads(self, callback: Callable[[], None]) -> None:
        """Call `callback` (from another thread) when another instance announces a reload."""

    def read_questions(
        self, since: float | None = None, *, pack: str | None = None
    ) -> list[QuestionRecord]:
        """Journaled questions asked at or after `since` (Unix seconds; None: all), oldest first;
        `pack`: only those the pack of that slug answered or refused."""

    def read_votes(self, since: float | None = None) -> list[VoteRecord]:
        """Current votes cast at or after `since` (Unix seconds; None: all), oldest first."""

    def flush(self, timeout: float = 5.0) -> bool:
        """Block until everything journaled so far is written; False on timeout."""

    def close(self, timeout: float = 5.0) -> None:
        """Write what is pending and let go of the database. Safe to call twice."""


DEFAULT_POOL_SIZE = 16  # PostgreSQL connections per process (FAQBOT_DB_POOL)


def is_postgres(target: str) -> bool:
    """Whether a --db value names a PostgreSQL database rather than a SQLite file."""
    return target.strip().lower().startswith(POSTGRES_SCHEMES)


def db_target(chosen: str | os.PathLike[str] | None, *, state_home: Path) -> str:
    """The store to use: the chosen --db / FAQBOT_DB value (a PostgreSQL URL or a SQLite path),
    else the default SQLite path under `state_home`."""
    text = os.fspath(chosen) if chosen else ""
    if text and is_postgres(text):
        return text.strip()
    return str(db_path(text or None, state_home=state_home))


def open_store(
    target: str, *, retention: timedelta | None = None, pool_size: int | None = None
) -> Store:
    """Open (create, migrate) the store `target` names: a PostgreSQL URL or a SQLite path.

    Raises ImportError when PostgreSQL is asked for and psycopg is not installed
    (`pip install 'faqbot[postgres]'`), and the driver's or sqlite3's errors otherwise.
    """
    if is_postgres(target):
        from bot.journal.postgres import PostgresStore

        return PostgresStore(target, retention=retention, pool_size=pool_size)
    from bot.journal.sqlite_store import SqliteStore

    return SqliteStore(Path(target), retention=retention)


def safe_location(url: str) -> str:
    """A PostgreSQL URL without its password, for logs and errors."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    host = netloc[-1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
