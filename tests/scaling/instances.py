"""Real `faqbot run telegram` webhook processes, and a Telegram-like sender that redelivers an
update until an instance answers it 200 (and sometimes delivers it to two instances at once)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

TOKEN = "424242:FAKE-scaling-token-not-real"
SECRET = "scaling-Secret_0"
ADMIN = 9001
HOOK_PATH = "tg/hook"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Instance:
    """One `faqbot run telegram` webhook process."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        """Where its webhook route listens."""
        return f"http://127.0.0.1:{self.port}/{HOOK_PATH}"

    def output(self) -> str:
        """Everything it logged so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        """SIGTERM, then wait for a clean exit."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def faqbot_command() -> list[str]:
    """The installed `faqbot` console script next to this Python."""
    script = Path(sys.executable).parent / "faqbot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli.main"]


async def start_instance(
    name: str,
    *,
    api_url: str,
    db: str,
    log_dir: Path,
    knowledge: Path | None = None,
    extra: Sequence[str] = (),
) -> Instance:
    """Start one instance and wait until its webhook port accepts connections."""
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in ("DISCORD_BOT_TOKEN", "FAQBOT_KNOWLEDGE")
    }
    env |= {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api_url,
        "FAQBOT_DB": db,
        "FAQBOT_ADMINS": f"telegram:{ADMIN}",
        "PYTHONUNBUFFERED": "1",
    }
    if knowledge is not None:
        env["FAQBOT_KNOWLEDGE"] = str(knowledge)
    argv = [
        *faqbot_command(),
        "run",
        "telegram",
        "--webhook-url",
        f"https://bot.example.org/{HOOK_PATH}",
        "--listen",
        "127.0.0.1",
        "--port",
        str(port),
        "--secret-token",
        SECRET,
        *extra,
    ]
    log = log_dir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
    instance = Instance(name, port, process, log)
    deadline = time.monotonic() + 60
    while not await _accepts(port):
        if process.poll() is not None:
            raise AssertionError(
                f"instance {name} exited {process.returncode}:\n{instance.output()}"
            )
        if time.monotonic() > deadline:
            instance.stop()
            raise AssertionError(f"instance {name} never listened:\n{instance.output()}")
        await asyncio.sleep(0.05)
    return instance


async def _accepts(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    await writer.wait_closed()
    return True


def private_message(i: int, text: str, user_id: int | None = None) -> dict[str, Any]:
    """Update number i: a private message from user (5000 + i) in their own chat."""
    uid = user_id or 5000 + i
    user = {"id": uid, "is_bot": False, "first_name": f"Reader{i}"}
    chat = {"id": uid, "type": "private", "first_name": f"Reader{i}"}
    message = {"message_id": 100 + i, "from": user, "chat": chat, "date": 0, "text": text}
    return {"update_id": 70_000 + i, "message": message}


class Sender:
    """Delivers updates as Telegram does: until one instance answers 200, trying the next one
    when an instance fails, refuses or dies."""

    def __init__(self, http: aiohttp.ClientSession, instances: list[Instance]) -> None:
        self._http = http
        self._instances = instances
        self.attempts: list[tuple[int, str, str]] = []

    async def deliver(self, update: dict[str, Any], first: int, timeout: float = 60) -> str:
        """POST the update, first to instances[first]; return the name of the one that took it."""
        deadline = time.monotonic() + timeout
        turn = first
        while time.monotonic() < deadline:
            instance = self._instances[turn % len(self._instances)]
            turn += 1
            outcome = await self._post(instance, update)
            self.attempts.append((update["update_id"], instance.name, outcome))
            if outcome == "200":
                return instance.name
            await asyncio.sleep(0.05)  # redelivery pacing, as Telegram waits between tries
        raise AssertionError(f"update {update['update_id']} was never accepted")

    async def _post(self, instance: Instance, update: dict[str, Any]) -> str:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        try:
            async with self._http.post(
                instance.url, json=update, headers=headers, timeout=aiohttp.ClientTimeout(total=30)
            ) as response:
                return str(response.status)
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            return type(exc).__name__
