"""The loopback fake Discord with one gateway connection per shard: each shard's READY lists
the guilds Discord routes to it ((guild_id >> 22) % shard_count), and events can be sent on
any shard's connection."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web
from fake_discord import CHANNEL_ID, GUILD_ID, HEARTBEAT_MS, FakeDiscord, _guild


def guild_for_shard(shard: int, count: int) -> int:
    """A guild id Discord routes to `shard` of `count`."""
    base = GUILD_ID >> 22
    while base % count != shard:
        base += 1
    return (base << 22) | 1


@dataclass
class ShardedFake(FakeDiscord):
    """A FakeDiscord serving `shard_count` shards, one connection each."""

    shard_count: int = 2
    identified: list[tuple[int, float]] = field(default_factory=list)
    _sockets: dict[int, web.WebSocketResponse] = field(default_factory=dict)
    _seqs: dict[int, int] = field(default_factory=dict)

    def guild_id(self, shard: int) -> int:
        """The guild of one shard."""
        return guild_for_shard(shard, self.shard_count)

    def channel_id(self, shard: int) -> int:
        """The text channel of that guild."""
        return CHANNEL_ID + 1000 * (shard + 1)

    def shard_of_channel(self, channel_id: int) -> int:
        """Which shard's guild a channel is in."""
        return next(s for s in range(self.shard_count) if self.channel_id(s) == channel_id)

    def connected(self) -> set[int]:
        """The shards with an open connection."""
        return {s for s, ws in self._sockets.items() if not ws.closed}

    def guild_message(self, shard: int, content: str) -> dict[str, Any]:
        """A MESSAGE_CREATE mentioning the bot in one shard's guild channel."""
        message = self.user_message(content, mention_bot=True)
        message["channel_id"] = str(self.channel_id(shard))
        message["guild_id"] = str(self.guild_id(shard))
        return message

    async def dispatch_on(self, shard: int, event: str, data: dict[str, Any]) -> None:
        """Send one DISPATCH on one shard's connection."""
        ws = self._sockets[shard]
        self._seqs[shard] = self._seqs.get(shard, 0) + 1
        await ws.send_str(json.dumps({"op": 0, "t": event, "s": self._seqs[shard], "d": data}))

    async def close(self) -> None:
        """Close every shard's connection, then stop serving."""
        for ws in self._sockets.values():
            if not ws.closed:
                await ws.close()
        await super().close()

    def _shard_guild(self, shard: int) -> dict[str, Any]:
        text = json.dumps(_guild())
        text = text.replace(str(GUILD_ID), str(self.guild_id(shard)))
        text = text.replace(str(CHANNEL_ID), str(self.channel_id(shard)))
        guild: dict[str, Any] = json.loads(text)
        return guild

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": HEARTBEAT_MS}}))
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                continue
            frame = json.loads(message.data)
            self.frames.append(frame)
            op, data = frame.get("op"), frame.get("d") or {}
            if op == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif op == 2:
                shard = int(data.get("shard", [0, 1])[0])
                self.identified.append((shard, time.monotonic()))
                self._sockets[shard] = ws
                ready = self._ready()
                ready["shard"] = data.get("shard", [0, 1])
                ready["guilds"] = [{"id": str(self.guild_id(shard)), "unavailable": True}]
                ready["session_id"] = f"fake-session-{shard}"
                await self.dispatch_on(shard, "READY", ready)
                await self.dispatch_on(shard, "GUILD_CREATE", self._shard_guild(shard))
        return ws
