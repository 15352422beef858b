"""`faqbot telegram setup`: setWebhook and setMyCommands once, for a deployment of several
webhook instances (which then run with --no-setup)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import Any

from telegram import Bot, BotCommandScopeAllChatAdministrators
from telegram.error import InvalidToken, TelegramError

from adapters.telegram.app import ALLOWED_UPDATES, file_url
from adapters.telegram.handlers import ADMIN_COMMANDS, COMMANDS
from adapters.telegram.platform import API_URL_ENV, SECRET_ENV, api_url, webhook_options
from bot.platforms import PlatformStartError
from bot.redaction import redact, redacted_logging

TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
EXIT_ERROR = 2


def add_commands(commands: Any) -> None:
    """Add `faqbot telegram setup` to the CLI's subcommands."""
    telegram = commands.add_parser("telegram", help="one-off Telegram operations (setup)")
    actions = telegram.add_subparsers(title="actions", metavar="ACTION")
    setup = actions.add_parser(
        "setup", help="setWebhook (with --webhook-url) and setMyCommands, once"
    )
    setup.add_argument("--webhook-url", metavar="URL", help="public https URL of the webhook")
    setup.add_argument(
        "--secret-token",
        metavar="SECRET",
        help=f"the secret every instance runs with (default: ${SECRET_ENV})",
    )
    setup.add_argument(
        "--polling", action="store_true", help="deleteWebhook instead: back to long polling"
    )
    setup.set_defaults(handler=_setup)


def _setup(args: argparse.Namespace) -> int:
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        print(f"faqbot: {TOKEN_ENV} is not set", file=sys.stderr)
        return EXIT_ERROR
    hidden = [token, args.secret_token or os.environ.get(SECRET_ENV, "")]
    try:
        with redacted_logging(hidden):
            print(asyncio.run(setup(token, args)))
    except PlatformStartError as exc:
        print(f"faqbot: {redact(str(exc), hidden)}", file=sys.stderr)
        return EXIT_ERROR
    return 0


async def setup(token: str, args: argparse.Namespace) -> str:
    """Do the set-up calls; return what was done, in one line."""
    if not args.polling:
        if not args.webhook_url:
            raise PlatformStartError("telegram setup: give --webhook-url URL (or --polling)")
        if not (args.secret_token or os.environ.get(SECRET_ENV)):
            raise PlatformStartError(
                f"telegram setup: give --secret-token (or {SECRET_ENV}): every instance must "
                "check the same secret"
            )
    base = api_url()
    bot = Bot(
        token,
        base_url=base or "https://api.telegram.org/bot",
        base_file_url=file_url(base) if base else "https://api.telegram.org/file/bot",
    )
    try:
        await bot.initialize()
        if args.polling:
            await bot.delete_webhook()
            done = "webhook deleted (long polling)"
        else:
            webhook = webhook_options(args)
            assert webhook is not None
            await bot.set_webhook(
                url=webhook.url, secret_token=webhook.secret_token, allowed_updates=ALLOWED_UPDATES
            )
            done = f"webhook set to {webhook.url}"
        await bot.set_my_commands(COMMANDS)
        await bot.set_my_commands(ADMIN_COMMANDS, scope=BotCommandScopeAllChatAdministrators())
    except InvalidToken:
        raise PlatformStartError(
            f"Telegram rejected the bot token ({TOKEN_ENV}): check it with @BotFather"
        ) from None
    except TelegramError as exc:
        raise PlatformStartError(f"Telegram: {exc} (API: {API_URL_ENV} or the default)") from None
    finally:
        await bot.shutdown()
    return f"Telegram: {done}; command menus set"
