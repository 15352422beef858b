"""The general English the drafter works with, read from bot/data/en.yaml (`reporting_verbs`
and the `drafting:` section)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from bot.knowledge.language import LanguageDataError, load_language


@dataclass(frozen=True, slots=True)
class Rules:
    """Word lists for attribution, names and roles in one language."""

    verbs: frozenset[str]
    ambiguous: frozenset[str]
    particles: Mapping[str, str]
    stance_nouns: frozenset[str]
    stance_adjectives: frozenset[str]
    copulas: frozenset[str]
    clause_verbs: frozenset[str]
    auxiliaries: frozenset[str]
    discourse: frozenset[str]
    person_pronouns: frozenset[str]
    plural_pronouns: frozenset[str]
    thing_pronouns: frozenset[str]
    name_titles: frozenset[str]
    proxy_nouns: frozenset[str]
    abbreviations: frozenset[str]
    function_words: frozenset[str]
    prepositions: frozenset[str]
    quantifiers: frozenset[str]
    organisation_nouns: frozenset[str]
    group_nouns: frozenset[str]
    role_verbs: Mapping[str, str]

    @property
    def pronouns(self) -> frozenset[str]:
        """Every pronoun that may stand for a speaker."""
        return self.person_pronouns | self.plural_pronouns | self.thing_pronouns

    def lemma(self, word: str) -> str:
        """The base form of a reporting verb ("argues", "argued", "arguing" → "argue")."""
        word = word.lower()
        candidates = [word]
        if word.endswith("ies") or word.endswith("ied"):
            candidates.append(word[:-3] + "y")
        if word.endswith("ing"):
            candidates += [word[:-3] + "e", word[:-3]]
        if word.endswith("es") or word.endswith("ed"):
            candidates += [word[:-1], word[:-2]]
        if word.endswith("s") or word.endswith("d"):
            candidates.append(word[:-1])
        for candidate in candidates:
            if self._is_base(candidate):
                return candidate
        return word

    def _is_base(self, word: str) -> bool:
        forms = self.verbs
        return word in forms and (
            word + "s" in forms
            or word + "es" in forms
            or word + "d" in forms
            or word + "ed" in forms
            or (word.endswith("y") and word[:-1] + "ies" in forms)
        )

    def present(self, word: str) -> str:
        """The third-person present of a reporting verb ("claiming" → "claims")."""
        base = self.lemma(word)
        for form in (base + "s", base + "es", base[:-1] + "ies"):
            if form in self.verbs:
                return form
        return word.lower()


def _words(doc: Mapping[str, Any], key: str) -> frozenset[str]:
    value = doc.get(key) or []
    if not isinstance(value, list):
        raise LanguageDataError(f"drafting.{key} must be a list")
    return frozenset(str(v).lower() for v in value)


def _mapping(doc: Mapping[str, Any], key: str) -> dict[str, str]:
    value = doc.get(key) or {}
    if not isinstance(value, Mapping):
        raise LanguageDataError(f"drafting.{key} must be a mapping")
    return {str(k).lower(): str(v) for k, v in value.items()}


@lru_cache(maxsize=4)
def load_rules(code: str = "en") -> Rules:
    """The drafting rules of language `code` (its general data must have a `drafting:` part)."""
    language = load_language(code)
    resource = resources.files("bot") / "data" / f"{code}.yaml"
    doc = yaml.safe_load(resource.read_text(encoding="utf-8"))
    drafting = doc.get("drafting") if isinstance(doc, Mapping) else None
    if not isinstance(drafting, Mapping):
        raise LanguageDataError(f"{code}.yaml has no drafting: section")
    pronouns = drafting.get("pronouns") or {}
    if not isinstance(pronouns, Mapping):
        raise LanguageDataError("drafting.pronouns must be a mapping")
    return Rules(
        verbs=frozenset(language.words.reporting_verbs) | _words(drafting, "verbs"),
        ambiguous=_words(drafting, "ambiguous"),
        particles=_mapping(drafting, "particles"),
        stance_nouns=_words(drafting, "stance_nouns"),
        stance_adjectives=_words(drafting, "stance_adjectives"),
        copulas=_words(drafting, "copulas"),
        clause_verbs=_words(drafting, "clause_verbs"),
        auxiliaries=_words(drafting, "auxiliaries"),
        discourse=_words(drafting, "discourse"),
        person_pronouns=_words(pronouns, "person"),
        plural_pronouns=_words(pronouns, "plural"),
        thing_pronouns=_words(pronouns, "thing"),
        name_titles=_words(drafting, "name_titles"),
        proxy_nouns=_words(drafting, "proxy_nouns"),
        abbreviations=_words(drafting, "abbreviations"),
        function_words=_words(drafting, "function_words"),
        prepositions=_words(drafting, "prepositions"),
        quantifiers=_words(drafting, "quantifiers"),
        organisation_nouns=_words(drafting, "organisation_nouns"),
        group_nouns=_words(drafting, "group_nouns"),
        role_verbs=_mapping(drafting, "role_verbs"),
    )
