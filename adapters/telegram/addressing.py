"""Who sent a message, whether it is meant for the bot, and the question it carries.

Telegram gives entity offsets and lengths in UTF-16 code units, so spans are cut from the
UTF-16 encoding of the text, never from Python string indexes. Text is sanitised (no lone
surrogates) before anything else touches it, and an entity whose offsets split a character is cut
leniently: a client may send either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from telegram import Bot, Chat, ChatMember, Message, MessageEntity, User

from adapters.telegram.keyboards import answered_entry
from bot.matching.sanitise import clean_text
from bot.model import ChatKind, Origin

PLATFORM = "telegram"
_BLANKS = re.compile(r"[ \t]+")
_ADMIN_STATUSES = frozenset({ChatMember.ADMINISTRATOR, ChatMember.OWNER})


def origin(chat: Chat | None, user: User | None) -> Origin:
    """The journal's view of a chat message or button press."""
    return Origin(
        platform=PLATFORM,
        chat_kind=ChatKind(chat.type) if chat is not None else ChatKind.PRIVATE,
        user_id=str(user.id) if user is not None else None,
        chat_id=str(chat.id) if chat is not None else None,
    )


def inline_origin(user: User | None) -> Origin:
    """The journal's view of an inline query or a button on an inline message."""
    return Origin(
        platform=PLATFORM, chat_kind=ChatKind.INLINE, user_id=str(user.id) if user else None
    )


def from_human(message: Message) -> bool:
    """False for bots (no bot-to-bot loops) and for channel posts forwarded into a discussion
    group; true for people, also when they post as the group (anonymous admins) or as a channel
    (then `from` is a placeholder bot account)."""
    if message.is_automatic_forward:
        return False
    if message.sender_chat is not None:
        return True
    user = message.from_user
    return user is not None and not user.is_bot


def message_text(message: Message) -> str:
    """The message's text with lone surrogates replaced (same UTF-16 length); "" if none."""
    return clean_text(message.text or "")


def entity_text(text: str, offset: int, length: int) -> str:
    """The text of the (offset, length) span in UTF-16 units; halves of a split character are
    dropped rather than failing."""
    units = text.encode("utf-16-le")
    return units[offset * 2 : (offset + length) * 2].decode("utf-16-le", errors="ignore")


def remove_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` without the (offset, length) spans, both counted in UTF-16 code units."""
    units = text.encode("utf-16-le")
    kept, at = [], 0
    for offset, length in sorted(spans):
        start = max(offset * 2, at)
        kept.append(units[at:start])
        at = max(at, (offset + length) * 2)
    kept.append(units[at:])
    return b"".join(kept).decode("utf-16-le", errors="ignore")


def _mentions_of_bot(message: Message, text: str, bot: User) -> list[MessageEntity]:
    wanted = f"@{bot.username}".lower() if bot.username else None
    return [
        entity
        for entity in message.entities
        if (
            entity.type == MessageEntity.MENTION
            and entity_text(text, entity.offset, entity.length).lower() == wanted
        )
        or (
            entity.type == MessageEntity.TEXT_MENTION
            and entity.user is not None
            and entity.user.id == bot.id
        )
    ]


def mention_question(message: Message, bot: User) -> str | None:
    """The text of a message that mentions the bot, with the mentions cut out; else None."""
    text = message_text(message)
    mentions = _mentions_of_bot(message, text, bot)
    if not mentions:
        return None
    return _tidy(remove_spans(text, [(e.offset, e.length) for e in mentions]))


def command_argument(message: Message) -> str:
    """What follows the leading /command (or /command@bot), with mentions of others kept."""
    text = message_text(message)
    commands = [
        e for e in message.entities if e.type == MessageEntity.BOT_COMMAND and e.offset == 0
    ]
    if not commands:
        return _tidy(text)
    return _tidy(remove_spans(text, [(0, commands[0].length)]))


def is_reply_to_bot(message: Message, bot: User) -> bool:
    """Whether the message replies to one of the bot's own messages (or one sent via it)."""
    replied = message.reply_to_message
    if replied is None:
        return False
    by_bot = replied.from_user is not None and replied.from_user.id == bot.id
    via_bot = replied.via_bot is not None and replied.via_bot.id == bot.id
    return by_bot or via_bot


def replied_entry(message: Message, bot: User) -> str | None:
    """The entry of the bot answer this message replies to, if it replies to one."""
    if not is_reply_to_bot(message, bot) or message.reply_to_message is None:
        return None
    return answered_entry(message.reply_to_message.reply_markup)


def _tidy(text: str) -> str:
    return _BLANKS.sub(" ", text).strip()


async def is_chat_admin(bot: Bot, chat: Chat, user: User | None, sender_chat: Chat | None) -> bool:
    """Whether the sender administers the group (getChatMember); anonymous admins post as the
    group itself."""
    if sender_chat is not None:
        return sender_chat.id == chat.id
    if user is None:
        return False
    member = await bot.get_chat_member(chat.id, user.id)
    return member.status in _ADMIN_STATUSES
