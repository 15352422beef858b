"""Telegram webhooks that lose nothing: an aiohttp route that answers Telegram's POST only after
the update was handled.

PTB's own webhook server puts each update on a queue and answers 200 at once, so an instance
that dies with updates queued loses them. Here the route claims the update in the store
(bot.journal.claims: a duplicate, or one another instance is handling, is skipped), runs
`Application.process_update` to the end, commits the claim and only then answers 200. A crash
before that leaves Telegram (or the load balancer) without a 200, and it redelivers.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging

from aiohttp import web
from telegram import Update
from telegram.error import TelegramError

from adapters.telegram.app import (
    ALLOWED_UPDATES,
    STARTUP_TIMEOUT,
    TelegramApp,
    Webhook,
    initialize_with_retry,
    register_commands,
)
from bot.answering.core import Core
from bot.journal.claims import exactly_once
from bot.platforms import PlatformStartError

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
CLAIM_SCOPE = "telegram"
MAX_BODY = 1 << 20


def webhook_routes(application: TelegramApp, core: Core, webhook: Webhook) -> web.Application:
    """The aiohttp application serving POST /<path of the webhook URL>."""
    app = web.Application(client_max_size=MAX_BODY)
    secret = webhook.secret_token.encode()

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, secret):
            return web.Response(status=403)
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, application.bot)
        except (ValueError, TypeError, KeyError):
            return web.Response(status=400, text="not a Telegram update")
        if update is None:
            return web.Response(status=400, text="not a Telegram update")
        async with exactly_once(core.claims, CLAIM_SCOPE, str(update.update_id)) as mine:
            if mine:
                await application.process_update(update)
        return web.Response(status=200)

    app.router.add_post("/" + webhook.path, receive)
    return app


async def run_webhook(
    application: TelegramApp,
    core: Core,
    stop: asyncio.Event,
    *,
    webhook: Webhook,
    setup: bool = True,
    startup_timeout: float = STARTUP_TIMEOUT,
) -> None:
    """Connect (getMe), optionally setWebhook and setMyCommands, serve the route until `stop`.

    Raises PlatformStartError when the token is rejected, Telegram cannot be reached for
    `startup_timeout` seconds (retried with backoff until then) or the address cannot be
    listened on.
    """
    if not await initialize_with_retry(application, stop, startup_timeout):
        return
    runner: web.AppRunner | None = None
    try:
        if setup:
            await set_webhook(application, webhook)
            await register_commands(application)
        await application.start()
        runner = web.AppRunner(webhook_routes(application, core, webhook), access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, webhook.listen, webhook.port).start()
        except OSError as exc:
            raise PlatformStartError(
                f"Telegram: cannot listen on {webhook.listen}:{webhook.port}: {exc.strerror}"
            ) from None
        user = application.bot.bot
        log.info(
            "Telegram: running as @%s (webhook on %s:%d, answered after handling)",
            user.username,
            webhook.listen,
            webhook.port,
        )
        await stop.wait()
    finally:
        if runner is not None:
            await runner.cleanup()  # lets requests in flight finish
        if application.running:
            await application.stop()
        await application.shutdown()


async def set_webhook(application: TelegramApp, webhook: Webhook) -> None:
    """setWebhook with the URL, the secret and the update types the bot handles (idempotent)."""
    try:
        await application.bot.set_webhook(
            url=webhook.url, secret_token=webhook.secret_token, allowed_updates=ALLOWED_UPDATES
        )
    except TelegramError as exc:
        raise PlatformStartError(f"Telegram: setWebhook failed: {exc}") from None
