"""Discord shards across processes: `run discord --shard-ids 0,1 --shard-count 4`.

Each process connects the shards it is given; only the process holding shard 0 publishes the
application commands (and receives the DMs, which Discord sends on shard 0). IDENTIFY is paced
across every process through the store: one IDENTIFY per 5 seconds in each `max_concurrency`
bucket (shard id modulo max_concurrency), as Discord requires.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.options import Option
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


SHARD_OPTIONS: tuple[Option, ...] = (
    Option(
        "shard_ids",
        str,
        None,
        "comma-separated shards this process runs, e.g. 0,1 (needs --shard-count)",
        metavar="IDS",
    ),
    Option("shard_count", int, None, "how many shards the bot has in all", metavar="N"),
    Option(
        "max_concurrency",
        int,
        1,
        "IDENTIFYs Discord allows at once (session_start_limit.max_concurrency)",
        metavar="N",
    ),
)


def shard_options(
    shard_ids: str | None, shard_count: int | None, max_concurrency: int = 1
) -> Shards:
    """The validated shard options; PlatformStartError when they do not fit together."""
    raw, count, concurrency = shard_ids, shard_count, max_concurrency
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
