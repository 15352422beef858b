"""Whether the best-ranked entry answers a question: a logistic model over the match's features.

The matcher ranks entries; this decides whether the top one is the answer. Each feature is a
fact about the match that holds for any article ("share of the question's weight the phrasing
explains", "the question asks who"), never a word of one. The weights are learned from question
sets written for two articles (see `faqbot train-verdict`) and shipped as data in
bot/data/models/verdict.yaml, so a verdict is a weighted sum that can be read back as reasons.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

#: The features, in the order the model file lists their weights, each with the sign its weight
#: must have (+1: more of it means the entry answers; -1: the opposite; 0: either). A feature
#: whose fitted weight takes the wrong sign is left out, so the model cannot learn how the
#: question sets happen to be written (traps with no typos, say) instead of what answers.
SIGNS: Mapping[str, int] = {
    "score": 1,
    "lead": 1,
    "topic_recall": 1,
    "unanswered": -1,
    "uncovered_top": -1,
    "uncovered": -1,
    "unknown_share": -1,
    "focus_missing": -1,
    "type_missing": -1,
    "speaker_missing": -1,
    "attribute_missing": -1,
    "asks_value": 0,
    "asks_relation": 0,
    "names_role": 0,
    "names_speaker": 0,
}
FEATURES: tuple[str, ...] = tuple(SIGNS)

#: What each feature means, for the reasons shown to curators.
DESCRIPTIONS: Mapping[str, str] = {
    "score": "match score",
    "lead": "lead over the next entry",
    "topic_recall": "topic words the entry knows",
    "unanswered": "topic the answer leaves out",
    "uncovered_top": "weightiest word the entry lacks",
    "uncovered": "words the entry lacks",
    "unknown_share": "question weight unknown to the article",
    "focus_missing": "asked-about word missing from the entry",
    "type_missing": "no phrasing asks this kind of question",
    "speaker_missing": "a named speaker the entry never quotes",
    "attribute_missing": "asked-for attribute missing",
    "asks_value": "asks for a figure",
    "asks_relation": "asks which/who did something",
    "names_role": "names a person by role",
    "names_speaker": "names a speaker",
}

_MODEL_FILE = "data/models/verdict.yaml"


class VerdictModelError(ValueError):
    """The verdict model file is missing a part, or was trained on other features."""


@dataclass(frozen=True, slots=True)
class VerdictModel:
    """Standardised features times weights plus a bias: the log-odds that the top entry answers.
    The matcher answers at `threshold` or above and asks back from `ask_back` up to it."""

    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5
    ask_back: float = 0.3

    def probability(self, features: Mapping[str, float]) -> float:
        """How likely the top entry is the answer, from 0 to 1."""
        return _sigmoid(self.bias + sum(c for _, c in self.contributions(features)))

    def contributions(self, features: Mapping[str, float]) -> list[tuple[str, float]]:
        """Each feature's share of the log-odds, in FEATURES order."""
        return [
            (name, w * (features.get(name, 0.0) - m) / s)
            for name, m, s, w in zip(FEATURES, self.means, self.scales, self.weights, strict=True)
        ]

    def explain(self, features: Mapping[str, float], *, top: int = 3) -> str:
        """The verdict in one line: the probability and the features that weighed most."""
        p = self.probability(features)
        parts = sorted(self.contributions(features), key=lambda c: -abs(c[1]))[:top]
        said = ", ".join(f"{DESCRIPTIONS[n]} {c:+.1f}" for n, c in parts)
        return f"confidence {p:.2f} (answers at {self.threshold:.2f}; weighed most: {said})"

    def to_data(self) -> dict[str, object]:
        """The model as the mapping its YAML file holds."""
        return {
            "threshold": self.threshold,
            "ask_back": self.ask_back,
            "bias": round(self.bias, 6),
            "features": {
                name: {"mean": round(m, 6), "scale": round(s, 6), "weight": round(w, 6)}
                for name, m, s, w in zip(
                    FEATURES, self.means, self.scales, self.weights, strict=True
                )
            },
        }

    @classmethod
    def from_data(cls, data: object, *, where: str = _MODEL_FILE) -> VerdictModel:
        """A model from its YAML mapping; refused with the reason when it does not fit FEATURES."""
        if not isinstance(data, dict) or not isinstance(data.get("features"), dict):
            raise VerdictModelError(f"{where}: needs a 'features' mapping")
        table = data["features"]
        if tuple(table) != FEATURES:
            missing = sorted(set(FEATURES) - set(table))
            extra = sorted(set(table) - set(FEATURES))
            raise VerdictModelError(
                f"{where}: trained on other features (missing {missing}, unknown {extra}, "
                "or another order); run `faqbot train-verdict`"
            )
        try:
            rows = [
                (float(r["mean"]), float(r["scale"]), float(r["weight"])) for r in table.values()
            ]
            return cls(
                means=tuple(m for m, _, _ in rows),
                scales=tuple(s if s > 0 else 1.0 for _, s, _ in rows),
                weights=tuple(w for _, _, w in rows),
                bias=float(data["bias"]),
                threshold=float(data.get("threshold", 0.5)),
                ask_back=float(data.get("ask_back", 0.3)),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise VerdictModelError(f"{where}: malformed feature row ({error})") from error

    @classmethod
    def shipped(cls) -> VerdictModel:
        """The model shipped in bot/data/models/verdict.yaml."""
        text = resources.files("bot").joinpath(_MODEL_FILE).read_text(encoding="utf-8")
        return cls.from_data(yaml.safe_load(text))

    def save(self, path: Path, *, header: str = "") -> None:
        """Write the model as YAML, after an optional comment header."""
        comment = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
        body = yaml.safe_dump(self.to_data(), sort_keys=False, width=100)
        path.write_text(comment + body, encoding="utf-8")


@dataclass(frozen=True, slots=True)
class Example:
    """One training question: its match's features, whether answering with the top entry is
    right, and how much it counts."""

    features: Mapping[str, float]
    answers: bool
    weight: float = 1.0


def fit(examples: Sequence[Example], *, l2: float = 1.0) -> VerdictModel:
    """Fit the model on the weighted log-loss with an L2 penalty of `l2` on the standardised
    weights (not the bias). Features whose weight comes out against their SIGNS are dropped
    (weight 0), worst first, and the rest refitted, until every weight has its sign."""
    if not examples:
        raise ValueError("no examples to fit")
    active = set(FEATURES)
    while True:
        model = _fit(examples, active, l2=l2)
        wrong = {
            name: w * SIGNS[name]
            for name, w in zip(FEATURES, model.weights, strict=True)
            if name in active and w * SIGNS[name] < 0
        }
        if not wrong:
            return model
        active.discard(min(wrong, key=wrong.__getitem__))


def _fit(
    examples: Sequence[Example], active: set[str], *, l2: float, iterations: int = 25
) -> VerdictModel:
    """Newton's method on the features in `active`; the others get weight 0."""
    rows = [[float(e.features.get(name, 0.0)) for name in FEATURES] for e in examples]
    total = sum(e.weight for e in examples)
    means = [
        sum(e.weight * r[j] for e, r in zip(examples, rows, strict=True)) / total
        for j in range(len(FEATURES))
    ]
    scales = []
    for j, m in enumerate(means):
        var = sum(e.weight * (r[j] - m) ** 2 for e, r in zip(examples, rows, strict=True)) / total
        scales.append(math.sqrt(var) if var > 1e-12 else 1.0)
    used = [j for j, name in enumerate(FEATURES) if name in active]
    xs = [[1.0] + [(r[j] - means[j]) / scales[j] for j in used] for r in rows]
    ys = [1.0 if e.answers else 0.0 for e in examples]
    ws = [e.weight for e in examples]
    size = len(used) + 1
    beta = [0.0] * size
    for _ in range(iterations):
        gradient = [0.0] * size
        hessian = [[0.0] * size for _ in range(size)]
        for x, y, w in zip(xs, ys, ws, strict=True):
            p = _sigmoid(sum(b * v for b, v in zip(beta, x, strict=True)))
            g = w * (p - y)
            h = w * p * (1.0 - p)
            for i in range(size):
                gradient[i] += g * x[i]
                if h:
                    row = hessian[i]
                    hx = h * x[i]
                    for k in range(i, size):
                        row[k] += hx * x[k]
        for i in range(size):
            for k in range(i):
                hessian[i][k] = hessian[k][i]
            if i:
                gradient[i] += l2 * beta[i]
                hessian[i][i] += l2
        step = _solve(hessian, gradient)
        beta = [b - s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-8:
            break
    weights = [0.0] * len(FEATURES)
    for position, j in enumerate(used, start=1):
        weights[j] = beta[position]
    return VerdictModel(
        means=tuple(means), scales=tuple(scales), weights=tuple(weights), bias=beta[0]
    )


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """x with matrix · x = vector, by Gaussian elimination with partial pivoting."""
    n = len(vector)
    a = [[*row, vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        if abs(a[col][col]) < 1e-15:
            continue
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            if factor:
                for c in range(col, n + 1):
                    a[r][c] -= factor * a[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        if abs(a[r][r]) < 1e-15:
            continue
        x[r] = (a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)
