"""The port a chat platform adapter plugs into, and discovery of installed adapters.

Adapters register under the ``faqbot.platforms`` entry-point group (see pyproject.toml), so the
core never imports a platform library: it only finds what is installed.
"""

from __future__ import annotations

import argparse
import asyncio
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.answering.core import Core

ENTRY_POINT_GROUP = "faqbot.platforms"


class PlatformStartError(Exception):
    """A platform could not start (missing or rejected token, bad option).

    The message is one line meant for the operator and never contains the token.
    """


class Platform(Protocol):
    """A chat platform adapter, as the CLI sees it."""

    name: str
    token_env: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Add this platform's own `faqbot run` options."""

    async def serve(
        self,
        core: Core,
        *,
        token: str,
        options: argparse.Namespace,
        stop: asyncio.Event,
    ) -> None:
        """Run until `stop` is set; raise PlatformStartError if it cannot start."""


def discover() -> dict[str, Platform]:
    """Installed platform adapters by name; an adapter whose library is missing is skipped."""
    found: dict[str, Platform] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            platform = ep.load()
        except ImportError:
            continue
        found[ep.name] = platform
    return found
