"""Helpers shared by the journal and curation tests: answers, a fake clock, a seeded journal."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from bot.journal.sqlite_journal import SqliteJournal
from bot.model import Answer, AnswerKind, Origin

NOW = float(int(time.time()))  # real time: the CLI's --since counts back from now
DAY = 86400.0


class Clock:
    """A settable Unix-time clock."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def answered(question: str, entry_id: str, score: float = 0.9) -> Answer:
    """An answer from entry_id."""
    return Answer(
        question=question,
        kind=AnswerKind.ANSWER,
        text="…",
        entry_id=entry_id,
        matched_question=f"canonical {entry_id}",
        score=score,
    )


def unanswered(question: str, score: float = 0.2, rule: str = "refused topic") -> Answer:
    """A not-covered reply, refused by `rule`."""
    return Answer(question=question, kind=AnswerKind.NOT_COVERED, text="…", score=score, rule=rule)


def greeting(question: str = "hi") -> Answer:
    """Small talk."""
    return Answer(question=question, kind=AnswerKind.GREETING, text="Hello!")


def origin(user: str | None = "u1", platform: str = "telegram", chat: str = "group") -> Origin:
    """A question's origin."""
    return Origin(platform=platform, chat_kind=chat, user_id=user, chat_id="c1")


def count(path: Path, table: str = "questions") -> int:
    """Rows in a table, read by a fresh connection (what another process would see)."""
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def seed(path: Path) -> None:
    """The journal the report and suggest tests read (see the expected numbers there)."""
    clock = Clock(NOW - 10 * DAY)
    journal = SqliteJournal(path, clock=clock, flush_interval=0.01)
    journal.record_answer(unanswered("An old question nobody asks now?"), origin("old"))
    clock.now = NOW - DAY
    for user in ("a", "b", "c"):
        journal.record_answer(
            answered("Why did leaders quit PTI?", "why-leaders-left"), origin(user)
        )
    journal.record_answer(answered("What is this article about?", "summary", 1.0), origin("a"))
    journal.record_answer(answered("article in short pls", "summary", 0.62), origin("d"))
    journal.record_answer(
        answered("Why did PTI politicians resign?", "why-leaders-left", 0.7), origin("h")
    )
    for text in ("What about Imran Khan's health?", "What about Imran Khan's health?"):
        journal.record_answer(unanswered(text), origin("e"))
    journal.record_answer(unanswered("what about imran khans health"), origin("f"))
    journal.record_answer(
        unanswered("Is the weather nice in Lahore?", rule="low score"), origin("g")
    )
    journal.record_answer(greeting("hi"), origin("a"))
    journal.record_answer(greeting("hello"), origin("b"))
    clock.now = NOW - DAY + 60
    journal.record_feedback(origin("a"), "why-leaders-left", -1)
    journal.record_feedback(origin("b"), "why-leaders-left", -1)
    journal.record_feedback(origin("c"), "why-leaders-left", 1)
    journal.record_feedback(origin("a"), "summary", 1)
    journal.close()
