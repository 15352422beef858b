"""A Reply as plain text, for the terminal and as a fallback. Every decision is the Reply's."""

from __future__ import annotations

import textwrap

from bot.model import ARTICLE_SPEAKER_ID, Answer, AttributedQuote, Audience, ChatSettings, Source
from bot.presentation.reply import LINK_HEADINGS, Reply, ReplyQuote, build_reply

WIDTH = 88


def speaker_label(quote: AttributedQuote) -> str:
    """'Speaker, role', or just the speaker for the article's own voice."""
    if quote.speaker_id == ARTICLE_SPEAKER_ID or not quote.role:
        return quote.speaker
    return f"{quote.speaker}, {quote.role}"


def attribution_line(quote: AttributedQuote) -> str:
    """'— Speaker, role (verb)': who said a quote and how the article puts it."""
    return f"— {speaker_label(quote)} ({quote.attribution})"


def _fill(text: str, *, indent: str = "") -> str:
    """Text wrapped at WIDTH between words, never inside a hyphenated word or a long link."""
    return textwrap.fill(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    )


def quote_text(quote: ReplyQuote) -> list[str]:
    """One quote, indented, with its attribution below it."""
    wrapped = _fill(f"“{quote.text}”", indent="  ")
    return [wrapped, f"    {quote.attribution}"]


def reply_lines(reply: Reply, *, links: bool = True) -> list[str]:
    """The reply's title, body, quotes, held-back count, speaker line and footer, then (with
    `links`) the buttons that open entries or speakers as bulleted lists."""
    lines: list[str] = [reply.title, ""] if reply.title else []
    lines += [_fill(line) for line in reply.body.splitlines()]
    for quote in reply.quotes:
        lines += ["", *quote_text(quote)]
    for extra in (reply.more_quotes, reply.speaker_line, reply.footer):
        if extra:
            lines += ["", extra]
    if links:
        for kind, heading in LINK_HEADINGS.items():
            buttons = reply.buttons_of(kind)
            if buttons:
                lines += ["", heading, *(f"  • {b.label}" for b in buttons)]
    return lines


def reply_text(reply: Reply) -> str:
    """The whole reply as plain text."""
    return "\n".join(reply_lines(reply))


def render_text(answer: Answer, source: Source, *, max_quotes: int | None = None) -> str:
    """An answer as plain text: all its quotes, or (like a shared chat) at most `max_quotes`."""
    if max_quotes is None:
        reply = build_reply(answer, source, chat=Audience.PRIVATE)
    else:
        settings = ChatSettings(max_quotes=max_quotes)
        reply = build_reply(answer, source, chat=Audience.GROUP, settings=settings)
    return reply_text(reply)
