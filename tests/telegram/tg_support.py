"""Shared by the Telegram tests: the fake token, a running-bot handle and start helpers."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from platform_options import platform_options
from recording import RecordingJournal
from tg_fake_api import JSON, FakeBotApi

from adapters.telegram import PLATFORM, platform
from adapters.telegram.app import TelegramApp
from adapters.telegram.options import TelegramOptions
from bot.answering.core import Core

TOKEN = "123456:TEST-TOKEN-not-real"
BOT_ADMIN = 9001


def options(argv: Sequence[str] = ()) -> TelegramOptions:
    """`faqbot run telegram` options the way the CLI builds them (flags, then environment)."""
    return platform_options(PLATFORM, argv)


@dataclass
class RunningBot:
    """The adapter serving against the fake server, with handles for the tests."""

    api: FakeBotApi
    journal: RecordingJournal
    core: Core

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
    core: Core, api: FakeBotApi, argv: Sequence[str] = (), token: str = TOKEN
) -> tuple[asyncio.Task[None], asyncio.Event]:
    """Start PLATFORM.serve as a task; wait until it polls (or fail with its exception). The
    Application it builds is recorded in `api.applications` (for api.settle)."""
    stop = asyncio.Event()
    build = platform.build_application

    def recorded(*args: Any, **kwargs: Any) -> TelegramApp:
        application = build(*args, **kwargs)
        api.applications.append(application)
        return application

    platform.build_application = recorded  # type: ignore[assignment]
    try:
        task = asyncio.create_task(
            PLATFORM.serve(core, token=token, options=options(argv), stop=stop)
        )

        def started() -> bool:
            if task.done():
                task.result()
            return bool(api.called("getUpdates")) or api.webhook is not None

        await api.wait_for(started)
    finally:
        platform.build_application = build  # type: ignore[assignment]
    return task, stop


async def serve_until_start_error(
    core: Core, *, token: str = TOKEN, argv: Sequence[str] = ()
) -> None:
    """Run PLATFORM.serve expecting it to fail while starting (the test wraps pytest.raises)."""
    await asyncio.wait_for(
        PLATFORM.serve(core, token=token, options=options(argv), stop=asyncio.Event()), 10
    )
