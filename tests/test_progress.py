"""Long work shows progress: a bar on a terminal, plain lines when piped."""

from __future__ import annotations

import io

from bot.cli.bench import run_benchmarks
from bot.cli.progress import Progress
from bot.model import KnowledgePack


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_piped_progress_is_plain_lines_at_quarters() -> None:
    out, clock = io.StringIO(), Clock()
    progress = Progress(out, clock=clock)  # a StringIO is not a terminal
    with progress.task("indexing", 100) as advance:
        for done in range(1, 101):
            clock.now += 0.05
            advance(done)
    assert "\r" not in out.getvalue()
    assert out.getvalue().splitlines() == [
        "indexing (100) …",
        "indexing: 25/100",
        "indexing: 50/100",
        "indexing: 75/100",
        "indexing: done in 5.0 s",
    ]


def test_a_jump_past_several_marks_is_one_line() -> None:
    out = io.StringIO()
    with Progress(out, clock=Clock()).task("building", 10) as advance:
        advance(9)
        advance(10)
    assert out.getvalue().splitlines() == [
        "building (10) …",
        "building: 9/10",
        "building: done in 0.0 s",
    ]


def test_terminal_progress_redraws_one_bar_in_place_at_most_ten_times_a_second() -> None:
    out, clock = io.StringIO(), Clock()
    with Progress(out, tty=True, clock=clock).task("timing", 1000) as advance:
        for done in range(1, 1001):
            clock.now += 0.001  # 1 s in all
            advance(done)
    text = out.getvalue()
    assert text.endswith("\n") and text.count("\n") == 1
    frames = text.split("\r")[1:]
    assert frames[0].startswith("timing [......")
    assert "timing [##############################] 1,000/1,000" in frames[-2]
    assert frames[-1].startswith("timing: done in 1.0 s")
    assert 10 <= len(frames) <= 14


def test_bench_reports_each_phase_and_keeps_the_table_on_stdout(pack: KnowledgePack) -> None:
    rows: list[str] = []
    out = io.StringIO()
    run_benchmarks(pack, sizes=[80], queries=10, echo=rows.append, progress=Progress(out))
    lines = out.getvalue().splitlines()
    for label in ("indexing pti-exodus", "building a 80-entry pack", "timing synthetic-80"):
        assert any(line.startswith(f"{label}: done in") for line in lines), label
    assert [row.split()[0] for row in rows[1:3]] == [pack.slug, "synthetic-80"]
    assert not any("done in" in row for row in rows)
