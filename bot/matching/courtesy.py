"""Thanks and other courtesies: recognised so a reader's 'thanks!' is not greeted with 'Hello!'."""

from __future__ import annotations

from bot.matching.text import normalise

_THANKS = frozenset(
    """thanks thank thx ty tysm tq thnx thanx cheers shukriya shukria shukran jazakallah
    meherbani appreciated""".split()
)
# Words that may stand beside a thank-you without making it a question.
_ALONGSIDE = frozenset(
    """you u so much very lot a many again bot for the that this help answer info ok okay
    great nice cool good bohat bahut boht bhai yaar sir madam""".split()
)


def is_thanks(text: str) -> bool:
    """Whether a message only thanks the bot ('thanks!', 'thank you so much', 'shukriya')."""
    words = normalise(text).split()
    return any(w in _THANKS for w in words) and all(w in _THANKS | _ALONGSIDE for w in words)
