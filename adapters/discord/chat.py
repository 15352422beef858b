"""Plain messages: mentions, DMs, replies to our answers (follow-ups) and opt-in auto-answers."""

from __future__ import annotations

import logging
import re

import discord

from adapters.discord.once import CLAIM_SCOPE, message_key
from adapters.discord.origin import message_origin
from adapters.discord.presentation import present
from adapters.discord.views import answered_entry
from bot.answering.core import Core
from bot.journal.claims import exactly_once
from bot.matching.sanitise import clean_text
from bot.model import Answer, ChatKind, Origin

log = logging.getLogger(__name__)

ANSWERABLE_TYPES = frozenset({discord.MessageType.default, discord.MessageType.reply})


def strip_mentions(text: str, user_id: int, role_ids: tuple[int, ...] = ()) -> str:
    """The text without mentions of the bot (as a user, or as its own role), on one line."""
    targets = [rf"@!?{user_id}", *(rf"@&{role}" for role in role_ids)]
    return " ".join(re.sub(rf"<(?:{'|'.join(targets)})>", " ", text).split())


def _own_roles(message: discord.Message, me: discord.ClientUser) -> tuple[int, ...]:
    return tuple(
        role.id for role in message.role_mentions if role.tags and role.tags.bot_id == me.id
    )


class ChatReplies:
    """Decides whether a message gets an answer, and replies to it once."""

    def __init__(self, core: Core) -> None:
        self._core = core

    async def on_message(self, message: discord.Message, me: discord.ClientUser) -> None:
        """Answer a DM, a mention of the bot, or a reply to one of its answers; in a guild channel
        whose settings enable it, let the core decide whether to auto-answer; else stay silent."""
        if message.author.bot or message.author.id == me.id or message.webhook_id:
            return
        if not message.content:  # an attachment or sticker, or text withheld without the intent
            return
        if message.type not in ANSWERABLE_TYPES:
            return
        # Claimed in the store: a gateway replay, or another process, is skipped.
        async with exactly_once(self._core.claims, CLAIM_SCOPE, message_key(message.id)) as new:
            if new:
                await self._reply(message, me)

    async def _reply(self, message: discord.Message, me: discord.ClientUser) -> None:
        origin = message_origin(message)
        answer = await self._answer(message, me, origin)
        if answer is None:
            return
        embed, view = present(self._core, answer, origin)
        try:
            # discord.py sends a nonce with enforce_nonce and keeps it for its own retries after a
            # 5xx, so a reply Discord stored before failing is returned, not posted again.
            await message.reply(embed=embed, view=view)
        except discord.Forbidden:
            log.warning(
                "Cannot reply in channel %s: the bot needs Send Messages, Embed Links and Read "
                "Message History there.",
                message.channel.id,
            )

    async def _answer(
        self, message: discord.Message, me: discord.ClientUser, origin: Origin
    ) -> Answer | None:
        own_roles = _own_roles(message, me)
        text = strip_mentions(clean_text(message.content), me.id, own_roles)
        previous = await self._replied_answer(message, me)
        if previous is not None:
            return self._core.ask(text, origin=origin, replying_to=answered_entry(previous))
        mentioned = own_roles or any(user.id == me.id for user in message.mentions)
        if origin.chat_kind == ChatKind.DM or mentioned:
            return self._core.ask(text, origin=origin)
        return self._core.auto_answer(text, origin=origin)

    async def _replied_answer(
        self, message: discord.Message, me: discord.ClientUser
    ) -> discord.Message | None:
        """The message of ours this one replies to, if it is a reply to us."""
        reference = message.reference
        if reference is None or reference.message_id is None:
            return None
        if reference.type is not discord.MessageReferenceType.reply:
            return None
        target = reference.resolved
        if isinstance(target, discord.DeletedReferencedMessage):
            return None
        if target is None:
            target = reference.cached_message
        if target is None:
            try:
                target = await message.channel.fetch_message(reference.message_id)
            except discord.HTTPException:
                return None
        return target if target.author.id == me.id else None
