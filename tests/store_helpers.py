"""Helpers for the store tests: opening either store, waiting on a condition, a settable clock."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from pathlib import Path

from bot.journal.store import Store, is_postgres


class Clock:
    """A settable Unix-time clock."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def open_test_store(target: str, clock: Callable[[], float] = time.time) -> Store:
    """The store a target names, writing with a short flush interval."""
    if is_postgres(target):
        from bot.journal.postgres import PostgresStore

        return PostgresStore(target, clock=clock, flush_interval=0.01, pool_size=4)
    from bot.journal.sqlite_store import SqliteStore

    return SqliteStore(Path(target), clock=clock, flush_interval=0.01)


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
