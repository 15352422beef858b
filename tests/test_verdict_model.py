"""The learned verdict: fitting, its sign rule, its file, and how the matcher uses it."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from pack_paths import ALL_PACKS, REPO
from test_cli import faqbot

from bot.cli import training
from bot.knowledge.pack import load_pack
from bot.matching.matcher import Matcher
from bot.matching.verdict import (
    FEATURES,
    Example,
    VerdictModel,
    VerdictModelError,
    fit,
)
from bot.model import KnowledgePack

MANIFEST = REPO / "tests" / "verdict-training.yaml"


def _examples(rule: str, n: int = 400, seed: int = 7) -> list[Example]:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        score = rng.random()
        noise = rng.random()
        features = {"score": score, "topic_recall": noise}
        answers = score > 0.5 if rule == "score" else noise > 0.5
        rows.append(Example(features, answers))
    return rows


def test_fit_learns_what_separates_answers_from_refusals() -> None:
    model = fit(_examples("score"))
    assert model.probability({"score": 0.95, "topic_recall": 0.5}) > 0.9
    assert model.probability({"score": 0.05, "topic_recall": 0.5}) < 0.1


def test_a_weight_against_its_sign_is_left_out() -> None:
    # Here more topic recall would mean *less* likely to answer: the opposite of its sign.
    flipped = [
        Example({**e.features, "topic_recall": 1.0 - e.features["topic_recall"]}, e.answers)
        for e in _examples("topic")
    ]
    model = fit(flipped)
    assert model.weights[FEATURES.index("topic_recall")] == 0.0
    assert fit(_examples("topic")).weights[FEATURES.index("topic_recall")] > 0.0


def test_contributions_and_bias_make_the_probability() -> None:
    model = fit(_examples("score"))
    features = {"score": 0.7, "topic_recall": 0.2}
    logit = model.bias + sum(c for _, c in model.contributions(features))
    assert model.probability(features) == pytest.approx(1 / (1 + 2.718281828459045**-logit))
    assert "match score" in model.explain(features)


def test_a_model_file_for_other_features_is_refused_with_its_name() -> None:
    data = VerdictModel.shipped().to_data()
    features = dict(data["features"])  # type: ignore[call-overload]
    features.pop("score")
    with pytest.raises(VerdictModelError, match=r"model\.yaml.*missing \['score'\]"):
        VerdictModel.from_data({**data, "features": features}, where="model.yaml")


def test_the_model_round_trips_through_its_file(tmp_path: Path) -> None:
    model = replace(fit(_examples("score")), threshold=0.6)
    path = tmp_path / "verdict.yaml"
    model.save(path, header="made in a test")
    assert path.read_text(encoding="utf-8").startswith("# made in a test\n")
    again = VerdictModel.from_data(yaml.safe_load(path.read_text(encoding="utf-8")))
    features = {"score": 0.66, "topic_recall": 0.4}
    assert again.threshold == 0.6
    assert again.probability(features) == pytest.approx(model.probability(features), abs=1e-5)


def _matcher(pack: KnowledgePack, *, threshold: float, ask_back: float) -> Matcher:
    return Matcher(
        pack, verdict_model=replace(VerdictModel.shipped(), threshold=threshold, ask_back=ask_back)
    )


@pytest.mark.parametrize("path", ALL_PACKS, ids=lambda p: p.name)
def test_the_matcher_answers_asks_back_or_refuses_by_the_verdict(path: Path) -> None:
    pack = load_pack(path)
    question = pack.entries[0].title
    sure = Matcher(pack).match(question)
    assert not sure.abstained and sure.confidence >= VerdictModel.shipped().threshold
    assert any(r.startswith("confidence") for r in sure.reasons)
    unsure = _matcher(pack, threshold=1.01, ask_back=0.0).match(question)
    assert unsure.abstained and unsure.unsure and unsure.rule == "asked back"
    refused = _matcher(pack, threshold=1.01, ask_back=1.01).match(question)
    assert refused.abstained and not refused.unsure and refused.rule == "low confidence"


def test_hard_refusals_hold_whatever_the_verdict(pack: KnowledgePack) -> None:
    eager = _matcher(pack, threshold=0.0, ask_back=0.0)
    assert eager.match("What is Imran Khan's net worth?").rule == "refused topic"
    assert eager.match("zebra crossing marmalade?").rule == "low score"


def test_the_shipped_model_is_what_its_training_writes() -> None:
    """Retraining on the manifest gives the shipped model: a change to the matcher's features
    without `make verdict` fails here. (Refits differ in the third decimal: the shipped model
    picks which piece of a long message is matched, so the features move with it.)"""
    fitted = training.train(training.collect(training.Manifest.load(MANIFEST)))
    shipped = VerdictModel.shipped()
    assert fitted.threshold == shipped.threshold
    assert fitted.bias == pytest.approx(shipped.bias, abs=0.02)
    for name, new, old in zip(FEATURES, fitted.weights, shipped.weights, strict=True):
        assert new == pytest.approx(old, abs=0.02), f"{name}: run `make verdict`"


def test_train_verdict_command_writes_a_model_the_matcher_loads(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.yaml"
    packs = [
        {
            "knowledge": str(REPO / "knowledge" / "pti-exodus"),
            "sets": [str(REPO / "tests/eval/blind.yaml")],
        },
        {
            "knowledge": str(REPO / "tests/packs/harbour-cable"),
            "sets": [str(REPO / "tests/eval/harbour-cable/blind.yaml")],
        },
    ]
    manifest.write_text(yaml.safe_dump({"packs": packs}), encoding="utf-8")
    out = tmp_path / "model.yaml"
    result = faqbot("train-verdict", str(manifest), "--cross-validate", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "trained on the other articles only" in result.stdout
    model = VerdictModel.from_data(yaml.safe_load(out.read_text(encoding="utf-8")))
    assert model.threshold == training.THRESHOLD


def test_train_verdict_refuses_a_broken_manifest_in_one_line(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text("packs: [{knowledge: nowhere}]\n", encoding="utf-8")
    result = faqbot("train-verdict", str(manifest))
    assert result.returncode == 2
    assert (
        result.stderr.strip().count("\n") == 0 and "needs 'knowledge' and 'sets'" in result.stderr
    )
