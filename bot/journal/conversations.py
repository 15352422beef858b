"""Conversations in a store (bot.ports.Conversations), shared by every instance: one row per
reader in a chat with the entry last answered to them and the article they picked.

Both stores (bot.journal.sqlite_store, bot.journal.postgres) run the statements written here,
with their driver's placeholder (``?`` or ``%s``). A row is keyed by the platform and the
pseudonyms of the chat and user ids under the store's salt, never the ids themselves. A last
entry older than bot.ports.FOLLOW_UP_WINDOW is not followed up; rows are deleted with the
journal's other personal rows once the reader has been quiet past the retention.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from bot.journal.records import pseudonym
from bot.model import ChatKey, EntryRef
from bot.ports import FOLLOW_UP_WINDOW

_KEY = "platform = {p} AND chat_hash = {p} AND user_hash = {p}"


def conversation_key(salt: bytes, chat: ChatKey) -> tuple[str, str, str]:
    """The stored key of one reader in one chat: platform, chat pseudonym, user pseudonym."""
    return (
        chat.platform,
        pseudonym(salt, "chat", chat.platform, chat.chat_id),
        pseudonym(salt, "user", chat.platform, chat.user_id),
    )


def select_conversation_sql(placeholder: str) -> str:
    """The SELECT of one reader's row (parameters: conversation_key), read by last_entry_of
    and article_of."""
    where = _KEY.format(p=placeholder)
    return f"SELECT entry_pack, entry_id, entry_at, article FROM conversations WHERE {where}"


@functools.cache
def remember_entry_sql(placeholder: str) -> str:
    """The upsert of a reader's last entry (parameters: key, pack, entry id, time); their
    chosen article is left as it was."""
    marks = ", ".join(placeholder for _ in range(6))
    return f"""INSERT INTO conversations
        (platform, chat_hash, user_hash, entry_pack, entry_id, entry_at) VALUES ({marks})
    ON CONFLICT (platform, chat_hash, user_hash) DO UPDATE
    SET entry_pack = excluded.entry_pack, entry_id = excluded.entry_id,
        entry_at = excluded.entry_at"""


@functools.cache
def choose_article_sql(placeholder: str) -> str:
    """The upsert of a reader's chosen article (parameters: key, slug or None, time); their
    last entry is left as it was."""
    marks = ", ".join(placeholder for _ in range(5))
    return f"""INSERT INTO conversations
        (platform, chat_hash, user_hash, article, article_at) VALUES ({marks})
    ON CONFLICT (platform, chat_hash, user_hash) DO UPDATE
    SET article = excluded.article, article_at = excluded.article_at"""


def purge_conversations_sql(placeholder: str) -> str:
    """The DELETE of rows whose reader has been quiet since before a time (the parameter,
    given twice): neither an entry nor an article was set at or after it."""
    return f"""DELETE FROM conversations
        WHERE COALESCE(entry_at, 0) < {placeholder} AND COALESCE(article_at, 0) < {placeholder}"""


def entry_values(salt: bytes, chat: ChatKey, entry: EntryRef | None, now: float) -> tuple[Any, ...]:
    """The parameters of remember_entry_sql."""
    pack, entry_id = (entry.pack, entry.entry_id) if entry is not None else (None, None)
    return (*conversation_key(salt, chat), pack, entry_id, now)


def article_values(salt: bytes, chat: ChatKey, slug: str | None, now: float) -> tuple[Any, ...]:
    """The parameters of choose_article_sql."""
    return (*conversation_key(salt, chat), slug, now)


def last_entry_of(row: Sequence[Any] | None, now: float) -> EntryRef | None:
    """The last entry of a select_conversation_sql row, unless older than FOLLOW_UP_WINDOW
    (or a refusal, or no entry yet)."""
    if row is None:
        return None
    pack, entry_id, at = row[0], row[1], row[2]
    if pack is None or entry_id is None or at is None or now - at >= FOLLOW_UP_WINDOW:
        return None
    return EntryRef(pack, entry_id)


def article_of(row: Sequence[Any] | None) -> str | None:
    """The chosen article of a select_conversation_sql row, or None."""
    return None if row is None else row[3]


class StoredConversations:
    """bot.ports.Conversations for a store, over its two driver-specific steps: reading one
    reader's row (`_read_conversation`) and running one upsert (`_write_conversation`). Both
    steps fail soft: a store that cannot be read or written remembers nothing, logged."""

    _salt: bytes
    _clock: Callable[[], float]
    _placeholder: str  # the driver's: "?" or "%s"

    def last_entry(self, chat: ChatKey) -> EntryRef | None:
        """The entry last answered to this reader in this chat within FOLLOW_UP_WINDOW, by any
        instance sharing the store; None also when the store cannot be read."""
        return last_entry_of(self._read_conversation(chat), self._clock())

    def remember_entry(self, chat: ChatKey, entry: EntryRef | None) -> None:
        """Note the entry just answered (None: a refusal)."""
        self._write_conversation(
            remember_entry_sql(self._placeholder),
            entry_values(self._salt, chat, entry, self._clock()),
        )

    def chosen_article(self, chat: ChatKey) -> str | None:
        """The article this reader picked for this chat; None also when the store cannot be
        read."""
        return article_of(self._read_conversation(chat))

    def choose_article(self, chat: ChatKey, slug: str | None) -> None:
        """Note (None: forget) the article this reader picked."""
        self._write_conversation(
            choose_article_sql(self._placeholder),
            article_values(self._salt, chat, slug, self._clock()),
        )

    def _read_conversation(self, chat: ChatKey) -> tuple[Any, ...] | None:
        """The reader's row of select_conversation_sql, or None (none, or a logged failure)."""
        raise NotImplementedError

    def _write_conversation(self, statement: str, values: tuple[Any, ...]) -> None:
        """Run one upsert; a failure is logged only."""
        raise NotImplementedError
