"""Reporting verbs in a sentence: "argues", "points out", "expresses doubt", "according to",
"is not persuaded" — and the words that show a verb is something else (a noun, a passive)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.drafting.rules import Rules
from bot.drafting.segment import Token
from bot.drafting.speakers import Resolved

_DETERMINERS = frozenset("the a an his her their its my our your this these those such".split())
_PASSIVE = frozenset("is are was were be been being".split())
PERFECT = frozenset({"has", "have", "had"})
"""Auxiliaries of a perfect tense, kept in the verb ("has said")."""
_CLAUSE_OPENERS = frozenset({"that", "whether", "if", "why", "how"})


@dataclass(slots=True)
class Candidate:
    """A reporting verb found in a sentence, and what is learnt of its subject and span."""

    index: int
    last: int
    verb: str
    kind: str
    clause_start: int = -1
    subject: Resolved | None = None
    np_start: int = -1
    whole: bool = False
    quotation: tuple[int, int, int] | None = None
    from_np: bool = False
    perfect: str = ""
    """The auxiliary of a perfect tense ("has said"): part of the article's verb."""


def candidate_at(text: str, tokens: tuple[Token, ...], i: int, rules: Rules) -> Candidate | None:
    """A reporting verb (or "according to", or "is not persuaded") at token i."""
    word = tokens[i].lower
    following = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    before = tokens[i - 1].lower if i > 0 else ""
    gap_before = text[tokens[i - 1].end : tokens[i].start] if i > 0 else ""
    if word == "according" and following == "to":
        return Candidate(i, i + 1, "according to", "according")
    if word in rules.copulas and following in rules.stance_adjectives:
        return Candidate(i, i + 1, f"{word} {tokens[i + 1].text}", "verb")
    after = tokens[i + 2].lower if i + 2 < len(tokens) else ""
    if word in rules.copulas and following == "not" and after in rules.stance_adjectives:
        return Candidate(i, i + 2, f"{word} not {tokens[i + 2].text}", "verb")
    if word not in rules.verbs and not (word.endswith("ing") and rules.lemma(word) in rules.verbs):
        return None
    if before in ("to", *_PASSIVE) and gap_before == " ":
        return None
    if before in _DETERMINERS and gap_before == " ":
        return None
    if word in rules.particles:
        if following != rules.particles[word]:
            return None
        return Candidate(i, i + 1, f"{_present(word, rules)} {following}", _form(word, gap_before))
    if word.startswith("express"):
        if following not in rules.stance_nouns:
            return None
        return Candidate(
            i, i + 1, f"{_present(word, rules)} {tokens[i + 1].text}", _form(word, gap_before)
        )
    if word in rules.ambiguous and following not in _CLAUSE_OPENERS:
        return None
    if word.endswith("ing") and "," not in gap_before:
        return None
    verb = _present(word, rules) if word.endswith("ing") else tokens[i].text.lower()
    return Candidate(i, i, verb, _form(word, gap_before))


def _present(word: str, rules: Rules) -> str:
    return rules.present(word) if word.endswith("ing") else word


def _form(word: str, gap_before: str) -> str:
    return "participle" if word.endswith("ing") and "," in gap_before else "verb"
