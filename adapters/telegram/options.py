"""The Telegram platform's options, declared as data, and their validation.

`OPTIONS` is what the CLI turns into `faqbot run` flags (and `faqbot telegram setup` reuses);
bootstrap resolves them, flags over environment, into one `TelegramOptions`.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from adapters.telegram.app import STARTUP_TIMEOUT, Webhook
from adapters.telegram.flood import TOTAL_RATE
from bot.options import Option
from bot.platforms import PlatformStartError

API_URL_ENV = "TELEGRAM_API_URL"
SECRET_ENV = "TELEGRAM_WEBHOOK_SECRET"
INSTANCES_ENV = "FAQBOT_INSTANCES"
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")

OPTIONS: tuple[Option, ...] = (
    Option(
        "startup_timeout",
        float,
        STARTUP_TIMEOUT,
        "keep retrying an unreachable Bot API this long before giving up",
        metavar="SECONDS",
    ),
    Option(
        "webhook_url",
        str,
        None,
        "public https URL Telegram posts updates to (default: long polling)",
        metavar="URL",
    ),
    Option("listen", str, "127.0.0.1", "webhook: address to listen on", metavar="ADDRESS"),
    Option("port", int, 8443, "webhook: port", metavar="PORT"),
    Option(
        "secret_token",
        str,
        None,
        "webhook: secret Telegram sends with each update (else a random one; every instance "
        "behind one URL needs the same)",
        env=SECRET_ENV,
        metavar="SECRET",
        secret=True,
    ),
    Option(
        "instances",
        int,
        1,
        "how many instances share the bot: each sends at most its share of the flood limit",
        env=INSTANCES_ENV,
        metavar="N",
    ),
    Option(
        "flood_limit",
        float,
        TOTAL_RATE,
        "messages per second across all instances (0: no limit, only for a self-hosted or fake "
        "Bot API)",
        metavar="RATE",
    ),
    Option(
        "no_setup",
        bool,
        False,
        "webhook: skip setWebhook and setMyCommands (done once by `faqbot telegram setup`)",
    ),
    Option(
        "api_url",
        str,
        None,
        "Bot API base URL: a self-hosted Bot API server, or a test server",
        env=API_URL_ENV,
        flag=False,
    ),
)


@dataclass(frozen=True, slots=True)
class TelegramOptions:
    """`faqbot run telegram`'s options (see OPTIONS for their meaning and defaults)."""

    startup_timeout: float
    webhook_url: str | None
    listen: str
    port: int
    secret_token: str | None = field(repr=False)
    instances: int
    flood_limit: float
    no_setup: bool
    api_url: str | None


def api_url(options: TelegramOptions) -> str | None:
    """The Bot API base URL (TELEGRAM_API_URL), validated; None for Telegram's own."""
    url = (options.api_url or "").strip()
    if not url:
        return None
    if urlsplit(url).scheme not in ("http", "https"):
        raise PlatformStartError(f"{API_URL_ENV} must be an http(s) URL such as https://host/bot")
    return url


def webhook_options(options: TelegramOptions) -> Webhook | None:
    """The webhook settings when --webhook-url is given, validated; None means long polling."""
    url = options.webhook_url
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PlatformStartError("--webhook-url must be a URL such as https://example.org/telegram")
    if not 0 < options.port < 65536:
        raise PlatformStartError(f"--port {options.port} is not a TCP port")
    secret = options.secret_token or secrets.token_urlsafe(32)
    if not _SECRET_TOKEN.fullmatch(secret):
        raise PlatformStartError(
            "--secret-token may hold only A-Z, a-z, 0-9, _ and -, at most 256 characters"
        )
    return Webhook(url=url, listen=options.listen, port=options.port, secret_token=secret)
