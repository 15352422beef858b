"""Training the verdict model (bot.matching.verdict) on question sets, and cross-validating it.

A manifest names packs and, for each, question files in the eval format. Every question with a
candidate becomes an example: its match's features, and whether answering with the top entry
passes the question (an answerable question whose expected words the entry shows). Each pack
weighs the same in training, however many questions it has, so no one article dominates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from bot.answering.service import MAX_QUESTION_CHARS, FaqService
from bot.cli.evaluation import EvalItem, judge, load_items
from bot.knowledge.pack import load_pack
from bot.matching.matcher import HARD_RULES, Match, Matcher
from bot.matching.verdict import Example, VerdictModel, fit

L2 = 1.0  # ridge penalty on the standardised weights
# Answer at this probability or above. Chosen on the held-out figures (`--cross-validate`):
# 0.5 answers 2 points more questions across articles, 0.55 refuses 3 points more traps. A
# wrong answer breaks the bot's promise where a refusal still offers the likely entries.
THRESHOLD = 0.55
ASK_BACK = 0.35  # from here up to the threshold, the reader is asked which entry they meant


@dataclass(frozen=True, slots=True)
class Sample:
    """A training example with where it came from and whether the question is answerable."""

    pack: str
    question_set: str
    answerable: bool
    example: Example
    refused_anyway: bool = False
    """The matcher refuses it whatever the verdict (a refused topic, a figure never given…)."""


@dataclass(frozen=True, slots=True)
class Manifest:
    """Packs with the question files written for each."""

    packs: tuple[tuple[Path, tuple[Path, ...]], ...]

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """Read `packs: [{knowledge: DIR, sets: [FILE, ...]}]`, paths relative to the file."""
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        rows = doc.get("packs") if isinstance(doc, dict) else None
        if not isinstance(rows, list) or not rows:
            raise ValueError(f"{path}: expected a non-empty list under 'packs:'")
        packs = []
        for index, row in enumerate(rows, start=1):
            if not isinstance(row, dict) or not row.get("knowledge") or not row.get("sets"):
                raise ValueError(f"{path}: pack {index} needs 'knowledge' and 'sets'")
            base = path.parent
            packs.append((base / str(row["knowledge"]), tuple(base / str(s) for s in row["sets"])))
        return cls(tuple(packs))


def collect(manifest: Manifest, model: VerdictModel | None = None) -> list[Sample]:
    """Every question of the manifest as a training sample, matched with `model` (default: the
    shipped one; it only decides which piece of a long message is matched)."""
    samples: list[Sample] = []
    for pack_path, files in manifest.packs:
        pack = load_pack(pack_path)
        matcher = Matcher(pack, verdict_model=model)
        service = FaqService(pack)
        found: list[Sample] = []
        for path in files:
            for item in load_items(path):
                match = matcher.match(item.question[:MAX_QUESTION_CHARS])
                if match.candidates:
                    found.append(
                        Sample(
                            pack.slug,
                            path.name,
                            item.expect is not None,
                            _example(match, service, item),
                            match.rule in HARD_RULES,
                        )
                    )
        samples += found
    return _balanced(samples)


def train(samples: Sequence[Sample], *, l2: float = L2) -> VerdictModel:
    """The model fitted on the samples the verdict decides (not those refused anyway)."""
    model = fit([s.example for s in samples if not s.refused_anyway], l2=l2)
    return replace(model, threshold=THRESHOLD, ask_back=ASK_BACK)


@dataclass(frozen=True, slots=True)
class Fold:
    """Figures on one held-out question set: answered right, refused right (None: the set has
    no question of that kind)."""

    name: str
    answered: float | None
    refused: float | None


def cross_validate(samples: Sequence[Sample], *, across_packs: bool, l2: float = L2) -> list[Fold]:
    """Hold out each question set in turn, train on the rest (or, across_packs, on the other
    packs only: the figure for an article nobody trained on) and score the held-out set."""
    folds = []
    for key in sorted({(s.pack, s.question_set) for s in samples}):
        held = [s for s in samples if (s.pack, s.question_set) == key]
        rest = [
            s
            for s in samples
            if (s.pack != key[0] if across_packs else (s.pack, s.question_set) != key)
        ]
        if not rest:
            continue
        model = train(_balanced(rest), l2=l2)
        folds.append(Fold(f"{key[0]}/{key[1]}", *score(model, held)))
    return folds


def score(model: VerdictModel, samples: Sequence[Sample]) -> tuple[float | None, float | None]:
    """(answered right among answerable, refused among unanswerable) by the matcher with this
    model: the samples refused anyway stay refused."""

    def answers(s: Sample) -> bool:
        return not s.refused_anyway and model.probability(s.example.features) >= model.threshold

    answerable = [s for s in samples if s.answerable]
    traps = [s for s in samples if not s.answerable]
    answered = sum(s.example.answers and answers(s) for s in answerable)
    refused = sum(not answers(s) for s in traps)
    return (
        answered / len(answerable) if answerable else None,
        refused / len(traps) if traps else None,
    )


def mean(values: Sequence[float | None]) -> float | None:
    """The mean of the values given (None ones left out); None when there are none."""
    given = [v for v in values if v is not None]
    return sum(given) / len(given) if given else None


def shares(answered: float | None, refused: float | None) -> str:
    """ "answered / refused", each to three places or a dash when there is none."""
    return " / ".join("  -  " if v is None else f"{v:.3f}" for v in (answered, refused))


def _example(match: Match, service: FaqService, item: EvalItem) -> Example:
    answers = False
    if item.expect is not None:
        shown = service.answer_entry(match.candidates[0].entry_id)
        answers = shown is not None and judge(item, shown).passed
    return Example(dict(match.features), answers)


def _balanced(samples: Sequence[Sample]) -> list[Sample]:
    """The samples reweighted so that each pack's weights sum to the same total."""
    per_pack: dict[str, int] = defaultdict(int)
    for s in samples:
        per_pack[s.pack] += 1
    share = len(samples) / max(1, len(per_pack))
    return [
        replace(s, example=replace(s.example, weight=share / per_pack[s.pack])) for s in samples
    ]
