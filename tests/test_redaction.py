"""Secrets never reach logs: redaction of messages, arguments, tracebacks, any logger."""

from __future__ import annotations

import logging

import pytest

from bot.redaction import MASK, SecretFilter, redact, redacted_logging

TOKEN = "123456:TEST-TOKEN-not-real"


def test_redact_hides_the_token_and_its_secret_half() -> None:
    assert redact(f"url /bot{TOKEN}/getMe", [TOKEN]) == f"url /bot{MASK}/getMe"
    assert redact("TEST-TOKEN-not-real alone", [TOKEN]) == f"{MASK} alone"
    assert redact("nothing", ["", "a:b"]) == "nothing"


def test_the_redactor_cleans_messages_arguments_and_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    log = logging.getLogger("tests.redaction")
    with redacted_logging([TOKEN]):
        log.debug("calling %s", f"https://api/bot{TOKEN}/getMe")
        try:
            raise RuntimeError(f"failed for {TOKEN}")
        except RuntimeError:
            log.exception("boom %d", 1)
    log.debug("after %s", "TEST-TOKEN-not-real")
    assert "TEST-TOKEN" not in caplog.text.split("after")[0]
    assert f"https://api/bot{MASK}/getMe" in caplog.text
    assert f"RuntimeError: failed for {MASK}" in caplog.text
    assert "after TEST-TOKEN-not-real" in caplog.text


def test_the_redactor_never_drops_records() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "odd %s %s", ("one",), None)
    assert SecretFilter([TOKEN]).filter(record)
    assert (record.msg, record.args) == ("odd %s %s", ("one",))  # left for logging to report


def test_log_records_are_scrubbed_whichever_logger_or_handler(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    with redacted_logging([TOKEN]):
        logging.getLogger("discord.http").debug("Authorization: Bot %s", TOKEN)
        try:
            raise ValueError(f"bad header {TOKEN}")
        except ValueError:
            logging.getLogger("somewhere.else").exception("failed")
    logging.getLogger("after").info("still %s", "fine")
    assert TOKEN not in caplog.text
    assert caplog.text.count(MASK) == 2
    assert "still fine" in caplog.text
