"""Shared fixtures for core tests: the shipped pack and a service over it."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pack_paths import ALL_PACKS, SHIPPED_PACK
from pg_cluster import REQUIRE_ENV, Cluster, Unavailable, running_cluster

from bot.answering.core import Core
from bot.answering.library import Library
from bot.answering.service import FaqService
from bot.journal.sqlite_journal import SqliteJournal
from bot.knowledge.pack import load_pack
from bot.model import KnowledgePack


@pytest.fixture(autouse=True, scope="session")
def private_state_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep every test's journal out of the user's real state directory."""
    previous = os.environ.get("FAQBOT_DB")
    os.environ["FAQBOT_DB"] = str(tmp_path_factory.mktemp("state") / "faqbot.sqlite3")
    yield
    if previous is None:
        os.environ.pop("FAQBOT_DB", None)
    else:
        os.environ["FAQBOT_DB"] = previous


@pytest.fixture(scope="session")
def pack() -> KnowledgePack:
    """The shipped knowledge pack, loaded once."""
    return load_pack(SHIPPED_PACK)


@pytest.fixture(scope="session", params=ALL_PACKS, ids=lambda p: p.name)
def any_pack(request: pytest.FixtureRequest) -> KnowledgePack:
    """Each pack in the repository (shipped and test packs): core tests that take this run over
    all of them, so a new pack needs no code change to be covered."""
    return load_pack(request.param)


@pytest.fixture(scope="session")
def service(pack: KnowledgePack) -> FaqService:
    """A journal-less service over the shipped pack."""
    return FaqService(pack)


@pytest.fixture
def core(pack: KnowledgePack) -> Core:
    """A journal-less core serving the shipped pack alone, with fresh conversations."""
    return Core(Library([pack]))


@pytest.fixture
def sqlite_journal(tmp_path: Path) -> Iterator[SqliteJournal]:
    """A real SQLite journal (and settings store) in a temporary file."""
    journal = SqliteJournal(tmp_path / "journal.sqlite3")
    yield journal
    journal.close()


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped pack, for breaking it on purpose."""
    target = tmp_path / "pack"
    shutil.copytree(SHIPPED_PACK, target)
    return target


_databases = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """A throwaway PostgreSQL cluster (tests/pg_cluster.py) for the whole session. Without the
    server binaries or psycopg the test is skipped with the reason; with
    FAQBOT_REQUIRE_POSTGRES=1 it fails instead."""
    required = os.environ.get(REQUIRE_ENV) == "1"
    try:
        import psycopg  # noqa: F401

        with running_cluster() as cluster:
            yield cluster
            return
    except (Unavailable, ImportError) as exc:
        reason = f"PostgreSQL unavailable: {exc}"
    if required:
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def postgres_url(postgres_cluster: Cluster) -> Iterator[str]:
    """A fresh, empty database in the session's cluster; dropped after the test."""
    import psycopg

    name = f"faqbot_test_{os.getpid()}_{next(_databases)}"
    with psycopg.connect(postgres_cluster.url(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield postgres_cluster.url(name)
    with psycopg.connect(postgres_cluster.url(), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
