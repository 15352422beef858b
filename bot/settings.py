"""Every setting of a faqbot process, in one frozen object built once, by bootstrap.

`Settings.build` takes the parsed command line and the environment (passed in: nothing in the
core or the adapters reads `os.environ`), flags winning over environment variables, which win
over the declared defaults. The core's own options are `CORE_OPTIONS`; each platform adapter
declares its own (see bot.platforms.Platform) and its typed options object lands in
`Settings.platforms`. Tokens and database URLs never appear in the repr.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.journal.state import parse_duration
from bot.journal.store import DEFAULT_POOL_SIZE, db_target
from bot.options import Option, OptionError, resolve

if TYPE_CHECKING:
    from bot.platforms import Platform

log = logging.getLogger(__name__)

DEFAULT_RETENTION = timedelta(days=90)
DEFAULT_STATE_HOME = Path.home() / ".local/state"  # for a Settings() built by hand (tests)
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# Global flags (before or after any subcommand), each also read from the environment.
GLOBAL_OPTIONS = (
    Option(
        "knowledge",
        str,
        None,
        "knowledge pack directory, or for `ask` a folder of packs (default: the shipped packs)",
        env="FAQBOT_KNOWLEDGE",
        metavar="PATH",
    ),
    Option(
        "db",
        str,
        None,
        "state database: a SQLite path or a postgresql:// URL (default: "
        "$XDG_STATE_HOME/faqbot/faqbot.sqlite3)",
        env="FAQBOT_DB",
        metavar="PATH",
    ),
    Option("log_level", str, "INFO", "log level of `run`", env="FAQBOT_LOG_LEVEL", metavar="LEVEL"),
)
# Environment-only settings.
ENV_OPTIONS = (
    Option(
        "admins",
        str,
        "",
        "bot admins (may /reload), e.g. telegram:12345,discord:67890",
        env="FAQBOT_ADMINS",
        flag=False,
    ),
    Option(
        "retention",
        str,
        "90d",
        "delete questions and votes older than this (off: keep)",
        env="FAQBOT_RETENTION",
        flag=False,
    ),
    Option(
        "pool_size",
        int,
        DEFAULT_POOL_SIZE,
        "PostgreSQL connections per process",
        env="FAQBOT_DB_POOL",
        flag=False,
    ),
    Option(
        "state_home",
        str,
        None,
        "where the default SQLite file goes (default ~/.local/state)",
        env="XDG_STATE_HOME",
        flag=False,
    ),
)
CORE_OPTIONS = (*GLOBAL_OPTIONS, *ENV_OPTIONS)


@dataclass(frozen=True, slots=True)
class CoreOptions:
    """The core options as given (strings), before they are interpreted into Settings."""

    knowledge: str | None
    db: str | None = field(repr=False)
    log_level: str
    admins: str
    retention: str
    pool_size: int
    state_home: str | None


@dataclass(frozen=True, slots=True)
class LogSettings:
    """How `faqbot run` logs."""

    level: str = "INFO"
    format: str = LOG_FORMAT


@dataclass(frozen=True, slots=True)
class Settings:
    """The settings of one process. `knowledge` None means the shipped packs; `db` is a SQLite
    path or a PostgreSQL URL (kept out of the repr: it may hold a password); `tokens` are the
    platform tokens found, by platform name (never in the repr); `platforms` each platform's
    typed options, by name."""

    knowledge: Path | None = None
    db: str = field(default=str(DEFAULT_STATE_HOME / "faqbot/faqbot.sqlite3"), repr=False)
    admins: tuple[str, ...] = ()
    retention: timedelta | None = DEFAULT_RETENTION
    pool_size: int = DEFAULT_POOL_SIZE
    state_home: Path = DEFAULT_STATE_HOME
    log: LogSettings = LogSettings()
    platforms: Mapping[str, Any] = field(default_factory=dict)
    tokens: Mapping[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls,
        flags: object,
        environ: Mapping[str, str],
        platforms: Mapping[str, Platform[Any]] | None = None,
    ) -> Settings:
        """Settings from parsed flags (an argparse Namespace, or None) and an environment.

        Raises OptionError (a ValueError, one line for the operator) on a malformed value.
        """
        core = resolve(CoreOptions, CORE_OPTIONS, flags, environ)
        home = environ.get("HOME", "").strip()
        state_home = Path(core.state_home) if core.state_home else _home(home) / ".local/state"
        level = core.log_level.strip().upper()
        if level not in _LEVELS:
            raise OptionError(f"--log-level / FAQBOT_LOG_LEVEL wants one of {', '.join(_LEVELS)}")
        found = platforms or {}
        return cls(
            knowledge=Path(core.knowledge) if core.knowledge else None,
            db=db_target(core.db, state_home=state_home),
            admins=tuple(a.strip() for a in core.admins.split(",") if a.strip()),
            retention=retention(core.retention),
            pool_size=core.pool_size,
            state_home=state_home,
            log=LogSettings(level=level),
            platforms={
                name: resolve(p.options_type, p.options, flags, environ)
                for name, p in found.items()
            },
            tokens={
                name: environ[p.token_env].strip()
                for name, p in found.items()
                if environ.get(p.token_env, "").strip()
            },
        )


def _home(home: str) -> Path:
    return Path(home) if home else Path.home()


def retention(text: str) -> timedelta | None:
    """FAQBOT_RETENTION: a duration such as 90d; off, never or 0 keeps everything; a malformed
    value is logged and the default kept."""
    text = text.strip().lower()
    if not text:
        return DEFAULT_RETENTION
    if text in ("off", "never", "0"):
        return None
    try:
        return parse_duration(text)
    except ValueError:
        log.warning("FAQBOT_RETENTION=%r is not a duration; keeping %s", text, DEFAULT_RETENTION)
        return DEFAULT_RETENTION
