"""`faqbot telegram setup`: setWebhook and setMyCommands once, for a deployment of several
webhook instances (which then run with --no-setup)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from telegram import Bot
from telegram.error import InvalidToken, TelegramError

from adapters.telegram.app import ALLOWED_UPDATES, file_url
from adapters.telegram.commands import set_menus
from adapters.telegram.options import (
    API_URL_ENV,
    OPTIONS,
    SECRET_ENV,
    TelegramOptions,
    api_url,
    webhook_options,
)
from bot.options import add_flags
from bot.platforms import PlatformStartError
from bot.redaction import redact, redacted_logging
from bot.settings import Settings

TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
EXIT_ERROR = 2
SETUP_OPTIONS = tuple(o for o in OPTIONS if o.name in ("webhook_url", "secret_token"))


def add_commands(commands: Any) -> None:
    """Add `faqbot telegram setup` to the CLI's subcommands."""
    telegram = commands.add_parser("telegram", help="one-off Telegram operations (setup)")
    actions = telegram.add_subparsers(title="actions", metavar="ACTION")
    setup = actions.add_parser(
        "setup", help="setWebhook (with --webhook-url) and setMyCommands, once"
    )
    add_flags(setup, SETUP_OPTIONS)
    setup.add_argument(
        "--polling", action="store_true", help="deleteWebhook instead: back to long polling"
    )
    setup.set_defaults(handler=_setup)


def _setup(args: argparse.Namespace, settings: Settings) -> int:
    token = settings.tokens.get("telegram", "")
    if not token:
        print(f"faqbot: {TOKEN_ENV} is not set", file=sys.stderr)
        return EXIT_ERROR
    options: TelegramOptions = settings.platforms["telegram"]
    hidden = [token, options.secret_token or ""]
    try:
        with redacted_logging(hidden):
            print(asyncio.run(setup(token, options, polling=args.polling)))
    except PlatformStartError as exc:
        print(f"faqbot: {redact(str(exc), hidden)}", file=sys.stderr)
        return EXIT_ERROR
    return 0


async def setup(token: str, options: TelegramOptions, *, polling: bool) -> str:
    """Do the set-up calls; return what was done, in one line."""
    if not polling:
        if not options.webhook_url:
            raise PlatformStartError("telegram setup: give --webhook-url URL (or --polling)")
        if not options.secret_token:
            raise PlatformStartError(
                f"telegram setup: give --secret-token (or {SECRET_ENV}): every instance must "
                "check the same secret"
            )
    base = api_url(options)
    bot = Bot(
        token,
        base_url=base or "https://api.telegram.org/bot",
        base_file_url=file_url(base) if base else "https://api.telegram.org/file/bot",
    )
    try:
        await bot.initialize()
        if polling:
            await bot.delete_webhook()
            done = "webhook deleted (long polling)"
        else:
            webhook = webhook_options(options)
            assert webhook is not None
            await bot.set_webhook(
                url=webhook.url, secret_token=webhook.secret_token, allowed_updates=ALLOWED_UPDATES
            )
            done = f"webhook set to {webhook.url}"
        await set_menus(bot)
    except InvalidToken:
        raise PlatformStartError(
            f"Telegram rejected the bot token ({TOKEN_ENV}): check it with @BotFather"
        ) from None
    except TelegramError as exc:
        raise PlatformStartError(f"Telegram: {exc} (API: {API_URL_ENV} or the default)") from None
    finally:
        await bot.shutdown()
    return f"Telegram: {done}; command menus set"
