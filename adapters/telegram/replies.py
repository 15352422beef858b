"""Turning the core's answers into sent messages: rendered, split, keyboard on the last part."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Bot, Chat, InlineKeyboardMarkup, Message, ReplyParameters, User

from adapters.telegram.addressing import PLATFORM, origin, replied_entry
from adapters.telegram.keyboards import reply_keyboard
from adapters.telegram.render import render_reply
from bot.answering.core import Core
from bot.model import Answer, Audience, Origin
from bot.presentation.reply import Reply, build_reply


def chat_kind(chat: Chat | None) -> Audience:
    """Private chats are the reader's own; groups, channels and inline results are shared."""
    return Audience.PRIVATE if chat is not None and chat.type == Chat.PRIVATE else Audience.GROUP


def reply_for(core: Core, answer: Answer, chat: Chat | None, where: Origin) -> Reply:
    """The Reply for an answer in this chat (None: an inline result, shared into any chat),
    with the chat's settings."""
    kind = chat_kind(chat)
    settings = None
    if chat is not None and kind is Audience.GROUP:
        settings = core.policy.settings(PLATFORM, str(chat.id))
    return build_reply(answer, core.source_for(answer, where), chat=kind, settings=settings)


async def send_html(
    bot: Bot,
    chat_id: int,
    parts: Sequence[str],
    markup: InlineKeyboardMarkup | None = None,
    *,
    reply_to: int | None = None,
    thread_id: int | None = None,
) -> None:
    """Send the parts in order: the first replies to `reply_to`, the last carries the keyboard."""
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await bot.send_message(
            chat_id,
            part,
            reply_parameters=ReplyParameters(reply_to) if reply_to and index == 0 else None,
            message_thread_id=thread_id,
            reply_markup=markup if last else None,
        )


async def reply_parts(
    message: Message,
    parts: Sequence[str],
    markup: InlineKeyboardMarkup | None = None,
    *,
    quote: bool = True,
) -> None:
    """Send parts to the message's chat (and forum topic), replying to it when `quote`."""
    await send_html(
        message.get_bot(),
        message.chat_id,
        parts,
        markup,
        reply_to=message.message_id if quote else None,
        thread_id=message.message_thread_id if message.is_topic_message else None,
    )


async def reply_answer(
    core: Core,
    message: Message,
    answer: Answer,
    *,
    quote: bool = True,
    where: Origin | None = None,
) -> None:
    """Send an answer to the message's chat as its Reply for that chat: the HTML parts, the
    keyboard on the last. `where`: the reader it answers (default: the message's sender)."""
    where = where or origin(message.chat, message.from_user)
    reply = reply_for(core, answer, message.chat, where)
    await reply_parts(message, render_reply(reply), reply_keyboard(reply), quote=quote)


async def answer_question(core: Core, message: Message, question: str, bot: User) -> None:
    """Answer a question, as a follow-up when it replies to one of the bot's answers."""
    where = origin(message.chat, message.from_user)
    answer = core.ask(question, origin=where, replying_to=replied_entry(message, bot))
    await reply_answer(core, message, answer, where=where)
