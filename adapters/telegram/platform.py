"""The Telegram platform as the CLI sees it: its declared options, and serve()."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from adapters.telegram.app import build_application, run
from adapters.telegram.flood import share_flood_limit
from adapters.telegram.options import OPTIONS, TelegramOptions, api_url, webhook_options
from adapters.telegram.webhook import run_webhook
from bot.answering.core import Core
from bot.platforms import PlatformStartError
from bot.redaction import redact, redacted_logging

# httpx logs every request URL, token included, at INFO.
_NOISY_LOGGERS = ("httpx", "httpcore")


class TelegramPlatform:
    """Runs the bot on Telegram: long polling by default, a webhook with --webhook-url."""

    name = "telegram"
    token_env = "TELEGRAM_BOT_TOKEN"
    options = OPTIONS
    options_type = TelegramOptions

    def add_commands(self, commands: Any) -> None:
        """Add `faqbot telegram setup` (setWebhook and setMyCommands once)."""
        from adapters.telegram.setup import add_commands

        add_commands(commands)

    async def serve(
        self,
        core: Core,
        *,
        token: str,
        options: TelegramOptions,
        stop: asyncio.Event,
    ) -> None:
        """Run the bot until `stop` is set; PlatformStartError if it cannot start."""
        token = token.strip()
        if not token:
            raise PlatformStartError(f"{self.token_env} is empty")
        webhook = webhook_options(options)
        hidden = (token, webhook.secret_token if webhook else "")
        _quiet_http_loggers()
        try:
            with redacted_logging(hidden):
                application = build_application(core, token, api_url=api_url(options))
                share_flood_limit(
                    application, total=options.flood_limit, instances=options.instances
                )
                if webhook is None:
                    await run(
                        application, stop, webhook=None, startup_timeout=options.startup_timeout
                    )
                else:
                    await run_webhook(
                        application,
                        core,
                        stop,
                        webhook=webhook,
                        setup=not options.no_setup,
                        startup_timeout=options.startup_timeout,
                    )
        except PlatformStartError as exc:
            raise PlatformStartError(redact(str(exc), hidden)) from None


def _quiet_http_loggers() -> None:
    for name in _NOISY_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.WARNING)
