"""The discord.py client: intents, start-up (commands and persistent buttons), events, errors."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
from discord import app_commands

from adapters.discord import respond
from adapters.discord.chat import ChatReplies
from adapters.discord.commands import register_commands
from adapters.discord.handlers import Handlers
from adapters.discord.once import gate_interactions
from adapters.discord.render import notice_embed
from adapters.discord.shards import IDENTIFY_INTERVAL, Shards
from adapters.discord.views import PERSISTENT_ITEMS, is_known_component
from bot.answering.core import Core

log = logging.getLogger(__name__)

BUTTON_GONE = "This button no longer works."


def bot_intents(*, message_content: bool) -> discord.Intents:
    """Guilds (channels, roles, threads), guild and DM messages; message content only on request
    because it is privileged and mentions, replies to the bot and DMs carry content without it."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = message_content
    return intents


class FaqClient(discord.Client):
    """A client answering from the core; it never pings anyone."""

    def __init__(
        self,
        core: Core,
        *,
        guild_id: int | None = None,
        message_content: bool = False,
        shards: Shards | None = None,
        **client_options: Any,
    ) -> None:
        # A text-only bot: discord.py's warnings about missing voice libraries are noise.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(
            intents=bot_intents(message_content=message_content),
            allowed_mentions=discord.AllowedMentions.none(),
            **client_options,
        )
        self._shards = shards or Shards()
        self._core = core
        self.actions = Handlers(core)
        self.chat = ChatReplies(core)
        self.tree: app_commands.CommandTree[FaqClient] = app_commands.CommandTree(self)
        self.tree.error(self._on_command_error)
        self._guild_id = guild_id
        register_commands(self.tree, self.actions)
        gate_interactions(self, core.claims)

    async def setup_hook(self) -> None:
        """Listen to the buttons of earlier answers and publish the commands (to one guild,
        instantly, with --guild; globally otherwise)."""
        self.add_dynamic_items(*PERSISTENT_ITEMS)
        if not self._shards.syncs_commands:
            log.info("Not syncing application commands: the process holding shard 0 does")
            return
        if self._guild_id is None:
            synced = await self.tree.sync()
        else:
            guild = discord.Object(id=self._guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        log.info("Synced %d application commands", len(synced))

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Wait for this shard's IDENTIFY turn, shared with every other process of the bot."""
        if self._shards.ids is None:
            await super().before_identify_hook(shard_id, initial=initial)
            return
        await asyncio.to_thread(
            self._core.pacer.pace, self._shards.bucket(shard_id), IDENTIFY_INTERVAL
        )

    def dispatch(self, event: str, /, *args: Any, **kwargs: Any) -> None:
        """Drop events that arrive after close() (discord.py's delayed READY, for one): the client
        has no event loop any more to run them on."""
        if not self.is_closed():
            super().dispatch(event, *args, **kwargs)

    async def on_ready(self) -> None:
        """Log who we are once the gateway has delivered the guilds."""
        log.info("Connected to Discord as %s in %d guild(s)", self.user, len(self.guilds))

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A click on a component no handler knows (a button from an older version of the bot)
        gets a short notice instead of "This interaction failed"."""
        if interaction.type is not discord.InteractionType.component:
            return
        custom_id = interaction.data.get("custom_id") if interaction.data else None
        if is_known_component(custom_id):
            return
        log.info("Unknown component %r clicked; told the user it no longer works", custom_id)
        await respond.send(interaction, embed=notice_embed(BUTTON_GONE), ephemeral=True)

    async def on_message(self, message: discord.Message) -> None:
        """Route every message to the chat handler, which decides whether to answer."""
        if self.user is not None:
            await self.chat.on_message(message, self.user)

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        """Log and carry on: one failing event never stops the bot."""
        log.exception("Error while handling the %s event", event_method)

    async def _on_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        name = interaction.command.name if interaction.command else "?"
        log.error("Command %s failed", name, exc_info=error)
        try:
            await self.actions.notice(interaction, "Sorry, something went wrong. Please try again.")
        except discord.HTTPException:
            log.warning("Could not tell the user that /%s failed", name)


class ShardedFaqClient(FaqClient, discord.AutoShardedClient):
    """FaqClient running some of the bot's shards (--shard-ids, --shard-count)."""


def make_client(
    core: Core,
    *,
    guild_id: int | None = None,
    message_content: bool = False,
    shards: Shards | None = None,
) -> FaqClient:
    """A plain client, or a sharded one when shard options were given."""
    if shards is None or shards.ids is None:
        return FaqClient(core, guild_id=guild_id, message_content=message_content)
    return ShardedFaqClient(
        core,
        guild_id=guild_id,
        message_content=message_content,
        shards=shards,
        shard_ids=list(shards.ids),
        shard_count=shards.count,
    )
