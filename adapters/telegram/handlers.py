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
from bot.answering import messages
from bot.answering.core import Core, wanted_article
from bot.bootstrap import reload_knowledge
from bot.matching.sanitise import clean_text
from bot.presentation.measures import page_count
from bot.presentation.reply import articles_reply, listed_speakers, speakers_reply

Context = ContextTypes.DEFAULT_TYPE


class ChatHandlers:
    """Handlers for commands and text messages in private chats and groups.

    The commands are registered from the command table (adapters.telegram.commands), whose
    /help lines `help_lines` are."""

    def __init__(self, core: Core, *, help_lines: Sequence[tuple[str, str]]) -> None:
        self._core = core
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
        answer = self._core.answer_entry(entry_id, origin=where) if entry_id else None
        if answer is not None:
            await reply_answer(self._core, message, answer, quote=False)
            return
        article = self._core.article(where)
        examples = suggestions_keyboard(article.answers.examples(3))
        await message.reply_html(render.welcome(article.answers.source), reply_markup=examples)

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
            await answer_question(self._core, message, question, context.bot.bot)
            return
        examples = self._core.article(origin(message.chat, message.from_user)).answers.examples(1)
        example = examples[0].question if examples else "What is the article about?"
        await message.reply_html(render.ask_usage(example))

    async def topics(self, update: Update, context: Context) -> None:
        """Every entry as buttons, a page at a time."""
        message = _human_message(update)
        if message is None:
            return
        topics = self._core.article(origin(message.chat, message.from_user)).answers.topics()
        text = render.topics_text(len(topics), 0, page_count(len(topics), PAGE_SIZE))
        await message.reply_html(text, reply_markup=topics_keyboard(topics, 0))

    async def who(self, update: Update, context: Context) -> None:
        """`/who`: the speakers as buttons; `/who <name>`: that speaker's views and quotes."""
        message = _human_message(update)
        if message is None:
            return
        name = command_argument(message)
        where = origin(message.chat, message.from_user)
        if name:
            answer = self._core.who(name, origin=where)
            await reply_answer(self._core, message, answer, where=where)
            return
        article = self._core.article(where)
        reply = speakers_reply(article.speakers.speakers(), article.answers.source)
        parts, markup = render.render_reply(reply), reply_keyboard(reply)
        await reply_parts(message, parts, markup, quote=message.chat.type != Chat.PRIVATE)

    async def source(self, update: Update, context: Context) -> None:
        """The article's title and kind, and what the bot covers."""
        message = _human_message(update)
        if message is None:
            return
        article = self._core.article(origin(message.chat, message.from_user))
        text = render.source_text(
            article.answers.source,
            entries=len(article.answers.topics()),
            speakers=len(listed_speakers(article.speakers.speakers())),
        )
        await message.reply_html(text)

    async def article(self, update: Update, context: Context) -> None:
        """`/article`: the articles as buttons, this chat's marked; `/article <slug>` picks one
        (in a group, an admin's pick is the group's default; a member's is their own)."""
        message = _human_message(update)
        if message is None:
            return
        where = origin(message.chat, message.from_user)
        wanted = command_argument(message)
        if wanted:
            slug = wanted_article(wanted)
            for_chat = message.chat.type == Chat.PRIVATE or await is_chat_admin(
                context.bot, message.chat, message.from_user, message.sender_chat
            )
            if not self._core.choose_article(where, slug, for_chat=for_chat):
                await reply_parts(
                    message,
                    [render.escape(messages.unknown_article(wanted, self._core.library.slugs))],
                )
                return
            title = self._core.library.title(slug) if slug else None
            shared = for_chat and message.chat.type != Chat.PRIVATE
            await reply_parts(
                message, [render.escape(messages.article_chosen(title, for_chat=shared))]
            )
            return
        reply = articles_reply(*self._core.article_choices(where))
        await reply_parts(message, render.render_reply(reply), reply_keyboard(reply))

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
        current = self._core.policy.settings(PLATFORM, str(chat.id))
        await message.reply_html(
            render.settings_text(current), reply_markup=settings_keyboard(current)
        )

    async def reload(self, update: Update, context: Context) -> None:
        """Reload the knowledge pack from disk (bot admins only)."""
        message = _human_message(update)
        if message is None or message.from_user is None:
            return
        if not self._core.policy.is_bot_admin(PLATFORM, str(message.from_user.id)):
            await message.reply_html("Sorry, only the bot’s admins can reload its knowledge.")
            return
        await reply_parts(message, render.reload_text(reload_knowledge(self._core)))

    async def text(self, update: Update, context: Context) -> None:
        """Private chats: every text is a question. Groups: only messages that mention the bot
        or reply to it, unless the group turned auto-answer on."""
        message = _human_message(update)
        if message is None or message.text is None:
            return
        bot = context.bot.bot
        text = message_text(message)
        if message.chat.type == Chat.PRIVATE:
            await answer_question(self._core, message, text, bot)
            return
        question = mention_question(message, bot)
        if question is None and is_reply_to_bot(message, bot):
            question = text
        if question is not None:
            await answer_question(self._core, message, question, bot)
            return
        where = origin(message.chat, message.from_user)
        answer = self._core.auto_answer(text, origin=where)
        if answer is not None:
            await reply_answer(self._core, message, answer, where=where)

    async def unknown(self, update: Update, context: Context) -> None:
        """A command the bot does not have, in a private chat."""
        message = _human_message(update)
        if message is not None:
            await message.reply_html("I don’t know that command. Send a question, or see /help.")


def _human_message(update: Update) -> Message | None:
    message = update.message
    return message if message is not None and from_human(message) else None
