"""The Discord adapter: slash commands, mentions, DMs and persistent buttons over discord.py.

`PLATFORM` is what the `faqbot.platforms` entry point names; the CLI calls its `serve`.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import discord

from adapters.discord.client import FaqClient, make_client
from adapters.discord.endpoints import overridden_endpoints
from adapters.discord.options import OPTIONS, DiscordOptions
from bot.answering.core import Core
from bot.platforms import Platform, PlatformStartError
from bot.redaction import redacted_logging

__all__ = ["PLATFORM", "DiscordPlatform"]

log = logging.getLogger(__name__)

AUTH_FAILED = 4004  # gateway close code for a rejected token
REJECTED = (
    "Discord rejected the bot token; copy a fresh one from the Developer Portal (Bot → Reset Token)"
)


class DiscordPlatform:
    """faqbot's Discord platform (see bot.platforms.Platform)."""

    name = "discord"
    token_env = "DISCORD_BOT_TOKEN"
    options = OPTIONS
    options_type = DiscordOptions

    async def serve(
        self,
        core: Core,
        *,
        token: str,
        options: DiscordOptions,
        stop: asyncio.Event,
    ) -> None:
        """Log in, publish the commands and answer until `stop` is set; then close the client.

        Raises PlatformStartError, never showing the token, if Discord cannot be used.
        """
        if not token.strip():
            raise PlatformStartError(f"{self.token_env} is empty")
        shards = options.shards()
        endpoints = overridden_endpoints(options.api_url, options.gateway_url)
        with redacted_logging([token]) as token_filter, endpoints:
            client = make_client(
                core,
                guild_id=options.guild,
                message_content=options.message_content,
                shards=shards,
            )
            try:
                await _start(client, token)
                await _run_until(client, stop)
            except PlatformStartError as exc:
                raise PlatformStartError(token_filter.scrub(str(exc))) from None
            finally:
                await client.close()


async def _start(client: FaqClient, token: str) -> None:
    """Log in and run setup_hook (command sync); translate failures for the operator."""
    try:
        await client.login(token)
    except discord.LoginFailure:
        raise PlatformStartError(REJECTED) from None
    except discord.HTTPException as exc:
        detail = f"HTTP {exc.status}, code {exc.code}: {exc.text}"
        raise PlatformStartError(f"Discord refused the start-up requests ({detail})") from None
    except (aiohttp.ClientError, OSError) as exc:
        raise PlatformStartError(f"cannot reach the Discord API ({type(exc).__name__})") from None


async def _run_until(client: FaqClient, stop: asyncio.Event) -> None:
    """Stay connected (discord.py resumes after drops) until `stop` is set."""
    connection = asyncio.create_task(client.connect(), name="discord-gateway")
    stopping = asyncio.create_task(stop.wait(), name="discord-stop")
    try:
        await asyncio.wait({connection, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if not connection.done():
        await client.close()
        connection.cancel()  # it may be sleeping before a reconnect attempt
        await asyncio.gather(connection, return_exceptions=True)
        return
    error = connection.exception()
    if isinstance(error, discord.PrivilegedIntentsRequired):
        raise PlatformStartError(
            "Discord refused the Message Content intent: enable it for the bot in the Developer "
            "Portal (Bot → Privileged Gateway Intents) or run without --message-content"
        ) from None
    if isinstance(error, discord.ConnectionClosed) and error.code == AUTH_FAILED:
        raise PlatformStartError(REJECTED) from None
    if error is not None:
        raise error
    log.info("Discord gateway connection ended")


PLATFORM: Platform[DiscordOptions] = DiscordPlatform()
