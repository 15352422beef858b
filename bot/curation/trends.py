"""The journal over time and by outcome, for the report page's charts. Pure functions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.curation.insights import QUESTION_KINDS
from bot.journal.records import QuestionRecord
from bot.model import AnswerKind

HOUR = 3600.0
DAY = 24 * HOUR
WEEK = 7 * DAY
MAX_BUCKETS = 120
ANSWERED = "answered"
# What each journalled kind of reply means, as the page names it.
REASONS = {
    AnswerKind.NOT_COVERED.value: "not covered by the article",
    AnswerKind.UNREADABLE.value: "written in a script the bot cannot read",
}


@dataclass(frozen=True, slots=True)
class Bucket:
    """Questions asked in one period: [start, start + seconds)."""

    start: float
    seconds: float
    asked: int
    answered: int

    @property
    def answer_rate(self) -> float | None:
        """Answered over asked; None when nothing was asked."""
        return self.answered / self.asked if self.asked else None

    @property
    def label(self) -> str:
        """The period's start, as short as its length allows ('2026-05-04', '05-04 13:00')."""
        moment = datetime.fromtimestamp(self.start, UTC)
        return moment.strftime("%m-%d %H:00" if self.seconds < DAY else "%Y-%m-%d")


def bucket_size(span: float) -> float:
    """Hours for up to two days, days for up to MAX_BUCKETS days, else weeks."""
    if span <= 2 * DAY:
        return HOUR
    if span <= MAX_BUCKETS * DAY:
        return DAY
    return WEEK


def timeline(questions: Sequence[QuestionRecord], *, start: float, end: float) -> list[Bucket]:
    """Questions asked and answered per period from `start` to `end` (Unix seconds), empty
    periods included, periods aligned to UTC hours, days or weeks (from the Unix epoch)."""
    end = max(end, start)
    size = bucket_size(end - start)
    first = start - start % size
    count = min(MAX_BUCKETS, int((end - first) // size) + 1)
    first = max(first, end - end % size - (count - 1) * size)
    asked: Counter[int] = Counter()
    answered: Counter[int] = Counter()
    for q in questions:
        if q.kind not in QUESTION_KINDS or q.asked_at < first:
            continue
        index = min(count - 1, int((q.asked_at - first) // size))
        asked[index] += 1
        answered[index] += q.answered
    return [Bucket(first + i * size, size, asked[i], answered[i]) for i in range(count)]


def outcomes(questions: Sequence[QuestionRecord]) -> list[tuple[str, int]]:
    """How many questions were answered, then how many were refused for each reason the
    journal records (the kind of reply), most frequent first."""
    asked = [q for q in questions if q.kind in QUESTION_KINDS]
    refused = Counter(REASONS.get(q.kind, q.kind) for q in asked if not q.answered)
    answered = sum(q.answered for q in asked)
    rows = [(ANSWERED, answered)] if answered else []
    return rows + sorted(refused.items(), key=lambda item: (-item[1], item[0]))
