"""The port a chat platform adapter plugs into, and discovery of installed adapters.

Adapters register under the ``faqbot.platforms`` entry-point group (see pyproject.toml), so the
core never imports a platform library: it only finds what is installed.
"""

from __future__ import annotations

import asyncio
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from bot.options import Option

if TYPE_CHECKING:
    from bot.answering.core import Core

OptionsT = TypeVar("OptionsT")

ENTRY_POINT_GROUP = "faqbot.platforms"


class PlatformStartError(Exception):
    """A platform could not start (missing or rejected token, bad option).

    The message is one line meant for the operator and never contains the token.
    """


class Platform(Protocol[OptionsT]):
    """A chat platform adapter, as the CLI sees it.

    `options` declares the platform's settings as data (bot.options.Option: name, type, default,
    environment variable, help); the CLI adds a `faqbot run` flag for each, and bootstrap builds
    one `options_type` (a frozen dataclass whose fields are the options' names) from the flags
    and the environment, which serve() receives. `token_env` names the token's variable.
    """

    name: str
    token_env: str
    options: tuple[Option, ...]
    options_type: type[OptionsT]

    async def serve(
        self,
        core: Core,
        *,
        token: str,
        options: OptionsT,
        stop: asyncio.Event,
    ) -> None:
        """Run until `stop` is set; raise PlatformStartError if it cannot start."""


def discover() -> dict[str, Platform[Any]]:
    """Installed platform adapters by name; an adapter whose library is missing is skipped."""
    found: dict[str, Platform[Any]] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            platform = ep.load()
        except ImportError:
            continue
        found[ep.name] = platform
    return found
