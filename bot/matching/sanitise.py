"""Text from the outside world made safe to handle: no lone surrogates.

JSON may carry an unpaired UTF-16 surrogate (``"\\ud800"``); Python decodes it into a string that
cannot be encoded to UTF-8 or UTF-16. Each one becomes U+FFFD, which is also one UTF-16 code unit,
so platform entity offsets (counted in UTF-16 units) still point at the same text.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD; a surrogate pair that arrived as two
    code points becomes the one character it encodes."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def clean_optional(text: str | None) -> str | None:
    """clean_text for a value that may be absent."""
    return None if text is None else clean_text(text)
