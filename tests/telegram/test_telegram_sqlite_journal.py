"""Telegram questions and 👍/👎 votes end in the real SQLite journal."""

from __future__ import annotations

import pytest
from tg_support import BOT_ADMIN, RunningBot

from bot.answering.chat_policy import ChatPolicy
from bot.answering.core import Core
from bot.answering.library import Library
from bot.journal.records import user_hash
from bot.journal.sqlite_journal import SqliteJournal, read_questions, read_votes
from bot.journal.state import open_db, salt
from bot.model import KnowledgePack


@pytest.fixture
def core(pack: KnowledgePack, sqlite_journal: SqliteJournal) -> Core:
    """The core journaling into (and keeping chat settings in) the real SQLite journal."""
    return Core(
        Library([pack], journal=sqlite_journal),
        policy=ChatPolicy(settings=sqlite_journal, bot_admins=[f"telegram:{BOT_ADMIN}"]),
    )


async def test_question_and_vote_are_journaled(
    bot: RunningBot, sqlite_journal: SqliteJournal
) -> None:
    api = bot.api
    ann = api.user(101)
    await bot.reply_to(api.post(api.private_chat(ann), ann, "What is Benazir Shah's view?"))
    answer_message = api.bot_messages(ann["id"])[-1]
    api.press(ann, answer_message, "v:+:benazir-shah-view")
    await api.wait_for(lambda: bool(api.called("answerCallbackQuery")))
    api.press(ann, answer_message, "v:-:benazir-shah-view")
    await api.wait_for(lambda: len(api.called("answerCallbackQuery")) == 2)
    assert sqlite_journal.flush()
    conn = open_db(sqlite_journal.path)
    [question] = read_questions(conn)
    assert (question.platform, question.question, question.entry_id) == (
        "telegram",
        "What is Benazir Shah's view?",
        "benazir-shah-view",
    )
    # The stored id is the HMAC under the file's salt, not the raw id (a hex digest may contain
    # "101" by chance, so compare with the pseudonym itself).
    assert question.user_hash == user_hash(salt(conn), "telegram", "101") != "101"
    [vote] = read_votes(conn)
    assert (vote.entry_id, vote.vote, vote.user_hash) == (
        "benazir-shah-view",
        -1,
        question.user_hash,
    )
