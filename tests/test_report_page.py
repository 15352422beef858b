"""`faqbot report --html`: one offline page, checked as a real headless Chromium renders it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from journal_helpers import DAY, NOW, Clock, answered, origin, seed
from png import pixels

from bot.curation.trends import DAY as TREND_DAY
from bot.curation.trends import HOUR, outcomes, timeline
from bot.journal.records import QuestionRecord
from bot.journal.sqlite_journal import SqliteJournal
from bot.model import Answer, AnswerKind

REPO = Path(__file__).resolve().parent.parent
GREEN, ORANGE, BLUE = (0x2B, 0x7A, 0x3D), (0xC4, 0x57, 0x2F), (0x3B, 0x6E, 0xA8)
REQUIRE_BROWSER = os.environ.get("FAQBOT_REQUIRE_BROWSER") == "1"


def _record(at: float, kind: AnswerKind, entry: str | None = None) -> QuestionRecord:
    return QuestionRecord(
        at, "telegram", "group", "u", "q", kind.value, entry, None, 0.5, kind is AnswerKind.ANSWER
    )


def test_timeline_counts_each_day_including_empty_ones() -> None:
    start = 1_700_000_000 - 1_700_000_000 % TREND_DAY
    records = [
        _record(start + 10, AnswerKind.ANSWER, "a"),
        _record(start + 20, AnswerKind.NOT_COVERED),
        _record(start + 2 * TREND_DAY + 5, AnswerKind.ANSWER, "a"),
        _record(start + 2 * TREND_DAY + 6, AnswerKind.GREETING),
    ]
    buckets = timeline(records, start=start, end=start + 3 * TREND_DAY - 1)
    assert [(b.asked, b.answered) for b in buckets] == [(2, 1), (0, 0), (1, 1)]
    assert [b.answer_rate for b in buckets] == [0.5, None, 1.0]


def test_timeline_of_a_short_window_is_hourly() -> None:
    start = 1_700_000_000 - 1_700_000_000 % HOUR
    buckets = timeline(
        [_record(start + 30, AnswerKind.ANSWER, "a")], start=start, end=start + 5 * HOUR
    )
    assert len(buckets) == 6 and buckets[0].seconds == HOUR and buckets[0].asked == 1


def test_outcomes_name_every_refusal_reason_the_journal_has() -> None:
    records = [
        _record(1, AnswerKind.ANSWER, "a"),
        _record(2, AnswerKind.NOT_COVERED),
        _record(3, AnswerKind.NOT_COVERED),
        _record(4, AnswerKind.UNREADABLE),
        _record(5, AnswerKind.HELP),
    ]
    assert outcomes(records) == [
        ("answered", 1),
        ("not covered by the article", 2),
        ("written in a script the bot cannot read", 1),
    ]


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _browser(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    chromium = _chromium()
    if chromium is None:
        if REQUIRE_BROWSER:
            pytest.fail("FAQBOT_REQUIRE_BROWSER=1 but chromium is not installed")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


class _Dom(HTMLParser):
    """Elements (tag, classes) and visible text of a dumped DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, set[str]]] = []
        self.text: list[str] = []
        self.headings: list[str] = []
        self.urls: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.elements.append((tag, set((values.get("class") or "").split())))
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]
        self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if "style" in self._stack or "title" in self._stack:  # not drawn: tooltips, head
            return
        self.text.append(data)
        if self._stack and self._stack[-1] == "h2":
            self.headings.append(data.strip())

    def count(self, tag: str, css: str) -> int:
        return sum(1 for t, classes in self.elements if t == tag and (not css or css in classes))


@pytest.fixture
def page(tmp_path: Path) -> Path:
    db = tmp_path / "journal.sqlite3"
    seed(db)
    journal = SqliteJournal(db, clock=Clock(NOW - 3 * DAY), flush_interval=0.01)
    journal.record_answer(answered("Who is Imran Khan?", "who-is-imran-khan"), origin("k"))
    journal.record_answer(Answer("عمران خان کون ہے؟", AnswerKind.UNREADABLE, "…"), origin("k"))
    journal.close()
    output = tmp_path / "report.html"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli.main",
            "report",
            "--db",
            str(db),
            "--since",
            "14d",
            "--html",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Wrote {output}: 13 question(s); open it in a browser."
    return output


def test_the_page_needs_no_network(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert not re.search(r"""(?:src|href)\s*=|url\(|@import|https?://""", html, re.IGNORECASE)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_chromium_renders_every_section_with_its_charts(page: Path, tmp_path: Path) -> None:
    dom = _Dom()
    dom.feed(_browser("--dump-dom", page.as_uri(), profile=tmp_path / "profile").stdout)
    assert dom.headings == [
        "Questions and answer rate over time",
        "What happened to the questions",
        "Most asked entries",
        "Entries voted down most (👎)",
        "Top unanswered questions (similar ones grouped)",
        "Suggested phrasings for existing entries",
        "Candidate new entries",
    ]
    assert dom.count("svg", "") >= 4 and not dom.urls
    # Daily columns: questions on three days, answers on two of them.
    assert dom.count("rect", "answered") == 2 + 1  # two days' columns and the outcome bar
    assert dom.count("rect", "refused") == 3 + 2  # three days' columns; two refusal reasons
    assert dom.count("polyline", "rate") == 1 and dom.count("circle", "rate") == 3
    text = " ".join(" ".join(dom.text).split())
    assert "13 questions 7 answered 54% answer rate" in text
    assert "not covered by the article 5" in text
    assert "written in a script the bot cannot read 1" in text
    assert "Why are leaders leaving the PTI? 4" in text  # most asked, by its title
    assert "2 down · 1 up" in text
    assert "3 What about Imran Khan's health?" in text
    assert "article in short pls" in text and "Why did leaders quit PTI?" in text


def test_chromium_draws_the_charts_in_their_colours(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "page.png"
    _browser(
        "--window-size=800,1400",
        "--hide-scrollbars",
        f"--screenshot={shot}",
        page.as_uri(),
        profile=tmp_path / "profile",
    )
    width, height, colours = pixels(shot)
    assert (width, height) == (800, 1400)
    for colour in (GREEN, ORANGE, BLUE):
        assert colours[colour] > 2000, colour
