"""End to end: the real PTB Application, long polling the loopback fake Bot API.

Private chats, groups (commands, mentions, replies, silence, auto-answer), follow-ups and the
commands. Everything the bot sends passes the fake's Telegram HTML and keyboard checks.
"""

from __future__ import annotations

import time

import pytest
from tg_fake_api import JSON, auto_entities
from tg_html import plain
from tg_support import BOT_ADMIN, RunningBot

from adapters.telegram import keyboards
from bot.answering import messages
from bot.model import AnswerKind, ChatSettings, Origin
from bot.presentation.measures import page_count

GROUP_ID = -1001234567890


def buttons(sent: JSON) -> list[JSON]:
    """Every inline button of a sent message."""
    markup = sent.get("reply_markup") or {"inline_keyboard": []}
    return [button for row in markup["inline_keyboard"] for button in row]


def callback_data(sent: JSON) -> list[str]:
    """The callback data of every button of a sent message."""
    return [b["callback_data"] for b in buttons(sent) if "callback_data" in b]


async def test_startup_registers_commands_and_polls_only_what_it_handles(bot: RunningBot) -> None:
    api = bot.api
    menus = api.called("setMyCommands")
    everyone = {c["command"] for c in menus[0]["commands"]}
    assert {"start", "help", "ask", "topics", "who", "source"} <= everyone
    admins = menus[1]
    assert admins["scope"] == {"type": "all_chat_administrators"}
    assert "settings" in {c["command"] for c in admins["commands"]}
    assert "reload" not in everyone
    polls = api.called("getUpdates")
    assert set(polls[0]["allowed_updates"]) == {"message", "callback_query", "inline_query"}
    assert [c.method for c in api.calls][:2] == ["getMe", "setMyCommands"]


async def test_private_question_is_answered_with_quotes_speakers_and_source(
    bot: RunningBot,
) -> None:
    api = bot.api
    ann = api.user(101)
    asked = api.post(api.private_chat(ann), ann, "What is Benazir Shah's view?")
    [reply] = await bot.reply_to(asked)

    text = plain(reply["text"])
    assert "<blockquote>" in reply["text"]
    assert "— Benazir Shah, political analyst (suggests)" in text
    assert "Source: “Mass Exodus" in text
    assert reply["parse_mode"] == "HTML"
    data = callback_data(reply)
    assert "v:+:benazir-shah-view" in data and "v:-:benazir-shah-view" in data
    assert any(d.startswith("e:") for d in data)
    [(answer, origin)] = bot.journal.answers
    assert answer.entry_id == "benazir-shah-view"
    assert origin == Origin("telegram", "private", user_id="101", chat_id="101")


async def test_group_ask_command_addressed_to_the_bot(bot: RunningBot) -> None:
    api = bot.api
    group, bob = api.group(GROUP_ID), api.user(202, "Bob")
    asked = api.post(group, bob, f"/ask@{bot.username} How many leaders abandoned PTI?")
    [reply] = await bot.reply_to(asked)
    assert "two dozen" in plain(reply["text"])
    [(answer, origin)] = bot.journal.answers
    assert answer.question == "How many leaders abandoned PTI?"
    assert origin == Origin("telegram", "supergroup", user_id="202", chat_id=str(GROUP_ID))


async def test_group_chatter_and_other_bots_commands_get_silence(bot: RunningBot) -> None:
    api = bot.api
    group, bob = api.group(GROUP_ID), api.user(202, "Bob")
    api.post(group, bob, "lol did anyone watch the match yesterday")
    api.post(group, bob, "Why did so many leaders quit PTI?")
    api.post(group, bob, "/ask@some_other_bot How many leaders abandoned PTI?")
    await api.settle()
    assert api.sent() == []
    assert bot.journal.answers == []


async def test_group_mention_after_emoji_is_stripped_by_utf16_offsets(bot: RunningBot) -> None:
    api = bot.api
    group, bob = api.group(GROUP_ID), api.user(202, "Bob")
    asked = api.post(group, bob, f"🙂🇵🇰 hey @{bot.username} which former minister left the party?")
    assert asked["entities"][0]["offset"] == 11  # 🙂 is 2 UTF-16 units, the flag 4
    [reply] = await bot.reply_to(asked)
    assert "Shireen Mazari" in plain(reply["text"])
    [(answer, _)] = bot.journal.answers
    assert answer.question == "🙂🇵🇰 hey which former minister left the party?"


async def test_reply_follow_ups_resolve_against_the_replied_answer(bot: RunningBot) -> None:
    api = bot.api
    group, bob = api.group(GROUP_ID), api.user(202, "Bob")
    asked = api.post(group, bob, f"@{bot.username} What is Benazir Shah's view?")
    await bot.reply_to(asked)
    answer_message = api.bot_messages(GROUP_ID)[-1]

    who = api.post(group, bob, "who said that?", reply_to=answer_message)
    [reply] = await bot.reply_to(who)
    assert "Who said it: Benazir Shah" in plain(reply["text"])

    more = api.post(group, bob, "what else did she say?", reply_to=answer_message)
    [reply] = await bot.reply_to(more)
    text = plain(reply["text"])
    assert "Benazir Shah, political analyst. What the article attributes to them" in text
    # Two curated spans of the same sentence are shown once (the longer one).
    assert text.count("— Benazir Shah, political analyst") == 1
    kinds = [a.kind for a, _ in bot.journal.answers]
    assert kinds == [AnswerKind.ANSWER] * 3


async def test_private_reply_to_an_answer_is_a_follow_up(bot: RunningBot) -> None:
    api = bot.api
    ann = api.user(101)
    chat = api.private_chat(ann)
    await bot.reply_to(api.post(chat, ann, "What does Imran Khan say about the resignations?"))
    answer_message = api.bot_messages(ann["id"])[-1]
    [reply] = await bot.reply_to(api.post(chat, ann, "who said that?", reply_to=answer_message))
    assert "Who said it: Imran Khan" in plain(reply["text"])


async def test_out_of_scope_question_says_so_with_suggestions(bot: RunningBot) -> None:
    api = bot.api
    ann = api.user(101)
    asked = api.post(api.private_chat(ann), ann, "What is the capital of Pakistan?")
    [reply] = await bot.reply_to(asked)
    assert plain(reply["text"]).startswith("The article does not cover that.")
    data = callback_data(reply)
    assert 1 <= len(data) <= 3 and all(d.startswith("e:") for d in data)
    assert not any(d.startswith("v:") for d in data)
    assert "<blockquote>" not in reply["text"]


async def test_greeting_gets_examples(bot: RunningBot) -> None:
    api = bot.api
    ann = api.user(101)
    [reply] = await bot.reply_to(api.post(api.private_chat(ann), ann, "hello"))
    assert plain(reply["text"]).startswith("Hello!")
    assert len(callback_data(reply)) == 3


async def test_hostile_input_is_echoed_safely(bot: RunningBot) -> None:
    api = bot.api
    ann = api.user(101)
    chat = api.private_chat(ann)
    hostile = '<b>x</b> &amp; &nbsp; <script>alert(1)</script> *bold* _i_ `c` @everyone "q"'
    who = api.post(chat, ann, f"/who {hostile}")
    [reply] = await bot.reply_to(who)
    shown = plain(reply["text"])
    # Shown as typed, but the @handle is no longer a mention (an invisible word joiner).
    assert hostile in shown.replace("\u2060", "")[: len(hostile) + 200]
    assert [e for e in auto_entities(shown) if e["type"] == "mention"] == []
    asked = api.post(chat, ann, hostile)
    [reply] = await bot.reply_to(asked)
    assert plain(reply["text"])


async def test_ten_thousand_character_message_is_answered_once(bot: RunningBot) -> None:
    api = bot.api
    ann = api.user(101)
    text = "Why did so many leaders quit PTI? " + "blah " * 2000
    assert len(text) >= 10_000
    asked = api.post(api.private_chat(ann), ann, text)
    [reply] = await bot.reply_to(asked)
    await api.settle()
    assert len(api.sent()) == 1
    assert plain(reply["text"])


async def test_messages_from_bots_are_ignored(bot: RunningBot) -> None:
    api = bot.api
    robot = api.user(303, "Robo", is_bot=True)
    api.post(api.private_chat(robot), robot, "Why did so many leaders quit PTI?")
    await api.settle()
    assert api.sent() == []


async def test_start_welcomes_with_examples_and_deep_link_opens_an_entry(bot: RunningBot) -> None:
    api = bot.api
    ann = api.user(101)
    chat = api.private_chat(ann)
    api.post(chat, ann, "/start")
    await api.wait_for(lambda: len(api.sent()) == 1)
    welcome = api.sent()[0]
    assert "Mass Exodus" in plain(welcome["text"])
    assert len(callback_data(welcome)) == 3

    api.post(chat, ann, "/start shireen-mazari")
    await api.wait_for(lambda: len(api.sent()) == 2)
    assert "Shireen Mazari" in plain(api.sent()[1]["text"])
    assert "v:+:shireen-mazari" in callback_data(api.sent()[1])


async def test_help_source_topics_and_who(bot: RunningBot) -> None:
    api = bot.api
    ann = api.user(101)
    chat = api.private_chat(ann)
    for command in ("/help", "/source", "/topics", "/who", "/who the political science professor"):
        api.post(chat, ann, command)
    await api.wait_for(lambda: len(api.sent()) == 5)
    sent = api.sent()
    help_, source, topics, who, asma = (plain(s["text"]) for s in sent)
    assert "/ask" in help_ and f"@{bot.username}" in help_
    total = len(bot.core.library.first.answers.topics())
    assert "news analysis" in source and f"{total} questions" in source
    assert f"page 1 of {page_count(total, keyboards.PAGE_SIZE)}" in topics
    entries = [d for d in callback_data(sent[2]) if d.startswith("e:")]
    assert len(entries) == keyboards.PAGE_SIZE
    assert "t:1" in callback_data(sent[2])
    assert {"w:benazir-shah", "w:asma-faiz"} <= set(callback_data(sent[3]))
    assert "w:article" not in callback_data(sent[3])
    assert "Benazir Shah, political analyst" in who
    assert "— Asma Faiz, an associate professor of political science" in asma


async def test_unknown_command_in_private_points_to_help(bot: RunningBot) -> None:
    api = bot.api
    ann = api.user(101)
    api.post(api.private_chat(ann), ann, "/frobnicate")
    await api.wait_for(lambda: len(api.sent()) == 1)
    assert "/help" in plain(api.sent()[0]["text"])


async def test_settings_only_for_group_admins_and_auto_answer(bot: RunningBot) -> None:
    api = bot.api
    group, bob, admin = api.group(GROUP_ID), api.user(202, "Bob"), api.user(404, "Ada")
    api.admins.add((GROUP_ID, admin["id"]))

    refused = api.post(group, bob, f"/settings@{bot.username}")
    [reply] = await bot.reply_to(refused)
    assert "only this group’s admins" in plain(reply["text"])

    opened = api.post(group, admin, "/settings")
    [panel] = await bot.reply_to(opened)
    assert "Auto-answer: off" in plain(panel["text"])
    panel_message = api.bot_messages(GROUP_ID)[-1]

    api.press(bob, panel_message, "sa")
    await api.wait_for(lambda: len(api.called("answerCallbackQuery")) == 1)
    await api.settle()
    assert bot.core.policy.settings("telegram", str(GROUP_ID)) == ChatSettings()

    api.press(admin, panel_message, "sa")
    await api.wait_for(lambda: len(api.called("editMessageText")) == 1)
    api.press(admin, panel_message, "sq:1")
    await api.wait_for(lambda: len(api.called("editMessageText")) == 2)
    assert bot.core.policy.settings("telegram", str(GROUP_ID)) == ChatSettings(True, 1)
    assert "Auto-answer: on" in plain(api.called("editMessageText")[0]["text"])

    asked = api.post(group, bob, "What does Imran Khan say about the resignations?")
    [reply] = await bot.reply_to(asked)
    text = plain(reply["text"])
    assert text.count("— ") == 1
    assert "more quote" in text
    api.post(group, bob, "great weather today")
    await api.settle()
    assert len(api.sent(GROUP_ID)) == 3


async def test_reload_is_for_bot_admins(bot: RunningBot) -> None:
    api = bot.api
    ann, boss = api.user(101), api.user(BOT_ADMIN, "Boss")
    api.post(api.private_chat(ann), ann, "/reload")
    api.post(api.private_chat(boss), boss, "/reload")
    await api.wait_for(lambda: len(api.sent()) == 2)
    assert "only the bot’s admins" in plain(api.sent(ann["id"])[0]["text"])
    assert plain(api.sent(boss["id"])[0]["text"]).startswith("Reloaded")


# --- the fake's settle: a condition, not a pause -----------------------------------------------


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_settle_waits_for_an_answer_slower_than_any_fixed_pause(bot: RunningBot) -> None:
    # The delivery policy waits out the 429 while handling the update: the answer comes a second
    # later, after the 0.3 s the fake used to sleep, so a silence test would have passed wrongly.
    api = bot.api
    ann = api.user(101)
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    started = time.monotonic()
    api.post(api.private_chat(ann), ann, "What is Benazir Shah's view?")
    await api.settle()
    assert time.monotonic() - started >= 1.0
    assert len(api.sent(101)) == 1


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_settle_fails_when_the_bot_is_still_handling_at_its_deadline(
    bot: RunningBot,
) -> None:
    api = bot.api
    ann = api.user(101)
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 2", retry_after=2)
    api.post(api.private_chat(ann), ann, "What is Benazir Shah's view?")
    with pytest.raises(AssertionError, match="timed out"):
        await api.settle(timeout=0.5)
    await api.settle()
    assert len(api.sent(101)) == 1


async def test_a_short_follow_up_needs_no_reply_and_belongs_to_its_reader(bot: RunningBot) -> None:
    api = bot.api
    ann = api.user(101)
    chat = api.private_chat(ann)
    [nothing] = await bot.reply_to(api.post(chat, ann, "who said that?"))
    assert plain(nothing["text"]) == messages.no_earlier_answer()
    await bot.reply_to(api.post(chat, ann, "What is Benazir Shah's view?"))
    [reply] = await bot.reply_to(api.post(chat, ann, "who said that?"))  # not a reply
    assert "Who said it: Benazir Shah" in plain(reply["text"])

    # In a group, the last answer is each reader's own.
    group, bob, cy = api.group(GROUP_ID), api.user(202, "Bob"), api.user(303, "Cy")
    await bot.reply_to(api.post(group, bob, f"@{bot.username} What is Benazir Shah's view?"))
    [other] = await bot.reply_to(api.post(group, cy, f"@{bot.username} who said that?"))
    assert plain(other["text"]) == messages.no_earlier_answer()
    [his] = await bot.reply_to(api.post(group, bob, f"@{bot.username} who said that?"))
    assert "Who said it: Benazir Shah" in plain(his["text"])
