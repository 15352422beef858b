"""Plain-text rendering of an Answer, for the terminal and as a fallback."""

from __future__ import annotations

import textwrap

from bot.model import ARTICLE_SPEAKER_ID, Answer, AnswerKind, AttributedQuote, Source

WIDTH = 88


def speaker_label(quote: AttributedQuote) -> str:
    """'Speaker, role', or just the speaker for the article's own voice."""
    if quote.speaker_id == ARTICLE_SPEAKER_ID or not quote.role:
        return quote.speaker
    return f"{quote.speaker}, {quote.role}"


def attribution_line(quote: AttributedQuote) -> str:
    """'— Speaker, role (verb)': who said a quote and how the article puts it."""
    return f"— {speaker_label(quote)} ({quote.attribution})"


def render_text(answer: Answer, source: Source, *, max_quotes: int | None = None) -> str:
    """The answer, its quotes with who said them, and what else to ask, as plain text."""
    lines = [textwrap.fill(answer.text, WIDTH)]
    quotes = answer.quotes if max_quotes is None else answer.quotes[:max_quotes]
    for quote in quotes:
        lines.append("")
        lines.append(
            textwrap.fill(f"“{quote.text}”", WIDTH, initial_indent="  ", subsequent_indent="  ")
        )
        lines.append(f"    {attribution_line(quote)}")
    if answer.answered:
        lines.append("")
        lines.append(f"Source: “{source.title}”")
    if answer.suggestions:
        lines.append("")
        label = {
            AnswerKind.ANSWER: "See also:",
            AnswerKind.NOT_COVERED: "Closest questions the article does answer:",
            AnswerKind.CLARIFY: "Did you mean:",
        }.get(answer.kind, "Try one of these:")
        lines.append(label)
        lines.extend(f"  • {s.question}" for s in answer.suggestions)
    elif answer.related:
        lines.append("")
        lines.append("Related:")
        lines.extend(f"  • {s.question}" for s in answer.related[:3])
    return "\n".join(lines)
