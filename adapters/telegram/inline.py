"""Inline mode: `@bot question` in any chat offers the article's answers as shareable messages."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, ContextTypes, InlineQueryHandler

from adapters.telegram.addressing import inline_origin
from adapters.telegram.keyboards import reply_keyboard
from adapters.telegram.render import render_reply, snippet
from adapters.telegram.replies import reply_for
from bot.answering.core import Core
from bot.matching.sanitise import clean_text
from bot.model import Answer, Origin

Context = ContextTypes.DEFAULT_TYPE
MAX_RESULTS = 10
CACHE_SECONDS = 10
MAX_RESULT_ID = 64
NOT_COVERED = "Not covered by the article"


class InlineHandlers:
    """Answers inline queries from the core's search; never with an invented answer."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def handlers(self) -> list[BaseHandler[Update, Context, None]]:
        """The PTB handlers."""
        return [InlineQueryHandler(self.query)]

    async def query(self, update: Update, context: Context) -> None:
        """Up to MAX_RESULTS answers; examples for an empty query; one "not covered" result
        when the article does not answer it."""
        inline = update.inline_query
        if inline is None:
            return
        text = clean_text(inline.query).strip()
        where = inline_origin(inline.from_user)
        results = [self._result(i, a, where) for i, a in enumerate(self._answers(text, where))]
        await inline.answer(results, cache_time=CACHE_SECONDS)

    def _answers(self, text: str, where: Origin) -> list[Answer]:
        library = self._core.library
        if not text:
            article = self._core.article(where)
            found = (
                library.answer_entry(s.entry_id, prefer=(article.slug,))
                for s in article.answers.examples(MAX_RESULTS)
            )
            return [a for a in found if a is not None]
        # Every article is searched. No origin, so nothing is journalled: inline queries
        # arrive as the user types.
        return library.search(text, limit=MAX_RESULTS) or [library.ask(text)]

    def _result(self, index: int, answer: Answer, where: Origin) -> InlineQueryResultArticle:
        reply = reply_for(self._core, answer, None, where)  # shared into any chat
        title = reply.title or NOT_COVERED
        return InlineQueryResultArticle(
            id=f"{index}:{answer.entry_id or answer.kind.value}"[:MAX_RESULT_ID],
            title=title,
            description=snippet(answer.text),
            input_message_content=InputTextMessageContent(
                render_reply(reply)[0], parse_mode=ParseMode.HTML
            ),
            reply_markup=reply_keyboard(reply),
        )
