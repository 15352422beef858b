"""Vocabulary as data: the general language files are consistent, a pack's lexicon.yaml is
validated like the rest of the pack, and moving the vocabulary out of code changed nothing."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from bot.answering.library import Library
from bot.knowledge.language import available_languages, build_vocabulary, load_language
from bot.knowledge.lexicon import LEXICON_FILE
from bot.knowledge.pack import KnowledgeError, load_pack, validate
from bot.knowledge.source import FolderPackSource
from bot.matching.analysis import Analyzer
from bot.matching.text import normalise, stem
from bot.model import KnowledgePack, Lexicon

LEGACY = Path(__file__).parent / "data" / "legacy_vocabulary.json"


def _write_lexicon(pack_dir: Path, text: str) -> list[str]:
    (pack_dir / LEXICON_FILE).write_text(text, encoding="utf-8")
    return [str(p) for p in validate(pack_dir)]


# --- the move changed nothing ----------------------------------------------------------------


def test_shipped_vocabulary_gives_every_word_the_token_it_had_when_vocabulary_was_code(
    pack: KnowledgePack,
) -> None:
    """tests/data/legacy_vocabulary.json was dumped from the hand-written lists in bot/ before
    they moved to data; every word and phrase must still fold to the same concept."""
    legacy = json.loads(LEGACY.read_text(encoding="utf-8"))
    vocabulary = build_vocabulary(pack.lexicon)
    old, new = dict(legacy["concepts"]), vocabulary.concepts
    # Single-word "phrases" ("pm") were replaced before stemming; they are concept words now.
    old.update({stem(p): c for p, c in legacy["phrases"].items() if " " not in p})
    changed = {k: (old.get(k, k), new.get(k, k)) for k in old.keys() | new.keys()}
    assert {k: v for k, v in changed.items() if v[0] != v[1]} == {}
    old_phrases = legacy["phrases"]
    multi_word = {p: c for p, c in old_phrases.items() if " " in p}
    assert {p: vocabulary.phrases.get(p) for p in multi_word} == multi_word
    for phrase, concept in vocabulary.phrases.items():
        assert old_phrases.get(phrase, concept) == concept, phrase
    assert sorted(vocabulary.words.stop_words) == legacy["stop_words"]
    assert sorted(vocabulary.words.question_words) == legacy["question_words"]
    assert sorted(vocabulary.refuse) == legacy["refuse"]


# --- general language data -------------------------------------------------------------------


def test_general_language_data_ships_english_and_roman_urdu() -> None:
    assert {"en", "ur-roman"} <= set(available_languages())


@pytest.mark.parametrize("codes", [("en",), ("en", "ur-roman")])
def test_no_general_word_belongs_to_two_concepts(codes: tuple[str, ...]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for code in codes:
        for concept, words in load_language(code).concepts.items():
            for word in (concept, *words):
                folded = normalise(word)
                owners[folded if " " in folded else stem(folded)].add(concept)
    assert {w: sorted(c) for w, c in owners.items() if len(c) > 1} == {}


@pytest.mark.parametrize("code", ["en", "ur-roman"])
def test_general_concept_words_are_not_stop_words(code: str) -> None:
    language = load_language(code)
    words = {normalise(w) for ws in language.concepts.values() for w in ws}
    assert sorted(words & language.words.stop_words) == []


def test_refused_general_concepts_are_defined() -> None:
    for code in available_languages():
        language = load_language(code)
        assert set(language.refuse) <= set(language.concepts), code


def test_a_pack_without_lexicon_uses_english_alone() -> None:
    english = build_vocabulary(Lexicon())
    both = build_vocabulary(Lexicon(languages=("en", "ur-roman")))
    assert "kyun" not in english.concepts and both.concepts["kyun"] == "why"
    assert "mein" not in english.words.stop_words and "mein" in both.words.stop_words


def test_the_packs_own_concept_wins_over_general_data() -> None:
    vocabulary = build_vocabulary(Lexicon(concepts={"motive": ("reason",)}))
    assert vocabulary.concepts[stem("reason")] == "motive"
    assert vocabulary.concepts[stem("cause")] == "why"


def test_a_phrase_in_a_pack_concept_folds_to_the_concept(pack: KnowledgePack) -> None:
    analyzer = Analyzer.for_pack(pack)
    assert analyzer.tokens(analyzer.words("why did they jump ship")) == ["why", "leave"]


# --- lexicon.yaml is validated like faq.yaml --------------------------------------------------


def test_a_word_under_two_concepts_is_refused_naming_file_line_and_both(pack_copy: Path) -> None:
    problems = _write_lexicon(
        pack_copy, "concepts:\n  leave: [quit, resign]\n  stop: [halt, resign]\n"
    )
    assert len(problems) == 1
    assert LEXICON_FILE in problems[0]
    assert "line 3: concept 'stop'" in problems[0]
    assert "'resign' is also under concept 'leave' (line 2)" in problems[0]


def test_an_empty_group_is_refused(pack_copy: Path) -> None:
    problems = _write_lexicon(pack_copy, "concepts:\n  leave: []\n  stay:\n")
    assert [p.split(": ", 1)[1] for p in problems] == [
        "line 2: concept 'leave': empty group: list the words that mean it",
        "line 3: concept 'stay': empty group: list the words that mean it",
    ]


def test_malformed_lexicon_yaml_is_refused_with_its_line(pack_copy: Path) -> None:
    problems = _write_lexicon(pack_copy, "concepts:\n  leave: [quit, resign\n  stay: [remain]\n")
    assert len(problems) == 1
    assert LEXICON_FILE in problems[0] and "malformed YAML: line" in problems[0]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("languages: [en, klingon]\n", "no general language data for 'klingon'"),
        ("refuse: [weather]\n", "refuse names 'weather'"),
        ("concepts:\n  leave: [quit]\n  leave: [go]\n", "is defined twice (first on line 2)"),
        ("concepts:\n  Walk Out: [quit]\n", "a concept name is one lowercase word"),
        ("concepts:\n  leave: [quit, 3]\n", "must be a list of words or phrases"),
        ("concepts:\n  leave: [the]\n", "'the' is a stop word"),
        ("synonyms:\n  leave: [quit]\n", "unknown key 'synonyms'"),
        ("- leave\n- quit\n", "expected a mapping"),
    ],
)
def test_each_kind_of_broken_lexicon_is_refused_with_its_reason(
    pack_copy: Path, text: str, reason: str
) -> None:
    problems = _write_lexicon(pack_copy, text)
    assert problems, text
    assert all(LEXICON_FILE in p for p in problems)
    assert any(reason in p for p in problems), problems


def test_an_empty_lexicon_file_means_general_language_alone(pack_copy: Path) -> None:
    assert _write_lexicon(pack_copy, "# nothing yet\n") == []
    assert load_pack(pack_copy).lexicon == Lexicon()


def test_a_broken_lexicon_on_reload_keeps_the_old_pack_serving(pack_copy: Path) -> None:
    library = Library.load(FolderPackSource(pack_copy))
    before = library.ask("why did they jump ship")
    assert before.answered
    (pack_copy / LEXICON_FILE).write_text("concepts:\n  leave: []\n", encoding="utf-8")
    problems = library.reload()[pack_copy.name]
    assert problems and LEXICON_FILE in problems[0]
    assert library.ask("why did they jump ship").entry_id == before.entry_id


def test_a_lexicon_change_is_picked_up_on_reload(pack_copy: Path) -> None:
    library = Library.load(FolderPackSource(pack_copy))
    assert not library.ask("why are they skedaddling").answered
    lexicon = (pack_copy / LEXICON_FILE).read_text(encoding="utf-8")
    lexicon = lexicon.replace("  leave: [\n", "  leave: [\n    skedaddling,\n", 1)
    (pack_copy / LEXICON_FILE).write_text(lexicon, encoding="utf-8")
    assert library.reload() == {pack_copy.name: []}
    assert library.ask("why are they skedaddling").answered


def test_validate_refuses_a_clash_from_the_command_line(pack_copy: Path) -> None:
    _write_lexicon(pack_copy, "concepts:\n  leave: [quit]\n  stop: [quit]\n")
    with pytest.raises(KnowledgeError) as caught:
        load_pack(pack_copy)
    assert any(p.file.endswith(LEXICON_FILE) for p in caught.value.problems)


def test_general_language_knows_no_article_subjects() -> None:
    """The football-stadium pack of the issue: with general English alone, sport words keep
    their meaning and naming an app is not an off-article topic."""
    vocabulary = build_vocabulary(Lexicon())
    for word, concept in (("left", "leave"), ("target", "dismantle"), ("ticket", "candidate")):
        assert vocabulary.concepts.get(stem(word), word) != concept
    assert "platform" not in vocabulary.refuse and "money" not in vocabulary.refuse
    assert {"age", "family", "health"} <= vocabulary.refuse
