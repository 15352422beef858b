"""The curator's commands: `faqbot report`, `faqbot suggest`, `faqbot purge`.

They read the journal database (``--db``, else FAQBOT_DB, else the per-user default) and never
touch the knowledge pack: the pack is only read, for entry titles and existing phrasings.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

import yaml

from bot.curation.insights import (
    NEAR_THRESHOLD,
    TOP,
    Report,
    build_report,
    build_suggestions,
    votes_on,
)
from bot.journal.records import PurgeResult, QuestionRecord, VoteRecord
from bot.journal.sqlite_journal import purge, read_questions, read_votes
from bot.journal.state import SchemaError, open_db, parse_duration
from bot.journal.store import is_postgres, safe_location
from bot.model import KnowledgePack
from bot.settings import Settings

EXIT_ERROR = 1
EXIT_USAGE = 2
NO_PACK = "(no pack recorded)"
"""How the report names questions journalled without a pack: before the journal recorded
packs (schema version 4), or replies no single pack gave ("which article?", none covers it)."""

SUGGEST_HEADER = """\
# faqbot suggestions, generated {now} from {db}
# covering questions asked {window}.
#
# NOTHING IN THIS FILE HAS BEEN APPLIED. It is for a curator to review; the bot never reads it.
#
# new_phrasings: readers' questions that were answered by `entry_id` but only weakly (score
#   below {below}) or that the asker confirmed with 👍. Copy those that mean exactly the same as
#   the entry into its `questions:` list in the pack's faq.yaml; ignore the rest.
# candidate_entries: questions the bot could not answer, similar ones grouped, most asked first.
#   Add an entry only if the article itself answers it (answer and verbatim quotes from
#   article.txt). Otherwise leave it: saying the article does not cover it is the right answer.
#
# Then run `faqbot validate` and reload the running bot: `kill -HUP <pid>` or /reload.
"""


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register report, suggest and purge; each sets `handler` to a function returning the exit
    code from the parsed arguments and the process's Settings (database, pack)."""
    report = subparsers.add_parser("report", help="what readers asked: answer rate, gaps, votes")
    report.add_argument(
        "--since",
        type=_since,
        default=timedelta(days=7),
        metavar="AGE",
        help="only questions newer than AGE, e.g. 12h, 7d, 4w, or 'all' (default: 7d)",
    )
    report.add_argument("--json", action="store_true", help="print one JSON object")
    report.add_argument(
        "--html",
        metavar="FILE",
        help="write the report as one self-contained page with charts (opens offline)",
    )
    report.add_argument(
        "--top", type=_positive, default=TOP, metavar="N", help=f"list length (default {TOP})"
    )
    _add_pack_option(report)
    report.set_defaults(handler=run_report)

    suggest = subparsers.add_parser(
        "suggest", help="propose new phrasings and entries as YAML for review (never applied)"
    )
    suggest.add_argument(
        "--since",
        type=_since,
        default=timedelta(days=30),
        metavar="AGE",
        help="only questions newer than AGE, or 'all' (default: 30d)",
    )
    suggest.add_argument("--output", "-o", metavar="FILE", help="write here (default: stdout)")
    suggest.add_argument(
        "--score-below",
        type=float,
        default=NEAR_THRESHOLD,
        metavar="S",
        help=f"answers scoring below S count as weak matches (default {NEAR_THRESHOLD})",
    )
    suggest.add_argument(
        "--min-count",
        type=_positive,
        default=1,
        metavar="N",
        help="only unanswered clusters asked at least N times (default 1)",
    )
    _add_pack_option(suggest)
    suggest.set_defaults(handler=run_suggest)

    purge_cmd = subparsers.add_parser("purge", help="delete journal rows older than an age")
    purge_cmd.add_argument(
        "--older-than",
        type=_age,
        required=True,
        metavar="AGE",
        help="delete questions and votes older than AGE, e.g. 90d",
    )
    purge_cmd.set_defaults(handler=run_purge)


def run_report(args: argparse.Namespace, settings: Settings) -> int:
    """`faqbot report`: print the report as text, or one JSON object with --json."""
    since = _cutoff(args.since)

    def body(conn: JournalReader) -> int:
        pack = _load_pack(args, settings)
        questions, votes = _read(conn, since, args, pack)
        report = build_report(questions, votes, top=args.top)
        if args.html:
            return _write_page(
                args, settings, Path(args.html), report, questions, votes, since, pack
            )
        if args.json:
            print(json.dumps(report.to_json(), ensure_ascii=False))
        else:
            window = _window(args.since, since)
            print(format_report(report, _titles(pack), window=window, pack=_slug(args)))
        return 0

    return _with_db(settings, body)


def run_suggest(args: argparse.Namespace, settings: Settings) -> int:
    """`faqbot suggest`: write the suggestions YAML to --output or stdout."""
    since = _cutoff(args.since)
    pack_dir = _pack_dir(settings)
    output = Path(args.output) if args.output else None
    if output is not None and output.resolve().is_relative_to(pack_dir.resolve()):
        print(f"faqbot: refusing to write inside the knowledge pack ({pack_dir})", file=sys.stderr)
        return EXIT_USAGE

    def body(conn: JournalReader) -> int:
        pack = _load_pack(args, settings)
        questions, votes = _read(conn, since, args, pack)
        suggestions = build_suggestions(
            questions,
            votes,
            known_phrasings={e.id: e.questions for e in pack.entries} if pack else None,
            titles=_titles(pack),
            score_below=args.score_below,
            min_count=args.min_count,
        )
        header = SUGGEST_HEADER.format(
            now=_utc(time.time()),
            db=_db(settings),
            window=_window(args.since, since),
            below=args.score_below,
        )
        data = yaml.safe_dump(suggestions.to_data(), sort_keys=False, allow_unicode=True, width=100)
        text = header + data
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
            phrasings = sum(len(q) for _, q in suggestions.new_phrasings)
            print(
                f"Wrote {output}: {phrasings} new phrasing(s), "
                f"{len(suggestions.candidate_entries)} candidate entry(ies). Review it by hand."
            )
        return 0

    return _with_db(settings, body)


def run_purge(args: argparse.Namespace, settings: Settings) -> int:
    """`faqbot purge --older-than AGE`: delete old questions and votes, and the conversations
    of readers quiet since then; print how many."""
    before = time.time() - args.older_than.total_seconds()

    def body(conn: JournalReader) -> int:
        result = conn.purge(before)
        print(
            f"Deleted {result.questions} question(s), {result.votes} vote(s) and "
            f"{result.conversations} conversation(s) older than {_utc(before)} "
            f"from {_db(settings)}."
        )
        return 0

    return _with_db(settings, body)


def _write_page(
    args: argparse.Namespace,
    settings: Settings,
    output: Path,
    report: Report,
    questions: Sequence[QuestionRecord],
    votes: Sequence[VoteRecord],
    since: float | None,
    pack: KnowledgePack | None,
) -> int:
    """Write the HTML report page; one line on stdout says where."""
    from bot.curation.report_page import PageData, render_page
    from bot.curation.trends import outcomes, timeline

    now = time.time()
    start = since if since is not None else min((q.asked_at for q in questions), default=now)
    suggestions = build_suggestions(
        questions,
        votes,
        known_phrasings={e.id: e.questions for e in pack.entries} if pack else None,
        titles=_titles(pack),
    )
    page = render_page(
        PageData(
            title=f"faqbot report: {pack.source.title}" if pack else "faqbot report",
            window=_window(args.since, since),
            generated=_utc(now),
            report=report,
            buckets=timeline(questions, start=start, end=now),
            outcomes=outcomes(questions),
            suggestions=suggestions,
            titles=_titles(pack),
        )
    )
    try:
        output.write_text(page, encoding="utf-8")
    except OSError as exc:
        print(f"faqbot: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    print(f"Wrote {output}: {report.questions} question(s); open it in a browser.")
    return 0


def format_report(
    report: Report, titles: Mapping[str, str], *, window: str, pack: str | None = None
) -> str:
    """The report as plain text for a terminal; `pack`: the slug it was restricted to."""
    of_pack = f" of pack {pack}" if pack else ""
    lines = [f"Questions{of_pack} asked {window}: {report.questions}"]
    if report.questions:
        lines[0] += f", answered {report.answered} ({report.answer_rate:.0%})"
    if report.small_talk:
        lines.append(f"(plus {report.small_talk} greeting/help/empty message(s), not counted)")
    if sum(p.pack is not None for p in report.by_pack) > 1:
        lines += ["", "Per pack (questions, answered):"]
        lines += [
            f"  {p.questions:>5}  {p.answered:>5}  {p.pack or NO_PACK}" for p in report.by_pack
        ]
    lines += ["", "Unanswered, by the rule that refused them:"]
    lines += [f"  {n:>5}  {rule}" for rule, n in report.unanswered_by_rule] or ["  (none)"]
    lines += ["", "Top unanswered questions (similar ones grouped):"]
    lines += [f"  {c.count:>5}  {c.question}" for c in report.unanswered] or ["  (none)"]
    lines += ["", "Entries with the most 👎 (👎 / 👍):"]
    disliked = [f for f in report.feedback if f.down]
    lines += [
        f"  {f.down:>5} / {f.up:<5} {f.entry_id}{_title(titles, f.entry_id)}" for f in disliked
    ] or ["  (none)"]
    lines += ["", "Most asked entries:"]
    lines += [
        f"  {count:>5}  {entry_id}{_title(titles, entry_id)}"
        for entry_id, count in report.top_entries
    ] or ["  (none)"]
    return "\n".join(lines)


# --- helpers ---------------------------------------------------------------------------------


class JournalReader(Protocol):
    """What the curator's commands read and delete, in either store."""

    def read_questions(
        self, since: float | None = None, *, pack: str | None = None
    ) -> list[QuestionRecord]:
        """Questions asked at or after `since` (None: all), oldest first; `pack`: only the
        pack of that slug's."""

    def read_votes(self, since: float | None = None) -> list[VoteRecord]:
        """Votes cast at or after `since` (None: all), oldest first."""

    def purge(self, before: float) -> PurgeResult:
        """Delete questions and votes older than `before`, and conversations quiet since."""


class _SqliteReader:
    """A JournalReader over an open SQLite connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def read_questions(
        self, since: float | None = None, *, pack: str | None = None
    ) -> list[QuestionRecord]:
        return read_questions(self._conn, since, pack=pack)

    def read_votes(self, since: float | None = None) -> list[VoteRecord]:
        return read_votes(self._conn, since)

    def purge(self, before: float) -> PurgeResult:
        return purge(self._conn, before)


def _with_db(settings: Settings, body: Callable[[JournalReader], int]) -> int:
    """Open the journal (never creating a SQLite one), run body, report database errors as one
    line."""
    target = settings.db
    if is_postgres(target):
        return _with_postgres(target, body, pool_size=settings.pool_size)
    path = Path(target)
    try:
        conn = open_db(path, create=False)
    except FileNotFoundError:
        print(f"faqbot: no journal at {path} (nothing recorded yet?)", file=sys.stderr)
        return EXIT_ERROR
    except (SchemaError, sqlite3.Error) as exc:
        print(f"faqbot: cannot open {path}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    try:
        return body(_SqliteReader(conn))
    except sqlite3.Error as exc:
        print(f"faqbot: {path}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        conn.close()


def _with_postgres(url: str, body: Callable[[JournalReader], int], *, pool_size: int) -> int:
    try:
        import psycopg

        from bot.journal.postgres import PostgresStore
    except ImportError:
        print("faqbot: PostgreSQL needs psycopg: pip install 'faqbot[postgres]'", file=sys.stderr)
        return EXIT_ERROR
    try:
        store = PostgresStore(url, pool_size=pool_size)
    except psycopg.Error as exc:
        print(f"faqbot: cannot open {safe_location(url)}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    try:
        return body(store)
    except psycopg.Error as exc:
        print(f"faqbot: {safe_location(url)}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        store.close()


def _db(settings: Settings) -> str:
    target = settings.db
    return safe_location(target) if is_postgres(target) else target


def _pack_dir(settings: Settings) -> Path:
    from bot.bootstrap import knowledge_path

    return knowledge_path(settings)


def _add_pack_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pack",
        metavar="SLUG",
        help="only the questions that pack answered or refused (its folder name); votes on "
        "its entries",
    )


def _slug(args: argparse.Namespace) -> str | None:
    slug = getattr(args, "pack", None)
    return str(slug) if slug else None


def _read(
    conn: JournalReader, since: float | None, args: argparse.Namespace, pack: KnowledgePack | None
) -> tuple[list[QuestionRecord], list[VoteRecord]]:
    """The questions and votes a command works on: all, or with --pack one pack's. Votes name
    an entry, not a pack: with --pack they are the votes on the pack's entries (those of the
    loaded pack, and any its journalled questions name)."""
    slug = _slug(args)
    questions, votes = conn.read_questions(since, pack=slug), conn.read_votes(since)
    if slug is None:
        return questions, votes
    entries = {q.entry_id for q in questions if q.entry_id}
    if pack is not None and pack.slug == slug:
        entries |= {e.id for e in pack.entries}
    return questions, votes_on(votes, entries)


def _load_pack(args: argparse.Namespace, settings: Settings) -> KnowledgePack | None:
    """The pack, for titles and existing phrasings; None (with a note) if it cannot be loaded.
    With --pack SLUG: the pack of that folder name, among the packs --knowledge names."""
    from bot.knowledge.pack import KnowledgeError, load_pack

    slug = _slug(args)
    path = _pack_dir(settings) if slug is None else _slug_dir(settings, slug)
    if path is None:
        print(f"faqbot: note: no pack {slug} found; no titles", file=sys.stderr)
        return None
    try:
        return load_pack(path)
    except (KnowledgeError, OSError) as exc:
        print(f"faqbot: note: pack {path} not loaded ({exc}); no titles", file=sys.stderr)
        return None


def _slug_dir(settings: Settings, slug: str) -> Path | None:
    """The folder of the pack `slug` among the packs of --knowledge (a pack, or a folder of
    packs; default: the shipped ones)."""
    from bot.bootstrap import library_path
    from bot.knowledge.source import pack_paths

    try:
        paths = pack_paths(library_path(settings))
    except OSError:
        return None
    return next((p for p in paths if p.name == slug), None)


def _titles(pack: KnowledgePack | None) -> dict[str, str]:
    return {e.id: e.title for e in pack.entries} if pack else {}


def _title(titles: Mapping[str, str], entry_id: str) -> str:
    return f"  “{titles[entry_id]}”" if entry_id in titles else ""


def _cutoff(age: timedelta | None) -> float | None:
    return None if age is None else time.time() - age.total_seconds()


def _window(age: timedelta | None, since: float | None) -> str:
    if since is None or age is None:
        return "since the journal began"
    return f"since {_utc(since)} (last {_short(age)})"


def _short(age: timedelta) -> str:
    """7d, 12h, 30m or 45s: the largest unit that divides the age exactly."""
    seconds = int(age.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _utc(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _age(text: str) -> timedelta:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _since(text: str) -> timedelta | None:
    return None if text.strip().lower() == "all" else _age(text)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text}")
    return value
