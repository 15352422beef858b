"""Telegram's flood limit shared out across instances: the bot may send about 30 messages a
second in all, so each of N instances keeps to 30/N (`--instances N`, `--flood-limit RATE`)."""

from __future__ import annotations

import logging

from telegram.constants import FloodLimit

from adapters.telegram.app import TelegramApp
from adapters.telegram.delivery import DeliveryLimiter

log = logging.getLogger(__name__)

TOTAL_RATE = float(FloodLimit.MESSAGES_PER_SECOND)
UNLIMITED_RATE = 1e6  # "no limit": a rate no bot reaches


def instance_rate(total: float, instances: int) -> float:
    """Messages per second one of `instances` instances may send (0: no limit)."""
    return total / max(1, instances) if total > 0 else 0.0


def share_flood_limit(application: TelegramApp, *, total: float, instances: int) -> None:
    """Replace the application's limiter by one allowing this instance its share of `total`
    messages per second (per-chat and per-group limits unchanged). Call before initialize()."""
    if total == TOTAL_RATE and instances <= 1:
        return
    rate = instance_rate(total, instances)
    # ExtBot takes its limiter only in its constructor, which build_application owns.
    application.bot._rate_limiter = DeliveryLimiter(  # type: ignore[misc]
        overall_rate=rate or UNLIMITED_RATE
    )
    log.info(
        "Telegram: sending at most %s messages/s (%s across %d instance(s))",
        f"{rate:g}" if rate else "unlimited",
        f"{total:g}" if total else "no limit",
        instances,
    )
