"""What the journal says: the curator's report and suggestions. Pure functions over records.

Unanswered questions are grouped by similarity: each is normalised as the matcher reads it
(bot.matching.text.normalise: case, accents, URLs and @mentions, possessives, punctuation,
spacing), identical forms are counted together, then forms are clustered greedily, most asked
first, joining the first cluster whose representative scores at least CLUSTER_THRESHOLD. The
score is the mean of rapidfuzz's token_set_ratio (word overlap, order-free) and
token_sort_ratio (which keeps "why?" from joining every longer question that contains "why").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.journal.records import QuestionRecord, VoteRecord
from bot.matching.text import normalise
from bot.model import AnswerKind

CLUSTER_THRESHOLD = 80.0
NEAR_THRESHOLD = 0.75
TOP = 10
MAX_EXAMPLES = 5
MAX_PHRASINGS = 10
MAX_CANDIDATES = 50
CHOICE_WINDOW = 600.0  # a suggestion tapped this long after a refusal is its answer
CHOSEN_RULE = "chosen"
# Kinds where a question was asked; greetings, help and empty messages are small talk.
QUESTION_KINDS = frozenset(
    {
        AnswerKind.ANSWER.value,
        AnswerKind.NOT_COVERED.value,
        AnswerKind.CLARIFY.value,
        AnswerKind.UNREADABLE.value,
    }
)


@dataclass(frozen=True, slots=True)
class Cluster:
    """Similar questions: how often they were asked and their phrasings, most asked first."""

    count: int
    examples: tuple[str, ...]

    @property
    def question(self) -> str:
        """The most asked phrasing, standing for the whole cluster."""
        return self.examples[0]


@dataclass(frozen=True, slots=True)
class EntryFeedback:
    """Current 👍 / 👎 votes on one entry."""

    entry_id: str
    up: int
    down: int


@dataclass(frozen=True, slots=True)
class PackCount:
    """Questions one pack handled (answered or refused), and how many it answered."""

    pack: str | None
    """The pack's slug; None for questions journalled without one (see QuestionRecord.pack)."""
    questions: int
    answered: int


@dataclass(frozen=True, slots=True)
class Report:
    """The numbers behind `faqbot report`."""

    questions: int
    answered: int
    small_talk: int
    unanswered: tuple[Cluster, ...]
    feedback: tuple[EntryFeedback, ...]
    top_entries: tuple[tuple[str, int], ...]
    unanswered_by_rule: tuple[tuple[str, int], ...] = ()
    """Unanswered questions per deciding rule, most frequent first."""
    by_pack: tuple[PackCount, ...] = ()
    """Questions per pack, most asked first (those without a pack last)."""

    @property
    def answer_rate(self) -> float:
        """Answered questions over questions handled (0.0 when there were none)."""
        return self.answered / self.questions if self.questions else 0.0

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape of `faqbot report --json`."""
        return {
            "questions": self.questions,
            "answered": self.answered,
            "unanswered": [{"question": c.question, "count": c.count} for c in self.unanswered],
            "feedback": [
                {"entry_id": f.entry_id, "up": f.up, "down": f.down} for f in self.feedback
            ],
            "top_entries": [{"entry_id": e, "count": n} for e, n in self.top_entries],
            "unanswered_by_rule": [{"rule": r, "count": n} for r, n in self.unanswered_by_rule],
            "by_pack": [
                {"pack": p.pack, "questions": p.questions, "answered": p.answered}
                for p in self.by_pack
            ],
        }


@dataclass(frozen=True, slots=True)
class Suggestions:
    """The contents of `faqbot suggest`: for a curator to review, never applied automatically."""

    new_phrasings: tuple[tuple[str, tuple[str, ...]], ...] = ()
    candidate_entries: tuple[Cluster, ...] = ()
    titles: Mapping[str, str] = field(default_factory=dict)

    def to_data(self) -> dict[str, object]:
        """Plain data for YAML: new_phrasings [{entry_id, questions}], candidate_entries."""
        phrasings: list[dict[str, object]] = []
        for entry_id, questions in self.new_phrasings:
            item: dict[str, object] = {"entry_id": entry_id}
            if entry_id in self.titles:
                item["title"] = self.titles[entry_id]
            item["questions"] = list(questions)
            phrasings.append(item)
        return {
            "new_phrasings": phrasings,
            "candidate_entries": [
                {"count": c.count, "examples": list(c.examples)} for c in self.candidate_entries
            ],
        }


def similarity(a: str, b: str) -> float:
    """0-100: how alike two normalised questions are, for clustering."""
    return (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2


def cluster_questions(
    texts: Iterable[str], *, threshold: float = CLUSTER_THRESHOLD
) -> list[Cluster]:
    """Group similar questions; clusters most asked first, each with its phrasings."""
    forms = _count_forms(texts)
    order = sorted(forms, key=lambda form: (-forms[form].total(), form))
    representatives: list[str] = []
    members: list[list[str]] = []
    for form in order:
        best = _closest(form, representatives, threshold)
        if best is None:
            representatives.append(form)
            members.append([form])
        else:
            members[best].append(form)
    clusters = [
        Cluster(
            count=sum(forms[f].total() for f in group),
            examples=tuple(_phrasing(forms[f]) for f in group[:MAX_EXAMPLES]),
        )
        for group in members
    ]
    return sorted(clusters, key=lambda c: (-c.count, c.question))


def build_report(
    questions: Sequence[QuestionRecord], votes: Sequence[VoteRecord], *, top: int = TOP
) -> Report:
    """Questions handled, answered, top unanswered clusters, votes per entry, most asked entries."""
    asked = [q for q in questions if q.kind in QUESTION_KINDS]
    answered = [q for q in asked if q.answered]
    unanswered = cluster_questions(q.question for q in asked if not q.answered)
    entry_counts = Counter(q.entry_id for q in answered if q.entry_id)
    by_rule = Counter(q.rule or q.kind for q in asked if not q.answered)
    top_entries = sorted(entry_counts.items(), key=lambda item: (-item[1], item[0]))
    return Report(
        questions=len(asked),
        answered=len(answered),
        small_talk=len(questions) - len(asked),
        unanswered=tuple(unanswered[:top]),
        feedback=tuple(tally_votes(votes)),
        top_entries=tuple(top_entries[:top]),
        unanswered_by_rule=tuple(sorted(by_rule.items(), key=lambda item: (-item[1], item[0]))),
        by_pack=tuple(count_by_pack(asked)),
    )


def count_by_pack(questions: Iterable[QuestionRecord]) -> list[PackCount]:
    """Questions and answers per pack, most asked first, then by slug; questions journalled
    without a pack come last."""
    asked: Counter[str | None] = Counter()
    answered: Counter[str | None] = Counter()
    for q in questions:
        asked[q.pack] += 1
        answered[q.pack] += q.answered
    order = sorted(asked, key=lambda pack: (pack is None, -asked[pack], pack or ""))
    return [PackCount(pack, asked[pack], answered[pack]) for pack in order]


def votes_on(votes: Iterable[VoteRecord], entry_ids: Iterable[str]) -> list[VoteRecord]:
    """The votes on the given entries (votes name an entry, not its pack)."""
    wanted = set(entry_ids)
    return [v for v in votes if v.entry_id in wanted]


def tally_votes(votes: Iterable[VoteRecord]) -> list[EntryFeedback]:
    """👍 and 👎 per entry, most 👎 first (then fewest 👍, then id)."""
    up: Counter[str] = Counter()
    down: Counter[str] = Counter()
    for v in votes:
        (up if v.vote > 0 else down)[v.entry_id] += 1
    ids = set(up) | set(down)
    tallies = [EntryFeedback(entry_id=e, up=up[e], down=down[e]) for e in ids]
    return sorted(tallies, key=lambda f: (-f.down, f.up, f.entry_id))


def build_suggestions(
    questions: Sequence[QuestionRecord],
    votes: Sequence[VoteRecord],
    *,
    known_phrasings: Mapping[str, Iterable[str]] | None = None,
    titles: Mapping[str, str] | None = None,
    score_below: float = NEAR_THRESHOLD,
    min_count: int = 1,
) -> Suggestions:
    """New phrasings for existing entries and clusters of unanswered questions.

    A question is proposed as a phrasing of the entry it was answered with when its score was
    below `score_below`, or when the same user later voted 👍 on that answer; never when the same
    user's vote on it is 👎, nor when the entry already has that phrasing (`known_phrasings`:
    entry id -> its questions, from the pack, if known).
    """
    current_vote: dict[tuple[str | None, str], VoteRecord] = {
        (v.user_hash, v.entry_id): v for v in votes if v.user_hash is not None
    }
    known = {e: {normalise(p) for p in ps} for e, ps in (known_phrasings or {}).items()}
    by_entry: defaultdict[str, Counter[str]] = defaultdict(Counter)
    raw: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for q in questions:
        if q.kind not in QUESTION_KINDS or not q.answered or not q.entry_id:
            continue
        vote = current_vote.get((q.user_hash, q.entry_id))
        later_vote = vote.vote if vote is not None and vote.voted_at >= q.asked_at else 0
        if later_vote < 0 or not (q.score < score_below or (later_vote > 0 and q.score < 1.0)):
            continue
        form = normalise(q.question)
        if not form or form == normalise(q.matched_question or ""):
            continue
        if form in known.get(q.entry_id, set()):
            continue
        by_entry[q.entry_id][form] += 1
        raw[form][q.question.strip()] += 1
    for question, entry_id in chosen_after_refusal(questions):
        form = normalise(question)
        if form and form not in known.get(entry_id, set()):
            by_entry[entry_id][form] += 1
            raw[form][question.strip()] += 1
    phrasings = sorted(by_entry.items(), key=lambda item: (-item[1].total(), item[0]))
    new_phrasings = tuple(
        (entry_id, tuple(_phrasing(raw[f]) for f, _ in forms.most_common(MAX_PHRASINGS)))
        for entry_id, forms in phrasings
    )
    unanswered = [q.question for q in questions if q.kind in QUESTION_KINDS and not q.answered]
    candidates = [c for c in cluster_questions(unanswered) if c.count >= min_count]
    return Suggestions(
        new_phrasings=new_phrasings,
        candidate_entries=tuple(candidates[:MAX_CANDIDATES]),
        titles=dict(titles or {}),
    )


def chosen_after_refusal(
    questions: Sequence[QuestionRecord], *, window: float = CHOICE_WINDOW
) -> list[tuple[str, str]]:
    """(question, entry id) where a reader, refused or asked back, then picked that entry
    (a suggestion tapped) within `window` seconds: the reader's own wording for the entry."""
    pending: dict[tuple[str, str], QuestionRecord] = {}
    pairs: list[tuple[str, str]] = []
    for q in sorted(questions, key=lambda q: q.asked_at):
        if q.user_hash is None:
            continue
        key = (q.platform, q.user_hash)
        if q.rule == CHOSEN_RULE and q.entry_id:
            earlier = pending.pop(key, None)
            if earlier is not None and q.asked_at - earlier.asked_at <= window:
                pairs.append((earlier.question, q.entry_id))
        elif q.kind in QUESTION_KINDS and not q.answered:
            pending[key] = q
        elif q.kind in QUESTION_KINDS:
            pending.pop(key, None)
    return pairs


def _count_forms(texts: Iterable[str]) -> dict[str, Counter[str]]:
    """Normalised form -> how often each raw phrasing of it was asked."""
    forms: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        form = normalise(text)
        if form:
            forms[form][text.strip()] += 1
    return forms


def _closest(form: str, representatives: list[str], threshold: float) -> int | None:
    """Index of the most similar representative scoring >= threshold, or None."""
    if not representatives:
        return None
    # token_set_ratio >= mean >= threshold, so the fast C scan only drops hopeless ones.
    candidates = process.extract(
        form, representatives, scorer=fuzz.token_set_ratio, score_cutoff=threshold, limit=None
    )
    scored = [(similarity(form, rep), -index) for rep, _, index in candidates]
    best = max(scored, default=None)
    if best is None or best[0] < threshold:
        return None
    return -best[1]


def _phrasing(counts: Counter[str]) -> str:
    """The most asked raw phrasing (ties: alphabetical), for display."""
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
