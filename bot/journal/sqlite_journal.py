"""The SQLite journal: handled questions, feedback votes and per-chat settings.

Answering never waits for the disk: record_answer and record_feedback only put a record
(bot.journal.records) on a queue. One background thread per process drains it, writing each
batch in one short transaction and committing at most ``flush_interval`` seconds after a
record arrived, so a killed process loses at most that much. Several processes may share one
file (WAL mode, a busy timeout, short ``BEGIN IMMEDIATE`` transactions).

User and chat ids are never stored: only an HMAC-SHA256 of them keyed by the file's own random
salt (see bot.journal.state).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, fields
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.journal.claims import active_claim
from bot.journal.conversations import purge_conversations_sql
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
from bot.journal.state import open_db, salt, write_transaction
from bot.model import Answer, ChatSettings, Origin

log = logging.getLogger(__name__)

FLUSH_INTERVAL = 0.25
MAX_BATCH = 2000
MAX_PENDING = 100_000
WRITE_ATTEMPTS = 5
RETENTION_CHECK_SECONDS = 6 * 3600.0

_INSERT_QUESTION = insert_question_sql("?")
_UPSERT_VOTE = upsert_vote_sql("?")
_PURGE_CONVERSATIONS = purge_conversations_sql("?")
_UPSERT_SETTINGS = """INSERT INTO chat_settings (platform, chat_hash, settings, updated_at)
    VALUES (?, ?, ?, ?)
    ON CONFLICT (platform, chat_hash) DO UPDATE
    SET settings = excluded.settings, updated_at = excluded.updated_at"""


class _Control:
    """A request to the writer thread: commit what is pending, then set `done`."""

    def __init__(self, *, stop: bool) -> None:
        self.stop = stop
        self.done = threading.Event()


_Item = PendingRecord | _Control


class SqliteJournal:
    """bot.ports.Journal and bot.ports.SettingsStore on one SQLite file."""

    def __init__(
        self,
        path: Path,
        *,
        flush_interval: float = FLUSH_INTERVAL,
        retention: timedelta | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Open (create, migrate) the file and start the writer thread.

        retention: if set, the writer deletes rows older than that at start and every few hours.
        clock: Unix time in seconds (UTC); injectable for tests.
        """
        self._path = path
        self._conn = open_db(path)
        self._salt = salt(self._conn)
        self._lock = threading.Lock()
        self._clock = clock
        self._flush_interval = flush_interval
        self._retention = retention
        self._queue: queue.Queue[_Item] = queue.Queue(maxsize=MAX_PENDING)
        self._closed = False
        self._dropped = 0
        try:
            writer_conn = open_db(path)
        except BaseException:
            self._conn.close()
            raise
        self._writer = threading.Thread(
            target=self._run, args=(writer_conn,), name="faqbot-journal", daemon=True
        )
        self._writer.start()
        atexit.register(self.close)

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    @property
    def dropped(self) -> int:
        """Records lost because the queue was full, the journal closed or the disk refused."""
        return self._dropped

    # --- Journal ---------------------------------------------------------------------------

    def record_answer(self, answer: Answer, origin: Origin) -> None:
        """Queue one handled question; returns at once."""
        self._enqueue(HandledQuestion.of(answer, origin, self._clock()))

    def record_feedback(self, origin: Origin, entry_id: str, vote: int) -> None:
        """Queue a 👍 (+1) / 👎 (-1) vote; the user's earlier vote on the entry is replaced."""
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
        """Commit what is queued, stop the writer and close the file. Safe to call twice."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        atexit.unregister(self.close)
        self._queue.put(_Control(stop=True))
        self._writer.join(timeout)
        with self._lock:
            self._conn.close()

    # --- SettingsStore ---------------------------------------------------------------------

    def get(self, platform: str, chat_id: str) -> ChatSettings:
        """The chat's settings, defaults if never changed (or if the file cannot be read)."""
        key = pseudonym(self._salt, "chat", platform, chat_id)
        try:
            with self._lock:
                row = self._conn.execute(
                    "SELECT settings FROM chat_settings WHERE platform = ? AND chat_hash = ?",
                    (platform, key),
                ).fetchone()
        except sqlite3.Error:
            log.exception("could not read chat settings; using defaults")
            return ChatSettings()
        return _settings_from_json(row[0]) if row else ChatSettings()

    def put(self, platform: str, chat_id: str, settings: ChatSettings) -> None:
        """Store the chat's settings at once (raises sqlite3.Error if the disk refuses)."""
        key = pseudonym(self._salt, "chat", platform, chat_id)
        value = json.dumps(asdict(settings), sort_keys=True)
        with self._lock:
            self._conn.execute(_UPSERT_SETTINGS, (platform, key, value, self._clock()))

    # --- writer thread ---------------------------------------------------------------------

    def _enqueue(self, record: PendingRecord) -> None:
        claim = active_claim()
        if claim is not None and claim.owner is self:
            claim.records.append(record)  # written when the delivery's claim commits
            return
        if self._closed:
            self._dropped += 1
            return
        try:
            self._queue.put_nowait(record)
        except queue.Full:
            self._dropped += 1
            if self._dropped % 1000 == 1:
                log.warning("journal queue full; %d records dropped so far", self._dropped)

    def _run(self, conn: sqlite3.Connection) -> None:
        next_retention = 0.0
        try:
            while True:
                if self._retention is not None and time.monotonic() >= next_retention:
                    self._apply_retention(conn)
                    next_retention = time.monotonic() + RETENTION_CHECK_SECONDS
                items = self._gather()
                records = [i for i in items if not isinstance(i, _Control)]
                try:
                    self._write(conn, records)
                except Exception:  # the writer must outlive any bad batch
                    self._dropped += len(records)
                    log.exception("journal writer error; %d records lost", len(records))
                controls = [i for i in items if isinstance(i, _Control)]
                for control in controls:
                    control.done.set()
                if any(c.stop for c in controls):
                    return
        finally:
            conn.close()

    def _gather(self) -> list[_Item]:
        """Wait for a first item, then collect more for up to flush_interval seconds."""
        wait = RETENTION_CHECK_SECONDS if self._retention is not None else None
        try:
            items = [self._queue.get(timeout=wait)]
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

    def _write(self, conn: sqlite3.Connection, records: list[PendingRecord]) -> None:
        questions, votes = record_values(self._salt, records)
        if not questions and not votes:
            return
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                _write_batch(conn, questions, votes)
                return
            except sqlite3.OperationalError as exc:
                # Locked beyond the busy timeout, disk full, I/O error: wait and retry.
                log.warning("journal write failed (attempt %d): %s", attempt, exc)
                time.sleep(0.1 * attempt)
            except (sqlite3.Error, ValueError):
                # A row the database refuses: write the others one by one.
                self._write_each(conn, questions, votes)
                return
        self._dropped += len(questions) + len(votes)
        log.error("journal write kept failing; %d records lost", len(questions) + len(votes))

    def _write_each(
        self,
        conn: sqlite3.Connection,
        questions: list[tuple[Any, ...]],
        votes: list[tuple[Any, ...]],
    ) -> None:
        lost = 0
        for statement, rows in ((_INSERT_QUESTION, questions), (_UPSERT_VOTE, votes)):
            for row in rows:
                try:
                    with write_transaction(conn):
                        conn.execute(statement, row)
                except (sqlite3.Error, ValueError) as exc:
                    lost += 1
                    log.error("journal record refused: %s", exc)
        self._dropped += lost

    def _apply_retention(self, conn: sqlite3.Connection) -> None:
        assert self._retention is not None
        try:
            result = purge(conn, self._clock() - self._retention.total_seconds())
        except sqlite3.Error:
            log.exception("journal retention purge failed")
            return
        if result.questions or result.votes or result.conversations:
            log.info(
                "journal retention: deleted %d questions, %d votes and %d conversations "
                "older than %s",
                result.questions,
                result.votes,
                result.conversations,
                self._retention,
            )


def record_values(
    key: bytes, records: list[PendingRecord]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Queued records as the parameters of _INSERT_QUESTION and of _UPSERT_VOTE (user ids
    pseudonymised under `key`)."""
    questions = [r.values(key) for r in records if isinstance(r, HandledQuestion)]
    votes = [r.values(key) for r in records if isinstance(r, CastVote)]
    return questions, votes


def settings_from_json(text: str) -> ChatSettings:
    """Settings as stored; keys this version does not know are ignored, missing ones default."""
    return _settings_from_json(text)


def _write_batch(
    conn: sqlite3.Connection, questions: list[tuple[Any, ...]], votes: list[tuple[Any, ...]]
) -> None:
    with write_transaction(conn):
        conn.executemany(_INSERT_QUESTION, questions)
        conn.executemany(_UPSERT_VOTE, votes)


def _settings_from_json(text: str) -> ChatSettings:
    """Settings as stored; keys this version does not know are ignored, missing ones default."""
    try:
        data = json.loads(text)
    except ValueError:
        return ChatSettings()
    known = {f.name for f in fields(ChatSettings)}
    return ChatSettings(**{k: v for k, v in data.items() if k in known})


# --- reading and purging (report, suggest, purge) --------------------------------------------


def read_questions(
    conn: sqlite3.Connection, since: float | None = None, *, pack: str | None = None
) -> list[QuestionRecord]:
    """Journalled questions asked at or after `since` (Unix seconds; None: all), oldest first;
    `pack`: only those the pack of that slug answered or refused."""
    sql = select_questions_sql("?", by_pack=pack is not None)
    return [question_record(r) for r in conn.execute(sql, question_parameters(since, pack))]


def read_votes(conn: sqlite3.Connection, since: float | None = None) -> list[VoteRecord]:
    """Current votes cast at or after `since` (Unix seconds; None: all), oldest first."""
    return [vote_record(r) for r in conn.execute(select_votes_sql("?"), vote_parameters(since))]


def purge(conn: sqlite3.Connection, before: float) -> PurgeResult:
    """Delete questions and votes older than `before` (Unix seconds) for good, and the
    conversations of readers quiet since then.

    secure_delete overwrites the freed pages and the WAL is checkpointed, so the deleted text
    does not linger in the file.
    """
    conn.execute("PRAGMA secure_delete = ON")
    with write_transaction(conn):
        questions = conn.execute("DELETE FROM questions WHERE asked_at < ?", (before,)).rowcount
        votes = conn.execute("DELETE FROM votes WHERE voted_at < ?", (before,)).rowcount
        conversations = conn.execute(_PURGE_CONVERSATIONS, (before, before)).rowcount
    if questions or votes or conversations:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return PurgeResult(questions=questions, votes=votes, conversations=conversations)
