"""Text measures the chat platforms count in: UTF-16 code units, and pages of a menu.

Telegram and Discord both measure message limits (and Telegram its entity offsets) in UTF-16
code units, not in Python characters: an emoji outside the Basic Multilingual Plane is one
character and two units.
"""

from __future__ import annotations


def utf16_len(text: str) -> int:
    """The length of `text` in UTF-16 code units (a lone surrogate counts as one)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def page_count(total: int, per_page: int) -> int:
    """How many pages of `per_page` items `total` items fill: at least one, even when empty."""
    if per_page < 1:
        raise ValueError(f"a page holds at least one item, not {per_page}")
    return max(1, -(-total // per_page))
