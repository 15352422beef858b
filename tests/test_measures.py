"""Text measures shared by the adapters: UTF-16 code units and menu pages."""

from __future__ import annotations

import pytest

from bot.presentation.measures import page_count, utf16_len


def test_utf16_len_counts_code_units_not_characters() -> None:
    assert utf16_len("") == 0
    assert utf16_len("abc") == 3
    assert utf16_len("é") == 1  # in the Basic Multilingual Plane: one unit
    assert utf16_len("👍") == 2  # outside it: a surrogate pair
    assert utf16_len("a👍b") == 4
    assert utf16_len("\ud800") == 1  # a lone surrogate is one unit, not an error


@pytest.mark.parametrize(
    ("total", "per_page", "pages"),
    [(0, 8, 1), (1, 8, 1), (8, 8, 1), (9, 8, 2), (16, 8, 2), (17, 8, 3), (25, 25, 1), (26, 25, 2)],
)
def test_page_count_rounds_up_and_never_says_zero(total: int, per_page: int, pages: int) -> None:
    assert page_count(total, per_page) == pages


def test_a_page_holds_at_least_one_item() -> None:
    with pytest.raises(ValueError):
        page_count(3, 0)
