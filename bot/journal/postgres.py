"""The PostgreSQL store: every instance of the bot shares one database.

Driver: psycopg 3 with psycopg_pool. One API covers the blocking calls the core makes from any
thread and the pool; it ships binary wheels (`psycopg[binary]`), speaks LISTEN/NOTIFY, and is
LGPL-3.0, which a dependency of an MIT project may be. asyncpg would force every store call
onto the event loop, where the core's ports are plain functions.

Journal records are queued and written by one thread in batches, as in the SQLite journal. A
delivery claim is a row inserted in a transaction held open while the delivery is handled: a
second instance's insert of the same key waits for it, then skips when it committed or claims
when it rolled back, which PostgreSQL does at once when the holder's connection dies (SIGKILL).
The records journaled under the claim are written in that same transaction.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import queue
import secrets
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import timedelta
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from bot.journal.claims import CLAIM_TTL, Claim, PendingRecords, active_claim
from bot.journal.conversations import (
    StoredConversations,
    conversation_key,
    purge_conversations_sql,
    select_conversation_sql,
)
from bot.journal.postgres_schema import migrate
from bot.journal.records import (
    CastVote,
    HandledQuestion,
    PendingRecord,
    PurgeResult,
    QuestionRecord,
    VoteRecord,
    insert_question_sql,
    pseudonym,
    question_parameters,
    question_record,
    select_questions_sql,
    select_votes_sql,
    upsert_vote_sql,
    vote_parameters,
    vote_record,
)
from bot.journal.sqlite_journal import (
    _UPSERT_SETTINGS,
    FLUSH_INTERVAL,
    MAX_BATCH,
    MAX_PENDING,
    RETENTION_CHECK_SECONDS,
    WRITE_ATTEMPTS,
    _Control,
    record_values,
    settings_from_json,
)
from bot.journal.store import DEFAULT_POOL_SIZE, safe_location
from bot.model import Answer, ChatKey, ChatSettings, Origin

log = logging.getLogger(__name__)

RELOAD_CHANNEL = "faqbot_reload"
PACE_LOCK = 0x66617163  # first key of the pacing advisory locks ("faqc")
CONNECT_TIMEOUT = 10
CLAIM_WAIT = "30s"

_INSERT_QUESTION_PG = insert_question_sql("%s")
_UPSERT_VOTE_PG = upsert_vote_sql("%s")
_UPSERT_SETTINGS_PG = _UPSERT_SETTINGS.replace("?", "%s")
_TAKE_COOLDOWN = """INSERT INTO cooldowns (platform, chat_hash, entry_id, answered_at)
    VALUES (%s, %s, %s, %s)
    ON CONFLICT (platform, chat_hash, entry_id) DO UPDATE
    SET answered_at = excluded.answered_at
    WHERE cooldowns.answered_at <= excluded.answered_at - %s"""
_SELECT_CONVERSATION = select_conversation_sql("%s")
_PURGE_CONVERSATIONS = purge_conversations_sql("%s")
_CLAIM = """INSERT INTO claims (scope, key, owner, claimed_at, done)
    VALUES (%s, %s, %s, %s, FALSE) ON CONFLICT (scope, key) DO NOTHING"""


class PostgresClaim(PendingRecords):
    """A claim: an uncommitted claims row on a pooled connection, until commit or release."""

    def __init__(
        self, store: PostgresStore, conn: psycopg.Connection[Any], scope: str, key: str
    ) -> None:
        super().__init__(store)
        self._store, self._conn, self._key = store, conn, (scope, key)
        self._open = True

    @property
    def connection(self) -> psycopg.Connection[Any]:
        """The connection whose open transaction holds the claim."""
        return self._conn

    def commit(self) -> None:
        """Write the records journaled under the claim, mark it done, commit."""
        if not self._open:
            return
        self._open = False
        try:
            self._store.write_records(self._conn, self.records)
            self._conn.execute(
                "UPDATE claims SET done = TRUE WHERE scope = %s AND key = %s", self._key
            )
            self._conn.execute("COMMIT")
        except BaseException:
            self._store.give_back(self._conn, broken=True)
            raise
        self._store.give_back(self._conn)

    def release(self) -> None:
        """Roll the claim back: a redelivery will be handled."""
        if not self._open:
            return
        self._open = False
        try:
            self._conn.execute("ROLLBACK")
        except psycopg.Error:
            self._store.give_back(self._conn, broken=True)
            return
        self._store.give_back(self._conn)


class PostgresStore(StoredConversations):
    """bot.journal.store.Store on a PostgreSQL database shared by every instance."""

    _placeholder = "%s"

    def __init__(
        self,
        url: str,
        *,
        retention: timedelta | None = None,
        flush_interval: float = FLUSH_INTERVAL,
        clock: Callable[[], float] = time.time,
        pool_size: int | None = None,
    ) -> None:
        """Connect, migrate (once, under the advisory lock), read the salt, start the writer.

        Raises psycopg.Error when the database cannot be reached or migrated."""
        self._url = url
        self._clock = clock
        self._retention = retention
        self._flush_interval = flush_interval
        self.owner = f"{os.uname().nodename}-{os.getpid()}-{secrets.token_hex(4)}"
        with psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT) as conn:
            applied = migrate(conn)
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('salt', %s) ON CONFLICT (key) DO NOTHING",
                (secrets.token_hex(32),),
            )
            row = conn.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
            assert row is not None
            self._salt = bytes.fromhex(row[0])
        if applied:
            log.info("PostgreSQL schema migrated to version %d", applied[-1])
        size = pool_size or DEFAULT_POOL_SIZE
        self._pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
            url,
            min_size=1,
            max_size=max(2, size),
            kwargs={
                "autocommit": True,
                "connect_timeout": CONNECT_TIMEOUT,
                "application_name": f"faqbot {os.getpid()}",
            },
            name="faqbot",
            open=True,
        )
        self._queue: queue.Queue[PendingRecord | _Control] = queue.Queue(maxsize=MAX_PENDING)
        self._closed = False
        self._dropped = 0
        self._lock = threading.Lock()
        self._listening = threading.Event()
        self._stopping = threading.Event()
        self._listeners: list[Callable[[], None]] = []
        self._listener: threading.Thread | None = None
        self._writer = threading.Thread(target=self._run, name="faqbot-pg-writer", daemon=True)
        self._writer.start()
        atexit.register(self.close)

    @property
    def location(self) -> str:
        """The database URL without its password."""
        return safe_location(self._url)

    @property
    def salt(self) -> bytes:
        """The database's random salt for user and chat pseudonyms (shared by every instance)."""
        return self._salt

    @property
    def dropped(self) -> int:
        """Records lost: queue full, store closed or database refusing."""
        return self._dropped

    # --- Journal ---------------------------------------------------------------------------

    def record_answer(self, answer: Answer, origin: Origin) -> None:
        """Queue one handled question (or keep it with the current claim); returns at once."""
        self._enqueue(HandledQuestion.of(answer, origin, self._clock()))

    def record_feedback(self, origin: Origin, entry_id: str, vote: int) -> None:
        """Queue a vote; the user's earlier vote on the entry is replaced."""
        record = CastVote.of(origin, entry_id, vote, self._clock())
        if record is not None:
            self._enqueue(record)

    def flush(self, timeout: float = 5.0) -> bool:
        """Block until everything queued so far is committed; False on timeout or if closed."""
        if self._closed:
            return False
        control = _Control(stop=False)
        self._queue.put(control)
        return control.done.wait(timeout)

    def close(self, timeout: float = 5.0) -> None:
        """Write what is queued, stop the threads, close the pool. Safe to call twice."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        atexit.unregister(self.close)
        self._queue.put(_Control(stop=True))
        self._writer.join(timeout)
        self._listening.clear()
        self._stopping.set()
        if self._listener is not None:
            self._listener.join(timeout)
        self._pool.close(timeout)

    def read_questions(
        self, since: float | None = None, *, pack: str | None = None
    ) -> list[QuestionRecord]:
        """Journaled questions asked at or after `since` (None: all), oldest first; `pack`:
        only that pack's."""
        sql = select_questions_sql("%s", by_pack=pack is not None)
        with self._pool.connection() as conn:
            rows = conn.execute(sql, question_parameters(since, pack)).fetchall()
        return [question_record(r) for r in rows]

    def read_votes(self, since: float | None = None) -> list[VoteRecord]:
        """Current votes cast at or after `since` (None: all), oldest first."""
        with self._pool.connection() as conn:
            rows = conn.execute(select_votes_sql("%s"), vote_parameters(since)).fetchall()
        return [vote_record(r) for r in rows]

    def purge(self, before: float) -> PurgeResult:
        """Delete questions and votes older than `before` (Unix seconds) for good, and the
        conversations of readers quiet since then."""
        with self._pool.connection() as conn, conn.transaction():
            questions = conn.execute("DELETE FROM questions WHERE asked_at < %s", (before,))
            votes = conn.execute("DELETE FROM votes WHERE voted_at < %s", (before,))
            conversations = conn.execute(_PURGE_CONVERSATIONS, (before, before))
        return PurgeResult(
            questions=questions.rowcount,
            votes=votes.rowcount,
            conversations=conversations.rowcount,
        )

    # --- SettingsStore ---------------------------------------------------------------------

    def get(self, platform: str, chat_id: str) -> ChatSettings:
        """The chat's settings, defaults if never changed (or if the database cannot be read)."""
        key = pseudonym(self._salt, "chat", platform, chat_id)
        try:
            with self._connection() as conn:
                row = conn.execute(
                    "SELECT settings FROM chat_settings WHERE platform = %s AND chat_hash = %s",
                    (platform, key),
                ).fetchone()
        except psycopg.Error:
            log.exception("could not read chat settings; using defaults")
            return ChatSettings()
        return settings_from_json(row[0]) if row else ChatSettings()

    def put(self, platform: str, chat_id: str, settings: ChatSettings) -> None:
        """Store the chat's settings at once (raises psycopg.Error if the database refuses)."""
        key = pseudonym(self._salt, "chat", platform, chat_id)
        value = json.dumps(asdict(settings), sort_keys=True)
        with self._connection() as conn, conn.transaction():
            conn.execute(_UPSERT_SETTINGS_PG, (platform, key, value, self._clock()))

    @contextlib.contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        """The connection of the claim being handled in this task, if any: what an update
        reads and writes then commits (or rolls back) with its claim, and an update never
        needs a second pooled connection while holding one. Else a pooled connection."""
        claim = active_claim()
        if isinstance(claim, PostgresClaim) and claim.owner is self:
            yield claim.connection
            return
        with self._pool.connection() as conn:
            yield conn

    # --- Cooldowns -------------------------------------------------------------------------

    def take(self, platform: str, chat_id: str, entry_id: str, *, now: float, wait: float) -> bool:
        """The conditional upsert: True when the entry was out of its cooldown in the chat."""
        chat_hash = pseudonym(self._salt, "chat", platform, chat_id)
        try:
            with self._connection() as conn, conn.transaction():
                cursor = conn.execute(_TAKE_COOLDOWN, (platform, chat_hash, entry_id, now, wait))
        except psycopg.Error:
            log.exception("auto-answer cooldown unavailable; staying silent")
            return False
        return cursor.rowcount == 1

    # --- Conversations ---------------------------------------------------------------------

    def _read_conversation(self, chat: ChatKey) -> tuple[Any, ...] | None:
        # In a savepoint when on a claim's connection: a failure must not abort its update.
        try:
            with self._connection() as conn, conn.transaction():
                row: tuple[Any, ...] | None = conn.execute(
                    _SELECT_CONVERSATION, conversation_key(self._salt, chat)
                ).fetchone()
        except psycopg.Error:
            log.exception("could not read a conversation; nothing remembered")
            return None
        return row

    def _write_conversation(self, statement: str, values: tuple[Any, ...]) -> None:
        try:
            with self._connection() as conn, conn.transaction():
                conn.execute(statement, values)
        except psycopg.Error:
            log.exception("could not remember a conversation")

    # --- Claims ----------------------------------------------------------------------------

    def claim(self, scope: str, key: str) -> Claim | None:
        """Claim a delivery, waiting for an instance handling the same one to finish; None when
        it was claimed (and handled) before."""
        now = self._clock()
        conn = self._pool.getconn()
        try:
            conn.execute("BEGIN")
            conn.execute(f"SET LOCAL lock_timeout = '{CLAIM_WAIT}'")
            conn.execute(
                "DELETE FROM claims WHERE scope = %s AND key = %s AND claimed_at < %s",
                (scope, key, now - CLAIM_TTL),
            )
            cursor = conn.execute(_CLAIM, (scope, key, self.owner, now))
            if cursor.rowcount == 1:
                return PostgresClaim(self, conn, scope, key)
            conn.execute("ROLLBACK")
        except BaseException:
            self.give_back(conn, broken=True)
            raise
        self.give_back(conn)
        return None

    def give_back(self, conn: psycopg.Connection[Any], *, broken: bool = False) -> None:
        """Return a claim's connection to the pool (rolled back and discarded when broken)."""
        if broken and not conn.closed:
            try:
                conn.execute("ROLLBACK")
            except psycopg.Error:
                conn.close()
        self._pool.putconn(conn)

    def write_records(self, conn: psycopg.Connection[Any], records: list[PendingRecord]) -> None:
        """Insert queued questions and votes on `conn` (in the caller's transaction)."""
        questions, votes = record_values(self._salt, records)
        with conn.cursor() as cursor:
            if questions:
                cursor.executemany(_INSERT_QUESTION_PG, questions)
            if votes:
                cursor.executemany(_UPSERT_VOTE_PG, votes)

    # --- Pacer -----------------------------------------------------------------------------

    def pace(self, key: str, interval: float) -> None:
        """Wait for the key's advisory lock, shared by every instance; it is unlocked
        `interval` seconds later, so turns of one key start at least that far apart."""
        conn = self._pool.getconn()
        lock = (PACE_LOCK, zlib.crc32(key.encode()) & 0x7FFFFFFF)
        try:
            conn.execute("SELECT pg_advisory_lock(%s, %s)", lock)
        except BaseException:
            self.give_back(conn, broken=True)
            raise

        def unlock() -> None:
            try:
                conn.execute("SELECT pg_advisory_unlock(%s, %s)", lock)
            except psycopg.Error:
                conn.close()  # closing the session frees its locks
            self._pool.putconn(conn)

        timer = threading.Timer(interval, unlock)
        timer.daemon = True
        timer.start()

    # --- ReloadBus -------------------------------------------------------------------------

    def announce(self) -> None:
        """NOTIFY the other instances that the pack was reloaded."""
        try:
            with self._pool.connection() as conn:
                conn.execute("SELECT pg_notify(%s, %s)", (RELOAD_CHANNEL, self.owner))
        except psycopg.Error:
            log.exception("could not tell the other instances to reload")

    def listen_reloads(self, callback: Callable[[], None]) -> None:
        """LISTEN for reloads announced by other instances; `callback` runs in a thread.
        Returns once listening, so an announcement made after this call is never missed."""
        self._listeners.append(callback)
        if self._listener is not None:
            return
        ready = threading.Event()
        self._listening.set()
        self._listener = threading.Thread(
            target=self._listen, args=(ready,), name="faqbot-pg-listen", daemon=True
        )
        self._listener.start()
        ready.wait(CONNECT_TIMEOUT)

    def _listen(self, ready: threading.Event) -> None:
        backoff = 0.5
        while self._listening.is_set():
            try:
                with psycopg.connect(
                    self._url, autocommit=True, connect_timeout=CONNECT_TIMEOUT
                ) as conn:
                    conn.execute(f"LISTEN {RELOAD_CHANNEL}")
                    ready.set()
                    backoff = 0.5
                    while self._listening.is_set():
                        for note in conn.notifies(timeout=0.5):
                            if note.payload != self.owner:
                                self._reloaded()
            except psycopg.Error as exc:
                log.warning("reload listener lost the database (%s); reconnecting", exc)
                ready.set()
                self._stopping.wait(backoff)
                backoff = min(backoff * 2, 10.0)

    def _reloaded(self) -> None:
        log.info("another instance reloaded the knowledge pack: reloading")
        for callback in list(self._listeners):
            try:
                callback()
            except Exception:
                log.exception("reload after another instance's announcement failed")

    # --- writer thread ---------------------------------------------------------------------

    def _enqueue(self, record: PendingRecord) -> None:
        claim = active_claim()
        if claim is not None and claim.owner is self:
            claim.records.append(record)
            return
        if self._closed:
            self._dropped += 1
            return
        try:
            self._queue.put_nowait(record)
        except queue.Full:
            self._dropped += 1

    def _run(self) -> None:
        next_housekeeping = 0.0
        while True:
            if time.monotonic() >= next_housekeeping:
                self._housekeeping()
                next_housekeeping = time.monotonic() + RETENTION_CHECK_SECONDS
            items = self._gather()
            records = [i for i in items if not isinstance(i, _Control)]
            if records:
                self._write(records)
            controls = [i for i in items if isinstance(i, _Control)]
            for control in controls:
                control.done.set()
            if any(c.stop for c in controls):
                return

    def _gather(self) -> list[PendingRecord | _Control]:
        try:
            items = [self._queue.get(timeout=RETENTION_CHECK_SECONDS)]
        except queue.Empty:
            return []
        deadline = time.monotonic() + self._flush_interval
        while len(items) < MAX_BATCH and not isinstance(items[-1], _Control):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                items.append(self._queue.get(timeout=remaining))
            except queue.Empty:
                break
        return items

    def _write(self, records: list[PendingRecord]) -> None:
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self._pool.connection() as conn, conn.transaction():
                    self.write_records(conn, records)
                return
            except psycopg.OperationalError as exc:
                log.warning("journal write failed (attempt %d): %s", attempt, exc)
                self._stopping.wait(0.1 * attempt)
            except psycopg.Error as exc:
                self._dropped += len(records)
                log.error("journal batch refused, %d records lost: %s", len(records), exc)
                return
        self._dropped += len(records)
        log.error("journal write kept failing; %d records lost", len(records))

    def _housekeeping(self) -> None:
        """Delete claims older than a day, stale cooldowns, and journal and conversation rows past
        retention."""
        now = self._clock()
        try:
            with self._pool.connection() as conn, conn.transaction():
                conn.execute("DELETE FROM claims WHERE claimed_at < %s", (now - CLAIM_TTL,))
                conn.execute("DELETE FROM cooldowns WHERE answered_at < %s", (now - CLAIM_TTL,))
                if self._retention is not None:
                    before = now - self._retention.total_seconds()
                    conn.execute("DELETE FROM questions WHERE asked_at < %s", (before,))
                    conn.execute("DELETE FROM votes WHERE voted_at < %s", (before,))
                    conn.execute(_PURGE_CONVERSATIONS, (before, before))
        except psycopg.Error:
            log.exception("PostgreSQL housekeeping failed")
