"""Starting and stopping: the Platform surface, rejected tokens, endpoints, token secrecy."""

from __future__ import annotations

import asyncio
import logging

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route
from discord_support import TOKEN, StartBot
from fake_discord import BOT_ID, MESSAGE_CONTENT, FakeDiscord
from platform_options import platform_options

from adapters.discord import PLATFORM
from adapters.discord.endpoints import overridden_endpoints
from adapters.discord.options import DiscordOptions
from bot.answering.core import Core
from bot.platforms import Platform, PlatformStartError


def test_platform_surface() -> None:
    platform: Platform[DiscordOptions] = PLATFORM
    assert (platform.name, platform.token_env) == ("discord", "DISCORD_BOT_TOKEN")
    options = platform_options(platform, ["--guild", "123", "--message-content"])
    assert options.guild == 123 and options.message_content is True
    assert platform_options(platform).guild is None


@pytest.fixture
def pointed_at(fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> FakeDiscord:
    monkeypatch.setenv("DISCORD_API_URL", fake.api_url)
    monkeypatch.setenv("DISCORD_GATEWAY_URL", fake.gateway_url)
    return fake


async def test_a_rejected_token_is_a_start_error_that_never_shows_it(
    pointed_at: FakeDiscord,
    core: Core,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    pointed_at.echo_token_on_401 = True  # the server even repeats the token back
    wrong = "FAKE.wrong-token.not-real"
    with pytest.raises(PlatformStartError) as raised:
        await PLATFORM.serve(
            core, token=wrong, options=platform_options(PLATFORM), stop=asyncio.Event()
        )
    assert "rejected the bot token" in str(raised.value)
    assert pointed_at.requests[0].status == 401
    captured = capsys.readouterr()
    for text in (str(raised.value), repr(raised.value), caplog.text, captured.out, captured.err):
        assert wrong not in text
    assert raised.value.__cause__ is None
    assert Route.BASE == "https://discord.com/api/v10"  # endpoints restored after the failure


async def test_the_token_never_reaches_the_logs(
    start_bot: StartBot, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    fake = await start_bot()
    await fake.send_message(f"<@{BOT_ID}> Why are leaders leaving the PTI?", mention_bot=True)
    await fake.wait_for(lambda: fake.messages)
    await fake.reconnect()  # RESUME carries the token too
    await fake.wait_for(lambda: "has successfully RESUMED" in caplog.text)
    assert "IDENTIFY" in caplog.text  # DEBUG really was captured
    captured = capsys.readouterr()
    assert TOKEN not in caplog.text + captured.out + captured.err
    assert all(TOKEN not in record.getMessage() for record in caplog.records)


async def test_serve_returns_when_stop_is_set_and_closes_the_gateway(
    pointed_at: FakeDiscord, core: Core
) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(
        PLATFORM.serve(core, token=TOKEN, options=platform_options(PLATFORM), stop=stop)
    )
    await pointed_at.wait_for(lambda: pointed_at.frames_with(2))
    stop.set()
    await asyncio.wait_for(task, timeout=5)
    await pointed_at.wait_for(lambda: pointed_at.gateway_closes == 1)
    assert Route.BASE == "https://discord.com/api/v10"
    assert str(DiscordWebSocket.DEFAULT_GATEWAY) == "wss://gateway.discord.gg/"


async def test_message_content_is_requested_only_with_the_option(start_bot: StartBot) -> None:
    fake = await start_bot(message_content=True)
    assert fake.frames_with(2)[0]["d"]["intents"] & MESSAGE_CONTENT


async def test_a_refused_privileged_intent_is_a_start_error(
    pointed_at: FakeDiscord, core: Core
) -> None:
    pointed_at.message_content_allowed = False
    options = platform_options(PLATFORM, message_content=True)
    with pytest.raises(PlatformStartError, match="Message Content"):
        await asyncio.wait_for(
            PLATFORM.serve(core, token=TOKEN, options=options, stop=asyncio.Event()), timeout=5
        )


async def test_an_unreachable_api_is_a_start_error(
    core: Core, monkeypatch: pytest.MonkeyPatch, unused_tcp_port: int
) -> None:
    monkeypatch.setenv("DISCORD_API_URL", f"http://127.0.0.1:{unused_tcp_port}/api/v10")
    with pytest.raises(PlatformStartError, match="cannot reach"):
        await PLATFORM.serve(
            core, token=TOKEN, options=platform_options(PLATFORM), stop=asyncio.Event()
        )


async def test_an_empty_token_is_a_start_error(core: Core) -> None:
    with pytest.raises(PlatformStartError, match="DISCORD_BOT_TOKEN"):
        await PLATFORM.serve(
            core, token="  ", options=platform_options(PLATFORM), stop=asyncio.Event()
        )


def test_endpoints_are_scoped_and_validated() -> None:
    env = {
        "DISCORD_API_URL": "http://127.0.0.1:9/api/v10/",
        "DISCORD_GATEWAY_URL": "ws://127.0.0.1:9/gw",
    }
    with overridden_endpoints(env["DISCORD_API_URL"], env["DISCORD_GATEWAY_URL"]):
        assert Route.BASE == "http://127.0.0.1:9/api/v10"
        assert Route("GET", "/users/@me").url == "http://127.0.0.1:9/api/v10/users/@me"
        assert str(DiscordWebSocket.DEFAULT_GATEWAY) == "ws://127.0.0.1:9/gw"
    assert Route.BASE == "https://discord.com/api/v10"
    with (
        pytest.raises(PlatformStartError, match="DISCORD_GATEWAY_URL"),
        overridden_endpoints(gateway="http://127.0.0.1:9/"),
    ):
        pass
    with (
        pytest.raises(PlatformStartError, match="DISCORD_API_URL"),
        overridden_endpoints(api="127.0.0.1:9"),
    ):
        pass
