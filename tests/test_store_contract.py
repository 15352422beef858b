"""The Store contract, run over both stores: SQLite (a file) and PostgreSQL (a real server)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from store_helpers import Clock, execute, open_test_store, table_rows, wait_until

from bot.journal.claims import CLAIM_TTL
from bot.journal.records import pseudonym, user_hash
from bot.journal.store import Store
from bot.model import Answer, AnswerKind, ChatKey, ChatSettings, EntryRef, Origin
from bot.ports import FOLLOW_UP_WINDOW, Conversations, MemoryConversations

USER = Origin("telegram", "group", user_id="4242", chat_id="-100")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a store lives: a SQLite path, or a fresh PostgreSQL database's URL."""
    if request.param == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return str(tmp_path / "state.sqlite3")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def stores(target: str, clock: Clock) -> Iterator[tuple[Store, Store]]:
    """Two instances' stores on the same state."""
    first = open_test_store(target, clock)
    second = open_test_store(target, clock)
    yield first, second
    first.close()
    second.close()


def answer(question: str = "why did they leave?") -> Answer:
    return Answer(
        question=question,
        kind=AnswerKind.ANSWER,
        text="Because.",
        entry_id="why-leaders-left",
        matched_question="Why did leaders leave?",
        score=0.9,
        rule="answered",
        reasons=("answered",),
    )


def test_journal_and_votes_are_shared_and_pseudonymous(
    stores: tuple[Store, Store], clock: Clock
) -> None:
    first, second = stores
    first.record_answer(answer(), USER)
    second.record_feedback(USER, "why-leaders-left", 1)
    second.record_feedback(USER, "why-leaders-left", 1)  # delivered twice: counts once
    assert second.flush()
    clock.now += 1
    first.record_feedback(USER, "why-leaders-left", -1)  # a later vote replaces it
    assert first.flush()
    questions = second.read_questions()
    assert [(q.question, q.entry_id, q.answered, q.rule) for q in questions] == [
        ("why did they leave?", "why-leaders-left", True, "answered")
    ]
    assert questions[0].user_hash == user_hash(first.salt, "telegram", "4242")
    votes = first.read_votes()
    assert [(v.entry_id, v.vote, v.user_hash) for v in votes] == [
        ("why-leaders-left", -1, questions[0].user_hash)
    ]
    assert first.salt == second.salt and len(first.salt) == 32


def test_settings_are_shared(stores: tuple[Store, Store]) -> None:
    first, second = stores
    assert second.get("telegram", "-100") == ChatSettings()
    first.put("telegram", "-100", ChatSettings(auto_answer=True, max_quotes=1))
    assert second.get("telegram", "-100") == ChatSettings(auto_answer=True, max_quotes=1)
    assert second.get("discord", "-100") == ChatSettings()


def test_the_cooldown_is_one_conditional_upsert(stores: tuple[Store, Store], clock: Clock) -> None:
    first, second = stores
    now = clock.now
    assert first.take("telegram", "-100", "e1", now=now, wait=600)
    assert not second.take("telegram", "-100", "e1", now=now + 599, wait=600)
    assert second.take("telegram", "-100", "e2", now=now + 1, wait=600)
    assert second.take("telegram", "-200", "e1", now=now + 1, wait=600)
    assert second.take("telegram", "-100", "e1", now=now + 600, wait=600)
    results: list[bool] = []
    threads = [
        threading.Thread(
            target=lambda s=store: results.append(
                s.take("telegram", "-300", "e1", now=now, wait=600)
            )
        )
        for store in (first, second) * 4
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]


def test_a_claimed_delivery_is_skipped_everywhere(stores: tuple[Store, Store]) -> None:
    first, second = stores
    claim = first.claim("telegram", "update:1")
    assert claim is not None
    claim.commit()
    assert first.claim("telegram", "update:1") is None
    assert second.claim("telegram", "update:1") is None
    other = second.claim("discord", "update:1")  # scopes are separate
    assert other is not None
    other.commit()


def test_a_released_claim_can_be_claimed_again(stores: tuple[Store, Store]) -> None:
    first, second = stores
    claim = first.claim("telegram", "update:2")
    assert claim is not None
    claim.release()
    again = second.claim("telegram", "update:2")
    assert again is not None
    again.commit()


def test_claims_expire_after_a_day(stores: tuple[Store, Store], clock: Clock) -> None:
    first, second = stores
    claim = first.claim("telegram", "update:3")
    assert claim is not None
    claim.commit()
    clock.now += CLAIM_TTL - 1
    assert second.claim("telegram", "update:3") is None
    clock.now += 2
    late = second.claim("telegram", "update:3")
    assert late is not None
    late.commit()


async def test_what_is_journaled_under_a_claim_is_written_with_its_commit(
    stores: tuple[Store, Store],
) -> None:
    from bot.journal.claims import exactly_once

    first, second = stores
    async with exactly_once(first, "telegram", "update:4") as mine:
        assert mine
        first.record_answer(answer("kept"), USER)
        first.record_feedback(USER, "why-leaders-left", 1)
        assert first.flush()
        assert second.read_questions() == []  # not before the claim commits
    with pytest.raises(RuntimeError):
        async with exactly_once(first, "telegram", "update:5") as mine:
            first.record_answer(answer("lost with its claim"), USER)
            raise RuntimeError("handling failed")
    async with exactly_once(second, "telegram", "update:4") as again:
        assert not again
    assert [q.question for q in second.read_questions()] == ["kept"]
    assert [v.vote for v in second.read_votes()] == [1]
    async with exactly_once(second, "telegram", "update:5") as retried:
        assert retried  # the failed one was released: a redelivery is handled


@pytest.mark.postgres
def test_reloads_reach_the_other_instances(postgres_url: str) -> None:
    first, second = open_test_store(postgres_url), open_test_store(postgres_url)
    heard: list[str] = []
    first.listen_reloads(lambda: heard.append("first"))
    second.listen_reloads(lambda: heard.append("second"))
    second.announce()
    wait_until(lambda: heard == ["first"], what="the first instance to hear the reload")
    first.announce()
    wait_until(lambda: sorted(heard) == ["first", "second"], what="the second to hear it")
    first.close()
    second.close()


def test_the_pack_that_answered_is_journaled_and_selects_questions(
    stores: tuple[Store, Store], clock: Clock
) -> None:
    first, second = stores
    first.record_answer(replace(answer("from the first article"), pack="pti-exodus"), USER)
    clock.now += 1
    second.record_answer(replace(answer("from the second article"), pack="harbour"), USER)
    clock.now += 1
    first.record_answer(answer("which article?"), USER)  # no single pack gave it
    assert first.flush() and second.flush()
    assert [(q.question, q.pack) for q in second.read_questions()] == [
        ("from the first article", "pti-exodus"),
        ("from the second article", "harbour"),
        ("which article?", None),
    ]
    assert [q.question for q in first.read_questions(pack="harbour")] == ["from the second article"]
    assert first.read_questions(clock.now - 1, pack="pti-exodus") == []
    assert first.read_questions(pack="no-such-pack") == []


# --- Conversations (what each reader was last answered, the article they picked) -------------

READER = ChatKey("telegram", "-100", "4242")
ENTRY = EntryRef("pti-exodus", "why-leaders-left")


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def conversations(
    request: pytest.FixtureRequest, tmp_path: Path, clock: Clock
) -> Iterator[tuple[Conversations, Conversations]]:
    """Two instances' conversations: both stores on one database, or one process's memory
    (the same object twice), which must behave alike."""
    if request.param == "memory":
        memory = MemoryConversations(clock=clock)
        yield memory, memory
        return
    if request.param == "postgres":
        target = str(request.getfixturevalue("postgres_url"))
    else:
        target = str(tmp_path / "state.sqlite3")
    first, second = open_test_store(target, clock), open_test_store(target, clock)
    yield first, second
    first.close()
    second.close()


def test_a_readers_last_entry_is_theirs_in_that_chat_until_a_refusal(
    conversations: tuple[Conversations, Conversations],
) -> None:
    first, second = conversations
    assert second.last_entry(READER) is None
    first.remember_entry(READER, ENTRY)
    assert second.last_entry(READER) == ENTRY
    assert second.last_entry(ChatKey("telegram", "-100", "4343")) is None  # another reader
    assert second.last_entry(ChatKey("telegram", "-200", "4242")) is None  # another chat
    assert second.last_entry(ChatKey("discord", "-100", "4242")) is None  # another platform
    second.remember_entry(READER, EntryRef("harbour", "why-leaders-left"))
    assert first.last_entry(READER) == EntryRef("harbour", "why-leaders-left")
    first.remember_entry(READER, None)  # a refusal: nothing to follow up
    assert second.last_entry(READER) is None


def test_a_last_entry_is_followed_up_within_the_window_only(
    conversations: tuple[Conversations, Conversations], clock: Clock
) -> None:
    first, second = conversations
    first.remember_entry(READER, ENTRY)
    clock.now += FOLLOW_UP_WINDOW - 1
    assert second.last_entry(READER) == ENTRY
    clock.now += 1
    assert second.last_entry(READER) is None
    second.remember_entry(READER, ENTRY)  # a new answer opens a new window
    clock.now += FOLLOW_UP_WINDOW - 1
    assert first.last_entry(READER) == ENTRY


def test_a_chosen_article_is_kept_until_changed(
    conversations: tuple[Conversations, Conversations], clock: Clock
) -> None:
    first, second = conversations
    assert second.chosen_article(READER) is None
    first.choose_article(READER, "harbour")
    first.remember_entry(READER, ENTRY)  # an answer leaves the article alone
    assert second.chosen_article(READER) == "harbour"
    second.choose_article(READER, "pti-exodus")  # and a choice leaves the answer alone
    assert first.last_entry(READER) == ENTRY
    clock.now += 30 * 86400
    assert first.chosen_article(READER) == "pti-exodus"
    assert first.chosen_article(ChatKey("telegram", "-100", "4343")) is None
    assert first.chosen_article(ChatKey("telegram", "-200", "4242")) is None
    first.choose_article(READER, None)
    assert second.chosen_article(READER) is None


def test_conversations_are_stored_under_pseudonyms_only(target: str, clock: Clock) -> None:
    store = open_test_store(target, clock)
    reader = ChatKey("telegram", "-1009876543", "77665544")
    try:
        store.remember_entry(reader, ENTRY)
        store.choose_article(reader, "harbour")
        key = store.salt
    finally:
        store.close()
    rows = table_rows(target, "conversations")
    assert rows == [
        {
            "platform": "telegram",
            "chat_hash": pseudonym(key, "chat", "telegram", "-1009876543"),
            "user_hash": user_hash(key, "telegram", "77665544"),  # as in questions and votes
            "entry_pack": "pti-exodus",
            "entry_id": "why-leaders-left",
            "entry_at": clock.now,
            "article": "harbour",
            "article_at": clock.now,
        }
    ]
    stored = " ".join(str(value) for value in rows[0].values())
    assert "9876543" not in stored and "77665544" not in stored


def test_conversations_outlive_a_restart(target: str, clock: Clock) -> None:
    before = open_test_store(target, clock)
    before.remember_entry(READER, ENTRY)
    before.choose_article(READER, "harbour")
    before.close()
    after = open_test_store(target, clock)
    try:
        assert after.last_entry(READER) == ENTRY
        assert after.chosen_article(READER) == "harbour"
    finally:
        after.close()


def test_retention_deletes_the_conversations_of_readers_quiet_since(
    target: str, clock: Clock
) -> None:
    quiet, active = ChatKey("telegram", "-100", "1"), ChatKey("telegram", "-100", "2")
    store = open_test_store(target, clock)
    store.choose_article(quiet, "harbour")
    store.choose_article(active, "harbour")
    clock.now += 2 * 86400
    store.remember_entry(active, ENTRY)  # the article was chosen long ago, but they talk
    store.close()
    kept = open_test_store(target, clock, retention=timedelta(days=1))
    try:
        assert kept.flush()  # retention runs when the writer starts, before this
        assert kept.chosen_article(quiet) is None
        assert kept.chosen_article(active) == "harbour"
        assert len(table_rows(target, "conversations")) == 1
    finally:
        kept.close()


def test_faqbot_purge_deletes_quiet_readers_conversations(
    target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli.main import main

    clock = Clock(time.time() - 3 * 86400)  # the command purges against the real time
    store = open_test_store(target, clock)
    store.choose_article(ChatKey("telegram", "-100", "1"), "harbour")
    clock.now += 3 * 86400
    store.remember_entry(READER, ENTRY)
    key = store.salt
    store.close()
    assert main(["purge", "--older-than", "1d", "--db", target]) == 0
    assert "0 vote(s) and 1 conversation(s)" in capsys.readouterr().out
    assert [row["user_hash"] for row in table_rows(target, "conversations")] == [
        user_hash(key, "telegram", "4242")
    ]


async def test_a_failing_store_remembers_nothing_and_spoils_no_update(
    stores: tuple[Store, Store], target: str, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.journal.claims import exactly_once

    first, second = stores
    first.remember_entry(READER, ENTRY)
    execute(target, "DROP TABLE conversations")
    async with exactly_once(first, "telegram", "update:30") as mine:
        assert mine
        assert first.last_entry(READER) is None
        assert first.chosen_article(READER) is None
        first.remember_entry(READER, ENTRY)  # logged, not raised
        first.choose_article(READER, "harbour")
        first.record_answer(answer("still journaled"), USER)
        first.put("telegram", "-100", ChatSettings(max_quotes=1))
    assert "could not remember a conversation" in caplog.text
    assert "nothing remembered" in caplog.text
    assert [q.question for q in second.read_questions()] == ["still journaled"]
    assert second.get("telegram", "-100") == ChatSettings(max_quotes=1)
