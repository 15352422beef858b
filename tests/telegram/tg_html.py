"""A strict checker for Telegram's HTML parse mode, used by the unit tests and the fake server.

Stricter than Telegram where Telegram is lenient (a bare ">" is rejected), so that passing here
means Telegram accepts the message.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

MAX_CHARS = 4096
MAX_ENTITIES = 100
ALLOWED: dict[str, frozenset[str]] = {
    **dict.fromkeys(("b", "strong", "i", "em", "u", "ins", "s", "strike", "del"), frozenset()),
    **dict.fromkeys(("tg-spoiler", "pre"), frozenset()),
    "span": frozenset({"class"}),
    "a": frozenset({"href"}),
    "code": frozenset({"class"}),
    "blockquote": frozenset({"expandable"}),
    "tg-emoji": frozenset({"emoji-id"}),
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:=\"[^\"<>]*\")?)*)\s*>")
_ATTR = re.compile(r"([a-zA-Z-]+)(?:=\"([^\"]*)\")?")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")


class TelegramHtmlError(ValueError):
    """The text would fail with "Can't parse entities" or a length error."""


@dataclass(frozen=True)
class Parsed:
    """What Telegram would show: the plain text, and how many formatting entities it has."""

    text: str
    entities: int


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts (a lone surrogate is one unit)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def parse(markup: str) -> Parsed:
    """Check `markup` the way Telegram's HTML parse mode would; raise TelegramHtmlError."""
    stack: list[str] = []
    text: list[str] = []
    entities = 0
    at = 0
    while at < len(markup):
        char = markup[at]
        if char == "<":
            tag = _TAG.match(markup, at)
            if tag is None:
                raise TelegramHtmlError(f"unescaped '<' at {at}")
            _open_or_close(tag, stack)
            entities += tag.group(1) == ""
            at = tag.end()
        elif char == "&":
            entity = _ENTITY.match(markup, at)
            if entity is None:
                raise TelegramHtmlError(f"unsupported or unescaped '&' at {at}")
            text.append(html.unescape(entity.group()))
            at = entity.end()
        elif char == ">":
            raise TelegramHtmlError(f"unescaped '>' at {at}")
        else:
            text.append(char)
            at += 1
    if stack:
        raise TelegramHtmlError(f"unclosed tags: {stack}")
    plain = "".join(text)
    if not plain.strip():
        raise TelegramHtmlError("message text is empty")
    if utf16_len(plain) > MAX_CHARS:
        raise TelegramHtmlError(f"message is too long ({utf16_len(plain)} > {MAX_CHARS})")
    if entities > MAX_ENTITIES:
        raise TelegramHtmlError(f"too many entities ({entities} > {MAX_ENTITIES})")
    return Parsed(plain, entities)


def _open_or_close(tag: re.Match[str], stack: list[str]) -> None:
    closing, name, attrs = tag.group(1) == "/", tag.group(2).lower(), tag.group(3)
    if name not in ALLOWED:
        raise TelegramHtmlError(f"unsupported tag <{name}>")
    if closing:
        if attrs.strip() or not stack or stack[-1] != name:
            raise TelegramHtmlError(f"unexpected </{name}> (open: {stack})")
        stack.pop()
        return
    found = dict(_ATTR.findall(attrs))
    unknown = set(found) - ALLOWED[name]
    if unknown:
        raise TelegramHtmlError(f"unsupported attributes {sorted(unknown)} on <{name}>")
    if name == "span" and found.get("class") != "tg-spoiler":
        raise TelegramHtmlError('<span> must have class="tg-spoiler"')
    if name == "a" and not found.get("href"):
        raise TelegramHtmlError("<a> needs an href")
    if name == "blockquote" and "blockquote" in stack:
        raise TelegramHtmlError("nested <blockquote>")
    inside = stack[-1] if stack else None
    if inside == "code" or (inside == "pre" and name != "code"):
        raise TelegramHtmlError(f"<{name}> inside <{inside}>")
    stack.append(name)


def plain(markup: str) -> str:
    """The text Telegram would show for valid markup."""
    return parse(markup).text
