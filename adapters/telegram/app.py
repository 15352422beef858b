"""The PTB Application: built once, run with the low-level lifecycle so other platforms can share
the event loop, stopped cleanly when asked."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import Conflict, Forbidden, InvalidToken, TelegramError, TimedOut
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults

from adapters.telegram.buttons import ButtonHandlers
from adapters.telegram.commands import command_handlers, help_lines, set_menus
from adapters.telegram.delivery import DeliveryGaveUp, DeliveryLimiter, is_server_error
from adapters.telegram.handlers import ChatHandlers
from adapters.telegram.inline import InlineHandlers
from adapters.telegram.lanes import LanedUpdateProcessor
from bot.answering.core import Core
from bot.platforms import PlatformStartError

log = logging.getLogger(__name__)

TelegramApp = Application[Any, Any, Any, Any, Any, Any]

ALLOWED_UPDATES = (Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY)
POLL_TIMEOUT = 10
BOOTSTRAP_RETRIES = 3
STARTUP_TIMEOUT = 300.0  # seconds of failed getMe calls before start-up is given up
STARTUP_FIRST_DELAY = 0.5
STARTUP_MAX_DELAY = 30.0
REJECTED = "Telegram rejected the bot token (TELEGRAM_BOT_TOKEN): check it with @BotFather"


@dataclass(frozen=True, slots=True)
class Webhook:
    """Where Telegram posts updates (url) and where this process listens for them."""

    url: str
    listen: str
    port: int
    secret_token: str = field(repr=False)

    @property
    def path(self) -> str:
        """The URL path the local server answers on, taken from the public URL."""
        return urlsplit(self.url).path.lstrip("/")


def file_url(api_url: str) -> str:
    """The file download base matching a Bot API base URL: ".../bot" → ".../file/bot"."""
    at = api_url.rfind("/bot")
    return f"{api_url[:at]}/file{api_url[at:]}" if at >= 0 else api_url


def build_application(core: Core, token: str, *, api_url: str | None) -> TelegramApp:
    """An Application with flood control, concurrent updates and every handler registered."""
    builder = (
        ApplicationBuilder()
        .token(token)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                allow_sending_without_reply=True,
            )
        )
        .rate_limiter(DeliveryLimiter())
        .concurrent_updates(LanedUpdateProcessor())
        .post_init(register_commands)
    )
    if api_url:
        builder = builder.base_url(api_url).base_file_url(file_url(api_url))
    application: TelegramApp = builder.build()
    chat = ChatHandlers(core, help_lines=help_lines())
    application.add_handlers([*command_handlers(chat), *chat.handlers()])
    for group in (ButtonHandlers(core), InlineHandlers(core)):
        application.add_handlers(group.handlers())
    application.add_error_handler(on_error)
    return application


async def run(
    application: TelegramApp,
    stop: asyncio.Event,
    *,
    webhook: Webhook | None,
    startup_timeout: float = STARTUP_TIMEOUT,
) -> None:
    """Connect (getMe), register commands, receive updates until `stop` is set, shut down.

    Raises PlatformStartError when the token is rejected, or Telegram cannot be reached for
    `startup_timeout` seconds (it is retried with backoff until then).
    """
    if not await initialize_with_retry(application, stop, startup_timeout):
        return
    updater = application.updater
    assert updater is not None
    try:
        if application.post_init is not None:
            await application.post_init(application)
        try:
            if webhook is None:
                await updater.start_polling(
                    timeout=POLL_TIMEOUT,
                    allowed_updates=ALLOWED_UPDATES,
                    bootstrap_retries=BOOTSTRAP_RETRIES,
                    error_callback=_polling_error,
                )
            else:
                await updater.start_webhook(
                    listen=webhook.listen,
                    port=webhook.port,
                    url_path=webhook.path,
                    webhook_url=webhook.url,
                    secret_token=webhook.secret_token,
                    allowed_updates=ALLOWED_UPDATES,
                    bootstrap_retries=BOOTSTRAP_RETRIES,
                )
        except (TelegramError, OSError) as exc:
            raise PlatformStartError(
                f"Telegram: could not start receiving updates: {exc}"
            ) from None
        await application.start()
        user = application.bot.bot
        log.info(
            "Telegram: running as @%s (%s)", user.username, "webhook" if webhook else "polling"
        )
        await stop.wait()
    finally:
        if updater.running:
            await updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()


async def register_commands(application: TelegramApp) -> None:
    """setMyCommands: the command menu for everyone, plus /settings for group admins."""
    bot = application.bot
    try:
        await set_menus(bot)
    except TelegramError as exc:
        log.warning("Telegram: could not set the command menu: %s", exc)


async def initialize_with_retry(
    application: TelegramApp, stop: asyncio.Event, timeout: float
) -> bool:
    """getMe until it works; False when `stop` was set first. Server errors, timeouts and an
    unreachable API are retried with backoff for `timeout` seconds; a rejected token is not."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    delay = STARTUP_FIRST_DELAY
    problem: str | None = None
    while problem is None:
        try:
            await application.initialize()
            return True
        except InvalidToken:
            problem = REJECTED
        except TelegramError as exc:
            retryable = is_server_error(exc) or isinstance(exc, TimedOut)
            if not retryable or loop.time() + delay > deadline:
                problem = f"Telegram: cannot reach the Bot API: {exc}"
            else:
                log.warning("Telegram: cannot reach the Bot API (%s); retry in %.1f s", exc, delay)
                if await _stopped_within(stop, delay):
                    await application.bot.shutdown()
                    return False
                delay = min(delay * 2, STARTUP_MAX_DELAY)
    await application.bot.shutdown()
    # Raised outside the except block: PTB's InvalidToken text contains the token.
    raise PlatformStartError(problem)


async def _stopped_within(stop: asyncio.Event, seconds: float) -> bool:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return False
    return True


def _polling_error(exc: TelegramError) -> None:
    if isinstance(exc, Conflict):
        log.error("Telegram: another process is polling with this token (409 Conflict)")
    else:
        log.warning("Telegram: polling failed, retrying: %s", exc)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log a failed update with enough context to find it, but not its text or the token."""
    where = _describe(update)
    if isinstance(context.error, DeliveryGaveUp):
        log.error("Telegram: %s: reply not delivered (%s)", where, context.error)
        return
    if isinstance(context.error, Forbidden):
        log.info("Telegram: %s: the bot may not write there (%s)", where, context.error)
        return
    log.error("Telegram: error while handling %s", where, exc_info=context.error)


def _describe(update: object) -> str:
    if not isinstance(update, Update):
        return "a job outside any update"
    kind = next(
        (name for name in (*ALLOWED_UPDATES, Update.EDITED_MESSAGE) if getattr(update, name, None)),
        "update",
    )
    chat, user = update.effective_chat, update.effective_user
    where = f" in {chat.type} chat {chat.id}" if chat else ""
    who = f" from user {user.id}" if user else ""
    return f"update {update.update_id} ({kind}{where}{who})"
