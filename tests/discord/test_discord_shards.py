"""Shards across processes: the shard a process runs is the one it IDENTIFYs as, only the process
holding shard 0 publishes the commands, and IDENTIFY turns are paced through the store."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from discord_support import TOKEN
from fake_discord import BOT_ID, FakeDiscord
from platform_options import platform_options

from adapters.discord import PLATFORM
from adapters.discord.shards import shard_options
from bot.answering.core import Core
from bot.platforms import PlatformStartError

Start = Callable[..., Awaitable[FakeDiscord]]


@pytest.fixture
async def start_sharded(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Start]:
    monkeypatch.setenv("DISCORD_API_URL", fake.api_url)
    monkeypatch.setenv("DISCORD_GATEWAY_URL", fake.gateway_url)
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []

    async def start(shard_ids: str, shard_count: int) -> FakeDiscord:
        options = platform_options(PLATFORM, shard_ids=shard_ids, shard_count=shard_count)
        task = asyncio.create_task(PLATFORM.serve(core, token=TOKEN, options=options, stop=stop))
        tasks.append(task)
        await fake.wait_for(lambda: fake.frames_with(2) or task.done())
        if task.done():
            task.result()
        return fake

    yield start
    stop.set()
    for task in tasks:
        await asyncio.wait_for(task, timeout=10)


async def test_a_process_without_shard_0_answers_but_never_syncs_commands(
    start_sharded: Start,
) -> None:
    bot = await start_sharded("1", 2)
    (identify,) = bot.frames_with(2)
    assert identify["d"]["shard"] == [1, 2]
    await bot.send_message(f"<@{BOT_ID}> Why are leaders leaving the PTI?", mention_bot=True)
    await bot.wait_for(lambda: bot.messages)
    assert bot.command_syncs == []


async def test_the_process_holding_shard_0_syncs_the_commands(start_sharded: Start) -> None:
    bot = await start_sharded("0", 2)
    (identify,) = bot.frames_with(2)
    assert identify["d"]["shard"] == [0, 2]
    await bot.wait_for(lambda: bot.command_syncs)
    assert len(bot.command_syncs) == 1


@pytest.mark.parametrize(
    ("ids", "count", "problem"),
    [("0,1", None, "--shard-count"), ("4", 4, "between 0 and 3"), ("a", 2, "numbers")],
)
def test_shard_options_that_do_not_fit_are_start_errors(
    ids: str, count: int | None, problem: str
) -> None:

    with pytest.raises(PlatformStartError, match=problem):
        shard_options(ids, count, 1)
    assert shard_options("1,0", 4).ids == (0, 1)


@pytest.mark.postgres
def test_identify_turns_are_paced_across_instances(postgres_url: str) -> None:
    import threading

    from bot.journal.postgres import PostgresStore

    first, second = PostgresStore(postgres_url), PostgresStore(postgres_url)
    try:
        started: list[float] = []
        first.pace("discord-identify:0", 2.0)
        started.append(time.monotonic())
        waiter = threading.Thread(
            target=lambda: (
                second.pace("discord-identify:0", 2.0),
                started.append(time.monotonic()),
            )
        )
        waiter.start()
        second.pace("discord-identify:1", 2.0)  # another bucket does not wait
        assert len(started) == 1
        waiter.join(10)
        assert len(started) == 2 and started[1] - started[0] >= 1.9
    finally:
        first.close()
        second.close()
