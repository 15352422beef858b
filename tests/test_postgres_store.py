"""PostgreSQL-only behaviour: migrations under the advisory lock with instances starting
together, a held claim outliving nobody, and a schema equivalent to SQLite's."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from store_helpers import open_test_store, wait_until

from bot.journal.claims import Claim
from bot.journal.postgres_schema import MIGRATION_LOCK, SCHEMA_VERSION
from bot.journal.state import open_db

pytestmark = pytest.mark.postgres

_OPEN = (
    "import sys; from bot.journal.postgres import PostgresStore; PostgresStore(sys.argv[1]).close()"
)


def _waiting_on_lock(url: str) -> int:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        ).fetchone()
    return int(row[0]) if row else 0


def test_instances_starting_together_migrate_once(postgres_url: str) -> None:
    import psycopg

    holder = psycopg.connect(postgres_url)  # holds the migration lock until told to go
    holder.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    starting = [
        subprocess.Popen(
            [sys.executable, "-c", _OPEN, postgres_url], env=env, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    try:
        wait_until(lambda: _waiting_on_lock(postgres_url) == 2, 30, "both to wait on the lock")
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            tables = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE tablename = 'questions'"
            ).fetchone()
        assert tables == (0,)  # nobody migrated while the lock was held
    finally:
        holder.rollback()
        holder.close()
    for process in starting:
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        versions = conn.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()
        salts = conn.execute("SELECT count(*) FROM meta WHERE key = 'salt'").fetchone()
    assert [v for (v,) in versions] == list(range(1, SCHEMA_VERSION + 1))
    assert salts == (1,)


def test_a_claim_held_by_a_dead_instance_passes_to_the_next(postgres_url: str) -> None:
    import psycopg

    first, second = open_test_store(postgres_url), open_test_store(postgres_url)
    try:
        held = first.claim("telegram", "update:7")
        assert held is not None
        outcome: list[Claim | None] = []
        waiter = threading.Thread(
            target=lambda: outcome.append(second.claim("telegram", "update:7"))
        )
        waiter.start()
        wait_until(lambda: _blocked(postgres_url) >= 1, what="the second claim to wait")
        assert outcome == []
        with psycopg.connect(postgres_url, autocommit=True) as conn:  # the holder dies
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE state = 'idle in transaction' AND query LIKE 'INSERT INTO claims%'"
            )
        waiter.join(30)
        assert outcome and outcome[0] is not None
        outcome[0].commit()
        assert first.claim("telegram", "update:7") is None
    finally:
        first.close()
        second.close()


def _blocked(url: str) -> int:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        ).fetchone()
    return int(row[0]) if row else 0


def test_a_second_delivery_waits_for_the_first_then_skips(postgres_url: str) -> None:
    first, second = open_test_store(postgres_url), open_test_store(postgres_url)
    try:
        held = first.claim("discord", "interaction:9")
        assert held is not None
        outcome: list[Claim | None] = []
        waiter = threading.Thread(
            target=lambda: outcome.append(second.claim("discord", "interaction:9"))
        )
        waiter.start()
        wait_until(lambda: _blocked(postgres_url) >= 1, what="the second claim to wait")
        held.commit()
        waiter.join(30)
        assert outcome == [None]
    finally:
        first.close()
        second.close()


def test_the_schema_matches_sqlites(postgres_url: str, tmp_path: Path) -> None:
    import psycopg

    open_test_store(postgres_url).close()
    lite = open_db(tmp_path / "s.sqlite3")
    tables = [
        r[0] for r in lite.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")
    ]
    expected = {t: [c[1] for c in lite.execute(f"PRAGMA table_info({t})")] for t in tables}
    lite.close()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        found = {
            t: [
                r[0]
                for r in conn.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = %s ORDER BY ordinal_position",
                    (t,),
                )
            ]
            for t in tables
        }
    assert found == expected


async def test_what_an_update_changes_commits_or_rolls_back_with_its_claim(
    postgres_url: str,
) -> None:
    import time

    from bot.journal.claims import exactly_once
    from bot.journal.postgres import PostgresStore
    from bot.model import ChatSettings

    first = PostgresStore(postgres_url, pool_size=2)
    second = open_test_store(postgres_url)
    now = time.time()  # not 1970: housekeeping deletes cooldowns older than a day
    try:
        with pytest.raises(RuntimeError):
            async with exactly_once(first, "telegram", "update:20"):
                assert first.take("telegram", "-1", "e1", now=now, wait=600)
                raise RuntimeError("the update failed half-way")
        assert second.take("telegram", "-1", "e1", now=now, wait=600)  # not used up
        started = time.monotonic()
        # Two claims held: both pooled connections are in use.
        async with (
            exactly_once(first, "telegram", "update:21"),
            exactly_once(first, "telegram", "update:22"),
        ):
            first.put("telegram", "-2", ChatSettings(auto_answer=True))
            assert first.get("telegram", "-2").auto_answer
            assert not first.take("telegram", "-1", "e1", now=now + 1, wait=600)
        assert time.monotonic() - started < 5  # no third connection was waited for
        assert second.get("telegram", "-2").auto_answer
    finally:
        first.close()
        second.close()


def test_a_database_from_before_packs_is_migrated_and_its_old_rows_have_none(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    from bot.journal import postgres_schema
    from bot.model import Answer, AnswerKind, Origin

    with monkeypatch.context() as before_packs:
        before_packs.setattr(postgres_schema, "SCHEMA_VERSION", 3)
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            assert postgres_schema.migrate(conn) == [1, 2, 3]
            conn.execute(
                "INSERT INTO questions (asked_at, platform, chat_kind, question, kind, score,"
                " answered) VALUES (1.0, 'telegram', 'group', 'an old one', 'answer', 0.9, TRUE)"
            )
    store = open_test_store(postgres_url)
    try:
        new = Answer(question="a new one", kind=AnswerKind.ANSWER, text="…", pack="harbour")
        store.record_answer(new, Origin("telegram", "group", user_id="1", chat_id="-1"))
        assert store.flush()
        assert [(q.question, q.pack) for q in store.read_questions()] == [
            ("an old one", None),
            ("a new one", "harbour"),
        ]
    finally:
        store.close()


def test_a_database_from_before_conversations_is_migrated_and_keeps_its_rows(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    from bot.journal import postgres_schema
    from bot.model import ChatKey, EntryRef

    with monkeypatch.context() as before:
        before.setattr(postgres_schema, "SCHEMA_VERSION", 4)
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            assert postgres_schema.migrate(conn) == [1, 2, 3, 4]
            conn.execute(
                "INSERT INTO questions (asked_at, platform, chat_kind, question, kind, score,"
                " answered, pack) VALUES (1.0, 'telegram', 'group', 'an old one', 'answer', 0.9,"
                " TRUE, 'harbour')"
            )
    store = open_test_store(postgres_url)
    reader = ChatKey("telegram", "-1", "1")
    try:
        store.remember_entry(reader, EntryRef("harbour", "cable"))
        assert store.last_entry(reader) == EntryRef("harbour", "cable")
        assert [(q.question, q.pack) for q in store.read_questions()] == [("an old one", "harbour")]
    finally:
        store.close()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        versions = conn.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()
    assert [v for (v,) in versions] == [1, 2, 3, 4, 5] == list(range(1, SCHEMA_VERSION + 1))
