"""Discord questions and 👍/👎 votes end in the real SQLite journal."""

from __future__ import annotations

import pytest
from fake_discord import USER_ID, FakeDiscord
from test_discord_e2e import QUESTION, callback, custom_ids, mention, reply_to

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
        policy=ChatPolicy(settings=sqlite_journal, bot_admins=[f"discord:{USER_ID}"]),
    )


async def test_question_and_vote_are_journaled(
    bot: FakeDiscord, sqlite_journal: SqliteJournal
) -> None:
    answer = bot.stored((await reply_to(bot, mention(QUESTION), mention_bot=True))["id"])
    up = next(i for i in custom_ids(answer) if i.startswith("faq:vote:up:"))
    await callback(bot, await bot.click(answer, up))
    await callback(bot, await bot.click(answer, up.replace(":up:", ":down:")))
    assert sqlite_journal.flush()
    conn = open_db(sqlite_journal.path)
    [question] = read_questions(conn)
    assert (question.platform, question.question, question.answered) == ("discord", QUESTION, True)
    assert question.user_hash == user_hash(salt(conn), "discord", str(USER_ID)) != str(USER_ID)
    [vote] = read_votes(conn)
    assert (vote.entry_id, vote.vote) == (question.entry_id, -1)
