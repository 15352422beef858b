"""Keep the bot token out of every log line, whichever logger or handler emits it."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

MASK = "[REDACTED]"


class TokenFilter(logging.Filter):
    """Rewrites a record so that its message, traceback and stack never show the secret."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self._secrets = tuple(sorted({secret, secret.strip()} - {""}, key=len, reverse=True))

    def scrub(self, text: str) -> str:
        """The text with every occurrence of the secret masked."""
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Scrub the record in place; never drops it."""
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: logging reports it when the record is emitted
            message = str(record.msg)
        if self._leaks(message):
            record.msg, record.args = self.scrub(message), None
        if record.exc_info and record.exc_info[0] is not None:
            text = record.exc_text or "".join(traceback.format_exception(*record.exc_info))
            if self._leaks(text):
                # Formatters re-render exc_info themselves; keep only the scrubbed text.
                record.exc_info, record.exc_text = None, self.scrub(text)
        if record.stack_info and self._leaks(record.stack_info):
            record.stack_info = self.scrub(record.stack_info)
        return True

    def _leaks(self, text: str) -> bool:
        return any(secret in text for secret in self._secrets)


@contextmanager
def redacted(secret: str) -> Iterator[TokenFilter]:
    """Scrub the secret from every log record created inside the block.

    A filter on a logger misses records propagated from its children, and one on a handler misses
    handlers added later (pytest's caplog, the CLI's), so the filter runs in the record factory.
    """
    token_filter = TokenFilter(secret)
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        token_filter.filter(record)
        return record

    logging.setLogRecordFactory(factory)
    try:
        yield token_filter
    finally:
        if logging.getLogRecordFactory() is factory:
            logging.setLogRecordFactory(previous)
