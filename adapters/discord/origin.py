"""Where a question came from, in the core's terms."""

from __future__ import annotations

import discord

from bot.model import ChatKind, Origin

PLATFORM = "discord"
THREAD_TYPES = frozenset(
    {
        discord.ChannelType.public_thread,
        discord.ChannelType.private_thread,
        discord.ChannelType.news_thread,
    }
)


def chat_kind(guild_id: int | None, channel_type: discord.ChannelType | None) -> ChatKind:
    """DM, THREAD or GUILD (any other guild channel)."""
    if guild_id is None:
        return ChatKind.DM
    return ChatKind.THREAD if channel_type in THREAD_TYPES else ChatKind.GUILD


def _origin(
    user: discord.abc.User, guild_id: int | None, channel: object, channel_id: int | None
) -> Origin:
    channel_type = getattr(channel, "type", None)
    chat_id = channel_id if channel_id is not None else guild_id
    return Origin(
        platform=PLATFORM,
        chat_kind=chat_kind(guild_id, channel_type),
        user_id=str(user.id),
        chat_id=str(chat_id) if chat_id is not None else None,
    )


def message_origin(message: discord.Message) -> Origin:
    """The origin of a channel, thread or DM message. The chat is the channel (or thread)."""
    guild_id = message.guild.id if message.guild else None
    return _origin(message.author, guild_id, message.channel, message.channel.id)


def interaction_origin(interaction: discord.Interaction) -> Origin:
    """The origin of a command or a click, with the same chat ids as messages."""
    return _origin(
        interaction.user, interaction.guild_id, interaction.channel, interaction.channel_id
    )
