"""Matching benchmarks: latency percentiles, index build time and peak memory, beside a plain
rapidfuzz extractOne baseline over the same phrasings, on the shipped pack and synthetic packs."""

from __future__ import annotations

import random
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.answering.service import FaqService
from bot.cli.progress import Progress, Silent
from bot.matching.matcher import Matcher, phrasings_of
from bot.model import Entry, KnowledgePack

_SYLLABLES = tuple("ka ri to mu sen dal pur vik lor an tes bel hom qua zir nes pol gar fin".split())
_STARTS = ["what", "why", "how", "who", "when did", "is it true that", "explain", "tell me about"]


@dataclass(frozen=True, slots=True)
class Timing:
    """Latency figures for one matcher on one pack, in milliseconds."""

    p50: float
    p99: float
    mean: float


def synthetic_pack(
    base: KnowledgePack,
    size: int,
    *,
    seed: int = 7,
    advance: Callable[[int], None] = lambda done: None,
) -> KnowledgePack:
    """A pack of `size` entries: the shipped entries plus generated ones whose questions mix the
    article's words with invented words, so lookups face realistic overlap. `advance` is told
    how many entries exist so far, every thousand."""
    rng = random.Random(seed)
    real_words = sorted({w for e in base.entries for q in e.questions for w in q.lower().split()})
    invented = sorted(
        {"".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4))) for _ in range(max(2000, size // 2))}
    )
    entries = list(base.entries)
    for number in range(size - len(entries)):
        if number % 1000 == 0:
            advance(len(entries))
        topic = rng.sample(invented, 3)
        questions = []
        for _ in range(6):
            filler = rng.sample(real_words, 2) + rng.sample(topic, 2)
            rng.shuffle(filler)
            questions.append(f"{rng.choice(_STARTS)} {' '.join(filler)}?")
        entries.append(
            Entry(
                id=f"synthetic-{number}",
                questions=tuple(questions),
                answer=" ".join(rng.sample(real_words, 6) + topic),
                quotes=(),
            )
        )
    pack = KnowledgePack(
        slug=f"synthetic-{size}",
        path=base.path,
        article=base.article,
        source=base.source,
        speakers=base.speakers,
        entries=tuple(entries),
        entries_by_id={e.id: e for e in entries},
    )
    advance(len(entries))
    return pack


def sample_queries(pack: KnowledgePack, count: int, *, seed: int = 11) -> list[str]:
    """Questions to time: phrasings with a word dropped or a typo, and some unrelated ones."""
    rng = random.Random(seed)
    phrasings = phrasings_of(pack.entries)
    queries = []
    for index in range(count):
        if index % 5 == 4:
            queries.append(rng.choice(["how do I cook rice", "what is 2+2", "hello there"]))
            continue
        words = rng.choice(phrasings).split()
        if len(words) > 3:
            words.pop(rng.randrange(len(words)))
        position = rng.randrange(len(words))
        word = words[position]
        if len(word) > 4:
            cut = rng.randrange(1, len(word) - 1)
            words[position] = word[:cut] + word[cut + 1 :]
        queries.append(" ".join(words))
    return queries


def time_calls(
    call: Callable[[str], object],
    queries: Sequence[str],
    advance: Callable[[int], None] = lambda done: None,
) -> Timing:
    """Latency percentiles of `call` over the queries, after a warm-up pass over all of them
    (caches warm, as in a running bot). `advance` is told how many calls are done (of twice
    the queries)."""
    for done, query in enumerate(queries, start=1):
        call(query)
        advance(done)
    samples = []
    for done, query in enumerate(queries, start=len(queries) + 1):
        advance(done)
        start = time.perf_counter()
        call(query)
        samples.append((time.perf_counter() - start) * 1000.0)
    samples.sort()
    p99_index = min(len(samples) - 1, round(0.99 * (len(samples) - 1)))
    return Timing(statistics.median(samples), samples[p99_index], statistics.fmean(samples))


def _baseline(phrasings: list[str]) -> Callable[[str], object]:
    def extract_one(query: str) -> object:
        return process.extractOne(query, phrasings, scorer=fuzz.WRatio)

    return extract_one


def build_matcher(pack: KnowledgePack) -> tuple[Matcher, float, float]:
    """A matcher for the pack, with its build time (s) and peak traced memory (MiB)."""
    tracemalloc.start()
    start = time.perf_counter()
    matcher = Matcher(pack)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return matcher, elapsed, peak / 2**20


def run_benchmarks(
    base: KnowledgePack,
    *,
    sizes: Sequence[int],
    queries: int,
    echo: Callable[[str], None] = print,
    progress: Progress | None = None,
) -> None:
    """Print one table row per pack: faqbot matcher vs the plain extractOne baseline, with the
    progress of building, indexing and timing each pack reported to `progress`."""
    progress = progress or Silent()
    echo(
        f"{'pack':<16} {'entries':>8} {'phrasings':>9} {'build s':>8} {'peak MiB':>9} "
        f"{'p50 ms':>8} {'p99 ms':>8} {'ask p50':>8} {'ask p99':>8} {'base p50':>9} "
        f"{'base p99':>9}"
    )
    for size in [None, *sizes]:
        if size is None:
            pack = base
        else:
            with progress.task(f"building a {size:,}-entry pack", size) as advance:
                pack = synthetic_pack(base, size, advance=advance)
        with progress.task(f"indexing {pack.slug}"):
            matcher, build_seconds, peak = build_matcher(pack)
        phrasings = phrasings_of(pack.entries)
        questions = sample_queries(pack, queries)
        with progress.task(f"timing {pack.slug}", 2 * len(questions)) as advance:
            ours = time_calls(matcher.match, questions, advance)
        with progress.task(f"timing whole answers on {pack.slug}", 2 * len(questions)) as advance:
            whole = time_calls(FaqService(pack).ask, questions, advance)
        baseline_questions = questions[: max(20, queries // max(1, len(phrasings) // 20000))]
        with progress.task(f"timing the baseline on {pack.slug}", 2 * len(baseline_questions)) as (
            advance
        ):
            baseline = time_calls(_baseline(phrasings), baseline_questions, advance)
        echo(
            f"{pack.slug:<16} {len(pack.entries):>8} {len(phrasings):>9} {build_seconds:>8.2f} "
            f"{peak:>9.1f} {ours.p50:>8.3f} {ours.p99:>8.3f} {whole.p50:>8.3f} "
            f"{whole.p99:>8.3f} {baseline.p50:>9.3f} {baseline.p99:>9.3f}"
        )
    echo(
        "p50/p99: per-question matching latency; ask: the whole answer (attribution checks, "
        "reasons, the Answer) through FaqService.ask; base: rapidfuzz.process.extractOne(query, "
        "phrasings, scorer=WRatio) on the same pack; peak: Python heap traced while building."
    )
