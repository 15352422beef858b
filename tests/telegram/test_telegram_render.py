"""Rendering: every reply is valid Telegram HTML within the limits, for the shipped pack and for
hostile or oversized text; and the checker itself rejects what Telegram rejects."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tg_fake_api import auto_entities
from tg_html import MAX_CHARS, TelegramHtmlError, parse, plain, utf16_len

from adapters.telegram import render
from adapters.telegram.commands import help_lines
from bot.answering.core import Core
from bot.answering.service import FaqService
from bot.model import (
    Answer,
    AnswerKind,
    AttributedQuote,
    Audience,
    ChatSettings,
    KnowledgePack,
    Source,
)
from bot.presentation.reply import articles_reply, build_reply, speakers_reply

HOSTILE = [
    "<b>bold</b> <i>x</i> </blockquote> <blockquote> <tg-spoiler>",
    "&amp; &lt; &nbsp; &#0; &#xZZ; & ; &&",
    "*markdown* _under_ `code` ```pre``` [link](javascript:alert(1)) ~strike~ ||spoiler||",
    "@everyone @here <@123> <script>alert('x')</script> \" ' ` \\",
    "emoji 🙂🇵🇰👩‍👩‍👧 and combining e\u0301 and RTL \u202e reversed",
    "\x00\x1f control \u2028 separators \ufeff",
]
SOURCE = Source(title="A <title> & “quotes”", kind="news & views", url="https://x.org/?a=1&b=<2>")


def quote(text: str, speaker: str = "Dr <Who> & Co") -> AttributedQuote:
    """A quote with a hostile speaker name by default."""
    return AttributedQuote(
        text=text, speaker=speaker, role="role <i>", attribution="says & adds", speaker_id="x"
    )


def html(answer: Answer, source: Source = SOURCE, *, max_quotes: int | None = None) -> list[str]:
    """The answer's Reply as Telegram HTML: in a private chat, or a group showing `max_quotes`."""
    if max_quotes is None:
        return render.render_reply(build_reply(answer, source, chat=Audience.PRIVATE))
    settings = ChatSettings(max_quotes=max_quotes)
    return render.render_reply(build_reply(answer, source, chat=Audience.GROUP, settings=settings))


def check_all(parts: list[str]) -> str:
    """Every part valid; the visible text of all parts joined."""
    assert parts
    return "\n\n".join(parse(part).text for part in parts)


def test_every_entry_of_the_shipped_pack_renders_valid_html(
    pack: KnowledgePack, service: FaqService
) -> None:
    for entry in pack.entries:
        answer = service.answer_entry(entry.id)
        assert answer is not None
        for limit in (None, 1, 3):
            [part] = html(answer, service.source, max_quotes=limit)
            text = parse(part).text
            assert entry.title in text
            for shown in answer.quotes[:limit]:
                assert shown.text in text
                who = (
                    shown.speaker
                    if shown.speaker_id == "article"
                    else f"{shown.speaker}, {shown.role}"
                )
                assert f"— {who} ({shown.attribution})" in text
            assert f"Source: “{pack.source.title}”" in text


def test_every_speaker_and_every_screen_renders_valid_html(core: Core) -> None:
    article = core.library.first
    source = article.answers.source
    for speaker in article.speakers.speakers():
        check_all(html(article.speakers.who(speaker.name), source))
    check_all(html(article.speakers.who("<b>nobody</b> & co"), source))
    for question in ("hello", "help", "", "how do I cook rice", "who is the president?"):
        check_all(html(core.library.ask(question), source))
    screens = [
        render.welcome(source),
        render.help_text("faq_test_bot", help_lines()),
        render.ask_usage("Why <did> they & leave?"),
        render.source_text(source, entries=31, speakers=7),
        render.source_text(SOURCE, entries=1, speakers=1),
        render.topics_text(31, 0, 4),
        *render.render_reply(speakers_reply(article.speakers.speakers(), source)),
        *render.render_reply(articles_reply([("a-<b>", "A <title> & co")], None)),
        render.settings_text(ChatSettings(True, 5)),
        *render.reload_text(["faq.yaml: entry <x> & y: bad"]),
        *render.reload_text([]),
    ]
    for screen in screens:
        parse(screen)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_is_escaped_and_shown_verbatim(hostile: str) -> None:
    answer = Answer(
        question=hostile,
        kind=AnswerKind.ANSWER,
        text=hostile,
        entry_id="x",
        quotes=(quote(hostile),),
    )
    text = check_all(html(replace(answer, matched_question=hostile)))
    assert text.replace(render.WORD_JOINER, "").count(hostile.strip()) == 3
    assert [e for e in auto_entities(text) if e["type"] == "mention"] == []
    assert "— Dr <Who> & Co, role <i> (says & adds)" in text
    assert "A <title> & “quotes”" in text


def test_long_answers_split_between_blocks_within_the_limits() -> None:
    quotes = tuple(quote(f"Quote {n}: " + "words & <more> " * 40) for n in range(40))
    answer = Answer(
        question="q", kind=AnswerKind.ANSWER, text="Intro " * 1500, entry_id="x", quotes=quotes
    )
    parts = html(answer)
    assert len(parts) > 2
    text = check_all(parts)
    for n in range(40):
        assert f"Quote {n}: words & <more>" in text
    for part in parts:
        assert utf16_len(part) <= MAX_CHARS
        assert part.count("<blockquote>") == part.count("</blockquote>")


def test_a_single_oversized_block_is_cut_at_spaces_never_inside_an_entity() -> None:
    text = "&<> " * 3000
    parts = html(Answer("q", AnswerKind.NOT_COVERED, text))
    assert len(parts) >= 3
    joined = check_all(parts)
    assert joined.replace("\n", " ").split() == text.split()


def test_emoji_are_counted_in_utf16_units() -> None:
    answer = Answer("q", AnswerKind.NOT_COVERED, "🙂" * 5000)
    parts = html(answer)
    assert len(parts) == 3
    assert sum(plain(p).count("🙂") for p in parts) == 5000


def test_many_quotes_stay_under_the_entity_limit() -> None:
    quotes = tuple(quote(f"q{n}") for n in range(250))
    answer = Answer("q", AnswerKind.ANSWER, "text", entry_id="x", quotes=quotes)
    parts = html(replace(answer, matched_question="Heading"))
    assert len(parts) >= 3
    assert all(parse(p).entities <= 100 for p in parts)


def test_group_limit_hides_extra_quotes_and_says_so() -> None:
    answer = Answer("q", AnswerKind.ANSWER, "text", entry_id="x", quotes=(quote("a"), quote("b")))
    text = check_all(html(answer, max_quotes=1))
    assert "“a”" not in text and "a\n— " in text and "b\n— " not in text
    assert "+1 more quote" in text


def test_not_covered_has_no_source_footer_or_quotes() -> None:
    answer = Answer("q", AnswerKind.NOT_COVERED, "The article does not cover that.")
    [part] = html(answer)
    assert part == "The article does not cover that."


def test_snippet_shortens_at_a_word() -> None:
    assert render.snippet("short") == "short"
    long = render.snippet("word " * 100, 50)
    assert long.endswith("…") and len(long) <= 51 and "  " not in long


@pytest.mark.parametrize(
    "bad",
    [
        "<blockquote>a<blockquote>b</blockquote></blockquote>",
        "<div>x</div>",
        "<b>x</i>",
        "<b>x",
        "a & b",
        "&nbsp;",
        "a > b",
        "<span>x</span>",
        '<a href="">x</a>',
        '<b onclick="x">x</b>',
        "<code><b>x</b></code>",
        "x" * 4097,
        "<b>x</b>" * 101,
        "   ",
    ],
)
def test_the_checker_rejects_what_telegram_rejects(bad: str) -> None:
    with pytest.raises(TelegramHtmlError):
        parse(bad)


def test_the_checker_accepts_telegram_html() -> None:
    good = (
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>i</ins><s>s</s><del>d</del>"
        '<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler><a href="https://x">a</a>'
        '<pre><code class="language-py">x</code></pre><blockquote expandable>q</blockquote>'
        "&lt;&gt;&amp;&quot;&#65;&#x42;"
    )
    assert parse(good).text.endswith('<>&"AB')
    assert parse("🙂" * 2048).text
