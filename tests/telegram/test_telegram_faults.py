"""End to end, issue 12: delivery through 5xx and 429 runs, the answer lane above the flood
limit, start-up without the Bot API, hostile text and forged buttons, through the fake Bot API."""

from __future__ import annotations

import asyncio
import itertools
import logging
from pathlib import Path

import pytest
from recording import RecordingJournal
from tg_fake_api import FakeBotApi, auto_entities
from tg_html import plain
from tg_support import BOT_ADMIN, TOKEN, RunningBot, options, start_serving

from adapters.telegram import PLATFORM
from bot.answering.chat_policy import ChatPolicy
from bot.answering.core import Core
from bot.answering.library import Library
from bot.knowledge.pack import load_pack
from bot.knowledge.source import FolderPackSource
from bot.model import KnowledgePack

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

GROUP_ID = -1001234567890
QUESTION = "How many leaders abandoned PTI?"
LONE = "\ud800"


def send_attempts(api: FakeBotApi) -> list[bool | None]:
    """Whether each sendMessage call succeeded, in order."""
    return [c.ok for c in api.calls if c.method == "sendMessage"]


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Every ERROR (or worse) record, as text with its exception."""
    return [
        f"{r.getMessage()} {r.exc_info[1]!r}" if r.exc_info else r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.ERROR
    ]


# --- row 1: a 5xx on sendMessage -------------------------------------------------------------


@pytest.mark.parametrize("code", [500, 502])
async def test_a_server_error_on_send_is_retried_and_the_answer_delivered_once(
    bot: RunningBot, code: int, caplog: pytest.LogCaptureFixture
) -> None:
    api = bot.api
    ann = api.user(101)
    api.fail_next("sendMessage", code, "Internal Server Error")
    asked = api.post(api.private_chat(ann), ann, QUESTION)
    [reply] = await bot.reply_to(asked)
    assert "two dozen" in plain(reply["text"])
    assert send_attempts(api) == [False, True]
    first, second = [c for c in api.calls if c.method == "sendMessage"]
    assert second.at - first.at >= 0.5  # backoff, not a hot loop
    await api.settle()
    assert len(api.bot_messages(ann["id"])) == 1
    assert any("retrying in" in r.getMessage() for r in caplog.records)


async def test_a_server_error_after_telegram_stored_the_message_repeats_it(
    bot: RunningBot,
) -> None:
    """At-least-once (docs/delivery.md): Telegram has no idempotency key for sendMessage, so a
    5xx whose message was in fact stored is sent again rather than risk losing the answer."""
    api = bot.api
    ann = api.user(101)
    api.fail_next("sendMessage", 500, "Internal Server Error", after_store=True)
    asked = api.post(api.private_chat(ann), ann, QUESTION)
    await bot.reply_to(asked)
    await api.settle()
    assert send_attempts(api) == [False, True]
    assert len(api.bot_messages(ann["id"])) == 2


# --- row 2: a run of 429s ----------------------------------------------------------------------


async def test_four_429s_in_a_row_are_waited_out_then_the_answer_is_delivered(
    bot: RunningBot,
) -> None:
    api = bot.api
    ann = api.user(101)
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, times=4)
    asked = api.post(api.private_chat(ann), ann, QUESTION)
    await bot.reply_to(asked, timeout=10)
    attempts = [c for c in api.calls if c.method == "sendMessage"]
    assert [c.ok for c in attempts] == [False, False, False, False, True]
    gaps = [b.at - a.at for a, b in itertools.pairwise(attempts)]
    assert all(gap >= 1.0 for gap in gaps)
    await api.settle()
    assert len(api.bot_messages(ann["id"])) == 1


# --- row 3: the answer lane above the flood limit -------------------------------------------


async def test_inline_and_button_answers_stay_fast_above_the_send_limit(bot: RunningBot) -> None:
    api = bot.api
    ann = api.user(101)
    [answer] = await bot.reply_to(api.post(api.private_chat(ann), ann, QUESTION))
    answer_message = api.bot_messages(ann["id"])[-1]
    [(answered, _)] = bot.journal.answers
    vote = f"v:+:{answered.entry_id}"
    # One chat is in a 429 pause the whole time: it must hold up nobody else.
    paused = api.user(102, "Paula")
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    api.post(api.private_chat(paused), paused, QUESTION)

    ticks = 50  # 5 s at 60 questions/s, and 10 inline queries and presses per second
    users = [api.user(6000 + n, f"U{n}") for n in range(6 * ticks)]
    queries: list[str] = []
    loop = asyncio.get_running_loop()
    started = loop.time()
    for tick in range(ticks):
        for user in users[tick * 6 : tick * 6 + 6]:
            api.post(api.private_chat(user), user, QUESTION)
        queries.append(api.inline_query(ann, "benazir shah view"))
        queries.append(api.press(ann, answer_message, vote))
        await asyncio.sleep(max(0.0, started + (tick + 1) * 0.1 - loop.time()))
    sent_while_posting = len(api.sent())

    await api.wait_for(lambda: all(api.answered_after(q) is not None for q in queries), 5)
    latencies = [api.answered_after(q) or 0.0 for q in queries]
    assert max(latencies) < 1.0, sorted(latencies)[-5:]
    # The sends really were throttled behind: a backlog remained when posting stopped.
    assert sent_while_posting < 1 + len(users)
    await api.wait_for(lambda: len(api.sent()) >= 1 + 1 + len(users), timeout=15)
    sends = [c.at for c in api.calls if c.method == "sendMessage" and c.ok and c.at >= started]
    # Flood control: after a burst of 30, no more than 30 messages a second.
    assert sends[-1] - sends[0] >= (len(sends) - 30) / 30 * 0.98
    assert answer["chat_id"] == ann["id"]


# --- row 6: start-up while the Bot API fails or is not there yet -----------------------------


async def test_a_server_error_on_getme_is_retried_at_start_up(
    api: FakeBotApi,
    core: Core,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("TELEGRAM_API_URL", api.base_url)
    api.fail_next("getMe", 500, "Internal Server Error")
    api.fail_next("getMe", 502, "Bad Gateway")
    task, stop = await start_serving(core, api)
    try:
        assert [c.ok for c in api.calls if c.method == "getMe"] == [False, False, True]
        retries = [r for r in caplog.records if "cannot reach the Bot API" in r.getMessage()]
        assert len(retries) == 2 and all(r.levelno == logging.WARNING for r in retries)
        ann = api.user(101)
        asked = api.post(api.private_chat(ann), ann, QUESTION)
        await RunningBot(api, RecordingJournal(), core).reply_to(asked)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


async def test_start_up_waits_for_a_bot_api_that_is_not_there_yet(
    core: Core, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    late = FakeBotApi(TOKEN)
    await late.start()
    port = late.port
    await late.close()  # the port is known and nobody listens on it
    monkeypatch.setenv("TELEGRAM_API_URL", f"http://127.0.0.1:{port}/bot")
    stop = asyncio.Event()
    task = asyncio.create_task(PLATFORM.serve(core, token=TOKEN, options=options(), stop=stop))
    api = FakeBotApi(TOKEN)
    try:
        await api.wait_for(
            lambda: any("cannot reach the Bot API" in r.getMessage() for r in caplog.records)
        )
        assert not task.done()
        api.getme_delay = 0.5  # and a slow first answer once it is up
        await api.start(port)
        await api.wait_for(lambda: bool(api.called("getUpdates")) or task.done(), timeout=10)
        assert not task.done()
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
        await api.close()


# --- rows 7 and 9: hostile text ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        f"How many leaders abandoned PTI?{LONE}",
        f"/ask How many leaders {LONE}abandoned PTI?",
        f"/who Benazir Shah{LONE}",
    ],
)
async def test_a_lone_surrogate_in_a_private_message_gets_the_answer(
    bot: RunningBot, text: str, caplog: pytest.LogCaptureFixture
) -> None:
    api = bot.api
    ann = api.user(101)
    asked = api.post(api.private_chat(ann), ann, text)
    [reply] = await bot.reply_to(asked)
    assert "Source: “Mass Exodus" in plain(reply["text"])
    assert errors(caplog) == []


async def test_a_lone_surrogate_in_a_group_mention_and_an_inline_query_gets_answers(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    api = bot.api
    group, bob = api.group(GROUP_ID), api.user(202, "Bob")
    asked = api.post(group, bob, f"{LONE}@{bot.username} How many leaders abandoned PTI?")
    [reply] = await bot.reply_to(asked)
    assert "two dozen" in plain(reply["text"])
    query = api.inline_query(bob, f"benazir {LONE}shah view")
    await api.wait_for(lambda: api.answered_after(query) is not None)
    [answer] = api.called("answerInlineQuery")
    assert answer["results"][0]["title"].startswith("What does Benazir Shah think")
    assert errors(caplog) == []


async def test_a_mention_entity_splitting_an_emoji_is_handled_quietly(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    api = bot.api
    group, bob = api.group(GROUP_ID), api.user(202, "Bob")
    text = f"😀@{bot.username} How many leaders abandoned PTI?"
    # Offset 1 is the second half of the emoji's surrogate pair.
    entity = {"type": "mention", "offset": 1, "length": 1 + 1 + len(bot.username)}
    asked = api.post(group, bob, text, entities=[entity])
    [reply] = await bot.reply_to(asked)
    assert "two dozen" in plain(reply["text"])
    assert errors(caplog) == []


# --- row 8: forged button data -------------------------------------------------------------------


@pytest.mark.parametrize("data", ["t:²", "sq:³", "t:١", "e:", "v:*:x"])
async def test_forged_button_data_is_an_unknown_button(
    bot: RunningBot, data: str, caplog: pytest.LogCaptureFixture
) -> None:
    api = bot.api
    ann = api.user(101)
    api.post(api.private_chat(ann), ann, "/topics")
    await api.wait_for(lambda: bool(api.bot_messages(ann["id"])))
    message = api.bot_messages(ann["id"])[-1]
    query = api.press(ann, message, data)
    await api.wait_for(lambda: api.answered_after(query) is not None)
    [answered] = api.called("answerCallbackQuery")
    assert answered["text"] == "This button no longer works."
    await api.settle()
    assert errors(caplog) == []


# --- row 11: echoes never mention ------------------------------------------------------------


async def test_who_with_a_handle_in_a_group_echoes_it_without_a_mention(bot: RunningBot) -> None:
    api = bot.api
    group, bob = api.group(GROUP_ID), api.user(202, "Bob")
    asked = api.post(group, bob, f"/who@{bot.username} @someone_else")
    [reply] = await bot.reply_to(asked)
    shown = plain(reply["text"])
    assert "someone_else" in shown
    assert [e for e in auto_entities(shown) if e["type"] == "mention"] == []


# --- row 12: an empty faq.yaml -------------------------------------------------------------------


@pytest.fixture
def copied_pack(pack_copy: Path) -> KnowledgePack:
    """A writable copy of the shipped pack, loaded."""
    return load_pack(pack_copy)


async def test_reload_of_an_empty_faq_names_the_file_and_the_reason(
    api: FakeBotApi, copied_pack: KnowledgePack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_API_URL", api.base_url)
    core = Core(
        Library.load(FolderPackSource(copied_pack.path)),
        policy=ChatPolicy(bot_admins=[f"telegram:{BOT_ADMIN}"]),
    )
    (copied_pack.path / "faq.yaml").write_text("# nothing here yet\n", encoding="utf-8")
    task, stop = await start_serving(core, api)
    try:
        boss = api.user(BOT_ADMIN, "Boss")
        asked = api.post(api.private_chat(boss), boss, "/reload")
        [reply] = await RunningBot(api, RecordingJournal(), core).reply_to(asked)
        shown = plain(reply["text"])
        assert "faq.yaml: the file is empty" in shown
        assert "could not be read" not in shown
        assert len(core.library.first.answers.topics()) == len(
            copied_pack.entries
        )  # the old pack keeps serving
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
