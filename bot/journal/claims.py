"""Exactly-once handling of deliveries: a Telegram update, a Discord interaction or message.

Before an adapter answers a delivery it claims the delivery's id in the store. The first claim
wins; a claim of an id already claimed (by this or any other instance sharing the store) is
refused, so a redelivered or doubly delivered update is skipped. A claim is kept for
CLAIM_TTL seconds, far longer than any platform redelivers.

A claim is *held* while the delivery is handled and *committed* once it was: what the service
journals meanwhile is written with the commit, so one delivery gives one journal row even when
an instance dies half-way (its held claim is released and the redelivery is answered anew).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Protocol

from bot.journal.records import PendingRecord

log = logging.getLogger(__name__)

CLAIM_TTL = 86_400.0
"""Seconds a claim is kept: a day."""

CLAIM_LEASE = 120.0
"""Seconds a held, uncommitted claim blocks others where the store cannot see its holder die."""


class Claim(Protocol):
    """A delivery this instance is handling."""

    def commit(self) -> None:
        """The delivery was handled: keep the claim and write what was journaled under it."""

    def release(self) -> None:
        """The delivery was not handled: drop the claim so a redelivery is handled."""


class Claims(Protocol):
    """Where deliveries are claimed."""

    def claim(self, scope: str, key: str) -> Claim | None:
        """Claim one delivery (blocking, briefly); None when it was claimed before."""


class PendingRecords:
    """A claim's journal records, written when the claim commits (stores subclass it)."""

    def __init__(self, owner: object) -> None:
        self.owner = owner
        self.records: list[PendingRecord] = []


_active: ContextVar[PendingRecords | None] = ContextVar("faqbot_claim", default=None)


def active_claim() -> PendingRecords | None:
    """The claim the current task is handling a delivery under, if any."""
    return _active.get()


class _DoneClaim:
    def commit(self) -> None:
        """Nothing to write."""

    def release(self) -> None:
        """Nothing to drop."""


class MemoryClaims:
    """Claims of one process: duplicates within it are skipped (no store configured)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._claimed: dict[tuple[str, str], float] = {}

    def claim(self, scope: str, key: str) -> Claim | None:
        """Claim one delivery; None when it was claimed in the last CLAIM_TTL seconds."""
        now = self._clock()
        with self._lock:
            at = self._claimed.get((scope, key))
            if at is not None and now - at < CLAIM_TTL:
                return None
            if len(self._claimed) > 100_000:
                self._claimed = {k: t for k, t in self._claimed.items() if now - t < CLAIM_TTL}
            self._claimed[(scope, key)] = now
        return _DoneClaim()


@asynccontextmanager
async def exactly_once(claims: Claims, scope: str, key: str) -> AsyncIterator[bool]:
    """Claim a delivery around its handling: yields False when another handling claimed it
    (skip it), True otherwise; commits when the block ends normally, releases on an error.

    A store that cannot be reached does not silence the bot: the delivery is handled
    unclaimed (logged), at the risk of answering a redelivery twice. A commit that fails after
    the delivery was handled is logged, not raised: raising would have it redelivered and
    answered twice; only what it journaled is lost."""
    try:
        claim = await asyncio.to_thread(claims.claim, scope, key)
    except Exception:
        log.exception("cannot claim %s %s; handling it unclaimed", scope, key)
        yield True
        return
    if claim is None:
        yield False
        return
    token = _active.set(claim if isinstance(claim, PendingRecords) else None)
    try:
        yield True
    except BaseException:
        _active.reset(token)
        await _settle(claim.release, scope, key)
        raise
    _active.reset(token)
    await _settle(claim.commit, scope, key)


async def _settle(step: Callable[[], None], scope: str, key: str) -> None:
    try:
        await asyncio.to_thread(step)
    except Exception:
        log.exception("could not %s the claim of %s %s", step.__name__, scope, key)
