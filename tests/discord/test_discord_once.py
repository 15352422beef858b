"""Exactly once on Discord: an interaction delivered twice is answered once, and a vote counts
once however often its click arrives."""

from __future__ import annotations

from typing import Any

import pytest
from discord_support import RecordingJournal
from fake_discord import FakeDiscord

QUESTION = "Why are leaders leaving the PTI?"


def _capture(bot: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Keep every INTERACTION_CREATE payload the fake dispatches, to dispatch it again."""
    sent: list[dict[str, Any]] = []
    real = bot.dispatch

    async def dispatch(event: str, data: dict[str, Any]) -> None:
        if event == "INTERACTION_CREATE":
            sent.append(data)
        await real(event, data)

    monkeypatch.setattr(bot, "dispatch", dispatch)
    return sent


async def test_an_interaction_delivered_twice_is_answered_once(
    bot: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    payloads = _capture(bot, monkeypatch)
    interaction = await bot.slash("ask", question=QUESTION)
    await bot.dispatch("INTERACTION_CREATE", payloads[-1])  # the same id again
    await bot.wait_for(lambda: bot.followups_for(interaction))
    await bot.settle()
    assert len(bot.callbacks_for(interaction)) == 1
    assert len(bot.followups_for(interaction)) == 1


async def test_a_vote_clicked_once_but_delivered_twice_counts_once(
    bot: FakeDiscord, journal: RecordingJournal, monkeypatch: pytest.MonkeyPatch
) -> None:
    payloads = _capture(bot, monkeypatch)
    interaction = await bot.slash("ask", question=QUESTION)
    answer = await bot.wait_for(lambda: (bot.followups_for(interaction) or [None])[0])
    vote_id = next(
        c["custom_id"]
        for row in answer.get("components", [])
        for c in row.get("components", [])
        if c.get("custom_id", "").startswith("faq:vote:")
    )
    click = await bot.click(answer, vote_id)
    await bot.dispatch("INTERACTION_CREATE", payloads[-1])
    await bot.wait_for(lambda: journal.votes)
    await bot.settle()
    assert len(journal.votes) == 1
    assert len(bot.callbacks_for(click)) == 1
