"""Shared by the Discord tests: the fake token, a recording journal, the start_bot signature."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from fake_discord import FakeDiscord

from bot.model import Answer, Origin

TOKEN = "FAKE.discord.token-not-real"


@dataclass
class RecordingJournal:
    """A bot.ports.Journal that keeps everything in lists."""

    answers: list[tuple[Answer, Origin]] = field(default_factory=list)
    votes: list[tuple[Origin, str, int]] = field(default_factory=list)

    def record_answer(self, answer: Answer, origin: Origin) -> None:
        """Keep the answer and where its question came from."""
        self.answers.append((answer, origin))

    def record_feedback(self, origin: Origin, entry_id: str, vote: int) -> None:
        """Keep the vote."""
        self.votes.append((origin, entry_id, vote))


StartBot = Callable[..., Awaitable[FakeDiscord]]
