"""Small agreements in the bot's own sentences: a verb agreeing with a plural subject."""

from __future__ import annotations

_IRREGULAR = {"is": "are", "has": "have", "does": "do", "was": "were"}
_SIBILANT_ENDINGS = ("sses", "shes", "ches", "xes", "zzes", "oes")


def plural_verb(verb: str) -> str:
    """The plural present form of an attribution verb phrase given in the third person singular:
    'asserts' → 'assert', 'expresses skepticism' → 'express skepticism', 'is quoted' → 'are
    quoted'. A phrase that does not start with such a verb ('according to') is returned as is."""
    first, space, rest = verb.partition(" ")
    lowered = first.lower()
    if lowered in _IRREGULAR:
        plural = _IRREGULAR[lowered]
    elif lowered.endswith("ies") and len(lowered) > 4:
        plural = first[:-3] + "y"
    elif lowered.endswith(_SIBILANT_ENDINGS):
        plural = first[:-2]
    elif lowered.endswith("s") and not lowered.endswith(("ss", "us", "is")) and len(lowered) > 2:
        plural = first[:-1]
    else:
        return verb
    return plural + space + rest
