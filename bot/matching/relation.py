"""What a who/which question asks about: the kind of thing it names and the relation it asks.

"Which club did she join?" asks for a club *joined*; "who replaced her?" for whoever
*replaced* her; "which firm is handling the sale?" for a *firm*. An entry can answer such a
question only when it speaks of that relation or that kind of thing: an entry that says she left
the club, and nothing of what she did next, cannot say which club she joined. The question's
other words name what it is about; these name what it asks.

General English only (auxiliaries, a few empty nouns), no article's words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

_AUXILIARIES = frozenset(
    """is are was were be been being am s re has have had did does do will would can could should
    may might must shall going gonna used""".split()
)
# "which one", "what kind of": nouns that say nothing of the kind of answer.
_EMPTY_NOUNS = frozenset(
    """one ones kind kinds sort sorts type types way ways thing things part parts bit bits side
    sides aspect aspects point points of about""".split()
)
_COPULAS = frozenset("is are was were".split())
# Before the verb of "who V…": "who *will* replace her", "who *has* taken over".
_MODALS = frozenset("will would can could should may might must shall has have had".split())
_WHICH = frozenset({"which"})
# Words that end the clause a verb is looked for in ("…join *after* leaving…").
_CLAUSE_ENDS = frozenset(
    """after before since when while once as because if until unless from to in at on for with
    by into onto about over under against between during without than then and or but so""".split()
)
_WHO = frozenset({"who", "whom"})


def asked_relation(
    words: Sequence[str],
    is_content: Callable[[str], bool],
    reporting: frozenset[str],
) -> tuple[str, ...]:
    """The words a question's answer must be about: the noun of "which N", the verb of "which N
    did SUBJECT V" or "which N is V-ing", and the verb of a leading "who V…". Empty when the
    question is not of that form, or its verb reports speech ("who said…" is for the attribution
    rules)."""
    start = next((i for i, w in enumerate(words) if w in _WHICH | _WHO), None)
    if start is None:
        return ()
    leading, rest = words[start], list(words[start + 1 :])
    if leading in _WHO:
        if any(is_content(w) for w in words[:start]):
            return ()  # "anybody who used to…": a relative clause, not the question
        while rest and rest[0] in _MODALS:
            rest = rest[1:]  # "who will replace her", "who has taken over"
        verb = rest[0] if rest else ""
        if verb and verb not in _AUXILIARIES and is_content(verb) and verb not in reporting:
            return (verb,)
        return ()
    if not rest or rest[0] in _AUXILIARIES or rest[0] in _EMPTY_NOUNS or not is_content(rest[0]):
        return ()
    asked = [rest[0]]
    tail = rest[1:]
    if tail and tail[0] in _AUXILIARIES:
        position = 1
        while position < len(tail) and tail[position] in _AUXILIARIES:
            position += 1
        while position < len(tail) and not is_content(tail[position]):
            position += 1  # "the", "she"
        run: list[str] = []
        while (
            position < len(tail)
            and is_content(tail[position])
            and tail[position] not in _CLAUSE_ENDS
        ):
            run.append(tail[position])
            position += 1
        if run:
            # "which firm is handling…": the verb comes first; "which club did the coach
            # join after…": after its subject, last before the clause goes on.
            verb = run[0] if tail[0] in _COPULAS else run[-1]
            if verb not in reporting:
                asked.append(verb)
    return tuple(asked)
