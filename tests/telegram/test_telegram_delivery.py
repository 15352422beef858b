"""The send lane's give-up rules (adapters/telegram/delivery.py), with allowances small enough to
reach in a test. End-to-end behaviour is in test_telegram_faults.py; here the "Bot API" is a
plain coroutine that fails as told, to show which failures are repeated and when it stops."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut

from adapters.telegram.delivery import DeliveryGaveUp, DeliveryLimiter

# PTB's own RetryAfter constructor warns about a future type change of `retry_after`.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


class Flaky:
    """Fails with the given errors in turn, then succeeds; counts its calls."""

    def __init__(self, *errors: TelegramError) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> dict[str, Any]:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return {"message_id": 1}


async def send(limiter: DeliveryLimiter, api: Flaky, endpoint: str = "sendMessage") -> Any:
    """One call to chat 5 through the limiter."""
    return await limiter.process_request(api, (), {}, endpoint, {"chat_id": 5}, None)


async def test_a_429_longer_than_the_allowance_is_given_up_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    api = Flaky(RetryAfter(1), RetryAfter(5))
    limiter = DeliveryLimiter(retry_after_allowance=3)
    with pytest.raises(DeliveryGaveUp):
        await send(limiter, api)
    assert api.calls == 2  # waited out the 1 s; 1.1 + 5.1 s would pass the 3 s allowance
    [gave_up] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "gave up sendMessage to chat 5 after 2 attempts (429 after 1 s)" in gave_up.getMessage()


async def test_server_errors_past_the_allowance_are_given_up() -> None:
    api = Flaky(NetworkError("Bad Gateway"), NetworkError("Bad Gateway"))
    limiter = DeliveryLimiter(server_error_allowance=1.0)
    with pytest.raises(DeliveryGaveUp):
        await send(limiter, api)
    assert api.calls == 2  # 0.5 s backoff fits the allowance, the next 1 s does not


@pytest.mark.parametrize("error", [TimedOut(), BadRequest("Bad Request: chat not found")])
async def test_timeouts_and_bad_requests_are_never_repeated(error: TelegramError) -> None:
    api = Flaky(error)
    with pytest.raises(type(error)):
        await send(DeliveryLimiter(), api)
    assert api.calls == 1


async def test_answers_are_retried_once_only() -> None:
    api = Flaky(NetworkError("Bad Gateway"), NetworkError("Bad Gateway"))
    with pytest.raises(NetworkError):
        await send(DeliveryLimiter(), api, "answerCallbackQuery")
    assert api.calls == 2
