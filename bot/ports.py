"""The ports the core depends on, as tiny protocols, with do-nothing defaults."""

from __future__ import annotations

import threading
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


class Cooldowns(Protocol):
    """When each entry was last auto-answered in each chat (shared by every instance)."""

    def take(self, platform: str, chat_id: str, entry_id: str, *, now: float, wait: float) -> bool:
        """True, noting `now`, when the entry was not auto-answered in the chat within the last
        `wait` seconds; False (nothing changed) otherwise. One atomic step."""


class MemoryCooldowns:
    """Cooldowns of one process (tests, console, a service without a store)."""

    MEMORY = 10_000

    def __init__(self) -> None:
        self._last: dict[tuple[str, str, str], float] = {}

    def take(self, platform: str, chat_id: str, entry_id: str, *, now: float, wait: float) -> bool:
        """True, noting `now`, when the entry is out of its cooldown in that chat."""
        key = (platform, chat_id, entry_id)
        last = self._last.get(key)
        if last is not None and now - last < wait:
            return False
        if len(self._last) >= self.MEMORY:
            self._last = {k: at for k, at in self._last.items() if now - at < wait}
        self._last[key] = now
        return True


class ReloadBus(Protocol):
    """Tells the other instances sharing a store that the knowledge pack was reloaded."""

    def announce(self) -> None:
        """Ask every other instance to reload its pack; returns at once."""


class LocalReload:
    """A reload bus for a single instance: there is nobody to tell."""

    def announce(self) -> None:
        """Tell nobody."""


class Pacer(Protocol):
    """Turns of one kind, spaced out across every instance (Discord's IDENTIFY, one per 5 s)."""

    def pace(self, key: str, interval: float) -> None:
        """Block until it is this caller's turn for `key`; turns of one key start at least
        `interval` seconds apart."""


class LocalPacer:
    """Turns spaced out within one process (a store that cannot coordinate processes)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def pace(self, key: str, interval: float) -> None:
        """Take the key's turn; it is given back `interval` seconds from now."""
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        lock.acquire()
        timer = threading.Timer(interval, lock.release)
        timer.daemon = True
        timer.start()
