"""Progress of long work on stderr: a bar redrawn in place on a terminal, plain lines when piped."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

BAR_WIDTH = 30
REDRAW_EVERY = 0.1
# When piped, one line at each of these fractions of the work.
LINE_MARKS = (0.25, 0.5, 0.75)


class Progress:
    """Reports tasks to a stream; `tty` (default: the stream's isatty()) picks the style."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        tty: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._tty = self._stream.isatty() if tty is None else tty
        self._clock = clock

    @contextmanager
    def task(self, label: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
        """Report one task; the body calls the yielded function with the units done so far.
        Without a total the task is reported as started and finished."""
        started = self._clock()
        state = _TaskState(label, total, started)
        self._emit_start(state)
        yield lambda done: self._advance(state, done)
        self._emit_end(state, self._clock() - started)

    def _advance(self, state: _TaskState, done: int) -> None:
        state.done = done
        if not state.total:
            return
        if self._tty:
            now = self._clock()
            if now - state.drawn_at >= REDRAW_EVERY or done >= state.total:
                state.drawn_at = now
                self._write("\r" + _bar(state.label, done, state.total))
            return
        passed = [mark for mark in state.marks if done >= mark * state.total]
        if passed and done < state.total:
            state.marks = state.marks[len(passed) :]
            self._write(f"{state.label}: {done:,}/{state.total:,}\n")

    def _emit_start(self, state: _TaskState) -> None:
        if self._tty:
            text = _bar(state.label, 0, state.total) if state.total else f"{state.label} …"
            self._write("\r" + text)
        else:
            size = f" ({state.total:,})" if state.total else ""
            self._write(f"{state.label}{size} …\n")

    def _emit_end(self, state: _TaskState, seconds: float) -> None:
        line = f"{state.label}: done in {seconds:.1f} s"
        if self._tty:
            self._write("\r" + line.ljust(len(state.label) + BAR_WIDTH + 24) + "\n")
        else:
            self._write(line + "\n")

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()


class _TaskState:
    def __init__(self, label: str, total: int | None, started: float) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.drawn_at = started
        self.marks = list(LINE_MARKS)


def _bar(label: str, done: int, total: int) -> str:
    filled = BAR_WIDTH * done // total if total else 0
    return f"{label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:,}/{total:,}"


class Silent(Progress):
    """Reports nothing (library use, tests of other things)."""

    @contextmanager
    def task(self, label: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
        """A task that reports nothing."""
        yield lambda done: None
