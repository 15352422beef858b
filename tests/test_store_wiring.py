"""How the store is chosen and wired: --db/FAQBOT_DB picks SQLite or PostgreSQL; the services of
several instances share cooldowns, claims and reloads through it."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import pytest
from store_helpers import closed_port, wait_until

from bot.answering.core import Core
from bot.answering.library import Library
from bot.bootstrap import build_core, journal_of, shutdown
from bot.journal.sqlite_store import SqliteStore
from bot.journal.store import db_target, is_postgres, safe_location
from bot.knowledge.source import FolderPackSource
from bot.model import ChatKey, ChatSettings, Origin
from bot.settings import Settings

GROUP = Origin("telegram", "group", user_id="7", chat_id="-100")
QUESTION = "why are so many leaders quitting PTI?"


def test_a_url_means_postgresql_and_anything_else_a_sqlite_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert is_postgres("postgresql://bot@db.internal:5432/faqbot")
    assert is_postgres("postgres://bot@db/faqbot")
    assert not is_postgres(str(tmp_path / "faqbot.sqlite3"))
    url = "postgresql://bot@127.0.0.1/faqbot"
    assert Settings.build(None, {"FAQBOT_DB": url}).db == url
    assert db_target(url, state_home=tmp_path) == url
    assert db_target(tmp_path / "x.sqlite3", state_home=tmp_path) == str(tmp_path / "x.sqlite3")
    assert safe_location("postgresql://bot:hunter2@db:5432/x") == "postgresql://bot:***@db:5432/x"


def test_an_unreachable_database_disables_the_journal_but_not_the_bot(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql://bot:hunter2@127.0.0.1:{closed_port()}/faqbot?connect_timeout=2"
    with caplog.at_level(logging.ERROR):
        service = build_core(journal_path=url)
    assert journal_of(service) is None
    assert service.library.ask("crackdown").answered
    assert "journal disabled" in caplog.text and "hunter2" not in caplog.text


def test_instances_on_one_store_share_the_auto_answer_cooldown(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite3"
    first, second = build_core(journal_path=db), build_core(journal_path=db)
    try:
        first.policy.update("telegram", "-100", ChatSettings(auto_answer=True))
        assert second.policy.settings("telegram", "-100").auto_answer
        assert first.auto_answer(QUESTION, origin=GROUP) is not None
        assert second.auto_answer(QUESTION, origin=GROUP) is None  # the other answered it
        assert isinstance(journal_of(first), SqliteStore)
    finally:
        shutdown(first)
        shutdown(second)


def test_a_follow_up_and_a_chosen_article_reach_the_other_instance_and_a_restart(
    tmp_path: Path,
) -> None:
    db = tmp_path / "state.sqlite3"
    first, second = build_core(journal_path=db), build_core(journal_path=db)
    try:
        article = first.library.first
        entry = next(
            e
            for e in article.answers.pack.entries
            if e.quotes and first.library.ask(e.title).entry_id == e.id
        )
        assert first.ask(entry.title, origin=GROUP).entry_id == entry.id
        who = second.ask("who said that?", origin=GROUP)  # the next message, another instance
        assert who.answered and who.pack == article.slug
        speakers = {article.answers.pack.speakers[q.speaker_id].name for q in entry.quotes}
        assert {q.speaker for q in who.quotes} & speakers
        other = Origin("telegram", "group", user_id="8", chat_id="-100")
        assert not second.ask("who said that?", origin=other).answered  # not their answer
        assert second.choose_article(GROUP, article.slug, for_chat=False)
        assert first.conversations.chosen_article(ChatKey.of(GROUP)) == article.slug
    finally:
        shutdown(first)
        shutdown(second)
    restarted = build_core(journal_path=db)
    try:
        assert restarted.conversations.chosen_article(ChatKey.of(GROUP)) == article.slug
        assert restarted.ask("who said that?", origin=GROUP).answered
    finally:
        shutdown(restarted)


class Bus:
    def __init__(self) -> None:
        self.announced = 0

    def announce(self) -> None:
        self.announced += 1


def test_a_reload_is_announced_unless_it_answers_an_announcement(pack_copy: Path) -> None:
    bus = Bus()
    local = Core(Library.load(FolderPackSource(pack_copy)), reload_bus=bus)
    assert local.reload() == [] and bus.announced == 1
    assert local.reload(announce=False) == [] and bus.announced == 1
    (pack_copy / "faq.yaml").write_text("entries: [\n", encoding="utf-8")
    assert local.reload() and bus.announced == 1  # a refused pack is not announced


@pytest.mark.postgres
def test_services_on_postgresql_reload_together_and_journal_once(
    postgres_url: str, pack_copy: Path
) -> None:
    first = build_core(pack_copy, journal_path=postgres_url)
    second = build_core(pack_copy, journal_path=postgres_url)
    try:
        question = "zebra crossing marmalade?"
        assert not second.library.ask(question).answered
        faq = pack_copy / "faq.yaml"
        marker = '- "What is this article about?"\n'
        faq.write_text(
            faq.read_text("utf-8").replace(marker, marker + f"      - {question}\n", 1), "utf-8"
        )
        assert first.reload() == []
        wait_until(
            lambda: second.library.ask(question).answered, what="the other service to reload"
        )
        first.library.ask(question, origin=GROUP)
        store = journal_of(second)
        assert store is not None and journal_of(first) is not None
        assert journal_of(first).flush()  # type: ignore[union-attr]
        assert [q.question for q in store.read_questions()] == [question]
    finally:
        shutdown(first)
        shutdown(second)


@pytest.mark.postgres
def test_report_and_purge_read_a_postgresql_journal(
    postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from bot.cli.main import main

    service = build_core(journal_path=postgres_url)
    try:
        for question in ("crackdown", "what is Imran Khan's net worth?", "crackdown"):
            service.library.ask(question, origin=GROUP)
    finally:
        shutdown(service)
    assert main(["report", "--json", "--db", postgres_url]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["questions"] == 3 and report["answered"] == 2
    assert main(["purge", "--older-than", "0s", "--db", postgres_url]) == 0
    assert "Deleted 3 question(s)" in capsys.readouterr().out


def test_a_sqlite_claim_left_by_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    import sqlite3
    import subprocess
    import sys

    from bot.journal.sqlite_store import SqliteStore

    store = SqliteStore(tmp_path / "state.sqlite3")
    try:
        gone = subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"],
            capture_output=True,
            text=True,
            check=True,
        )
        with sqlite3.connect(tmp_path / "state.sqlite3") as conn:
            conn.execute(
                "INSERT INTO claims (scope, key, owner, claimed_at, done) VALUES (?, ?, ?, ?, 0)",
                ("telegram", "update:1", f"{gone.stdout.strip()}-dead", time.time()),
            )
            conn.execute(
                "INSERT INTO claims (scope, key, owner, claimed_at, done) VALUES (?, ?, ?, ?, 0)",
                ("telegram", "update:2", f"{os.getpid()}-alive", time.time()),
            )
        taken = store.claim("telegram", "update:1")
        assert taken is not None  # its holder died before handling it: handle it here
        taken.commit()
        assert store.claim("telegram", "update:2") is None  # a live process is handling it
    finally:
        store.close()


class BrokenClaims:
    def claim(self, scope: str, key: str) -> None:
        raise OSError("the database is unreachable")


async def test_an_unreachable_store_does_not_silence_the_bot(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from bot.journal.claims import exactly_once

    async with exactly_once(BrokenClaims(), "telegram", "update:3") as handle:  # type: ignore[arg-type]
        assert handle
    assert "handling it unclaimed" in caplog.text
