"""Real processes: concurrent writers lose nothing; a killed writer keeps what it committed."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.journal.sqlite_journal import read_questions
from bot.journal.state import open_db

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from bot.journal.sqlite_journal import SqliteJournal
    from bot.model import Answer, AnswerKind, Origin

    path, name, n, mode = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
    journal = SqliteJournal(path, flush_interval=0.01)
    print("open", flush=True)
    sys.stdin.readline()  # start together
    for i in range(n):
        answer = Answer(question=f"{name} {i}", kind=AnswerKind.NOT_COVERED, text="-")
        journal.record_answer(answer, Origin("test", "group", user_id=name))
        journal.record_feedback(Origin("test", "group", user_id=f"{name}{i}"), "summary", 1)
        if i % 25 == 0:
            time.sleep(0.002)
    if mode == "close":
        journal.close()
    else:
        time.sleep(1.2)  # longer than any flush interval, then wait to be killed
        print("recorded", flush=True)
        time.sleep(60)
    """
)


def _start(db: Path, name: str, n: int, mode: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), name, str(n), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "open"
    return process


def test_two_writer_processes_lose_nothing(tmp_path: Path) -> None:
    db, n = tmp_path / "shared.sqlite3", 600
    writers = [_start(db, name, n, "close") for name in ("alpha", "beta")]
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    for writer in writers:
        assert writer.wait(timeout=30) == 0

    conn = open_db(db)
    questions = [q.question for q in read_questions(conn)]
    votes = conn.execute("SELECT COUNT(*) FROM votes").fetchone()[0]
    conn.close()
    assert len(questions) == 2 * n
    assert set(questions) == {f"{name} {i}" for name in ("alpha", "beta") for i in range(n)}
    assert votes == 2 * n


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_writer_keeps_what_it_committed(tmp_path: Path) -> None:
    db, n = tmp_path / "killed.sqlite3", 50
    writer = _start(db, "victim", n, "kill")
    assert writer.stdin is not None and writer.stdout is not None
    writer.stdin.write("go\n")
    writer.stdin.flush()
    assert writer.stdout.readline().strip() == "recorded"
    writer.send_signal(signal.SIGKILL)
    assert writer.wait(timeout=10) == -signal.SIGKILL

    conn = open_db(db)
    assert len(read_questions(conn)) == n
    conn.close()
