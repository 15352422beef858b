"""Turning the core's answers into sent messages: rendered, split, keyboard on the last part."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Bot, Chat, InlineKeyboardMarkup, Message, ReplyParameters, User

from adapters.telegram.addressing import PLATFORM, origin, replied_entry
from adapters.telegram.keyboards import answer_keyboard
from adapters.telegram.render import render_answer
from bot.answering.service import FaqService
from bot.model import Answer


def heading(service: FaqService, answer: Answer) -> str | None:
    """The FAQ question an answer answers, in the pack's own words; None for other replies."""
    if not answer.answered or answer.entry_id is None:
        return None
    entry = service.pack.entry(answer.entry_id)
    return entry.title if entry is not None else answer.matched_question


def answer_html(service: FaqService, answer: Answer, *, max_quotes: int | None = None) -> list[str]:
    """An answer as one or more HTML messages."""
    return render_answer(
        answer, service.source, heading=heading(service, answer), max_quotes=max_quotes
    )


def max_quotes(service: FaqService, chat: Chat) -> int | None:
    """How many quotes an answer shows in this chat: all in private, the setting in groups."""
    if chat.type == Chat.PRIVATE:
        return None
    return service.chat_settings(PLATFORM, str(chat.id)).max_quotes


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
    service: FaqService, message: Message, answer: Answer, *, quote: bool = True
) -> None:
    """Send an answer to the message's chat, with the chat's quote limit and the answer's
    keyboard (related questions, votes or suggestions)."""
    parts = answer_html(service, answer, max_quotes=max_quotes(service, message.chat))
    await reply_parts(message, parts, answer_keyboard(answer), quote=quote)


async def answer_question(service: FaqService, message: Message, question: str, bot: User) -> None:
    """Answer a question, as a follow-up when it replies to one of the bot's answers."""
    where = origin(message.chat, message.from_user)
    previous = replied_entry(message, bot)
    if previous is not None:
        answer = service.follow_up(question, previous_entry_id=previous, origin=where)
    else:
        answer = service.ask(question, origin=where)
    await reply_answer(service, message, answer)
