"""Point discord.py at a Discord-compatible server (a test fake or a self-hosted gateway)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.platforms import PlatformStartError

API_URL_ENV = "DISCORD_API_URL"
GATEWAY_URL_ENV = "DISCORD_GATEWAY_URL"


def _checked(value: str, env: str, schemes: tuple[str, ...]) -> yarl.URL:
    url = yarl.URL(value.strip())
    if url.scheme not in schemes or not url.host:
        raise PlatformStartError(f"{env} must be a {' or '.join(schemes)} URL with a host")
    return url


@contextmanager
def overridden_endpoints(api: str | None = None, gateway: str | None = None) -> Iterator[None]:
    """Inside the block, REST goes to `api` (DISCORD_API_URL: the base with the version, such as
    http://127.0.0.1:8080/api/v10) and the gateway is `gateway` (DISCORD_GATEWAY_URL), when
    they are given.

    discord.py keeps both as class attributes, so they are restored on exit; clients that run one
    after another may use different servers, clients running at the same time share them.
    """
    api, gateway = (api or "").strip(), (gateway or "").strip()
    api_url = str(_checked(api, API_URL_ENV, ("http", "https"))).rstrip("/") if api else None
    gateway_url = _checked(gateway, GATEWAY_URL_ENV, ("ws", "wss")) if gateway else None
    saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    try:
        if api_url is not None:
            Route.BASE = api_url
        if gateway_url is not None:
            DiscordWebSocket.DEFAULT_GATEWAY = gateway_url
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved
