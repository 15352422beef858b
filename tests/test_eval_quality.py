"""Answer quality on our own question sets (tests/eval/), measured, not guessed.

The floors are set just below what the bot achieves now, so a change that makes answers worse
fails here. Each set's first score (before any tuning on it) is in the README. The shared dev
set is scored by `faqbot eval` and the before-stop hook, and here when it is beside the clone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pack_paths import SHIPPED_PACK, TEST_PACKS

from bot.answering.service import FaqService
from bot.cli.evaluation import evaluate, format_report, load_items
from bot.knowledge.pack import load_pack

EVAL = Path(__file__).parent / "eval"
HARBOUR = TEST_PACKS / "harbour-cable"
DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.yaml"

# (pack, question set, in-scope floor, abstention floor, answered-or-one-tap floor)
FLOORS = [
    (SHIPPED_PACK, EVAL / "questions.yaml", 0.94, 0.97, 0.97),
    (SHIPPED_PACK, EVAL / "holdout.yaml", 0.87, 0.95, 0.97),
    (SHIPPED_PACK, EVAL / "blind.yaml", 0.89, 0.96, 0.95),
    (SHIPPED_PACK, EVAL / "blind2.yaml", 0.90, 0.94, 1.00),
    (SHIPPED_PACK, EVAL / "blind3.yaml", 0.89, 1.00, 0.97),
    (SHIPPED_PACK, EVAL / "blind4.yaml", 0.83, 0.96, 0.95),
    (SHIPPED_PACK, EVAL / "blind5.yaml", 0.73, 0.80, 0.89),
    (SHIPPED_PACK, EVAL / "blind6.yaml", 0.80, 0.84, 0.92),
    (SHIPPED_PACK, EVAL / "blind7.yaml", 0.78, 0.83, 0.87),
    (SHIPPED_PACK, EVAL / "blind8.yaml", 0.71, 0.89, 0.91),
    (SHIPPED_PACK, EVAL / "blind9.yaml", 0.79, 0.85, 0.92),
    (SHIPPED_PACK, EVAL / "blind10.yaml", 0.68, 0.87, 0.89),
    (SHIPPED_PACK, EVAL / "blind11.yaml", 0.67, 0.89, 0.89),
    (SHIPPED_PACK, EVAL / "blind12.yaml", 0.66, 0.91, 0.92),
    (SHIPPED_PACK, EVAL / "off-topic.yaml", 1.00, 0.94, 1.00),
    (HARBOUR, EVAL / "harbour-cable" / "blind.yaml", 0.63, 0.86, 0.88),
    (HARBOUR, EVAL / "harbour-cable" / "blind2.yaml", 0.62, 0.78, 0.85),
    (HARBOUR, EVAL / "harbour-cable" / "blind3.yaml", 0.66, 0.85, 0.93),
    (HARBOUR, EVAL / "harbour-cable" / "blind4.yaml", 0.74, 0.89, 0.94),
    (HARBOUR, EVAL / "harbour-cable" / "blind5.yaml", 0.74, 0.93, 0.89),
    (HARBOUR, EVAL / "harbour-cable" / "blind6.yaml", 0.53, 0.80, 0.89),
    (HARBOUR, EVAL / "harbour-cable" / "blind7.yaml", 0.49, 0.86, 0.94),
    (HARBOUR, EVAL / "harbour-cable" / "blind8.yaml", 0.64, 0.74, 0.91),
    (HARBOUR, EVAL / "off-topic.yaml", 1.00, 0.96, 1.00),
]
_services: dict[Path, FaqService] = {}


def _service(pack: Path) -> FaqService:
    if pack not in _services:
        _services[pack] = FaqService(load_pack(pack))
    return _services[pack]


@pytest.mark.parametrize(
    ("pack", "path", "in_scope", "abstention", "one_tap"),
    FLOORS,
    ids=[f"{pack.name}/{path.name}" for pack, path, *_ in FLOORS],
)
def test_own_question_sets_meet_their_floors(
    pack: Path, path: Path, in_scope: float, abstention: float, one_tap: float
) -> None:
    report = evaluate(_service(pack), load_items(path))
    assert report.accuracy(in_scope=True) >= in_scope, format_report(report)
    assert report.accuracy(in_scope=False) >= abstention, format_report(report)
    assert report.one_tap() >= one_tap, format_report(report)


@pytest.mark.parametrize("pack", sorted({pack for pack, *_ in FLOORS}), ids=lambda p: p.name)
def test_every_returned_quote_is_verbatim(pack: Path) -> None:
    service = _service(pack)
    for item in [i for p, path, *_ in FLOORS if p == pack for i in load_items(path)]:
        for quote in service.ask(item.question).quotes:
            assert quote.text in service.pack.article


def test_dev_set_when_present(service: FaqService) -> None:
    if not DEV.exists():
        pytest.skip("the shared dev set is not beside this clone")
    report = evaluate(service, load_items(DEV))
    assert report.accuracy(in_scope=True) >= 0.95, format_report(report)
    assert report.accuracy(in_scope=False) >= 0.95, format_report(report)
