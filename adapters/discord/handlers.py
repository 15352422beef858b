"""What each application command and component click does. Slow work is deferred first so every
interaction is acknowledged within Discord's 3 seconds; every reply goes through `respond`, which
delivers it once. Typed text is sanitised (bot.matching.sanitise) before anything else sees it."""

from __future__ import annotations

import logging
from dataclasses import replace

import discord
from discord import app_commands

from adapters.discord import respond
from adapters.discord.chat import strip_mentions
from adapters.discord.origin import PLATFORM, interaction_origin
from adapters.discord.presentation import present
from adapters.discord.render import (
    browse_embed,
    notice_embed,
    option_text,
    reply_embed,
    source_embed,
)
from adapters.discord.views import PAGE_SIZE, browse_view, reply_view
from bot.answering import messages
from bot.answering.core import Core, wanted_article
from bot.answering.service import MAX_QUESTION_CHARS
from bot.bootstrap import reload_knowledge
from bot.matching.sanitise import clean_optional, clean_text
from bot.model import Answer
from bot.presentation.measures import page_count
from bot.presentation.reply import (
    articles_reply,
    listed_speakers,
    speakers_matching,
    speakers_reply,
)

log = logging.getLogger(__name__)

MAX_CHOICES = 25
MAX_REPORTED_PROBLEMS = 10


class Handlers:
    """Application commands and persistent components, on top of the core."""

    def __init__(self, core: Core) -> None:
        self._core = core

    # --- questions -------------------------------------------------------------------------

    async def ask(self, interaction: discord.Interaction, question: str) -> None:
        """/ask: answer publicly, quotes included."""
        origin = interaction_origin(interaction)
        await respond.defer(interaction)
        answer = self._core.ask(clean_text(question), origin=origin)
        await self._send(interaction, answer)

    async def answer_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        """The "Answer from the article" context menu: the message's text is the question."""
        me = interaction.client.user
        content = clean_text(message.content)
        question = strip_mentions(content, me.id) if me else content.strip()
        if not question:
            await self.notice(interaction, "That message has no text I can answer.")
            return
        await self.ask(interaction, question)

    async def who(self, interaction: discord.Interaction, speaker: str | None) -> None:
        """/who: everyone quoted, or one speaker's role and every quote of theirs."""
        speaker = clean_optional(speaker)
        origin = interaction_origin(interaction)
        article = self._core.article(origin)
        if not speaker or not speaker.strip():
            reply = speakers_reply(article.speakers.speakers(), article.answers.source)
            await respond.send(interaction, embed=reply_embed(reply), view=reply_view(reply))
            return
        await respond.defer(interaction)
        # An autocomplete choice is the speaker's id; anything typed is a name.
        listed = {s.id for s in listed_speakers(article.speakers.speakers())}
        answer = (
            self._core.speaker(speaker, origin=origin) if speaker in listed else None
        ) or self._core.who(speaker, origin=origin)
        await self._send(interaction, answer)

    async def source(self, interaction: discord.Interaction) -> None:
        """/source: what the article is."""
        article = self._core.article(interaction_origin(interaction))
        await respond.send(interaction, embed=source_embed(article.answers.source))

    async def article(self, interaction: discord.Interaction, name: str | None) -> None:
        """/article: the articles, this channel's marked, as buttons; /article name: pick one
        (a server manager's pick is the channel's default; anyone else's is their own)."""
        origin = interaction_origin(interaction)
        wanted = clean_optional(name)
        if not wanted or not wanted.strip():
            reply = articles_reply(*self._core.article_choices(origin))
            await respond.send(
                interaction, embed=reply_embed(reply), view=reply_view(reply), ephemeral=True
            )
            return
        await self.choose_article(interaction, wanted.strip())

    async def choose_article(self, interaction: discord.Interaction, slug: str) -> None:
        """Pick an article (an empty slug or "all": every article) and say so to the picker."""
        origin = interaction_origin(interaction)
        wanted = wanted_article(slug)
        manager = interaction.guild_id is not None and interaction.permissions.manage_guild
        for_chat = interaction.guild_id is None or manager
        if not self._core.choose_article(origin, wanted, for_chat=for_chat):
            await self.notice(interaction, messages.unknown_article(slug, self._core.library.slugs))
            return
        title = self._core.library.title(wanted) if wanted else None
        shared = for_chat and interaction.guild_id is not None
        await self.notice(interaction, messages.article_chosen(title, for_chat=shared))

    async def browse(self, interaction: discord.Interaction) -> None:
        """/faq: the first page of every entry, as a menu."""
        embed, view = self._page(interaction, 0)
        await respond.send(interaction, embed=embed, view=view)

    # --- autocomplete ----------------------------------------------------------------------

    def question_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Up to 25 FAQ questions close to what is typed so far."""
        choices: dict[str, app_commands.Choice[str]] = {}
        typed = clean_text(current)[:MAX_QUESTION_CHARS]
        article = self._core.article(interaction_origin(interaction))
        for suggestion in article.answers.complete(typed, limit=MAX_CHOICES):
            text = option_text(suggestion.question)
            choices.setdefault(text, app_commands.Choice(name=text, value=text))
        return list(choices.values())[:MAX_CHOICES]

    def speaker_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Up to 25 speakers whose name or alias contains what is typed so far; each choice's
        value is the speaker's id."""
        article = self._core.article(interaction_origin(interaction))
        found = speakers_matching(article.speakers.speakers(), clean_text(current))
        return [
            app_commands.Choice(name=option_text(s.name), value=s.id) for s in found[:MAX_CHOICES]
        ]

    def article_choices(self, current: str) -> list[app_commands.Choice[str]]:
        """Up to 25 articles whose title or slug contains what is typed; each value is a slug."""
        typed = clean_text(current).casefold().strip()
        found = [
            a
            for a in self._core.library.articles
            if typed in a.title.casefold() or typed in a.slug.casefold()
        ]
        return [
            app_commands.Choice(name=option_text(a.title), value=a.slug)
            for a in found[:MAX_CHOICES]
        ]

    # --- admin -----------------------------------------------------------------------------

    async def settings(
        self, interaction: discord.Interaction, auto_answer: bool | None, quotes: int | None
    ) -> None:
        """/settings: show or change this channel's auto-answer and quotes per answer."""
        if interaction.guild_id is None:
            await self.notice(
                interaction, "Settings are per server channel; in DMs I always answer."
            )
            return
        if not interaction.permissions.manage_guild:
            await self.notice(
                interaction, "Changing my settings needs the Manage Server permission."
            )
            return
        chat_id = interaction_origin(interaction).chat_id or str(interaction.guild_id)
        current = self._core.policy.settings(PLATFORM, chat_id)
        chosen = replace(
            current,
            auto_answer=current.auto_answer if auto_answer is None else auto_answer,
            max_quotes=current.max_quotes if quotes is None else quotes,
        )
        if chosen != current:
            self._core.policy.update(PLATFORM, chat_id, chosen)
        lines = [
            f"Auto-answer questions in this channel: **{'on' if chosen.auto_answer else 'off'}**",
            f"Quotes per answer: **{chosen.max_quotes}**",
        ]
        if chosen.auto_answer and not interaction.client.intents.message_content:
            lines.append(
                "Auto-answer needs the Message Content intent, which this bot runs without: "
                "only mentions and replies to me are answered."
            )
        await self.notice(interaction, "\n".join(lines), title="Settings for this channel")

    async def reload(self, interaction: discord.Interaction) -> None:
        """/reload: re-read the knowledge pack (bot admins only); a broken pack is not served."""
        if not self._core.policy.is_bot_admin(PLATFORM, str(interaction.user.id)):
            await self.notice(interaction, "Only the bot's admins can reload the knowledge pack.")
            return
        await respond.defer(interaction, ephemeral=True)
        problems = reload_knowledge(self._core)
        if problems:
            listed = "\n".join(f"- {p}" for p in problems[:MAX_REPORTED_PROBLEMS])
            if len(problems) > MAX_REPORTED_PROBLEMS:
                listed += f"\n…and {len(problems) - MAX_REPORTED_PROBLEMS} more"
            text = f"Kept the previous pack. Problems:\n{listed}"
        else:
            count = sum(len(a.answers.topics()) for a in self._core.library.articles)
            text = f"Reloaded: {count} questions."
        log.info("Knowledge pack reload by a bot admin: %d problem(s)", len(problems))
        await self.notice(interaction, text)

    # --- components (views.Actions) --------------------------------------------------------

    async def open_entry(
        self, interaction: discord.Interaction, entry_id: str, pack: str | None = None
    ) -> None:
        """A related question, suggestion or /faq pick (of article `pack`, else the chat's):
        shown to whoever clicked."""
        origin = interaction_origin(interaction)
        answer = self._core.answer_entry(entry_id, origin=origin, pack=pack)
        if answer is None:
            await self.notice(interaction, "That question is no longer in my FAQ.")
            return
        await self._send(interaction, answer, ephemeral=True)

    async def show_speaker(self, interaction: discord.Interaction, speaker_id: str) -> None:
        """A speaker button: that speaker's views and quotes, shown to whoever clicked."""
        origin = interaction_origin(interaction)
        answer = self._core.speaker(speaker_id, origin=origin)
        if answer is None:
            await self.notice(interaction, "That speaker is no longer in the article.")
            return
        await self._send(interaction, answer, ephemeral=True)

    async def vote(self, interaction: discord.Interaction, entry_id: str, vote: int) -> None:
        """👍 / 👎: stored by the core's journal; one vote per user and entry."""
        origin = interaction_origin(interaction)
        if self._core.feedback(origin=origin, entry_id=entry_id, vote=vote):
            await self.notice(interaction, "Thanks for the feedback!")
        else:
            await self.notice(interaction, "That question is no longer in my FAQ.")

    async def show_page(self, interaction: discord.Interaction, page: int) -> None:
        """◀ / ▶ on the /faq menu: redraw the menu at that page."""
        embed, view = self._page(interaction, page)
        await interaction.response.edit_message(embed=embed, view=view)

    # --- helpers ---------------------------------------------------------------------------

    def _page(
        self, interaction: discord.Interaction, page: int
    ) -> tuple[discord.Embed, discord.ui.View]:
        topics = self._core.article(interaction_origin(interaction)).answers.topics()
        pages = page_count(len(topics), PAGE_SIZE)
        page = min(max(page, 0), pages - 1)
        chunk = topics[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        return browse_embed(chunk, page, pages, len(topics)), browse_view(chunk, page, pages)

    async def _send(
        self,
        interaction: discord.Interaction,
        answer: Answer,
        *,
        ephemeral: bool = False,
    ) -> None:
        origin = interaction_origin(interaction)
        embed, view = present(self._core, answer, origin, ephemeral=ephemeral)
        await respond.send(interaction, embed=embed, view=view, ephemeral=ephemeral)

    async def notice(
        self, interaction: discord.Interaction, text: str, *, title: str | None = None
    ) -> None:
        """A short message only the user sees, whether or not the interaction was deferred (a
        deferred reply keeps the visibility chosen when it was deferred)."""
        await respond.send(interaction, embed=notice_embed(text, title=title), ephemeral=True)
