"""The application commands: their names, options and permissions; the work is in Handlers."""

from typing import Any

import discord
from discord import app_commands

from adapters.discord.handlers import Handlers

CONTEXT_MENU_NAME = "Answer from the article"
QUESTION_MAX = 1000


def register_commands(tree: app_commands.CommandTree[Any], handlers: Handlers) -> None:
    """Add /ask, /faq, /who, /source, /settings, /reload and the message context menu."""

    @tree.command(name="ask", description="Ask a question about the article")
    @app_commands.describe(question="What do you want to know? Pick a suggestion or type your own")
    async def ask(
        interaction: discord.Interaction, question: app_commands.Range[str, 1, QUESTION_MAX]
    ) -> None:
        await handlers.ask(interaction, question)

    @ask.autocomplete("question")
    async def ask_question(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return handlers.question_choices(current)

    @tree.command(name="faq", description="Browse every question I can answer")
    async def faq(interaction: discord.Interaction) -> None:
        await handlers.browse(interaction)

    @tree.command(name="who", description="Who the article quotes, and what each person said")
    @app_commands.describe(speaker="A person or group the article quotes; leave empty for all")
    async def who(
        interaction: discord.Interaction,
        speaker: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        await handlers.who(interaction, speaker)

    @who.autocomplete("speaker")
    async def who_speaker(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return handlers.speaker_choices(current)

    @tree.command(name="source", description="The article I answer from")
    async def source(interaction: discord.Interaction) -> None:
        await handlers.source(interaction)

    @tree.command(name="settings", description="Auto-answer and quotes per answer in this channel")
    @app_commands.describe(
        auto_answer="Answer clear questions about the article without being mentioned",
        quotes="How many quotes to show under an answer",
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def settings(
        interaction: discord.Interaction,
        auto_answer: bool | None = None,
        quotes: app_commands.Range[int, 1, 10] | None = None,
    ) -> None:
        await handlers.settings(interaction, auto_answer, quotes)

    @tree.command(name="reload", description="Reload the knowledge pack (bot admins only)")
    async def reload(interaction: discord.Interaction) -> None:
        await handlers.reload(interaction)

    @tree.context_menu(name=CONTEXT_MENU_NAME)
    async def answer_message(interaction: discord.Interaction, message: discord.Message) -> None:
        await handlers.answer_message(interaction, message)
