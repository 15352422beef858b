"""Telegram HTML for the bot's replies: every dynamic string escaped, every part a valid message.

A reply is built as blocks (complete HTML fragments that never break inside a tag or an entity),
then the blocks are packed into parts of at most MAX_MESSAGE characters and MAX_ENTITIES
formatting entities each.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from bot.model import ChatSettings, Source
from bot.presentation.measures import utf16_len
from bot.presentation.reply import Reply, ReplyQuote

MAX_MESSAGE = 4096
MAX_ENTITIES = 100
BLOCK_GAP = "\n\n"
WORD_JOINER = "\u2060"
_HANDLE = re.compile(r"@(?=[A-Za-z0-9_])")


def escape(text: str) -> str:
    """Text made safe for Telegram HTML: only &, < and > are replaced."""
    return html.escape(text, quote=False)


def defuse_mentions(text: str) -> str:
    """Text that echoes what someone typed, with every @handle kept visible but no longer a
    mention (a word joiner after the @), so an echo never notifies anyone."""
    return _HANDLE.sub("@" + WORD_JOINER, text)


def _entities(block: str) -> int:
    # Dynamic text is escaped, so every "<" opens or closes a tag.
    return block.count("<") - block.count("</")


def _fits(piece: str, allowance: int) -> bool:
    return utf16_len(escape(piece)) <= allowance


def _cut(text: str, allowance: int) -> int:
    """Where to cut `text` so the escaped head fits in `allowance`: at a line break or space when
    one is in the second half, else at the last character that fits."""
    low, high = 1, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if _fits(text[:mid], allowance):
            low = mid
        else:
            high = mid - 1
    for separator in ("\n", " "):
        at = text.rfind(separator, 0, low + 1)
        if at > low // 2:
            return at
    return low


def wrap(text: str, tag: str | None = None, *, allowance: int = MAX_MESSAGE) -> list[str]:
    """Plain text as escaped blocks, each wrapped in `tag` and each at most `allowance` long; an
    @handle in it is never a mention."""
    opening, closing = (f"<{tag}>", f"</{tag.split()[0]}>") if tag else ("", "")
    room = allowance - utf16_len(opening) - utf16_len(closing)
    blocks: list[str] = []
    rest = defuse_mentions(text.strip())
    while rest:
        if _fits(rest, room):
            head, rest = rest, ""
        else:
            at = _cut(rest, room)
            head, rest = rest[:at].rstrip(), rest[at:].lstrip()
        if head:
            blocks.append(f"{opening}{escape(head)}{closing}")
    return blocks


def pack(blocks: Sequence[str]) -> list[str]:
    """Blocks joined into as few messages as the length and entity limits allow."""
    parts: list[str] = []
    current, entities = "", 0
    for block in blocks:
        joined = f"{current}{BLOCK_GAP}{block}" if current else block
        count = entities + _entities(block)
        if current and (utf16_len(joined) > MAX_MESSAGE or count > MAX_ENTITIES):
            parts.append(current)
            joined, count = block, _entities(block)
        current, entities = joined, count
    if current:
        parts.append(current)
    return parts


def quote_blocks(quote: ReplyQuote) -> list[str]:
    """A quote as blockquote blocks, its attribution under the last one."""
    attribution = escape(quote.attribution)
    quoted = wrap(quote.text, "blockquote", allowance=MAX_MESSAGE - utf16_len(attribution) - 1)
    return [*quoted[:-1], f"{quoted[-1]}\n{attribution}"] if quoted else [attribution]


def render_reply(reply: Reply) -> list[str]:
    """A Reply as HTML messages: bold title, body, each quote with who said it, the held-back
    count, the speaker line and the footer naming the article (linked when its URL is known)."""
    blocks = wrap(reply.title, "b") if reply.title else []
    blocks += wrap(reply.body)
    for quote in reply.quotes:
        blocks += quote_blocks(quote)
    if reply.more_quotes:
        blocks += wrap(reply.more_quotes, "i")
    if reply.speaker_line:
        blocks += wrap(reply.speaker_line)
    if reply.footer:
        blocks.append(footer_html(reply.footer, reply.link))
    return pack(blocks) or [escape("…")]


def footer_html(footer: str, link: str | None = None) -> str:
    """The footer in italics, linked to the article when its URL is known."""
    text = escape(" ".join(footer.split()))
    if link:
        text = f'<a href="{html.escape(link, quote=True)}">{text}</a>'
    return f"<i>{text}</i>"


def welcome(source: Source) -> str:
    """The /start greeting."""
    return (
        f"Hello! I answer questions about one article: <b>{escape(source.title)}</b> "
        f"({escape(source.kind)}).\n\n"
        "I answer only from the article, with its exact words and who said them. "
        "If the article does not say, I tell you so.\n\n"
        "Send me a question, or try one of these:"
    )


def help_text(username: str, commands: Sequence[tuple[str, str]]) -> str:
    """The /help text: how to ask, in private, in groups and inline; then `commands`, each
    (usage as HTML, what it does), as the command table lists them."""
    bot = escape(f"@{username}")
    return (
        "<b>How to ask</b>\n"
        "In this private chat, just send a question.\n"
        f"In a group, use /ask <i>question</i>, mention {bot}, or reply to one of my answers.\n"
        f"In any chat, type {bot} <i>question</i> to share an answer inline.\n"
        "Reply to an answer with “who said that?”, “tell me more” or "
        "“what else did she say?” to follow up.\n\n"
        "<b>Commands</b>\n" + "\n".join(f"{usage} — {escape(what)}" for usage, what in commands)
    )


def ask_usage(example: str) -> str:
    """Reply to an /ask with nothing after it."""
    return f"Put your question after the command, e.g. <code>/ask {escape(example)}</code>"


def source_text(source: Source, *, entries: int, speakers: int) -> str:
    """The /source text: the article and what the bot covers."""
    lines = [f"<b>{escape(source.title)}</b>", f"Kind: {escape(source.kind)}"]
    for label, value in (
        ("Outlet", source.outlet),
        ("Author", source.author),
        ("Date", source.date),
    ):
        if value:
            lines.append(f"{label}: {escape(value)}")
    if source.url:
        lines.append(f'<a href="{html.escape(source.url, quote=True)}">Read the article</a>')
    lines.append("")
    lines.append(
        f"I answer {entries} questions about this article, quoting {speakers} people and "
        "groups in its own words, and nothing beyond it. See /topics and /who."
    )
    return "\n".join(lines)


def topics_text(total: int, page: int, pages: int) -> str:
    """The /topics header for one page of the keyboard."""
    where = f" (page {page + 1} of {pages})" if pages > 1 else ""
    return f"The article answers these {total} questions{where}. Tap one:"


def settings_text(settings: ChatSettings) -> str:
    """The /settings panel text."""
    state = "on" if settings.auto_answer else "off"
    return (
        "<b>Settings for this group</b>\n"
        f"Auto-answer: <b>{state}</b> — answer clear questions about the article even when "
        "I am not mentioned (I need to see group messages: admin rights or privacy mode off).\n"
        f"Quotes shown per answer: <b>{settings.max_quotes}</b>\n\n"
        "Only group admins can change these."
    )


def reload_text(problems: Sequence[str]) -> list[str]:
    """The /reload reply: the validator's problems, or that the new pack is live."""
    if not problems:
        return ["Reloaded: the new knowledge pack is live."]
    blocks = wrap("The knowledge pack has problems; I keep serving the old one:", "b")
    blocks += [line for problem in problems for line in wrap(f"• {problem}")]
    return pack(blocks)


def snippet(text: str, limit: int = 120) -> str:
    """Plain text shortened at a word boundary, for inline result descriptions."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(",;:") + "…"
