"""The bot's state database: where it lives, how it is opened, and its schema migrations.

One SQLite file holds the question journal, feedback votes, per-chat settings, a random salt,
delivery claims, auto-answer cooldowns and readers' conversations (bot.journal.postgres_schema
keeps PostgreSQL's equivalent).
Its schema version is SQLite's ``PRAGMA user_version``: migration *n* (1-based) in MIGRATIONS
brings the file from version n-1 to n, inside one write transaction, so several processes may
open the same file at once and each migration still runs exactly once.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

BUSY_TIMEOUT_MS = 5000

# Append only: never edit a migration that has shipped, add a new one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """CREATE TABLE questions (
            id INTEGER PRIMARY KEY,
            asked_at REAL NOT NULL,
            platform TEXT NOT NULL,
            chat_kind TEXT NOT NULL,
            user_hash TEXT,
            question TEXT NOT NULL,
            kind TEXT NOT NULL,
            entry_id TEXT,
            matched_question TEXT,
            score REAL NOT NULL,
            answered INTEGER NOT NULL
        )""",
        "CREATE INDEX questions_asked_at ON questions (asked_at)",
        """CREATE TABLE votes (
            user_hash TEXT,
            entry_id TEXT NOT NULL,
            vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
            voted_at REAL NOT NULL,
            platform TEXT NOT NULL,
            UNIQUE (user_hash, entry_id)
        )""",
        "CREATE INDEX votes_voted_at ON votes (voted_at)",
        """CREATE TABLE chat_settings (
            platform TEXT NOT NULL,
            chat_hash TEXT NOT NULL,
            settings TEXT NOT NULL,
            updated_at REAL NOT NULL,
            PRIMARY KEY (platform, chat_hash)
        )""",
    ),
    (
        # Why each question was answered or refused: the deciding rule, and every reason.
        "ALTER TABLE questions ADD COLUMN rule TEXT",
        "ALTER TABLE questions ADD COLUMN reasons TEXT",
    ),
    (
        # Deliveries claimed for exactly-once handling (bot.journal.claims), auto-answer cooldowns.
        """CREATE TABLE claims (
            scope TEXT NOT NULL,
            key TEXT NOT NULL,
            owner TEXT NOT NULL,
            claimed_at REAL NOT NULL,
            done INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (scope, key)
        )""",
        "CREATE INDEX claims_claimed_at ON claims (claimed_at)",
        """CREATE TABLE cooldowns (
            platform TEXT NOT NULL,
            chat_hash TEXT NOT NULL,
            entry_id TEXT NOT NULL,
            answered_at REAL NOT NULL,
            PRIMARY KEY (platform, chat_hash, entry_id)
        )""",
    ),
    (
        # The slug of the pack that answered or refused each question (one bot, several
        # packs); NULL in rows journalled before, and for replies no single pack gave.
        "ALTER TABLE questions ADD COLUMN pack TEXT",
    ),
    (
        # Each reader's conversation in each chat (bot.journal.conversations), shared by every
        # instance: the entry last answered (NULLs after a refusal) and the article they picked.
        """CREATE TABLE conversations (
            platform TEXT NOT NULL,
            chat_hash TEXT NOT NULL,
            user_hash TEXT NOT NULL,
            entry_pack TEXT,
            entry_id TEXT,
            entry_at REAL,
            article TEXT,
            article_at REAL,
            PRIMARY KEY (platform, chat_hash, user_hash)
        )""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


class SchemaError(Exception):
    """The database was written by a newer faqbot than this one."""


def default_db_path(state_home: Path) -> Path:
    """The per-user default under the state home (Settings.state_home: $XDG_STATE_HOME, else
    ~/.local/state): faqbot/faqbot.sqlite3."""
    return state_home / "faqbot" / "faqbot.sqlite3"


def db_path(chosen: str | os.PathLike[str] | None, *, state_home: Path) -> Path:
    """The SQLite file to use: the chosen path (--db or FAQBOT_DB), else default_db_path()."""
    return Path(chosen).expanduser() if chosen else default_db_path(state_home)


def parse_duration(text: str) -> timedelta:
    """Parse an age such as 30m, 12h, 7d, 2w or 45s; raise ValueError otherwise."""
    found = _DURATION.match(text)
    if not found:
        raise ValueError(f"not a duration: {text!r} (use e.g. 30m, 12h, 7d, 2w)")
    return timedelta(seconds=int(found.group(1)) * _UNIT_SECONDS[found.group(2).lower()])


def open_db(path: Path, *, create: bool = True) -> sqlite3.Connection:
    """Open (creating it, owner-only, and its directory if allowed) and migrate the database.

    The connection is in autocommit mode: callers wrap writes in explicit transactions
    (``BEGIN IMMEDIATE`` ... ``COMMIT``) and keep them short. It may be shared across threads
    only under the caller's own lock. Raises FileNotFoundError if the file is missing and
    create is False, SchemaError if the file is newer than this code.
    """
    new = not path.exists()
    if new and not create:
        raise FileNotFoundError(f"no journal at {path}")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        if new:
            # Readable by its owner only; SQLite gives the -wal and -shm files the same mode.
            with contextlib.suppress(OSError):
                path.chmod(0o600)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL survives a killed process; only power loss can drop a last commit.
        conn.execute("PRAGMA synchronous = NORMAL")
        migrate(conn)
        _ensure_salt(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    """The schema version stored in the file (PRAGMA user_version)."""
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the migrations the file lacks, each in its own transaction; return the version."""
    while True:
        if schema_version(conn) >= SCHEMA_VERSION:
            break
        with write_transaction(conn):
            # Another process may have migrated while we waited for the write lock.
            current = schema_version(conn)
            if current < SCHEMA_VERSION:
                for statement in MIGRATIONS[current]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {current + 1}")
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        raise SchemaError(
            f"the database has schema version {version}; this faqbot knows up to {SCHEMA_VERSION}"
        )
    return version


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """A short write transaction on an autocommit connection: BEGIN IMMEDIATE takes the write
    lock up front (waiting up to the busy timeout), COMMIT on success, ROLLBACK on error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def salt(conn: sqlite3.Connection) -> bytes:
    """The database's random salt for pseudonymising ids (created when the file was)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
    return bytes.fromhex(row[0])


def _ensure_salt(conn: sqlite3.Connection) -> None:
    if conn.execute("SELECT 1 FROM meta WHERE key = 'salt'").fetchone():
        return
    conn.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('salt', ?)", (secrets.token_hex(32),)
    )
