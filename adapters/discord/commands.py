"""The Discord command table: one Cog holding every application command.

Each command is one method of `FaqCommands` (name, description, options and permissions in its
decorators; the work is in Handlers). The Cog generates the registration on the client's
command tree (`register`), so also the list synced to Discord, and the /help text
(`help_lines`). Adding a command is one method here.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from adapters.discord.handlers import Handlers

CONTEXT_MENU_NAME = "Answer from the article"
QUESTION_MAX = 1000
HELP_TITLE = "How to ask"
HELP_INTRO = (
    "Mention me with a question, reply to one of my answers, or send me a direct message. "
    f"On any message: Apps → {CONTEXT_MENU_NAME}."
)


class FaqCommands(commands.Cog):
    """/ask, /faq, /who, /source, /settings, /reload, /help and the message context menu."""

    def __init__(self, handlers: Handlers) -> None:
        self.handlers = handlers
        # discord.py has no decorator for context menus inside a Cog: built here.
        self.context_menu = app_commands.ContextMenu(
            name=CONTEXT_MENU_NAME, callback=self.answer_message
        )

    @app_commands.command(name="ask", description="Ask a question about the article")
    @app_commands.describe(question="What do you want to know? Pick a suggestion or type your own")
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, QUESTION_MAX],
    ) -> None:
        """Answer a question."""
        await self.handlers.ask(interaction, question)

    @ask.autocomplete("question")
    async def ask_question(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Questions the article answers, matching what is typed."""
        return self.handlers.question_choices(interaction, current)

    @app_commands.command(name="faq", description="Browse every question I can answer")
    async def faq(self, interaction: discord.Interaction) -> None:
        """Every entry, a page at a time."""
        await self.handlers.browse(interaction)

    @app_commands.command(
        name="who", description="Who the article quotes, and what each person said"
    )
    @app_commands.describe(speaker="A person or group the article quotes; leave empty for all")
    async def who(
        self,
        interaction: discord.Interaction,
        speaker: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        """The speakers, or one speaker's views."""
        await self.handlers.who(interaction, speaker)

    @who.autocomplete("speaker")
    async def who_speaker(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Speakers matching what is typed."""
        return self.handlers.speaker_choices(interaction, current)

    @app_commands.command(
        name="article", description="The articles I answer from; pick one for this channel"
    )
    @app_commands.describe(name="An article; leave empty to list them")
    async def article(
        self,
        interaction: discord.Interaction,
        name: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        """List the articles, or pick one."""
        await self.handlers.article(interaction, name)

    @article.autocomplete("name")
    async def article_name(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Articles matching what is typed."""
        return self.handlers.article_choices(current)

    @app_commands.command(name="source", description="The article I answer from")
    async def source(self, interaction: discord.Interaction) -> None:
        """The article and what the bot covers."""
        await self.handlers.source(interaction)

    @app_commands.command(
        name="settings", description="Auto-answer and quotes per answer in this channel"
    )
    @app_commands.describe(
        auto_answer="Answer clear questions about the article without being mentioned",
        quotes="How many quotes to show under an answer",
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def settings(
        self,
        interaction: discord.Interaction,
        auto_answer: bool | None = None,
        quotes: app_commands.Range[int, 1, 10] | None = None,
    ) -> None:
        """The channel's settings (Manage Server)."""
        await self.handlers.settings(interaction, auto_answer, quotes)

    @app_commands.command(name="reload", description="Reload the knowledge pack (bot admins only)")
    async def reload(self, interaction: discord.Interaction) -> None:
        """Reload the pack from disk (bot admins)."""
        await self.handlers.reload(interaction)

    @app_commands.command(name="help", description="How to ask, and my commands")
    async def help(self, interaction: discord.Interaction) -> None:
        """How to ask, and every command of this Cog, for the user alone."""
        text = "\n".join([HELP_INTRO, "", *help_lines(self)])
        await self.handlers.notice(interaction, text, title=HELP_TITLE)

    async def answer_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        """The context menu: answer the message it was used on."""
        await self.handlers.answer_message(interaction, message)


def register(tree: app_commands.CommandTree[Any], cog: FaqCommands) -> None:
    """Add every command of the Cog, and its context menu, to the tree (what setup_hook
    syncs)."""
    for command in cog.get_app_commands():
        tree.add_command(command)
    tree.add_command(cog.context_menu)


def help_lines(cog: FaqCommands) -> list[str]:
    """`/name — description` for each slash command of the Cog, in its order."""
    return [f"/{c.name} — {c.description}" for c in cog.walk_app_commands()]


def register_commands(tree: app_commands.CommandTree[Any], handlers: Handlers) -> FaqCommands:
    """Register the standard command table answering with `handlers`; return it."""
    cog = FaqCommands(handlers)
    register(tree, cog)
    return cog
