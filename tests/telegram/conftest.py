"""Fixtures for the Telegram adapter tests: a recording journal, the real core over the shipped
pack, the fake Bot API server, and the real adapter serving against it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from recording import RecordingJournal
from tg_fake_api import FakeBotApi
from tg_support import BOT_ADMIN, TOKEN, RunningBot, start_serving

from bot.answering.chat_policy import ChatPolicy
from bot.answering.core import Core
from bot.answering.library import Library
from bot.knowledge.source import FolderPackSource
from bot.model import KnowledgePack


@pytest.fixture
def journal() -> RecordingJournal:
    """A fresh recording journal."""
    return RecordingJournal()


@pytest.fixture
def core(pack: KnowledgePack, journal: RecordingJournal) -> Core:
    """The real core over the shipped pack (tests/conftest.py), journaling into `journal` and
    reloading the pack from its folder; BOT_ADMIN is a bot admin."""
    return Core(
        Library([pack], journal=journal, source=FolderPackSource(pack.path)),
        policy=ChatPolicy(bot_admins=[f"telegram:{BOT_ADMIN}"]),
    )


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """A running fake Bot API server on 127.0.0.1."""
    fake = FakeBotApi(TOKEN)
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def bot(
    api: FakeBotApi,
    core: Core,
    journal: RecordingJournal,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[RunningBot]:
    """The real adapter, long polling the fake server; stopped after the test."""
    monkeypatch.setenv("TELEGRAM_API_URL", api.base_url)
    task, stop = await start_serving(core, api)
    yield RunningBot(api, journal, core)
    stop.set()
    await asyncio.wait_for(task, 10)
