"""Two `faqbot run discord` processes, one shard each, on one PostgreSQL, against the sharded
fake gateway: each guild is answered by its shard only, once (also when its message reaches
the other shard too), only shard 0's process syncs the commands, and the two IDENTIFYs are
paced 5 seconds apart across the processes."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from discord_support import TOKEN
from sharded_fake import ShardedFake

pytestmark = pytest.mark.postgres

QUESTION = "Why are leaders leaving the PTI?"


@pytest.fixture
async def sharded() -> AsyncIterator[ShardedFake]:
    server = ShardedFake(TOKEN, shard_count=2)
    await server.start()
    yield server
    await server.close()


def _start(shard: int, fake: ShardedFake, db: str, log: Path) -> subprocess.Popen[bytes]:
    script = Path(sys.executable).parent / "faqbot"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli.main"]
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env |= {
        "DISCORD_BOT_TOKEN": TOKEN,
        "DISCORD_API_URL": fake.api_url,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "FAQBOT_DB": db,
        "PYTHONUNBUFFERED": "1",
    }
    argv = [*command, "run", "discord", "--shard-ids", str(shard), "--shard-count", "2"]
    with log.open("wb") as out:
        return subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)


async def _until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


async def test_two_shard_processes_answer_each_guild_once(
    sharded: ShardedFake, postgres_url: str, tmp_path: Path
) -> None:
    processes = [_start(s, sharded, postgres_url, tmp_path / f"shard{s}.log") for s in (0, 1)]
    try:
        await _until(lambda: sharded.connected() == {0, 1}, 60, "both shards to connect")
        await _until(lambda: len(sharded.identified) == 2, 30, "both to identify")
        sent = {}
        for shard in (0, 1):
            message = sharded.guild_message(shard, f"<@{_bot_id()}> {QUESTION}")
            sent[shard] = message
            await sharded.dispatch_on(shard, "MESSAGE_CREATE", message)
        # The same message also reaches the other shard's process (a replay, a misroute).
        await sharded.dispatch_on(1, "MESSAGE_CREATE", sent[0])
        await sharded.dispatch_on(0, "MESSAGE_CREATE", sent[1])
        await _until(
            lambda: (
                {int(m["channel_id"]) for m in sharded.messages}
                >= {sharded.channel_id(0), sharded.channel_id(1)}
            ),
            30,
            "a reply in each guild",
        )
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)
    logs = [(tmp_path / f"shard{s}.log").read_text(errors="replace") for s in (0, 1)]
    replied = Counter(_replied(m) for m in sharded.messages)
    assert replied == Counter({int(sent[0]["id"]): 1, int(sent[1]["id"]): 1}), logs
    for shard in (0, 1):
        [reply] = [m for m in sharded.messages if _replied(m) == int(sent[shard]["id"])]
        assert int(reply["channel_id"]) == sharded.channel_id(shard)
    assert len(sharded.command_syncs) == 1, logs
    (first, at_first), (second, at_second) = sorted(sharded.identified, key=lambda i: i[1])
    assert {first, second} == {0, 1}
    assert at_second - at_first >= 4.9  # one IDENTIFY per 5 s, across the two processes
    assert all(TOKEN not in log for log in logs)


def _replied(message: dict[str, object]) -> int:
    request = message["request"]
    assert isinstance(request, dict)
    return int(request["message_reference"]["message_id"])


def _bot_id() -> int:
    from fake_discord import BOT_ID

    return BOT_ID
