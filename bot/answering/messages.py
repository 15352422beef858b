"""The bot's own fixed wording (not-covered, greetings, help, speaker summaries)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.model import ARTICLE_SPEAKER_ID, AnswerKind, AttributedQuote, Source, Speaker
from bot.presentation.render import speaker_label


def not_covered(source: Source) -> str:
    """Plain statement that the article does not answer the question."""
    return (
        "The article does not cover that. I can only answer from "
        f"“{source.title}”, and it says nothing I could quote on this."
    )


def small_talk(kind: AnswerKind, source: Source, example: str | None = None) -> str:
    """Reply to a greeting, a request for help, or an empty message; `example` is a question
    the article answers, shown in the help text."""
    intro = (
        f"I answer questions about one article, “{source.title}”, "
        "using only what it says, with its exact words and who said them."
    )
    if kind is AnswerKind.GREETING:
        return f"Hello! {intro} Ask me anything about it."
    if kind is AnswerKind.HELP:
        shown = f", e.g. “{example}”" if example else ""
        return (
            f"{intro} Ask in plain words{shown}. If the article does not say, I will tell you so."
        )
    return f"Please type a question. {intro}"


def source_details(source: Source) -> str:
    """What the pack says about where the article comes from; missing details said plainly."""
    details = [
        f"{label}: {value}"
        for label, value in (
            ("Outlet", source.outlet),
            ("Author", source.author),
            ("Date", source.date),
            ("Link", source.url),
        )
        if value
    ]
    missing = [
        label.lower()
        for label, value in (
            ("Outlet", source.outlet),
            ("author", source.author),
            ("date", source.date),
        )
        if not value
    ]
    text = f"“{source.title}” ({source.kind})."
    if details:
        text += " " + "; ".join(details) + "."
    if missing:
        text += f" {_join(missing).capitalize()} {'is' if len(missing) == 1 else 'are'} not given."
    return text


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def thanks() -> str:
    """Reply to a reader who thanks the bot."""
    return "You're welcome. Ask me anything else about the article."


def unreadable_script(script: str) -> str:
    """Reply to a message written in a script the bot cannot read (Urdu in Arabic script...)."""
    named = "Urdu (Arabic) script" if script == "Arabic" else f"{script} script"
    return (
        f"Sorry, I cannot read {named}. I read questions in English and in Roman Urdu "
        "(Urdu typed in Latin letters, e.g. “yeh kyun hua?”). Please ask again in one of those."
    )


def no_earlier_answer() -> str:
    """Reply to "who said that?" or "tell me more" when the last reply quoted nothing."""
    return (
        "There is no earlier answer to follow up on: my last reply, if any, quoted nothing from "
        "the article. Ask a question first, then ask who said it or for more."
    )


def covered_by_none(titles: Sequence[str]) -> str:
    """Reply when none of several articles covers a question."""
    named = "; ".join(f"“{t}”" for t in titles)
    return (
        f"None of the articles I answer from covers that ({named}); none says anything I "
        "could quote on this."
    )


def which_article(titles: Sequence[str]) -> str:
    """Ask back when two articles answer a question about equally well."""
    return (
        "More than one article answers that. Which one do you mean: "
        + " or ".join(f"“{t}”" for t in titles)
        + "?"
    )


def article_chosen(title: str | None, *, for_chat: bool) -> str:
    """Confirm an article choice (None: back to every article)."""
    whose = "this chat's default" if for_chat else "your article here"
    if title is None:
        return (
            f"Done: {whose} is none now; questions are answered from whichever article covers them."
        )
    return f"Done: {whose} is “{title}”. Questions are answered from it."


def unknown_article(name: str, slugs: Sequence[str]) -> str:
    """Reply when an article name is not one of those served."""
    return f"I do not serve an article called “{name}”. Articles: {', '.join(slugs)}."


def clarify() -> str:
    """Reply when the article is close to a question but may not answer exactly it."""
    return (
        "I am not sure the article answers exactly that. Did you mean one of these? "
        "(If none fits, the article does not say.)"
    )


def nobody_said(source: Source) -> str:
    """Reply to "who said X" when no quote of the article says X."""
    return (
        "The article quotes nobody saying that. I can only answer from "
        f"“{source.title}”, and no one in it is reported saying this."
    )


def said_by_nobody() -> str:
    """Reply to "who said X" when only the article's own voice says X."""
    return "The article says this itself; it does not attribute it to anyone:"


def not_quoted(name: str, source: Source) -> str:
    """Reply to "what did X say" when the article quotes nobody called X."""
    return (
        f"The article does not quote {name}. I can only answer from “{source.title}”, "
        "and it reports nothing they said."
    )


def not_quoted_on(speaker: Speaker) -> str:
    """Reply to "what does P say about T" when the article quotes P, but not on T."""
    return (
        f"The article does not quote {speaker.name} on that. "
        f"What it does attribute to {speaker.name}:"
    )


def unknown_speaker(name: str, known: Sequence[str]) -> str:
    """Reply when /who names nobody the article quotes."""
    shown = name.strip()[:80] or "that name"
    return f"The article quotes nobody called “{shown}”. It quotes: {', '.join(known)}."


def speaker_summary(speaker: Speaker, quote_count: int) -> str:
    """One speaker's line: who they are in the article's words, and what follows."""
    if quote_count == 0:
        return f"{speaker.name}: {speaker.role}. The article attributes no words to them."
    plural = "s" if quote_count != 1 else ""
    count = f"{quote_count} quote{plural}"
    return f"{speaker.name}, {speaker.role}. What the article attributes to them ({count}):"


def who_said(quotes: Sequence[AttributedQuote]) -> str:
    """Answer to "who said that?" about an earlier answer's quotes."""
    if not quotes:
        return "The article does not attribute that to anyone."
    people = list(
        dict.fromkeys(
            f"the article itself ({q.attribution})"
            if q.speaker_id == ARTICLE_SPEAKER_ID
            else f"{speaker_label(q)} ({q.attribution})"
            for q in quotes
        )
    )
    return "Who said it: " + "; ".join(people) + "."
