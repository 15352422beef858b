"""The ports the core depends on, as tiny protocols, with do-nothing defaults."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bot.knowledge.problems import Problem
from bot.model import Answer, ChatKey, ChatSettings, EntryRef, KnowledgePack, Origin


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


FOLLOW_UP_WINDOW = 3600.0
"""Seconds a last answer can be followed up: a "who said that?" the next day is a new question."""


class Conversations(Protocol):
    """What each reader was last answered in each chat, so a short reply ("who said that?",
    "and her?") follows up on it, and which article they chose to talk about."""

    def last_entry(self, chat: ChatKey) -> EntryRef | None:
        """The entry last answered to this reader in this chat within FOLLOW_UP_WINDOW, or
        None."""

    def remember_entry(self, chat: ChatKey, entry: EntryRef | None) -> None:
        """Note the entry just answered (None: a refusal, after which nothing is followed up)."""

    def chosen_article(self, chat: ChatKey) -> str | None:
        """The article this reader picked for this chat (a pack slug), or None."""

    def choose_article(self, chat: ChatKey, slug: str | None) -> None:
        """Note the article this reader picked (None: back to the chat's default)."""


class MemoryConversations:
    """Conversations kept by one process, the most recent MEMORY readers (oldest forgotten).

    clock: Unix time in seconds, injectable for tests; a last entry older than `window`
    seconds is not followed up (FOLLOW_UP_WINDOW, as in the stores)."""

    MEMORY = 10_000

    def __init__(
        self, *, clock: Callable[[], float] = time.time, window: float = FOLLOW_UP_WINDOW
    ) -> None:
        self._clock = clock
        self._window = window
        self._entries: OrderedDict[ChatKey, tuple[EntryRef | None, float]] = OrderedDict()
        self._articles: OrderedDict[ChatKey, str] = OrderedDict()

    def last_entry(self, chat: ChatKey) -> EntryRef | None:
        """The entry last answered to this reader in this chat within the window, or None."""
        entry, at = self._entries.get(chat, (None, 0.0))
        return entry if self._clock() - at < self._window else None

    def remember_entry(self, chat: ChatKey, entry: EntryRef | None) -> None:
        """Note the entry just answered; the least recent reader is forgotten past MEMORY."""
        self._entries[chat] = (entry, self._clock())
        self._entries.move_to_end(chat)
        while len(self._entries) > self.MEMORY:
            self._entries.popitem(last=False)

    def chosen_article(self, chat: ChatKey) -> str | None:
        """The article this reader picked for this chat, or None."""
        return self._articles.get(chat)

    def choose_article(self, chat: ChatKey, slug: str | None) -> None:
        """Note (or, with None, forget) the article this reader picked."""
        self._articles.pop(chat, None)
        if slug is not None:
            self._articles[chat] = slug
            while len(self._articles) > self.MEMORY:
                self._articles.popitem(last=False)


@dataclass(frozen=True)
class LoadedPack:
    """One pack as a PackSource found it: loaded, or refused with its problems."""

    slug: str
    pack: KnowledgePack | None
    problems: tuple[Problem, ...] = ()


class PackSource(Protocol):
    """Where the packs one bot serves come from: loaded at start and again on reload."""

    @property
    def location(self) -> str:
        """Where the packs are, for messages (a folder)."""

    def load(self) -> list[LoadedPack]:
        """Every pack found, each loaded or refused with its problems, in a stable order."""
