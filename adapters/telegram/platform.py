"""The Telegram platform as the CLI sees it: its options, and serve()."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import secrets
from typing import Any
from urllib.parse import urlsplit

from adapters.telegram.app import STARTUP_TIMEOUT, Webhook, build_application, run
from adapters.telegram.flood import TOTAL_RATE, share_flood_limit
from adapters.telegram.webhook import run_webhook
from bot.answering.service import FaqService
from bot.platforms import PlatformStartError
from bot.redaction import redact, redacted_logging

API_URL_ENV = "TELEGRAM_API_URL"
SECRET_ENV = "TELEGRAM_WEBHOOK_SECRET"
INSTANCES_ENV = "FAQBOT_INSTANCES"
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
# httpx logs every request URL, token included, at INFO.
_NOISY_LOGGERS = ("httpx", "httpcore")


class TelegramPlatform:
    """Runs the bot on Telegram: long polling by default, a webhook with --webhook-url."""

    name = "telegram"
    token_env = "TELEGRAM_BOT_TOKEN"

    def add_commands(self, commands: Any) -> None:
        """Add `faqbot telegram setup` (setWebhook and setMyCommands once)."""
        from adapters.telegram.setup import add_commands

        add_commands(commands)

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Add --webhook-url, --listen, --port and --secret-token."""
        group = parser.add_argument_group("telegram")
        group.add_argument(
            "--startup-timeout",
            type=float,
            default=STARTUP_TIMEOUT,
            metavar="SECONDS",
            help="keep retrying an unreachable Bot API this long before giving up "
            f"({STARTUP_TIMEOUT:.0f})",
        )
        group.add_argument(
            "--webhook-url",
            metavar="URL",
            help="public https URL Telegram posts updates to (default: long polling)",
        )
        group.add_argument(
            "--listen", default="127.0.0.1", help="webhook: address to listen on (127.0.0.1)"
        )
        group.add_argument("--port", type=int, default=8443, help="webhook: port (8443)")
        group.add_argument(
            "--secret-token",
            metavar="SECRET",
            help=f"webhook: secret Telegram sends with each update (default: ${SECRET_ENV}, "
            "else a random one; every instance behind one URL needs the same)",
        )
        group.add_argument(
            "--instances",
            type=int,
            default=int(os.environ.get(INSTANCES_ENV) or 1),
            metavar="N",
            help=f"how many instances share the bot (default ${INSTANCES_ENV}, else 1): each "
            "sends at most its share of the flood limit",
        )
        group.add_argument(
            "--flood-limit",
            type=float,
            default=TOTAL_RATE,
            metavar="RATE",
            help=f"messages per second across all instances ({TOTAL_RATE:g}; 0: no limit, "
            "only for a self-hosted or fake Bot API)",
        )
        group.add_argument(
            "--no-setup",
            action="store_true",
            help="webhook: skip setWebhook and setMyCommands (done once by `faqbot telegram "
            "setup`)",
        )

    async def serve(
        self,
        service: FaqService,
        *,
        token: str,
        options: argparse.Namespace,
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
                application = build_application(service, token, api_url=api_url())
                share_flood_limit(
                    application,
                    total=float(getattr(options, "flood_limit", TOTAL_RATE)),
                    instances=int(getattr(options, "instances", 1)),
                )
                startup_timeout = float(getattr(options, "startup_timeout", STARTUP_TIMEOUT))
                if webhook is None:
                    await run(application, stop, webhook=None, startup_timeout=startup_timeout)
                else:
                    setup = not getattr(options, "no_setup", False)
                    await run_webhook(
                        application,
                        service,
                        stop,
                        webhook=webhook,
                        setup=setup,
                        startup_timeout=startup_timeout,
                    )
        except PlatformStartError as exc:
            raise PlatformStartError(redact(str(exc), hidden)) from None


def _quiet_http_loggers() -> None:
    for name in _NOISY_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.WARNING)


def api_url() -> str | None:
    """TELEGRAM_API_URL (a self-hosted Bot API server, or a test server), if set."""
    url = os.environ.get(API_URL_ENV, "").strip()
    if not url:
        return None
    if urlsplit(url).scheme not in ("http", "https"):
        raise PlatformStartError(f"{API_URL_ENV} must be an http(s) URL such as https://host/bot")
    return url


def webhook_options(options: argparse.Namespace) -> Webhook | None:
    """The webhook settings when --webhook-url is given, validated; None means long polling."""
    url = getattr(options, "webhook_url", None)
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PlatformStartError("--webhook-url must be a URL such as https://example.org/telegram")
    port = int(getattr(options, "port", 8443))
    if not 0 < port < 65536:
        raise PlatformStartError(f"--port {port} is not a TCP port")
    secret = getattr(options, "secret_token", None) or os.environ.get(SECRET_ENV)
    secret = secret or secrets.token_urlsafe(32)
    if not _SECRET_TOKEN.fullmatch(secret):
        raise PlatformStartError(
            "--secret-token may hold only A-Z, a-z, 0-9, _ and -, at most 256 characters"
        )
    return Webhook(
        url=url, listen=getattr(options, "listen", "127.0.0.1"), port=port, secret_token=secret
    )
