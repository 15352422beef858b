"""Answering an interaction exactly once, within Discord's deadlines (docs/delivery.md).

An interaction's callback must reach Discord within 3 s of the click or command; a callback that
fails twice would be retried by discord.py only after that deadline, so a callback is given up at
`CALLBACK_ALLOWANCE` and the reply goes out through the interaction token instead, which takes
messages for 15 minutes. Replies after a callback are edits of the original response: a PATCH
that discord.py retries after a 5xx changes the same message and can never make a second one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine
from typing import Any

import discord

log = logging.getLogger(__name__)

# Seconds to get a callback through: Discord allows 3 from the click, and the handlers do only
# local work before their first callback, so the allowance counts from that first attempt.
CALLBACK_ALLOWANCE = 2.5
_STARTED = "faqbot.first_callback"  # key in Interaction.extras


def _allowance_left(interaction: discord.Interaction) -> float:
    """Seconds left for callbacks of this interaction (a second callback after a failed defer
    gets only what the first left)."""
    now = time.monotonic()
    started = float(interaction.extras.setdefault(_STARTED, now))
    return max(0.0, started + CALLBACK_ALLOWANCE - now)


async def _callback(
    interaction: discord.Interaction, call: Coroutine[Any, Any, object], what: str
) -> bool:
    """Run one interaction callback within the time allowed; False (logged) if it failed."""
    left = _allowance_left(interaction)
    if left <= 0:
        call.close()
        return False
    try:
        await asyncio.wait_for(call, left)
    except TimeoutError:
        log.warning("Interaction %s: %s not through within the deadline", interaction.id, what)
        return False
    except discord.HTTPException as exc:
        log.warning("Interaction %s: %s failed (%s)", interaction.id, what, exc)
        return False
    return True


async def defer(interaction: discord.Interaction, *, ephemeral: bool = False) -> bool:
    """Acknowledge now ("thinking…") and answer later; False when the callback failed, and the
    answer will then go out through the token (see `send`)."""
    if interaction.response.is_done():
        return True
    call = interaction.response.defer(thinking=True, ephemeral=ephemeral)
    return await _callback(interaction, call, "defer")


async def send(
    interaction: discord.Interaction,
    *,
    embed: discord.Embed,
    view: discord.ui.View | None = None,
    ephemeral: bool = False,
) -> None:
    """Deliver the reply once: as the callback if none was made yet, else as an edit of the
    original response; when the callback cannot be made, through the interaction token."""
    components = _view(view)
    if not interaction.response.is_done():
        call = interaction.response.send_message(embed=embed, view=components, ephemeral=ephemeral)
        if await _callback(interaction, call, "response"):
            return
        await _through_token(interaction, embed, view, ephemeral)
        return
    await interaction.edit_original_response(embed=embed, view=components)


def _view(view: discord.ui.View | None) -> discord.ui.View:
    # MISSING leaves the components alone, where None would remove them.
    return view if view is not None else discord.utils.MISSING


async def _through_token(
    interaction: discord.Interaction,
    embed: discord.Embed,
    view: discord.ui.View | None,
    ephemeral: bool,
) -> None:
    """After a failed callback: if Discord did create the response (the 5xx came after), edit it;
    only when there is none, post a follow-up. Either way one message."""
    components = _view(view)
    try:
        await interaction.edit_original_response(embed=embed, view=components)
        log.info("Interaction %s: delivered by editing the original response", interaction.id)
        return
    except discord.NotFound:
        pass
    await interaction.followup.send(embed=embed, view=components, ephemeral=ephemeral)
    log.info("Interaction %s: delivered as a follow-up message", interaction.id)
