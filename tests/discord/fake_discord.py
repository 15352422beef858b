"""A loopback stand-in for Discord: the v10 REST API and the gateway, on 127.0.0.1 only.

It speaks just enough of both for the real discord.py client (payload shapes from discord/types/)
and records what the bot sends, so tests assert on `fake.messages`, `fake.callbacks`, ...
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import WSMsgType, web

from adapters.discord.once import CLAIM_TASK

T = TypeVar("T")

BOT_ID = 310000000000000001
APP_ID = BOT_ID
GUILD_ID = 320000000000000001
CHANNEL_ID = 330000000000000001
THREAD_ID = 330000000000000002
DM_CHANNEL_ID = 330000000000000003
USER_ID = 340000000000000001
OTHER_BOT_ID = 340000000000000002
OTHER_USER_ID = 340000000000000003
BOT_ROLE_ID = 350000000000000001
TIMESTAMP = "2025-01-01T00:00:00.000000+00:00"
HEARTBEAT_MS = 41250
MESSAGE_CONTENT = 1 << 15
JSON = "application/json"
CALLBACK_DEADLINE = 3.0  # seconds Discord waits for an interaction's response
TOKEN_LIFETIME = 15 * 60.0  # seconds an interaction token takes follow-ups
SETTLE_TIMEOUT = 5.0
# Tasks in which the bot handles what it was sent (named by discord.py and by the adapter): an
# event's listeners, an application command, a view's or modal's callback, an interaction's claim.
HANDLING_TASKS = ("discord.py: ", "CommandTree-invoker", "discord-ui-", CLAIM_TASK)

USER = {"id": str(USER_ID), "username": "reader", "discriminator": "0", "avatar": None}
BOT_USER = {
    "id": str(BOT_ID),
    "username": "faqbot",
    "discriminator": "0",
    "avatar": None,
    "bot": True,
}
OTHER_BOT = {**USER, "id": str(OTHER_BOT_ID), "username": "otherbot", "bot": True}
OTHER_USER = {**USER, "id": str(OTHER_USER_ID), "username": "someone"}
ALL_PERMISSIONS = str((1 << 50) - 1)
MEMBER_PERMISSIONS = str(0x400 | 0x800 | 0x4000 | 0x10000 | 0x80000000)  # view, send, embed, ...


@dataclass
class Request:
    """One REST call the bot made."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int = 200
    at: float = field(default_factory=time.monotonic)


@dataclass
class _Failure:
    method: str
    path: re.Pattern[str]
    remaining: int
    status: int
    after_store: bool


@dataclass
class _RateLimit:
    method: str
    path: re.Pattern[str]
    remaining: int
    retry_after: float


@dataclass
class FakeDiscord:
    """Discord for one bot token; start() binds a random port on 127.0.0.1."""

    token: str
    echo_token_on_401: bool = False
    message_content_allowed: bool = True
    requests: list[Request] = field(default_factory=list)
    command_syncs: list[tuple[int | None, list[dict[str, Any]]]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    callbacks: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    webhook_messages: list[dict[str, Any]] = field(default_factory=list)
    frames: list[dict[str, Any]] = field(default_factory=list)
    gateway_closes: int = 0

    def __post_init__(self) -> None:
        self._ids = itertools.count(360000000000000001)
        self._seq = 0
        self._session_id = "fake-session"
        self._ws: web.WebSocketResponse | None = None
        self._stored: dict[int, dict[str, Any]] = {}
        self._rate_limits: list[_RateLimit] = []
        self._commands: dict[str, dict[str, Any]] = {}
        self._interaction_channels: dict[str, str] = {}
        self._responses: dict[str, dict[str, Any]] = {}
        self._failures: list[_Failure] = []
        self._nonces: dict[tuple[str, str], dict[str, Any]] = {}
        self._created: dict[str, float] = {}  # interaction token -> when it was dispatched
        self._acknowledged: set[str] = set()  # interaction ids with a response
        self._originals: dict[str, dict[str, Any]] = {}  # interaction token -> response message
        self._posted: list[tuple[str, dict[str, Any]]] = []  # (token, follow-up message)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Serve REST under /api/v10 and the gateway at /gateway."""
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        """Stop serving."""
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        """The REST base, as DISCORD_API_URL."""
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        """The gateway, as DISCORD_GATEWAY_URL."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    # --- test controls -------------------------------------------------------------------

    def rate_limit(
        self, method: str, path: str, *, times: int = 1, retry_after: float = 0.05
    ) -> None:
        """Answer the next `times` matching calls with 429 (path is a regex on the API path)."""
        self._rate_limits.append(_RateLimit(method, re.compile(path), times, retry_after))

    def fail(
        self,
        method: str,
        path: str,
        *,
        status: int = 500,
        times: int = 1,
        after_store: bool = False,
    ) -> None:
        """Answer the next `times` matching calls with `status`; with `after_store` each call is
        carried out first (the message created) and only its reply is the error."""
        self._failures.append(_Failure(method, re.compile(path), times, status, after_store))

    async def wait_for(self, probe: Callable[[], T | None], timeout: float = 5.0) -> T:
        """Poll until probe() returns something truthy (the bot works on the same loop)."""
        deadline = time.monotonic() + timeout
        while True:
            found = probe()
            if found:
                return found
            if time.monotonic() > deadline:
                raise AssertionError("the fake Discord waited in vain")
            await asyncio.sleep(0.005)

    async def settle(self, timeout: float = SETTLE_TIMEOUT) -> None:
        """Wait until the bot has handled every gateway event sent so far, for tests that then
        assert it stayed silent or answered once; fail after `timeout` seconds.

        Handled means: the client has read the events (it answers a heartbeat request sent after
        them, and reads frames in order), and no task handling them is left (see HANDLING_TASKS;
        the bot runs on this loop, and a handler creates the next step's task before it ends)."""
        await self.processed(timeout)
        await self.wait_for(lambda: not handling_tasks(), timeout)

    async def processed(self, timeout: float = SETTLE_TIMEOUT) -> None:
        """Wait until the client has read and dispatched every gateway event sent so far: ask it
        for a heartbeat (op 1), which it sends once it has parsed everything before the ask."""
        assert self._ws is not None and not self._ws.closed, "the bot is not connected"
        beats = len(self.frames_with(1))
        await self._ws.send_str(json.dumps({"op": 1, "d": None}))
        await self.wait_for(lambda: len(self.frames_with(1)) > beats, timeout)

    def frames_with(self, op: int) -> list[dict[str, Any]]:
        """Gateway frames the client sent with this opcode."""
        return [f for f in self.frames if f.get("op") == op]

    def command_id(self, name: str) -> str:
        """The id the fake gave a synced command."""
        return str(self._commands[name]["id"])

    def stored(self, message_id: int | str) -> dict[str, Any]:
        """A message the bot sent (by REST or webhook), as Discord would return it."""
        return self._stored[int(message_id)]

    # --- gateway: events the bot receives -------------------------------------------------

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send one DISPATCH with the next sequence number."""
        assert self._ws is not None and not self._ws.closed, "the bot is not connected"
        self._seq += 1
        await self._ws.send_str(json.dumps({"op": 0, "t": event, "s": self._seq, "d": data}))

    def user_message(
        self,
        content: str,
        *,
        author: dict[str, Any] = USER,
        channel_id: int = CHANNEL_ID,
        mention_bot: bool = False,
        mention_roles: tuple[int, ...] = (),
        reply_to: dict[str, Any] | None = None,
        resolved: bool = True,
    ) -> dict[str, Any]:
        """A MESSAGE_CREATE payload from a user (guild channel, thread or DM); a reply carries the
        replied-to message unless `resolved` is False (the bot must then fetch it)."""
        in_guild = channel_id != DM_CHANNEL_ID
        message: dict[str, Any] = {
            "id": str(next(self._ids)),
            "channel_id": str(channel_id),
            "author": author,
            "content": content,
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": "@everyone" in content,
            "mentions": [BOT_USER] if mention_bot else [],
            "mention_roles": [str(r) for r in mention_roles],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
            "components": [],
        }
        if in_guild:
            message["guild_id"] = str(GUILD_ID)
            message["member"] = _member(with_user=False)
        if reply_to is not None:
            message["type"] = 19
            message["message_reference"] = {
                "type": 0,
                "message_id": reply_to["id"],
                "channel_id": reply_to["channel_id"],
                **({"guild_id": str(GUILD_ID)} if in_guild else {}),
            }
            if resolved:
                message["referenced_message"] = reply_to
        return message

    async def send_message(self, content: str, **kwargs: Any) -> dict[str, Any]:
        """Dispatch a user message; returns its payload."""
        message = self.user_message(content, **kwargs)
        await self.dispatch("MESSAGE_CREATE", message)
        return message

    async def interact(
        self,
        kind: int,
        data: dict[str, Any],
        *,
        channel_id: int = CHANNEL_ID,
        permissions: str = MEMBER_PERMISSIONS,
        user: dict[str, Any] = USER,
        message: dict[str, Any] | None = None,
    ) -> str:
        """Dispatch an INTERACTION_CREATE; returns the interaction id."""
        interaction_id = str(next(self._ids))
        in_guild = channel_id != DM_CHANNEL_ID
        self._interaction_channels[f"interaction-token-{interaction_id}"] = str(channel_id)
        self._created[f"interaction-token-{interaction_id}"] = time.monotonic()
        payload: dict[str, Any] = {
            "id": interaction_id,
            "application_id": str(APP_ID),
            "type": kind,
            "data": data,
            "token": f"interaction-token-{interaction_id}",
            "version": 1,
            "locale": "en-US",
            "app_permissions": MEMBER_PERMISSIONS,
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(GUILD_ID) if in_guild else "0"},
            "context": 0 if in_guild else 1,
            "attachment_size_limit": 10 * 1024 * 1024,
            "channel_id": str(channel_id),
        }
        if in_guild:
            channel = _text_channel() if channel_id == CHANNEL_ID else _thread()
            payload.update(guild_id=str(GUILD_ID), guild_locale="en-US", channel=channel)
            payload["member"] = {**_member(), "user": user, "permissions": permissions}
        else:
            payload["channel"] = {"id": str(DM_CHANNEL_ID), "type": 1, "recipients": [user]}
            payload["user"] = user
        if message is not None:
            payload["message"] = message
        await self.dispatch("INTERACTION_CREATE", payload)
        return interaction_id

    async def slash(self, name: str, /, **options: Any) -> str:
        """Run a slash command with these option values (an option may be called `name`)."""
        channel_id = options.pop("channel_id", CHANNEL_ID)
        permissions = options.pop("permissions", MEMBER_PERMISSIONS)
        user = options.pop("user", USER)
        data = {
            "id": self.command_id(name),
            "name": name,
            "type": 1,
            "options": [
                {"name": k, "type": _option_type(v), "value": v} for k, v in options.items()
            ],
        }
        return await self.interact(
            2, data, channel_id=channel_id, permissions=permissions, user=user
        )

    async def autocomplete(self, name: str, option: str, current: str) -> str:
        """Type `current` into an option that has autocomplete."""
        data = {
            "id": self.command_id(name),
            "name": name,
            "type": 1,
            "options": [{"name": option, "type": 3, "value": current, "focused": True}],
        }
        return await self.interact(4, data)

    async def context_menu(self, name: str, target: dict[str, Any]) -> str:
        """Run a message context-menu command on `target`."""
        data = {
            "id": self.command_id(name),
            "name": name,
            "type": 3,
            "target_id": target["id"],
            "resolved": {"messages": {target["id"]: target}},
        }
        return await self.interact(2, data, channel_id=int(target["channel_id"]))

    async def click(
        self,
        message: dict[str, Any],
        custom_id: str,
        values: list[str] | None = None,
        *,
        user: dict[str, Any] = USER,
        permissions: str = MEMBER_PERMISSIONS,
    ) -> str:
        """Click a button (or pick `values` in a select) on a message the bot sent, as `user`
        with these channel permissions."""
        component = next(
            c
            for row in message.get("components", [])
            for c in row.get("components", [])
            if c.get("custom_id") == custom_id
        )
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component["type"]}
        if values is not None:
            data["values"] = values
        return await self.interact(
            3,
            data,
            channel_id=int(message["channel_id"]),
            permissions=permissions,
            user=user,
            message=message,
        )

    async def reconnect(self) -> None:
        """Ask the client to reconnect (op 7); it comes back with a RESUME."""
        assert self._ws is not None
        resumes = len(self.frames_with(6))
        await self._ws.send_str(json.dumps({"op": 7, "d": None, "s": None, "t": None}))
        await self.wait_for(lambda: len(self.frames_with(6)) > resumes)
        await self.wait_for(lambda: self._ws is not None and not self._ws.closed)

    async def drop(self) -> None:
        """Drop the connection as a network failure would; the client resumes."""
        assert self._ws is not None
        resumes = len(self.frames_with(6))
        await self._ws.close(code=4000, message=b"dropped")
        await self.wait_for(lambda: len(self.frames_with(6)) > resumes)

    # --- results ----------------------------------------------------------------------------

    def callbacks_for(self, interaction_id: str) -> list[dict[str, Any]]:
        """Interaction responses (POST .../callback) for one interaction."""
        return [body for iid, body in self.callbacks if iid == interaction_id]

    def followups_for(self, interaction_id: str) -> list[dict[str, Any]]:
        """Follow-up messages and edits for one interaction."""
        token = f"interaction-token-{interaction_id}"
        return [m for m in self.webhook_messages if m["interaction_token"] == token]

    def replies_for(self, interaction_id: str) -> list[dict[str, Any]]:
        """What the user sees for one interaction: its response message (as last edited), then
        each follow-up message posted, oldest first."""
        token = f"interaction-token-{interaction_id}"
        original = self._originals.get(token)
        posted = [m for t, m in self._posted if t == token]
        return ([original] if original is not None else []) + posted

    def response_message(self, interaction_id: str) -> dict[str, Any]:
        """The message an interaction response created (for clicking its components)."""
        return self._responses[interaction_id]

    # --- gateway: the server side --------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": HEARTBEAT_MS}}))
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                continue
            frame = json.loads(message.data)
            self.frames.append(frame)
            await self._on_frame(ws, frame)
        self.gateway_closes += 1
        return ws

    async def _on_frame(self, ws: web.WebSocketResponse, frame: dict[str, Any]) -> None:
        op, data = frame.get("op"), frame.get("d") or {}
        if op == 1:
            await ws.send_str(json.dumps({"op": 11}))
        elif op == 2:
            if data.get("token") != self.token:
                await ws.close(code=4004, message=b"Authentication failed.")
                return
            if data.get("intents", 0) & MESSAGE_CONTENT and not self.message_content_allowed:
                await ws.close(code=4014, message=b"Disallowed intent(s).")
                return
            ready = self._ready()
            if "shard" in data:  # a sharded session's READY names its shard, as Discord's does
                ready["shard"] = data["shard"]
            await self.dispatch("READY", ready)
            await self.dispatch("GUILD_CREATE", _guild())
        elif op == 6:
            valid = data.get("session_id") == self._session_id and data.get("token") == self.token
            if not valid:
                await ws.send_str(json.dumps({"op": 9, "d": False}))
                return
            await self.dispatch("RESUMED", {})

    def _ready(self) -> dict[str, Any]:
        return {
            "v": 10,
            "user": BOT_USER,
            "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
            "session_id": self._session_id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(APP_ID), "flags": 0},
            "private_channels": [],
            "relationships": [],
        }

    # --- REST ------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body = (
            await request.json() if request.can_read_body and request.content_type == JSON else None
        )
        record = Request(request.method, path, dict(request.query), body)
        self.requests.append(record)
        authorised = request.headers.get("Authorization") == f"Bot {self.token}"
        if not authorised and not path.startswith(("/webhooks/", "/interactions/")):
            record.status = 401
            detail = f" ({request.headers.get('Authorization')})" if self.echo_token_on_401 else ""
            return _json({"message": f"401: Unauthorized{detail}", "code": 0}, 401)
        limited = self._limited(request.method, path)
        if limited is not None:
            record.status = 429
            return _json(
                {"message": "You are being rate limited.", "retry_after": limited, "global": False},
                429,
                {"Via": "1.1 google", "Retry-After": str(limited), "X-RateLimit-Scope": "user"},
            )
        failure = self._failing(request.method, path)
        if failure is not None and not failure.after_store:
            record.status = failure.status
            return _json({"message": "Internal Server Error", "code": 0}, failure.status)
        for method, pattern, handler in self._routes():
            match = re.fullmatch(pattern, path)
            if match and method == request.method:
                status, reply = handler(match, body, request)
                if failure is not None:
                    status, reply = failure.status, {"message": "Internal Server Error", "code": 0}
                record.status = status
                return _json(reply, status)
        record.status = 404
        return _json({"message": "404: Not Found", "code": 0}, 404)

    def _failing(self, method: str, path: str) -> _Failure | None:
        for failure in self._failures:
            if failure.remaining > 0 and failure.method == method and failure.path.fullmatch(path):
                failure.remaining -= 1
                return failure
        return None

    def _limited(self, method: str, path: str) -> float | None:
        for limit in self._rate_limits:
            if limit.remaining > 0 and limit.method == method and limit.path.fullmatch(path):
                limit.remaining -= 1
                return limit.retry_after
        return None

    def _routes(self) -> list[tuple[str, str, Callable[..., tuple[int, Any]]]]:
        return [
            ("GET", r"/users/@me", lambda m, b, r: (200, BOT_USER)),
            ("GET", r"/(?:oauth2/)?applications/@me", lambda m, b, r: (200, _application())),
            ("PUT", r"/applications/\d+/commands", self._sync),
            ("PUT", r"/applications/\d+/guilds/(?P<guild>\d+)/commands", self._sync),
            ("POST", r"/channels/(?P<channel>\d+)/messages", self._post_message),
            ("GET", r"/channels/\d+/messages/(?P<message>\d+)", self._get_message),
            ("POST", r"/interactions/(?P<id>\d+)/(?P<token>[^/]+)/callback", self._callback),
            ("POST", r"/webhooks/\d+/(?P<token>[^/]+)", self._followup),
            ("PATCH", r"/webhooks/\d+/(?P<token>[^/]+)/messages/(?P<message>[^/]+)", self._edit),
            ("GET", r"/webhooks/\d+/(?P<token>[^/]+)/messages/(?P<message>[^/]+)", self._original),
        ]

    def _sync(self, match: re.Match[str], body: Any, request: web.Request) -> tuple[int, Any]:
        guild = match.groupdict().get("guild")
        self.command_syncs.append((int(guild) if guild else None, body))
        synced = []
        for command in body:
            known = self._commands.setdefault(command["name"], {"id": str(next(self._ids))})
            synced.append(
                {
                    "description": "",
                    "options": [],
                    "default_member_permissions": None,
                    "nsfw": False,
                    **command,
                    "id": known["id"],
                    "application_id": str(APP_ID),
                    "version": str(next(self._ids)),
                    **({"guild_id": guild} if guild else {}),
                }
            )
        return 200, synced

    def _post_message(
        self, match: re.Match[str], body: Any, request: web.Request
    ) -> tuple[int, Any]:
        nonce = str(body.get("nonce") or "")
        if nonce and body.get("enforce_nonce"):
            # Discord: a nonce seen in the last few minutes returns that message, no new one.
            earlier = self._nonces.get((match["channel"], nonce))
            if earlier is not None:
                return 200, earlier
        if _repeats_a_custom_id(body):
            return 400, INVALID_COMPONENTS
        message = self._bot_message(body, channel_id=match["channel"])
        self.messages.append({**message, "request": body})
        if nonce:
            self._nonces[(match["channel"], nonce)] = message
        return 200, message

    def _get_message(
        self, match: re.Match[str], body: Any, request: web.Request
    ) -> tuple[int, Any]:
        stored = self._stored.get(int(match["message"]))
        if stored is None:
            return 404, {"message": "Unknown Message", "code": 10008}
        return 200, stored

    def _callback(self, match: re.Match[str], body: Any, request: web.Request) -> tuple[int, Any]:
        self.callbacks.append((match["id"], body))
        created = self._created.get(match["token"], 0.0)
        if time.monotonic() - created > CALLBACK_DEADLINE:
            return 404, {"message": "Unknown interaction", "code": 10062}
        if match["id"] in self._acknowledged:
            return 400, {"message": "Interaction has already been acknowledged.", "code": 40060}
        self._acknowledged.add(match["id"])
        kind = body["type"]
        reply: dict[str, Any] = {"interaction": {"id": match["id"], "type": 2}}
        if kind in (4, 5, 7):
            data = body.get("data") or {}
            if _repeats_a_custom_id(data):
                return 400, INVALID_COMPONENTS
            message = self._bot_message(data, interaction_token=match["token"])
            reply["interaction"].update(
                response_message_id=message["id"],
                response_message_loading=kind == 5,
                response_message_ephemeral=bool(data.get("flags", 0) & 64),
            )
            reply["resource"] = {"type": kind, "message": message}
            self._responses[match["id"]] = message
            if kind in (4, 5):
                self._originals[match["token"]] = message
        return 200, reply

    def _followup(self, match: re.Match[str], body: Any, request: web.Request) -> tuple[int, Any]:
        created = self._created.get(match["token"])
        if created is None or time.monotonic() - created > TOKEN_LIFETIME:
            return 404, {"message": "Unknown Webhook", "code": 10015}
        message = self._bot_message(body, interaction_token=match["token"])
        self._posted.append((match["token"], message))
        self.webhook_messages.append(
            {**message, "interaction_token": match["token"], "request": body}
        )
        return 200, message

    def _edit(self, match: re.Match[str], body: Any, request: web.Request) -> tuple[int, Any]:
        token = match["token"]
        if match["message"] == "@original":
            original = self._originals.get(token)
            if original is None:
                return 404, {"message": "Unknown Message", "code": 10008}
            message = self._bot_message(body, interaction_token=token)
            message["id"] = original["id"]
            message["flags"] = original["flags"]
            self._stored[int(message["id"])] = self._originals[token] = message
        else:
            message = self._bot_message(body, interaction_token=token)
        self.webhook_messages.append(
            {**message, "interaction_token": match["token"], "request": body}
        )
        return 200, message

    def _original(self, match: re.Match[str], body: Any, request: web.Request) -> tuple[int, Any]:
        return 200, self._bot_message({}, interaction_token=match["token"])

    def _bot_message(
        self,
        body: dict[str, Any],
        *,
        channel_id: str | None = None,
        interaction_token: str | None = None,
    ) -> dict[str, Any]:
        """What Discord returns for a message the bot created; kept for later GETs and clicks."""
        if channel_id is None:
            channel_id = self._interaction_channels.get(interaction_token or "", str(CHANNEL_ID))
        message: dict[str, Any] = {
            "id": str(next(self._ids)),
            "channel_id": channel_id,
            "author": BOT_USER,
            "content": body.get("content") or "",
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags") or 0,
        }
        if channel_id != str(DM_CHANNEL_ID):
            message["guild_id"] = str(GUILD_ID)
        if body.get("message_reference"):
            message["type"] = 19
            message["message_reference"] = {"type": 0, **body["message_reference"]}
        if interaction_token is not None:
            message["webhook_id"] = str(APP_ID)
            message["application_id"] = str(APP_ID)
        self._stored[int(message["id"])] = message
        return message


def handling_tasks() -> list[asyncio.Task[Any]]:
    """The bot's tasks still handling something it was sent (see HANDLING_TASKS)."""
    current = asyncio.current_task()
    return [
        task
        for task in asyncio.all_tasks()
        if task is not current and not task.done() and task.get_name().startswith(HANDLING_TASKS)
    ]


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py compares the header with "application/json" exactly: no charset.
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": JSON, **(headers or {})},
    )


def _option_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    return 4 if isinstance(value, int) else 3


def _member(*, with_user: bool = True) -> dict[str, Any]:
    member: dict[str, Any] = {
        "roles": [],
        "joined_at": TIMESTAMP,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "nick": None,
    }
    if with_user:
        member["user"] = USER
    return member


def _application() -> dict[str, Any]:
    return {
        "id": str(APP_ID),
        "name": "faqbot",
        "description": "",
        "icon": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": USER,
        "verify_key": "0" * 64,
        "flags": 0,
        "team": None,
        "summary": "",
        "interactions_endpoint_url": None,
    }


def _text_channel() -> dict[str, Any]:
    return {
        "id": str(CHANNEL_ID),
        "type": 0,
        "guild_id": str(GUILD_ID),
        "name": "news",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
    }


def _thread() -> dict[str, Any]:
    return {
        "id": str(THREAD_ID),
        "type": 11,
        "guild_id": str(GUILD_ID),
        "parent_id": str(CHANNEL_ID),
        "owner_id": str(USER_ID),
        "name": "discussion",
        "message_count": 1,
        "member_count": 1,
        "rate_limit_per_user": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": TIMESTAMP,
            "locked": False,
        },
    }


def _guild() -> dict[str, Any]:
    everyone = {
        "id": str(GUILD_ID),
        "name": "@everyone",
        "permissions": MEMBER_PERMISSIONS,
        "position": 0,
    }
    bot_role = {
        "id": str(BOT_ROLE_ID),
        "name": "faqbot",
        "permissions": MEMBER_PERMISSIONS,
        "position": 1,
        "managed": True,
        "tags": {"bot_id": str(BOT_ID)},
    }
    bot_member = {**_member(with_user=False), "user": BOT_USER, "roles": [str(BOT_ROLE_ID)]}
    return {
        "id": str(GUILD_ID),
        "name": "Readers",
        "owner_id": str(USER_ID),
        "unavailable": False,
        "large": False,
        "member_count": 2,
        "joined_at": TIMESTAMP,
        "roles": [everyone, bot_role],
        "channels": [_text_channel()],
        "threads": [_thread()],
        "members": [bot_member],
        "emojis": [],
        "stickers": [],
        "features": [],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "preferred_locale": "en-US",
        "premium_tier": 0,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "system_channel_flags": 0,
    }


# Discord refuses a message whose components repeat a custom_id.
INVALID_COMPONENTS = {
    "message": "Invalid Form Body",
    "code": 50035,
    "errors": {"components": {"_errors": [{"code": "COMPONENT_CUSTOM_ID_DUPLICATED"}]}},
}


def _repeats_a_custom_id(body: dict[str, Any]) -> bool:
    """Whether a message body's components use one custom_id twice."""
    ids = [
        c["custom_id"]
        for row in body.get("components") or []
        for c in row.get("components", [])
        if "custom_id" in c
    ]
    return len(ids) != len(set(ids))
