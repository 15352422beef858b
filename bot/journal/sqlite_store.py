"""The SQLite store: the journal of bot.journal.sqlite_journal plus delivery claims,
auto-answer cooldowns and readers' conversations.

The embedded default, for one instance (several processes on one host may share the file).
A reload is not announced to other processes: that needs PostgreSQL (bot.journal.postgres).
"""

from __future__ import annotations

import logging
import os
import secrets
import sqlite3
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.journal.claims import CLAIM_LEASE, CLAIM_TTL, Claim, PendingRecords
from bot.journal.conversations import (
    StoredConversations,
    conversation_key,
    select_conversation_sql,
)
from bot.journal.records import QuestionRecord, VoteRecord, pseudonym
from bot.journal.sqlite_journal import (
    _INSERT_QUESTION,
    _UPSERT_VOTE,
    FLUSH_INTERVAL,
    SqliteJournal,
    read_questions,
    read_votes,
    record_values,
)
from bot.journal.state import open_db, write_transaction
from bot.model import ChatKey
from bot.ports import LocalPacer

log = logging.getLogger(__name__)

_CLAIM = """INSERT INTO claims (scope, key, owner, claimed_at, done) VALUES (?, ?, ?, ?, 0)
    ON CONFLICT (scope, key) DO UPDATE
    SET owner = excluded.owner, claimed_at = excluded.claimed_at, done = 0
    WHERE claims.claimed_at < ? OR (claims.done = 0 AND claims.claimed_at < ?)"""
_TAKE_COOLDOWN = """INSERT INTO cooldowns (platform, chat_hash, entry_id, answered_at)
    VALUES (?, ?, ?, ?)
    ON CONFLICT (platform, chat_hash, entry_id) DO UPDATE
    SET answered_at = excluded.answered_at
    WHERE cooldowns.answered_at <= excluded.answered_at - ?"""
_SELECT_CONVERSATION = select_conversation_sql("?")
HOUSEKEEPING_SECONDS = 3600.0


class SqliteClaim(PendingRecords):
    """A claim held in a SQLite file: a row marked done on commit, deleted on release.

    A process that dies holding one cannot be seen dying: its claim is taken over after
    CLAIM_LEASE seconds."""

    def __init__(self, store: SqliteStore, scope: str, key: str) -> None:
        super().__init__(store)
        self._store, self.scope, self.key = store, scope, key

    def commit(self) -> None:
        """Mark the claim done and write the records journaled under it, in one transaction."""
        self._store.commit_claim(self)

    def release(self) -> None:
        """Delete the claim; its records are dropped with it."""
        self._store.release_claim(self)


class SqliteStore(SqliteJournal, StoredConversations):
    """bot.journal.store.Store on one SQLite file."""

    _placeholder = "?"

    def __init__(
        self,
        path: Path,
        *,
        flush_interval: float = FLUSH_INTERVAL,
        retention: timedelta | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Open (create, migrate) the file and start the writer (see SqliteJournal)."""
        super().__init__(path, flush_interval=flush_interval, retention=retention, clock=clock)
        self._owner = f"{os.getpid()}-{secrets.token_hex(4)}"
        self._next_housekeeping = 0.0
        self._listeners: list[Callable[[], None]] = []
        self._pacer = LocalPacer()

    @property
    def location(self) -> str:
        """Where the state is, for logs: the file's path."""
        return str(self.path)

    @property
    def salt(self) -> bytes:
        """The file's random salt for user and chat pseudonyms."""
        return self._salt

    def read_questions(
        self, since: float | None = None, *, pack: str | None = None
    ) -> list[QuestionRecord]:
        """Journaled questions asked at or after `since` (None: all), oldest first; `pack`:
        only that pack's."""
        conn = open_db(self.path)
        try:
            return read_questions(conn, since, pack=pack)
        finally:
            conn.close()

    def read_votes(self, since: float | None = None) -> list[VoteRecord]:
        """Current votes cast at or after `since` (None: all), oldest first."""
        conn = open_db(self.path)
        try:
            return read_votes(conn, since)
        finally:
            conn.close()

    # --- Claims ----------------------------------------------------------------------------

    def claim(self, scope: str, key: str) -> Claim | None:
        """Claim a delivery; None when claimed in the last day, unless that claim was never
        committed and its process is gone (or has held it past CLAIM_LEASE)."""
        now = self._clock()
        with self._lock, write_transaction(self._conn):
            if now >= self._next_housekeeping:
                self._conn.execute("DELETE FROM claims WHERE claimed_at < ?", (now - CLAIM_TTL,))
                self._next_housekeeping = now + HOUSEKEEPING_SECONDS
            held = self._conn.execute(
                "SELECT owner FROM claims WHERE scope = ? AND key = ? AND done = 0", (scope, key)
            ).fetchone()
            lease_from = now if held and not _alive(held[0]) else now - CLAIM_LEASE
            cursor = self._conn.execute(
                _CLAIM, (scope, key, self._owner, now, now - CLAIM_TTL, lease_from + 1e-6)
            )
        return SqliteClaim(self, scope, key) if cursor.rowcount == 1 else None

    def commit_claim(self, claim: SqliteClaim) -> None:
        """Write the claim's records and mark it done (raises sqlite3.Error if refused)."""
        questions, votes = record_values(self._salt, claim.records)
        with self._lock, write_transaction(self._conn):
            self._conn.executemany(_INSERT_QUESTION, questions)
            self._conn.executemany(_UPSERT_VOTE, votes)
            self._conn.execute(
                "UPDATE claims SET done = 1 WHERE scope = ? AND key = ? AND owner = ?",
                (claim.scope, claim.key, self._owner),
            )

    def release_claim(self, claim: SqliteClaim) -> None:
        """Forget the claim so a redelivery is handled."""
        with self._lock, write_transaction(self._conn):
            self._conn.execute(
                "DELETE FROM claims WHERE scope = ? AND key = ? AND owner = ?",
                (claim.scope, claim.key, self._owner),
            )

    # --- Cooldowns -------------------------------------------------------------------------

    def take(self, platform: str, chat_id: str, entry_id: str, *, now: float, wait: float) -> bool:
        """The conditional upsert: True when the entry was out of its cooldown in the chat."""
        chat_hash = pseudonym(self._salt, "chat", platform, chat_id)
        try:
            with self._lock, write_transaction(self._conn):
                cursor = self._conn.execute(
                    _TAKE_COOLDOWN, (platform, chat_hash, entry_id, now, wait)
                )
        except sqlite3.Error:
            return False  # stay silent rather than risk answering twice
        return cursor.rowcount == 1

    # --- Conversations ---------------------------------------------------------------------

    def _read_conversation(self, chat: ChatKey) -> tuple[Any, ...] | None:
        try:
            with self._lock:
                row: tuple[Any, ...] | None = self._conn.execute(
                    _SELECT_CONVERSATION, conversation_key(self._salt, chat)
                ).fetchone()
        except sqlite3.Error:
            log.exception("could not read a conversation; nothing remembered")
            return None
        return row

    def _write_conversation(self, statement: str, values: tuple[Any, ...]) -> None:
        try:
            with self._lock, write_transaction(self._conn):
                self._conn.execute(statement, values)
        except sqlite3.Error:
            log.exception("could not remember a conversation")

    # --- Pacer -----------------------------------------------------------------------------

    def pace(self, key: str, interval: float) -> None:
        """Turns spaced out within this process only (SQLite does not coordinate processes)."""
        self._pacer.pace(key, interval)

    # --- ReloadBus -------------------------------------------------------------------------

    def announce(self) -> None:
        """Nobody else to tell: a SQLite file is not a message bus."""

    def listen_reloads(self, callback: Callable[[], None]) -> None:
        """Reloads announced by others never arrive here; kept for the Store interface."""
        self._listeners.append(callback)


def _alive(owner: str) -> bool:
    """Whether the process that took a claim still runs (owners are "<pid>-<random>"; a SQLite
    file is shared by the processes of one host only)."""
    try:
        pid = int(owner.split("-", 1)[0])
    except ValueError:
        return True
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
