"""Two `faqbot run telegram` webhook instances on one PostgreSQL, fed the same update stream by
a sender that redelivers on failure and sometimes delivers twice; one instance is SIGKILLed
mid-stream. Every update gets exactly one reply and one journal row."""

from __future__ import annotations

import asyncio
import shutil
import signal
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from bot_api import BotApi
from instances import TOKEN, Sender, private_message, start_instance
from pack_paths import SHIPPED_PACK

pytestmark = pytest.mark.postgres

QUESTIONS = (
    "crackdown",
    "why did leaders quit",
    "who is Imran Khan",
    "what does Benazir Shah say",
    "what is the article about",
    "what is Imran Khan's net worth?",
)
UPDATES = 36
FROZEN = 11  # delivered to the first instance only; it is killed while replying to it


@pytest.fixture
async def api() -> AsyncIterator[BotApi]:
    fake = BotApi(TOKEN)
    await fake.start()
    yield fake
    await fake.close()


def _in_transaction(url: str, pid: int) -> int:
    """How many claims an instance holds: its connections idle inside a transaction."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
            "AND state = 'idle in transaction'",
            (f"faqbot {pid}",),
        ).fetchone()
    return int(row[0]) if row else 0


def _journal_rows(url: str) -> list[tuple[str, str]]:
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT user_hash, question FROM questions").fetchall()
    return [(str(h), str(q)) for h, q in rows]


async def test_two_instances_answer_each_update_exactly_once_across_a_sigkill(
    api: BotApi, postgres_url: str, tmp_path: Path
) -> None:
    a = await start_instance("a", api_url=api.base_url("a"), db=postgres_url, log_dir=tmp_path)
    b = await start_instance("b", api_url=api.base_url("b"), db=postgres_url, log_dir=tmp_path)
    instances = [a, b]
    updates = [private_message(i, QUESTIONS[i % len(QUESTIONS)]) for i in range(1, UPDATES + 1)]
    api.freeze_chat = updates[FROZEN - 1]["message"]["chat"]["id"]
    try:
        async with aiohttp.ClientSession() as http:
            sender = Sender(http, instances)
            limit = asyncio.Semaphore(4)

            async def one(i: int, update: dict[str, object]) -> list[str]:
                async with limit:
                    if i % 5 == 0:  # delivered to both at once
                        return list(
                            await asyncio.gather(
                                sender.deliver(update, 0), sender.deliver(update, 1)
                            )
                        )
                    return [await sender.deliver(update, 0 if i % 2 else 1)]

            async def killer() -> None:
                await asyncio.wait_for(api.froze.wait(), 60)
                # Kill while its replies are held, not in the instant between a reply leaving
                # and its claim committing (a kill there would give that update two replies).
                deadline = time.monotonic() + 30
                while _in_transaction(postgres_url, a.process.pid) != api.held["a"]:
                    assert time.monotonic() < deadline, "the instance never settled"
                    await asyncio.sleep(0.01)
                await asyncio.to_thread(a.kill)

            kill = asyncio.create_task(killer())
            taken = await asyncio.gather(*(one(i, u) for i, u in enumerate(updates, 1)))
            await asyncio.wait_for(kill, 60)
            # Redelivered duplicates after the kill: every update once more, to the survivor.
            for update in updates[::3]:
                assert await sender.deliver(update, 1) == "b"
    finally:
        for instance in instances:
            instance.stop()

    assert a.process.returncode == -signal.SIGKILL
    assert all(taken), taken
    replies = Counter((s.chat_id, s.reply_to) for s in api.sent if s.reply_to is not None)
    expected = {(u["message"]["chat"]["id"], u["message"]["message_id"]) for u in updates}
    assert set(replies) == expected
    assert all(n == 1 for n in replies.values()), replies
    frozen_chat = updates[FROZEN - 1]["message"]["chat"]["id"]
    assert [s.instance for s in api.sent if s.chat_id == frozen_chat] == ["b"]
    assert {s.instance for s in api.sent} == {"a", "b"}  # both did share the work
    rows = _journal_rows(postgres_url)
    assert len(rows) == UPDATES and len({h for h, _ in rows}) == UPDATES
    for instance in instances:
        assert TOKEN not in instance.output() and TOKEN.split(":")[1] not in instance.output()


def _changed_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(SHIPPED_PACK, pack)
    return pack


async def test_a_reload_on_one_instance_reloads_the_other(
    api: BotApi, postgres_url: str, tmp_path: Path
) -> None:
    pack = _changed_pack(tmp_path)
    a = await start_instance(
        "a", api_url=api.base_url("a"), db=postgres_url, log_dir=tmp_path, knowledge=pack
    )
    b = await start_instance(
        "b", api_url=api.base_url("b"), db=postgres_url, log_dir=tmp_path, knowledge=pack
    )
    question = "zebra crossing marmalade?"
    try:
        async with aiohttp.ClientSession() as http:
            sender = Sender(http, [a, b])
            assert await sender.deliver(private_message(1, question), 1) == "b"
            faq = pack / "faq.yaml"
            text = faq.read_text(encoding="utf-8")
            marker = '- "What is this article about?"\n'
            assert marker in text
            faq.write_text(text.replace(marker, marker + f"      - {question}\n", 1), "utf-8")
            a.process.send_signal(signal.SIGHUP)  # reload on a only
            deadline = time.monotonic() + 30
            while "knowledge reloaded: " not in b.output():
                assert time.monotonic() < deadline, b.output()
                await asyncio.sleep(0.05)
            assert await sender.deliver(private_message(2, question), 1) == "b"
    finally:
        a.stop()
        b.stop()
    before, after = (next(s.text for s in api.sent if s.reply_to == 100 + i) for i in (1, 2))
    assert "does not cover" in before
    assert "does not cover" not in after
