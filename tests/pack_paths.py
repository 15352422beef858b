"""Where the repository's packs are: the shipped ones and the test packs."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHIPPED_PACK = REPO / "knowledge" / "pti-exodus"
TEST_PACKS = REPO / "tests" / "packs"
ALL_PACKS = sorted(
    p.parent for root in (REPO / "knowledge", TEST_PACKS) for p in root.glob("*/faq.yaml")
)
