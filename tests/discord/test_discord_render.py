"""Embeds, buttons and choices stay within Discord's limits for the whole pack and hostile input."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import discord
import pytest

from adapters.discord.chat import strip_mentions
from adapters.discord.handlers import Handlers
from adapters.discord.origin import chat_kind
from adapters.discord.render import (
    ELLIPSIS,
    browse_embed,
    clip,
    escape,
    reply_embed,
    source_embed,
)
from adapters.discord.views import PAGE_SIZE, answered_entry, browse_view, reply_view
from bot.answering.core import Core
from bot.answering.service import FaqService
from bot.model import (
    Answer,
    AnswerKind,
    AttributedQuote,
    Audience,
    ChatKind,
    ChatSettings,
    Source,
    Suggestion,
)
from bot.presentation.measures import page_count, utf16_len
from bot.presentation.reply import build_reply, speakers_reply

HOSTILE = [
    "x" * 10_000,
    "**bold** __under__ ~~strike~~ `code` ||spoiler|| > quote\n# Heading\n- list [link](http://x.y)",
    "@everyone @here <@123456789012345678> <@&123456789012345678> why are leaders leaving?",
    "لماذا يغادر القادة حزب حركة الإنصاف؟ \u202eevil\u202c למה עוזבים?",
    "😀👍🏽👨‍👩‍👧‍👦" * 2_000,
    "\n\n\n" + "line\n" * 3_000,
    "\\" * 5_000 + "*",
]


def answer_embed(answer: Answer, source: Source, *, max_quotes: int | None = None) -> discord.Embed:
    """The embed of an answer's Reply: in a DM, or a channel showing `max_quotes`."""
    if max_quotes is None:
        return reply_embed(build_reply(answer, source, chat=Audience.PRIVATE))
    settings = ChatSettings(max_quotes=max_quotes)
    return reply_embed(build_reply(answer, source, chat=Audience.GROUP, settings=settings))


def answer_view(answer: Answer) -> discord.ui.View:
    """The view of an answer's Reply (its buttons do not depend on the chat)."""
    return reply_view(build_reply(answer, Source("T", "news"), chat=Audience.GROUP))


def assert_embed_fits(embed: discord.Embed) -> None:
    data = embed.to_dict()
    assert utf16_len(data.get("title", "")) <= 256
    assert utf16_len(data.get("description", "")) <= 4096
    assert utf16_len(data.get("footer", {}).get("text", "")) <= 2048
    fields = data.get("fields", [])
    assert len(fields) <= 25
    for field in fields:
        assert 1 <= utf16_len(field["name"]) <= 256 and 1 <= utf16_len(field["value"]) <= 1024
    total = sum(utf16_len(f["name"]) + utf16_len(f["value"]) for f in fields)
    total += sum(utf16_len(data.get(k, "")) for k in ("title", "description"))
    total += utf16_len(data.get("footer", {}).get("text", ""))
    assert total <= 6000


def assert_view_fits(view: discord.ui.View) -> None:
    rows = view.to_components()
    assert len(rows) <= 5
    for row in rows:
        assert len(row["components"]) <= 5
        for component in row["components"]:
            assert 1 <= len(component["custom_id"]) <= 100
            assert len(component.get("label", "")) <= 80
            for option in component.get("options", []):
                assert 1 <= len(option["label"]) <= 100 and 1 <= len(option["value"]) <= 100


def quote(
    text: str, speaker: str = "Benazir Shah", role: str = "political analyst"
) -> AttributedQuote:
    return AttributedQuote(text, speaker, role, "suggests", "benazir-shah")


# --- the whole shipped pack --------------------------------------------------------------------


@pytest.mark.parametrize("max_quotes", [None, 1, 3, 10])
def test_every_entry_renders_within_limits(service: FaqService, max_quotes: int | None) -> None:
    for topic in service.topics():
        answer = service.answer_entry(topic.entry_id)
        assert answer is not None
        assert_embed_fits(answer_embed(answer, service.source, max_quotes=max_quotes))
        view = answer_view(answer)
        assert_view_fits(view)
        assert any(i.startswith("faq:vote:up:") for i in _ids(view))


def test_every_speaker_renders_within_limits(core: Core) -> None:
    article = core.library.first
    source = article.answers.source
    for speaker in article.speakers.speakers():
        answer = article.speakers.who(speaker.name)
        embed = answer_embed(answer, source)
        assert_embed_fits(embed)
        assert (embed.description or "").count("\n— **") == len(answer.quotes)
    listing = speakers_reply(article.speakers.speakers(), source)
    assert_embed_fits(reply_embed(listing))
    assert_view_fits(reply_view(listing))
    assert_embed_fits(source_embed(source))


def test_every_faq_page_fits(service: FaqService) -> None:
    topics = service.topics()
    pages = page_count(len(topics), PAGE_SIZE)
    seen = []
    for page in range(pages):
        chunk = topics[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        assert_embed_fits(browse_embed(chunk, page, pages, len(topics)))
        view = browse_view(chunk, page, pages)
        assert_view_fits(view)
        (select,) = [c for row in view.to_components() for c in row["components"] if c["type"] == 3]
        seen += [option["value"] for option in select["options"]]
    assert seen == [t.entry_id for t in topics]


# --- hostile input ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_questions_render_within_limits_and_escaped(core: Core, text: str) -> None:
    article = core.library.first
    for answer in (core.library.ask(text), article.speakers.who(text)):
        embed = answer_embed(answer, article.answers.source)
        assert_embed_fits(embed)
        assert_view_fits(answer_view(answer))
        description = embed.description or ""
        assert "@everyone" not in description and "@here" not in description
        assert "<@1" not in description and "<@&" not in description


def test_markdown_in_questions_is_shown_literally() -> None:
    echoed = "The article quotes nobody called “**bold** _it_ `x`”."
    answer = Answer(question="**bold** _it_ `x`", kind=AnswerKind.NOT_COVERED, text=echoed)
    description = answer_embed(answer, Source("T", "news")).description or ""
    assert "\\*\\*bold\\*\\* \\_it\\_ \\`x\\`" in description


def test_huge_answers_and_quotes_are_clipped_with_an_ellipsis() -> None:
    answer = Answer(
        question="q",
        kind=AnswerKind.ANSWER,
        text="word " * 3_000,
        entry_id="e",
        matched_question="T" * 1_000,
        quotes=tuple(quote("said " * 1_000) for _ in range(30)),
    )
    embed = answer_embed(answer, Source("S" * 5_000, "news"))
    assert_embed_fits(embed)
    assert (embed.title or "").endswith(ELLIPSIS)
    assert ELLIPSIS in (embed.description or "") and (embed.footer.text or "").endswith(ELLIPSIS)


def test_a_single_huge_quote_is_clipped_rather_than_dropped() -> None:
    answer = Answer(
        question="q", kind=AnswerKind.ANSWER, text="Short.", quotes=(quote("x" * 9_000),)
    )
    description = answer_embed(answer, Source("T", "news")).description or ""
    assert (
        "> xxx" in description and "— **Benazir Shah**, political analyst (suggests)" in description
    )


def test_quotes_are_block_quotes_with_speaker_role_and_verb() -> None:
    answer = Answer(
        question="q",
        kind=AnswerKind.ANSWER,
        text="Answer.",
        quotes=(quote("First line\nsecond *line*"),),
    )
    description = answer_embed(answer, Source("T", "news")).description or ""
    expected = "> First line\n> second \\*line\\*\n— **Benazir Shah**, political analyst (suggests)"
    assert expected in description


def test_max_quotes_limits_and_counts_the_rest() -> None:
    answer = Answer("q", AnswerKind.ANSWER, "A.", quotes=tuple(quote(f"q{i}") for i in range(4)))
    description = answer_embed(answer, Source("T", "news"), max_quotes=1).description or ""
    assert description.count("> q") == 1 and "+3 more quotes" in description


# --- small helpers ------------------------------------------------------------------------------


def test_clip_counts_utf16_units_and_prefers_word_boundaries() -> None:
    assert clip("short", 10) == "short"
    assert clip("alpha beta gamma delta", 18) == "alpha beta gamma…"
    emoji = clip("😀" * 10, 5)
    assert utf16_len(emoji) <= 5 and emoji.endswith(ELLIPSIS)
    assert not clip("ab\\\\cd", 4).endswith("\\" + ELLIPSIS)


def test_escape_neutralises_mentions_and_markdown() -> None:
    assert escape("@everyone *hi*") == "@\u200beveryone \\*hi\\*"


def test_buttons_skip_ids_that_cannot_travel_in_a_custom_id() -> None:
    answer = Answer(
        "q",
        AnswerKind.ANSWER,
        "A.",
        entry_id="ok-entry",
        related=(
            Suggestion("bad id!", "Bad"),
            Suggestion("x" * 200, "Long"),
            Suggestion("fine", "F"),
        ),
    )
    assert _ids(answer_view(answer)) == [
        "faq:open:fine",
        "faq:vote:up:ok-entry",
        "faq:vote:down:ok-entry",
    ]


def test_answered_entry_is_read_back_from_vote_buttons() -> None:
    buttons = [
        SimpleNamespace(custom_id="faq:open:other"),
        SimpleNamespace(custom_id="faq:vote:up:why"),
    ]
    message: Any = SimpleNamespace(components=[SimpleNamespace(children=buttons)])
    assert answered_entry(message) == "why"
    assert answered_entry(SimpleNamespace(components=[])) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("typed", ["", "why", "k", *HOSTILE])
def test_autocomplete_choices_fit(core: Core, typed: str) -> None:
    handlers = Handlers(core)
    channel = SimpleNamespace(type=discord.ChannelType.text)
    interaction: Any = SimpleNamespace(
        user=SimpleNamespace(id=7), guild_id=1, channel=channel, channel_id=2
    )
    for choices in (
        handlers.question_choices(interaction, typed),
        handlers.speaker_choices(interaction, typed),
        handlers.article_choices(typed),
    ):
        assert len(choices) <= 25
        assert len({c.value for c in choices}) == len(choices)
        for choice in choices:
            assert 1 <= len(choice.name) <= 100 and 1 <= len(choice.value) <= 100


def test_strip_mentions_removes_only_the_bot() -> None:
    assert strip_mentions("<@42> why?\n<@!42> <@7>", 42) == "why? <@7>"
    assert strip_mentions("<@&9> hi", 42, (9,)) == "hi"


def test_chat_kinds() -> None:
    assert chat_kind(None, discord.ChannelType.private) is ChatKind.DM
    assert chat_kind(1, discord.ChannelType.public_thread) is ChatKind.THREAD
    assert chat_kind(1, discord.ChannelType.text) is ChatKind.GUILD
    assert ChatKind.DM == "dm"  # the word the journal keeps


def _ids(view: discord.ui.View) -> list[str]:
    return [c["custom_id"] for row in view.to_components() for c in row["components"]]
