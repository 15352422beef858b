"""Answer quality on our own question set (tests/eval/questions.yaml), measured, not guessed.

The floors are set just below what the matcher achieves now, so a change that makes answers
worse fails here. The shared dev set is scored by `faqbot eval` and the before-stop hook.
"""

from __future__ import annotations

from pathlib import Path

from bot.evaluation import evaluate, format_report, load_items
from bot.service import FaqService

QUESTIONS = Path(__file__).parent / "eval" / "questions.yaml"
DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.yaml"


def test_own_question_set_meets_the_floor(service: FaqService) -> None:
    report = evaluate(service, load_items(QUESTIONS))
    print(format_report(report))
    assert report.accuracy(in_scope=True) >= 0.82
    assert report.accuracy(in_scope=False) >= 0.88


def test_every_returned_quote_is_verbatim(service: FaqService) -> None:
    for item in load_items(QUESTIONS):
        for quote in service.ask(item.question).quotes:
            assert quote.text in service.pack.article


def test_dev_set_when_present(service: FaqService) -> None:
    if not DEV.exists():
        return
    report = evaluate(service, load_items(DEV))
    assert report.accuracy(in_scope=True) >= 0.95, format_report(report)
    assert report.accuracy(in_scope=False) >= 0.95, format_report(report)
