"""The console chat: a question or a command per line, replies as plain text."""

from __future__ import annotations

import os
from collections.abc import Callable

from bot import __version__
from bot.answering import messages
from bot.answering.core import Core, wanted_article
from bot.model import Answer, AnswerKind, Audience, ChatKind, Origin, Suggestion
from bot.presentation.render import reply_lines, reply_text
from bot.presentation.reply import (
    LINK_HEADINGS,
    ButtonKind,
    articles_reply,
    build_reply,
    speakers_reply,
)

COMMANDS = (
    ("/who [NAME]", "who the article quotes, or what one of them said"),
    ("/topics", "the questions I can answer (then type a number to open one)"),
    ("/source", "the article I answer from"),
    ("/article [NAME]", "the articles I answer from, or pick one"),
    ("/help", "this list"),
    ("/quit", "leave (Ctrl-D works too)"),
)
_QUIT = frozenset({"/quit", "/exit", "quit", "exit"})


def command_list() -> str:
    """The console's commands, one per line."""
    width = max(len(name) for name, _ in COMMANDS)
    return "\n".join(f"  {name:<{width}}  {what}" for name, what in COMMANDS)


class ConsoleChat:
    """One console conversation. The core remembers the last answer (for "who said that?");
    the console remembers the last numbered list (so a number opens that topic)."""

    def __init__(self, core: Core, origin: Origin | None = None) -> None:
        self._core = core
        self._origin = origin or Origin("console", ChatKind.PRIVATE, user_id=_console_user())
        self._listed: list[Suggestion] = []

    def banner(self) -> str:
        """What the console prints before the first prompt."""
        return (
            f"faqbot {__version__} — questions about {self._about()}.\n"
            "Type a question, or a command:\n" + command_list() + "\n"
        )

    def reply(self, line: str) -> str | None:
        """The reply to one line of input; None means the reader wants to leave."""
        text = line.strip()
        if text.lower() in _QUIT:
            return None
        if text.startswith("/"):
            return self._command(text)
        if text.isdigit() and self._listed:
            return self._open_listed(int(text))
        return self._question(text)

    def _about(self) -> str:
        chosen = self._core.chosen_article(self._origin)
        if chosen is not None:
            return f"“{chosen.title}”"
        return f"{len(self._core.library.articles)} articles (/article lists them)"

    def _command(self, text: str) -> str:
        name, _, rest = text.partition(" ")
        name = name.split("@", 1)[0].lower()
        article = self._core.article(self._origin)
        if name in ("/help", "/start"):
            intro = messages.small_talk(
                AnswerKind.HELP, article.answers.source, article.answers.example_question()
            )
            return f"{intro}\n\nCommands:\n{command_list()}"
        if name == "/topics":
            self._listed = article.answers.topics()
            return "\n".join(
                f"{number:>3}. {topic.question}" for number, topic in enumerate(self._listed, 1)
            ) + ("\n\nType a number to open that topic." if self._listed else "")
        if name == "/source":
            return messages.source_details(article.answers.source)
        if name == "/article":
            return self._article(rest.strip())
        if name == "/who":
            if not rest.strip():
                speakers = article.speakers.speakers()
                return reply_text(speakers_reply(speakers, article.answers.source))
            return self._show(self._core.who(rest.strip(), origin=self._origin))
        if name == "/ask" and rest.strip():
            return self._question(rest.strip())
        return f"Unknown command {name}. Commands:\n{command_list()}"

    def _article(self, wanted: str) -> str:
        library = self._core.library
        if not wanted:
            return reply_text(articles_reply(*self._core.article_choices(self._origin)))
        slug = wanted_article(wanted)
        if not self._core.choose_article(self._origin, slug, for_chat=False):
            return messages.unknown_article(wanted, library.slugs)
        picked = library.article(slug)
        return messages.article_chosen(picked.title if picked else None, for_chat=False)

    def _open_listed(self, number: int) -> str:
        if not 1 <= number <= len(self._listed):
            return f"There is no topic {number}: type a number from 1 to {len(self._listed)}."
        chosen = self._listed[number - 1]
        answer = self._core.answer_entry(chosen.entry_id, origin=self._origin, pack=chosen.pack)
        if answer is None:  # the pack was reloaded without this entry
            return f"Topic {number} is gone after a reload; type /topics again."
        return self._show(answer)

    def _question(self, text: str) -> str:
        return self._show(self._core.ask(text, origin=self._origin))

    def _show(self, answer: Answer) -> str:
        article = self._core.library.article(answer.pack) or self._core.article(self._origin)
        reply = build_reply(answer, article.answers.source, chat=Audience.PRIVATE)
        choices = reply.buttons_of(ButtonKind.CHOICE)
        if not choices:
            return reply_text(reply)
        # The choices are numbered, and typing a number opens one.
        self._listed = [Suggestion(b.payload, b.label, pack=b.article) for b in choices]
        head = "\n".join(reply_lines(reply, links=False))
        numbered = "\n".join(f"{n:>3}. {b.label}" for n, b in enumerate(choices, 1))
        label = LINK_HEADINGS[ButtonKind.CHOICE]
        return f"{head}\n\n{label}\n{numbered}\n\nType a number to open one."


def run_console(
    core: Core,
    *,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
) -> int:
    """Chat on the terminal until /quit or end of input; returns the exit code."""
    chat = ConsoleChat(core)
    write(chat.banner())
    while True:
        try:
            line = read("you> ")
        except EOFError:
            write("")
            return 0
        reply = chat.reply(line)
        if reply is None:
            return 0
        write("bot> " + reply.replace("\n", "\n     ") + "\n")


def _console_user() -> str | None:
    return str(os.getuid()) if hasattr(os, "getuid") else None
