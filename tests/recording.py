"""A recording fake of the core's Journal port, shared by the adapter tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.model import Answer, Origin


@dataclass
class RecordingJournal:
    """A bot.ports.Journal that keeps what it is told, for assertions."""

    answers: list[tuple[Answer, Origin]] = field(default_factory=list)
    votes: list[tuple[Origin, str, int]] = field(default_factory=list)

    def record_answer(self, answer: Answer, origin: Origin) -> None:
        """Keep the answer and where its question came from."""
        self.answers.append((answer, origin))

    def record_feedback(self, origin: Origin, entry_id: str, vote: int) -> None:
        """Keep the vote."""
        self.votes.append((origin, entry_id, vote))
