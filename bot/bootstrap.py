"""The one place that wires the core together: settings (the only reader of os.environ), pack,
matcher, journal."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import signal
import sqlite3
import threading
import weakref
from collections.abc import Mapping
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.answering.chat_policy import ChatPolicy
from bot.answering.core import Core
from bot.answering.library import Library
from bot.journal.state import SchemaError
from bot.journal.store import Store, db_target, is_postgres, open_store, safe_location
from bot.knowledge.source import FolderPackSource
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.platforms import Platform

log = logging.getLogger(__name__)

SHIPPED_PACKS = "faqbot_packs"

# The store behind each service built here, so shutdown() can flush and close it.
_journals: weakref.WeakKeyDictionary[Core, Store] = weakref.WeakKeyDictionary()
# Reloads run one at a time, whichever thread (signal, command, another instance) asks.
_reload_lock = threading.Lock()
# The event loop serving each service, once install_reload_signal was given one: reloads
# announced by other instances then run in it, between requests, as SIGHUP's do.
_loops: weakref.WeakKeyDictionary[Core, asyncio.AbstractEventLoop] = weakref.WeakKeyDictionary()


def load_settings(
    flags: object = None,
    platforms: Mapping[str, Platform[Any]] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """The process's Settings, from the parsed command line and the environment (flags win).

    The one place that reads os.environ (when `environ` is not given)."""
    return Settings.build(flags, os.environ if environ is None else environ, platforms)


def shipped_packs() -> list[Path]:
    """The packs installed with faqbot (package data), in name order."""
    root = Path(str(resources.files(SHIPPED_PACKS)))
    return sorted(p for p in root.iterdir() if (p / "faq.yaml").is_file())


def knowledge_path(settings: Settings | None = None) -> Path:
    """The pack to serve: Settings.knowledge (--knowledge, FAQBOT_KNOWLEDGE), else the first
    shipped pack."""
    chosen = (settings or load_settings()).knowledge
    if chosen:
        return chosen
    packs = shipped_packs()
    if not packs:
        raise FileNotFoundError("no knowledge pack is installed; give one with --knowledge PATH")
    return packs[0]


def library_path(settings: Settings | None = None) -> Path:
    """Where the packs to answer from are: Settings.knowledge (one pack, or a folder of packs),
    else the folder of shipped packs."""
    chosen = (settings or load_settings()).knowledge
    return chosen if chosen else Path(str(resources.files(SHIPPED_PACKS)))


def build_library(settings: Settings | None = None) -> Library:
    """Every pack at the chosen path, journal-less (for `faqbot ask`). A broken pack is refused
    alone; KnowledgeError when none loads."""
    return Library.load(FolderPackSource(library_path(settings)))


def build_core(
    knowledge: str | os.PathLike[str] | None = None,
    *,
    journal_path: str | os.PathLike[str] | None = None,
    use_journal: bool = True,
    settings: Settings | None = None,
) -> Core:
    """A ready Core serving every pack at the chosen path (one pack, or a folder of packs). A
    broken pack is refused alone; KnowledgeError when none loads.

    `settings` default to load_settings() (the environment); `knowledge` and `journal_path`,
    when given, replace their pack and database. With use_journal, questions, votes, chat
    settings, cooldowns, readers' conversations and claims go to the store Settings.db names
    (a postgresql:// URL is a database shared by several instances); rows older than
    Settings.retention are deleted automatically. If that database cannot be opened the bot
    still answers, with nothing journalled and settings and conversations in memory. Call
    shutdown(core) before exiting to commit the last records.
    """
    settings = settings or load_settings()
    if knowledge is not None:
        settings = replace(settings, knowledge=Path(knowledge))
    if journal_path is not None:
        settings = replace(settings, db=db_target(journal_path, state_home=settings.state_home))
    source = FolderPackSource(library_path(settings))
    admins = list(settings.admins)
    store = _open_store(settings) if use_journal else None
    if store is None:
        return Core(Library.load(source), policy=ChatPolicy(bot_admins=admins))
    core = Core(
        Library.load(source, journal=store),
        policy=ChatPolicy(settings=store, cooldowns=store, bot_admins=admins),
        conversations=store,
        claims=store,
        pacer=store,
        reload_bus=store,
    )
    _journals[core] = store
    ref = weakref.ref(core)

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
    return core


def journal_of(core: Core) -> Store | None:
    """The store (SQLite or PostgreSQL) build_core gave this core, if any."""
    return _journals.get(core)


def shutdown(core: Core) -> None:
    """Commit everything journalled so far and close the database. Safe to call twice."""
    journal = _journals.pop(core, None)
    if journal is not None:
        journal.close()


def reload_knowledge(core: Core, *, announce: bool = True) -> list[str]:
    """Reload every pack from disk and log the outcome; a broken pack keeps serving its previous
    version. A clean reload is announced to the other instances unless `announce` is False."""
    with _reload_lock:
        problems = core.reload(announce=announce)
    if problems:
        log.error("knowledge reload refused a pack; it keeps serving its previous version:")
        for problem in problems:
            log.error("  %s", problem)
    else:
        served = ", ".join(
            f"{a.slug} ({len(a.answers.pack.entries)} entries)" for a in core.library.articles
        )
        log.info("knowledge reloaded: %s", served)
    return problems


def install_reload_signal(core: Core, loop: asyncio.AbstractEventLoop | None = None) -> bool:
    """Reload the knowledge packs on SIGHUP (`kill -HUP <pid>`); False where there is no SIGHUP.

    With an event loop the reload runs in the loop, between requests; without one a plain
    signal handler is installed (main thread only).
    """
    sighup = getattr(signal, "SIGHUP", None)
    if sighup is None:
        return False
    if loop is not None:
        _loops[core] = loop
        loop.add_signal_handler(sighup, reload_knowledge, core)
    else:
        signal.signal(sighup, lambda _signum, _frame: reload_knowledge(core))
    return True


def _open_store(settings: Settings) -> Store | None:
    target = settings.db
    shown = safe_location(target) if is_postgres(target) else target
    try:
        return open_store(target, retention=settings.retention, pool_size=settings.pool_size)
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
