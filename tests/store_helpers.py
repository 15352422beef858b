"""Helpers for the store tests: opening either store, waiting on a condition, a settable clock."""

from __future__ import annotations

import socket
import sqlite3
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.journal.store import Store, is_postgres


class Clock:
    """A settable Unix-time clock."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def open_test_store(
    target: str, clock: Callable[[], float] = time.time, *, retention: timedelta | None = None
) -> Store:
    """The store a target names, writing with a short flush interval."""
    if is_postgres(target):
        from bot.journal.postgres import PostgresStore

        return PostgresStore(
            target, clock=clock, flush_interval=0.01, pool_size=4, retention=retention
        )
    from bot.journal.sqlite_store import SqliteStore

    return SqliteStore(Path(target), clock=clock, flush_interval=0.01, retention=retention)


def table_rows(target: str, table: str) -> list[dict[str, Any]]:
    """Every row of a table of the store at `target`, read with a connection of its own."""
    if is_postgres(target):
        import psycopg
        from psycopg.rows import dict_row

        with psycopg.connect(target, autocommit=True, row_factory=dict_row) as conn:
            return list(conn.execute(f"SELECT * FROM {table}").fetchall())
    conn = sqlite3.connect(target)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(f"SELECT * FROM {table}")]
    finally:
        conn.close()


def execute(target: str, statement: str) -> None:
    """Run one statement on the store at `target` behind its back (committed at once)."""
    if is_postgres(target):
        import psycopg

        with psycopg.connect(target, autocommit=True) as conn:
            conn.execute(statement)
        return
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        conn.execute(statement)
    finally:
        conn.close()


def wait_until(condition: Callable[[], bool], timeout: float = 10.0, what: str = "") -> None:
    """Poll `condition` until it holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or condition}")
        time.sleep(0.02)


def closed_port() -> int:
    """A port that was free a moment ago (connections to it are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
