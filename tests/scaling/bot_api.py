"""A small loopback Bot API for the multi-instance tests: each instance gets its own base URL
(/<name>/bot<token>/<method>), so the harness knows which instance sent what, and can freeze
one instance's calls (to kill it before its reply leaves)."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

JSON = dict[str, Any]
BOT = {"id": 777, "is_bot": True, "first_name": "FAQ", "username": "faq_test_bot"}


@dataclass
class Sent:
    """One message an instance sent (recorded when the API answered it)."""

    instance: str
    chat_id: int
    text: str
    reply_to: int | None


@dataclass
class BotApi:
    """The fake server. `freeze_on(chat_id)`: the next sendMessage to that chat, and every call
    of the instance that sent it after that, is held unanswered and never recorded."""

    token: str
    sent: list[Sent] = field(default_factory=list)
    calls: list[tuple[str, str]] = field(default_factory=list)
    frozen: set[str] = field(default_factory=set)
    freeze_chat: int | None = None
    froze: asyncio.Event = field(default_factory=asyncio.Event)
    held: Counter[str] = field(default_factory=Counter)
    _closing: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    port: int = 0

    def base_url(self, instance: str) -> str:
        """TELEGRAM_API_URL for one instance."""
        return f"http://127.0.0.1:{self.port}/{instance}/bot"

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        app = web.Application()
        app.router.add_post("/{instance}/bot{token}/{method}", self._call)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def close(self) -> None:
        """Stop serving (held calls are let go first)."""
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _call(self, request: web.Request) -> web.Response:
        instance, method = request.match_info["instance"], request.match_info["method"]
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}
            )
        params = await _params(request)
        self.calls.append((instance, method))
        if method == "sendMessage" and self.freeze_chat == int(params["chat_id"]):
            self.freeze_chat = None
            self.frozen.add(instance)
            self.froze.set()
        if instance in self.frozen:
            self.held[instance] += 1
            try:
                await self._closing.wait()  # held until the server closes
            finally:
                self.held[instance] -= 1
            return web.json_response({"ok": False, "error_code": 500, "description": "closed"})
        return web.json_response({"ok": True, "result": self._result(instance, method, params)})

    def _result(self, instance: str, method: str, params: JSON) -> Any:
        if method == "getMe":
            return BOT
        if method == "sendMessage":
            chat_id = int(params["chat_id"])
            reply = params.get("reply_parameters") or {}
            self.sent.append(Sent(instance, chat_id, str(params["text"]), reply.get("message_id")))
            return {
                "message_id": next(self._ids),
                "date": 0,
                "chat": {"id": chat_id, "type": "private"},
                "from": BOT,
                "text": params["text"],
            }
        return True


async def _params(request: web.Request) -> JSON:
    if request.content_type == "application/json":
        data: JSON = await request.json()
        return data
    form = await request.post()
    params: JSON = {}
    for key, value in form.items():
        text = value if isinstance(value, str) else ""
        try:
            params[key] = json.loads(text) if text[:1] in "{[" else text
        except ValueError:
            params[key] = text
    return params
