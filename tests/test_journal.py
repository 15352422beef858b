"""The SQLite journal: recording, feedback, settings, hashing, migrations, purge."""

from __future__ import annotations

import argparse
import os
import sqlite3
import threading
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from journal_helpers import NOW, Clock, answered, count, greeting, origin, unanswered

from bot.journal.records import pseudonym
from bot.journal.sqlite_journal import SqliteJournal, purge, read_questions, read_votes
from bot.journal.state import (
    SCHEMA_VERSION,
    SchemaError,
    db_path,
    default_db_path,
    open_db,
    parse_duration,
    salt,
    schema_version,
)
from bot.model import AnswerKind, ChatSettings, Origin
from bot.ports import Journal, SettingsStore
from bot.settings import Settings


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "state" / "faqbot.sqlite3"


def test_implements_both_ports(db: Path) -> None:
    journal = SqliteJournal(db)
    as_journal: Journal = journal  # mypy checks these two assignments against the protocols
    as_settings: SettingsStore = journal
    as_journal.record_feedback(origin(), "summary", 1)
    assert as_settings.get("telegram", "c1") == ChatSettings()
    journal.close()
    assert count(db, "votes") == 1


def test_records_every_field_and_creates_the_directory(db: Path) -> None:
    journal = SqliteJournal(db, clock=Clock())
    journal.record_answer(answered("Why did they quit?", "why-leaders-left", 0.71), origin("42"))
    journal.record_answer(unanswered("Is it raining?"), Origin("discord", "guild"))
    journal.record_answer(greeting(), origin("42"))
    assert journal.flush()
    conn = open_db(db)
    rows = read_questions(conn)
    conn.close()
    journal.close()

    assert db.exists()
    first, second, third = rows
    assert first.asked_at == NOW
    assert (first.platform, first.chat_kind, first.question) == (
        "telegram",
        "group",
        "Why did they quit?",
    )
    assert (first.kind, first.entry_id, first.score, first.answered) == (
        "answer",
        "why-leaders-left",
        0.71,
        True,
    )
    assert first.matched_question == "canonical why-leaders-left"
    assert first.user_hash is not None and len(first.user_hash) == 64
    assert (second.platform, second.user_hash, second.entry_id, second.answered) == (
        "discord",
        None,
        None,
        False,
    )
    assert third.kind == AnswerKind.GREETING.value


def test_commits_within_a_second_without_flush(db: Path) -> None:
    journal = SqliteJournal(db)
    try:
        journal.record_answer(answered("q", "e"), origin())
        deadline = time.monotonic() + 2.0
        while count(db) == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert count(db) == 1
    finally:
        journal.close()


def test_record_answer_does_not_wait_for_a_locked_database(db: Path) -> None:
    journal = SqliteJournal(db)
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        started = time.perf_counter()
        for i in range(100):
            journal.record_answer(answered(f"q{i}", "e"), origin())
        assert time.perf_counter() - started < 0.05
        time.sleep(0.4)
    finally:
        blocker.execute("COMMIT")
        blocker.close()
    assert journal.flush()
    assert count(db) == 100
    journal.close()


def test_record_answer_is_cheap(db: Path) -> None:
    journal = SqliteJournal(db)
    answer, where = answered("Why did they quit?", "e"), origin()
    n = 5000
    started = time.perf_counter()
    for _ in range(n):
        journal.record_answer(answer, where)
    per_call = (time.perf_counter() - started) / n
    journal.close()
    assert per_call < 50e-6
    assert count(db) == n


def test_a_second_vote_replaces_the_first(db: Path) -> None:
    clock = Clock()
    journal = SqliteJournal(db, clock=clock)
    journal.record_feedback(origin("7"), "summary", 1)
    clock.now += 30
    journal.record_feedback(origin("7"), "summary", -1)
    journal.record_feedback(origin("8"), "summary", 1)
    journal.record_feedback(origin("7"), "trigger", 1)
    journal.close()

    conn = open_db(db)
    votes = {(v.user_hash, v.entry_id): v for v in read_votes(conn)}
    key = pseudonym(salt(conn), "user", "telegram", "7")
    conn.close()
    assert len(votes) == 3
    assert votes[(key, "summary")].vote == -1
    assert votes[(key, "summary")].voted_at == NOW + 30


def test_votes_across_flushes_still_replace(db: Path) -> None:
    journal = SqliteJournal(db)
    journal.record_feedback(origin("7"), "summary", -1)
    assert journal.flush()
    journal.record_feedback(origin("7"), "summary", 1)
    journal.close()
    assert count(db, "votes") == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT vote FROM votes").fetchone()[0] == 1


def test_a_refused_record_does_not_lose_its_batch(db: Path) -> None:
    journal = SqliteJournal(db, flush_interval=0.5)
    journal.record_answer(unanswered("kept 1"), origin())
    journal.record_answer(unanswered("refused"), Origin(None, "group"))  # type: ignore[arg-type]
    journal.record_answer(unanswered("odd \ud800 text"), origin())
    journal.record_feedback(origin(), "summary", 5)  # not a vote: ignored
    journal.record_feedback(origin(), "summary", -1)
    journal.close()
    conn = open_db(db)
    assert [q.question for q in read_questions(conn)] == ["kept 1", "odd ? text"]
    assert [(v.entry_id, v.vote) for v in read_votes(conn)] == [("summary", -1)]
    conn.close()
    assert journal.dropped == 1


def test_settings_round_trip_and_survive_reopening(db: Path) -> None:
    journal = SqliteJournal(db)
    assert journal.get("telegram", "-100123") == ChatSettings()
    journal.put("telegram", "-100123", ChatSettings(auto_answer=True, max_quotes=1))
    assert journal.get("telegram", "-100123") == ChatSettings(auto_answer=True, max_quotes=1)
    assert journal.get("discord", "-100123") == ChatSettings()
    journal.put("telegram", "-100123", ChatSettings(auto_answer=False, max_quotes=2))
    journal.close()

    reopened = SqliteJournal(db)
    assert reopened.get("telegram", "-100123") == ChatSettings(auto_answer=False, max_quotes=2)
    reopened.close()


def test_settings_ignore_unknown_stored_keys(db: Path) -> None:
    journal = SqliteJournal(db)
    journal.put("telegram", "1", ChatSettings(auto_answer=True))
    with sqlite3.connect(db) as conn:
        conn.execute(
            """UPDATE chat_settings SET settings = '{"auto_answer": true, "from_the_future": 1}'"""
        )
    assert journal.get("telegram", "1") == ChatSettings(auto_answer=True)
    journal.close()


def test_ids_are_stored_only_as_salted_hashes(db: Path, tmp_path: Path) -> None:
    user_id, chat_id = "424242424242", "987654321987"
    journal = SqliteJournal(db)
    where = Origin("telegram", "private", user_id=user_id, chat_id=chat_id)
    journal.record_answer(answered("why?", "e"), where)
    journal.record_feedback(where, "e", 1)
    journal.put("telegram", chat_id, ChatSettings(auto_answer=True))
    journal.close()

    raw = b"".join(p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name))
    assert user_id.encode() not in raw and chat_id.encode() not in raw
    conn = open_db(db)
    (stored,) = {r.user_hash for r in read_questions(conn)}
    key = salt(conn)
    conn.close()
    assert stored is not None
    assert stored != user_id and user_id not in stored
    assert stored == pseudonym(key, "user", "telegram", user_id)
    assert stored != pseudonym(key, "user", "discord", user_id)
    other = open_db(tmp_path / "other.sqlite3")
    assert salt(other) != key
    assert pseudonym(salt(other), "user", "telegram", user_id) != stored
    other.close()


def test_migrations_are_idempotent(db: Path) -> None:
    first = open_db(db)
    key = salt(first)
    first.close()
    second = open_db(db)
    assert schema_version(second) == SCHEMA_VERSION >= 1
    assert salt(second) == key
    assert second.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = [r[0] for r in second.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert sorted(tables) == [
        "chat_settings",
        "claims",
        "conversations",
        "cooldowns",
        "meta",
        "questions",
        "votes",
    ]
    second.close()


def test_concurrent_opens_migrate_once(db: Path) -> None:
    errors: list[BaseException] = []

    def opener() -> None:
        try:
            open_db(db).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    conn = open_db(db)
    assert schema_version(conn) == SCHEMA_VERSION
    assert conn.execute("SELECT COUNT(*) FROM meta WHERE key = 'salt'").fetchone()[0] == 1
    conn.close()


def test_a_newer_schema_is_refused(db: Path) -> None:
    open_db(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(SchemaError):
        open_db(db)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_a_new_database_is_private_to_its_owner(db: Path) -> None:
    journal = SqliteJournal(db)
    journal.record_answer(unanswered("q"), origin())
    journal.close()
    assert db.stat().st_mode & 0o077 == 0
    assert db.parent.stat().st_mode & 0o077 == 0


def test_open_without_create_does_not_create(db: Path) -> None:
    with pytest.raises(FileNotFoundError):
        open_db(db, create=False)
    assert not db.exists()


def test_purge_deletes_old_questions_and_votes(db: Path) -> None:
    clock = Clock(NOW - 100 * 86400)
    journal = SqliteJournal(db, clock=clock)
    journal.record_answer(unanswered("ancient secret question"), origin())
    journal.record_feedback(origin("old"), "summary", -1)
    clock.now = NOW
    journal.record_answer(unanswered("fresh"), origin())
    journal.record_feedback(origin("new"), "summary", 1)
    journal.close()

    conn = open_db(db)
    result = purge(conn, NOW - 90 * 86400)
    assert (result.questions, result.votes) == (1, 1)
    assert [q.question for q in read_questions(conn)] == ["fresh"]
    assert purge(conn, NOW - 90 * 86400).questions == 0
    conn.close()
    raw = b"".join(p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name))
    assert b"ancient secret question" not in raw


def test_retention_purges_in_the_background(db: Path) -> None:
    clock = Clock(NOW - 100 * 86400)
    old = SqliteJournal(db, clock=clock)
    old.record_answer(unanswered("old"), origin())
    old.close()
    journal = SqliteJournal(db, retention=timedelta(days=90), clock=Clock())
    journal.record_answer(unanswered("new"), origin())
    journal.close()
    conn = open_db(db)
    assert [q.question for q in read_questions(conn)] == ["new"]
    conn.close()


def test_read_since_filters_by_time(db: Path) -> None:
    clock = Clock(NOW - 3600)
    journal = SqliteJournal(db, clock=clock)
    journal.record_answer(unanswered("before"), origin())
    clock.now = NOW
    journal.record_answer(unanswered("after"), origin())
    journal.close()
    conn = open_db(db)
    assert [q.question for q in read_questions(conn, NOW - 60)] == ["after"]
    assert len(read_questions(conn, None)) == 2
    conn.close()


def test_close_is_idempotent_and_later_records_are_dropped(db: Path) -> None:
    journal = SqliteJournal(db)
    journal.record_answer(unanswered("kept"), origin())
    journal.close()
    journal.close()
    journal.record_answer(unanswered("dropped"), origin())
    assert not journal.flush()
    assert journal.dropped == 1
    assert count(db) == 1


def test_paths_follow_env_and_xdg(tmp_path: Path) -> None:
    xdg = Settings.build(None, {"XDG_STATE_HOME": str(tmp_path / "xdg")})
    assert Path(xdg.db) == tmp_path / "xdg" / "faqbot" / "faqbot.sqlite3"
    assert default_db_path(xdg.state_home) == Path(xdg.db)
    assert db_path(None, state_home=xdg.state_home) == Path(xdg.db)
    home = Settings.build(None, {"HOME": str(tmp_path / "home")})
    assert Path(home.db) == tmp_path / "home" / ".local" / "state" / "faqbot" / "faqbot.sqlite3"
    env = {"HOME": str(tmp_path / "home"), "FAQBOT_DB": str(tmp_path / "env.sqlite3")}
    assert Path(Settings.build(None, env).db) == tmp_path / "env.sqlite3"
    flags = argparse.Namespace(db=str(tmp_path / "explicit.db"))
    assert Path(Settings.build(flags, env).db) == tmp_path / "explicit.db"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30m", 1800), ("12h", 43200), ("7d", 604800), ("90d", 7776000), ("2w", 1209600), ("45s", 45)],
)
def test_parse_duration(text: str, seconds: int) -> None:
    assert parse_duration(text).total_seconds() == seconds


@pytest.mark.parametrize("text", ["", "7", "d", "-7d", "7y", "1.5h", "7 days"])
def test_parse_duration_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_a_journal_from_before_reasons_is_migrated_and_then_keeps_them(tmp_path: Path) -> None:
    from bot.journal.state import MIGRATIONS

    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        old.execute(statement)
    old.execute("PRAGMA user_version = 1")
    old.execute(
        "INSERT INTO questions (asked_at, platform, chat_kind, question, kind, score, answered)"
        " VALUES (1.0, 'telegram', 'group', 'an old one', 'not_covered', 0.1, 0)"
    )
    old.commit()
    old.close()
    journal = SqliteJournal(path)
    journal.record_answer(unanswered("a new one", rule="asked back"), origin())
    assert journal.flush()
    journal.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    rules = {q.question: q.rule for q in read_questions(conn)}
    assert rules == {"an old one": "not_covered", "a new one": "asked back"}


def test_a_journal_from_before_packs_is_migrated_and_its_old_rows_have_none(
    tmp_path: Path,
) -> None:
    from bot.journal.state import MIGRATIONS

    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    for migration in MIGRATIONS[:3]:
        for statement in migration:
            old.execute(statement)
    old.execute("PRAGMA user_version = 3")
    old.execute(
        "INSERT INTO questions (asked_at, platform, chat_kind, question, kind, score, answered,"
        " rule) VALUES (1.0, 'telegram', 'group', 'an old one', 'answer', 0.9, 1, 'answered')"
    )
    old.commit()
    old.close()
    journal = SqliteJournal(path)
    journal.record_answer(replace(answered("a new one", "summary"), pack="pti-exodus"), origin())
    assert journal.flush()
    journal.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) >= 4
    assert [(q.question, q.pack) for q in read_questions(conn)] == [
        ("an old one", None),
        ("a new one", "pti-exodus"),
    ]
    assert [q.question for q in read_questions(conn, pack="pti-exodus")] == ["a new one"]


def test_a_file_from_before_conversations_is_migrated_and_keeps_its_rows(
    tmp_path: Path,
) -> None:
    from bot.journal.sqlite_store import SqliteStore
    from bot.journal.state import MIGRATIONS
    from bot.model import ChatKey, EntryRef

    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    for migration in MIGRATIONS[:4]:
        for statement in migration:
            old.execute(statement)
    old.execute("PRAGMA user_version = 4")
    old.execute("INSERT INTO meta (key, value) VALUES ('salt', ?)", ("ab" * 32,))
    old.execute(
        "INSERT INTO questions (asked_at, platform, chat_kind, question, kind, score, answered,"
        " rule, pack) VALUES (1.0, 'telegram', 'group', 'an old one', 'answer', 0.9, 1,"
        " 'answered', 'pti-exodus')"
    )
    old.commit()
    assert old.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'conversations'"
    ).fetchone() == (0,)
    old.close()
    store = SqliteStore(path, clock=Clock(NOW))
    reader = ChatKey("telegram", "-100", "7")
    try:
        assert store.salt == bytes.fromhex("ab" * 32)  # the old salt: old hashes still match
        assert store.last_entry(reader) is None
        store.remember_entry(reader, EntryRef("pti-exodus", "summary"))
        store.choose_article(reader, "pti-exodus")
        assert store.last_entry(reader) == EntryRef("pti-exodus", "summary")
        assert store.chosen_article(reader) == "pti-exodus"
    finally:
        store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 5
    assert [(q.question, q.pack) for q in read_questions(conn)] == [("an old one", "pti-exodus")]
