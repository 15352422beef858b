"""Unit tests: callback data, keyboards, group addressing (UTF-16), token redaction."""

from __future__ import annotations

from telegram import Chat, Message, User
from tg_fake_api import auto_entities

from adapters.telegram import keyboards
from adapters.telegram.addressing import (
    command_argument,
    from_human,
    inline_origin,
    mention_question,
    origin,
    remove_spans,
)
from adapters.telegram.app import file_url
from bot.answering.core import Core
from bot.model import Answer, AnswerKind, Audience, ChatKind, ChatSettings, Source, Suggestion
from bot.presentation.measures import page_count
from bot.presentation.reply import articles_reply, build_reply, speakers_reply

BOT = User(id=42, first_name="FAQ", is_bot=True, username="faq_test_bot")
TOKEN = "123456:TEST-TOKEN-not-real"


def message(text: str, chat_type: str = "supergroup", **extra: object) -> Message:
    """A PTB Message as Telegram would send it, with the client's automatic entities."""
    data = {
        "message_id": 1,
        "date": 0,
        "chat": {"id": -100, "type": chat_type},
        "from": {"id": 7, "is_bot": False, "first_name": "Ann"},
        "text": text,
        "entities": auto_entities(text),
        **extra,
    }
    return Message.de_json(data, None)


def keyboard(answer: Answer) -> object:
    """The inline keyboard of an answer's Reply (the buttons do not depend on the chat)."""
    return keyboards.reply_keyboard(build_reply(answer, Source("T", "news"), chat=Audience.GROUP))


def all_callback_data(markup: object) -> list[str]:
    """Every callback_data string of a keyboard."""
    assert markup is not None
    rows = markup.inline_keyboard  # type: ignore[attr-defined]
    return [b.callback_data for row in rows for b in row]


def test_every_keyboard_of_the_shipped_pack_fits_in_64_bytes(core: Core) -> None:
    article = core.library.first
    topics = article.answers.topics()
    data: list[str] = []
    for topic in topics:
        answer = article.answers.answer_entry(topic.entry_id)
        assert answer is not None
        data += all_callback_data(keyboard(answer))
    pages = page_count(len(topics), keyboards.PAGE_SIZE)
    for page in range(pages):
        data += all_callback_data(keyboards.topics_keyboard(topics, page))
    data += all_callback_data(
        keyboards.reply_keyboard(
            speakers_reply(article.speakers.speakers(), article.answers.source)
        )
    )
    data += all_callback_data(
        keyboards.reply_keyboard(articles_reply(core.article_choices(inline_origin(None))[0], None))
    )
    data += all_callback_data(keyboards.settings_keyboard(ChatSettings()))
    assert data
    for item in data:
        assert 1 <= len(item.encode()) <= keyboards.MAX_CALLBACK_DATA
        assert keyboards.parse(item) is not None


def test_callback_data_round_trips() -> None:
    assert keyboards.parse("e:who-left") == keyboards.Action("e", "who-left")
    assert keyboards.parse("v:+:who-left") == keyboards.Action("v", "who-left", 1)
    assert keyboards.parse("v:-:who-left") == keyboards.Action("v", "who-left", -1)
    assert keyboards.parse("t:3") == keyboards.Action("t", "3")
    assert keyboards.parse("sa") == keyboards.Action("sa")
    for junk in ("", "e:", "v:*:x", "v:+:", "t:x", "sq:-1", "zz", None, 5):
        assert keyboards.parse(junk) is None


def test_an_answer_keyboard_names_its_entry_for_follow_ups() -> None:
    answer = Answer(
        "q",
        AnswerKind.ANSWER,
        "t",
        entry_id="who-left",
        related=(Suggestion("a", "A?"), Suggestion("b", "B?")),
    )
    markup = keyboard(answer)
    assert keyboards.answered_entry(markup) == "who-left"
    assert all_callback_data(markup) == ["e:a", "e:b", "v:+:who-left", "v:-:who-left"]
    not_covered = Answer("q", AnswerKind.NOT_COVERED, "t", suggestions=(Suggestion("a", "A?"),))
    assert keyboards.answered_entry(keyboard(not_covered)) is None
    assert keyboard(Answer("q", AnswerKind.NOT_COVERED, "t")) is None


def test_ids_too_long_for_callback_data_get_no_button() -> None:
    long_id = "x" * 70
    answer = Answer("q", AnswerKind.ANSWER, "t", entry_id=long_id)
    assert keyboard(answer) is None


def test_long_labels_are_shortened() -> None:
    markup = keyboards.suggestions_keyboard([Suggestion("a", "word " * 40)])
    assert markup is not None
    label = markup.inline_keyboard[0][0].text
    assert len(label) <= keyboards.MAX_LABEL and label.endswith("…")


def test_remove_spans_counts_utf16_units() -> None:
    text = "🙂 @faq_test_bot 🇵🇰 why?"
    assert remove_spans(text, [(3, 13)]) == "🙂  🇵🇰 why?"
    assert remove_spans("abc", []) == "abc"
    assert remove_spans("a🙂b🙂c", [(1, 2), (4, 2)]) == "abc"


def test_mentions_of_the_bot_are_cut_out_and_others_kept() -> None:
    asked = message("👩‍👩‍👧 @FAQ_test_bot who is @benazir_fan Benazir Shah?")
    assert mention_question(asked, BOT) == "👩‍👩‍👧 who is @benazir_fan Benazir Shah?"
    assert mention_question(message("hi @someone_else"), BOT) is None
    text_mention = message(
        "FAQ bot, why?",
        entities=[
            {"type": "text_mention", "offset": 0, "length": 7, "user": BOT.to_dict()},
        ],
    )
    assert mention_question(text_mention, BOT) == ", why?"


def test_command_argument_strips_the_command_only() -> None:
    assert command_argument(message("/ask@faq_test_bot  why did they leave?")) == (
        "why did they leave?"
    )
    assert command_argument(message("/ask")) == ""
    assert command_argument(message("/who Asma\nFaiz")) == "Asma\nFaiz"


def test_bots_and_forwarded_channel_posts_are_not_people() -> None:
    assert from_human(message("hi"))
    bot_sender = {"id": 9, "is_bot": True, "first_name": "B"}
    assert not from_human(message("hi", **{"from": bot_sender}))
    anonymous_admin = {"sender_chat": {"id": -100, "type": "supergroup"}, "from": bot_sender}
    assert from_human(message("hi", **anonymous_admin))
    as_channel = {"sender_chat": {"id": -200, "type": "channel"}, "from": bot_sender}
    assert from_human(message("hi", **as_channel))
    assert not from_human(message("hi", **as_channel, is_automatic_forward=True))


def test_file_url_follows_the_api_url() -> None:
    assert file_url("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"
    assert file_url("https://h/x/bot{token}") == "https://h/x/file/bot{token}"


def test_origins_name_the_chat_kind_in_the_cores_terms() -> None:
    user = User(7, "Reader", is_bot=False)
    kinds = {kind: origin(Chat(-1, kind), user).chat_kind for kind in ("private", "supergroup")}
    assert kinds == {"private": ChatKind.PRIVATE, "supergroup": ChatKind.SUPERGROUP}
    assert all(isinstance(k, ChatKind) for k in kinds.values())
    assert origin(None, user).chat_kind is ChatKind.PRIVATE
    assert inline_origin(user).chat_kind is ChatKind.INLINE
