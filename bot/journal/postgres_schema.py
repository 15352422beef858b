"""PostgreSQL's schema: the same tables and columns as bot.journal.state's SQLite migrations,
in the same numbered steps, applied once under an advisory lock however many instances start
together."""

from __future__ import annotations

from typing import Any

MIGRATION_LOCK = 0x66617162  # "faqb": pg_advisory_xact_lock key of the migrations

# Append only, one step per SQLite migration of bot.journal.state.MIGRATIONS (a test compares them).
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """CREATE TABLE questions (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            asked_at DOUBLE PRECISION NOT NULL,
            platform TEXT NOT NULL,
            chat_kind TEXT NOT NULL,
            user_hash TEXT,
            question TEXT NOT NULL,
            kind TEXT NOT NULL,
            entry_id TEXT,
            matched_question TEXT,
            score DOUBLE PRECISION NOT NULL,
            answered BOOLEAN NOT NULL
        )""",
        "CREATE INDEX questions_asked_at ON questions (asked_at)",
        """CREATE TABLE votes (
            user_hash TEXT,
            entry_id TEXT NOT NULL,
            vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
            voted_at DOUBLE PRECISION NOT NULL,
            platform TEXT NOT NULL,
            UNIQUE (user_hash, entry_id)
        )""",
        "CREATE INDEX votes_voted_at ON votes (voted_at)",
        """CREATE TABLE chat_settings (
            platform TEXT NOT NULL,
            chat_hash TEXT NOT NULL,
            settings TEXT NOT NULL,
            updated_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (platform, chat_hash)
        )""",
    ),
    (
        "ALTER TABLE questions ADD COLUMN rule TEXT",
        "ALTER TABLE questions ADD COLUMN reasons TEXT",
    ),
    (
        """CREATE TABLE claims (
            scope TEXT NOT NULL,
            key TEXT NOT NULL,
            owner TEXT NOT NULL,
            claimed_at DOUBLE PRECISION NOT NULL,
            done BOOLEAN NOT NULL DEFAULT FALSE,
            PRIMARY KEY (scope, key)
        )""",
        "CREATE INDEX claims_claimed_at ON claims (claimed_at)",
        """CREATE TABLE cooldowns (
            platform TEXT NOT NULL,
            chat_hash TEXT NOT NULL,
            entry_id TEXT NOT NULL,
            answered_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (platform, chat_hash, entry_id)
        )""",
    ),
    ("ALTER TABLE questions ADD COLUMN pack TEXT",),
    (
        """CREATE TABLE conversations (
            platform TEXT NOT NULL,
            chat_hash TEXT NOT NULL,
            user_hash TEXT NOT NULL,
            entry_pack TEXT,
            entry_id TEXT,
            entry_at DOUBLE PRECISION,
            article TEXT,
            article_at DOUBLE PRECISION,
            PRIMARY KEY (platform, chat_hash, user_hash)
        )""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaError(Exception):
    """The database was migrated by a newer faqbot than this one."""


def migrate(conn: Any) -> list[int]:
    """Bring the database to SCHEMA_VERSION in one transaction holding the migration lock;
    return the versions this call applied (none when another instance did it first).

    conn: a psycopg connection in autocommit mode."""
    applied: list[int] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )"""
        )
        row = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()
        current = int(row[0])
        if current > SCHEMA_VERSION:
            raise SchemaError(
                f"the database has schema version {current}; this faqbot knows up to "
                f"{SCHEMA_VERSION}"
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version - 1]:
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (version,))
            applied.append(version)
    return applied
