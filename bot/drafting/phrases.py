"""Reading the noun phrase a reporting verb belongs to, back or forth from it, by offsets."""

from __future__ import annotations

from bot.drafting.rules import Rules
from bot.drafting.segment import Token

MAX_SUBJECT_WORDS = 10
NOMINATIVE = frozenset("he she they we i".split())
"""Pronouns that are always subjects."""
_CONNECTING = frozenset({"of", "for"})
BOUNDARIES = frozenset(
    "that which who whom whose and but or nor while as because although though so if when "
    "since than where whereas".split()
)


def tight(text: str, tokens: tuple[Token, ...], j: int) -> bool:
    """Whether token j is followed by nothing but a space."""
    return j + 1 < len(tokens) and text[tokens[j].end : tokens[j + 1].start] == " "


def conjunction_start(text: str, tokens: tuple[Token, ...], j: int) -> int:
    """Where the clause opened by the conjunction at token j starts (its comma included)."""
    start = tokens[j].start
    while start > 0 and text[start - 1] in " ,;":
        start -= 1
    return start


def first_content(tokens: tuple[Token, ...], text: str, rules: Rules) -> int:
    """The first token after opening discourse words ("However, he …")."""
    k = 0
    while k < len(tokens) - 1 and (
        tokens[k].lower in rules.discourse or "," in text[tokens[k].end : tokens[k + 1].start]
    ):
        k += 1
        if k > 4:
            return 0
    return k


def forward_np(text: str, tokens: tuple[Token, ...], k: int, rules: Rules) -> list[Token]:
    """The noun phrase starting at token k ("according to the X, …"), up to a verb or a comma."""
    np: list[Token] = []
    while k < len(tokens) and len(np) <= MAX_SUBJECT_WORDS:
        token = tokens[k]
        if np and text[np[-1].end : token.start] not in (" ", ". "):
            break
        if token.lower in rules.verbs or token.lower in rules.auxiliaries | rules.copulas:
            break
        if np and token.lower in BOUNDARIES:
            break
        np.append(token)
        k += 1
    return np


def backward_np(text: str, tokens: tuple[Token, ...], j: int, rules: Rules) -> list[Token]:
    """The noun phrase ending at token j, read back to a clause boundary ("the local branch of
    the X", "a spokesperson for the Y"); a pronoun is a phrase on its own."""
    if j < 0:
        return []
    np = [tokens[j]]
    if tokens[j].lower in rules.pronouns:
        return np
    m = j - 1
    connectors: list[int] = []
    while m >= 0 and len(np) <= MAX_SUBJECT_WORDS:
        gap = text[tokens[m].end : np[0].start]
        possessive = gap in ("’ ", "' ") and tokens[m].lower.endswith("s")
        if (
            gap != " "
            and not possessive
            and not (gap == ". " and tokens[m].lower in rules.name_titles)
        ):
            break
        word = tokens[m].lower
        if (
            word == "and"
            and len(np) <= 2
            and m >= 1
            and text[tokens[m - 1].end : tokens[m].start] == " "
            and _plain_word(tokens[m - 1], rules)
        ):
            np = [tokens[m - 1], tokens[m], *np]
            m -= 2
            continue
        if word in _CONNECTING and m >= 1:
            connectors.append(len(np))
            np.insert(0, tokens[m])
            m -= 1
            continue
        if (
            word in BOUNDARIES
            or word in rules.prepositions
            or word in rules.verbs
            or word in rules.auxiliaries
            or word in rules.copulas
            or word in rules.discourse
        ):
            break
        np.insert(0, tokens[m])
        m -= 1
    while connectors and not _opens_clause(text, tokens, np, rules):
        keep = connectors.pop()
        np = np[len(np) - keep :]
    return np


def _opens_clause(text: str, tokens: tuple[Token, ...], np: list[Token], rules: Rules) -> bool:
    """Whether a noun phrase starts its clause: first in the sentence, after punctuation or
    after a word such as "and", "that", "which"."""
    first = tokens.index(np[0])
    if first == 0 or text[tokens[first - 1].end : np[0].start].strip():
        return True
    return tokens[first - 1].lower in BOUNDARIES and tokens[first - 1].lower not in _CONNECTING


def _plain_word(token: Token, rules: Rules) -> bool:
    word = token.lower
    return not (
        token.capitalised
        or word in rules.function_words
        or word in rules.prepositions
        or word in rules.verbs
        or word in BOUNDARIES
    )


def verb_like(token: Token, rules: Rules) -> bool:
    """Whether a word opening a noun phrase is rather the verb of a relative clause ("the
    trust that runs both sites says")."""
    word = token.lower
    return (
        not token.capitalised
        and word not in rules.function_words
        and word not in rules.quantifiers
        and (word.endswith("s") or word.endswith("ed"))
    )
