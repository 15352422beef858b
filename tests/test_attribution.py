"""'Who said X' is answered from the quote that says X, on every pack, alone and in chat."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from pack_paths import TEST_PACKS

from bot.answering.service import FaqService
from bot.knowledge.language import build_vocabulary
from bot.knowledge.pack import load_pack
from bot.matching import attribution
from bot.matching.attribution import QuoteIndex
from bot.matching.text import normalise
from bot.model import ARTICLE_SPEAKER_ID, KnowledgePack


def _named_quotes(pack: KnowledgePack) -> list[tuple[str, str]]:
    """(quote text, speaker id) for every distinct quote a named speaker is credited with."""
    seen: dict[str, str] = {}
    for entry in pack.entries:
        for quote in entry.quotes:
            if quote.speaker_id != ARTICLE_SPEAKER_ID:
                seen.setdefault(quote.text, quote.speaker_id)
    return list(seen.items())


@pytest.fixture(scope="module")
def any_service(any_pack: KnowledgePack) -> FaqService:
    return FaqService(any_pack)


def test_who_said_each_quote_names_its_speaker(any_service: FaqService) -> None:
    pack = any_service.pack
    wrong = []
    for text, speaker_id in _named_quotes(pack):
        answer = any_service.ask(f"who said {text}?")
        speakers = {q.speaker_id for q in answer.quotes}
        if not answer.answered or speaker_id not in speakers:
            wrong.append((text[:60], speaker_id, answer.kind, sorted(speakers)))
    assert wrong == []


def test_who_said_after_another_answer_is_a_new_question(any_service: FaqService) -> None:
    pack = any_service.pack
    quotes = _named_quotes(pack)
    for text, speaker_id in quotes:
        # Follow up on an entry that does not quote this speaker, so "that" would be wrong.
        previous = next(
            e for e in pack.entries if speaker_id not in {q.speaker_id for q in e.quotes}
        )
        answer = any_service.follow_up(f"who said {text}?", previous_entry_id=previous.id)
        assert speaker_id in {q.speaker_id for q in answer.quotes}, text


def test_who_said_that_still_follows_up_on_the_previous_answer(any_service: FaqService) -> None:
    entry = next(e for e in any_service.pack.entries if len({q.speaker_id for q in e.quotes}) > 0)
    answer = any_service.follow_up("who said that?", previous_entry_id=entry.id)
    assert {q.speaker_id for q in answer.quotes} == {q.speaker_id for q in entry.quotes}


@pytest.mark.parametrize(
    "question",
    ["who said the moon is made of green cheese?", "which expert claims bananas cure insomnia"],
)
def test_who_said_something_nobody_says_is_refused(any_service: FaqService, question: str) -> None:
    answer = any_service.ask(question)
    assert not answer.answered
    assert "quotes nobody saying that" in answer.text


def test_a_speaker_asked_about_a_topic_they_are_not_quoted_on_is_refused(
    any_service: FaqService,
) -> None:
    """Ask each named person about another person's word that appears nowhere near the first
    (not in any entry quoting them): the reply says the article does not quote them on it and
    shows what they do say."""
    pack = any_service.pack
    vocabulary = build_vocabulary(pack.lexicon)
    plain = vocabulary.words.stop_words | vocabulary.words.reporting_verbs
    people = [s for s in pack.speakers.values() if s.kind == "person"]
    checked = 0
    for speaker in people:
        near = " ".join(
            " ".join((e.answer, *e.questions, *(q.text for q in e.quotes)))
            for e in pack.entries
            if speaker.id in {q.speaker_id for q in e.quotes}
        ).lower()
        if not near:
            continue
        for other in people:
            words = sorted(
                {
                    w
                    for e in pack.entries
                    for q in e.quotes
                    if q.speaker_id == other.id and other.id != speaker.id
                    for w in q.text.lower().split()
                    if len(w) > 7 and w.isalpha() and w[:6] not in near and w not in plain
                }
            )
            if not words:
                continue
            answer = any_service.ask(f"What does {speaker.name} say about {words[0]}?")
            assert not answer.answered, (speaker.name, words[0])
            assert {q.speaker_id for q in answer.quotes} == {speaker.id}
            checked += 1
    assert checked > 0


def _led_quotes(service: FaqService) -> list[tuple[str, str]]:
    """(article-voice quote, speaker id) for every sentence the article gives a speaker."""
    index = service.slot.served.quotes
    return [(q.text, lead.speaker_id) for q in index.quotes if (lead := index.lead(q))]


def test_the_article_carrying_on_a_speaker_is_attributed_to_them() -> None:
    """A sentence right after a speaker's quote, in the same paragraph and not naming them
    again, carries on their words; so does "she stated that <quote>, suggesting …". A sentence
    naming them, or opening a paragraph, is the article's own."""
    article = (
        "Ann Lee argues that rents will rise. Landlords face higher costs. "
        "Later the council said Ann Lee had no figures.\n\n"
        "Prices fell last year. However, she stated that buyers are cautious, suggesting a slump."
    )
    quotes = [
        ("ann-lee", "argues", "Ann Lee argues that rents will rise."),
        ("article", "reports", "Landlords face higher costs."),
        ("article", "reports", "Later the council said Ann Lee had no figures."),
        ("article", "reports", "Prices fell last year."),
        ("ann-lee", "stated", "buyers are cautious"),
        ("article", "reports", "However, she stated that buyers are cautious, suggesting a slump."),
    ]
    entry = SimpleNamespace(
        id="e",
        quotes=[SimpleNamespace(text=t, speaker_id=s, verb=v) for s, v, t in quotes],
    )
    pack = SimpleNamespace(
        article=article,
        entries=[entry],
        speakers={
            "ann-lee": SimpleNamespace(id="ann-lee", name="Ann Lee", aliases=("Lee",)),
            "article": SimpleNamespace(id="article", name="The article", aliases=()),
        },
    )
    index = QuoteIndex(pack, lambda text: normalise(text).split())  # type: ignore[arg-type]
    leads = {q.text: (lead.text if (lead := index.lead(q)) else None) for q in index.quotes}
    assert leads == {
        quotes[0][2]: None,
        quotes[1][2]: quotes[0][2],
        quotes[2][2]: None,
        quotes[3][2]: None,
        quotes[4][2]: None,
        quotes[5][2]: quotes[4][2],
    }


def test_who_said_a_sentence_carrying_on_a_speaker_names_them(any_service: FaqService) -> None:
    led = _led_quotes(any_service)
    if not led:
        pytest.skip("the article gives no speaker a sentence of its own voice")
    for text, speaker_id in led:
        for answer in (
            any_service.ask(f"who said {text}?"),
            any_service.follow_up(
                f"who said {text}?", previous_entry_id=any_service.pack.entries[0].id
            ),
        ):
            assert answer.answered, text
            assert speaker_id in {q.speaker_id for q in answer.quotes}, text
            assert any(text in q.text for q in answer.quotes), text  # the article's own words


@pytest.mark.parametrize("verb", ["brought up", "raised", "flagged"])
def test_who_with_another_verb_names_the_speaker(any_service: FaqService, verb: str) -> None:
    """ "Who raised X": X said by a quote, asked with a verb that does not report speech."""
    pack = any_service.pack
    wrong = []
    for text, speaker_id in _named_quotes(pack):
        previous = next(
            e for e in pack.entries if speaker_id not in {q.speaker_id for q in e.quotes}
        )
        for answer in (
            any_service.ask(f"who {verb} {text}?"),
            any_service.follow_up(f"who {verb} {text}?", previous_entry_id=previous.id),
        ):
            if not answer.answered or speaker_id not in {q.speaker_id for q in answer.quotes}:
                wrong.append((text[:60], speaker_id, answer.rule))
    assert wrong == []


def test_who_with_another_verb_is_not_answered_from_a_name_alone(any_service: FaqService) -> None:
    """ "Who founded P", "who leads P": a quote mentioning P is not who did it."""
    for speaker in any_service.pack.speakers.values():
        for verb in ("founded", "leads", "runs"):
            answer = any_service.ask(f"who {verb} {speaker.name}?")
            assert not (answer.answered and answer.rule == "who said"), (verb, speaker.name)


def test_whose_claim_is_it_names_the_speaker(any_service: FaqService) -> None:
    wrong = []
    for text, speaker_id in _named_quotes(any_service.pack):
        answer = any_service.ask(f"whose claim is it that {text}?")
        if not answer.answered or speaker_id not in {q.speaker_id for q in answer.quotes}:
            wrong.append((text[:60], speaker_id, answer.rule))
    assert wrong == []


def test_where_a_speaker_stands_shows_what_they_say(any_service: FaqService) -> None:
    """ "Where does P stand", P named by name: P's quotes, whichever entry the words match."""
    index = any_service.slot.served.quotes
    checked = 0
    for speaker in any_service.pack.speakers.values():
        if speaker.id == ARTICLE_SPEAKER_ID or not index.said_by(speaker.id):
            continue
        for question in (
            f"where does {speaker.name} stand?",
            f"what is {speaker.name}'s position?",
        ):
            answer = any_service.ask(question)
            assert answer.answered, question
            assert speaker.id in {q.speaker_id for q in answer.quotes}, question
            checked += 1
    assert checked > 0


def test_parse_tells_reporting_verbs_from_other_verbs(service: FaqService) -> None:
    vocabulary = service._matcher.vocabulary
    said = attribution.parse("who suggested going back to the old site", vocabulary)
    assert said is not None and said.verb is None and said.asked_with == "suggested"
    assert said.claim == "going back to the old site"
    raised = attribution.parse("who is raising the alarm about the toads", vocabulary)
    assert raised is not None and raised.verb == "raising" and raised.claim == "the toads"
    whose = attribution.parse("whose claim is it that the vote was rigged", vocabulary)
    assert whose is not None and whose.verb is None and whose.claim == "the vote was rigged"
    assert attribution.parse("who is the council leader", vocabulary) is None
    assert attribution.parse("which party do they back", vocabulary) is None


def test_who_suggested_names_the_one_who_suggests_it() -> None:
    """Among quotes saying as much of the claim, those reported with the verb asked win: two
    speakers mention the same place, one of them suggests going back to it."""
    service = FaqService(load_pack(TEST_PACKS / "harbour-cable"))
    answer = service.ask("who suggested going back to crane point")
    assert answer.answered and answer.rule == "who said"
    assert {q.speaker_id for q in answer.quotes} == {"priya-lindqvist"}
    both = service.ask("who said something about crane point")
    assert {"priya-lindqvist", "callum-reyes"} <= {q.speaker_id for q in both.quotes}


def test_what_someone_never_quoted_said_is_refused_on_every_pack(any_service: FaqService) -> None:
    answer = any_service.ask("What did Gordon Brown say about all this?")
    assert not answer.answered and answer.rule == "not quoted"
    assert answer.text.startswith("The article does not quote Gordon Brown.")


def test_a_person_the_article_names_but_never_quotes_is_refused(service: FaqService) -> None:
    # The article reports that she left; it never reports anything she said.
    for question in (
        "What did Shireen Mazari say when she quit?",
        "what did shireen mazari say when she announced she was quitting",
    ):
        answer = service.ask(question)
        assert answer.rule == "not quoted", question
        assert "Shireen Mazari" in answer.text and answer.suggestions


def test_a_quoted_speaker_by_name_or_description_is_not_refused(service: FaqService) -> None:
    for question in (
        "What did Imran Khan say?",
        "What does the Birmingham lecturer think drives defections?",
        "What did the leaders who quit say?",
    ):
        assert service.ask(question).rule != "not quoted", question


def test_proper_words_are_those_never_written_in_lower_case() -> None:
    article = "The Party met. Later Mazari left the party, and Mazari spoke to the PMLN."
    assert attribution.proper_words(article) == {"mazari": "Mazari", "pmln": "PMLN"}
