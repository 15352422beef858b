"""`faqbot report`, `suggest` and `purge` on a seeded journal; clustering."""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from journal_helpers import Clock, answered, origin, seed, unanswered

from bot.answering.service import FaqService
from bot.bootstrap import load_settings
from bot.curation.commands import add_commands
from bot.curation.insights import build_suggestions, cluster_questions, similarity
from bot.journal.sqlite_journal import SqliteJournal, read_questions
from bot.knowledge.pack import load_pack

PACK = Path(__file__).resolve().parent.parent / "knowledge" / "pti-exodus"


def run(*argv: str) -> int:
    """Parse like the real CLI (global --db/--knowledge, then a command) and run the handler."""
    parser = argparse.ArgumentParser(prog="faqbot")
    parser.add_argument("--db")
    parser.add_argument("--knowledge")
    add_commands(parser.add_subparsers())
    args = parser.parse_args(argv)
    return int(args.handler(args, load_settings(args)))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "journal.sqlite3"
    seed(path)
    return path


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    copy = tmp_path / "pack"
    shutil.copytree(PACK, copy)
    return copy


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def report_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert run(*argv, "--json") == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


# --- report ----------------------------------------------------------------------------------


def test_report_json_shape_and_numbers(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = report_json(capsys, "--db", str(db), "report")
    assert data == {
        "questions": 10,
        "answered": 6,
        "unanswered": [
            {"question": "What about Imran Khan's health?", "count": 3},
            {"question": "Is the weather nice in Lahore?", "count": 1},
        ],
        "feedback": [
            {"entry_id": "why-leaders-left", "up": 1, "down": 2},
            {"entry_id": "summary", "up": 1, "down": 0},
        ],
        "top_entries": [
            {"entry_id": "why-leaders-left", "count": 4},
            {"entry_id": "summary", "count": 2},
        ],
        "unanswered_by_rule": [
            {"rule": "refused topic", "count": 3},
            {"rule": "low score", "count": 1},
        ],
        "by_pack": [{"pack": None, "questions": 10, "answered": 6}],
    }


def test_report_since_all_includes_old_rows(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = report_json(capsys, "--db", str(db), "report", "--since", "all", "--top", "5")
    assert data["questions"] == 11
    unanswered = data["unanswered"]
    assert isinstance(unanswered, list)
    assert {"question": "An old question nobody asks now?", "count": 1} in unanswered


def test_report_since_short_window_is_empty(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = report_json(capsys, "--db", str(db), "report", "--since", "30m")
    assert data == {
        "questions": 0,
        "answered": 0,
        "unanswered": [],
        "feedback": [],
        "top_entries": [],
        "unanswered_by_rule": [],
        "by_pack": [],
    }


def test_report_text(db: Path, pack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--db", str(db), "--knowledge", str(pack), "report") == 0
    out = capsys.readouterr().out
    assert "10, answered 6 (60%)" in out
    assert "(plus 2 greeting/help/empty message(s), not counted)" in out
    assert "3  What about Imran Khan's health?" in out
    assert "why-leaders-left  “Why are leaders leaving the PTI?”" in out


def test_report_without_a_journal_fails_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none" / "faqbot.sqlite3"
    assert run("--db", str(missing), "report") == 1
    assert "no journal" in capsys.readouterr().err
    assert not missing.parent.exists()


def test_report_refuses_a_bad_duration(db: Path) -> None:
    with pytest.raises(SystemExit):
        run("--db", str(db), "report", "--since", "a week")


# --- suggest ---------------------------------------------------------------------------------


def test_suggest_writes_reviewable_yaml_and_leaves_the_pack_alone(
    db: Path, pack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree_digest(pack)
    output = tmp_path / "suggestions.yaml"
    assert run("--db", str(db), "--knowledge", str(pack), "suggest", "-o", str(output)) == 0
    assert "Wrote" in capsys.readouterr().out
    assert tree_digest(pack) == before

    text = output.read_text(encoding="utf-8")
    assert text.startswith("# faqbot suggestions")
    assert "NOTHING IN THIS FILE HAS BEEN APPLIED" in text
    data = yaml.safe_load(text)
    assert data["new_phrasings"] == [
        {
            "entry_id": "summary",
            "title": "What is this article about?",
            "questions": ["article in short pls"],
        },
        {
            "entry_id": "why-leaders-left",
            "title": "Why are leaders leaving the PTI?",
            "questions": ["Why did leaders quit PTI?"],
        },
    ]
    assert data["candidate_entries"] == [
        {
            "count": 3,
            "examples": ["What about Imran Khan's health?", "what about imran khans health"],
        },
        {"count": 1, "examples": ["An old question nobody asks now?"]},
        {"count": 1, "examples": ["Is the weather nice in Lahore?"]},
    ]


def test_suggest_without_a_pack_to_stdout(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing_pack = tmp_path / "no-pack"
    args = ("--db", str(db), "--knowledge", str(missing_pack), "suggest", "--since", "all")
    assert run(*args, "--min-count", "2") == 0
    captured = capsys.readouterr()
    assert "not loaded" in captured.err
    data = yaml.safe_load(captured.out)
    # Without the pack, a phrasing the entry already has cannot be filtered out.
    assert data["new_phrasings"][0] == {
        "entry_id": "why-leaders-left",
        "questions": ["Why did leaders quit PTI?", "Why did PTI politicians resign?"],
    }
    assert [c["count"] for c in data["candidate_entries"]] == [3]


def test_suggest_refuses_to_write_into_the_pack(
    db: Path, pack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree_digest(pack)
    target = pack / "faq.yaml"
    assert run("--db", str(db), "--knowledge", str(pack), "suggest", "-o", str(target)) == 2
    assert "refusing" in capsys.readouterr().err
    assert tree_digest(pack) == before


# --- purge -----------------------------------------------------------------------------------


def test_purge_deletes_and_counts(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--db", str(db), "purge", "--older-than", "5d") == 0
    assert "Deleted 1 question(s), 0 vote(s) and 0 conversation(s)" in capsys.readouterr().out
    assert report_json(capsys, "--db", str(db), "report", "--since", "all")["questions"] == 10
    assert run("--db", str(db), "purge", "--older-than", "12h") == 0
    assert "Deleted 12 question(s), 4 vote(s) and 0 conversation(s)" in capsys.readouterr().out
    assert report_json(capsys, "--db", str(db), "report", "--since", "all")["questions"] == 0


def test_purge_needs_an_age(db: Path) -> None:
    with pytest.raises(SystemExit):
        run("--db", str(db), "purge")


# --- through the real CLI --------------------------------------------------------------------


def test_the_faqbot_command_has_the_curation_commands(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli.main import main

    monkeypatch.setenv("FAQBOT_DB", "unused")  # main() writes these; monkeypatch restores them
    monkeypatch.setenv("FAQBOT_KNOWLEDGE", str(PACK))
    assert main(["--db", str(db), "report", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["questions"] == 10


# --- clustering ------------------------------------------------------------------------------


def test_clusters_group_similar_questions_most_asked_first() -> None:
    clusters = cluster_questions(
        [
            "Who is Asma?",
            "who is asma faiz",
            "WHO IS ASMA??",
            "How many leaders left?",
            "how many leaders have left the pti",
            "why",
            "why did they leave pti",
            "   ",
        ]
    )
    assert [(c.count, c.question) for c in clusters] == [
        (3, "WHO IS ASMA??"),
        (2, "how many leaders have left the pti"),
        (1, "why"),
        (1, "why did they leave pti"),
    ]
    assert clusters[0].examples == ("WHO IS ASMA??", "who is asma faiz")


def test_similarity_is_order_and_case_free_but_not_fooled_by_one_word() -> None:
    assert similarity("left pti why", "why left pti") == 100
    assert similarity("why", "why did they leave pti") < 80


def test_a_suggestion_tapped_after_a_refusal_proposes_the_readers_wording(tmp_path: Path) -> None:
    """The reader asked in their own words, was refused, and tapped a suggestion: their words
    are proposed as a phrasing of the entry they chose. Another user's tap is not linked."""
    path = tmp_path / "journal.sqlite3"
    clock = Clock(1_000_000.0)
    journal = SqliteJournal(path, clock=clock)
    service = FaqService(load_pack(PACK), journal=journal)
    reader, other = origin("reader"), origin("other")
    refused = service.ask("are the big shots bailing because somebody leans on them", origin=reader)
    assert not refused.answered and refused.suggestions
    chosen = refused.suggestions[0].entry_id
    clock.now += 30
    service.answer_entry("summary", origin=other)
    clock.now += 30
    service.answer_entry(chosen, origin=reader)
    assert journal.flush()
    journal.close()
    conn = sqlite3.connect(path)
    proposals = dict(build_suggestions(read_questions(conn), []).new_phrasings)
    assert proposals.get(chosen) == ("are the big shots bailing because somebody leans on them",)
    assert "summary" not in proposals


# --- several packs in one journal ------------------------------------------------------------


@pytest.fixture
def two_packs(tmp_path: Path) -> tuple[Path, Path]:
    """A journal of questions two packs answered, one row without a pack (as from before packs
    were recorded), and the folder of those packs (`harbour` a copy of the second test article)."""
    library = tmp_path / "packs"
    shutil.copytree(PACK, library / "pti-exodus")
    shutil.copytree(PACK.parent.parent / "tests" / "packs" / "harbour-cable", library / "harbour")
    path = tmp_path / "journal.sqlite3"
    journal = SqliteJournal(path, clock=Clock(), flush_interval=0.01)
    pti = "pti-exodus"
    for user in ("a", "b"):
        journal.record_answer(
            replace(answered("Why did leaders quit?", "why-leaders-left"), pack=pti), origin(user)
        )
    journal.record_answer(replace(unanswered("Imran's salary?"), pack=pti), origin("c"))
    journal.record_answer(
        replace(answered("Where does the cable land?", "cable-route", 0.6), pack="harbour"),
        origin("d"),
    )
    journal.record_answer(replace(unanswered("Who owns the harbour?"), pack="harbour"), origin("d"))
    journal.record_answer(unanswered("A question from before packs?"), origin("e"))
    journal.record_feedback(origin("a"), "why-leaders-left", -1)
    journal.record_feedback(origin("d"), "cable-route", 1)
    journal.close()
    return path, library


def test_report_counts_per_pack_and_names_rows_without_one(
    two_packs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, library = two_packs
    data = report_json(capsys, "--db", str(db), "--knowledge", str(library), "report")
    assert data["by_pack"] == [
        {"pack": "pti-exodus", "questions": 3, "answered": 2},
        {"pack": "harbour", "questions": 2, "answered": 1},
        {"pack": None, "questions": 1, "answered": 0},
    ]
    assert run("--db", str(db), "--knowledge", str(library), "report") == 0
    out = capsys.readouterr().out
    per_pack = out.split("Per pack (questions, answered):\n", 1)[1].split("\n\n", 1)[0]
    assert per_pack.splitlines() == [
        "      3      2  pti-exodus",
        "      2      1  harbour",
        "      1      0  (no pack recorded)",
    ]


def test_a_journal_of_one_pack_shows_no_per_pack_counts(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("--db", str(db), "report") == 0
    assert "Per pack" not in capsys.readouterr().out


def test_report_of_one_pack_keeps_to_its_questions_and_votes(
    two_packs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, library = two_packs
    argv = ("--db", str(db), "--knowledge", str(library), "report", "--pack", "harbour")
    data = report_json(capsys, *argv)
    assert (data["questions"], data["answered"]) == (2, 1)
    assert data["top_entries"] == [{"entry_id": "cable-route", "count": 1}]
    assert data["unanswered"] == [{"question": "Who owns the harbour?", "count": 1}]
    assert data["feedback"] == [{"entry_id": "cable-route", "up": 1, "down": 0}]
    assert run(*argv) == 0
    assert capsys.readouterr().out.startswith("Questions of pack harbour asked since")


def test_suggest_of_one_pack_proposes_only_from_its_questions(
    two_packs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, library = two_packs
    argv = ("--db", str(db), "--knowledge", str(library), "suggest", "--since", "all")
    assert run(*argv, "--pack", "harbour") == 0
    data = yaml.safe_load(capsys.readouterr().out)
    assert [p["entry_id"] for p in data["new_phrasings"]] == ["cable-route"]
    assert [c["examples"] for c in data["candidate_entries"]] == [["Who owns the harbour?"]]
    assert run(*argv, "--pack", "pti-exodus") == 0
    data = yaml.safe_load(capsys.readouterr().out)
    assert [c["examples"] for c in data["candidate_entries"]] == [["Imran's salary?"]]


def test_questions_are_compared_in_the_form_the_matcher_reads_them() -> None:
    # A possessive, an @mention and accents do not make a different question.
    [cluster] = cluster_questions(
        ["What is Khan's view?", "@faqbot what is khan view", "What is Khán’s view"]
    )
    assert cluster.count == 3
    assert len(cluster.examples) == 1  # one form: its most asked phrasing stands for all three
