"""One presentation model for every platform: an Answer becomes a Reply exactly once.

`build_reply` is the only place that decides what a reader sees. Adapters map a Reply to their
native form (Telegram HTML and an inline keyboard, a Discord embed and view, console text) and
apply only their platform's limits (message length, embed fields, callback_data / custom_id
bytes). The rules, one for every platform:

- **Title.** An answer from the article is titled with the curated question it answers: the
  Answer's `matched_question` (the phrasing that matched, or the entry's canonical question when
  the reader picked the entry). Nothing is looked up again. Other replies have no title.
- **Quotes.** A reply only its reader sees (a private chat, a DM, an ephemeral reply) shows every
  quote; a reply in a shared chat (a group, a server channel, an inline result) shows at most the
  chat's `max_quotes`. The rest are held back as a count, worded once (`more_quotes_line`).
- **Speakers.** The speaker line names the people and groups quoted in the answer (shown and
  held back, first appearance first), never the article's own voice: the article is the source,
  not a speaker. Speaker lists (/who) leave it out for the same reason (`listed_speakers`).
- **Buttons.** An answer from the article offers its related questions (or, when the pack links
  none, the core's other suggestions) as RELATED, at most MAX_LINKS, then VOTE_UP / VOTE_DOWN on
  its entry. Any other reply offers the core's suggestions as CHOICE, at most MAX_LINKS. A
  speaker list offers one SPEAKER button per speaker, whose payload is the speaker's id.
- **Footer.** Every answer from the article names the article it comes from (the answering pack's
  title, else the served source's) in the footer; other replies have none.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.model import (
    ARTICLE_SPEAKER_ID,
    Answer,
    AttributedQuote,
    Audience,
    ChatSettings,
    Source,
    Speaker,
    Suggestion,
)

MAX_LINKS = 3
SPEAKERS_TITLE = "Who the article quotes"
SPEAKERS_HINT = "Ask me what any of them said."
NOBODY_QUOTED = "The article quotes nobody by name."


class ButtonKind(StrEnum):
    """What pressing a button does; its payload is the id it acts on."""

    RELATED = "related"
    """Open a related entry of an answer (payload: entry id)."""
    CHOICE = "choice"
    """Open one of the suggestions of a reply that is not an answer (payload: entry id)."""
    VOTE_UP = "vote_up"
    """👍 on the answered entry (payload: entry id)."""
    VOTE_DOWN = "vote_down"
    """👎 on the answered entry (payload: entry id)."""
    SPEAKER = "speaker"
    """Show one speaker's views and quotes (payload: speaker id)."""
    ARTICLE = "article"
    """Talk about one article from now on (payload: its slug; empty: every article)."""


OPENS_ENTRY = frozenset({ButtonKind.RELATED, ButtonKind.CHOICE})

LINK_HEADINGS = {
    ButtonKind.RELATED: "Related questions:",
    ButtonKind.CHOICE: "Closest questions the article does answer:",
}
"""How a text-only platform (the console) introduces the entries it lists instead of buttons.
Speaker buttons repeat names the body lists already, and votes need a button: neither is listed."""


@dataclass(frozen=True, slots=True)
class Button:
    """A button under a reply: what it does, its label, and the id it acts on. `article` is
    the slug of the article an entry button opens, when a reply offers entries of several
    articles (entry ids are unique within a pack only); None: the chat's."""

    kind: ButtonKind
    label: str
    payload: str
    article: str | None = None


@dataclass(frozen=True, slots=True)
class ReplyQuote:
    """A quote as shown: the article's words and who said them, worded once.

    The attribution reads `— {speaker}{credit}`; adapters may emphasise `speaker`.
    """

    text: str
    speaker: str
    credit: str
    """What follows the speaker's name: ", role (verb)", or " (verb)" for the article itself."""
    speaker_id: str

    @property
    def attribution(self) -> str:
        """'— Speaker, role (verb)'."""
        return f"— {self.speaker}{self.credit}"


@dataclass(frozen=True, slots=True)
class Reply:
    """Everything a reader sees for one answer, decided once for every platform."""

    body: str
    title: str | None = None
    quotes: tuple[ReplyQuote, ...] = ()
    held_back: int = 0
    """How many of the answer's quotes are not shown in this chat."""
    speaker_line: str | None = None
    footer: str | None = None
    """Names the article an answer comes from; None for replies that are not answers."""
    link: str | None = None
    """The article's URL, for platforms that can link the footer."""
    buttons: tuple[Button, ...] = ()
    answered: bool = False
    """True for an answer from the article."""

    @property
    def more_quotes(self) -> str | None:
        """The line saying how many quotes are held back, or None when none are."""
        return more_quotes_line(self.held_back)

    def buttons_of(self, *kinds: ButtonKind) -> tuple[Button, ...]:
        """The buttons of these kinds, in order."""
        return tuple(b for b in self.buttons if b.kind in kinds)


def more_quotes_line(count: int) -> str | None:
    """'+2 more quotes from the article: ask me privately to see them all.'; None for 0."""
    if count <= 0:
        return None
    more = "1 more quote" if count == 1 else f"{count} more quotes"
    them = "it" if count == 1 else "them all"
    return f"+{more} from the article: ask me privately to see {them}."


def reply_quote(quote: AttributedQuote) -> ReplyQuote:
    """A quote with its attribution worded: role after the name, the article's verb last."""
    role = "" if quote.speaker_id == ARTICLE_SPEAKER_ID or not quote.role else f", {quote.role}"
    verb = f" ({quote.attribution})" if quote.attribution.strip() else ""
    return ReplyQuote(quote.text, quote.speaker, role + verb, quote.speaker_id)


def quotes_shown(chat: Audience, settings: ChatSettings, total: int) -> int:
    """How many of `total` quotes a reply shows: all in private, the setting in shared chats."""
    if chat is Audience.PRIVATE:
        return total
    return min(total, max(0, settings.max_quotes))


def speaker_line(quotes: Iterable[AttributedQuote]) -> str | None:
    """'Quoted: A, B' for the named speakers of the quotes; None when only the article speaks."""
    names = dict.fromkeys(q.speaker for q in quotes if q.speaker_id != ARTICLE_SPEAKER_ID)
    return f"Quoted: {', '.join(names)}" if names else None


def footer(article: str, kind: str | None = None) -> str:
    """'Source: “Title” (kind)': the article an answer comes from."""
    title = " ".join(article.split())
    return f"Source: “{title}” ({kind})" if kind else f"Source: “{title}”"


def _links(answer: Answer) -> tuple[Button, ...]:
    if answer.answered:
        related = answer.related or tuple(
            s for s in answer.suggestions if s.entry_id != answer.entry_id
        )
        return _entry_buttons(ButtonKind.RELATED, related)
    return _entry_buttons(ButtonKind.CHOICE, answer.suggestions)


def _entry_buttons(kind: ButtonKind, suggestions: Sequence[Suggestion]) -> tuple[Button, ...]:
    usable = [s for s in suggestions if s.entry_id]
    return tuple(Button(kind, s.question, s.entry_id, s.pack) for s in usable[:MAX_LINKS])


def build_reply(
    answer: Answer, source: Source, *, chat: Audience, settings: ChatSettings | None = None
) -> Reply:
    """The one Reply for `answer` in a chat of this kind with these settings (defaults if None).

    `source` is the served pack's source; an Answer tagged with another pack's article (a
    library of packs) is credited to that article instead.
    """
    settings = settings or ChatSettings()
    shown = quotes_shown(chat, settings, len(answer.quotes))
    buttons = _links(answer)
    credit = None
    link = None
    if answer.answered:
        if answer.entry_id:
            buttons += (
                Button(ButtonKind.VOTE_UP, "👍", answer.entry_id),
                Button(ButtonKind.VOTE_DOWN, "👎", answer.entry_id),
            )
        own = answer.article is None or answer.article == source.title
        credit = footer(source.title, source.kind) if own else footer(answer.article or "")
        link = source.url if own else None
    return Reply(
        body=answer.text,
        title=answer.matched_question if answer.answered else None,
        quotes=tuple(reply_quote(q) for q in answer.quotes[:shown]),
        held_back=len(answer.quotes) - shown,
        speaker_line=speaker_line(answer.quotes) if answer.answered else None,
        footer=credit,
        link=link,
        buttons=buttons,
        answered=answer.answered,
    )


def listed_speakers(speakers: Iterable[Speaker]) -> list[Speaker]:
    """The people and groups a speaker list shows: everyone but the article's own voice."""
    return [s for s in speakers if s.kind != "article" and s.id != ARTICLE_SPEAKER_ID]


def speakers_matching(speakers: Iterable[Speaker], typed: str) -> list[Speaker]:
    """The listed speakers whose name or an alias contains `typed` (all when it is blank)."""
    wanted = " ".join(typed.split()).casefold()
    return [
        s
        for s in listed_speakers(speakers)
        if not wanted or any(wanted in n.casefold() for n in (s.name, *s.aliases))
    ]


def speakers_reply(speakers: Iterable[Speaker], source: Source) -> Reply:
    """The speaker list (/who): each speaker with the article's words for them, a button each."""
    listed = listed_speakers(speakers)
    lines = [f"• {s.name}, {s.role}" for s in listed]
    body = "\n".join([*lines, "", SPEAKERS_HINT]) if lines else NOBODY_QUOTED
    return Reply(
        body=body,
        title=SPEAKERS_TITLE,
        footer=footer(source.title, source.kind),
        link=source.url,
        buttons=tuple(Button(ButtonKind.SPEAKER, s.name, s.id) for s in listed),
    )


EVERY_ARTICLE = "Every article"


def articles_reply(articles: Sequence[tuple[str, str]], chosen: str | None) -> Reply:
    """The articles a bot serves, as (slug, title), the chat's marked: a button picks one, and
    "Every article" goes back to answering from whichever covers a question."""
    buttons = [Button(ButtonKind.ARTICLE, title, slug) for slug, title in articles]
    if len(articles) > 1:
        buttons.append(Button(ButtonKind.ARTICLE, EVERY_ARTICLE, ""))
    return Reply(
        body=_articles_body(articles, chosen),
        title="Articles",
        buttons=tuple(buttons),
    )


def _articles_body(titles: Sequence[tuple[str, str]], chosen: str | None) -> str:
    """The articles served, as (slug, title), marking the one this chat is about; with none
    chosen, questions are answered from whichever article covers them."""
    lines = [f"{'→' if slug == chosen else '•'} {title} ({slug})" for slug, title in titles]
    now = (
        "Questions here are answered from the article marked →."
        if chosen
        else "Questions here are answered from whichever article covers them."
    )
    return "Articles I answer from:\n" + "\n".join(lines) + "\n" + now
