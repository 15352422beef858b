"""The webhook route in one process (SQLite store): Telegram's POST gets its 200 only once the
update was answered, a second delivery of the same update is not answered again, and a wrong
secret gets 403."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from bot_api import BotApi
from instances import SECRET, TOKEN, free_port, private_message
from platform_options import platform_options

from adapters.telegram import PLATFORM
from bot.bootstrap import build_core, shutdown


@pytest.fixture
async def api() -> AsyncIterator[BotApi]:
    fake = BotApi(TOKEN)
    await fake.start()
    yield fake
    await fake.close()


async def _accepts(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    await writer.wait_closed()
    return True


async def test_the_200_comes_after_the_reply_and_a_redelivery_is_not_answered(
    api: BotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_API_URL", api.base_url("one"))
    core = build_core(journal_path=tmp_path / "state.sqlite3")
    port = free_port()
    options = platform_options(
        PLATFORM,
        [
            "--webhook-url",
            "https://bot.example.org/tg/hook",
            "--port",
            str(port),
            "--secret-token",
            SECRET,
            "--no-setup",
        ],
    )
    stop = asyncio.Event()
    task = asyncio.create_task(PLATFORM.serve(core, token=TOKEN, options=options, stop=stop))
    url = f"http://127.0.0.1:{port}/tg/hook"
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    try:
        async with asyncio.timeout(20):
            while not await _accepts(port):
                assert not task.done(), task
                await asyncio.sleep(0.02)
        assert ("one", "setWebhook") not in api.calls  # --no-setup
        async with aiohttp.ClientSession() as http:
            update = private_message(1, "crackdown")
            async with http.post(url, json=update, headers=headers) as response:
                assert response.status == 200
                assert [s.reply_to for s in api.sent] == [101]  # answered before the 200
            async with http.post(url, json=update, headers=headers) as response:
                assert response.status == 200
            async with http.post(url, json=update, headers={}) as response:
                assert response.status == 403
            held = private_message(2, "crackdown")
            api.freeze_chat = held["message"]["chat"]["id"]
            with pytest.raises(TimeoutError):
                async with http.post(
                    url, json=held, headers=headers, timeout=aiohttp.ClientTimeout(total=1.5)
                ):
                    pass  # no 200 while the reply is not sent
        assert [s.reply_to for s in api.sent] == [101]
    finally:
        stop.set()
        await api.close()  # lets the held call go, so the instance can stop
        await asyncio.wait_for(task, 30)
        shutdown(core)


async def test_telegram_setup_sets_the_webhook_and_menus_once(api: BotApi, tmp_path: Path) -> None:
    import os

    from instances import faqbot_command

    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.base_url("setup")}
    argv = [
        *faqbot_command(),
        "telegram",
        "setup",
        "--webhook-url",
        "https://bot.example.org/tg/hook",
        "--secret-token",
        SECRET,
    ]
    process = await asyncio.create_subprocess_exec(
        *argv, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    assert "webhook set to https://bot.example.org/tg/hook" in out.decode()
    methods = [m for _, m in api.calls]
    assert methods.count("setWebhook") == 1 and methods.count("setMyCommands") == 2
    assert TOKEN not in out.decode() + err.decode()
    env.pop("TELEGRAM_WEBHOOK_SECRET", None)
    no_secret = await asyncio.create_subprocess_exec(
        *argv[:-2], env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    _, err = await asyncio.wait_for(no_secret.communicate(), 60)
    assert no_secret.returncode == 2 and b"every instance must check the same secret" in err
