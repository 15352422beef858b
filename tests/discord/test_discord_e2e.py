"""The real discord.py client, driven through the loopback fake: commands, messages, buttons,
rate limits and reconnects."""

from __future__ import annotations

import time
from typing import Any

import pytest
from discord_support import RecordingJournal, StartBot
from fake_discord import (
    ALL_PERMISSIONS,
    BOT_ID,
    BOT_ROLE_ID,
    BOT_USER,
    CHANNEL_ID,
    DM_CHANNEL_ID,
    GUILD_ID,
    OTHER_BOT,
    OTHER_USER,
    THREAD_ID,
    USER_ID,
    FakeDiscord,
)

from adapters.discord.commands import CONTEXT_MENU_NAME
from adapters.discord.render import escape
from bot.answering import messages
from bot.answering.core import Core
from bot.answering.service import FaqService
from bot.model import ChatSettings, Origin

QUESTION = "Why are leaders leaving the PTI?"
OUT_OF_SCOPE = "What is the weather on Mars?"
EPHEMERAL = 64


def mention(text: str) -> str:
    return f"<@{BOT_ID}> {text}"


def embed_of(payload: dict[str, Any]) -> dict[str, Any]:
    embeds = payload.get("embeds") or payload.get("data", {}).get("embeds")
    assert embeds and len(embeds) == 1
    return dict(embeds[0])


def custom_ids(payload: dict[str, Any]) -> list[str]:
    rows = payload.get("components") or payload.get("data", {}).get("components") or []
    return [c["custom_id"] for row in rows for c in row["components"]]


async def reply_to(fake: FakeDiscord, content: str, **kwargs: Any) -> dict[str, Any]:
    """Send a message and wait for the bot's one reply to it."""
    before = len(fake.messages)
    await fake.send_message(content, **kwargs)
    await fake.wait_for(lambda: len(fake.messages) > before)
    return fake.messages[-1]


async def followup(fake: FakeDiscord, interaction_id: str) -> dict[str, Any]:
    """The first follow-up message of a deferred interaction."""
    found = await fake.wait_for(lambda: fake.followups_for(interaction_id))
    return found[0]


async def callback(fake: FakeDiscord, interaction_id: str) -> dict[str, Any]:
    """The one interaction response."""
    found = await fake.wait_for(lambda: fake.callbacks_for(interaction_id))
    assert len(found) == 1
    return found[0]


# --- start-up ------------------------------------------------------------------------------


async def test_commands_are_synced_globally_at_start(bot: FakeDiscord) -> None:
    assert len(bot.command_syncs) == 1
    guild, commands = bot.command_syncs[0]
    assert guild is None
    by_name = {c["name"]: c for c in commands}
    assert set(by_name) == {
        "ask",
        "faq",
        "who",
        "article",
        "source",
        "settings",
        "reload",
        "help",
        CONTEXT_MENU_NAME,
    }
    (question,) = by_name["ask"]["options"]
    assert question == {**question, "name": "question", "type": 3, "required": True}
    assert question["autocomplete"] is True
    (speaker,) = by_name["who"]["options"]
    assert speaker["autocomplete"] is True and speaker["required"] is False
    (article,) = by_name["article"]["options"]
    assert article["autocomplete"] is True and article["required"] is False
    assert by_name[CONTEXT_MENU_NAME]["type"] == 3
    settings = by_name["settings"]
    assert int(settings["default_member_permissions"]) == 0x20  # Manage Server
    assert settings["contexts"] == [0]
    for command in commands:
        assert len(command["name"]) <= 32 and len(command.get("description", "")) <= 100


async def test_guild_option_syncs_to_that_guild_only(start_bot: StartBot) -> None:
    fake = await start_bot(guild=GUILD_ID)
    assert [guild for guild, _ in fake.command_syncs] == [GUILD_ID]
    assert "ask" in {c["name"] for c in fake.command_syncs[0][1]}


async def test_identify_requests_only_the_needed_intents(bot: FakeDiscord) -> None:
    (identify,) = bot.frames_with(2)
    intents = identify["d"]["intents"]
    guilds, guild_messages, dm_messages, message_content = 1 << 0, 1 << 9, 1 << 12, 1 << 15
    assert intents == guilds | guild_messages | dm_messages
    assert not intents & message_content


# --- slash commands ------------------------------------------------------------------------


async def test_slash_ask_is_deferred_then_answered_with_an_embed(
    bot: FakeDiscord, service: FaqService, journal: RecordingJournal
) -> None:
    started = time.monotonic()
    interaction = await bot.slash("ask", question=QUESTION)
    first = await callback(bot, interaction)
    assert time.monotonic() - started < 1.0
    assert first["type"] == 5  # deferred, "thinking"
    message = await followup(bot, interaction)
    expected = service.ask(QUESTION)
    embed = embed_of(message)
    assert embed["title"] == expected.matched_question
    assert embed["description"].startswith(expected.text[:40])
    assert f"> {expected.quotes[0].text[:30]}" in embed["description"]
    assert "— **" in embed["description"]
    assert embed["footer"]["text"].startswith("Source: “Mass Exodus")
    assert f"faq:vote:up:{expected.entry_id}" in custom_ids(message)
    assert message["request"]["allowed_mentions"]["parse"] == []
    assert len(bot.followups_for(interaction)) == 1
    (answer, origin), *_ = journal.answers
    assert answer.entry_id == expected.entry_id
    assert origin == Origin("discord", "guild", str(USER_ID), str(CHANNEL_ID))


async def test_ask_autocomplete_returns_at_most_25_valid_choices_fast(bot: FakeDiscord) -> None:
    for typed in ("", "why", "khan", "x" * 300, "@everyone **"):
        started = time.monotonic()
        interaction = await bot.autocomplete("ask", "question", typed)
        response = await callback(bot, interaction)
        assert time.monotonic() - started < 0.5
        assert response["type"] == 8
        choices = response["data"]["choices"]
        assert len(choices) <= 25
        for choice in choices:
            assert 1 <= len(choice["name"]) <= 100 and 1 <= len(choice["value"]) <= 100
    interaction = await bot.autocomplete("ask", "question", "why")
    assert (await callback(bot, interaction))["data"]["choices"]


async def test_who_autocompletes_speakers_and_lists_their_quotes(
    bot: FakeDiscord, core: Core
) -> None:
    speakers = core.library.first.speakers
    speaker = next(s for s in speakers.speakers() if s.kind == "person")
    interaction = await bot.autocomplete("who", "speaker", speaker.name[:4].lower())
    choices = (await callback(bot, interaction))["data"]["choices"]
    # The choice shows the name and carries the id: the answer is found by id.
    assert {"name": speaker.name, "value": speaker.id} in choices
    interaction = await bot.slash("who", speaker=speaker.id)
    embed = embed_of(await followup(bot, interaction))
    quotes = speakers.quotes_of(speaker.id)
    assert f"> {quotes[0].text[:30]}" in embed["description"]
    assert f"— **{speaker.name}**, {speaker.role}" in embed["description"]
    # A server channel shows the channel's quotes per answer (3), like every answer there.
    if len(quotes) > 3:
        assert f"> {quotes[3].text[:30]}" not in embed["description"]
        assert f"+{len(quotes) - 3} more quote" in embed["description"]
    typed = embed_of(await followup(bot, await bot.slash("who", speaker=speaker.name)))
    assert typed["description"] == embed["description"]


async def test_who_without_a_name_lists_everyone_quoted(bot: FakeDiscord, core: Core) -> None:
    speakers = core.library.first.speakers
    answer = await reply_to(bot, mention(QUESTION), mention_bot=True)
    interaction = await bot.slash("who")
    listing = await callback(bot, interaction)
    embed = embed_of(listing)
    people = [s for s in speakers.speakers() if s.kind != "article"]
    for speaker in people:
        assert f"• {escape(speaker.name)}, {escape(speaker.role)}" in embed["description"]
    assert "The article," not in embed["description"]  # the article's own voice is no speaker
    assert custom_ids(listing) == [f"faq:speaker:{s.id}" for s in people]
    # A speaker button is answered by the speaker's id, with all their quotes, to the clicker.
    message = {**bot.stored(answer["id"]), "components": listing["data"]["components"]}
    speaker = people[0]
    shown = await callback(bot, await bot.click(message, f"faq:speaker:{speaker.id}"))
    assert shown["data"]["flags"] & EPHEMERAL
    description = embed_of(shown)["description"]
    for quote in speakers.quotes_of(speaker.id):
        assert f"> {escape(quote.text.splitlines()[0])[:30]}" in description


async def test_source_names_the_article(bot: FakeDiscord, service: FaqService) -> None:
    embed = embed_of(await callback(bot, await bot.slash("source")))
    assert embed["title"] == service.source.title
    assert "url" not in embed  # the article names no URL: none is invented


async def test_faq_menu_pages_and_picks(bot: FakeDiscord, service: FaqService) -> None:
    topics = service.topics()
    menu_id = await bot.slash("faq")
    menu = await callback(bot, menu_id)
    ids = custom_ids(menu)
    assert ids[0] == "faq:browse:0" and "faq:page:1:next" in ids
    select = menu["data"]["components"][0]["components"][0]
    assert [o["value"] for o in select["options"]] == [t.entry_id for t in topics[:25]]
    message = bot.response_message(menu_id)
    turned = await callback(bot, await bot.click(message, "faq:page:1:next"))
    assert turned["type"] == 7  # the menu message is edited in place
    assert custom_ids(turned)[0] == "faq:browse:1"
    picked = await callback(bot, await bot.click(message, "faq:browse:0", [topics[3].entry_id]))
    assert picked["data"]["flags"] & EPHEMERAL
    assert embed_of(picked)["title"] == topics[3].question


# --- messages ------------------------------------------------------------------------------


async def test_a_mention_is_answered_as_a_reply_without_the_mention(
    bot: FakeDiscord, journal: RecordingJournal, service: FaqService
) -> None:
    sent = await bot.send_message(mention(QUESTION), mention_bot=True)
    await bot.wait_for(lambda: bot.messages)
    request = bot.messages[0]["request"]
    assert request["message_reference"]["message_id"] == int(sent["id"])
    assert request["allowed_mentions"]["parse"] == []
    assert embed_of(request)["title"] == service.ask(QUESTION).matched_question
    assert journal.answers[0][0].question == QUESTION


async def test_mentioning_the_bots_role_also_counts(bot: FakeDiscord, service: FaqService) -> None:
    message = await reply_to(bot, f"<@&{BOT_ROLE_ID}> {QUESTION}", mention_roles=(BOT_ROLE_ID,))
    assert embed_of(message["request"])["title"] == service.ask(QUESTION).matched_question


async def test_channel_messages_without_a_mention_and_bots_get_silence(bot: FakeDiscord) -> None:
    await bot.send_message(QUESTION)
    await bot.send_message(mention(QUESTION), mention_bot=True, author=OTHER_BOT)
    await bot.send_message(f"@everyone {QUESTION}")
    answer = await reply_to(bot, mention(QUESTION), mention_bot=True)
    await bot.send_message("", reply_to=bot.stored(answer["id"]))  # content withheld: no intent
    await bot.settle()
    assert bot.messages == [answer]


async def test_direct_messages_are_questions(
    bot: FakeDiscord, journal: RecordingJournal, service: FaqService
) -> None:
    message = await reply_to(bot, QUESTION, channel_id=DM_CHANNEL_ID)
    assert embed_of(message["request"])["title"] == service.ask(QUESTION).matched_question
    assert journal.answers[-1][1] == Origin("discord", "dm", str(USER_ID), str(DM_CHANNEL_ID))


async def test_mentions_in_threads_are_answered(
    bot: FakeDiscord, journal: RecordingJournal
) -> None:
    message = await reply_to(bot, mention(QUESTION), mention_bot=True, channel_id=THREAD_ID)
    assert message["channel_id"] == str(THREAD_ID)
    assert journal.answers[-1][1] == Origin("discord", "thread", str(USER_ID), str(THREAD_ID))


async def test_out_of_scope_gets_not_covered_and_nearest_questions(
    bot: FakeDiscord, service: FaqService
) -> None:
    message = await reply_to(bot, mention(OUT_OF_SCOPE), mention_bot=True)
    expected = service.ask(OUT_OF_SCOPE)
    embed = embed_of(message["request"])
    assert "title" not in embed
    assert expected.text[:40] in embed["description"]
    assert ">" not in embed["description"]  # no quote is invented
    ids = custom_ids(message["request"])
    assert ids == [f"faq:open:{s.entry_id}" for s in expected.suggestions[:3]]


async def test_a_reply_to_an_answer_is_a_follow_up(bot: FakeDiscord, service: FaqService) -> None:
    answer = await reply_to(bot, mention(QUESTION), mention_bot=True)
    follow = await reply_to(bot, "who said that?", reply_to=bot.stored(answer["id"]))
    entry = service.ask(QUESTION).entry_id
    assert entry is not None
    expected = service.follow_up("who said that?", previous_entry_id=entry)
    description = embed_of(follow["request"])["description"]
    # The reply does not echo the question (no platform does): it answers it.
    assert description.startswith(expected.text[:40])


async def test_a_follow_up_fetches_an_answer_discord_did_not_include(
    bot: FakeDiscord, service: FaqService
) -> None:
    answer = await reply_to(bot, mention(QUESTION), mention_bot=True)
    follow = await reply_to(
        bot, "who said that?", reply_to=bot.stored(answer["id"]), resolved=False
    )
    fetched = f"/channels/{CHANNEL_ID}/messages/{answer['id']}"
    assert [r.status for r in bot.requests if r.path == fetched] == [200]
    entry = service.ask(QUESTION).entry_id
    assert entry is not None
    expected = service.follow_up("who said that?", previous_entry_id=entry)
    assert expected.text[:40] in embed_of(follow["request"])["description"]


async def test_everyone_in_a_question_never_pings_and_is_escaped(bot: FakeDiscord) -> None:
    message = await reply_to(
        bot, mention(f"@everyone **{OUT_OF_SCOPE}** <@{USER_ID}>"), mention_bot=True
    )
    request = message["request"]
    assert request["allowed_mentions"] == {"parse": []}
    description = embed_of(request)["description"]
    assert "@everyone" not in description and f"<@{USER_ID}>" not in description
    # Typed text a reply does repeat (an unknown speaker's name) is escaped.
    interaction = await bot.slash("who", speaker=f"@everyone **{OUT_OF_SCOPE}** <@{USER_ID}>")
    echoed = embed_of(await followup(bot, interaction))["description"]
    assert "@\u200beveryone" in echoed and "@everyone" not in echoed
    assert f"\\*\\*{OUT_OF_SCOPE[:20]}" in echoed
    assert f"<@\u200b{USER_ID}>" in echoed


# --- buttons and the context menu ------------------------------------------------------------


async def test_related_button_opens_that_entry(
    bot: FakeDiscord, service: FaqService, journal: RecordingJournal
) -> None:
    answer = await reply_to(bot, mention(QUESTION), mention_bot=True)
    related = service.ask(QUESTION).related[0]
    shown = await callback(
        bot, await bot.click(bot.stored(answer["id"]), f"faq:open:{related.entry_id}")
    )
    assert shown["type"] == 4 and shown["data"]["flags"] & EPHEMERAL
    assert embed_of(shown)["title"] == related.question
    journaled, where = journal.answers[-1]
    assert journaled.entry_id == related.entry_id and where.platform == "discord"


async def test_vote_buttons_reach_the_journal(bot: FakeDiscord, journal: RecordingJournal) -> None:
    answer = bot.stored((await reply_to(bot, mention(QUESTION), mention_bot=True))["id"])
    up = next(i for i in custom_ids(answer) if i.startswith("faq:vote:up:"))
    thanks = await callback(bot, await bot.click(answer, up))
    assert thanks["data"]["flags"] & EPHEMERAL
    down = up.replace(":up:", ":down:")
    await callback(bot, await bot.click(answer, down))
    entry = up.rsplit(":", 1)[1]
    origin = Origin("discord", "guild", str(USER_ID), str(CHANNEL_ID))
    assert journal.votes == [(origin, entry, 1), (origin, entry, -1)]


async def test_buttons_sent_before_a_restart_still_work(
    bot: FakeDiscord, journal: RecordingJournal, service: FaqService
) -> None:
    first, second = service.topics()[:2]
    vote, show, gone = (
        f"faq:vote:up:{first.entry_id}",
        f"faq:open:{second.entry_id}",
        "faq:open:gone",
    )
    buttons = [{"type": 2, "style": 2, "custom_id": i, "label": "Old"} for i in (vote, show, gone)]
    old_answer = {
        **bot.user_message("", author=BOT_USER),  # sent by an earlier run of the bot
        "components": [{"type": 1, "components": buttons}],
    }
    await callback(bot, await bot.click(old_answer, vote))
    shown = await callback(bot, await bot.click(old_answer, show))
    assert embed_of(shown)["title"] == second.question
    missing = await callback(bot, await bot.click(old_answer, gone))
    assert "no longer in my FAQ" in embed_of(missing)["description"]
    assert [(entry, v) for _, entry, v in journal.votes] == [(first.entry_id, 1)]


async def test_slash_commands_work_in_direct_messages(
    bot: FakeDiscord, journal: RecordingJournal, service: FaqService
) -> None:
    interaction = await bot.slash("ask", question=QUESTION, channel_id=DM_CHANNEL_ID)
    title = embed_of(await followup(bot, interaction))["title"]
    assert title == service.ask(QUESTION).matched_question
    assert journal.answers[-1][1] == Origin("discord", "dm", str(USER_ID), str(DM_CHANNEL_ID))


async def test_context_menu_answers_the_message(bot: FakeDiscord, service: FaqService) -> None:
    target = bot.user_message(QUESTION)
    interaction = await bot.context_menu(CONTEXT_MENU_NAME, target)
    assert (await callback(bot, interaction))["type"] == 5
    embed = embed_of(await followup(bot, interaction))
    assert embed["title"] == service.ask(QUESTION).matched_question


# --- admin commands ----------------------------------------------------------------------------


async def test_settings_need_manage_server_and_enable_auto_answer(
    bot: FakeDiscord, core: Core, service: FaqService
) -> None:
    refused = await callback(bot, await bot.slash("settings", auto_answer=True))
    assert (
        refused["data"]["flags"] & EPHEMERAL and "Manage Server" in embed_of(refused)["description"]
    )
    assert core.policy.settings("discord", str(CHANNEL_ID)) == ChatSettings()

    done = await callback(
        bot, await bot.slash("settings", auto_answer=True, quotes=1, permissions=ALL_PERMISSIONS)
    )
    assert "**on**" in embed_of(done)["description"]
    assert core.policy.settings("discord", str(CHANNEL_ID)) == ChatSettings(
        auto_answer=True, max_quotes=1
    )

    message = await reply_to(bot, QUESTION)  # no mention: auto-answered now
    description = embed_of(message["request"])["description"]
    hidden = len(service.ask(QUESTION).quotes) - 1
    assert hidden > 0
    assert description.count("\n> ") == 1 and f"+{hidden} more quote" in description


async def test_reload_is_for_bot_admins(bot: FakeDiscord, core: Core) -> None:
    refused = await callback(bot, await bot.slash("reload", user=OTHER_USER))
    assert refused["type"] == 4 and "Only the bot's admins" in embed_of(refused)["description"]
    pack = core.library.first.answers.pack
    interaction = await bot.slash("reload")
    assert (await callback(bot, interaction))["data"]["flags"] & EPHEMERAL
    assert "Reloaded" in embed_of(await followup(bot, interaction))["description"]
    assert core.library.first.answers.pack is not pack


# --- resilience --------------------------------------------------------------------------------


async def test_a_429_is_retried_and_the_answer_sent_once(bot: FakeDiscord) -> None:
    path = f"/channels/{CHANNEL_ID}/messages"
    bot.rate_limit("POST", path)
    await reply_to(bot, mention(QUESTION), mention_bot=True)
    await bot.settle()
    assert [r.status for r in bot.requests if r.path == path] == [429, 200]
    assert len(bot.messages) == 1


async def test_a_429_on_the_deferred_answer_is_retried_and_sent_once(bot: FakeDiscord) -> None:
    bot.rate_limit("PATCH", r"/webhooks/\d+/[^/]+/messages/@original")
    interaction = await bot.slash("ask", question=QUESTION)
    await followup(bot, interaction)
    await bot.settle()
    statuses = [r.status for r in bot.requests if r.path.startswith("/webhooks/")]
    assert statuses == [429, 200] and len(bot.followups_for(interaction)) == 1


async def test_greetings_get_the_cores_text_and_example_questions(
    bot: FakeDiscord, service: FaqService
) -> None:
    message = await reply_to(bot, mention("hello"), mention_bot=True)
    greeting = service.ask("hello")
    assert embed_of(message["request"])["description"].endswith(greeting.text[-30:])
    assert custom_ids(message["request"]) == [
        f"faq:open:{s.entry_id}" for s in greeting.suggestions
    ]


async def test_reconnect_resumes_and_the_bot_keeps_answering(bot: FakeDiscord) -> None:
    await bot.reconnect()
    (resume,) = bot.frames_with(6)
    assert resume["d"]["session_id"] == "fake-session" and resume["d"]["seq"] >= 2
    await reply_to(bot, mention(QUESTION), mention_bot=True)
    await bot.drop()
    await reply_to(bot, mention(QUESTION), mention_bot=True)
    assert len(bot.frames_with(2)) == 1  # resumed both times, never re-identified


async def test_a_replayed_message_is_answered_once(bot: FakeDiscord) -> None:
    sent = await bot.send_message(mention(QUESTION), mention_bot=True)
    await bot.dispatch("MESSAGE_CREATE", sent)
    await bot.wait_for(lambda: bot.messages)
    await bot.settle()
    assert len(bot.messages) == 1


async def test_a_failing_event_is_logged_and_the_bot_carries_on(
    bot: FakeDiscord,
    core: Core,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    real_ask = core.ask

    def broken(question: str, **kwargs: Any) -> Any:
        monkeypatch.setattr(core, "ask", real_ask)
        raise RuntimeError("boom")

    monkeypatch.setattr(core, "ask", broken)
    await bot.send_message(mention(QUESTION), mention_bot=True)
    await bot.wait_for(lambda: "Error while handling the on_message event" in caplog.text)
    await reply_to(bot, mention(QUESTION), mention_bot=True)

    monkeypatch.setattr(core, "ask", broken)
    interaction = await bot.slash("ask", question=QUESTION)
    apology = await followup(bot, interaction)
    assert "something went wrong" in embed_of(apology)["description"]
    assert "Command ask failed" in caplog.text
    assert embed_of(await followup(bot, await bot.slash("ask", question=QUESTION)))["title"]


async def test_did_you_mean_offers_buttons_and_a_click_is_journaled_as_the_choice(
    bot: FakeDiscord, service: FaqService, journal: RecordingJournal
) -> None:
    question = "What does the PTI need in order to keep its political momentum?"
    expected = service.ask(question)
    assert expected.rule == "asked back"
    message = await reply_to(bot, mention(question), mention_bot=True)
    assert (
        "I am not sure the article answers exactly that."
        in embed_of(message["request"])["description"]
    )
    ids = custom_ids(message["request"])
    assert ids == [f"faq:open:{s.entry_id}" for s in expected.suggestions]
    shown = await callback(bot, await bot.click(bot.stored(message["id"]), ids[0]))
    assert embed_of(shown)["title"] == expected.suggestions[0].question
    asked, _ = journal.answers[-2]
    chosen, where = journal.answers[-1]
    assert (asked.rule, asked.question) == ("asked back", question)
    assert (chosen.rule, chosen.entry_id) == ("chosen", expected.suggestions[0].entry_id)
    assert where.platform == "discord"


# --- the fake's settle: a condition, not a pause -----------------------------------------------


async def test_settle_waits_for_an_answer_slower_than_any_fixed_pause(bot: FakeDiscord) -> None:
    # discord.py waits out the 429 inside the handler: the answer comes 0.6 s later, after the
    # 0.15 s the fake used to sleep, so a silence test asserting here would have passed wrongly.
    bot.rate_limit("POST", f"/channels/{CHANNEL_ID}/messages", retry_after=0.6)
    started = time.monotonic()
    await bot.send_message(mention(QUESTION), mention_bot=True)
    await bot.settle()
    assert time.monotonic() - started >= 0.6
    assert len(bot.messages) == 1


async def test_settle_returns_once_the_bot_has_read_an_event_it_ignores(bot: FakeDiscord) -> None:
    await bot.send_message(QUESTION)  # no mention: nothing to do
    started = time.monotonic()
    await bot.settle()
    assert time.monotonic() - started < 1.0
    assert bot.messages == []


async def test_settle_fails_when_the_bot_is_still_handling_at_its_deadline(
    bot: FakeDiscord,
) -> None:
    bot.rate_limit("POST", f"/channels/{CHANNEL_ID}/messages", retry_after=3.0)
    await bot.send_message(mention(QUESTION), mention_bot=True)
    with pytest.raises(AssertionError, match="waited in vain"):
        await bot.settle(timeout=0.5)
    await bot.settle()  # the answer does go out once the 429 is waited out
    assert len(bot.messages) == 1


async def test_a_short_follow_up_needs_no_reply_and_belongs_to_its_reader(
    bot: FakeDiscord, service: FaqService
) -> None:
    nothing = await reply_to(bot, mention("who said that?"), mention_bot=True)
    assert embed_of(nothing["request"])["description"] == escape(messages.no_earlier_answer())
    await reply_to(bot, mention(QUESTION), mention_bot=True)
    follow = await reply_to(bot, mention("who said that?"), mention_bot=True)  # not a reply
    entry = service.ask(QUESTION).entry_id
    assert entry is not None
    expected = service.follow_up("who said that?", previous_entry_id=entry)
    assert embed_of(follow["request"])["description"].startswith(expected.text[:40])
    other = await reply_to(bot, mention("who said that?"), mention_bot=True, author=OTHER_USER)
    assert embed_of(other["request"])["description"] == escape(messages.no_earlier_answer())
