"""Fixtures for the Telegram adapter tests: a recording journal, the real core over the shipped
pack, the fake Bot API server, and the real adapter serving against it."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

import pytest
from tg_fake_api import JSON, FakeBotApi

from adapters.telegram import PLATFORM
from bot.model import Answer, KnowledgePack, Origin
from bot.service import FaqService

TOKEN = "123456:TEST-TOKEN-not-real"
BOT_ADMIN = 9001


@dataclass
class RecordingJournal:
    """A bot.ports.Journal that keeps what it is told, for assertions."""

    answers: list[tuple[Answer, Origin]] = field(default_factory=list)
    votes: list[tuple[Origin, str, int]] = field(default_factory=list)

    def record_answer(self, answer: Answer, origin: Origin) -> None:
        """Keep the answer and where the question came from."""
        self.answers.append((answer, origin))

    def record_feedback(self, origin: Origin, entry_id: str, vote: int) -> None:
        """Keep the vote."""
        self.votes.append((origin, entry_id, vote))


@pytest.fixture
def journal() -> RecordingJournal:
    """A fresh recording journal."""
    return RecordingJournal()


@pytest.fixture
def service(pack: KnowledgePack, journal: RecordingJournal) -> FaqService:
    """The real core over the shipped pack (tests/conftest.py), journaling into `journal`."""
    return FaqService(pack, journal=journal, bot_admins=[f"telegram:{BOT_ADMIN}"])


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """A running fake Bot API server on 127.0.0.1."""
    fake = FakeBotApi(TOKEN)
    await fake.start()
    yield fake
    await fake.close()


def options(argv: Sequence[str] = ()) -> argparse.Namespace:
    """Parse `faqbot run telegram` options the way the CLI does."""
    parser = argparse.ArgumentParser()
    PLATFORM.add_arguments(parser)
    return parser.parse_args(list(argv))


@dataclass
class RunningBot:
    """The adapter serving against the fake server, with handles for the tests."""

    api: FakeBotApi
    journal: RecordingJournal
    service: FaqService

    @property
    def username(self) -> str:
        """The bot's @username (without the @)."""
        return str(self.api.bot["username"])

    async def reply_to(self, message: JSON, count: int = 1, timeout: float = 5.0) -> list[JSON]:
        """Wait for the bot's `count` messages replying to `message`; return them."""
        chat_id = message["chat"]["id"]

        def replies() -> list[JSON]:
            return [
                p
                for p in self.api.sent(chat_id)
                if (p.get("reply_parameters") or {}).get("message_id") == message["message_id"]
            ]

        await self.api.wait_for(lambda: len(replies()) >= count, timeout)
        return replies()


async def start_serving(
    service: FaqService, api: FakeBotApi, argv: Sequence[str] = (), token: str = TOKEN
) -> tuple[asyncio.Task[None], asyncio.Event]:
    """Start PLATFORM.serve as a task; wait until it polls (or fail with its exception)."""
    stop = asyncio.Event()
    task = asyncio.create_task(
        PLATFORM.serve(service, token=token, options=options(argv), stop=stop)
    )

    def started() -> bool:
        if task.done():
            task.result()
        return bool(api.called("getUpdates")) or api.webhook is not None

    await api.wait_for(started)
    return task, stop


async def serve_until_start_error(
    service: FaqService, *, token: str = TOKEN, argv: Sequence[str] = ()
) -> None:
    """Run PLATFORM.serve expecting it to fail while starting (the test wraps pytest.raises)."""
    await asyncio.wait_for(
        PLATFORM.serve(service, token=token, options=options(argv), stop=asyncio.Event()), 10
    )


@pytest.fixture
async def bot(
    api: FakeBotApi,
    service: FaqService,
    journal: RecordingJournal,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[RunningBot]:
    """The real adapter, long polling the fake server; stopped after the test."""
    monkeypatch.setenv("TELEGRAM_API_URL", api.base_url)
    task, stop = await start_serving(service, api)
    yield RunningBot(api, journal, service)
    stop.set()
    await asyncio.wait_for(task, 10)
