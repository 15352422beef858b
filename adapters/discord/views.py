"""Persistent buttons and menus. Every item is a DynamicItem whose custom_id carries the action and
the entry (or page), so a click works after a restart without any stored state."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol, Self, runtime_checkable

import discord
from discord import ui

from adapters.discord.render import button_label, option_text
from bot.model import Suggestion
from bot.presentation.reply import OPENS_ENTRY, Button, ButtonKind, Reply

ENTRY_ID = r"[A-Za-z0-9_.-]{1,80}"
# An entry, and the article it belongs to when a reply offers entries of several.
OPEN_PATTERN = re.compile(rf"faq:open:(?P<entry>{ENTRY_ID})(?::(?P<pack>{ENTRY_ID}))?")
VOTE_PATTERN = re.compile(rf"faq:vote:(?P<vote>up|down):(?P<entry>{ENTRY_ID})")
BROWSE_PATTERN = re.compile(r"faq:browse:(?P<page>\d{1,4})")
PAGE_PATTERN = re.compile(r"faq:page:(?P<page>\d{1,4}):(?P<direction>prev|next)")
SPEAKER_PATTERN = re.compile(rf"faq:speaker:(?P<speaker>{ENTRY_ID})")
# An empty slug: back to every article.
ARTICLE_PATTERN = re.compile(r"faq:article:(?P<slug>[A-Za-z0-9_.-]{0,80})")

PAGE_SIZE = 25  # options in one select menu
MAX_QUESTION_BUTTONS = 4  # rows 0-3; the votes take row 4
VOTES = {"up": 1, "down": -1}


@runtime_checkable
class Actions(Protocol):
    """What the persistent components ask the adapter to do."""

    async def open_entry(
        self, interaction: discord.Interaction, entry_id: str, pack: str | None = None
    ) -> None:
        """Show one entry's answer (of article `pack`, else the chat's) to whoever clicked."""

    async def vote(self, interaction: discord.Interaction, entry_id: str, vote: int) -> None:
        """Record a 👍 (+1) / 👎 (-1) on an entry."""

    async def show_page(self, interaction: discord.Interaction, page: int) -> None:
        """Turn the /faq menu to another page."""

    async def show_speaker(self, interaction: discord.Interaction, speaker_id: str) -> None:
        """Show one speaker's views and quotes to whoever clicked."""

    async def choose_article(self, interaction: discord.Interaction, slug: str) -> None:
        """Pick the article the clicker (or, for a server manager, the channel) talks about."""


def actions_of(interaction: discord.Interaction) -> Actions:
    """The adapter behind the client that received this interaction."""
    actions = getattr(interaction.client, "actions", None)
    if not isinstance(actions, Actions):
        raise TypeError("this client does not provide faqbot's component actions")
    return actions


def valid_entry_id(entry_id: str) -> bool:
    """Whether an entry id can travel inside a custom_id."""
    return re.fullmatch(ENTRY_ID, entry_id) is not None


class OpenEntry(ui.DynamicItem[ui.Button[ui.View]], template=OPEN_PATTERN):
    """A button showing another entry: a related question or a suggestion."""

    def __init__(
        self, entry_id: str, label: str, *, row: int | None = None, pack: str | None = None
    ) -> None:
        custom_id = f"faq:open:{entry_id}:{pack}" if pack else f"faq:open:{entry_id}"
        button: ui.Button[ui.View] = ui.Button(
            label=button_label(label),
            style=discord.ButtonStyle.secondary,
            custom_id=custom_id,
        )
        super().__init__(button, row=row)
        self.entry_id = entry_id
        self.pack = pack

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """Rebuild the button from a click on any message that carries it."""
        label = getattr(item, "label", None) or match["entry"]
        return cls(match["entry"], label, pack=match["pack"])

    async def callback(self, interaction: discord.Interaction) -> None:
        """Show the entry."""
        await actions_of(interaction).open_entry(interaction, self.entry_id, self.pack)


class Vote(ui.DynamicItem[ui.Button[ui.View]], template=VOTE_PATTERN):
    """👍 or 👎 on the answer it is attached to; the entry id also marks that answer for
    follow-up replies."""

    def __init__(self, entry_id: str, direction: str) -> None:
        button: ui.Button[ui.View] = ui.Button(
            emoji="👍" if direction == "up" else "👎",
            style=discord.ButtonStyle.secondary,
            custom_id=f"faq:vote:{direction}:{entry_id}",
        )
        super().__init__(button, row=4)
        self.entry_id, self.direction = entry_id, direction

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """Rebuild the button from a click."""
        return cls(match["entry"], match["vote"])

    async def callback(self, interaction: discord.Interaction) -> None:
        """Record the vote."""
        await actions_of(interaction).vote(interaction, self.entry_id, VOTES[self.direction])


class BrowseSelect(ui.DynamicItem[ui.Select[ui.View]], template=BROWSE_PATTERN):
    """The /faq menu: one page of entries; picking one shows it."""

    def __init__(self, page: int, options: Sequence[discord.SelectOption]) -> None:
        select: ui.Select[ui.View] = ui.Select(
            custom_id=f"faq:browse:{page}",
            placeholder="Pick a question",
            options=list(options),
        )
        super().__init__(select, row=0)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """Rebuild the menu from a pick."""
        options = item.options if isinstance(item, ui.Select) else []
        return cls(int(match["page"]), options)

    async def callback(self, interaction: discord.Interaction) -> None:
        """Show the picked entry."""
        if self.item.values:
            await actions_of(interaction).open_entry(interaction, self.item.values[0])


class BrowsePage(ui.DynamicItem[ui.Button[ui.View]], template=PAGE_PATTERN):
    """◀ / ▶ on the /faq menu."""

    def __init__(self, page: int, direction: str) -> None:
        button: ui.Button[ui.View] = ui.Button(
            emoji="◀️" if direction == "prev" else "▶️",
            style=discord.ButtonStyle.primary,
            custom_id=f"faq:page:{page}:{direction}",
        )
        super().__init__(button, row=1)
        self.page = page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """Rebuild the button from a click."""
        return cls(int(match["page"]), match["direction"])

    async def callback(self, interaction: discord.Interaction) -> None:
        """Turn the page."""
        await actions_of(interaction).show_page(interaction, self.page)


class ShowSpeaker(ui.DynamicItem[ui.Button[ui.View]], template=SPEAKER_PATTERN):
    """A speaker's name; clicking shows their views and quotes, found by the speaker's id."""

    def __init__(self, speaker_id: str, label: str) -> None:
        button: ui.Button[ui.View] = ui.Button(
            label=button_label(label),
            style=discord.ButtonStyle.secondary,
            custom_id=f"faq:speaker:{speaker_id}",
        )
        super().__init__(button)
        self.speaker_id = speaker_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """Rebuild the button from a click."""
        label = getattr(item, "label", None) or match["speaker"]
        return cls(match["speaker"], label)

    async def callback(self, interaction: discord.Interaction) -> None:
        """Show the speaker."""
        await actions_of(interaction).show_speaker(interaction, self.speaker_id)


class ChooseArticle(ui.DynamicItem[ui.Button[ui.View]], template=ARTICLE_PATTERN):
    """An article's title; clicking picks it (an empty slug: every article)."""

    def __init__(self, slug: str, label: str) -> None:
        button: ui.Button[ui.View] = ui.Button(
            label=button_label(label),
            style=discord.ButtonStyle.secondary,
            custom_id=f"faq:article:{slug}",
        )
        super().__init__(button)
        self.slug = slug

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """Rebuild the button from a click."""
        label = getattr(item, "label", None) or match["slug"] or "Every article"
        return cls(match["slug"], label)

    async def callback(self, interaction: discord.Interaction) -> None:
        """Pick the article."""
        await actions_of(interaction).choose_article(interaction, self.slug)


PERSISTENT_ITEMS = (OpenEntry, Vote, BrowseSelect, BrowsePage, ShowSpeaker, ChooseArticle)
KNOWN_CUSTOM_IDS = (
    OPEN_PATTERN,
    VOTE_PATTERN,
    BROWSE_PATTERN,
    PAGE_PATTERN,
    SPEAKER_PATTERN,
    ARTICLE_PATTERN,
)


def is_known_component(custom_id: object) -> bool:
    """Whether a clicked component's custom_id is one this version of the bot handles."""
    return isinstance(custom_id, str) and any(p.fullmatch(custom_id) for p in KNOWN_CUSTOM_IDS)


MAX_VIEW_ITEMS = 25  # five rows of five buttons


def _item(button: Button, row: int) -> ui.Item[Any] | None:
    """One Reply button as a persistent component; None when its id cannot be a custom_id."""
    if button.kind is ButtonKind.ARTICLE:
        ok = not button.payload or valid_entry_id(button.payload)
        return ChooseArticle(button.payload, button.label) if ok else None
    if not valid_entry_id(button.payload):
        return None
    if button.kind in OPENS_ENTRY:
        if button.article is not None and not valid_entry_id(button.article):
            return None
        return OpenEntry(button.payload, button.label, row=row, pack=button.article)
    if button.kind is ButtonKind.VOTE_UP:
        return Vote(button.payload, "up")
    if button.kind is ButtonKind.VOTE_DOWN:
        return Vote(button.payload, "down")
    return ShowSpeaker(button.payload, button.label)


def reply_view(reply: Reply) -> ui.View:
    """A Reply's buttons as a persistent view, in the Reply's order: questions one per row (at
    most MAX_QUESTION_BUTTONS), votes on the last row, speakers five to a row. Empty when there
    is nothing to offer."""
    view = ui.View(timeout=None)
    questions = [b for b in reply.buttons if b.kind in OPENS_ENTRY][:MAX_QUESTION_BUTTONS]
    others = [b for b in reply.buttons if b.kind not in OPENS_ENTRY]
    items = [_item(b, row) for row, b in enumerate(questions)] + [_item(b, 0) for b in others]
    for item in [i for i in items if i is not None][:MAX_VIEW_ITEMS]:
        view.add_item(item)
    return view


def browse_view(chunk: Sequence[Suggestion], page: int, pages: int) -> ui.View:
    """The /faq menu at `page` (of `pages`): a select of that page's entries, ◀ / ▶ around it."""
    options = [
        discord.SelectOption(label=option_text(t.question), value=t.entry_id)
        for t in chunk
        if valid_entry_id(t.entry_id)
    ]
    view = ui.View(timeout=None)
    if options:
        view.add_item(BrowseSelect(page, options))
    if page > 0:
        view.add_item(BrowsePage(page - 1, "prev"))
    if page + 1 < pages:
        view.add_item(BrowsePage(page + 1, "next"))
    return view


def answered_entry(message: discord.Message) -> str | None:
    """The entry a message of ours answered, read back from its vote buttons; None if none."""
    for row in message.components:
        for child in getattr(row, "children", ()):
            match = VOTE_PATTERN.fullmatch(getattr(child, "custom_id", None) or "")
            if match:
                return match["entry"]
    return None
