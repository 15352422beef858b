"""Chat policy: each chat's settings, who may change what, and when a group is auto-answered."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from bot.model import Answer, ChatSettings, Origin
from bot.ports import Cooldowns, MemoryCooldowns, MemorySettings, SettingsStore

AUTO_ANSWER_COOLDOWN = 600.0
AUTO_ANSWER_MIN_SCORE = 0.6


class ChatPolicy:
    """Per-chat settings (kept in the store), bot admins, and auto-answer cooldowns."""

    def __init__(
        self,
        *,
        settings: SettingsStore | None = None,
        cooldowns: Cooldowns | None = None,
        bot_admins: Iterable[str] = (),
        clock: Callable[[], float] = time.time,
    ) -> None:
        """clock: Unix time in seconds, the time auto-answer cooldowns are measured in."""
        self._settings: SettingsStore = settings or MemorySettings()
        self._cooldowns: Cooldowns = cooldowns or MemoryCooldowns()
        self._bot_admins = frozenset(bot_admins)
        self._clock = clock

    def settings(self, platform: str, chat_id: str) -> ChatSettings:
        """A chat's settings (defaults until an admin changes them)."""
        return self._settings.get(platform, chat_id)

    def update(self, platform: str, chat_id: str, settings: ChatSettings) -> None:
        """Store a chat's settings. The adapter checks the user is a chat admin first."""
        self._settings.put(platform, chat_id, settings)

    def is_bot_admin(self, platform: str, user_id: str) -> bool:
        """Whether this user may run bot-wide commands such as /reload (FAQBOT_ADMINS)."""
        return f"{platform}:{user_id}" in self._bot_admins

    def auto_answers(self, origin: Origin) -> bool:
        """Whether the chat enabled answering plain messages that are questions."""
        return self.settings(origin.platform, origin.chat_id or "").auto_answer

    def take_auto_answer(self, answer: Answer, origin: Origin) -> bool:
        """Whether an answer may be posted unasked: confident, and its entry not auto-answered in
        this chat in the last AUTO_ANSWER_COOLDOWN seconds (noting it now when it may)."""
        if not answer.answered or answer.score < AUTO_ANSWER_MIN_SCORE or not answer.entry_id:
            return False
        key = f"{answer.pack}/{answer.entry_id}" if answer.pack else answer.entry_id
        return self._cooldowns.take(
            origin.platform,
            origin.chat_id or "",
            key,
            now=self._clock(),
            wait=AUTO_ANSWER_COOLDOWN,
        )
