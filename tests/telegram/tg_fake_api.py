"""A loopback fake of the Telegram Bot API, enough for python-telegram-bot to run against.

It speaks the real wire protocol (POST {base}{token}/{method}, form fields with JSON-encoded
non-string values, {"ok": ..., "result": ...} replies), long-polls getUpdates, keeps the chats'
messages, checks what the bot sends the way Telegram does (HTML, lengths, callback data) and
records every call. Tests inject updates shaped as Telegram sends them and can make the next call
of a method fail.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from tg_html import TelegramHtmlError, parse, utf16_len

JSON = dict[str, Any]
SETTLE_TIMEOUT = 5.0
STRING_FIELDS = frozenset(
    {
        "text",
        "parse_mode",
        "callback_query_id",
        "inline_query_id",
        "inline_message_id",
        "url",
        "secret_token",
        "next_offset",
        "language_code",
        "ip_address",
    }
)
_COMMAND = re.compile(r"^/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{4,31}")


class ApiError(Exception):
    """An error reply: {"ok": false, "error_code": ..., "description": ...}."""

    def __init__(
        self,
        code: int,
        description: str,
        retry_after: int | None = None,
        *,
        after_store: bool = False,
    ) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after
        # The call is carried out (the message stored) and only then does the reply fail.
        self.after_store = after_store

    def body(self) -> JSON:
        """The JSON Telegram sends for this error."""
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass
class ApiCall:
    """One request the bot made: the method and its decoded parameters."""

    method: str
    params: JSON
    at: float = field(default_factory=time.monotonic)
    ok: bool | None = None


def utf16_offset(text: str, index: int) -> int:
    """A Python string index as a UTF-16 offset."""
    return utf16_len(text[:index])


def auto_entities(text: str) -> list[JSON]:
    """The entities Telegram's clients add: a leading bot command, and @mentions."""
    entities: list[JSON] = []
    command = _COMMAND.match(text)
    if command:
        entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command.group())})
    for mention in _MENTION.finditer(text):
        entities.append(
            {
                "type": "mention",
                "offset": utf16_offset(text, mention.start()),
                "length": utf16_len(mention.group()),
            }
        )
    return entities


class FakeBotApi:
    """The fake server. `start()` returns the base URL to give PTB (…/bot)."""

    def __init__(self, token: str, *, username: str = "faq_test_bot", bot_id: int = 777000111):
        self.token = token
        self.bot: JSON = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Article FAQ",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }
        self.calls: list[ApiCall] = []
        self.chats: dict[int, JSON] = {}
        self.messages: dict[tuple[int, int], JSON] = {}
        self.inline_messages: dict[str, JSON] = {}
        self.admins: set[tuple[int, int]] = set()
        self.webhook: JSON | None = None
        self._updates: list[JSON] = []
        self._update_ids = itertools.count(1)
        self._last_update_id = 0
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._ids = itertools.count(1000)
        self._failures: dict[str, list[ApiError]] = {}
        self.getme_delay = 0.0
        self.applications: list[Any] = []
        """The PTB Applications serving against this fake (tg_support.start_serving records
        them), so settle can tell when they have handled every update."""
        self.query_pushed: dict[str, float] = {}
        self._arrived = asyncio.Event()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- server ----------------------------------------------------------------------------

    async def start(self, port: int = 0) -> str:
        """Listen on 127.0.0.1 (on `port`, else a free one); return the base URL."""
        app = web.Application()
        app.router.add_post("/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self.base_url

    @property
    def base_url(self) -> str:
        """What TELEGRAM_API_URL is set to."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def close(self) -> None:
        """Wake long polls and stop the server."""
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        if not path.startswith("bot") or "/" not in path:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"})
        token, _, method = path[3:].rpartition("/")
        call = ApiCall(method, _decode(await request.post()))
        self.calls.append(call)
        params = call.params
        try:
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            failures = self._failures.get(method)
            failure = failures.pop(0) if failures else None
            if failure is not None and not failure.after_store:
                raise failure
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await handler(params)
            if failure is not None:
                raise failure
        except ApiError as error:
            call.ok = False
            return web.json_response(error.body(), status=error.code)
        call.ok = True
        return web.json_response({"ok": True, "result": result})

    # --- test controls -----------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        code: int,
        description: str,
        *,
        retry_after: int | None = None,
        times: int = 1,
        after_store: bool = False,
    ) -> None:
        """Make the next `times` calls of `method` fail with this error; with `after_store`, each
        is carried out first (a message is stored) and only its reply is the error."""
        failures = self._failures.setdefault(method, [])
        for _ in range(times):
            failures.append(ApiError(code, description, retry_after, after_store=after_store))

    def answered_after(self, query_id: str) -> float | None:
        """Seconds from an inline query or button press reaching the fake to its first answer
        (answerInlineQuery / answerCallbackQuery), or None while unanswered."""
        for call in self.calls:
            if call.method not in ("answerInlineQuery", "answerCallbackQuery"):
                continue
            answered = call.params.get("inline_query_id") or call.params.get("callback_query_id")
            if answered == query_id:
                return call.at - self.query_pushed[query_id]
        return None

    def called(self, method: str) -> list[JSON]:
        """The parameters of every call of `method`, in order, failed ones included."""
        return [c.params for c in self.calls if c.method == method]

    def sent(self, chat_id: int | None = None) -> list[JSON]:
        """Parameters of the sendMessage calls that succeeded, optionally for one chat."""
        return [
            c.params
            for c in self.calls
            if c.method == "sendMessage" and c.ok and chat_id in (None, c.params["chat_id"])
        ]

    async def wait_for(
        self, condition: Callable[[], bool], timeout: float = SETTLE_TIMEOUT
    ) -> None:
        """Wait until `condition()` holds; fail the test after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; calls: {[c.method for c in self.calls]}")
            await asyncio.sleep(0.01)

    async def settle(self, timeout: float = SETTLE_TIMEOUT) -> None:
        """Wait until the bot has handled every update pushed so far, for tests that then
        assert it stayed silent or answered once; fail after `timeout` seconds.

        Handled means: the bot has confirmed the updates (a getUpdates with a later offset: PTB
        queues what it fetched before it asks again), its Applications' update queues are empty,
        and no task processing an update is left (the bot runs on this loop; PTB takes an update
        off its queue and creates the task processing it in one step)."""
        assert self.applications, "settle needs the bot's Application: use start_serving"
        last = self._last_update_id

        def confirmed() -> bool:
            offsets = (int(p.get("offset") or 0) for p in self.called("getUpdates"))
            return last == 0 or any(offset > last for offset in offsets)

        await self.wait_for(confirmed, timeout)
        await self.wait_for(lambda: not self.handling(), timeout)

    def handling(self) -> list[str]:
        """What the bot has yet to finish: updates queued in its Applications, and the tasks
        processing updates (PTB names them Application:<bot id>:process_…)."""
        busy = [f"{app.update_queue.qsize()} queued" for app in self.applications]
        busy = [b for b in busy if not b.startswith("0 ")]
        prefixes = tuple(f"Application:{app.bot.id}:process" for app in self.applications)
        current = asyncio.current_task()
        busy += [
            task.get_name()
            for task in asyncio.all_tasks()
            if task is not current and not task.done() and task.get_name().startswith(prefixes)
        ]
        return busy

    # --- building updates ---------------------------------------------------------------------

    def user(self, user_id: int, first_name: str = "Ann", **extra: Any) -> JSON:
        """A Telegram User object."""
        return {"id": user_id, "is_bot": False, "first_name": first_name, **extra}

    def private_chat(self, user: JSON) -> JSON:
        """The private chat with a user."""
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        self.chats[chat["id"]] = chat
        return chat

    def group(self, chat_id: int, title: str = "Readers", kind: str = "supergroup") -> JSON:
        """A group or supergroup chat (ids are negative)."""
        chat = {"id": chat_id, "type": kind, "title": title}
        self.chats[chat_id] = chat
        return chat

    def post(
        self,
        chat: JSON,
        sender: JSON,
        text: str,
        *,
        reply_to: JSON | None = None,
        entities: list[JSON] | None = None,
    ) -> JSON:
        """A user sends a text message; it becomes a `message` update. Returns the message."""
        message: JSON = {
            "message_id": self._next_message_id(chat["id"]),
            "from": sender,
            "chat": chat,
            "date": int(time.time()),
            "text": text,
        }
        found = auto_entities(text) if entities is None else entities
        if found:
            message["entities"] = found
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        self.messages[(chat["id"], message["message_id"])] = message
        self.push({"message": message})
        return message

    def press(self, sender: JSON, message: JSON, data: str) -> str:
        """A user presses an inline button on a bot message; returns the callback query id."""
        query_id = str(next(self._ids))
        self.push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": sender,
                    "message": message,
                    "chat_instance": "42",
                    "data": data,
                }
            }
        )
        return query_id

    def press_inline(self, sender: JSON, inline_message_id: str, data: str) -> str:
        """A user presses a button on a message sent through inline mode."""
        query_id = str(next(self._ids))
        self.push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": sender,
                    "inline_message_id": inline_message_id,
                    "chat_instance": "43",
                    "data": data,
                }
            }
        )
        return query_id

    def inline_query(self, sender: JSON, query: str, chat_type: str = "private") -> str:
        """A user types `@bot query`; returns the inline query id."""
        query_id = str(next(self._ids))
        self.push(
            {
                "inline_query": {
                    "id": query_id,
                    "from": sender,
                    "query": query,
                    "offset": "",
                    "chat_type": chat_type,
                }
            }
        )
        return query_id

    def push(self, body: JSON) -> JSON:
        """Queue an update (an update_id is added)."""
        self._last_update_id = next(self._update_ids)
        update = {"update_id": self._last_update_id, **body}
        for kind in ("inline_query", "callback_query"):
            if kind in body:
                self.query_pushed[body[kind]["id"]] = time.monotonic()
        self._updates.append(update)
        self._arrived.set()
        return update

    def bot_messages(self, chat_id: int) -> list[JSON]:
        """What the bot has sent to a chat, as Message objects, oldest first."""
        return [
            m
            for (cid, _), m in sorted(self.messages.items())
            if cid == chat_id and m["from"]["id"] == self.bot["id"]
        ]

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    # --- Bot API methods -----------------------------------------------------------------------

    async def _api_getMe(self, params: JSON) -> JSON:
        if self.getme_delay:
            await asyncio.sleep(self.getme_delay)
        return self.bot

    async def _api_setMyCommands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or not 0 < len(commands) <= 100:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command["command"]):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        return True

    async def _api_deleteWebhook(self, params: JSON) -> bool:
        self.webhook = None
        return True

    async def _api_setWebhook(self, params: JSON) -> bool:
        self.webhook = params
        return True

    async def _api_getUpdates(self, params: JSON) -> list[JSON]:
        if self.webhook is not None:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        timeout = float(params.get("timeout") or 0)
        if not self._updates and timeout > 0:
            self._arrived.clear()
            waiters = [asyncio.ensure_future(e.wait()) for e in (self._arrived, self._closing)]
            await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waiters:
                waiter.cancel()
        allowed = params.get("allowed_updates")
        ready = [u for u in self._updates if not allowed or set(u) - {"update_id"} <= set(allowed)]
        return ready[: int(params.get("limit") or 100)]

    async def _api_sendMessage(self, params: JSON) -> JSON:
        chat_id = int(params["chat_id"])
        chat = self.chats.get(chat_id)
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        text = _check_text(params)
        markup = _check_markup(params.get("reply_markup"))
        message: JSON = {
            "message_id": self._next_message_id(chat_id),
            "from": self.bot,
            "chat": chat,
            "date": int(time.time()),
            "text": text,
        }
        reply = params.get("reply_parameters")
        if reply is not None:
            replied = self.messages.get((chat_id, int(reply["message_id"])))
            if replied is None and not reply.get("allow_sending_without_reply"):
                raise ApiError(400, "Bad Request: message to be replied not found")
            if replied is not None:
                message["reply_to_message"] = replied
        if markup is not None:
            message["reply_markup"] = markup
        self.messages[(chat_id, message["message_id"])] = message
        return message

    async def _api_editMessageText(self, params: JSON) -> JSON | bool:
        text = _check_text(params)
        markup = _check_markup(params.get("reply_markup"))
        if "inline_message_id" in params:
            self.inline_messages[params["inline_message_id"]] = {"text": text, "markup": markup}
            return True
        message = self.messages.get((int(params["chat_id"]), int(params["message_id"])))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if message["text"] == text and message.get("reply_markup") == markup:
            raise ApiError(400, "Bad Request: message is not modified")
        message["text"] = text
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        return message

    async def _api_answerCallbackQuery(self, params: JSON) -> bool:
        if len(params.get("text") or "") > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    async def _api_answerInlineQuery(self, params: JSON) -> bool:
        results = params.get("results")
        if not isinstance(results, list) or len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [r["id"] for r in results]
        if len(set(ids)) != len(ids) or any(len(i.encode()) > 64 for i in ids):
            raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
        for result in results:
            content = result["input_message_content"]
            _check_text(content | {"text": content["message_text"]})
            _check_markup(result.get("reply_markup"))
        return True

    async def _api_getChatMember(self, params: JSON) -> JSON:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        user = {"id": user_id, "is_bot": False, "first_name": "Member"}
        if (chat_id, user_id) not in self.admins:
            return {"status": "member", "user": user}
        rights = (
            "can_be_edited can_manage_chat can_delete_messages can_manage_video_chats "
            "can_restrict_members can_promote_members can_change_info can_invite_users "
            "can_post_stories can_edit_stories can_delete_stories is_anonymous"
        ).split()
        return {"status": "administrator", "user": user, **dict.fromkeys(rights, False)}


def _decode(form: Any) -> JSON:
    params: JSON = {}
    for key, value in form.items():
        if key in STRING_FIELDS or not isinstance(value, str):
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params


def _check_text(params: JSON) -> str:
    text = params.get("text")
    if not isinstance(text, str) or not text:
        raise ApiError(400, "Bad Request: message text is empty")
    if params.get("parse_mode") != "HTML":
        if utf16_len(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        return text
    try:
        return parse(text).text
    except TelegramHtmlError as error:
        raise ApiError(400, f"Bad Request: can't parse entities: {error}") from None


def _check_markup(markup: Any) -> JSON | None:
    if markup is None:
        return None
    for row in markup["inline_keyboard"]:
        for button in row:
            if not button.get("text"):
                raise ApiError(
                    400, "Bad Request: text buttons are unallowed in the inline keyboard"
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup
