"""Updates processed in two lanes, so inline queries and button presses never wait for a free
slot behind messages whose replies are held back by flood control."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

CHAT_LANE = 64  # messages handled at once; the rest wait their turn
ANSWER_LANE = 1024  # inline queries and button presses handled at once
# PTB's own bound sits in front of both lanes; it must never be what makes an update wait.
IN_FLIGHT = 100_000


def is_answer_update(update: object) -> bool:
    """Inline queries and button presses: Telegram wants their answer within seconds."""
    return isinstance(update, Update) and (
        update.inline_query is not None or update.callback_query is not None
    )


class LanedUpdateProcessor(BaseUpdateProcessor):
    """Runs answer updates in their own lane, beside (never behind) the chat lane."""

    def __init__(self, chat_lane: int = CHAT_LANE, answer_lane: int = ANSWER_LANE) -> None:
        super().__init__(max_concurrent_updates=IN_FLIGHT)
        self._chat = asyncio.Semaphore(chat_lane)
        self._answers = asyncio.Semaphore(answer_lane)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update's handlers once its lane has room."""
        lane = self._answers if is_answer_update(update) else self._chat
        async with lane:
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
