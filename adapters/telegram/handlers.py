"""Commands and plain messages: what the bot answers, and when it stays silent."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Chat, Message, Update
from telegram.ext import BaseHandler, ContextTypes, MessageHandler, filters

from adapters.telegram import render
from adapters.telegram.addressing import (
    PLATFORM,
    command_argument,
    from_human,
    is_chat_admin,
    is_reply_to_bot,
    mention_question,
    message_text,
    origin,
)
from adapters.telegram.keyboards import (
    PAGE_SIZE,
    reply_keyboard,
    settings_keyboard,
    suggestions_keyboard,
    topics_keyboard,
)
from adapters.telegram.replies import answer_question, reply_answer, reply_parts
from bot.answering.service import FaqService
from bot.matching.sanitise import clean_text
from bot.presentation.measures import page_count
from bot.presentation.reply import listed_speakers, speakers_reply

Context = ContextTypes.DEFAULT_TYPE


class ChatHandlers:
    """Handlers for commands and text messages in private chats and groups.

    The commands are registered from the command table (adapters.telegram.commands), whose
    /help lines `help_lines` are."""

    def __init__(self, service: FaqService, *, help_lines: Sequence[tuple[str, str]]) -> None:
        self._service = service
        self._help_lines = tuple(help_lines)

    def handlers(self) -> list[BaseHandler[Update, Context, None]]:
        """The message handlers, in dispatch order, to add after the command table's. Edited
        messages are never answered."""
        new = filters.UpdateType.MESSAGE
        return [
            MessageHandler(new & filters.TEXT & ~filters.COMMAND, self.text),
            MessageHandler(new & filters.COMMAND & filters.ChatType.PRIVATE, self.unknown),
        ]

    async def start(self, update: Update, context: Context) -> None:
        """Welcome with three example questions; `/start <entry_id>` (a deep link) opens it."""
        message = _human_message(update)
        if message is None:
            return
        entry_id = clean_text(context.args[0]) if context.args else None
        where = origin(message.chat, message.from_user)
        answer = self._service.answer_entry(entry_id, origin=where) if entry_id else None
        if answer is not None:
            await reply_answer(self._service, message, answer, quote=False)
            return
        examples = suggestions_keyboard(self._service.examples(3))
        await message.reply_html(render.welcome(self._service.source), reply_markup=examples)

    async def help(self, update: Update, context: Context) -> None:
        """How to ask, and the commands."""
        message = _human_message(update)
        if message is not None:
            await message.reply_html(render.help_text(context.bot.username, self._help_lines))

    async def ask(self, update: Update, context: Context) -> None:
        """`/ask <question>` (or `/ask@bot` in groups)."""
        message = _human_message(update)
        if message is None:
            return
        question = command_argument(message)
        if question:
            await answer_question(self._service, message, question, context.bot.bot)
            return
        examples = self._service.examples(1)
        example = examples[0].question if examples else "What is the article about?"
        await message.reply_html(render.ask_usage(example))

    async def topics(self, update: Update, context: Context) -> None:
        """Every entry as buttons, a page at a time."""
        message = _human_message(update)
        if message is None:
            return
        topics = self._service.topics()
        text = render.topics_text(len(topics), 0, page_count(len(topics), PAGE_SIZE))
        await message.reply_html(text, reply_markup=topics_keyboard(topics, 0))

    async def who(self, update: Update, context: Context) -> None:
        """`/who`: the speakers as buttons; `/who <name>`: that speaker's views and quotes."""
        message = _human_message(update)
        if message is None:
            return
        name = command_argument(message)
        if name:
            where = origin(message.chat, message.from_user)
            answer = self._service.who(name, origin=where)
            await reply_answer(self._service, message, answer)
            return
        reply = speakers_reply(self._service.speakers(), self._service.source)
        parts, markup = render.render_reply(reply), reply_keyboard(reply)
        await reply_parts(message, parts, markup, quote=message.chat.type != Chat.PRIVATE)

    async def source(self, update: Update, context: Context) -> None:
        """The article's title and kind, and what the bot covers."""
        message = _human_message(update)
        if message is None:
            return
        text = render.source_text(
            self._service.source,
            entries=len(self._service.topics()),
            speakers=len(listed_speakers(self._service.speakers())),
        )
        await message.reply_html(text)

    async def settings(self, update: Update, context: Context) -> None:
        """The group's settings panel, for group admins only."""
        message = _human_message(update)
        if message is None:
            return
        chat = message.chat
        if chat.type not in (Chat.GROUP, Chat.SUPERGROUP):
            await message.reply_html("Settings are per group: send /settings in a group I am in.")
            return
        if not await is_chat_admin(context.bot, chat, message.from_user, message.sender_chat):
            await message.reply_html("Sorry, only this group’s admins can change my settings.")
            return
        current = self._service.chat_settings(PLATFORM, str(chat.id))
        await message.reply_html(
            render.settings_text(current), reply_markup=settings_keyboard(current)
        )

    async def reload(self, update: Update, context: Context) -> None:
        """Reload the knowledge pack from disk (bot admins only)."""
        message = _human_message(update)
        if message is None or message.from_user is None:
            return
        if not self._service.is_bot_admin(PLATFORM, str(message.from_user.id)):
            await message.reply_html("Sorry, only the bot’s admins can reload its knowledge.")
            return
        await reply_parts(message, render.reload_text(self._service.reload()))

    async def text(self, update: Update, context: Context) -> None:
        """Private chats: every text is a question. Groups: only messages that mention the bot
        or reply to it, unless the group turned auto-answer on."""
        message = _human_message(update)
        if message is None or message.text is None:
            return
        bot = context.bot.bot
        text = message_text(message)
        if message.chat.type == Chat.PRIVATE:
            await answer_question(self._service, message, text, bot)
            return
        question = mention_question(message, bot)
        if question is None and is_reply_to_bot(message, bot):
            question = text
        if question is not None:
            await answer_question(self._service, message, question, bot)
            return
        where = origin(message.chat, message.from_user)
        answer = self._service.auto_answer(text, origin=where)
        if answer is not None:
            await reply_answer(self._service, message, answer)

    async def unknown(self, update: Update, context: Context) -> None:
        """A command the bot does not have, in a private chat."""
        message = _human_message(update)
        if message is not None:
            await message.reply_html("I don’t know that command. Send a question, or see /help.")


def _human_message(update: Update) -> Message | None:
    message = update.message
    return message if message is not None and from_human(message) else None
