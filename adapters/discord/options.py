"""The Discord platform's options, declared as data (the CLI makes `faqbot run` flags of them;
bootstrap resolves them, flags over environment, into one `DiscordOptions`)."""

from __future__ import annotations

from dataclasses import dataclass

from adapters.discord.endpoints import API_URL_ENV, GATEWAY_URL_ENV
from adapters.discord.shards import SHARD_OPTIONS, Shards, shard_options
from bot.options import Option

OPTIONS: tuple[Option, ...] = (
    Option(
        "guild",
        int,
        None,
        "sync the commands to this guild only, instantly (for development)",
        metavar="ID",
    ),
    Option(
        "message_content",
        bool,
        False,
        "request the privileged Message Content intent (needed for auto-answer)",
    ),
    *SHARD_OPTIONS,
    Option(
        "api_url",
        str,
        None,
        "REST base URL with the version (a Discord-compatible test or self-hosted server)",
        env=API_URL_ENV,
        flag=False,
    ),
    Option(
        "gateway_url",
        str,
        None,
        "gateway URL (a Discord-compatible test or self-hosted server)",
        env=GATEWAY_URL_ENV,
        flag=False,
    ),
)


@dataclass(frozen=True, slots=True)
class DiscordOptions:
    """`faqbot run discord`'s options (see OPTIONS for their meaning and defaults)."""

    guild: int | None
    message_content: bool
    shard_ids: str | None
    shard_count: int | None
    max_concurrency: int
    api_url: str | None
    gateway_url: str | None

    def shards(self) -> Shards:
        """The validated shard options (PlatformStartError when they do not fit together)."""
        return shard_options(self.shard_ids, self.shard_count, self.max_concurrency)
