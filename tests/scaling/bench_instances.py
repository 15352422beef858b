"""Answers per second through one and through two `faqbot run telegram` webhook instances on
one PostgreSQL, in the same run, on this machine.

    .venv/bin/python tests/scaling/bench_instances.py [--updates 600] [--concurrency 16]

It starts a throwaway PostgreSQL cluster (tests/pg_cluster.py) unless --db names one, a loopback
Bot API, and the instances; an answer counts once Telegram's POST got its 200, that is once the
reply was sent and the update's claim and journal row were committed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from bot_api import BotApi  # noqa: E402
from instances import TOKEN, Sender, private_message, start_instance  # noqa: E402

QUESTIONS = (
    "crackdown",
    "why did leaders quit",
    "who is Imran Khan",
    "what does Benazir Shah say",
    "what is the article about",
    "what is Imran Khan's net worth?",
)


@contextlib.contextmanager
def database(explicit: str | None) -> Iterator[str]:
    """The database to use: --db, else a fresh one in a throwaway cluster."""
    if explicit:
        yield explicit
        return
    import psycopg
    from pg_cluster import running_cluster

    with running_cluster() as cluster:
        with psycopg.connect(cluster.url(), autocommit=True) as admin:
            admin.execute("CREATE DATABASE faqbot_bench")
        yield cluster.url("faqbot_bench")


async def measure(
    api: BotApi, db: str, count: int, updates: int, concurrency: int, flood_limit: float
) -> float:
    """Answers per second through `count` instances sharing `flood_limit` messages/s."""
    logs = Path(tempfile.mkdtemp(prefix="faqbot-bench-"))
    names = [f"i{count}-{n}" for n in range(count)]
    instances = [
        await start_instance(
            name,
            api_url=api.base_url(name),
            db=db,
            log_dir=logs,
            extra=["--instances", str(count), "--flood-limit", f"{flood_limit:g}"],
        )
        for name in names
    ]
    base = 1_000_000 * count + 100_000 * int(flood_limit)
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as http:
            sender = Sender(http, instances)
            limit = asyncio.Semaphore(concurrency)

            async def one(i: int) -> None:
                async with limit:
                    update = private_message(base + i, QUESTIONS[i % len(QUESTIONS)])
                    await sender.deliver(update, i % count)

            await asyncio.gather(*(one(i) for i in range(20)))  # warm-up
            started = time.perf_counter()
            await asyncio.gather(*(one(i) for i in range(20, 20 + updates)))
            elapsed = time.perf_counter() - started
    finally:
        for instance in instances:
            instance.stop()
    return updates / elapsed


async def main_async(args: argparse.Namespace) -> None:
    api = BotApi(TOKEN)
    await api.start()
    try:
        with database(args.db) as db:
            free = {n: await measure(api, db, n, args.updates, args.concurrency, 0) for n in (1, 2)}
            capped = {
                n: await measure(api, db, n, args.updates // 3, args.concurrency, 30)
                for n in (1, 2)
            }
    finally:
        await api.close()
    print(f"{args.updates} updates, {args.concurrency} in flight, PostgreSQL store")
    print("| instances | answers/s, no flood limit | answers/s, 30 msg/s shared |")
    print("|---:|---:|---:|")
    for n in (1, 2):
        print(f"| {n} | {free[n]:.0f} | {capped[n]:.0f} |")
    print(f"two instances: {free[2] / free[1]:.2f}x one without the flood limit")


def main() -> None:
    """Parse the options and run both measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=600, help="updates timed per setup")
    parser.add_argument("--concurrency", type=int, default=16, help="updates in flight")
    parser.add_argument("--db", help="a postgresql:// URL (default: a throwaway cluster)")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
