"""The flood limit is shared out: each of N instances sends at most 30/N messages a second."""

from __future__ import annotations

from typing import Any

import pytest
from instances import TOKEN

from adapters.telegram.app import build_application
from adapters.telegram.delivery import DeliveryLimiter
from adapters.telegram.flood import UNLIMITED_RATE, share_flood_limit
from bot.answering.core import Core


def _overall_rate(application: Any) -> float:
    limiter = application.bot.rate_limiter
    assert isinstance(limiter, DeliveryLimiter)
    return limiter.overall_rate


@pytest.mark.parametrize(
    ("instances", "total", "rate"), [(1, 30, 30), (2, 30, 15), (3, 0, UNLIMITED_RATE)]
)
def test_each_instance_keeps_to_its_share(
    core: Core, instances: int, total: float, rate: float
) -> None:
    application = build_application(core, TOKEN, api_url=None)
    share_flood_limit(application, total=total, instances=instances)
    assert _overall_rate(application) == rate
