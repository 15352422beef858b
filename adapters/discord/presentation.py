"""An Answer as the embed and buttons it is sent with: its Reply for the chat, mapped once."""

from __future__ import annotations

import discord

from adapters.discord.origin import PLATFORM
from adapters.discord.render import reply_embed
from adapters.discord.views import reply_view
from bot.answering.core import Core
from bot.model import Answer, Audience, Origin
from bot.presentation.reply import Reply, build_reply


def chat_kind(origin: Origin, *, ephemeral: bool = False) -> Audience:
    """A DM or a reply only the clicker sees is private; server channels and threads are shared."""
    return Audience.PRIVATE if ephemeral or origin.chat_kind == "dm" else Audience.GROUP


def reply_for(core: Core, answer: Answer, origin: Origin, *, ephemeral: bool = False) -> Reply:
    """The Reply for an answer where it is sent, with the channel's settings."""
    kind = chat_kind(origin, ephemeral=ephemeral)
    settings = None
    if kind is Audience.GROUP:
        settings = core.policy.settings(PLATFORM, origin.chat_id or "")
    return build_reply(answer, core.source_for(answer, origin), chat=kind, settings=settings)


def present(
    core: Core, answer: Answer, origin: Origin, *, ephemeral: bool = False
) -> tuple[discord.Embed, discord.ui.View]:
    """The embed and the buttons of an answer's Reply."""
    reply = reply_for(core, answer, origin, ephemeral=ephemeral)
    return reply_embed(reply), reply_view(reply)
