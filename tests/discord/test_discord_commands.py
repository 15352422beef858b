"""The Discord command table (one Cog) drives the registration, the commands synced to Discord
and the /help text."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from fake_discord import FakeDiscord

from adapters.discord.commands import (
    CONTEXT_MENU_NAME,
    FaqCommands,
    help_lines,
    register,
    register_commands,
)
from adapters.discord.handlers import Handlers
from bot.answering.core import Core

EPHEMERAL = 64


class WithAbout(FaqCommands):
    """The shipped table plus one command: one method."""

    @app_commands.command(name="about", description="Same as /source")
    async def about(self, interaction: discord.Interaction) -> None:
        """The article."""
        await self.handlers.source(interaction)


def _tree() -> app_commands.CommandTree[Any]:
    return app_commands.CommandTree(discord.Client(intents=discord.Intents.none()))


def _synced(tree: app_commands.CommandTree[Any]) -> list[dict[str, Any]]:
    """The payload CommandTree.sync sends."""
    return [command.to_dict(tree) for command in tree.get_commands()]


def test_the_shipped_table_registers_every_command(core: Core) -> None:
    tree = _tree()
    cog = register_commands(tree, Handlers(core))
    names = [c["name"] for c in _synced(tree)]
    assert names == [
        "ask", "faq", "who", "article", "source", "settings", "reload", "help", CONTEXT_MENU_NAME
    ]  # fmt: skip
    assert help_lines(cog)[0] == "/ask — Ask a question about the article"
    assert len(help_lines(cog)) == len(names) - 1  # every slash command, not the context menu


def test_a_command_added_to_the_table_is_registered_synced_and_in_help(core: Core) -> None:
    tree = _tree()
    cog = WithAbout(Handlers(core))
    register(tree, cog)
    assert "about" in {c["name"] for c in _synced(tree)}
    command = tree.get_command("about")
    assert command is not None and command.binding is cog
    assert "/about — Same as /source" in help_lines(cog)


async def test_slash_help_lists_the_commands_to_the_user_alone(bot: FakeDiscord) -> None:
    interaction = await bot.slash("help")
    shown = await _callback(bot, interaction)
    assert shown["type"] == 4 and shown["data"]["flags"] & EPHEMERAL
    (embed,) = shown["data"]["embeds"]
    for name in ("ask", "faq", "who", "article", "source", "settings", "reload"):
        assert f"/{name} — " in embed["description"]


async def _callback(fake: FakeDiscord, interaction_id: str) -> dict[str, Any]:
    await fake.wait_for(lambda: fake.callbacks_for(interaction_id))
    return fake.callbacks_for(interaction_id)[0]
