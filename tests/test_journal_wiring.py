"""bootstrap: the service journals to SQLite, shutdown commits, SIGHUP reloads the pack."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.bootstrap import build_core, install_reload_signal, journal_of, shutdown
from bot.model import ChatSettings, Origin

PACK = Path(__file__).resolve().parent.parent / "knowledge" / "pti-exodus"
WHO = Origin("telegram", "group", user_id="31337", chat_id="-1001")

needs_sighup = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="needs SIGHUP")


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    copy = tmp_path / "pack"
    shutil.copytree(PACK, copy)
    return copy


@pytest.fixture
def restore_sighup() -> Iterator[None]:
    if not hasattr(signal, "SIGHUP"):
        yield
        return
    previous = signal.getsignal(signal.SIGHUP)
    yield
    signal.signal(signal.SIGHUP, previous)


def questions_in(db: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT question, answered FROM questions ORDER BY id").fetchall()


def _break(pack: Path) -> None:
    (pack / "faq.yaml").write_text("entries: [", encoding="utf-8")


def _retitle(pack: Path) -> None:
    faq = pack / "faq.yaml"
    text = faq.read_text(encoding="utf-8")
    faq.write_text(
        text.replace('"What is this article about?"', '"What does this article cover?"', 1),
        encoding="utf-8",
    )


def _wait_for(condition: Callable[[], bool], seconds: float = 2.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_build_core_journals_and_shutdown_commits(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite3"
    service = build_core(PACK, journal_path=db)
    service.library.ask("Why are leaders leaving the PTI?", origin=WHO)
    service.library.ask("What is the capital of Peru?", origin=WHO)
    service.library.ask("not journalled: no origin")
    assert service.feedback(origin=WHO, entry_id="why-leaders-left", vote=-1)
    shutdown(service)
    shutdown(service)
    assert journal_of(service) is None
    assert questions_in(db) == [
        ("Why are leaders leaving the PTI?", 1),
        ("What is the capital of Peru?", 0),
    ]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT entry_id, vote FROM votes").fetchall() == [
            ("why-leaders-left", -1)
        ]


def test_chat_settings_persist_across_services(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite3"
    first = build_core(PACK, journal_path=db)
    first.policy.update("telegram", "-1001", ChatSettings(auto_answer=True, max_quotes=1))
    shutdown(first)
    second = build_core(PACK, journal_path=db)
    assert second.policy.settings("telegram", "-1001") == ChatSettings(
        auto_answer=True, max_quotes=1
    )
    shutdown(second)


def test_default_location_comes_from_faqbot_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "from-env" / "faqbot.sqlite3"
    monkeypatch.setenv("FAQBOT_DB", str(db))
    service = build_core()
    journal = journal_of(service)
    assert journal is not None and journal.path == db
    shutdown(service)
    assert db.exists()


def test_use_journal_false_touches_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "never.sqlite3"
    monkeypatch.setenv("FAQBOT_DB", str(db))
    service = build_core(PACK, use_journal=False)
    service.library.ask("Why are leaders leaving the PTI?", origin=WHO)
    assert journal_of(service) is None
    shutdown(service)
    assert not db.exists()


def test_an_unusable_database_does_not_stop_answering(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with caplog.at_level(logging.ERROR):
        service = build_core(PACK, journal_path=blocker / "faqbot.sqlite3")
    assert "journal disabled" in caplog.text
    assert journal_of(service) is None
    assert service.library.ask("Why are leaders leaving the PTI?", origin=WHO).answered


def test_reload_keeps_the_old_pack_when_the_new_one_is_broken(pack: Path) -> None:
    service = build_core(pack, use_journal=False)
    old = service.library.first.answers.pack
    _break(pack)
    problems = service.reload()
    assert problems
    assert service.library.first.answers.pack is old
    assert service.library.ask("Why are leaders leaving the PTI?").answered


@needs_sighup
@pytest.mark.usefixtures("restore_sighup")
def test_sighup_reloads_and_survives_a_broken_pack(
    pack: Path, caplog: pytest.LogCaptureFixture
) -> None:
    service = build_core(pack, use_journal=False)
    original = (pack / "faq.yaml").read_text(encoding="utf-8")
    assert install_reload_signal(service)
    old = service.library.first.answers.pack

    _break(pack)
    with caplog.at_level(logging.INFO, logger="bot.bootstrap"):
        os.kill(os.getpid(), signal.SIGHUP)
        _wait_for(lambda: "reload refused" in caplog.text)
    assert "reload refused" in caplog.text
    assert service.library.first.answers.pack is old

    (pack / "faq.yaml").write_text(original, encoding="utf-8")
    _retitle(pack)
    os.kill(os.getpid(), signal.SIGHUP)
    _wait_for(lambda: service.library.first.answers.pack is not old)
    entry = service.library.first.answers.pack.entry("summary")
    assert entry is not None and entry.title == "What does this article cover?"


@needs_sighup
async def test_sighup_reloads_inside_an_event_loop(pack: Path) -> None:
    service = build_core(pack, use_journal=False)
    old = service.library.first.answers.pack
    loop = asyncio.get_running_loop()
    assert install_reload_signal(service, loop)
    try:
        _retitle(pack)
        os.kill(os.getpid(), signal.SIGHUP)
        for _ in range(200):
            if service.library.first.answers.pack is not old:
                break
            await asyncio.sleep(0.01)
        assert service.library.first.answers.pack is not old
    finally:
        loop.remove_signal_handler(signal.SIGHUP)
