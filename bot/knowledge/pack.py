"""Loading and validating a knowledge pack: refuse a broken one with file, entry and reason."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.lexicon import LEXICON_FILE, parse_lexicon
from bot.knowledge.problems import KnowledgeError, Problem
from bot.knowledge.verbatim import describe_mismatch
from bot.model import Entry, KnowledgePack, Lexicon, Quote, Source, Speaker, SpeakerKind

__all__ = ["KnowledgeError", "Problem", "load_pack", "validate"]

ARTICLE_FILE = "article.txt"
SOURCE_FILE = "source.yaml"
SPEAKERS_FILE = "speakers.yaml"
FAQ_FILE = "faq.yaml"
MIN_QUESTIONS = 6
UNWRITTEN_ANSWER = "TODO"
"""The answer `faqbot draft` leaves for the curator; refused until written."""
SPEAKER_KINDS = tuple(kind.value for kind in SpeakerKind)
_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")


def load_pack(path: str | Path) -> KnowledgePack:
    """Load and validate the pack in directory `path`; raise KnowledgeError with every problem."""
    problems: list[Problem] = []
    pack = _read(Path(path), problems)
    if problems or pack is None:
        raise KnowledgeError(problems or [Problem(str(path), None, "pack could not be read")])
    return pack


def validate(path: str | Path) -> list[Problem]:
    """Every problem in the pack at `path`; an empty list means it is valid."""
    try:
        load_pack(path)
    except KnowledgeError as exc:
        return exc.problems
    return []


def _read(root: Path, problems: list[Problem]) -> KnowledgePack | None:
    if not root.is_dir():
        problems.append(Problem(str(root), None, "not a knowledge pack directory"))
        return None
    article = _read_text(root / ARTICLE_FILE, problems)
    source_doc = _read_yaml(root / SOURCE_FILE, problems)
    speakers_doc = _read_yaml(root / SPEAKERS_FILE, problems)
    faq_doc = _read_yaml(root / FAQ_FILE, problems)
    lexicon = _read_lexicon(root / LEXICON_FILE, problems)
    if article is None or source_doc is None or speakers_doc is None or faq_doc is None:
        return None
    source = _parse_source(root / SOURCE_FILE, source_doc, problems)
    speakers = _parse_speakers(root / SPEAKERS_FILE, speakers_doc, problems)
    entries = _parse_entries(root / FAQ_FILE, faq_doc, article, speakers, problems)
    _check_profiles(root / SPEAKERS_FILE, speakers, {e.id for e in entries}, problems)
    if source is None or lexicon is None:
        return None
    return KnowledgePack(
        slug=root.name,
        path=root,
        article=article,
        source=source,
        speakers=speakers,
        entries=tuple(entries),
        entries_by_id={e.id: e for e in entries},
        lexicon=lexicon,
    )


def _read_lexicon(path: Path, problems: list[Problem]) -> Lexicon | None:
    """The pack's lexicon; an empty one when the pack has no lexicon.yaml."""
    if not path.exists():
        return Lexicon()
    text = _read_text(path, problems)
    return None if text is None else parse_lexicon(path, text, problems)


def _check_profiles(
    path: Path, speakers: Mapping[str, Speaker], entry_ids: set[str], problems: list[Problem]
) -> None:
    for speaker in speakers.values():
        if speaker.profile is not None and speaker.profile not in entry_ids:
            problems.append(
                Problem(str(path), speaker.id, f"profile entry '{speaker.profile}' does not exist")
            )


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(str(path), None, "file is missing"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(path), None, f"cannot be read: {exc}"))
    return None


def _read_yaml(path: Path, problems: list[Problem]) -> Any:
    text = _read_text(path, problems)
    if text is None:
        return None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(Problem(str(path), None, f"malformed YAML: {line}{reason}"))
        return None
    if doc is None:
        problems.append(Problem(str(path), None, "the file is empty (no YAML document)"))
    return doc


def _parse_source(path: Path, doc: Any, problems: list[Problem]) -> Source | None:
    if not isinstance(doc, Mapping):
        problems.append(Problem(str(path), None, "expected a mapping with title and kind"))
        return None
    title, kind = doc.get("title"), doc.get("kind")
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem(str(path), None, "title is required"))
        return None
    if not isinstance(kind, str) or not kind.strip():
        problems.append(Problem(str(path), None, "kind is required"))
        return None

    def optional(key: str) -> str | None:
        value = doc.get(key)
        return str(value) if value not in (None, "") else None

    draft = doc.get("draft", False)
    if not isinstance(draft, bool):
        problems.append(Problem(str(path), None, "draft must be true or false"))
        return None

    return Source(
        title=title.strip(),
        kind=kind.strip(),
        outlet=optional("outlet"),
        author=optional("author"),
        date=optional("date"),
        url=optional("url"),
        example=optional("example"),
        draft=draft,
    )


def _items(path: Path, doc: Any, key: str, problems: list[Problem]) -> Iterator[tuple[str, Any]]:
    """Yield (label, item) for each mapping in doc[key], reporting shape problems."""
    items = doc.get(key) if isinstance(doc, Mapping) else None
    if not isinstance(items, list) or not items:
        problems.append(Problem(str(path), None, f"expected a non-empty list under '{key}:'"))
        return
    for index, item in enumerate(items, start=1):
        label = f"#{index}"
        if not isinstance(item, Mapping):
            problems.append(Problem(str(path), label, "expected a mapping"))
            continue
        item_id = item.get("id")
        if not isinstance(item_id, str) or not _ID_PATTERN.match(item_id):
            problems.append(
                Problem(str(path), label, "id must be lowercase letters, digits and dashes")
            )
            continue
        yield item_id, item


def _parse_speakers(path: Path, doc: Any, problems: list[Problem]) -> dict[str, Speaker]:
    speakers: dict[str, Speaker] = {}
    for speaker_id, item in _items(path, doc, "speakers", problems):
        if speaker_id in speakers:
            problems.append(Problem(str(path), speaker_id, "id is used twice"))
            continue
        name, role = item.get("name"), item.get("role")
        aliases = item.get("aliases") or []
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem(str(path), speaker_id, "name is required"))
            continue
        if not isinstance(role, str) or not role.strip():
            problems.append(Problem(str(path), speaker_id, "role is required"))
            continue
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            problems.append(Problem(str(path), speaker_id, "aliases must be a list of strings"))
            continue
        kind = str(item.get("kind") or "person")
        if kind not in SPEAKER_KINDS:
            problems.append(
                Problem(str(path), speaker_id, f"kind must be one of {', '.join(SPEAKER_KINDS)}")
            )
            continue
        profile = item.get("profile")
        if profile is not None and not isinstance(profile, str):
            problems.append(Problem(str(path), speaker_id, "profile must be an entry id"))
            continue
        speakers[speaker_id] = Speaker(
            id=speaker_id,
            name=name.strip(),
            role=role.strip(),
            aliases=tuple(a.strip() for a in aliases if a.strip()),
            kind=SpeakerKind(kind),
            profile=profile.strip() if profile else None,
        )
    return speakers


def _parse_entries(
    path: Path,
    doc: Any,
    article: str,
    speakers: Mapping[str, Speaker],
    problems: list[Problem],
) -> list[Entry]:
    file = str(path)
    entries: list[Entry] = []
    seen_ids: set[str] = set()
    question_owner: dict[str, str] = {}
    for entry_id, item in _items(path, doc, "entries", problems):
        if entry_id in seen_ids:
            problems.append(Problem(file, entry_id, "id is used twice"))
            continue
        seen_ids.add(entry_id)
        questions = _strings(item.get("questions"))
        if questions is None:
            problems.append(Problem(file, entry_id, "questions must be a list of strings"))
            continue
        if len(questions) < MIN_QUESTIONS:
            problems.append(
                Problem(
                    file,
                    entry_id,
                    f"has {len(questions)} questions; at least {MIN_QUESTIONS} are required",
                )
            )
        for question in questions:
            key = _question_key(question)
            owner = question_owner.setdefault(key, entry_id)
            if owner != entry_id:
                problems.append(
                    Problem(file, entry_id, f"question {question!r} is also asked by '{owner}'")
                )
        answer = item.get("answer")
        if not isinstance(answer, str) or not answer.strip():
            problems.append(Problem(file, entry_id, "answer is required"))
            continue
        if answer.strip() == UNWRITTEN_ANSWER:
            problems.append(
                Problem(file, entry_id, f"answer not written yet (it is {UNWRITTEN_ANSWER})")
            )
        quotes = _parse_quotes(file, entry_id, item.get("quotes"), article, speakers, problems)
        related = _strings(item.get("related") or [])
        if related is None:
            problems.append(Problem(file, entry_id, "related must be a list of entry ids"))
            related = []
        entries.append(
            Entry(
                id=entry_id,
                questions=tuple(questions),
                answer=answer.strip(),
                quotes=tuple(quotes),
                related=tuple(related),
            )
        )
    for entry in entries:
        for related_id in entry.related:
            if related_id not in seen_ids:
                problems.append(
                    Problem(file, entry.id, f"related id '{related_id}' does not exist")
                )
            elif related_id == entry.id:
                problems.append(Problem(file, entry.id, "lists itself as related"))
    return entries


def _parse_quotes(
    file: str,
    entry_id: str,
    raw: Any,
    article: str,
    speakers: Mapping[str, Speaker],
    problems: list[Problem],
) -> list[Quote]:
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(file, entry_id, "needs at least one quote"))
        return []
    quotes: list[Quote] = []
    for index, item in enumerate(raw, start=1):
        where = f"quote {index}"
        if not isinstance(item, Mapping):
            problems.append(Problem(file, entry_id, f"{where}: expected text, speaker and verb"))
            continue
        text, speaker, verb = item.get("text"), item.get("speaker"), item.get("verb")
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem(file, entry_id, f"{where}: text is required"))
            continue
        if text not in article:
            problems.append(Problem(file, entry_id, f"{where}: {describe_mismatch(text, article)}"))
            continue
        if not isinstance(speaker, str) or speaker not in speakers:
            problems.append(Problem(file, entry_id, f"{where}: speaker {speaker!r} is not defined"))
            continue
        if not isinstance(verb, str) or not verb.strip():
            problems.append(Problem(file, entry_id, f"{where}: attribution verb is required"))
            continue
        quotes.append(Quote(text=text, speaker_id=speaker, verb=verb.strip()))
    return quotes


def _strings(value: Any) -> list[str] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return None
    return [v.strip() for v in value]


def _question_key(question: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", question.casefold()).split())
