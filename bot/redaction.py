"""Keeping secrets (bot tokens, webhook secrets) out of every log line and error message."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

MASK = "[REDACTED]"
_MIN_SECRET_PART = 8


def secret_variants(secrets: Iterable[str]) -> tuple[str, ...]:
    """The secrets, stripped, plus the part after the colon of an "id:secret" token, longest
    first so that a longer secret is masked before any secret inside it."""
    found: set[str] = set()
    for secret in secrets:
        secret = secret.strip()
        if not secret:
            continue
        found.add(secret)
        _, _, tail = secret.partition(":")
        if len(tail) >= _MIN_SECRET_PART:
            found.add(tail)
    return tuple(sorted(found, key=len, reverse=True))


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret masked."""
    for secret in secret_variants(secrets):
        text = text.replace(secret, MASK)
    return text


class SecretFilter(logging.Filter):
    """Rewrites a record so that its message, traceback and stack never show a secret.

    Never drops a record.
    """

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = secret_variants(secrets)

    def scrub(self, text: str) -> str:
        """The text with every secret masked."""
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Scrub the record in place."""
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: logging reports it when the record is emitted
            message = str(record.msg)
        if self._leaks(message):
            record.msg, record.args = self.scrub(message), None
        if record.exc_info and record.exc_info[0] is not None:
            text = record.exc_text or "".join(traceback.format_exception(*record.exc_info))
            if self._leaks(text):
                # Formatters render exc_info themselves; keep only the scrubbed text.
                record.exc_info, record.exc_text = None, self.scrub(text)
        elif record.exc_text and self._leaks(record.exc_text):
            record.exc_text = self.scrub(record.exc_text)
        if record.stack_info and self._leaks(record.stack_info):
            record.stack_info = self.scrub(record.stack_info)
        return True

    def _leaks(self, text: str) -> bool:
        return any(secret in text for secret in self._secrets)


@contextmanager
def redacted_logging(secrets: Iterable[str]) -> Iterator[SecretFilter]:
    """Scrub the secrets from every log record created inside the block.

    A filter on a logger misses records propagated from its children, and one on a handler
    misses handlers added later, so the filter runs in the log record factory instead.
    """
    secret_filter = SecretFilter(secrets)
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        secret_filter.filter(record)
        return record

    logging.setLogRecordFactory(factory)
    try:
        yield secret_filter
    finally:
        if logging.getLogRecordFactory() is factory:
            logging.setLogRecordFactory(previous)
