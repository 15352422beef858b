"""An Answer as the embed and buttons it is sent with, per the chat's settings."""

from __future__ import annotations

import discord

from adapters.discord.origin import PLATFORM
from adapters.discord.render import answer_embed
from adapters.discord.views import answer_view
from bot.answering.service import FaqService
from bot.model import Answer, Origin


def present(
    service: FaqService, answer: Answer, origin: Origin, *, all_quotes: bool = False
) -> tuple[discord.Embed, discord.ui.View]:
    """The embed (with as many quotes as the chat allows, or all) and the buttons for an answer."""
    max_quotes = (
        None if all_quotes else service.chat_settings(PLATFORM, origin.chat_id or "").max_quotes
    )
    return answer_embed(answer, service.source, max_quotes=max_quotes), answer_view(answer)
