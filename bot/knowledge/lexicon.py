"""A pack's own vocabulary, `lexicon.yaml`: read and validated like the rest of the pack.

The file is optional; a pack without one works on general language alone. Problems name the
file, the line and the concept, and say why, so the curator's loop (edit, validate, reload)
can fix the vocabulary like any other pack data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.language import available_languages, load_language
from bot.knowledge.problems import Problem
from bot.matching.text import normalise, stem
from bot.model import DEFAULT_LANGUAGES, Lexicon

LEXICON_FILE = "lexicon.yaml"
_KEYS = ("languages", "concepts", "refuse")
_CONCEPT_NAME = re.compile(r"^[a-z0-9]+$")


def parse_lexicon(path: Path, text: str, problems: list[Problem]) -> Lexicon | None:
    """The lexicon in `text` (the contents of `path`); None, with problems added, if it is
    broken."""
    file = str(path)
    before = len(problems)
    try:
        node = yaml.compose(text)
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(Problem(file, None, f"malformed YAML: {line}{reason}"))
        return None
    if doc is None:
        return Lexicon()
    if not isinstance(doc, Mapping) or not isinstance(node, yaml.MappingNode):
        problems.append(Problem(file, None, f"expected a mapping with {', '.join(_KEYS)}"))
        return None
    lines = _key_lines(node)
    for key in doc:
        if key not in _KEYS:
            where = _line(lines, str(key))
            problems.append(
                Problem(file, where, f"unknown key {key!r}; expected one of {', '.join(_KEYS)}")
            )
    languages = _languages(file, doc.get("languages"), lines, problems)
    concepts = _concepts(file, doc.get("concepts"), node, languages, problems)
    refuse = _refuse(file, doc.get("refuse"), lines, concepts, languages, problems)
    if len(problems) > before:
        return None
    return Lexicon(languages=languages, concepts=concepts, refuse=refuse)


def _languages(
    file: str, raw: Any, lines: Mapping[str, int], problems: list[Problem]
) -> tuple[str, ...]:
    if raw is None:
        return DEFAULT_LANGUAGES
    known = available_languages()
    where = _line(lines, "languages")
    if not isinstance(raw, list) or not raw or not all(isinstance(c, str) for c in raw):
        problems.append(Problem(file, where, f"languages must be a list of: {', '.join(known)}"))
        return DEFAULT_LANGUAGES
    unknown = [c for c in raw if c not in known]
    if unknown:
        problems.append(
            Problem(
                file,
                where,
                f"no general language data for {', '.join(map(repr, unknown))}; "
                f"available: {', '.join(known)}",
            )
        )
        return tuple(c for c in raw if c in known) or DEFAULT_LANGUAGES
    return tuple(dict.fromkeys(raw))


def _concepts(
    file: str,
    raw: Any,
    root: yaml.MappingNode,
    languages: tuple[str, ...],
    problems: list[Problem],
) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    node = _child(root, "concepts")
    if not isinstance(raw, Mapping) or not isinstance(node, yaml.MappingNode):
        where = _line(_key_lines(root), "concepts")
        problems.append(Problem(file, where, "concepts must map a concept name to its words"))
        return {}
    stop_words = frozenset().union(*(load_language(c).words.stop_words for c in languages))
    concepts: dict[str, tuple[str, ...]] = {}
    first_line: dict[str, int] = {}
    owner: dict[str, tuple[str, int]] = {}
    for key_node, _ in node.value:
        name, line = str(key_node.value), key_node.start_mark.line + 1
        where = f"line {line}: concept {name!r}"
        if name in first_line:
            problems.append(
                Problem(file, where, f"is defined twice (first on line {first_line[name]})")
            )
            continue
        first_line[name] = line
        if not _CONCEPT_NAME.match(name):
            problems.append(Problem(file, where, "a concept name is one lowercase word"))
            continue
        words = raw.get(name)
        if words is None or words == []:
            problems.append(Problem(file, where, "empty group: list the words that mean it"))
            continue
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            problems.append(Problem(file, where, "must be a list of words or phrases"))
            continue
        kept: list[str] = []
        for term in (name, *words):
            folded = normalise(term)
            if not folded:
                problems.append(Problem(file, where, f"{term!r} has no letters or digits"))
                continue
            if folded in stop_words:
                problems.append(
                    Problem(
                        file,
                        where,
                        f"{term!r} is a stop word of the general language data; "
                        "it would never reach the concept",
                    )
                )
                continue
            key = folded if " " in folded else stem(folded)
            other = owner.setdefault(key, (name, line))
            if other[0] != name:
                problems.append(
                    Problem(
                        file,
                        where,
                        f"{term!r} is also under concept {other[0]!r} (line {other[1]}); "
                        "a word may mean one concept only",
                    )
                )
                continue
            if term != name:
                kept.append(term.strip())
        concepts[name] = tuple(dict.fromkeys(kept))
    return concepts


def _refuse(
    file: str,
    raw: Any,
    lines: Mapping[str, int],
    concepts: Mapping[str, tuple[str, ...]],
    languages: tuple[str, ...],
    problems: list[Problem],
) -> tuple[str, ...]:
    if raw is None:
        return ()
    where = _line(lines, "refuse")
    if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
        problems.append(Problem(file, where, "refuse must be a list of concept names"))
        return ()
    general = {name for code in languages for name in load_language(code).concepts}
    undefined = [c for c in raw if c not in concepts and c not in general]
    if undefined:
        problems.append(
            Problem(
                file,
                where,
                f"refuse names {', '.join(map(repr, undefined))}, not a concept of this lexicon "
                "or of its languages' general data",
            )
        )
    return tuple(dict.fromkeys(raw))


def _key_lines(node: yaml.MappingNode) -> dict[str, int]:
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def _child(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    return next((v for k, v in node.value if k.value == key), None)


def _line(lines: Mapping[str, int], key: str) -> str | None:
    return f"line {lines[key]}" if key in lines else None
