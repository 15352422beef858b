"""Answers as Discord embeds, always within Discord's limits.

Lengths are measured in UTF-16 code units: never fewer than the characters Discord counts, so the
text fits however Discord counts (emoji and other astral characters take two units).
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.model import Source, Suggestion
from bot.presentation.measures import utf16_len
from bot.presentation.reply import Reply, ReplyQuote, more_quotes_line

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_VALUE_LIMIT = 1024
TOTAL_LIMIT = 6000
BUTTON_LABEL_LIMIT = 80
OPTION_LIMIT = 100

ELLIPSIS = "…"
SPEAKER_LINE_LIMIT = 300
FOOTER_TEXT_LIMIT = 300
MORE_LINE_RESERVE = 40
MIN_CLIPPED_QUOTE = 200  # below this, a clipped quote says too little to be worth showing

ANSWER_ACCENT = discord.Color.blurple()
NOT_COVERED_ACCENT = discord.Color.light_grey()


def clip(text: str, limit: int) -> str:
    """The text cut to `limit` units with a trailing ellipsis, at a word boundary when one is
    close; unchanged when it already fits."""
    if utf16_len(text) <= limit:
        return text
    allowance = limit - utf16_len(ELLIPSIS)
    cut, used = [], 0
    for char in text:
        used += utf16_len(char)
        if used > allowance:
            break
        cut.append(char)
    head = "".join(cut)
    space = head.rfind(" ")
    if space >= len(head) * 0.8:
        head = head[:space]
    # A dangling backslash would escape the ellipsis.
    return head.rstrip().rstrip("\\") + ELLIPSIS


def escape(text: str) -> str:
    """Text shown as typed: markdown and mentions neutralised."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def one_line(text: str) -> str:
    """Whitespace (newlines included) collapsed to single spaces."""
    return " ".join(text.split())


def button_label(text: str) -> str:
    """A button label: one line, at most 80 characters, never empty."""
    return clip(one_line(text), BUTTON_LABEL_LIMIT) or "…"


def option_text(text: str) -> str:
    """A select option label or autocomplete choice: one line, 1 to 100 characters."""
    return clip(one_line(text), OPTION_LIMIT) or "…"


def _attribution(quote: ReplyQuote) -> str:
    credit = " ".join(quote.credit.splitlines())  # keeps the space before "(verb)"
    return f"— **{escape(one_line(quote.speaker))}**{escape(credit)}"


def quote_block(quote: ReplyQuote, *, limit: int | None = None) -> str:
    """One quote as a Markdown block quote followed by who said it and the article's verb.

    With `limit`, the quote's words are clipped so that the block fits in that many units.
    """
    attribution = _attribution(quote)
    text = quote.text.strip()
    if limit is not None:
        lines = text.count("\n") + 1
        room = limit - utf16_len(attribution) - 1 - 2 * lines
        text = clip(text, max(room, 0))
    quoted = "\n".join(f"> {escape(line)}" if line.strip() else ">" for line in text.splitlines())
    block = f"{quoted}\n{attribution}"
    return block if limit is None else clip(block, limit)


def _with_quotes(head: str, reply: Reply, tail: str, limit: int) -> str:
    """The head, as many of the reply's quotes as fit, then the held-back line and the tail.
    Quotes that do not fit in the embed are counted as held back."""
    reserve = MORE_LINE_RESERVE + utf16_len(tail)
    text, shown = head, 0
    for quote in reply.quotes:
        room = limit - utf16_len(text) - 2 - reserve
        block = quote_block(quote)
        if utf16_len(block) > room:
            if shown or room < MIN_CLIPPED_QUOTE:
                break
            block = quote_block(quote, limit=room)
        text, shown = f"{text}\n\n{block}", shown + 1
    more = more_quotes_line(reply.held_back + len(reply.quotes) - shown)
    for line in (f"*{escape(more)}*" if more else None, tail):
        if line:
            text += f"\n\n{line}"
    return text


def reply_embed(reply: Reply) -> discord.Embed:
    """A Reply as an embed: its title, body, quotes with attributions, the held-back count and
    speaker line in the description, the article in the footer, all clipped to Discord's
    limits."""
    footer = clip(one_line(reply.footer), FOOTER_TEXT_LIMIT) if reply.footer else None
    title = clip(escape(one_line(reply.title)), TITLE_LIMIT) if reply.title else None
    limit = min(DESCRIPTION_LIMIT, TOTAL_LIMIT - utf16_len(footer or "") - utf16_len(title or ""))
    tail = clip(escape(reply.speaker_line), SPEAKER_LINE_LIMIT) if reply.speaker_line else ""
    head = clip(escape(reply.body.strip()), limit - MORE_LINE_RESERVE - utf16_len(tail) - 2)
    description = _with_quotes(head, reply, tail, limit)
    accent = ANSWER_ACCENT if reply.answered else NOT_COVERED_ACCENT
    embed = discord.Embed(title=title, description=clip(description, limit), color=accent)
    if footer:
        embed.set_footer(text=footer)
    return embed


def source_embed(source: Source) -> discord.Embed:
    """The article's metadata; unknown fields are left out rather than guessed."""
    url = source.url if source.url and source.url.startswith(("https://", "http://")) else None
    embed = discord.Embed(
        title=clip(escape(one_line(source.title)), TITLE_LIMIT),
        url=url,
        description="I answer questions only from this article, quoting it word for word.",
    )
    details = {
        "Kind": source.kind,
        "Outlet": source.outlet,
        "Author": source.author,
        "Date": source.date,
    }
    for name, value in details.items():
        if value:
            embed.add_field(name=name, value=clip(escape(one_line(value)), FIELD_VALUE_LIMIT))
    return embed


def browse_embed(page: Sequence[Suggestion], number: int, pages: int, total: int) -> discord.Embed:
    """One page of the FAQ: its questions in full, above the select menu that opens them."""
    lines = [f"• {escape(one_line(s.question))}" for s in page]
    embed = discord.Embed(
        title=f"Questions I can answer ({total})",
        description=clip("\n".join(lines) or "No questions yet.", DESCRIPTION_LIMIT),
    )
    embed.set_footer(text=f"Page {number + 1} of {pages} · pick one below")
    return embed


def notice_embed(text: str, *, title: str | None = None) -> discord.Embed:
    """A short plain message (settings, reload, errors) as an embed."""
    return discord.Embed(
        title=clip(title, TITLE_LIMIT) if title else None,
        description=clip(text, DESCRIPTION_LIMIT),
    )
