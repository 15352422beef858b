"""Several articles, one bot: each question answered from the pack that covers it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pack_paths import ALL_PACKS
from test_cli import faqbot

from bot.answering.core import Core
from bot.answering.library import Library
from bot.cli.console import ConsoleChat
from bot.knowledge.source import FolderPackSource
from bot.model import AnswerKind, Origin


def load_library(path: Path) -> Library:
    return Library.load(FolderPackSource(path))


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


def test_reload_refuses_a_broken_pack_alone_and_the_others_keep_serving(
    library_dir: Path, tmp_path: Path
) -> None:
    root = tmp_path / "library"
    shutil.copytree(library_dir, root)
    library = load_library(root)
    broken, kept = library.slugs[:2]
    question = {s: library.service(s).pack.entries[0].title for s in (broken, kept)}  # type: ignore[union-attr]
    faq = root / broken / "faq.yaml"
    good = faq.read_text(encoding="utf-8")
    faq.write_text("entries: [\n", encoding="utf-8")
    outcome = library.reload()
    assert outcome[broken] and any("faq.yaml" in p for p in outcome[broken])
    assert outcome[kept] == []
    for slug in (broken, kept):  # the broken one still serves its previous version
        assert library.ask(question[slug], pack=slug).answered
    faq.write_text(good.replace(question[broken], question[broken] + " (revised)", 1))
    assert library.reload()[broken] == []
    assert library.service(broken).pack.entries[0].title.endswith("(revised)")  # type: ignore[union-attr]


def test_a_new_pack_in_the_folder_is_served_after_a_reload(
    library_dir: Path, tmp_path: Path
) -> None:
    root = tmp_path / "library"
    root.mkdir()
    first, second = sorted(p.name for p in library_dir.iterdir())[:2]
    shutil.copytree(library_dir / first, root / first)
    library = load_library(root)
    assert library.slugs == [first]
    shutil.copytree(library_dir / second, root / second)
    assert library.reload() == {first: [], second: []}
    assert library.slugs == [first, second]


def _core(library_dir: Path) -> Core:
    return Core(load_library(library_dir))


def test_a_chat_that_picked_an_article_is_answered_from_it_alone(library_dir: Path) -> None:
    core = _core(library_dir)
    one, other = core.library.slugs[:2]
    reader = Origin("telegram", "private", user_id="7", chat_id="7")
    question = next(
        e.title
        for e in core.library.service(other).pack.entries  # type: ignore[union-attr]
        if core.library.ask(e.title).pack == other
    )
    assert core.ask(question, origin=reader).pack == other
    assert core.choose_article(reader, one, for_chat=False)
    restricted = core.ask(question, origin=reader)
    assert restricted.pack == one or not restricted.answered
    assert core.choose_article(reader, None, for_chat=False)
    assert core.ask(question, origin=reader).pack == other
    assert not core.choose_article(reader, "no-such-article", for_chat=False)


def test_a_chat_default_set_by_an_admin_applies_to_every_reader_until_one_picks(
    library_dir: Path,
) -> None:
    core = _core(library_dir)
    one, other = core.library.slugs[:2]
    admin = Origin("discord", "group", user_id="1", chat_id="room")
    member = Origin("discord", "group", user_id="2", chat_id="room")
    elsewhere = Origin("discord", "group", user_id="2", chat_id="other-room")
    assert core.choose_article(admin, other, for_chat=True)
    assert core.chosen_article(member).slug == other  # type: ignore[union-attr]
    assert core.chosen_article(elsewhere) is None
    core.choose_article(member, one, for_chat=False)
    assert core.chosen_article(member).slug == one  # type: ignore[union-attr]
    assert core.chosen_article(admin).slug == other  # type: ignore[union-attr]


def test_a_follow_up_stays_in_the_article_of_the_answer_it_follows(library_dir: Path) -> None:
    core = _core(library_dir)
    reader = Origin("console", "private", user_id="1", chat_id="1")
    for article in core.library.articles:
        entry = next(
            e
            for e in article.answers.pack.entries
            if e.quotes and core.library.ask(e.title).entry_id == e.id
        )
        first = core.ask(entry.title, origin=reader)
        assert first.pack == article.slug and first.entry_id == entry.id
        who = core.ask("who said that?", origin=reader)
        assert who.pack == article.slug
        speakers = {article.answers.pack.speakers[q.speaker_id].name for q in entry.quotes}
        assert {q.speaker for q in who.quotes} & speakers


def test_the_console_lists_and_picks_articles(library_dir: Path) -> None:
    core = _core(library_dir)
    chat = ConsoleChat(core)
    listed = " ".join((chat.reply("/article") or "").split())
    for article in core.library.articles:
        assert article.title in listed and article.slug in listed
    slug = core.library.slugs[1]
    picked = chat.reply(f"/article {slug}")
    assert picked is not None and core.library.title(slug) in " ".join(picked.split())
    assert core.library.title(slug) in " ".join((chat.reply("/source") or "").split())
    assert "I do not serve" in (chat.reply("/article nope") or "")


def test_the_journal_names_the_pack_that_answered_or_none_when_no_single_one_did(
    library_dir: Path,
) -> None:
    from recording import RecordingJournal

    journal = RecordingJournal()
    shared = Library.load(FolderPackSource(library_dir), journal=journal)
    reader = Origin("telegram", "private", user_id="1", chat_id="1")
    slug = shared.slugs[0]
    own = shared.service(slug)
    assert own is not None
    entry = next(e for e in own.pack.entries if shared.ask(e.title).pack == slug)
    assert journal.answers == []  # nothing journalled without an origin
    shared.ask(entry.title, origin=reader)
    shared.ask(entry.title, pack=slug, origin=reader)
    alone = Library.load(FolderPackSource(library_dir / slug), journal=journal)
    alone.ask(entry.title, origin=reader)  # a pack served alone
    shared.ask("What is the recipe for a good sourdough bread?", origin=reader)
    assert [a.pack for a, _ in journal.answers] == [slug, slug, slug, None]
    assert journal.answers[2][0].entry_id == entry.id
