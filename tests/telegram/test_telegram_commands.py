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
from bot.answering.service import FaqService


def _names(handlers: list[Any]) -> list[str]:
    return [name for h in handlers if isinstance(h, CommandHandler) for name in h.commands]


def test_the_shipped_table_keeps_every_command(service: FaqService) -> None:
    chat = ChatHandlers(service, help_lines=help_lines())
    assert _names(command_handlers(chat)) == [
        "ask", "topics", "who", "source", "settings", "help", "start", "reload"
    ]  # fmt: skip
    everyone, admins = menus()
    assert [c.command for c in everyone] == ["ask", "topics", "who", "source", "help", "start"]
    assert [c.command for c in admins] == [*(c.command for c in everyone), "settings"]
    text = render.help_text("faq_test_bot", help_lines())
    assert "/ask <i>question</i> — ask about the article" in text
    assert "/who [<i>name</i>] — who is quoted, and what they said" in text
    assert "/reload" not in text and "/start" not in text


def test_a_row_added_to_the_table_shows_up_in_handlers_menus_and_help(
    service: FaqService,
) -> None:
    row = Command("article", ChatHandlers.source, "Same as /source", "the article again")
    admin_row = Command("audit", ChatHandlers.settings, "Audit the group", menu=Menu.ADMINS)
    table = (*COMMANDS, row, admin_row)
    handlers = command_handlers(ChatHandlers(service, help_lines=help_lines()), table)
    assert {"article", "audit"} <= set(_names(handlers))
    callback = next(h.callback for h in handlers if "article" in h.commands)
    assert callback.__func__ is ChatHandlers.source
    everyone, admins = menus(table)
    assert "article" in {c.command for c in everyone}
    assert "audit" not in {c.command for c in everyone}
    assert {"article", "audit"} <= {c.command for c in admins}
    assert ("/article", "the article again") in help_lines(table)
    assert "/article — the article again" in render.help_text("faq_test_bot", help_lines(table))
