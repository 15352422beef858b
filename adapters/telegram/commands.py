"""The Telegram command table: one row per command.

The table generates the CommandHandler registration (`command_handlers`), the command menus
sent with setMyCommands (`menus`: everyone's, and the chat administrators' scope) and the
command list of /help (`help_lines`). Adding a command is one row here (and its ChatHandlers
method).
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from types import MethodType

from telegram import Bot, BotCommand, BotCommandScopeAllChatAdministrators, Update
from telegram.ext import BaseHandler, CommandHandler, ContextTypes, filters

from adapters.telegram.handlers import ChatHandlers

Context = ContextTypes.DEFAULT_TYPE
Callback = Callable[[ChatHandlers, Update, Context], Awaitable[None]]


class Menu(Enum):
    """Which setMyCommands menu lists a command."""

    EVERYONE = "everyone"  # every chat (and so also the administrators' menu)
    ADMINS = "admins"  # only the menu of chat administrators
    NONE = "none"  # works, but no menu lists it (/reload: bot admins only)


@dataclass(frozen=True, slots=True)
class Command:
    """One command: `/name`, the ChatHandlers method that answers it, its menu description,
    its /help line (None: not in /help), and its argument as /help shows it."""

    name: str
    callback: Callback
    description: str
    help: str | None = None
    menu: Menu = Menu.EVERYONE
    argument: str = ""
    optional: bool = False

    def usage(self) -> str:
        """`/who [<i>name</i>]`: the command and its argument, as HTML."""
        if not self.argument:
            return f"/{self.name}"
        argument = f"<i>{html.escape(self.argument)}</i>"
        return f"/{self.name} {f'[{argument}]' if self.optional else argument}"


COMMANDS: tuple[Command, ...] = (
    Command(
        "ask",
        ChatHandlers.ask,
        "Ask a question about the article",
        "ask about the article",
        argument="question",
    ),
    Command(
        "topics",
        ChatHandlers.topics,
        "Every question the article answers",
        "every question the article answers",
    ),
    Command(
        "who",
        ChatHandlers.who,
        "Who the article quotes, and what they said",
        "who is quoted, and what they said",
        argument="name",
        optional=True,
    ),
    Command("source", ChatHandlers.source, "The article I answer from", "the article I know"),
    Command(
        "article",
        ChatHandlers.article,
        "The articles I answer from; pick one for this chat",
        "list the articles, or pick one (a group admin's pick is the group's)",
        argument="name",
        optional=True,
    ),
    Command(
        "settings",
        ChatHandlers.settings,
        "Group settings: auto-answer, quotes shown",
        "group settings (group admins)",
        menu=Menu.ADMINS,
    ),
    Command("help", ChatHandlers.help, "How to ask", "this text"),
    Command("start", ChatHandlers.start, "Welcome and example questions"),
    Command(
        "reload", ChatHandlers.reload, "Reload the knowledge pack (bot admins)", menu=Menu.NONE
    ),
)


def command_handlers(
    chat: ChatHandlers, table: Sequence[Command] = COMMANDS
) -> list[BaseHandler[Update, Context, None]]:
    """A CommandHandler per row, answering new messages (never edits) with the row's method."""
    new = filters.UpdateType.MESSAGE
    return [CommandHandler(row.name, MethodType(row.callback, chat), filters=new) for row in table]


def menus(table: Sequence[Command] = COMMANDS) -> tuple[list[BotCommand], list[BotCommand]]:
    """The setMyCommands lists: everyone's, and the chat administrators' (everyone's first)."""
    everyone = [BotCommand(r.name, r.description) for r in table if r.menu is Menu.EVERYONE]
    admins = [BotCommand(r.name, r.description) for r in table if r.menu is Menu.ADMINS]
    return everyone, [*everyone, *admins]


async def set_menus(bot: Bot, table: Sequence[Command] = COMMANDS) -> None:
    """Send both command menus (raises TelegramError as the Bot API call does)."""
    everyone, admins = menus(table)
    await bot.set_my_commands(everyone)
    await bot.set_my_commands(admins, scope=BotCommandScopeAllChatAdministrators())


def help_lines(table: Sequence[Command] = COMMANDS) -> list[tuple[str, str]]:
    """(usage as HTML, what it does) for each command /help lists, in table order."""
    return [(row.usage(), row.help) for row in table if row.help is not None]
