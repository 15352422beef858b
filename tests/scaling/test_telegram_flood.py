"""The flood limit is shared out: each of N instances sends at most 30/N messages a second."""

from __future__ import annotations

from typing import Any

import pytest
from instances import TOKEN

from adapters.telegram.app import build_application
from adapters.telegram.flood import share_flood_limit
from bot.service import FaqService


def _overall_rate(application: Any) -> float | None:
    limiter = application.bot.rate_limiter._base_limiter
    return None if limiter is None else float(limiter.max_rate)


@pytest.mark.parametrize(("instances", "total", "rate"), [(1, 30, 30), (2, 30, 15), (3, 0, None)])
def test_each_instance_keeps_to_its_share(
    service: FaqService, instances: int, total: float, rate: float | None
) -> None:
    application = build_application(service, TOKEN, api_url=None)
    share_flood_limit(application, total=total, instances=instances)
    assert _overall_rate(application) == rate
