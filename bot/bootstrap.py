"""The one place that wires the core together: pack, matcher, journal, settings."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import signal
import sqlite3
import threading
import weakref
from datetime import timedelta
from importlib import resources
from pathlib import Path

from bot.answering.service import FaqService
from bot.journal.state import SchemaError, parse_duration
from bot.journal.store import Store, db_target, is_postgres, open_store, safe_location
from bot.knowledge.library import Library, load_library, pack_paths
from bot.knowledge.pack import load_pack
from bot.knowledge.problems import KnowledgeError, Problem

log = logging.getLogger(__name__)

SHIPPED_PACKS = "faqbot_packs"
RETENTION_ENV = "FAQBOT_RETENTION"
DEFAULT_RETENTION = timedelta(days=90)

# The store behind each service built here, so shutdown() can flush and close it.
_journals: weakref.WeakKeyDictionary[FaqService, Store] = weakref.WeakKeyDictionary()
# Reloads run one at a time, whichever thread (signal, command, another instance) asks.
_reload_lock = threading.Lock()
# The event loop serving each service, once install_reload_signal was given one: reloads
# announced by other instances then run in it, between requests, as SIGHUP's do.
_loops: weakref.WeakKeyDictionary[FaqService, asyncio.AbstractEventLoop] = (
    weakref.WeakKeyDictionary()
)


def shipped_packs() -> list[Path]:
    """The packs installed with faqbot (package data), in name order."""
    root = Path(str(resources.files(SHIPPED_PACKS)))
    return sorted(p for p in root.iterdir() if (p / "faq.yaml").is_file())


def knowledge_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The pack to serve: an explicit path, else FAQBOT_KNOWLEDGE, else the first shipped pack."""
    chosen = explicit or os.environ.get("FAQBOT_KNOWLEDGE")
    if chosen:
        return Path(chosen)
    packs = shipped_packs()
    if not packs:
        raise FileNotFoundError("no knowledge pack is installed; give one with --knowledge PATH")
    return packs[0]


def library_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Where the packs to answer from are: an explicit path or FAQBOT_KNOWLEDGE (one pack, or a
    folder of packs), else the folder of shipped packs."""
    chosen = explicit or os.environ.get("FAQBOT_KNOWLEDGE")
    return Path(chosen) if chosen else Path(str(resources.files(SHIPPED_PACKS)))


def build_library(knowledge: str | os.PathLike[str] | None = None) -> Library:
    """Every pack at the chosen path, each in a journal-less service (for `faqbot ask`). A broken
    pack is refused alone; KnowledgeError when none loads."""
    return load_library(library_path(knowledge))


def build_service(
    knowledge: str | os.PathLike[str] | None = None,
    *,
    journal_path: str | os.PathLike[str] | None = None,
    use_journal: bool = True,
) -> FaqService:
    """A ready FaqService for the chosen pack. Raises KnowledgeError on a broken pack.

    With use_journal, questions, votes, chat settings, cooldowns and claims go to the store
    journal_path names, else FAQBOT_DB, else ~/.local/state/faqbot/faqbot.sqlite3 (a
    postgresql:// URL is a database shared by several instances); rows older than
    FAQBOT_RETENTION (default 90d, "off" to keep) are deleted automatically. If that database
    cannot be opened the bot still answers, with nothing journalled and settings in memory.
    Call shutdown(service) before exiting to commit the last records.
    """
    path = knowledge_path(knowledge)
    packs = pack_paths(path)
    if len(packs) > 1:
        raise KnowledgeError(
            [
                Problem(
                    str(path),
                    None,
                    f"a folder of {len(packs)} packs; the bot serves one pack per process for "
                    "now: give --knowledge PATH/SLUG (`faqbot ask` answers from all of them)",
                )
            ]
        )
    pack = load_pack(path)
    admins = [a.strip() for a in os.environ.get("FAQBOT_ADMINS", "").split(",") if a.strip()]
    store = _open_store(journal_path) if use_journal else None
    if store is None:
        return FaqService(pack, bot_admins=admins)
    service = FaqService(
        pack,
        journal=store,
        settings=store,
        cooldowns=store,
        claims=store,
        reload_bus=store,
        pacer=store,
        bot_admins=admins,
    )
    _journals[service] = store
    ref = weakref.ref(service)

    def reload_announced() -> None:
        announced = ref()
        if announced is None:
            return
        loop = _loops.get(announced)
        if loop is not None and loop.is_running():
            loop.call_soon_threadsafe(
                functools.partial(reload_knowledge, announced, announce=False)
            )
        else:
            reload_knowledge(announced, announce=False)

    store.listen_reloads(reload_announced)
    return service


def journal_of(service: FaqService) -> Store | None:
    """The store (SQLite or PostgreSQL) build_service gave this service, if any."""
    return _journals.get(service)


def shutdown(service: FaqService) -> None:
    """Commit everything journalled so far and close the database. Safe to call twice."""
    journal = _journals.pop(service, None)
    if journal is not None:
        journal.close()


def reload_knowledge(service: FaqService, *, announce: bool = True) -> list[str]:
    """Reload the pack from disk and log the outcome; on problems the old pack keeps serving.
    A successful reload is announced to the other instances unless `announce` is False."""
    with _reload_lock:
        problems = service.reload(announce=announce)
    if problems:
        log.error("knowledge reload refused; still serving the previous pack:")
        for problem in problems:
            log.error("  %s", problem)
    else:
        log.info("knowledge reloaded: %s, %d entries", service.pack.path, len(service.pack.entries))
    return problems


def install_reload_signal(
    service: FaqService, loop: asyncio.AbstractEventLoop | None = None
) -> bool:
    """Reload the knowledge pack on SIGHUP (`kill -HUP <pid>`); False where there is no SIGHUP.

    With an event loop the reload runs in the loop, between requests; without one a plain
    signal handler is installed (main thread only).
    """
    sighup = getattr(signal, "SIGHUP", None)
    if sighup is None:
        return False
    if loop is not None:
        _loops[service] = loop
        loop.add_signal_handler(sighup, reload_knowledge, service)
    else:
        signal.signal(sighup, lambda _signum, _frame: reload_knowledge(service))
    return True


def _open_store(explicit: str | os.PathLike[str] | None) -> Store | None:
    target = db_target(explicit)
    shown = safe_location(target) if is_postgres(target) else target
    try:
        return open_store(target, retention=_retention())
    except ImportError:
        log.error("journal disabled: %s needs psycopg (pip install 'faqbot[postgres]')", shown)
    except (OSError, sqlite3.Error, SchemaError) as exc:  # the bot must answer anyway
        log.error("journal disabled, cannot open %s: %s", shown, exc)
    except Exception as exc:  # psycopg's errors, without importing it here
        if type(exc).__module__.split(".")[0] not in ("psycopg", "psycopg_pool", "bot"):
            raise
        log.error("journal disabled, cannot open %s: %s", shown, _one_line(exc))
    return None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _retention() -> timedelta | None:
    text = os.environ.get(RETENTION_ENV, "").strip().lower()
    if not text:
        return DEFAULT_RETENTION
    if text in ("off", "never", "0"):
        return None
    try:
        return parse_duration(text)
    except ValueError:
        log.warning("%s=%r is not a duration; keeping %s", RETENTION_ENV, text, DEFAULT_RETENTION)
        return DEFAULT_RETENTION
