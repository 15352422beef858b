"""End to end with two articles served (the shipped one and harbour-cable): /article lists them
and autocompletes both, a pick per chat (a button, or /article name:) decides which article
answers there, a member's pick is their own while a server manager's is the channel's."""

from __future__ import annotations

from typing import Any

import pytest
from discord_support import RecordingJournal
from fake_discord import (
    ALL_PERMISSIONS,
    CHANNEL_ID,
    DM_CHANNEL_ID,
    OTHER_USER,
    THREAD_ID,
    USER,
    USER_ID,
    FakeDiscord,
)
from pack_paths import SHIPPED_PACK, TEST_PACKS
from test_discord_e2e import EPHEMERAL, callback, custom_ids, embed_of, mention, reply_to

from bot.answering import messages
from bot.answering.chat_policy import ChatPolicy
from bot.answering.core import Core
from bot.answering.library import Library
from bot.knowledge.pack import load_pack
from bot.model import AnswerKind, Origin

PTI, HARBOUR = "pti-exodus", "harbour-cable"
ABOUT = "What is this article about?"  # each article answers it: the pick decides which
PTI_ONLY = "How many leaders abandoned PTI?"
ASKED_BACK = "More than one article answers that."


@pytest.fixture
def core(journal: RecordingJournal) -> Core:
    """The real core serving both packs, journaling into `journal`."""
    packs = [load_pack(SHIPPED_PACK), load_pack(TEST_PACKS / HARBOUR)]
    return Core(
        Library(packs, journal=journal), policy=ChatPolicy(bot_admins=[f"discord:{USER_ID}"])
    )


async def ask(
    bot: FakeDiscord, text: str, *, author: dict[str, Any] = USER, channel_id: int = CHANNEL_ID
) -> dict[str, Any]:
    """Ask (mentioning the bot outside DMs) and return the embed of the one reply."""
    if channel_id == DM_CHANNEL_ID:
        message = await reply_to(bot, text, author=author, channel_id=channel_id)
    else:
        message = await reply_to(
            bot, mention(text), author=author, channel_id=channel_id, mention_bot=True
        )
    return embed_of(message["request"])


def credited(embed: dict[str, Any]) -> str:
    """The embed's footer text ("" when it has none)."""
    return str(embed.get("footer", {}).get("text", ""))


async def notice(bot: FakeDiscord, interaction_id: str) -> str:
    """The ephemeral notice an interaction was answered with."""
    shown = await callback(bot, interaction_id)
    assert shown["data"]["flags"] & EPHEMERAL
    return str(embed_of(shown)["description"])


async def test_article_lists_and_autocompletes_both(bot: FakeDiscord, core: Core) -> None:
    listing = await callback(bot, await bot.slash("article"))
    assert listing["data"]["flags"] & EPHEMERAL
    description = embed_of(listing)["description"]
    for slug in (PTI, HARBOUR):
        assert f"{core.library.title(slug)} ({slug})" in description
    assert custom_ids(listing) == [f"faq:article:{PTI}", f"faq:article:{HARBOUR}", "faq:article:"]

    everything = await callback(bot, await bot.autocomplete("article", "name", ""))
    assert [c["value"] for c in everything["data"]["choices"]] == [PTI, HARBOUR]
    assert [c["name"] for c in everything["data"]["choices"]] == [
        core.library.title(PTI),
        core.library.title(HARBOUR),
    ]
    typed = await callback(bot, await bot.autocomplete("article", "name", "elwick"))
    assert [c["value"] for c in typed["data"]["choices"]] == [HARBOUR]


async def test_a_members_pick_is_their_own_and_a_managers_the_channels(
    bot: FakeDiscord, core: Core, journal: RecordingJournal
) -> None:
    harbour, pti = (f"Source: “{core.library.title(s)}”" for s in (HARBOUR, PTI))
    # A member clicks a button of the listing: only their own article changes.
    listed = await bot.slash("article")
    await callback(bot, listed)
    shown = await notice(
        bot, await bot.click(bot.response_message(listed), f"faq:article:{HARBOUR}")
    )
    assert shown == messages.article_chosen(core.library.title(HARBOUR), for_chat=False)
    assert core.policy.settings("discord", str(CHANNEL_ID)).article is None
    assert credited(await ask(bot, ABOUT)).startswith(harbour)
    other = await ask(bot, ABOUT, author=OTHER_USER)
    assert other["description"].startswith(ASKED_BACK) and not credited(other)

    # A server manager names an article: the channel's default, for everyone without a pick.
    picked = await bot.slash("article", name=PTI, user=OTHER_USER, permissions=ALL_PERMISSIONS)
    assert await notice(bot, picked) == messages.article_chosen(
        core.library.title(PTI), for_chat=True
    )
    assert core.policy.settings("discord", str(CHANNEL_ID)).article == PTI
    assert credited(await ask(bot, ABOUT, author=OTHER_USER)).startswith(pti)
    assert credited(await ask(bot, ABOUT)).startswith(harbour)  # the member's own pick stays

    # Other chats are unaffected: a thread of the server, and the member's DM.
    assert (await ask(bot, ABOUT, channel_id=THREAD_ID))["description"].startswith(ASKED_BACK)
    assert (await ask(bot, ABOUT, channel_id=DM_CHANNEL_ID))["description"].startswith(ASKED_BACK)

    # "Every article" takes the member back to the channel's default.
    await notice(bot, await bot.click(bot.response_message(listed), "faq:article:"))
    assert credited(await ask(bot, ABOUT)).startswith(pti)
    packs = [a.pack for a, _ in journal.answers]
    assert packs == [HARBOUR, None, PTI, HARBOUR, None, None, PTI]


async def test_in_a_dm_the_pick_is_the_chats_and_other_chats_are_unaffected(
    bot: FakeDiscord, core: Core
) -> None:
    picked = await bot.slash("article", name=HARBOUR, channel_id=DM_CHANNEL_ID)
    assert await notice(bot, picked) == messages.article_chosen(
        core.library.title(HARBOUR), for_chat=False
    )
    assert core.policy.settings("discord", str(DM_CHANNEL_ID)).article == HARBOUR
    answer = await ask(bot, ABOUT, channel_id=DM_CHANNEL_ID)
    assert credited(answer).startswith(f"Source: “{core.library.title(HARBOUR)}”")
    assert (await ask(bot, ABOUT))["description"].startswith(ASKED_BACK)


async def test_an_unknown_article_is_refused_with_the_served_ones(
    bot: FakeDiscord, core: Core
) -> None:
    shown = await notice(bot, await bot.slash("article", name="no-such-article"))
    assert shown == messages.unknown_article("no-such-article", [PTI, HARBOUR])
    assert core.chosen_article(Origin("discord", "guild", str(USER_ID), str(CHANNEL_ID))) is None


async def test_a_question_only_the_other_article_covers(
    bot: FakeDiscord, core: Core, journal: RecordingJournal
) -> None:
    await notice(bot, await bot.slash("article", name=HARBOUR))
    refused = await ask(bot, PTI_ONLY)
    assert refused["description"].startswith("The article does not cover that.")
    assert "two dozen" not in refused["description"] and not credited(refused)
    answered = await ask(bot, PTI_ONLY, channel_id=DM_CHANNEL_ID)
    assert "two dozen" in answered["description"]
    assert credited(answered).startswith(f"Source: “{core.library.title(PTI)}”")
    kinds = [(a.kind, a.pack) for a, _ in journal.answers]
    assert kinds == [(AnswerKind.NOT_COVERED, HARBOUR), (AnswerKind.ANSWER, PTI)]


async def test_which_article_buttons_open_the_entry_of_their_own_article(
    bot: FakeDiscord, core: Core
) -> None:
    asked_back = await reply_to(bot, mention(ABOUT), mention_bot=True)
    assert embed_of(asked_back["request"])["description"].startswith(ASKED_BACK)
    # Both articles have an entry with the same id: each button names its article, so the
    # message's custom ids stay distinct (Discord refuses a message that repeats one).
    buttons = custom_ids(asked_back["request"])
    assert len(buttons) == 2 and len(set(buttons)) == 2
    for custom_id, slug in zip(buttons, (PTI, HARBOUR), strict=True):
        assert custom_id.endswith(f":{slug}")
        shown = await callback(bot, await bot.click(asked_back, custom_id))
        assert credited(embed_of(shown)).startswith(f"Source: “{core.library.title(slug)}”")
