"""Several articles, one bot: each question answered from the pack that covers it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pack_paths import ALL_PACKS
from test_cli import faqbot

from bot.knowledge.library import Library, load_library
from bot.model import AnswerKind


@pytest.fixture(scope="module")
def library_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("library")
    for pack in ALL_PACKS:
        shutil.copytree(pack, root / pack.name)
    return root


@pytest.fixture(scope="module")
def library(library_dir: Path) -> Library:
    return load_library(library_dir)


def test_each_articles_questions_are_answered_from_its_own_pack(library: Library) -> None:
    wrong = []
    for slug in library.slugs:
        service = library.service(slug)
        assert service is not None
        for entry in service.pack.entries:
            answer = library.ask(entry.title)
            own = answer.answered and answer.pack == slug and answer.entry_id == entry.id
            asked_back = answer.kind is AnswerKind.CLARIFY and slug in {
                s.pack for s in answer.suggestions
            }
            if not (own or asked_back):
                wrong.append((slug, entry.title, answer.pack, answer.entry_id))
            if own:
                assert answer.article == service.source.title
    assert wrong == []


def test_a_question_no_article_covers_is_refused_naming_them_all(library: Library) -> None:
    answer = library.ask("What is the recipe for a good sourdough bread?")
    assert not answer.answered and answer.pack is None
    for slug in library.slugs:
        assert library.title(slug) in answer.text


def test_a_broken_pack_is_refused_alone(library_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "library"
    shutil.copytree(library_dir, root)
    broken, kept = sorted(p.name for p in root.iterdir())[:2]
    (root / broken / "faq.yaml").write_text("entries: [\n", encoding="utf-8")
    library = load_library(root)
    assert library.slugs == [kept]


def test_ask_json_names_the_pack_and_pack_restricts(library_dir: Path) -> None:
    slugs = sorted(p.name for p in library_dir.iterdir())
    service = load_library(library_dir / slugs[1]).service(slugs[1])
    assert service is not None
    question = service.pack.entries[1].title
    result = faqbot("--knowledge", str(library_dir), "ask", "--json", question)
    answer = json.loads(result.stdout)
    assert answer["pack"] == slugs[1] and answer["article"] == service.source.title
    restricted = faqbot(
        "--knowledge", str(library_dir), "ask", "--json", "--pack", slugs[0], question
    )
    assert json.loads(restricted.stdout)["pack"] in (slugs[0], None)
    assert (
        json.loads(restricted.stdout)["entry_id"] != answer["entry_id"]
        or not json.loads(restricted.stdout)["answered"]
    )
    unknown = faqbot("--knowledge", str(library_dir), "ask", "--pack", "nope", question)
    assert unknown.returncode == 2 and "no pack 'nope'" in unknown.stderr


def test_validate_checks_every_pack_of_a_folder(library_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "library"
    shutil.copytree(library_dir, root)
    broken, kept = sorted(p.name for p in root.iterdir())[:2]
    (root / broken / "speakers.yaml").unlink()
    result = faqbot("--knowledge", str(root), "validate")
    assert result.returncode == 2
    assert f"{root / broken / 'speakers.yaml'}: file is missing" in result.stdout
    assert f"{root / kept}: valid" in result.stdout
    assert f"{root / broken}: refused" in result.stderr


def test_run_refuses_a_folder_of_packs_with_the_way_out(library_dir: Path) -> None:
    result = faqbot("--knowledge", str(library_dir), "run", "--startup-timeout", "1")
    assert result.returncode == 2
    assert "serves one pack per process" in result.stderr


def test_the_journal_names_the_pack_that_answered_or_none_when_no_single_one_did(
    library_dir: Path,
) -> None:
    from recording import RecordingJournal

    from bot.answering.service import FaqService
    from bot.model import Origin

    journal = RecordingJournal()
    shared = load_library(library_dir, lambda pack: FaqService(pack, journal=journal))
    reader = Origin("telegram", "private", user_id="1", chat_id="1")
    slug = shared.slugs[0]
    own = shared.service(slug)
    assert own is not None
    entry = next(e for e in own.pack.entries if shared.ask(e.title).pack == slug)
    assert journal.answers == []  # nothing journalled without an origin
    shared.ask(entry.title, origin=reader)
    shared.ask(entry.title, pack=slug, origin=reader)
    own.ask(entry.title, origin=reader)  # a pack served alone, as on the chat platforms
    shared.ask("What is the recipe for a good sourdough bread?", origin=reader)
    assert [a.pack for a, _ in journal.answers] == [slug, slug, slug, None]
    assert journal.answers[2][0].entry_id == entry.id
