"""Fixtures for the Discord adapter: the loopback fake, a recording journal and a running bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from discord_support import TOKEN, RecordingJournal, StartBot
from fake_discord import USER_ID, FakeDiscord
from platform_options import platform_options

from adapters.discord import PLATFORM
from bot.answering.chat_policy import ChatPolicy
from bot.answering.core import Core
from bot.answering.library import Library
from bot.knowledge.source import FolderPackSource
from bot.model import KnowledgePack


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    """A fresh fake Discord on a random 127.0.0.1 port."""
    server = FakeDiscord(TOKEN)
    await server.start()
    yield server
    await server.close()


@pytest.fixture
def journal() -> RecordingJournal:
    """Where the bot's core records answers and votes."""
    return RecordingJournal()


@pytest.fixture
def core(pack: KnowledgePack, journal: RecordingJournal) -> Core:
    """The real core over the shipped pack, journaling into `journal` and reloading the pack
    from its folder; the fake's user is a bot admin."""
    return Core(
        Library([pack], journal=journal, source=FolderPackSource(pack.path)),
        policy=ChatPolicy(bot_admins=[f"discord:{USER_ID}"]),
    )


@pytest.fixture
async def start_bot(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[StartBot]:
    """Start PLATFORM.serve against the fake; returns once the bot has identified."""
    monkeypatch.setenv("DISCORD_API_URL", fake.api_url)
    monkeypatch.setenv("DISCORD_GATEWAY_URL", fake.gateway_url)
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []

    async def start(guild: int | None = None, message_content: bool = False) -> FakeDiscord:
        options = platform_options(PLATFORM, guild=guild, message_content=message_content)
        task = asyncio.create_task(PLATFORM.serve(core, token=TOKEN, options=options, stop=stop))
        tasks.append(task)
        await fake.wait_for(lambda: fake.frames_with(2) or task.done())
        if task.done():
            task.result()
        return fake

    yield start
    stop.set()
    for task in tasks:
        await asyncio.wait_for(task, timeout=5)


@pytest.fixture
async def bot(start_bot: StartBot) -> FakeDiscord:
    """The fake, with the bot connected to it."""
    return await start_bot()
