"""Which writing system a message is in, so text the matcher cannot read is named, not refused."""

from __future__ import annotations

import unicodedata
from collections import Counter

READABLE = frozenset({"LATIN"})
# Unicode names the script first ("ARABIC LETTER ..."); these words name no script.
_NOT_SCRIPTS = frozenset({"", "FULLWIDTH", "HALFWIDTH", "MODIFIER", "SMALL", "COMBINING"})
MIN_LETTERS = 2


def script_of(char: str) -> str:
    """The script of one letter as Unicode names it: 'LATIN', 'ARABIC', 'DEVANAGARI', ...;
    '' when its name does not say."""
    first = unicodedata.name(char, "").split(" ", 1)[0]
    if first in ("CJK", "HIRAGANA", "KATAKANA"):
        return "CJK"
    return "" if first in _NOT_SCRIPTS else first


def unreadable_script(text: str) -> str | None:
    """The main script of a message written mostly in letters the matcher cannot read, in title
    case ('Arabic', 'Cyrillic'); None when most letters are Latin or there are too few."""
    counts = Counter(script_of(ch) for ch in text if ch.isalpha())
    counts.pop("", None)
    letters = counts.total()
    if letters < MIN_LETTERS:
        return None
    readable = sum(counts[s] for s in READABLE)
    if readable * 2 >= letters:
        return None
    script, _ = max(
        ((s, n) for s, n in counts.items() if s not in READABLE), key=lambda item: item[1]
    )
    return script.title()
