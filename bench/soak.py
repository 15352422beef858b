"""Soak benchmark (not a test): `faqbot run` against both loopback fakes, minutes of mixed traffic
above Telegram's send limit, with injected 5xx and 429s.

Each minute is a cycle: a burst above the 30 messages/s limit, then quieter traffic that lets the
backlog drain. Throughout: inline queries, 👍 and "open entry" presses, group mentions, Discord
mentions, /ask and button clicks. It prints answers per second, inline, callback and Discord
interaction latency, whether every question got exactly one answer, and the bot process's
resident memory before, at the end of every cycle and after, so a leak shows as growth from one
cycle's end to the next.

    make soak                       # 3 cycles of 60 s
    .venv/bin/python bench/soak.py --cycles 1 --burst 10 --quiet 20
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests" / "telegram"), str(ROOT / "tests" / "discord")]

from fake_discord import BOT_ID, FakeDiscord  # noqa: E402
from tg_fake_api import ApiCall, FakeBotApi  # noqa: E402

from bot.bootstrap import DEFAULT_PACK  # noqa: E402
from bot.knowledge.pack import load_pack  # noqa: E402

TG_TOKEN = "123456:SOAK-TOKEN-not-real"
DC_TOKEN = "SOAK.discord.token-not-real"
NOT_COVERED = ["What is Imran Khan's net worth?", "how do I cook rice", "who won the match?"]


@dataclass
class Rates:
    """Arrivals per second in one phase of a cycle."""

    private: float
    group: float
    inline: float
    presses: float
    discord: float


@dataclass
class Tally:
    """What the driver saw, harvested from the fakes' call records."""

    asked: dict[tuple[int, int], float] = field(default_factory=dict)  # (chat, msg) -> pushed at
    replies: Counter[tuple[int, int]] = field(default_factory=Counter)
    send_times: list[float] = field(default_factory=list)
    inline: list[float] = field(default_factory=list)
    callbacks: list[float] = field(default_factory=list)
    discord: list[float] = field(default_factory=list)
    injected_5xx: int = 0
    injected_429: int = 0
    burst_windows: list[tuple[float, float]] = field(default_factory=list)


def rss_kib(pid: int) -> int:
    """Resident memory of a process (VmRSS), KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of values, 0 when there are none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


class Driver:
    """Pushes traffic into both fakes and harvests what the bot did."""

    def __init__(self, tg: FakeBotApi, dc: FakeDiscord, seed: int) -> None:
        self.tg, self.dc = tg, dc
        self.rng = random.Random(seed)
        pack = load_pack(DEFAULT_PACK)
        self.questions = [q for e in pack.entries for q in e.questions[:3]] + NOT_COVERED
        self.entries = [e.id for e in pack.entries]
        self.users = [tg.user(100_000 + n, f"R{n}") for n in range(3000)]
        self.user_cycle = itertools.cycle(self.users)
        self.groups = [tg.group(-1009000000000 - n, f"G{n}") for n in range(10)]
        self.tally = Tally()
        self._harvested = 0
        self._dc_harvested = 0
        self._press_targets: dict[int, dict[str, Any]] = {}  # chat id -> a bot answer there
        self._dc_seen: set[str] = set()
        self._sends = 0

    # --- traffic ---------------------------------------------------------------------------

    def ask_private(self) -> None:
        user = next(self.user_cycle)
        message = self.tg.post(self.tg.private_chat(user), user, self.rng.choice(self.questions))
        key = (message["chat"]["id"], message["message_id"])
        self.tally.asked[key] = time.monotonic()

    def ask_group(self) -> None:
        user = next(self.user_cycle)
        group = self.rng.choice(self.groups)
        text = f"@{self.tg.bot['username']} {self.rng.choice(self.questions)}"
        message = self.tg.post(group, user, text)
        self.tally.asked[(group["id"], message["message_id"])] = time.monotonic()

    def inline(self) -> None:
        self.tg.inline_query(next(self.user_cycle), self.rng.choice(self.questions)[:60])

    def press(self) -> None:
        """A reader presses 👍 or a related question under an answer in their own chat."""
        if not self._press_targets:
            return
        chat_id = self.rng.choice(list(self._press_targets))
        entry = self.rng.choice(self.entries)
        data = f"v:+:{entry}" if self.rng.random() < 0.5 else f"e:{entry}"
        self.tg.press(self.tg.user(chat_id), self._press_targets[chat_id], data)

    async def discord_event(self) -> None:
        roll = self.rng.random()
        question = self.rng.choice(self.questions)
        if roll < 0.5:
            await self.dc.send_message(f"<@{BOT_ID}> {question}", mention_bot=True)
        elif roll < 0.8 or not self.dc.messages:
            await self.dc.slash("ask", question=question)
        else:
            answer = self.dc.stored(self.dc.messages[-1]["id"])
            buttons = [
                c["custom_id"] for row in answer.get("components", []) for c in row["components"]
            ]
            if buttons:
                await self.dc.click(answer, self.rng.choice(buttons))

    def inject_faults(self) -> None:
        """After every 200th question the next send fails with a 502, after every 1,000th with a
        429 (whichever send comes next, for whichever chat)."""
        self._sends += 1
        if self._sends % 200 == 0:
            self.tg.fail_next("sendMessage", 502, "Bad Gateway")
            self.tally.injected_5xx += 1
        if self._sends % 1000 == 0:
            self.tg.fail_next("sendMessage", 429, "Too Many Requests", retry_after=2)
            self.tally.injected_429 += 1

    async def phase(self, seconds: float, rates: Rates, tick: float = 0.05) -> None:
        loop = asyncio.get_running_loop()
        start = loop.time()
        owed: Counter[str] = Counter()
        steps = 0
        while loop.time() - start < seconds:
            for kind in ("private", "group", "inline", "presses", "discord"):
                owed[kind] += getattr(rates, kind) * tick
            while owed["private"] >= 1:
                owed["private"] -= 1
                self.ask_private()
                self.inject_faults()
            while owed["group"] >= 1:
                owed["group"] -= 1
                self.ask_group()
            while owed["inline"] >= 1:
                owed["inline"] -= 1
                self.inline()
            while owed["presses"] >= 1:
                owed["presses"] -= 1
                self.press()
            while owed["discord"] >= 1:
                owed["discord"] -= 1
                await self.discord_event()
            self.harvest()
            steps += 1
            await asyncio.sleep(max(0.0, start + steps * tick - loop.time()))

    # --- accounting -------------------------------------------------------------------------

    def harvest(self) -> None:
        """Fold new fake call records into the tally, then drop them (the fakes stay small)."""
        calls: list[ApiCall] = self.tg.calls[self._harvested :]
        self._harvested = len(self.tg.calls)
        for call in calls:
            params = call.params
            if call.method == "sendMessage" and call.ok:
                self.tally.send_times.append(call.at)
                reply = (params.get("reply_parameters") or {}).get("message_id")
                chat_id = int(params["chat_id"])
                if reply is not None:
                    self.tally.replies[(chat_id, int(reply))] += 1
                if chat_id > 0 and params.get("reply_markup") and len(self._press_targets) < 500:
                    self._press_targets[chat_id] = self._last_bot_message(chat_id)
            elif call.method == "answerInlineQuery":
                pushed = self.tg.query_pushed.pop(params["inline_query_id"], None)
                if pushed is not None:
                    self.tally.inline.append(call.at - pushed)
            elif call.method == "answerCallbackQuery":
                pushed = self.tg.query_pushed.pop(params["callback_query_id"], None)
                if pushed is not None:
                    self.tally.callbacks.append(call.at - pushed)
        if len(self.tg.calls) > 20_000:
            del self.tg.calls[: self._harvested]
            self._harvested = 0
        self._harvest_discord()

    def _last_bot_message(self, chat_id: int) -> dict[str, Any]:
        return self.tg.bot_messages(chat_id)[-1]

    def _harvest_discord(self) -> None:
        requests = self.dc.requests[self._dc_harvested :]
        self._dc_harvested = len(self.dc.requests)
        for request in requests:
            if request.method != "POST" or not request.path.endswith("/callback"):
                continue
            token = request.path.split("/")[3]
            created = self.dc._created.get(token)
            if created is not None and token not in self._dc_seen:
                self._dc_seen.add(token)
                self.tally.discord.append(request.at - created)


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=3)
    parser.add_argument("--burst", type=float, default=20, help="seconds above the limit")
    parser.add_argument("--quiet", type=float, default=40, help="seconds below it")
    parser.add_argument("--burst-rate", type=float, default=50, help="private questions/s")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args(argv)

    tg, dc = FakeBotApi(TG_TOKEN), FakeDiscord(DC_TOKEN)
    await tg.start()
    await dc.start()
    state = tempfile.mkdtemp(prefix="faqbot-soak-")
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TG_TOKEN,
        "TELEGRAM_API_URL": tg.base_url,
        "DISCORD_BOT_TOKEN": DC_TOKEN,
        "DISCORD_API_URL": dc.api_url,
        "DISCORD_GATEWAY_URL": dc.gateway_url,
        "FAQBOT_DB": str(Path(state) / "soak.sqlite3"),
    }
    faqbot = Path(sys.executable).parent / "faqbot"
    log_path = Path(state) / "bot.log"
    with log_path.open("w") as log:
        bot = await asyncio.create_subprocess_exec(
            str(faqbot), "run", env=env, stdout=asyncio.subprocess.DEVNULL, stderr=log
        )
    print(f"soak: faqbot run (pid {bot.pid}), its log in {log_path}", flush=True)
    driver = Driver(tg, dc, args.seed)
    try:
        await _wait(lambda: tg.called("getUpdates") and dc.frames_with(2), 30)
        await _wait(lambda: dc._commands, 30)
        burst = Rates(args.burst_rate, 1.0, 10.0, 10.0, 5.0)
        quiet = Rates(8.0, 1.0, 10.0, 10.0, 5.0)
        await driver.phase(10, quiet)  # warm-up
        await _drained(driver)
        memory = {"before": rss_kib(bot.pid)}
        driver.tally = Tally()
        started = time.monotonic()
        for cycle in range(1, args.cycles + 1):
            begin = time.monotonic()
            await driver.phase(args.burst, burst)
            driver.tally.burst_windows.append((begin, time.monotonic()))
            await driver.phase(args.quiet, quiet)
            memory[f"end of cycle {cycle}"] = rss_kib(bot.pid)
        traffic_end = time.monotonic()
        await _drained(driver)
        finished = time.monotonic()
        await asyncio.sleep(5)
        memory["after (drained, 5 s idle)"] = rss_kib(bot.pid)
        report(driver.tally, memory, started, traffic_end, finished, args)
    finally:
        bot.terminate()
        await bot.wait()
        await tg.close()
        await dc.close()
    return 0


async def _wait(condition: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("soak: the bot did not start against the fakes")
        await asyncio.sleep(0.05)


async def _drained(driver: Driver, timeout: float = 120) -> None:
    """Until every question asked so far has its reply (or the timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        driver.harvest()
        if all(driver.tally.replies[k] for k in driver.tally.asked):
            return
        await asyncio.sleep(0.1)


def report(
    tally: Tally,
    memory: dict[str, int],
    started: float,
    traffic_end: float,
    finished: float,
    args: argparse.Namespace,
) -> None:
    asked = len(tally.asked)
    once = sum(1 for k in tally.asked if tally.replies[k] == 1)
    twice = sum(1 for k in tally.asked if tally.replies[k] > 1)
    missing = asked - once - twice
    in_bursts = [t for t in tally.send_times if any(a <= t <= b for a, b in tally.burst_windows)]
    burst_seconds = sum(b - a for a, b in tally.burst_windows)
    per_second = Counter(int(t) for t in tally.send_times)
    print(f"soak: {args.cycles} cycles of {args.burst:.0f} s at {args.burst_rate:.0f} questions/s")
    print(f"      + {args.quiet:.0f} s at 8/s; throughout 10 inline/s, 10 presses/s, 5 Discord/s")
    print(f"traffic {traffic_end - started:.0f} s, drained after {finished - traffic_end:.1f} s")
    print(f"questions asked (private + group)  {asked}")
    print(f"answered exactly once              {once}")
    print(f"answered more than once            {twice}")
    print(f"not answered                       {missing}")
    print(f"injected: {tally.injected_5xx} x 502, {tally.injected_429} x 429 (retry_after 2 s)")
    print(f"Telegram messages sent             {len(tally.send_times)}")
    print(f"  answers/s overall                {len(tally.send_times) / (finished - started):.1f}")
    if burst_seconds:
        print(f"  answers/s during bursts          {len(in_bursts) / burst_seconds:.1f}")
    print(f"  busiest second                   {max(per_second.values(), default=0)}")
    for name, values in (
        ("inline answer", tally.inline),
        ("callback answer", tally.callbacks),
        ("Discord first callback", tally.discord),
    ):
        p50, p95 = percentile(values, 50) * 1000, percentile(values, 95) * 1000
        worst = max(values, default=0) * 1000
        print(
            f"{name:<24} n={len(values):<6} p50 {p50:5.0f} ms  p95 {p95:5.0f} ms"
            f"  max {worst:5.0f} ms"
        )
    print("bot process resident memory (VmRSS):")
    for label, kib in memory.items():
        print(f"  {label:<28} {kib / 1024:7.1f} MiB")


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(sys.argv[1:])))
