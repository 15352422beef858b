"""End to end with two articles served (the shipped one and harbour-cable): /article lists them,
a pick per chat (a button, or the command with a slug) decides which article answers there, a
group member's pick is their own while an admin's is the group's default."""

from __future__ import annotations

import pytest
from pack_paths import SHIPPED_PACK, TEST_PACKS
from recording import RecordingJournal
from tg_fake_api import JSON
from tg_html import plain
from tg_support import BOT_ADMIN, RunningBot

from bot.answering import messages
from bot.answering.chat_policy import ChatPolicy
from bot.answering.core import Core
from bot.answering.library import Library
from bot.knowledge.pack import load_pack
from bot.model import AnswerKind

GROUP_ID = -1001234567890
PTI, HARBOUR = "pti-exodus", "harbour-cable"
ABOUT = "What is this article about?"  # each article answers it: the pick decides which
PTI_ONLY = "How many leaders abandoned PTI?"


@pytest.fixture
def core(journal: RecordingJournal) -> Core:
    """The real core serving both packs, journaling into `journal`."""
    packs = [load_pack(SHIPPED_PACK), load_pack(TEST_PACKS / HARBOUR)]
    return Core(
        Library(packs, journal=journal), policy=ChatPolicy(bot_admins=[f"telegram:{BOT_ADMIN}"])
    )


def credit(bot: RunningBot, slug: str) -> str:
    """The footer that names one article."""
    return f"Source: “{bot.core.library.title(slug)}”"


def callback_data(sent: JSON) -> list[str]:
    """The callback data of every button of a sent message."""
    markup = sent.get("reply_markup") or {"inline_keyboard": []}
    return [b["callback_data"] for row in markup["inline_keyboard"] for b in row]


async def ask(bot: RunningBot, chat: JSON, user: JSON, text: str) -> str:
    """Post a question (mentioning the bot in a group) and return the visible text of the one
    reply."""
    question = text if chat["type"] == "private" else f"@{bot.username} {text}"
    [reply] = await bot.reply_to(bot.api.post(chat, user, question))
    return plain(reply["text"])


async def notice_of_press(bot: RunningBot, user: JSON, message: JSON, data: str) -> str:
    """Press a button and return the notice its answerCallbackQuery shows."""
    before = len(bot.api.called("answerCallbackQuery"))
    bot.api.press(user, message, data)
    await bot.api.wait_for(lambda: len(bot.api.called("answerCallbackQuery")) > before)
    return str(bot.api.called("answerCallbackQuery")[-1].get("text") or "")


async def test_article_lists_both_with_a_button_each(bot: RunningBot) -> None:
    api = bot.api
    ann = api.user(101)
    [listing] = await bot.reply_to(api.post(api.private_chat(ann), ann, "/article"))
    text = plain(listing["text"])
    for slug in (PTI, HARBOUR):
        assert f"• {bot.core.library.title(slug)} ({slug})" in text
    assert "answered from whichever article covers them" in text
    assert callback_data(listing) == [f"a:{PTI}", f"a:{HARBOUR}", "a:"]


async def test_a_pick_per_private_chat_decides_which_article_answers(bot: RunningBot) -> None:
    api = bot.api
    ann, bob, cy = api.user(101, "Ann"), api.user(102, "Bob"), api.user(103, "Cy")
    ann_chat, bob_chat = api.private_chat(ann), api.private_chat(bob)

    # Ann presses a button of the listing; Bob names his article with the command.
    await bot.reply_to(api.post(ann_chat, ann, "/article"))
    listing = api.bot_messages(ann["id"])[-1]
    notice = await notice_of_press(bot, ann, listing, f"a:{HARBOUR}")
    assert notice == messages.article_chosen(bot.core.library.title(HARBOUR), for_chat=False)
    await api.wait_for(lambda: bool(api.called("editMessageText")))
    marked = plain(api.called("editMessageText")[-1]["text"])
    assert f"→ {bot.core.library.title(HARBOUR)} ({HARBOUR})" in marked
    [chosen] = await bot.reply_to(api.post(bob_chat, bob, f"/article {PTI}"))
    assert bot.core.library.title(PTI) in plain(chosen["text"])

    assert credit(bot, HARBOUR) in await ask(bot, ann_chat, ann, ABOUT)
    assert credit(bot, PTI) in await ask(bot, bob_chat, bob, ABOUT)
    # A chat that picked nothing is unaffected: both articles answer, so it is asked back.
    unpicked = await ask(bot, api.private_chat(cy), cy, ABOUT)
    assert unpicked.startswith("More than one article answers that.")
    assert [a.pack for a, _ in bot.journal.answers] == [HARBOUR, PTI, None]
    # In a private chat the pick is the chat's default.
    assert bot.core.policy.settings("telegram", str(ann["id"])).article == HARBOUR


async def test_in_a_group_a_members_pick_is_their_own_and_an_admins_the_groups(
    bot: RunningBot,
) -> None:
    api = bot.api
    group = api.group(GROUP_ID)
    ada, bob, cy = api.user(404, "Ada"), api.user(202, "Bob"), api.user(303, "Cy")
    api.admins.add((GROUP_ID, ada["id"]))

    [mine] = await bot.reply_to(api.post(group, bob, f"/article {HARBOUR}"))
    assert "your article here" in plain(mine["text"])
    assert bot.core.policy.settings("telegram", str(GROUP_ID)).article is None
    assert credit(bot, HARBOUR) in await ask(bot, group, bob, ABOUT)
    assert (await ask(bot, group, cy, ABOUT)).startswith("More than one article answers that.")

    await bot.reply_to(api.post(group, ada, "/article"))
    listing = api.bot_messages(GROUP_ID)[-1]
    notice = await notice_of_press(bot, ada, listing, f"a:{PTI}")
    assert notice == messages.article_chosen(bot.core.library.title(PTI), for_chat=True)
    assert bot.core.policy.settings("telegram", str(GROUP_ID)).article == PTI
    assert credit(bot, PTI) in await ask(bot, group, cy, ABOUT)
    assert credit(bot, PTI) in await ask(bot, group, ada, ABOUT)
    assert credit(bot, HARBOUR) in await ask(bot, group, bob, ABOUT)  # his own pick stays

    # A member's button press is their own too; "every article" takes it back.
    notice = await notice_of_press(bot, cy, listing, f"a:{HARBOUR}")
    assert "your article here" in notice
    assert bot.core.policy.settings("telegram", str(GROUP_ID)).article == PTI
    assert credit(bot, HARBOUR) in await ask(bot, group, cy, ABOUT)
    await notice_of_press(bot, bob, listing, "a:")
    assert credit(bot, PTI) in await ask(bot, group, bob, ABOUT)  # now the group's default


async def test_a_question_only_the_other_article_covers(bot: RunningBot) -> None:
    api = bot.api
    ann, bob = api.user(101, "Ann"), api.user(102, "Bob")
    ann_chat = api.private_chat(ann)
    await bot.reply_to(api.post(ann_chat, ann, f"/article {HARBOUR}"))

    [refused] = await bot.reply_to(api.post(ann_chat, ann, PTI_ONLY))
    text = plain(refused["text"])
    assert text.startswith("The article does not cover that.")
    assert "two dozen" not in text and "Source:" not in text
    assert not any(d.startswith("v:") for d in callback_data(refused))

    answered = await ask(bot, api.private_chat(bob), bob, PTI_ONLY)
    assert "two dozen" in answered and credit(bot, PTI) in answered
    kinds = [(a.kind, a.pack) for a, _ in bot.journal.answers]
    assert kinds == [(AnswerKind.NOT_COVERED, HARBOUR), (AnswerKind.ANSWER, PTI)]


async def test_which_article_buttons_open_the_entry_of_their_own_article(
    bot: RunningBot,
) -> None:
    api = bot.api
    cy = api.user(103, "Cy")
    chat = api.private_chat(cy)
    [asked_back] = await bot.reply_to(api.post(chat, cy, ABOUT))
    assert plain(asked_back["text"]).startswith("More than one article answers that.")
    buttons = callback_data(asked_back)
    # Both articles have an entry with the same id: each button names its article.
    assert len(buttons) == 2 and len(set(buttons)) == 2
    message = api.bot_messages(cy["id"])[-1]
    for data, slug in zip(buttons, (PTI, HARBOUR), strict=True):
        assert data.endswith(f":{slug}")
        before = len(api.bot_messages(cy["id"]))
        api.press(cy, message, data)
        await api.wait_for(lambda n=before: len(api.bot_messages(cy["id"])) > n)
        assert credit(bot, slug) in plain(api.bot_messages(cy["id"])[-1]["text"])
