"""Why a quote is not a verbatim span of its article: where the two first part ways."""

from __future__ import annotations

import unicodedata

CONTEXT = 24
# A shorter shared beginning is too common to say where the quote was meant to be.
MIN_ANCHOR = 8


def longest_prefix_in(text: str, quote: str) -> tuple[int, int]:
    """(length, position): the longest beginning of `quote` found in `text`, and where."""
    low, high = 0, len(quote)
    while low < high:  # every prefix of a found prefix is found too, so bisect on its length
        middle = (low + high + 1) // 2
        if quote[:middle] in text:
            low = middle
        else:
            high = middle - 1
    return low, text.find(quote[:low]) if low else -1


def describe_mismatch(quote: str, article: str) -> str:
    """A one-line explanation of where `quote` stops matching `article`, with context on both
    sides of the first differing character and that character named."""
    length, position = longest_prefix_in(article, quote)
    if length < MIN_ANCHOR:
        return f"not verbatim in the article; its beginning is not found: {quote[: 2 * CONTEXT]!r}"
    start = max(0, length - CONTEXT)
    quoted = quote[start : length + CONTEXT]
    source = article[position + start : position + length + CONTEXT]
    where = f"differs from the article at character {length + 1} of the quote"
    if length >= len(article) - position:
        return f"not verbatim in the article: {where}, after the article's end: {quoted!r}"
    found, wanted = quote[length], article[position + length]
    return (
        f"not verbatim in the article: {where}: the quote has {_name(found)}, the article "
        f"{_name(wanted)}; quote …{quoted!r}…, article …{source!r}…"
    )


def _name(char: str) -> str:
    return f"{char!r} (U+{ord(char):04X} {unicodedata.name(char, 'unnamed')})"
