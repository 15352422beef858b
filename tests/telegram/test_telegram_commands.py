"""The Telegram command table drives the handlers, both command menus and the /help list."""

from __future__ import annotations

from typing import Any

from telegram.ext import CommandHandler

from adapters.telegram import render
from adapters.telegram.commands import (
    COMMANDS,
    Command,
    Menu,
    command_handlers,
    help_lines,
    menus,
)
from adapters.telegram.handlers import ChatHandlers
from bot.answering.core import Core


def _names(handlers: list[Any]) -> list[str]:
    return [name for h in handlers if isinstance(h, CommandHandler) for name in h.commands]


def test_the_shipped_table_keeps_every_command(core: Core) -> None:
    chat = ChatHandlers(core, help_lines=help_lines())
    assert _names(command_handlers(chat)) == [
        "ask", "topics", "who", "source", "article", "settings", "help", "start", "reload"
    ]  # fmt: skip
    everyone, admins = menus()
    assert [c.command for c in everyone] == [
        "ask", "topics", "who", "source", "article", "help", "start"
    ]  # fmt: skip
    assert [c.command for c in admins] == [*(c.command for c in everyone), "settings"]
    text = render.help_text("faq_test_bot", help_lines())
    assert "/ask <i>question</i> — ask about the article" in text
    assert "/who [<i>name</i>] — who is quoted, and what they said" in text
    assert "/article [<i>name</i>] — list the articles, or pick one" in text
    assert "/reload" not in text and "/start" not in text


def test_a_row_added_to_the_table_shows_up_in_handlers_menus_and_help(
    core: Core,
) -> None:
    row = Command("about", ChatHandlers.source, "Same as /source", "the article again")
    admin_row = Command("audit", ChatHandlers.settings, "Audit the group", menu=Menu.ADMINS)
    table = (*COMMANDS, row, admin_row)
    handlers = command_handlers(ChatHandlers(core, help_lines=help_lines()), table)
    assert {"about", "audit"} <= set(_names(handlers))
    callback = next(h.callback for h in handlers if "about" in h.commands)
    assert callback.__func__ is ChatHandlers.source
    everyone, admins = menus(table)
    assert "about" in {c.command for c in everyone}
    assert "audit" not in {c.command for c in everyone}
    assert {"about", "audit"} <= {c.command for c in admins}
    assert ("/about", "the article again") in help_lines(table)
    assert "/about — the article again" in render.help_text("faq_test_bot", help_lines(table))
