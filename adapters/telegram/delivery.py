"""The delivery policy for Bot API calls (docs/delivery.md): two lanes, bounded retries.

*Answer lane* (answerInlineQuery, answerCallbackQuery): never throttled and never paused behind
a 429 of some chat; one quick retry after a server error, because an answer that comes late is
dropped by Telegram ("query is too old") and answering twice is harmless.

*Send lane* (everything else): at most `OVERALL_RATE` calls per second that name a chat, at most
`GROUP_RATE` per minute into one group; a 429 pauses that chat for `retry_after` and the call is
retried until `RETRY_AFTER_ALLOWANCE` seconds have been waited in all; a server error (5xx) or a
failed connection is retried with exponential backoff for up to `SERVER_ERROR_ALLOWANCE` seconds.
Timeouts and 4xx are not retried: a timed-out request may already have been carried out.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any, NoReturn

from aiolimiter import AsyncLimiter
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)

Result = bool | dict[str, Any] | list[dict[str, Any]]
Callback = Callable[..., Coroutine[Any, Any, Result]]

ANSWER_METHODS = frozenset({"answerinlinequery", "answercallbackquery"})
UNTHROTTLED_METHODS = frozenset({"getme"})  # start-up retries it itself (app.py)
OVERALL_RATE = 30.0  # calls per second naming a chat
GROUP_RATE = 20.0  # calls per minute into one group
RETRY_AFTER_ALLOWANCE = 60.0  # seconds of 429 waiting, in all, before a send is given up
SERVER_ERROR_ALLOWANCE = 30.0  # seconds of 5xx backoff, in all, before a send is given up
FIRST_BACKOFF = 0.5
MAX_BACKOFF = 8.0
ANSWER_RETRY_DELAY = 0.2
RETRY_AFTER_MARGIN = 0.1
MAX_GROUP_LIMITERS = 1000


class DeliveryGaveUp(TelegramError):
    """A call was retried as long as the policy allows and still failed; already logged."""


def is_server_error(error: TelegramError) -> bool:
    """5xx or a failed connection: the request was not carried out, so retrying is safe enough.
    BadRequest and TimedOut are NetworkErrors in PTB too, but are neither."""
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest | TimedOut)


def retry_seconds(error: RetryAfter) -> float:
    """How long Telegram asked to wait, in seconds."""
    with warnings.catch_warnings():
        # PTB warns that `retry_after` will become a timedelta; both are handled.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        delay = error.retry_after
    return delay.total_seconds() if isinstance(delay, timedelta) else float(delay)


def chat_key(data: dict[str, Any]) -> int | str | None:
    """The chat a call writes to, as the flood limits count it (None: no chat)."""
    chat_id = data.get("chat_id")
    if chat_id is None:
        return None
    try:
        return int(chat_id)
    except (TypeError, ValueError):
        return str(chat_id)


class DeliveryLimiter(BaseRateLimiter[None]):
    """PTB's rate-limiter hook, applying the policy above to every call but getUpdates."""

    def __init__(
        self,
        *,
        overall_rate: float = OVERALL_RATE,
        retry_after_allowance: float = RETRY_AFTER_ALLOWANCE,
        server_error_allowance: float = SERVER_ERROR_ALLOWANCE,
    ) -> None:
        self.overall_rate = overall_rate
        """Calls per second naming a chat that this limiter lets through."""
        # A bucket of one: evenly spaced, never a burst above the rate after a quiet spell.
        self._overall = AsyncLimiter(1, 1 / overall_rate)
        self._groups: dict[int | str, AsyncLimiter] = {}
        self._paused_until: dict[int | str | None, float] = {}
        self._retry_after_allowance = retry_after_allowance
        self._server_error_allowance = server_error_allowance

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> Result:
        """Run one Bot API call in its lane, with that lane's retries."""
        method = endpoint.lower()
        if method in UNTHROTTLED_METHODS:
            return await callback(*args, **kwargs)
        if method in ANSWER_METHODS:
            return await self._answer(callback, args, kwargs, endpoint)
        return await self._send(callback, args, kwargs, endpoint, chat_key(data))

    async def _answer(
        self, callback: Callback, args: Any, kwargs: dict[str, Any], endpoint: str
    ) -> Result:
        try:
            return await callback(*args, **kwargs)
        except TelegramError as error:
            if not is_server_error(error):
                raise
            log.warning("Telegram: %s failed (%s), retrying once", endpoint, error)
        await asyncio.sleep(ANSWER_RETRY_DELAY)
        return await callback(*args, **kwargs)

    async def _send(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        chat: int | str | None,
    ) -> Result:
        waited_429 = backoff_total = 0.0
        backoff = FIRST_BACKOFF
        attempt = 0
        while True:
            attempt += 1
            await self._wait_turn(chat)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                pause = retry_seconds(error) + RETRY_AFTER_MARGIN
                if waited_429 + pause > self._retry_after_allowance:
                    self._give_up(endpoint, chat, attempt, f"429 after {waited_429:.0f} s", error)
                waited_429 += pause
                self._pause(chat, pause)
                log.info(
                    "Telegram: %s to chat %s: 429, waiting %.1f s (attempt %d)",
                    endpoint,
                    chat,
                    pause,
                    attempt,
                )
            except TelegramError as error:
                if not is_server_error(error):
                    raise
                if backoff_total + backoff > self._server_error_allowance:
                    self._give_up(
                        endpoint, chat, attempt, f"server errors for {backoff_total:.0f} s", error
                    )
                log.warning(
                    "Telegram: %s to chat %s failed (%s), retrying in %.1f s (attempt %d)",
                    endpoint,
                    chat,
                    error,
                    backoff,
                    attempt,
                )
                await asyncio.sleep(backoff)
                backoff_total += backoff
                backoff = min(backoff * 2, MAX_BACKOFF)

    def _give_up(
        self, endpoint: str, chat: int | str | None, attempts: int, why: str, error: TelegramError
    ) -> NoReturn:
        log.error(
            "Telegram: gave up %s to chat %s after %d attempts (%s): %s",
            endpoint,
            chat,
            attempts,
            why,
            error,
        )
        raise DeliveryGaveUp(f"{endpoint} to chat {chat}: {why}") from error

    def _pause(self, chat: int | str | None, seconds: float) -> None:
        until = time.monotonic() + seconds
        self._paused_until[chat] = max(self._paused_until.get(chat, 0.0), until)

    async def _wait_turn(self, chat: int | str | None) -> None:
        """Sleep out this chat's 429 pause, then take a slot of the overall and group limits."""
        while (until := self._paused_until.get(chat)) is not None:
            remaining = until - time.monotonic()
            if remaining <= 0:
                self._paused_until.pop(chat, None)
                break
            await asyncio.sleep(remaining)
        if chat is None:
            return
        if isinstance(chat, str) or chat < 0:
            await self._group(chat).acquire()
        await self._overall.acquire()

    def _group(self, chat: int | str) -> AsyncLimiter:
        group = self._groups.get(chat)
        if group is None:
            if len(self._groups) >= MAX_GROUP_LIMITERS:
                # Forget groups whose bucket has drained: they are back to a full allowance.
                idle = [k for k, v in self._groups.items() if v.has_capacity(GROUP_RATE)]
                for key in idle:
                    del self._groups[key]
            group = self._groups[chat] = AsyncLimiter(GROUP_RATE, 60)
        return group
