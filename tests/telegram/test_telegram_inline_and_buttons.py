"""End to end: inline mode and the inline keyboard buttons."""

from __future__ import annotations

import logging

import pytest
from tg_html import parse, plain
from tg_support import RunningBot

from adapters.telegram import keyboards
from bot.model import Origin
from bot.presentation.measures import page_count


def call_order(bot: RunningBot) -> list[str]:
    """Methods called after start-up, in order."""
    return [c.method for c in bot.api.calls if c.method not in ("getUpdates", "setMyCommands")]


async def test_inline_query_offers_answers_from_the_article(bot: RunningBot) -> None:
    api = bot.api
    ann = api.user(101)
    api.inline_query(ann, "benazir shah view")
    await api.wait_for(lambda: bool(api.called("answerInlineQuery")))
    [answer] = api.called("answerInlineQuery")
    assert answer["cache_time"] == 10
    results = answer["results"]
    assert 1 <= len(results) <= 10
    first = results[0]
    assert first["type"] == "article"
    assert first["title"] == "What does Benazir Shah think about the establishment's role?"
    assert first["description"].startswith("Political analyst Benazir Shah suggests")
    content = first["input_message_content"]
    assert content["parse_mode"] == "HTML"
    assert "— Benazir Shah, political analyst (suggests)" in plain(content["message_text"])
    assert len({r["id"] for r in results}) == len(results)
    assert all(len(r["id"].encode()) <= 64 for r in results)


async def test_empty_inline_query_offers_examples(bot: RunningBot) -> None:
    api = bot.api
    api.inline_query(api.user(101), "")
    await api.wait_for(lambda: bool(api.called("answerInlineQuery")))
    results = api.called("answerInlineQuery")[0]["results"]
    expected = [s.question for s in bot.core.library.first.answers.examples(10)]
    assert [r["title"] for r in results] == expected
    for result in results:
        parse(result["input_message_content"]["message_text"])


async def test_inline_query_the_article_does_not_answer(bot: RunningBot) -> None:
    api = bot.api
    api.inline_query(api.user(101), "how do I cook rice <b>&")
    await api.wait_for(lambda: bool(api.called("answerInlineQuery")))
    [result] = api.called("answerInlineQuery")[0]["results"]
    assert result["title"] == "Not covered by the article"
    text = plain(result["input_message_content"]["message_text"])
    assert text.startswith("The article does not cover that.")
    assert bot.journal.answers == []


async def test_related_button_opens_that_entry_after_answering_the_query(bot: RunningBot) -> None:
    api = bot.api
    ann = api.user(101)
    await bot.reply_to(api.post(api.private_chat(ann), ann, "What is Benazir Shah's view?"))
    answer_message = api.bot_messages(ann["id"])[-1]
    start = len(api.calls)
    api.press(ann, answer_message, "e:who-is-benazir-shah")
    await api.wait_for(lambda: len(api.sent()) == 2)
    after = [c.method for c in api.calls[start:] if c.method != "getUpdates"]
    assert after == ["answerCallbackQuery", "sendMessage"]
    opened = api.sent()[1]
    assert "Who is Benazir Shah?" in plain(opened["text"])
    assert "v:+:who-is-benazir-shah" in str(opened["reply_markup"])
    journaled, where = bot.journal.answers[-1]
    assert journaled.entry_id == "who-is-benazir-shah"
    assert (where.platform, where.user_id) == ("telegram", "101")


async def test_vote_reaches_the_journal(bot: RunningBot) -> None:
    api = bot.api
    ann = api.user(101)
    await bot.reply_to(api.post(api.private_chat(ann), ann, "What is Benazir Shah's view?"))
    answer_message = api.bot_messages(ann["id"])[-1]
    query_id = api.press(ann, answer_message, "v:-:benazir-shah-view")
    await api.wait_for(lambda: bool(api.called("answerCallbackQuery")))
    [answered] = api.called("answerCallbackQuery")
    assert answered["callback_query_id"] == query_id
    assert "Thanks" in answered["text"]
    origin = Origin("telegram", "private", user_id="101", chat_id="101")
    assert bot.journal.votes == [(origin, "benazir-shah-view", -1)]


async def test_stale_or_unknown_buttons_are_answered_and_do_nothing_else(bot: RunningBot) -> None:
    api = bot.api
    ann = api.user(101)
    await bot.reply_to(api.post(api.private_chat(ann), ann, "hello"))
    message = api.bot_messages(ann["id"])[-1]
    api.press(ann, message, "e:no-such-entry")
    api.press(ann, message, "v:+:no-such-entry")
    api.press(ann, message, "zz:garbage")
    await api.wait_for(lambda: len(api.called("answerCallbackQuery")) == 3)
    await api.settle()
    assert len(api.sent()) == 1
    assert bot.journal.votes == []


async def test_topics_pages_turn_in_place(bot: RunningBot) -> None:
    api = bot.api
    ann = api.user(101)
    api.post(api.private_chat(ann), ann, "/topics")
    await api.wait_for(lambda: len(api.sent()) == 1)
    topics = api.bot_messages(ann["id"])[-1]
    last = page_count(len(bot.core.library.first.answers.topics()), keyboards.PAGE_SIZE) - 1
    assert last >= 2
    api.press(ann, topics, f"t:{last}")
    await api.wait_for(lambda: bool(api.called("editMessageText")))
    [edit] = api.called("editMessageText")
    assert f"page {last + 1} of {last + 1}" in plain(edit["text"])
    data = [b["callback_data"] for row in edit["reply_markup"]["inline_keyboard"] for b in row]
    assert f"t:{last - 1}" in data and f"t:{last + 1}" not in data
    assert call_order(bot)[-2:] == ["answerCallbackQuery", "editMessageText"]


async def test_speaker_button_shows_their_quotes(bot: RunningBot) -> None:
    api = bot.api
    ann = api.user(101)
    api.post(api.private_chat(ann), ann, "/who")
    await api.wait_for(lambda: len(api.sent()) == 1)
    api.press(ann, api.bot_messages(ann["id"])[-1], "w:imran-khan")
    await api.wait_for(lambda: len(api.sent()) == 2)
    text = plain(api.sent()[1]["text"])
    # One of his three curated spans lies inside another: shown once, as the longer one.
    assert text.count("— Imran Khan, former Pakistani Prime Minister") == 2
    assert bot.journal.answers[-1][0].entry_id == "who-is-imran-khan"


async def test_buttons_on_inline_messages_edit_them_and_votes_count_as_inline(
    bot: RunningBot,
) -> None:
    api = bot.api
    ann = api.user(101)
    api.press_inline(ann, "AgAAAInline", "e:shireen-mazari")
    api.press_inline(ann, "AgAAAInline", "v:+:shireen-mazari")
    await api.wait_for(lambda: "AgAAAInline" in api.inline_messages)
    await api.wait_for(lambda: len(bot.journal.votes) == 1)
    assert "Shireen Mazari" in api.inline_messages["AgAAAInline"]["text"]
    assert bot.journal.votes == [(Origin("telegram", "inline", user_id="101"), "shireen-mazari", 1)]
    assert api.sent() == []


async def test_double_presses_and_old_messages_are_handled_quietly(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    api = bot.api
    ann = api.user(101)
    chat = api.private_chat(ann)
    api.post(chat, ann, "/topics")
    await api.wait_for(lambda: len(api.sent()) == 1)
    topics = api.bot_messages(ann["id"])[-1]
    api.press(ann, topics, "t:1")
    api.press(ann, topics, "t:1")
    await api.wait_for(lambda: len(api.called("editMessageText")) == 2)
    too_old = {"chat": chat, "message_id": topics["message_id"], "date": 0}
    api.press(ann, too_old, "t:2")
    await api.wait_for(lambda: len(api.called("editMessageText")) == 3)
    await api.settle()
    edits = api.called("editMessageText")
    assert [e["message_id"] for e in edits] == [topics["message_id"]] * 3
    assert "page 3 of " in plain(edits[2]["text"])
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_did_you_mean_offers_buttons_and_a_tap_is_journaled_as_the_choice(
    bot: RunningBot,
) -> None:
    api = bot.api
    ann = api.user(101)
    question = "What does the PTI need in order to keep its political momentum?"
    expected = bot.core.library.ask(question)
    assert expected.rule == "asked back"
    [reply] = await bot.reply_to(api.post(api.private_chat(ann), ann, question))
    assert plain(reply["text"]).startswith("I am not sure the article answers exactly that.")
    buttons = [b for row in reply["reply_markup"]["inline_keyboard"] for b in row]
    assert [b["text"] for b in buttons] == [s.question for s in expected.suggestions]
    assert not any(b["callback_data"].startswith("v:") for b in buttons)
    api.press(ann, api.bot_messages(ann["id"])[-1], buttons[0]["callback_data"])
    await api.wait_for(lambda: len(api.sent()) == 2)
    chosen, where = bot.journal.answers[-1]
    assert chosen.entry_id == expected.suggestions[0].entry_id
    assert chosen.rule == "chosen" and where.user_id == "101"
    asked, _ = bot.journal.answers[-2]
    assert asked.rule == "asked back" and asked.question == question
