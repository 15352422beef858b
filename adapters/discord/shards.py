"""Discord shards across processes: `run discord --shard-ids 0,1 --shard-count 4`.

Each process connects the shards it is given; only the process holding shard 0 publishes the
application commands (and receives the DMs, which Discord sends on shard 0). IDENTIFY is paced
across every process through the store: one IDENTIFY per 5 seconds in each `max_concurrency`
bucket (shard id modulo max_concurrency), as Discord requires.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from bot.platforms import PlatformStartError

IDENTIFY_INTERVAL = 5.0


@dataclass(frozen=True, slots=True)
class Shards:
    """The shards this process runs, out of shard_count; None for discord.py's own choice."""

    ids: tuple[int, ...] | None = None
    count: int | None = None
    max_concurrency: int = 1

    @property
    def syncs_commands(self) -> bool:
        """Whether this process publishes the commands: the one holding shard 0 (or unsharded)."""
        return self.ids is None or 0 in self.ids

    def bucket(self, shard_id: int | None) -> str:
        """The pacing key of a shard's IDENTIFY."""
        return f"discord-identify:{(shard_id or 0) % self.max_concurrency}"


def add_shard_arguments(group: argparse._ArgumentGroup) -> None:
    """--shard-ids, --shard-count and --max-concurrency."""
    group.add_argument(
        "--shard-ids",
        metavar="IDS",
        help="comma-separated shards this process runs, e.g. 0,1 (needs --shard-count)",
    )
    group.add_argument(
        "--shard-count", type=int, metavar="N", help="how many shards the bot has in all"
    )
    group.add_argument(
        "--max-concurrency",
        type=int,
        default=1,
        metavar="N",
        help="IDENTIFYs Discord allows at once (session_start_limit.max_concurrency; 1)",
    )


def shard_options(options: argparse.Namespace) -> Shards:
    """The validated shard options; PlatformStartError when they do not fit together."""
    raw, count = getattr(options, "shard_ids", None), getattr(options, "shard_count", None)
    concurrency = int(getattr(options, "max_concurrency", 1) or 1)
    if concurrency < 1:
        raise PlatformStartError("--max-concurrency must be at least 1")
    if raw is None and count is None:
        return Shards(max_concurrency=concurrency)
    if count is None or count < 1:
        raise PlatformStartError("--shard-ids needs --shard-count N (N at least 1)")
    if raw is None:
        return Shards(ids=tuple(range(count)), count=count, max_concurrency=concurrency)
    try:
        ids = tuple(sorted({int(part) for part in raw.split(",") if part.strip()}))
    except ValueError:
        raise PlatformStartError(f"--shard-ids wants numbers such as 0,1: {raw}") from None
    if not ids or any(not 0 <= i < count for i in ids):
        raise PlatformStartError(f"--shard-ids must be between 0 and {count - 1}: {raw}")
    return Shards(ids=ids, count=count, max_concurrency=concurrency)
