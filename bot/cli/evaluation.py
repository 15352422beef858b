"""Scoring the bot on a question file in the format of shared/eval/dev.yaml."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from bot.answering.library import Library
from bot.answering.service import FaqService
from bot.model import Answer

_SPACES = re.compile(r"\s+")
_STRAIGHTEN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


@dataclass(frozen=True, slots=True)
class EvalItem:
    """One question with what a passing answer must contain (None: must abstain)."""

    question: str
    expect: tuple[str, ...] | None
    speakers: tuple[str, ...] = ()
    category: str = "uncategorised"


@dataclass(frozen=True, slots=True)
class Outcome:
    """How the bot did on one item."""

    item: EvalItem
    answer: Answer
    passed: bool
    reason: str = ""
    one_tap: bool = False


@dataclass(slots=True)
class Report:
    """Outcomes with the figures the eval prints."""

    outcomes: list[Outcome] = field(default_factory=list)

    def accuracy(self, *, in_scope: bool) -> float:
        """Share of passing items among in-scope (expect given) or out-of-scope ones."""
        chosen = [o for o in self.outcomes if (o.item.expect is not None) == in_scope]
        return sum(o.passed for o in chosen) / len(chosen) if chosen else 1.0

    def one_tap(self) -> float:
        """Share of in-scope items answered right or with a right entry among the top-3
        suggestions (one tap away)."""
        chosen = [o for o in self.outcomes if o.item.expect is not None]
        return sum(o.passed or o.one_tap for o in chosen) / len(chosen) if chosen else 1.0

    def by_category(self) -> dict[str, tuple[int, int]]:
        """(passed, total) per category, in first-seen order."""
        table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for outcome in self.outcomes:
            row = table[outcome.item.category]
            row[0] += outcome.passed
            row[1] += 1
        return {cat: (p, t) for cat, (p, t) in table.items()}


def load_items(path: str | Path) -> list[EvalItem]:
    """Read a question file: a mapping with `items:`, each with q, expect, optional speaker, cat."""
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    raw = doc.get("items") if isinstance(doc, dict) else doc
    if not isinstance(raw, list):
        raise ValueError(f"{path}: expected a list under 'items:'")
    items = []
    for index, row in enumerate(raw, start=1):
        if not isinstance(row, dict) or not isinstance(row.get("q"), str):
            raise ValueError(f"{path}: item {index} needs a string 'q'")
        expect = row.get("expect")
        items.append(
            EvalItem(
                question=row["q"],
                expect=None if expect is None else tuple(str(e) for e in expect),
                speakers=tuple(str(s) for s in row.get("speaker") or ()),
                category=str(row.get("cat", "uncategorised")),
            )
        )
    return items


def comparable(text: str) -> str:
    """Case-folded, quotes straightened, white space folded: how expectations are compared."""
    return _SPACES.sub(" ", text.translate(_STRAIGHTEN).casefold()).strip()


def judge(item: EvalItem, answer: Answer) -> Outcome:
    """Whether an answer passes an item, with the reason when it does not."""
    if item.expect is None:
        if answer.answered:
            return Outcome(
                item,
                answer,
                False,
                f"answered with '{answer.entry_id}' ({answer.score:.2f}) but should abstain",
            )
        return Outcome(item, answer, True)
    if not answer.answered:
        best = answer.suggestions[0].entry_id if answer.suggestions else "nothing"
        return Outcome(item, answer, False, f"abstained ({answer.score:.2f}; nearest {best})")
    haystack = comparable(
        " ".join([answer.text, *(f"{q.text} {q.speaker} {q.role}" for q in answer.quotes)])
    )
    if not any(comparable(e) in haystack for e in item.expect):
        return Outcome(
            item, answer, False, f"answered '{answer.entry_id}' without any of {list(item.expect)}"
        )
    if item.speakers:
        speakers = [comparable(q.speaker) for q in answer.quotes]
        if not any(comparable(w) in s for w in item.speakers for s in speakers):
            return Outcome(
                item, answer, False, f"'{answer.entry_id}' quotes none of {list(item.speakers)}"
            )
    return Outcome(item, answer, True)


def evaluate(service: FaqService | Library, items: Sequence[EvalItem]) -> Report:
    """Ask every item's question and judge the answers, and for in-scope misses whether a right
    entry was among the top-3 suggestions."""
    outcomes = []
    for item in items:
        outcome = judge(item, service.ask(item.question))
        if not outcome.passed and item.expect is not None:
            outcome = replace(outcome, one_tap=_suggestion_passes(service, item, outcome.answer))
        outcomes.append(outcome)
    return Report(outcomes)


def _suggestion_passes(service: FaqService | Library, item: EvalItem, answer: Answer) -> bool:
    for suggestion in answer.suggestions[:3]:
        shown = service.answer_entry(suggestion.entry_id)
        if shown is not None and judge(item, shown).passed:
            return True
    return False


def format_report(report: Report) -> str:
    """The per-category table, each failure with its reason, then the two headline figures."""
    lines = [f"{'category':<16} {'passed':>6} {'total':>6} {'rate':>6}"]
    for category, (passed, total) in report.by_category().items():
        lines.append(f"{category:<16} {passed:>6} {total:>6} {passed / total:>6.2f}")
    failures = [o for o in report.outcomes if not o.passed]
    if failures:
        lines.append("")
        lines.append(f"failures ({len(failures)}):")
        lines.extend(f"  [{o.item.category}] {o.item.question!r}: {o.reason}" for o in failures)
    lines.append("")
    lines.append(f"in-scope accuracy:   {report.accuracy(in_scope=True):.3f}")
    lines.append(f"abstention accuracy: {report.accuracy(in_scope=False):.3f}")
    lines.append(f"answered or one tap: {report.one_tap():.3f}")
    return "\n".join(lines)


def format_summary(reports: Sequence[tuple[str, Report]]) -> str:
    """One line per question file: items and the three headline figures."""
    lines = [f"{'question set':<40} {'items':>6} {'in-scope':>9} {'abstention':>11} {'one tap':>8}"]
    for path, report in reports:
        lines.append(
            f"{path:<40} {len(report.outcomes):>6} {report.accuracy(in_scope=True):>9.3f} "
            f"{report.accuracy(in_scope=False):>11.3f} {report.one_tap():>8.3f}"
        )
    return "\n".join(lines)
