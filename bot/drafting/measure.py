"""How well a draft finds what a curator found: speakers, and speaker–quote–verb triples
against a hand-curated pack (speakers.yaml + faq.yaml) or an expected.yaml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.drafting.pipeline import Draft, DraftSpeaker, draft_text
from bot.drafting.rules import Rules, load_rules
from bot.model import ARTICLE_SPEAKER_ID

EXPECTED_FILE = "expected.yaml"
MIN_OVERLAP = 0.5


@dataclass(frozen=True, slots=True)
class GoldSpeaker:
    """A speaker a curator listed."""

    id: str
    names: frozenset[str]
    kind: str


@dataclass(frozen=True, slots=True)
class GoldQuote:
    """A curated attribution: a span of the article, its speaker id and verb."""

    start: int
    end: int
    speaker: str
    verb: str


@dataclass(frozen=True, slots=True)
class Measure:
    """The figures of one article."""

    speakers_found: int
    speakers_total: int
    missed_speakers: tuple[str, ...]
    returned: int
    correct: int
    gold: int
    recalled: int
    covered: int
    covered_correct: int

    @property
    def precision(self) -> float:
        """Share of the returned quotes that match a curated triple."""
        return self.correct / self.returned if self.returned else 0.0

    @property
    def recall(self) -> float:
        """Share of the curated triples some returned quote matches."""
        return self.recalled / self.gold if self.gold else 0.0

    @property
    def covered_precision(self) -> float:
        """Among returned quotes overlapping a curated span, the share with its speaker and verb."""
        return self.covered_correct / self.covered if self.covered else 0.0


def load_gold(folder: Path) -> tuple[str, list[GoldSpeaker], list[GoldQuote]]:
    """The article and its curated speakers and quotes: expected.yaml, or a pack's files."""
    article = (folder / "article.txt").read_text(encoding="utf-8")
    expected = folder / EXPECTED_FILE
    if expected.exists():
        doc = yaml.safe_load(expected.read_text(encoding="utf-8"))
        speakers_doc, quotes = doc, list(doc.get("quotes") or [])
    else:
        speakers_doc = yaml.safe_load((folder / "speakers.yaml").read_text(encoding="utf-8"))
        faq = yaml.safe_load((folder / "faq.yaml").read_text(encoding="utf-8"))
        quotes = [q for e in faq.get("entries") or [] for q in e.get("quotes") or []]
    speakers = [_gold_speaker(s) for s in speakers_doc.get("speakers") or []]
    speakers = [s for s in speakers if s.kind != "article" and s.id != ARTICLE_SPEAKER_ID]
    by_name = {n: s.id for s in speakers for n in s.names}
    gold: list[GoldQuote] = []
    for quote in quotes:
        speaker = str(quote.get("speaker"))
        speaker = by_name.get(_fold(speaker), speaker)
        if speaker == ARTICLE_SPEAKER_ID:
            continue
        start = article.find(str(quote["text"]))
        if start < 0:
            raise ValueError(f"{folder}: quote is not in the article: {quote['text']!r}")
        gold.append(GoldQuote(start, start + len(str(quote["text"])), speaker, str(quote["verb"])))
    return article, speakers, gold


def _gold_speaker(item: Mapping[str, Any]) -> GoldSpeaker:
    name = str(item.get("name"))
    names = {_fold(name), *(_fold(a) for a in item.get("aliases") or [])}
    speaker_id = str(item.get("id") or _fold(name))
    names.add(speaker_id)
    return GoldSpeaker(speaker_id, frozenset(names), str(item.get("kind") or "person"))


def _fold(text: str) -> str:
    folded = " ".join(text.replace("’", "'").casefold().split())
    return folded.removeprefix("the ")


def match_speaker(speaker: DraftSpeaker, gold: list[GoldSpeaker]) -> str | None:
    """The curated speaker a drafted one is: by name, then by alias, then by surname."""
    name = _fold(speaker.name)
    for candidate in gold:
        if name in candidate.names:
            return candidate.id
    aliases = {_fold(a) for a in speaker.aliases if not a.lower().startswith("the ")}
    for candidate in gold:
        if aliases & candidate.names and candidate.kind == speaker.kind:
            return candidate.id
    return None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return inter / shorter if inter > 0 and shorter > 0 else 0.0


def same_verb(a: str, b: str, rules: Rules) -> bool:
    """Whether two reporting verbs are the same verb ("stated" and "states", "has said" and
    "said")."""
    perfect = ("has", "have", "had")
    wa = [w for w in a.lower().split() if w not in perfect]
    wb = [w for w in b.lower().split() if w not in perfect]
    if not wa or not wb or len(wa) != len(wb):
        return False
    return rules.lemma(wa[0]) == rules.lemma(wb[0]) and wa[1:] == wb[1:]


def _clusters(gold: list[GoldQuote], rules: Rules) -> list[list[GoldQuote]]:
    """Curated quotes grouped when they repeat one attribution (same speaker and verb,
    overlapping spans): a pack quotes the same words in several entries."""
    clusters: list[list[GoldQuote]] = []
    for quote in gold:
        for cluster in clusters:
            if any(
                q.speaker == quote.speaker
                and same_verb(q.verb, quote.verb, rules)
                and _overlap((q.start, q.end), (quote.start, quote.end)) >= MIN_OVERLAP
                for q in cluster
            ):
                cluster.append(quote)
                break
        else:
            clusters.append([quote])
    return clusters


def measure(draft: Draft, speakers: list[GoldSpeaker], gold: list[GoldQuote]) -> Measure:
    """Compare a draft with curated speakers and quotes."""
    rules = load_rules()
    mapping = {s.id: match_speaker(s, speakers) for s in draft.speakers}
    found = {m for m in mapping.values() if m}
    missed = tuple(s.id for s in speakers if s.id not in found)
    returned = [q for q in draft.quotes if q.speaker_id != ARTICLE_SPEAKER_ID]
    clusters = _clusters(gold, rules)

    def agrees(quote_speaker: str | None, verb: str, span: tuple[int, int], g: GoldQuote) -> bool:
        """Same speaker, same verb, spans overlapping substantially."""
        return (
            quote_speaker == g.speaker
            and same_verb(verb, g.verb, rules)
            and _overlap(span, (g.start, g.end)) >= MIN_OVERLAP
        )

    correct = covered = covered_correct = 0
    for quote in returned:
        span = (quote.start, quote.end)
        ok = any(agrees(mapping.get(quote.speaker_id), quote.verb, span, g) for g in gold)
        correct += ok
        if any(_overlap(span, (g.start, g.end)) >= MIN_OVERLAP for g in gold):
            covered += 1
            covered_correct += ok
    recalled = sum(
        1
        for cluster in clusters
        if any(
            agrees(mapping.get(q.speaker_id), q.verb, (q.start, q.end), g)
            for q in returned
            for g in cluster
        )
    )
    return Measure(
        speakers_found=len(speakers) - len(missed),
        speakers_total=len(speakers),
        missed_speakers=missed,
        returned=len(returned),
        correct=correct,
        gold=len(clusters),
        recalled=recalled,
        covered=covered,
        covered_correct=covered_correct,
    )


def measure_folder(folder: str | Path) -> Measure:
    """Draft the article of a curated folder and measure the draft against its curation."""
    article, speakers, gold = load_gold(Path(folder))
    return measure(draft_text(article), speakers, gold)


def format_measure(name: str, m: Measure) -> str:
    """The figures as a few lines of text."""
    lines = [
        f"{name}:",
        f"  speakers found      {m.speakers_found}/{m.speakers_total}"
        + (f" (missed: {', '.join(m.missed_speakers)})" if m.missed_speakers else ""),
        f"  quote triples       precision {m.precision:.0%} ({m.correct}/{m.returned}), "
        f"recall {m.recall:.0%} ({m.recalled}/{m.gold})",
        f"  on curated spans    {m.covered_correct}/{m.covered} returned quotes have the "
        f"curator's speaker and verb ({m.covered_precision:.0%})",
    ]
    return "\n".join(lines)
