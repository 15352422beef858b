"""Exactly-once for Discord: every interaction is claimed in the store before discord.py sees
it, so an interaction delivered twice (a gateway replay, two processes) is answered once.

Discord never redelivers an interaction a process failed to answer, so an interaction's claim is
committed as soon as it is taken. Messages are claimed in adapters.discord.chat.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import discord

from bot.journal.claims import Claims, exactly_once

log = logging.getLogger(__name__)

CLAIM_SCOPE = "discord"
# Application commands, components and modals; autocomplete (4) and pings (1) are not answers.
CLAIMED_TYPES = frozenset({2, 3, 5})
CLAIM_TASK = "faqbot: discord interaction claim"
"""The name of the task that claims an interaction and then hands it to discord.py."""


def interaction_key(interaction_id: object) -> str:
    """The claim key of one interaction."""
    return f"interaction:{interaction_id}"


def message_key(message_id: object) -> str:
    """The claim key of one message."""
    return f"message:{message_id}"


def gate_interactions(client: discord.Client, claims: Claims) -> None:
    """Route INTERACTION_CREATE through a claim: only the first delivery of an id is parsed."""
    state: Any = client._connection
    parse: Callable[[dict[str, Any]], None] = state.parsers["INTERACTION_CREATE"]
    running: set[asyncio.Task[None]] = set()

    async def claimed(data: dict[str, Any]) -> None:
        async with exactly_once(claims, CLAIM_SCOPE, interaction_key(data["id"])) as first:
            if not first:
                log.info("Discord: interaction %s was already answered; skipped", data["id"])
                return
        parse(data)  # after the commit: Discord never redelivers an interaction

    def gated(data: dict[str, Any]) -> None:
        if data.get("type") not in CLAIMED_TYPES:
            parse(data)
            return
        task = asyncio.get_running_loop().create_task(claimed(data), name=CLAIM_TASK)
        running.add(task)
        task.add_done_callback(running.discard)

    state.parsers["INTERACTION_CREATE"] = gated
