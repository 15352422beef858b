"""The core's plain-text rendering: the answer, the article's words, who said them."""

from __future__ import annotations

from bot.answering.service import FaqService
from bot.model import AttributedQuote
from bot.presentation.render import attribution_line, render_text


def test_named_speakers_show_their_role_and_the_articles_verb(service: FaqService) -> None:
    answer = service.answer_entry("benazir-shah-view")
    assert answer is not None
    text = render_text(answer, service.source)
    assert answer.text.split()[0] in text
    assert "— Benazir Shah, political analyst (suggests)" in text
    assert f"Source: “{service.source.title}”" in text


def test_the_articles_own_voice_has_no_role() -> None:
    quote = AttributedQuote("x", "The article", "the article's own reporting", "reports", "article")
    assert attribution_line(quote) == "— The article (reports)"


def test_max_quotes_limits_the_quotes_shown(service: FaqService) -> None:
    answer = service.answer_entry("who-is-quoted")
    assert answer is not None and len(answer.quotes) > 1
    one = render_text(answer, service.source, max_quotes=1)
    assert answer.quotes[0].text[:40] in one.replace("\n  ", " ")
    assert attribution_line(answer.quotes[1]) not in one


def test_not_covered_lists_the_nearest_questions_and_no_source(service: FaqService) -> None:
    answer = service.ask("What is Imran Khan's net worth?")
    text = render_text(answer, service.source)
    assert "does not cover" in text
    assert "Closest questions the article does answer:" in text
    assert all(f"• {s.question}" in text for s in answer.suggestions)
    assert "Source:" not in text
