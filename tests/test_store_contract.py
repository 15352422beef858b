"""The Store contract, run over both stores: SQLite (a file) and PostgreSQL (a real server)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from store_helpers import Clock, open_test_store, wait_until

from bot.journal.claims import CLAIM_TTL
from bot.journal.records import user_hash
from bot.journal.store import Store
from bot.model import Answer, AnswerKind, ChatSettings, Origin

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
