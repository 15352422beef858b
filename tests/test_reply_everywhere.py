"""One Reply, three platforms: Telegram (HTML and keyboard), Discord (embed and view) and the
console (plain text) show the same title, quotes, speaker line, footer and buttons."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pytest

from adapters.discord.render import reply_embed
from adapters.discord.views import reply_view
from adapters.telegram import keyboards
from adapters.telegram.render import render_reply
from bot.answering.service import FaqService
from bot.model import ARTICLE_SPEAKER_ID, AnswerKind, Audience, ChatSettings, Entry, KnowledgePack
from bot.presentation.render import reply_text
from bot.presentation.reply import ButtonKind, Reply, build_reply, speakers_reply

# Buttons by what they do; related questions and choices both open an entry.
OPEN, UP, DOWN, SPEAKER = "open", "up", "down", "speaker"
_ACTION = {
    ButtonKind.RELATED: OPEN,
    ButtonKind.CHOICE: OPEN,
    ButtonKind.VOTE_UP: UP,
    ButtonKind.VOTE_DOWN: DOWN,
    ButtonKind.SPEAKER: SPEAKER,
}


@dataclass(frozen=True)
class Shown:
    """What a reader sees on one platform, as plain text and (action, payload, label) buttons."""

    text: str
    title: str | None
    buttons: list[tuple[str, str, str]]


def _telegram(reply: Reply) -> Shown:
    parts = render_reply(reply)
    text = "\n\n".join(html.unescape(re.sub(r"<[^>]+>", "", p)) for p in parts)
    text = text.replace("\u2060", "")  # the word joiner that defuses @handles
    title = re.match(r"<b>(.*?)</b>", parts[0])
    markup = keyboards.reply_keyboard(reply)
    buttons = []
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            action = keyboards.parse(button.callback_data)
            assert action is not None
            kind = {keyboards.ENTRY: OPEN, keyboards.SPEAKER: SPEAKER}.get(action.kind)
            kind = kind or (UP if action.vote > 0 else DOWN)
            buttons.append((kind, action.value, button.text))
    return Shown(text, html.unescape(title[1]) if title else None, buttons)


def _discord_plain(markdown: str) -> str:
    text = re.sub(r"^> ?", "", markdown, flags=re.M).replace("**", "").replace("\u200b", "")
    return re.sub(r"\\(.)", r"\1", text).replace("*+", "+").replace(".*", ".")


def _discord(reply: Reply) -> Shown:
    embed = reply_embed(reply)
    parts = [embed.description or "", embed.footer.text or ""]
    buttons = []
    for row in reply_view(reply).to_components():
        for component in row["components"]:
            _, action, *rest = component["custom_id"].split(":")
            kind = {"open": OPEN, "speaker": SPEAKER}.get(action) or (
                UP if rest[0] == "up" else DOWN
            )
            label = component.get("label") or component["emoji"]["name"]
            buttons.append((kind, rest[-1], label))
    title = _discord_plain(embed.title) if embed.title else None
    return Shown(_discord_plain("\n\n".join(parts)), title, buttons)


def _console(reply: Reply) -> Shown:
    text = reply_text(reply)
    title = text.split("\n", 1)[0] if reply.title else None
    # Plain text cannot be pressed: buttons are listed by label; votes are not offered.
    opens = [b.label for b in reply.buttons if b.kind in (ButtonKind.RELATED, ButtonKind.CHOICE)]
    assert all(f"  • {label}" in text for label in opens)
    speakers = [b.label for b in reply.buttons if b.kind is ButtonKind.SPEAKER]
    assert all(f"• {label}," in text for label in speakers)
    return Shown(text, title, [])


def _same_label(shown: str, wanted: str) -> bool:
    """The label as given, or cut to the platform's label length with an ellipsis."""
    wanted = " ".join(wanted.split())
    return shown == wanted or (shown.endswith("…") and wanted.startswith(shown[:-1].rstrip()))


def _flat(text: str) -> str:
    return " ".join(text.split())


def _assert_same_everywhere(reply: Reply) -> None:
    expected_buttons = [(_ACTION[b.kind], b.payload, b.label) for b in reply.buttons]
    for name, shown in (
        ("telegram", _telegram(reply)),
        ("discord", _discord(reply)),
        ("console", _console(reply)),
    ):
        flat = _flat(shown.text)
        assert shown.title == reply.title, name
        assert _flat(reply.body) in flat, name
        for quote in reply.quotes:
            assert _flat(quote.text) in flat, name
            assert quote.attribution in flat, name
        for line in (reply.more_quotes, reply.speaker_line, reply.footer):
            if line:
                assert line in flat, (name, line)
        if name != "console":
            assert [b[:2] for b in shown.buttons] == [b[:2] for b in expected_buttons], name
            for (_, _, label), (_, _, wanted) in zip(shown.buttons, expected_buttons, strict=True):
                assert _same_label(label, wanted), (name, label, wanted)


@pytest.fixture(scope="module")
def pack_service(any_pack: KnowledgePack) -> FaqService:
    return FaqService(any_pack)


def test_one_answer_reply_looks_the_same_on_every_platform(
    any_pack: KnowledgePack, pack_service: FaqService
) -> None:
    def named_quotes(entry: Entry) -> tuple[int, int]:
        named = {q.speaker_id for q in entry.quotes if q.speaker_id != ARTICLE_SPEAKER_ID}
        return len(named), len(entry.quotes)

    entry = max(any_pack.entries, key=named_quotes)
    answer = pack_service.answer_entry(entry.id)
    assert answer is not None
    reply = build_reply(
        answer, any_pack.source, chat=Audience.GROUP, settings=ChatSettings(max_quotes=1)
    )
    assert reply.title and reply.quotes and reply.footer and reply.speaker_line
    assert reply.held_back > 0 and reply.buttons
    assert any_pack.source.title in reply.footer  # every answer names its article
    _assert_same_everywhere(reply)
    # In private every quote is shown, the article's own voice included.
    _assert_same_everywhere(build_reply(answer, any_pack.source, chat=Audience.PRIVATE))


def test_every_entry_looks_the_same_on_every_platform(
    any_pack: KnowledgePack, pack_service: FaqService
) -> None:
    for entry in any_pack.entries:
        answer = pack_service.answer_entry(entry.id)
        assert answer is not None
        _assert_same_everywhere(build_reply(answer, any_pack.source, chat=Audience.PRIVATE))


def test_a_refusal_and_a_speaker_list_look_the_same_on_every_platform(
    any_pack: KnowledgePack, pack_service: FaqService
) -> None:
    refusal = pack_service.ask("What is the price of tea on the moon?")
    assert refusal.kind is not AnswerKind.ANSWER
    _assert_same_everywhere(build_reply(refusal, any_pack.source, chat=Audience.PRIVATE))
    listing = speakers_reply(list(any_pack.speakers.values()), any_pack.source)
    assert listing.buttons
    _assert_same_everywhere(listing)
