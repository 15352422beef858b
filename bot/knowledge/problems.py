"""What is wrong with a knowledge pack, said so a curator can find and fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a pack is refused: the file, the entry (or line, or group) and why."""

    file: str
    entry: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.entry}" if self.entry else self.file
        return f"{where}: {self.reason}"


class KnowledgeError(Exception):
    """A pack that failed validation; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
