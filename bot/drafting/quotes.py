"""Attributed quotes: spans of the article tied to a speaker and the article's reporting verb.

Spans are kept as offsets into the article, so every quote is verbatim by construction."""

from __future__ import annotations

from dataclasses import dataclass

from bot.drafting.names import Catalogue, Entity
from bot.drafting.phrases import (
    BOUNDARIES,
    MAX_SUBJECT_WORDS,
    NOMINATIVE,
    backward_np,
    conjunction_start,
    first_content,
    forward_np,
    tight,
    verb_like,
)
from bot.drafting.rules import Rules
from bot.drafting.segment import Segmented, Sentence, Token
from bot.drafting.speakers import Groups, Resolved, resolve
from bot.drafting.verbs import PERFECT, Candidate, candidate_at

MIN_CONTENT_WORDS = 3
_OPEN_QUOTES = '“"‘'
_CLOSE_QUOTES = '”"’'


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attributed span: text[start:end] said (or held) by `entity`, in the article's verb."""

    start: int
    end: int
    entity: Entity
    verb: str
    paragraph: int
    review: str | None = None
    claim: int = -1
    """Where the claim itself starts (after "X argues that"); -1 for the span's start."""


def attribute(
    doc: Segmented, catalogue: Catalogue, groups: Groups, rules: Rules
) -> list[Attribution]:
    """Every attribution in the article, in text order."""
    found: list[Attribution] = []
    for sentence in doc.sentences:
        here = _sentence(doc.text, sentence, catalogue, groups, rules)
        if not here:
            here = _unattributed_quotation(doc.text, sentence, found)
        found.extend(here)
    return found


def _sentence(
    text: str, sentence: Sentence, catalogue: Catalogue, groups: Groups, rules: Rules
) -> list[Attribution]:
    tokens = sentence.tokens
    candidates = [c for i in range(len(tokens)) if (c := candidate_at(text, tokens, i, rules))]
    for candidate in candidates:
        k = candidate.index
        if k > 0 and tokens[k - 1].lower in PERFECT and tight(text, tokens, k - 1):
            candidate.perfect = tokens[k - 1].lower
    previous: Candidate | None = None
    accepted: list[Candidate] = []
    for candidate in candidates:
        if _subject(text, sentence, candidate, previous, catalogue, groups, rules):
            accepted.append(candidate)
            previous = candidate
    results: list[Attribution] = []
    spans: dict[int, tuple[int, int, int] | None] = {}
    for n in range(len(accepted) - 1, -1, -1):
        later = [
            c for c in accepted[n + 1 :] if spans.get(c.index) is not None or c.kind == "participle"
        ]
        spans[accepted[n].index] = _span(text, sentence, accepted[n], later)
    for candidate in accepted:
        assert candidate.subject is not None
        span = spans[candidate.index]
        if span is None:
            continue
        results.append(
            Attribution(
                span[0],
                span[1],
                candidate.subject.entity,
                f"{candidate.perfect} {candidate.verb}".strip(),
                sentence.paragraph,
                candidate.subject.review,
                span[2],
            )
        )
        if candidate.np_start >= 0:
            catalogue.note(candidate.np_start, candidate.subject.entity)
    return results


def _subject(
    text: str,
    sentence: Sentence,
    candidate: Candidate,
    previous: Candidate | None,
    catalogue: Catalogue,
    groups: Groups,
    rules: Rules,
) -> bool:
    """Find who the candidate's verb belongs to; False when it names nobody."""
    tokens = sentence.tokens
    i = candidate.index
    if candidate.kind == "according":
        np = forward_np(text, tokens, candidate.last + 1, rules)
        candidate.whole = True
        return _resolve(text, np, candidate, catalogue, groups, rules)
    if candidate.kind == "participle" or (
        i > 0 and tokens[i - 1].lower in ("and", "but") and tight(text, tokens, i - 1)
    ):
        if candidate.kind != "participle":
            candidate.kind = "coordinated"
            candidate.clause_start = conjunction_start(text, tokens, i - 1)
        else:
            candidate.clause_start = tokens[i].start
        if previous is not None and previous.subject is not None:
            candidate.subject = previous.subject
            return True
        first = first_content(tokens, text, rules)
        leading = catalogue.starting(tokens[first].start)
        if leading is not None:
            candidate.subject = Resolved(leading.entity)
            candidate.np_start = tokens[first].start
        elif not _resolve(
            text,
            forward_np(text, tokens, first, rules),
            candidate,
            catalogue,
            groups,
            rules,
            until=tokens[i].start,
        ):
            return False
        assert candidate.subject is not None
        candidate.subject = Resolved(
            candidate.subject.entity,
            candidate.subject.review or "subject taken from the start of the sentence",
        )
        candidate.np_start = -1
        return True
    j = i - 1
    while (
        j >= 0 and tokens[j].lower in rules.auxiliaries | rules.copulas and tight(text, tokens, j)
    ):
        j -= 1
    if j < 0:
        return False
    if tokens[j].lower == "who" and j > 0:
        np = backward_np(text, tokens, j - 1, rules)
        candidate.from_np = True
        candidate.clause_start = np[0].start if np else tokens[j].start
        return _resolve(text, np, candidate, catalogue, groups, rules)
    if tokens[j].lower in ("and", "but") and previous is not None and previous.subject:
        candidate.subject = previous.subject
        candidate.clause_start = conjunction_start(text, tokens, j)
        return True
    gap = text[tokens[j].end : tokens[j + 1].start]
    if "," in gap and not any(q in gap for q in _CLOSE_QUOTES):
        k = j
        while k > 0 and "," not in text[tokens[k - 1].end : tokens[k].start]:
            k -= 1
        if k == 0:
            return False
        j = k - 1
    np = backward_np(text, tokens, j, rules)
    if not np:
        return False
    first = tokens.index(np[0])
    before = tokens[first - 1].lower if first > 0 else ""
    gap_before = text[tokens[first - 1].end : np[0].start] if first > 0 else ""
    if before == "who" and tight(text, tokens, first - 1):
        np = backward_np(text, tokens, first - 2, rules)
        candidate.from_np = True
    elif before in ("that", "which", "who") and verb_like(np[0], rules):
        np = backward_np(text, tokens, first - 2, rules)
    elif before == "which" and previous is not None:
        candidate.from_np = True
        candidate.clause_start = tokens[first - 1].start
    elif before == "which":
        candidate.whole = True
    elif len(np) == 1 and np[0].lower in NOMINATIVE:
        pass
    elif first > 0 and not gap_before.strip() and before not in BOUNDARIES:
        return False
    if any(q in gap_before for q in _CLOSE_QUOTES):
        candidate.quotation = _quotation(text, sentence, np[0].start)
    elif (
        candidate.last + 1 < len(tokens)
        and "," in text[tokens[candidate.last].end : tokens[candidate.last + 1].start]
        and "," in gap_before
    ):
        candidate.whole = True
    if candidate.clause_start < 0 or not candidate.from_np:
        candidate.clause_start = np[0].start if np else tokens[i].start
    return _resolve(text, np, candidate, catalogue, groups, rules)


def _resolve(
    text: str,
    np: list[Token],
    candidate: Candidate,
    catalogue: Catalogue,
    groups: Groups,
    rules: Rules,
    until: int | None = None,
) -> bool:
    if not np or len(np) > MAX_SUBJECT_WORDS:
        return False
    found = resolve(text, np, catalogue, groups, rules, until)
    if found is None:
        return False
    candidate.subject = found
    candidate.np_start = np[0].start
    if candidate.clause_start < 0:
        candidate.clause_start = np[0].start
    return True


def _quotation(text: str, sentence: Sentence, before: int) -> tuple[int, int, int] | None:
    """The quoted words that end just before offset `before` ("“…,” she said")."""
    close = max(text.rfind(q, sentence.start, before) for q in _CLOSE_QUOTES)
    if close < 0:
        return None
    opens = [text.rfind(q, sentence.start, close) for q in _OPEN_QUOTES if q != "’"]
    open_at = max(opens)
    if open_at < 0:
        return None
    start, end = open_at + 1, close
    while end > start and text[end - 1] in ",;: ":
        end -= 1
    return (start, end, start) if end > start else None


def _span(
    text: str, sentence: Sentence, candidate: Candidate, later: list[Candidate]
) -> tuple[int, int, int] | None:
    """(start, end, claim start) of one candidate's span: its content, cut where the next
    verb's clause starts."""
    tokens = sentence.tokens
    if candidate.quotation is not None:
        return candidate.quotation
    end = sentence.end
    for other in later:
        if other.clause_start > tokens[candidate.last].end:
            end = other.clause_start
            break
    k = candidate.last + 1
    if k < len(tokens) and tokens[k].lower == "that":
        k += 1
    claim = tokens[k].start if k < len(tokens) else end
    stance = candidate.verb.split()[0] in ("is", "are", "was", "were", "remains")
    if candidate.whole:
        start = claim = sentence.start
        comma = text.find(",", tokens[candidate.last].end, end)
        if candidate.kind == "according" and candidate.index == 0 and comma > 0:
            after = [t for t in tokens if t.start > comma]
            claim = after[0].start if after else start
    elif candidate.from_np or stance or candidate.verb.startswith("express"):
        start = candidate.clause_start
    else:
        if k >= len(tokens):
            return None
        start = claim
    end = _trim_end(text, start, end)
    content = [t for t in tokens if t.start >= max(start, claim) and t.end <= end]
    if len(content) < MIN_CONTENT_WORDS and not stance:
        return None
    if claim >= end:
        claim = start
    return start, end, claim


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " ,;:":
        end -= 1
    for word in (" and", " but"):
        if text[start:end].endswith(word):
            end -= len(word)
    while end > start and text[end - 1] in " ,;:":
        end -= 1
    return end


def _unattributed_quotation(
    text: str, sentence: Sentence, found: list[Attribution]
) -> list[Attribution]:
    """A quotation in a sentence with no reporting verb: the last speaker of its paragraph."""
    start = min(
        (p for q in _OPEN_QUOTES[:2] if (p := text.find(q, sentence.start, sentence.end)) >= 0),
        default=-1,
    )
    if start < 0:
        return []
    same = [a for a in found if a.paragraph == sentence.paragraph]
    if not same:
        return []
    last = same[-1]
    return [
        Attribution(
            sentence.start,
            sentence.end,
            last.entity,
            "says",
            sentence.paragraph,
            f"quotation with no reporting verb; given to {last.entity.name}, quoted before it",
            sentence.start,
        )
    ]
