"""Keeping the bot token (and the webhook secret) out of every log line."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

REDACTED = "<redacted>"
_NOISY_LOGGERS = ("httpx", "httpcore")


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret replaced; the part after a token's colon counts as a secret too."""
    for secret in _variants(secrets):
        text = text.replace(secret, REDACTED)
    return text


def _variants(secrets: Iterable[str]) -> list[str]:
    found: set[str] = set()
    for secret in secrets:
        if not secret:
            continue
        found.add(secret)
        _, _, tail = secret.partition(":")
        if len(tail) >= 8:
            found.add(tail)
    return sorted(found, key=len, reverse=True)


class SecretRedactor(logging.Filter):
    """A filter that rewrites a record's message, traceback and stack with secrets redacted.

    Attached to handlers, so it sees records from every logger that reach them.
    """

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = _variants(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact in place; never drops a record."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = redact(message, self._secrets), None
        if record.exc_info and not record.exc_text:
            text = logging.Formatter().formatException(record.exc_info)
            clean = redact(text, self._secrets)
            if clean != text:  # handlers format exc_text instead of the live exception
                record.exc_text, record.exc_info = clean, None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text, self._secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self._secrets)
        return True


def _all_handlers() -> list[logging.Handler]:
    handlers: list[logging.Handler] = list(logging.getLogger().handlers)
    for logger in list(logging.Logger.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            handlers.extend(logger.handlers)
    if logging.lastResort is not None:
        handlers.append(logging.lastResort)
    return list(dict.fromkeys(handlers))


@contextmanager
def redacted_logging(secrets: Iterable[str]) -> Iterator[None]:
    """While active, every existing handler redacts the secrets, and httpx (which logs request
    URLs, token included, at INFO) is quieted to WARNING unless a level was set for it."""
    redactor = SecretRedactor(secrets)
    handlers = _all_handlers()
    for handler in handlers:
        handler.addFilter(redactor)
    for name in _NOISY_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(redactor)
