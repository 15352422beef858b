"""The ports the core depends on, as tiny protocols, with do-nothing defaults."""

from __future__ import annotations

from typing import Protocol

from bot.model import Answer, ChatSettings, Origin


class Journal(Protocol):
    """Where handled questions and feedback votes go. Must never block answering."""

    def record_answer(self, answer: Answer, origin: Origin) -> None:
        """Note one handled question and what the bot replied."""

    def record_feedback(self, origin: Origin, entry_id: str, vote: int) -> None:
        """Note a 👍 (+1) or 👎 (-1) vote by origin's user on an entry; a new vote replaces it."""


class NullJournal:
    """A journal that keeps nothing (tests, `faqbot ask`)."""

    def record_answer(self, answer: Answer, origin: Origin) -> None:
        """Keep nothing."""

    def record_feedback(self, origin: Origin, entry_id: str, vote: int) -> None:
        """Keep nothing."""


class SettingsStore(Protocol):
    """Per-chat settings, keyed by platform and chat id."""

    def get(self, platform: str, chat_id: str) -> ChatSettings:
        """The chat's settings, defaults if never changed."""

    def put(self, platform: str, chat_id: str, settings: ChatSettings) -> None:
        """Store the chat's settings."""


class MemorySettings:
    """Settings kept in memory only (tests, console)."""

    def __init__(self) -> None:
        self._data: dict[tuple[str, str], ChatSettings] = {}

    def get(self, platform: str, chat_id: str) -> ChatSettings:
        """The chat's settings, defaults if never changed."""
        return self._data.get((platform, chat_id), ChatSettings())

    def put(self, platform: str, chat_id: str, settings: ChatSettings) -> None:
        """Store the chat's settings."""
        self._data[(platform, chat_id)] = settings
