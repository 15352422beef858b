"""End to end, issue 12: one reply through 5xx (also after Discord stored the reply), callbacks
that fail, unknown buttons and hostile text, through the loopback fake Discord."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from fake_discord import BOT_ID, CHANNEL_ID, DM_CHANNEL_ID, FakeDiscord

from adapters.discord.commands import CONTEXT_MENU_NAME
from bot.answering.service import FaqService

QUESTION = "Why are leaders leaving the PTI?"
EPHEMERAL = 64
LONE = "\ud800"
CALLBACK = r"/interactions/\d+/[^/]+/callback"
ORIGINAL = r"/webhooks/\d+/[^/]+/messages/@original"


def embeds(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The embeds of a message, or of an interaction response body."""
    return list(message.get("embeds") or (message.get("data") or {}).get("embeds") or [])


def statuses(fake: FakeDiscord, method: str, path_start: str) -> list[int]:
    """Status of each REST call with this method and path prefix, in order."""
    return [r.status for r in fake.requests if r.method == method and r.path.startswith(path_start)]


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Every ERROR record."""
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


# --- row 4: a 5xx after the reply was created ---------------------------------------------------


async def test_a_channel_reply_stored_before_a_500_is_posted_once(bot: FakeDiscord) -> None:
    path = f"/channels/{CHANNEL_ID}/messages"
    bot.fail("POST", path, status=500, after_store=True)
    await bot.send_message(f"<@{BOT_ID}> {QUESTION}", mention_bot=True)
    await bot.wait_for(lambda: len(statuses(bot, "POST", path)) >= 2)
    await bot.settle()
    assert statuses(bot, "POST", path) == [500, 200]
    [reply] = bot.messages
    nonces = {r.body["nonce"] for r in bot.requests if r.path == path}
    assert len(nonces) == 1 and reply["request"]["enforce_nonce"] is True


async def test_a_deferred_answer_stored_before_a_500_is_one_reply(
    bot: FakeDiscord, service: FaqService
) -> None:
    bot.fail("PATCH", ORIGINAL, status=500, after_store=True)
    interaction = await bot.slash("ask", question=QUESTION)
    await bot.wait_for(lambda: statuses(bot, "PATCH", "/webhooks/") == [500, 200], timeout=8)
    await bot.settle()
    [reply] = bot.replies_for(interaction)
    [embed] = embeds(reply)
    assert embed["title"] == service.ask(QUESTION).matched_question
    assert statuses(bot, "POST", "/webhooks/") == []


async def test_a_button_response_stored_before_a_500_is_one_reply(
    bot: FakeDiscord, service: FaqService
) -> None:
    await bot.send_message(f"<@{BOT_ID}> {QUESTION}", mention_bot=True)
    answer = await bot.wait_for(lambda: bot.messages and bot.messages[-1])
    related = service.ask(QUESTION).related[0]
    bot.fail("POST", CALLBACK, status=500, after_store=True)
    interaction = await bot.click(bot.stored(answer["id"]), f"faq:open:{related.entry_id}")
    await bot.wait_for(lambda: statuses(bot, "PATCH", "/webhooks/") == [200], timeout=8)
    await bot.settle()
    [reply] = bot.replies_for(interaction)
    assert [e["title"] for e in embeds(reply)] == [related.question]
    assert reply["flags"] & EPHEMERAL
    assert statuses(bot, "POST", "/interactions/") == [500, 400]  # 400: already acknowledged


# --- row 5: a callback that fails twice --------------------------------------------------------


async def test_a_callback_failing_twice_falls_back_to_a_follow_up(
    bot: FakeDiscord, service: FaqService
) -> None:
    bot.fail("POST", CALLBACK, status=500, times=2)
    started = time.monotonic()
    interaction = await bot.slash("ask", question=QUESTION)
    [reply] = await bot.wait_for(lambda: bot.replies_for(interaction), timeout=8)
    assert time.monotonic() - started < 4.0
    [embed] = embeds(reply)
    assert embed["title"] == service.ask(QUESTION).matched_question
    assert statuses(bot, "POST", "/interactions/") == [500, 500]
    await bot.settle()
    assert len(bot.replies_for(interaction)) == 1


async def test_a_button_callback_failing_twice_falls_back_to_an_ephemeral_follow_up(
    bot: FakeDiscord, service: FaqService
) -> None:
    await bot.send_message(f"<@{BOT_ID}> {QUESTION}", mention_bot=True)
    answer = await bot.wait_for(lambda: bot.messages and bot.messages[-1])
    related = service.ask(QUESTION).related[0]
    bot.fail("POST", CALLBACK, status=502, times=2)
    interaction = await bot.click(bot.stored(answer["id"]), f"faq:open:{related.entry_id}")
    [reply] = await bot.wait_for(lambda: bot.replies_for(interaction), timeout=8)
    assert [e["title"] for e in embeds(reply)] == [related.question]
    assert reply["flags"] & EPHEMERAL


# --- row 10: a button the bot does not know ------------------------------------------------------


@pytest.mark.parametrize("custom_id", ["faq:legacy:who-is-imran-khan", "v0:open:7", "faq:open:"])
async def test_an_unknown_button_gets_a_short_ephemeral_notice(
    bot: FakeDiscord, custom_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.send_message(f"<@{BOT_ID}> {QUESTION}", mention_bot=True)
    answer = await bot.wait_for(lambda: bot.messages and bot.messages[-1])
    old = dict(bot.stored(answer["id"]))
    button = {"type": 2, "style": 2, "label": "Old", "custom_id": custom_id}
    old["components"] = [{"type": 1, "components": [button]}]
    interaction = await bot.click(old, custom_id)
    [response] = await bot.wait_for(lambda: bot.callbacks_for(interaction))
    assert response["type"] == 4 and response["data"]["flags"] & EPHEMERAL
    [embed] = embeds(response)
    assert embed["description"] == "This button no longer works."
    await bot.settle()
    assert len(bot.callbacks_for(interaction)) == 1
    assert errors(caplog) == []


# --- row 7: lone surrogates ----------------------------------------------------------------------


async def test_a_lone_surrogate_in_a_mention_and_a_dm_gets_the_answer(
    bot: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.send_message(f"<@{BOT_ID}> {QUESTION}{LONE}", mention_bot=True)
    await bot.send_message(f"{LONE}{QUESTION}", channel_id=DM_CHANNEL_ID)
    await bot.wait_for(lambda: len(bot.messages) >= 2)
    for reply in bot.messages:
        [embed] = embeds(reply)
        assert embed["footer"]["text"].startswith("Source: “Mass Exodus")
    assert errors(caplog) == []


@pytest.mark.parametrize(
    ("command", "options"),
    [("ask", {"question": f"Why are {LONE}leaders leaving the PTI?"}), ("who", {"speaker": LONE})],
)
async def test_a_lone_surrogate_in_a_slash_command_gets_a_reply(
    bot: FakeDiscord, command: str, options: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    interaction = await bot.slash(command, **options)
    [reply] = await bot.wait_for(
        lambda: [r for r in bot.replies_for(interaction) if embeds(r)], timeout=5
    )
    [embed] = embeds(reply)
    assert embed["description"]
    assert errors(caplog) == []


async def test_a_lone_surrogate_in_autocomplete_gets_choices(bot: FakeDiscord) -> None:
    interaction = await bot.autocomplete("ask", "question", f"leaders {LONE}leaving")
    [response] = await bot.wait_for(lambda: bot.callbacks_for(interaction))
    assert response["type"] == 8
    assert response["data"]["choices"]


async def test_a_lone_surrogate_in_a_context_menu_target_gets_the_answer(
    bot: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    target = bot.user_message(f"{QUESTION}{LONE}")
    interaction = await bot.context_menu(CONTEXT_MENU_NAME, target)
    [reply] = await bot.wait_for(lambda: [r for r in bot.replies_for(interaction) if embeds(r)])
    [embed] = embeds(reply)
    assert embed["footer"]["text"].startswith("Source: “Mass Exodus")
    assert errors(caplog) == []
