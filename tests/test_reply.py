"""The Reply builder: one decision per presentation question, over every pack."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.answering.service import FaqService
from bot.answering.speakers import SpeakerDirectory
from bot.model import (
    ARTICLE_SPEAKER_ID,
    Answer,
    AnswerKind,
    AttributedQuote,
    Audience,
    ChatSettings,
    KnowledgePack,
    Source,
    Suggestion,
)
from bot.presentation.reply import (
    MAX_LINKS,
    ButtonKind,
    build_reply,
    more_quotes_line,
    speakers_matching,
    speakers_reply,
)

SOURCE = Source("An Article", "news", url="https://example.org/a")


def _quote(speaker_id: str, name: str, text: str = "words") -> AttributedQuote:
    return AttributedQuote(text, name, "a role", "says", speaker_id)


def _answered(*quotes: AttributedQuote, **changes: object) -> Answer:
    answer = Answer(
        "q?", AnswerKind.ANSWER, "Body.", entry_id="e1", matched_question="Q?", quotes=quotes
    )
    return replace(answer, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def pack_service(any_pack: KnowledgePack) -> FaqService:
    return FaqService(any_pack)


def test_every_entry_is_titled_credited_and_voted_the_same_way(
    any_pack: KnowledgePack, pack_service: FaqService
) -> None:
    for entry in any_pack.entries:
        answer = pack_service.answer_entry(entry.id)
        assert answer is not None
        reply = build_reply(answer, any_pack.source, chat=Audience.PRIVATE)
        assert reply.title == entry.title
        assert reply.footer is not None and any_pack.source.title in reply.footer
        assert [q.text for q in reply.quotes] == [q.text for q in entry.quotes]
        assert reply.held_back == 0 and reply.more_quotes is None
        related = [r for r in entry.related if any_pack.entry(r)][:MAX_LINKS]
        assert [b.payload for b in reply.buttons_of(ButtonKind.RELATED)] == related
        votes = reply.buttons_of(ButtonKind.VOTE_UP, ButtonKind.VOTE_DOWN)
        assert [(b.kind, b.payload) for b in votes] == [
            (ButtonKind.VOTE_UP, entry.id),
            (ButtonKind.VOTE_DOWN, entry.id),
        ]
        assert reply.buttons[-2:] == votes  # votes come last


def test_groups_show_the_chats_quotes_and_count_the_rest(
    any_pack: KnowledgePack, pack_service: FaqService
) -> None:
    entry = max(any_pack.entries, key=lambda e: len(e.quotes))
    answer = pack_service.answer_entry(entry.id)
    assert answer is not None and len(answer.quotes) >= 2
    group = build_reply(
        answer, any_pack.source, chat=Audience.GROUP, settings=ChatSettings(max_quotes=1)
    )
    assert [q.text for q in group.quotes] == [answer.quotes[0].text]
    assert group.held_back == len(answer.quotes) - 1
    assert group.more_quotes == more_quotes_line(len(answer.quotes) - 1)
    private = build_reply(
        answer, any_pack.source, chat=Audience.PRIVATE, settings=ChatSettings(max_quotes=1)
    )
    assert len(private.quotes) == len(answer.quotes) and private.held_back == 0
    # Everything but the quotes is the same in both chats.
    assert replace(group, quotes=(), held_back=0) == replace(private, quotes=(), held_back=0)


def test_the_speaker_line_names_the_quoted_and_never_the_article() -> None:
    quotes = (
        _quote("a", "Ann"),
        _quote(ARTICLE_SPEAKER_ID, "The article"),
        _quote("b", "Bo"),
        _quote("a", "Ann", "more"),
    )
    reply = build_reply(_answered(*quotes), SOURCE, chat=Audience.GROUP)
    assert reply.speaker_line == "Quoted: Ann, Bo"
    only_article = build_reply(
        _answered(_quote(ARTICLE_SPEAKER_ID, "The article")), SOURCE, chat=Audience.PRIVATE
    )
    assert only_article.speaker_line is None
    assert only_article.quotes[0].attribution == "— The article (says)"
    assert reply.quotes[0].attribution == "— Ann, a role (says)"


def test_a_refusal_has_choices_but_no_title_footer_or_votes() -> None:
    answer = Answer(
        "q?",
        AnswerKind.NOT_COVERED,
        "Not covered.",
        suggestions=tuple(Suggestion(f"e{i}", f"Q{i}?") for i in range(5)),
    )
    reply = build_reply(answer, SOURCE, chat=Audience.PRIVATE)
    assert reply.title is None and reply.footer is None and reply.speaker_line is None
    assert [b.kind for b in reply.buttons] == [ButtonKind.CHOICE] * MAX_LINKS
    assert [b.payload for b in reply.buttons] == ["e0", "e1", "e2"]


def test_an_answer_without_related_offers_the_other_suggestions() -> None:
    answer = _answered(suggestions=(Suggestion("e1", "Self?"), Suggestion("e2", "Other?")))
    reply = build_reply(answer, SOURCE, chat=Audience.GROUP)
    assert [(b.kind, b.payload) for b in reply.buttons_of(ButtonKind.RELATED)] == [
        (ButtonKind.RELATED, "e2")
    ]


def test_the_footer_names_the_answering_packs_article() -> None:
    own = build_reply(_answered(), SOURCE, chat=Audience.GROUP)
    assert own.footer == "Source: “An Article” (news)" and own.link == SOURCE.url
    other = build_reply(
        _answered(pack="other", article="Other Article"), SOURCE, chat=Audience.GROUP
    )
    assert other.footer == "Source: “Other Article”" and other.link is None


def test_a_zero_quote_setting_holds_every_quote_back() -> None:
    answer = _answered(_quote("a", "Ann"), _quote("b", "Bo"))
    reply = build_reply(answer, SOURCE, chat=Audience.GROUP, settings=ChatSettings(max_quotes=0))
    assert reply.quotes == () and reply.held_back == 2
    assert reply.more_quotes == "+2 more quotes from the article: ask me privately to see them all."


def test_speaker_lists_carry_ids_and_are_answered_by_id(
    any_pack: KnowledgePack, pack_service: FaqService
) -> None:
    reply = speakers_reply(list(any_pack.speakers.values()), any_pack.source)
    buttons = reply.buttons_of(ButtonKind.SPEAKER)
    named = [s for s in any_pack.speakers.values() if s.kind != "article"]
    assert [b.payload for b in buttons] == [s.id for s in named]
    assert ARTICLE_SPEAKER_ID not in [b.payload for b in buttons]
    for button in buttons:
        answer = SpeakerDirectory(pack_service.slot).by_id(button.payload)
        assert answer is not None and answer.answered
        assert answer.text.startswith(any_pack.speakers[button.payload].name)
        assert {q.speaker_id for q in answer.quotes} <= {button.payload}
    assert SpeakerDirectory(pack_service.slot).by_id("no-such-speaker") is None


def test_speaker_matching_is_by_name_or_alias(any_pack: KnowledgePack) -> None:
    speakers = list(any_pack.speakers.values())
    first = next(s for s in speakers if s.kind != "article")
    assert first in speakers_matching(speakers, first.name[:3].upper())
    assert all(s.kind != "article" for s in speakers_matching(speakers, ""))
    assert speakers_matching(speakers, "zzzz-nobody") == []
