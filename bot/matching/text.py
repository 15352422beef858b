"""Text normalisation for chat input: folding, cleaning, tokens and stems.

Everything here is pure and platform-free; the matcher builds on it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTE_FOLDS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u0060": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"<[@#][!&]?\d+>|(?<!\w)@\w+")
_COMMAND = re.compile(r"^/\w+(?:@\w+)?\s*")
_POSSESSIVE = re.compile(r"'s\b|s'(?=\s|$)")
_HYPHENATED = re.compile(r"\b\w+(?:-\w+)+\b")
_NON_WORD = re.compile(r"[^\w\s]+|_")
_SPACES = re.compile(r"\s+")
_SENTENCE_BREAK = re.compile(
    r"(?<=[.!?;,:])\s+|\n+|\s[-\u2013\u2014]+\s"
    r"|\s+(?:but|and also|also|btw|and what|and who|and why|and how|or)\s+"
)


_ASCII_CONTROLS = {c: None for c in range(32) if chr(c) not in "\n\t"} | {127: None}


def fold(text: str) -> str:
    """Case-fold, make quotes straight, drop accents and invisible characters."""
    if text.isascii():
        return text.translate(_ASCII_CONTROLS).lower()
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_FOLDS).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    kept = (
        ch
        for ch in decomposed
        if unicodedata.category(ch) not in ("Mn", "Cf", "Cc") or ch in "\n\t"
    )
    return "".join(kept)


def strip_noise(text: str) -> str:
    """Remove URLs, @mentions (Telegram and Discord forms) and a leading /command."""
    text = _COMMAND.sub(" ", text.strip())
    text = _URL.sub(" ", text)
    return _MENTION.sub(" ", text)


def _join_hyphenated(match: re.Match[str]) -> str:
    parts = match.group(0).split("-")
    # Parts of one or two letters ("x-ray", "t-shirt") make one word: keep it whole;
    # "well-known" is two words.
    if any(len(p) <= 2 for p in parts):
        return "".join(parts)
    return " ".join(parts)


def normalise(text: str) -> str:
    """Fold and clean chat text to lowercase words separated by single spaces."""
    text = strip_noise(fold(text))
    text = _POSSESSIVE.sub("", text)
    text = _HYPHENATED.sub(_join_hyphenated, text)
    text = _NON_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """The normalised words of a text."""
    return normalise(text).split()


def split_pieces(text: str) -> list[str]:
    """Split a long chatty message into sentence-like pieces worth matching on their own."""
    pieces = [p.strip() for p in _SENTENCE_BREAK.split(strip_noise(text)) if p and p.strip()]
    return pieces


_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ational", "ate"),
    ("ations", ""),
    ("ation", ""),
    ("ments", ""),
    ("ment", ""),
    ("ions", ""),
    ("ion", ""),
    ("ings", ""),
    ("ing", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ness", ""),
    ("ers", "er"),
    ("edly", ""),
    ("ed", ""),
    ("ly", ""),
    ("es", ""),
    ("s", ""),
)


_PLURALS = frozenset({"s", "es", "ies"})


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix-stripping stemmer: 'connections' and 'connected' both give 'connect'."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, replacement in _SUFFIXES:
        if not word.endswith(suffix):
            continue
        base = word[: -len(suffix)] + replacement
        if len(base) < (3 if suffix in _PLURALS else 4):
            continue
        if suffix == "es" and not word.endswith(("xes", "ches", "shes", "sses")):
            base = word[:-1]
        if suffix == "s" and word.endswith(("ss", "us", "is")):
            return _drop_final_e(word)
        if len(base) >= 2 and base[-1] == base[-2] and base[-1] not in "lsz":
            base = base[:-1]
        return _drop_final_e(base)
    return _drop_final_e(word)


def _drop_final_e(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("e") else word
