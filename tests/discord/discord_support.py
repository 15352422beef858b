"""Shared by the Discord tests: the fake token, a recording journal, the start_bot signature."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fake_discord import FakeDiscord
from recording import RecordingJournal

TOKEN = "FAKE.discord.token-not-real"
__all__ = ["TOKEN", "RecordingJournal", "StartBot"]


StartBot = Callable[..., Awaitable[FakeDiscord]]
