"""Button presses: open an entry, vote, turn a /topics page, show a speaker, change settings.

Every press is answered (answerCallbackQuery) before any other API call, so the client's
spinner stops at once; only local work (the core) happens before it.
"""

from __future__ import annotations

from dataclasses import replace

from telegram import CallbackQuery, Chat, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, ContextTypes

from adapters.telegram import keyboards, render
from adapters.telegram.addressing import PLATFORM, inline_origin, is_chat_admin, origin
from adapters.telegram.keyboards import Action, reply_keyboard
from adapters.telegram.render import render_reply
from adapters.telegram.replies import reply_answer, reply_for, send_html
from bot.answering import messages
from bot.answering.core import Core
from bot.model import Answer, Origin
from bot.presentation.measures import page_count
from bot.presentation.reply import articles_reply

Context = ContextTypes.DEFAULT_TYPE
GONE = "That is no longer in the knowledge pack."
NOTICE_LIMIT = 200  # answerCallbackQuery shows at most 200 characters


class ButtonHandlers:
    """Handles every callback query the bot's keyboards produce."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def handlers(self) -> list[BaseHandler[Update, Context, None]]:
        """The PTB handlers."""
        return [CallbackQueryHandler(self.press)]

    async def press(self, update: Update, context: Context) -> None:
        """Answer the query first, then act on the button."""
        query = update.callback_query
        if query is None:
            return
        action = keyboards.parse(query.data)
        where = _origin(query)
        answer: Answer | None = None
        notice: str | None = None
        if action is None:
            notice = "This button no longer works."
        elif action.kind == keyboards.VOTE:
            voted = self._core.feedback(origin=where, entry_id=action.value, vote=action.vote)
            notice = "Thanks for the feedback!" if voted else GONE
        elif action.kind == keyboards.ENTRY:
            answer = self._core.answer_entry(action.value, origin=where, pack=action.article)
            notice = None if answer is not None else GONE
        elif action.kind == keyboards.SPEAKER:
            answer = self._core.speaker(action.value, origin=where)
            notice = None if answer is not None else GONE
        elif action.kind == keyboards.ARTICLE:
            notice = await self._choose_article(query, action.value, where, context)
        await query.answer(notice[:NOTICE_LIMIT] if notice else None)

        if answer is not None:
            await self._show(query, answer, where)
        elif action is not None and action.kind == keyboards.PAGE:
            await self._turn_page(query, int(action.value))
        elif action is not None and action.kind in (keyboards.AUTO, keyboards.QUOTES):
            await self._change_settings(query, action, context)
        elif action is not None and action.kind == keyboards.ARTICLE:
            reply = articles_reply(*self._core.article_choices(where))
            await _edit(query, render_reply(reply)[0], reply_keyboard(reply))

    async def _choose_article(
        self, query: CallbackQuery, slug: str, where: Origin, context: Context
    ) -> str:
        """Pick the article for the reader; a group admin's pick is the group's default."""
        message = query.message
        chat = message.chat if message is not None else None
        for_chat = chat is not None and chat.type == Chat.PRIVATE
        if chat is not None and chat.type in (Chat.GROUP, Chat.SUPERGROUP):
            for_chat = await is_chat_admin(context.bot, chat, query.from_user, None)
        wanted = slug or None
        if not self._core.choose_article(where, wanted, for_chat=for_chat):
            return GONE
        title = self._core.library.title(wanted) if wanted else None
        shared = chat is not None and chat.type != Chat.PRIVATE
        return messages.article_chosen(title, for_chat=for_chat and shared)

    async def _show(self, query: CallbackQuery, answer: Answer, where: Origin) -> None:
        if query.inline_message_id is not None:
            reply = reply_for(self._core, answer, None, where)  # an inline message: shared
            await _edit(query, render_reply(reply)[0], reply_keyboard(reply))
            return
        message = query.message
        if isinstance(message, Message):
            await reply_answer(
                self._core, message, answer, quote=message.chat.type != Chat.PRIVATE, where=where
            )
        elif message is not None:
            reply = reply_for(self._core, answer, message.chat, where)
            parts = render_reply(reply)
            await send_html(query.get_bot(), message.chat.id, parts, reply_keyboard(reply))

    async def _turn_page(self, query: CallbackQuery, page: int) -> None:
        topics = self._core.article(_origin(query)).answers.topics()
        pages = page_count(len(topics), keyboards.PAGE_SIZE)
        page = min(max(page, 0), pages - 1)
        text = render.topics_text(len(topics), page, pages)
        await _edit(query, text, keyboards.topics_keyboard(topics, page))

    async def _change_settings(
        self, query: CallbackQuery, action: Action, context: Context
    ) -> None:
        message = query.message
        if message is None or message.chat.type not in (Chat.GROUP, Chat.SUPERGROUP):
            return
        chat = message.chat
        if not await is_chat_admin(context.bot, chat, query.from_user, None):
            return
        current = self._core.policy.settings(PLATFORM, str(chat.id))
        if action.kind == keyboards.AUTO:
            changed = replace(current, auto_answer=not current.auto_answer)
        elif int(action.value) in keyboards.QUOTE_CHOICES:
            changed = replace(current, max_quotes=int(action.value))
        else:
            return
        if changed == current:
            return
        self._core.policy.update(PLATFORM, str(chat.id), changed)
        await _edit(query, render.settings_text(changed), keyboards.settings_keyboard(changed))


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the pressed message in place (also one too old to be included in the query); a
    double press that changes nothing is not an error."""
    message = query.message
    try:
        if query.inline_message_id is not None or isinstance(message, Message):
            await query.edit_message_text(text, reply_markup=markup)
        elif message is not None:
            await query.get_bot().edit_message_text(
                text, chat_id=message.chat.id, message_id=message.message_id, reply_markup=markup
            )
    except BadRequest as exc:
        if "not modified" not in exc.message:
            raise


def _origin(query: CallbackQuery) -> Origin:
    if query.inline_message_id is not None or query.message is None:
        return inline_origin(query.from_user)
    return origin(query.message.chat, query.from_user)
