"""Loading the shipped pack and refusing broken ones with file, entry and reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pack_paths import ALL_PACKS

from bot.answering.service import FaqService
from bot.knowledge.pack import FAQ_FILE, MIN_QUESTIONS, KnowledgeError, load_pack, validate
from bot.matching.matcher import Matcher
from bot.model import KnowledgePack, SpeakerKind

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_ee4ca28797e54a04.txt"
NAMED_SPEAKERS = ("imran-khan", "pti", "sameen-mohsin-ali", "benazir-shah", "asma-faiz")


def test_shipped_article_is_the_seed_byte_for_byte(pack: KnowledgePack) -> None:
    if not SEED.exists():
        pytest.skip("shared/ seed not beside the repository")
    assert (pack.path / "article.txt").read_bytes() == SEED.read_bytes()


def test_every_pack_in_the_repository_validates() -> None:
    assert len(ALL_PACKS) >= 2
    for path in ALL_PACKS:
        assert validate(path) == [], path


def test_a_pack_without_a_lexicon_is_covered() -> None:
    assert any(not (path / "lexicon.yaml").exists() for path in ALL_PACKS)


def test_source_leaves_unknown_metadata_empty(pack: KnowledgePack) -> None:
    assert pack.source.title.startswith("Mass Exodus")
    assert (pack.source.outlet, pack.source.author, pack.source.date, pack.source.url) == (
        None,
        None,
        None,
        None,
    )


def test_every_quote_is_verbatim_and_attributed(any_pack: KnowledgePack) -> None:
    for entry in any_pack.entries:
        assert len(entry.questions) >= MIN_QUESTIONS
        for quote in entry.quotes:
            assert quote.text in any_pack.article
            assert quote.speaker_id in any_pack.speakers
            assert quote.verb


def test_pack_has_the_promised_entries(pack: KnowledgePack) -> None:
    ids = {e.id for e in pack.entries}
    assert {"summary", "who-is-quoted", "why-leaders-left"} <= ids
    for speaker in ("imran-khan", "sameen-mohsin-ali", "benazir-shah", "asma-faiz"):
        assert f"who-is-{speaker}" in ids
    quoted = {q.speaker_id for e in pack.entries for q in e.quotes}
    assert set(NAMED_SPEAKERS) <= quoted


def test_every_entry_question_matches_back_to_its_entry(any_pack: KnowledgePack) -> None:
    matcher = Matcher(any_pack)
    misses = []
    for entry in any_pack.entries:
        for question in entry.questions:
            best = matcher.match(question).best
            if best is None or best.entry_id != entry.id:
                misses.append((entry.id, question, best.entry_id if best else None))
    assert misses == []


def test_every_entry_question_asked_of_the_service_answers_from_its_entry(
    any_pack: KnowledgePack,
) -> None:
    """The whole answering path (attribution checks included) keeps every curated phrasing on
    its own entry."""
    service = FaqService(any_pack)
    misses = [
        (entry.id, question, answer.rule)
        for entry in any_pack.entries
        for question in entry.questions
        if not ((answer := service.ask(question)).answered and answer.entry_id == entry.id)
    ]
    assert misses == []


def test_a_canonical_question_is_reported_as_itself(any_pack: KnowledgePack) -> None:
    matcher = Matcher(any_pack)
    for entry in any_pack.entries:
        best = matcher.match(entry.title).best
        assert best is not None and best.phrasing == entry.title


# --- broken packs ---------------------------------------------------------------------------


def _edit_faq(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    faq = path / FAQ_FILE
    doc = yaml.safe_load(faq.read_text(encoding="utf-8"))
    change(doc["entries"])
    faq.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _problems(path: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_pack(path)
    return [str(p) for p in caught.value.problems]


def test_refuses_a_quote_that_is_not_verbatim(pack_copy: Path) -> None:
    def change(entries: list[dict]) -> None:  # type: ignore[type-arg]
        entries[0]["quotes"][0]["text"] = "Imran Khan resigned yesterday."

    _edit_faq(pack_copy, change)
    [problem] = _problems(pack_copy)
    assert "faq.yaml: summary: quote 1: not verbatim in the article" in problem


def test_refuses_an_undefined_speaker(pack_copy: Path) -> None:
    def change(entries: list[dict]) -> None:  # type: ignore[type-arg]
        entries[1]["quotes"][0]["speaker"] = "nawaz-sharif"

    _edit_faq(pack_copy, change)
    [problem] = _problems(pack_copy)
    assert re.search(r"faq\.yaml: \S+: quote 1: speaker 'nawaz-sharif' is not defined", problem)


def test_refuses_repeated_ids_and_dangling_related(pack_copy: Path) -> None:
    def change(entries: list[dict]) -> None:  # type: ignore[type-arg]
        entries[2]["id"] = entries[3]["id"]
        entries[4]["related"] = ["no-such-entry"]

    _edit_faq(pack_copy, change)
    problems = _problems(pack_copy)
    assert any("id is used twice" in p for p in problems)
    assert any("related id 'no-such-entry' does not exist" in p for p in problems)


def test_refuses_too_few_questions_and_shared_questions(pack_copy: Path) -> None:
    def change(entries: list[dict]) -> None:  # type: ignore[type-arg]
        entries[0]["questions"] = entries[0]["questions"][:3]
        entries[5]["questions"].append(entries[6]["questions"][0].upper())

    _edit_faq(pack_copy, change)
    problems = _problems(pack_copy)
    assert any(p.startswith(f"{pack_copy / FAQ_FILE}: summary: has 3 questions") for p in problems)
    assert any("is also asked by" in p for p in problems)


def test_refuses_malformed_yaml_with_its_line_number(pack_copy: Path) -> None:
    faq = pack_copy / FAQ_FILE
    lines = faq.read_text(encoding="utf-8").splitlines()
    lines.insert(9, "      - [unclosed")
    faq.write_text("\n".join(lines), encoding="utf-8")
    [problem] = _problems(pack_copy)
    assert "faq.yaml: malformed YAML: line" in problem


def test_refuses_a_missing_file(pack_copy: Path) -> None:
    (pack_copy / "speakers.yaml").unlink()
    assert any("speakers.yaml: file is missing" in p for p in _problems(pack_copy))


def test_a_non_verbatim_quote_shows_where_it_first_differs(pack_copy: Path) -> None:
    article = (pack_copy / "article.txt").read_text(encoding="utf-8")
    curly = article.index("’", 200)
    verbatim = article[curly - 90 : curly + 30]
    straight = verbatim.replace("’", "'")

    def change(entries: list[dict]) -> None:  # type: ignore[type-arg]
        entries[0]["quotes"][0]["text"] = straight

    _edit_faq(pack_copy, change)
    [problem] = _problems(pack_copy)
    assert "quote 1: not verbatim in the article" in problem
    first = straight.index("'") + 1
    assert f"at character {first} of the quote" in problem
    assert "U+0027 APOSTROPHE" in problem and "U+2019 RIGHT SINGLE QUOTATION MARK" in problem
    after = article[curly + 1 : curly + 12]
    assert after in problem  # the context runs past the bad character


def test_speaker_kinds_are_read_as_the_cores_enum(any_pack: KnowledgePack) -> None:
    kinds = {s.kind for s in any_pack.speakers.values()}
    assert kinds and all(isinstance(k, SpeakerKind) for k in kinds)
    assert SpeakerKind.PERSON in kinds
