"""End to end: flood control, bursts, start-up failures, the token kept out of logs, webhooks."""

from __future__ import annotations

import asyncio
import logging
import socket

import aiohttp
import pytest
from tg_fake_api import FakeBotApi
from tg_html import plain
from tg_support import TOKEN, RunningBot, serve_until_start_error, start_serving

from bot.answering.core import Core
from bot.platforms import PlatformStartError

SECRET = TOKEN.partition(":")[2]


def free_port() -> int:
    """A TCP port nobody listens on (for a while)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def listening(port: int, timeout: float = 10.0) -> None:
    """Wait until something accepts connections on 127.0.0.1:port (PTB calls setWebhook before
    its webhook server is up)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            if loop.time() > deadline:
                raise
            await asyncio.sleep(0.02)
        else:
            writer.close()
            await writer.wait_closed()
            return


def chain(error: BaseException | None) -> list[BaseException]:
    """The exception and everything it was raised from or during."""
    found = []
    while error is not None and error not in found:
        found.append(error)
        error = error.__cause__ or error.__context__
    return found


# PTB's own RetryAfter constructor warns about a future type change of `retry_after`.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_retry_after_is_waited_out_and_the_answer_sent_once(bot: RunningBot) -> None:
    api = bot.api
    ann = api.user(101)
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    asked = api.post(api.private_chat(ann), ann, "How many leaders abandoned PTI?")
    await bot.reply_to(asked)
    attempts = [c for c in api.calls if c.method == "sendMessage"]
    assert [c.ok for c in attempts] == [False, True]
    assert len(attempts) == 2
    assert attempts[1].at - attempts[0].at >= 1.0
    await api.settle()
    assert len(api.bot_messages(ann["id"])) == 1


async def test_a_burst_of_fifty_private_chats_is_answered_once_each(bot: RunningBot) -> None:
    api = bot.api
    users = [api.user(5000 + n, f"U{n}") for n in range(50)]
    for user in users:
        api.post(api.private_chat(user), user, "Why did so many leaders quit PTI?")
    await api.wait_for(lambda: len(api.sent()) >= 50, timeout=15)
    await api.settle()
    assert sorted(p["chat_id"] for p in api.sent()) == [u["id"] for u in users]
    assert len(bot.journal.answers) == 50


async def test_a_rejected_token_is_a_start_error_without_the_token(
    api: FakeBotApi, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_API_URL", api.base_url)
    wrong = "654321:WRONG-TOKEN-not-real"
    with pytest.raises(PlatformStartError, match="rejected the bot token") as caught:
        await serve_until_start_error(core, token=wrong)
    for error in chain(caught.value):
        assert "WRONG-TOKEN" not in str(error)
    assert [c.method for c in api.calls] == ["getMe"]


async def test_an_api_unreachable_for_the_whole_startup_timeout_is_a_start_error(
    core: Core, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("TELEGRAM_API_URL", f"http://127.0.0.1:{free_port()}/bot")
    with pytest.raises(PlatformStartError, match="cannot reach") as caught:
        await serve_until_start_error(core, argv=["--startup-timeout", "1"])
    for error in chain(caught.value):
        assert SECRET not in str(error)
    retries = [r for r in caplog.records if "retry in" in r.getMessage()]
    assert len(retries) >= 1


@pytest.mark.parametrize(
    "argv",
    [
        ["--webhook-url", "ftp://example.org/hook"],
        ["--webhook-url", "https://example.org/hook", "--secret-token", "no spaces"],
        ["--webhook-url", "https://example.org/hook", "--port", "70000"],
    ],
)
async def test_bad_webhook_options_are_start_errors(core: Core, argv: list[str]) -> None:
    with pytest.raises(PlatformStartError):
        await serve_until_start_error(core, argv=argv)


async def test_the_token_never_reaches_the_logs(
    api: FakeBotApi,
    core: Core,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("telegram", "httpx", "httpcore", "adapters"):
        caplog.set_level(logging.DEBUG, logger=name)
    monkeypatch.setenv("TELEGRAM_API_URL", api.base_url)
    task, stop = await start_serving(core, api)
    ann = api.user(101)
    api.fail_next("sendMessage", 400, f"Bad Request: something about bot{TOKEN}")
    api.post(api.private_chat(ann), ann, "How many leaders abandoned PTI?")
    api.inline_query(ann, "crackdown")
    await api.wait_for(lambda: bool(api.called("answerInlineQuery")))
    await api.wait_for(
        lambda: any("error while handling" in r.getMessage() for r in caplog.records)
    )
    stop.set()
    await asyncio.wait_for(task, 10)
    with pytest.raises(PlatformStartError):
        await serve_until_start_error(core, token="999:" + SECRET[::-1])

    assert "Set Bot API URL" in caplog.text
    captured = capsys.readouterr()
    for text in (caplog.text, captured.out, captured.err):
        assert SECRET not in text and SECRET[::-1] not in text
    for record in caplog.records:
        assert SECRET not in record.getMessage()


async def test_webhook_mode_checks_the_secret_and_answers(
    api: FakeBotApi, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_API_URL", api.base_url)
    port = free_port()
    argv = ["--webhook-url", "https://bot.example.org/tg/hook", "--port", str(port)]
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "s3cret-Token_1")
    task, stop = await start_serving(core, api, argv)
    try:
        assert api.webhook is not None
        assert api.webhook["url"] == "https://bot.example.org/tg/hook"
        assert api.webhook["secret_token"] == "s3cret-Token_1"
        assert set(api.webhook["allowed_updates"]) == {"message", "callback_query", "inline_query"}
        assert api.called("getUpdates") == []

        ann = api.user(101)
        chat = api.private_chat(ann)
        message = {"message_id": 1, "from": ann, "chat": chat, "date": 0, "text": "crackdown"}
        url = f"http://127.0.0.1:{port}/tg/hook"
        await listening(port)
        async with aiohttp.ClientSession() as http:
            wrong = {"X-Telegram-Bot-Api-Secret-Token": "nope"}
            async with http.post(
                url, json={"update_id": 1, "message": message}, headers=wrong
            ) as r:
                assert r.status == 403
            good = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"}
            edited = {"update_id": 2, "edited_message": message | {"edit_date": 1}}
            async with http.post(url, json=edited, headers=good) as r:
                assert r.status == 200
            async with http.post(url, json={"update_id": 3, "message": message}, headers=good) as r:
                assert r.status == 200
        await api.wait_for(lambda: len(api.sent()) >= 1)
        await api.settle()  # and nothing more: the edited message is not answered
        [reply] = api.sent()
        assert "crackdown" in plain(reply["text"]).lower()
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
