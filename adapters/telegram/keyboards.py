"""Inline keyboards and their callback data.

Callback data is at most 64 bytes, so it is a short prefix and an id: "e:<entry>" opens an
entry ("e:<entry>:<slug>" one of that article, when a reply offers entries of several),
"v:+:<entry>" / "v:-:<entry>" vote, "t:<page>" turns the /topics page, "w:<speaker>" shows a
speaker, "a:<slug>" picks the article ("a:" every article), "sa" toggles auto-answer and
"sq:<n>" sets the quotes shown. An answer's vote buttons also tell which entry the message
answers, so a reply to it can be followed up after a restart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.model import ChatSettings, Suggestion
from bot.presentation.measures import page_count
from bot.presentation.reply import OPENS_ENTRY, Button, ButtonKind, Reply

ENTRY, VOTE, PAGE, SPEAKER, ARTICLE, AUTO, QUOTES = "e", "v", "t", "w", "a", "sa", "sq"
MAX_CALLBACK_DATA = 64
MAX_LABEL = 60
PAGE_SIZE = 8
QUOTE_CHOICES = (1, 2, 3, 5)
_VOTE_SIGNS = {"+": 1, "-": -1}
# ASCII digits only: str.isdigit() accepts "²" and other digits int() refuses.
_NUMBER = re.compile(r"[0-9]{1,4}")


@dataclass(frozen=True, slots=True)
class Action:
    """A parsed button press: its kind (one of the prefixes above), its argument and a vote."""

    kind: str
    value: str = ""
    vote: int = 0
    article: str | None = None


def parse(data: object) -> Action | None:
    """The action a button's callback data encodes, or None for anything unknown."""
    if not isinstance(data, str):
        return None
    kind, _, value = data.partition(":")
    if kind == VOTE:
        sign, _, entry_id = value.partition(":")
        if sign in _VOTE_SIGNS and entry_id:
            return Action(VOTE, entry_id, _VOTE_SIGNS[sign])
        return None
    if kind == ENTRY and value:
        entry_id, _, article = value.partition(":")
        return Action(ENTRY, entry_id, article=article or None) if entry_id else None
    if kind == SPEAKER and value:
        return Action(kind, value)
    if kind in (PAGE, QUOTES) and _NUMBER.fullmatch(value):
        return Action(kind, value)
    if kind == AUTO and not value:
        return Action(AUTO)
    if kind == ARTICLE and ":" in data:
        return Action(ARTICLE, value)
    return None


def _label(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


def _button(label: str, data: str) -> InlineKeyboardButton | None:
    if len(data.encode()) > MAX_CALLBACK_DATA:
        return None
    return InlineKeyboardButton(_label(label), callback_data=data)


def _rows(
    buttons: Sequence[InlineKeyboardButton | None], width: int
) -> list[list[InlineKeyboardButton]]:
    kept = [b for b in buttons if b is not None]
    return [kept[i : i + width] for i in range(0, len(kept), width)]


def _markup(rows: list[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup | None:
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(rows) if rows else None


def suggestions_keyboard(suggestions: Sequence[Suggestion]) -> InlineKeyboardMarkup | None:
    """One button per suggested entry (examples, not-covered suggestions), one per row."""
    return _markup(_rows([_button(s.question, f"{ENTRY}:{s.entry_id}") for s in suggestions], 1))


_CALLBACK_PREFIX = {
    ButtonKind.RELATED: f"{ENTRY}:",
    ButtonKind.CHOICE: f"{ENTRY}:",
    ButtonKind.VOTE_UP: f"{VOTE}:+:",
    ButtonKind.VOTE_DOWN: f"{VOTE}:-:",
    ButtonKind.SPEAKER: f"{SPEAKER}:",
    ButtonKind.ARTICLE: f"{ARTICLE}:",
}
_ROW_WIDTH = {ButtonKind.VOTE_UP: 2, ButtonKind.VOTE_DOWN: 2, ButtonKind.SPEAKER: 2}


def callback_data(button: Button) -> str:
    """The callback data a Reply's button is sent with."""
    data = _CALLBACK_PREFIX[button.kind] + button.payload
    return f"{data}:{button.article}" if button.article and button.kind in OPENS_ENTRY else data


def reply_keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """A Reply's buttons as an inline keyboard, in the Reply's order: questions one per row,
    votes and speakers two per row; a button whose data exceeds 64 bytes is left out. None when
    there is nothing to show."""
    rows: list[list[InlineKeyboardButton]] = []
    group: list[InlineKeyboardButton | None] = []
    width = 0
    for button in reply.buttons:
        wanted = _ROW_WIDTH.get(button.kind, 1)
        if group and wanted != width:
            rows += _rows(group, width)
            group = []
        width = wanted
        group.append(_button(button.label, callback_data(button)))
    if group:
        rows += _rows(group, width)
    return _markup(rows)


def answered_entry(markup: InlineKeyboardMarkup | None) -> str | None:
    """The entry an answer message answers, read back from its vote buttons."""
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            action = parse(button.callback_data)
            if action is not None and action.kind == VOTE:
                return action.value
    return None


def topics_keyboard(topics: Sequence[Suggestion], page: int) -> InlineKeyboardMarkup | None:
    """One page of entries with ◀ ▶ to turn pages; `page` must be within range."""
    shown = topics[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    rows = _rows([_button(s.question, f"{ENTRY}:{s.entry_id}") for s in shown], 1)
    pages = page_count(len(topics), PAGE_SIZE)
    if pages > 1:
        nav = [
            _button("◀", f"{PAGE}:{page - 1}") if page > 0 else None,
            _button(f"{page + 1}/{pages}", f"{PAGE}:{page}"),
            _button("▶", f"{PAGE}:{page + 1}") if page + 1 < pages else None,
        ]
        rows += _rows(nav, 3)
    return _markup(rows)


def settings_keyboard(settings: ChatSettings) -> InlineKeyboardMarkup:
    """Toggle auto-answer, and choose how many quotes an answer shows."""
    auto = "Auto-answer: on ✅" if settings.auto_answer else "Auto-answer: off"
    quotes = [
        _button(f"• {n} •" if n == settings.max_quotes else str(n), f"{QUOTES}:{n}")
        for n in QUOTE_CHOICES
    ]
    return InlineKeyboardMarkup([*_rows([_button(auto, AUTO)], 1), *_rows(quotes, len(quotes))])
