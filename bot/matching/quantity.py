"""What a question asks for when it asks for a figure, and whether an entry's text gives one.

"How many X", "how long", "what year", "what date" and "how much" about a price ask for a value of a
kind: a count of X, a duration, a year, a date, a sum. An entry can answer such a question only
when its answer or one of its quotes states a value of that kind, in a sentence about the
question's topic. "How many members does the party have?" is not answered by "two dozen officials
quit"; "what year will construction start?" is not answered by "the following spring".

The words here are general English (numbers, units, months), not any article's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

COUNT, DURATION, YEAR, DATE, SUM = "count", "duration", "year", "date", "sum"

_NUMBER_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred hundreds thousand thousands million millions billion billions dozen dozens half
    couple""".split()
)
_TIME_UNITS = frozenset(
    """second seconds minute minutes hour hours day days week weeks fortnight fortnights month
    months year years yrs decade decades century centuries summer summers winter winters season
    seasons term terms""".split()
)
_MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday""".split()
)
_PRICE_WORDS = frozenset(
    """cost costs costing price prices priced pay pays paid paying spend spends spent spending
    invest invests invested investing investment worth compensation charge charges fee fees wage
    wages expensive cheap cheaper""".split()
)
_CURRENCY_WORDS = frozenset("pound dollar euro rupee million billion thousand".split())
_CURRENCY = re.compile(r"[£$€¥₹]\s?\d|\d\s?(?:m|bn|k)\b|\b(?:rs|usd|gbp|eur)\.?\s?\d", re.I)
_PRICE_ASKED = re.compile(
    r"\b(?:what|which)(?: is| s| are| was| were| will| would)?(?: the| a| its| their)?"
    r"(?: total| overall)? (?:price|cost|costs|fee|fees|wage|wages|bill)\b"
)
_YEAR = re.compile(r"\b(?:1[6-9]|20)\d\d\b")
_DIGITS = re.compile(r"^\d")
GENERIC_COUNTED = frozenset({"people", "persons", "person", "ones", "individuals", "folk"})
# The words a question asks a figure with; what comes after names the thing measured.
_STOP_COUNTED = frozenset({"of", "have", "has", "had", "did", "do", "does", "are", "were", "is"})
NUMBER_WINDOW = 3  # a count's noun follows its number within this many words


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an entry's answer or one quote, read for figures."""

    words: tuple[str, ...]
    tokens: tuple[str | None, ...]
    text: str

    @property
    def token_set(self) -> frozenset[str]:
        return frozenset(t for t in self.tokens if t is not None)


def asked_value(words: Sequence[str], leading: str | None) -> tuple[str, list[str]] | None:
    """The kind of value a question's normalised words ask for, with the words after "how many"
    that name what is counted; None for a question that asks for no figure. `leading` is the
    question's leading question word ("who wouldn't say how much…" asks who, not how much)."""
    if leading not in ("how", "what", "which", None):
        return None
    text = " ".join(words)
    if re.search(r"\bhow many\b", text):
        after = text.split("how many", 1)[1].split()
        counted: list[str] = []
        for word in after:
            if word in _STOP_COUNTED or len(counted) == 2:
                break
            counted.append(word)
        return COUNT, counted
    if re.search(r"\bhow long\b", text) and not re.search(r"\bhow long ago\b", text):
        return DURATION, []
    if re.search(r"\b(?:what|which) years?\b", text):
        return YEAR, []
    if re.search(r"\b(?:what|which) (?:date|day)\b", text):
        return DATE, []
    priced = any(w in _PRICE_WORDS for w in words)
    if (priced and re.search(r"\bhow much\b", text)) or _PRICE_ASKED.search(text):
        return SUM, []
    return None


def sentences(
    texts: Sequence[str],
    normalise: Callable[[str], list[str]],
    token: Callable[[str], str | None],
) -> list[Sentence]:
    """The sentences of an entry's texts (answer, quotes), with each word's concept token."""
    found: list[Sentence] = []
    for text in texts:
        for piece in re.split(r"(?<=[.!?])\s+", text):
            words = tuple(normalise(piece))
            if words:
                found.append(Sentence(words, tuple(token(w) for w in words), piece))
    return found


def _is_number(word: str) -> bool:
    return bool(_DIGITS.match(word)) or word in _NUMBER_WORDS


def gives(
    sentence: Sentence,
    kind: str,
    counted: frozenset[str],
    topic: frozenset[str],
    *,
    counts_time: bool = False,
) -> bool:
    """Whether one sentence states a value of `kind` about the question's topic (when the
    question has a topic beyond what it counts, the sentence must share a word of it)."""
    words = sentence.words
    if kind == COUNT and counted and not counts_time:
        topic = frozenset()  # the thing counted, right after the number, is what it is about
    if topic and not (sentence.token_set & topic):
        return False
    if kind == YEAR:
        return bool(_YEAR.search(sentence.text))
    if kind == DATE:
        return bool(_YEAR.search(sentence.text)) or any(w in _MONTHS for w in words)
    if kind == SUM:
        return bool(_CURRENCY.search(sentence.text)) or any(
            _is_number(w)
            and any(n.removesuffix("s") in _CURRENCY_WORDS for n in words[i + 1 : i + 3])
            for i, w in enumerate(words)
        )
    for index, word in enumerate(words):
        if not _is_number(word):
            continue
        following = words[index + 1 : index + 1 + NUMBER_WINDOW]
        if kind == DURATION:
            if any(w in _TIME_UNITS for w in following):
                return True
        elif not counted:
            return True
        else:
            tokens = sentence.tokens[index + 1 : index + 1 + NUMBER_WINDOW]
            if any(t in counted for t in tokens) or (
                counts_time and any(w in _TIME_UNITS for w in following)
            ):
                return True
    return False


def is_time_unit(word: str) -> bool:
    """Whether a word is a unit of time (a count of years is given in decades too)."""
    return word in _TIME_UNITS


def generic(word: str) -> bool:
    """Whether a counted word names no particular thing ("how many people")."""
    return word in GENERIC_COUNTED
