"""Who a subject is: a name, a pronoun, a role ("the historian"), or a group ("Farmers")."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bot.drafting.names import Catalogue, Entity
from bot.drafting.rules import Rules
from bot.drafting.segment import Token
from bot.model import SpeakerKind

MAX_ID = 48
_DETERMINERS = frozenset("the a an its their his her our".split())


@dataclass(slots=True)
class Resolved:
    """The entity a subject stands for, and why it may need a curator's look."""

    entity: Entity
    review: str | None = None


@dataclass(slots=True)
class Groups:
    """Unnamed groups the article quotes ("Farmers", "Some parents"), one entity each."""

    by_key: dict[str, Entity] = field(default_factory=dict)

    def get(self, phrase: str, rules: Rules) -> Entity:
        """The group entity for a noun phrase, made on first use."""
        words = phrase.split()
        while len(words) > 1 and words[0].lower() in rules.quantifiers | _DETERMINERS:
            words = words[1:]
        name = " ".join(words)
        name = name[:1].upper() + name[1:]
        key = name.lower()
        entity = self.by_key.get(key)
        if entity is None:
            head = _head_word(words)
            organisation = head in rules.organisation_nouns - rules.group_nouns
            kind = SpeakerKind.ORGANISATION if organisation else SpeakerKind.GROUP
            entity = self.by_key[key] = Entity(
                name=name, kind=kind, role=phrase, role_head=head, unnamed=True
            )
        return entity


def resolve(
    text: str,
    np: list[Token],
    catalogue: Catalogue,
    groups: Groups,
    rules: Rules,
    until: int | None = None,
) -> Resolved | None:
    """The speaker a subject noun phrase names, or None when it names nobody; a role ("the
    historian") is looked up among names written before `until` (default: the phrase)."""
    if not np:
        return None
    start, end = np[0].start, np[-1].end
    words = [t.lower for t in np]
    if len(np) == 1 and words[0] in rules.pronouns:
        return _pronoun(text, np[0], catalogue, rules)
    mention = catalogue.at(start, end)
    if mention is not None and mention.end >= np[-1].start:
        return Resolved(mention.entity)
    links = [i for i, w in enumerate(words) if w in ("of", "for")]
    if links and links[0] > 0 and words[links[0] - 1] in rules.proxy_nouns:
        return resolve(text, list(np[links[0] + 1 :]), catalogue, groups, rules)
    if words[0] in ("the", "this", "that") and len(np) <= 4:
        found = _role_reference(np, catalogue, rules, np[0].start if until is None else until)
        if found is not None:
            return found
    head = words[links[0] - 1] if links and links[0] > 0 else words[-1]
    if "and" in words[1:-1] and not any(t.capitalised for t in np):
        return Resolved(groups.get(text[start:end], rules))
    if words[0] in ("the",) and head in rules.organisation_nouns:
        return Resolved(
            groups.get(text[start:end], rules), "an organisation the article does not name"
        )
    if _plural_noun(head, rules) and all(not t.capitalised or i == 0 for i, t in enumerate(np)):
        return Resolved(groups.get(text[start:end], rules))
    return None


def _head_word(words: list[str]) -> str:
    lower = [w.lower() for w in words]
    links = [i for i, w in enumerate(lower) if w in ("of", "for") and i > 0]
    return lower[links[0] - 1] if links else lower[-1]


def _plural_noun(word: str, rules: Rules) -> bool:
    return (
        len(word) > 3
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is"))
        and word not in rules.function_words
        and word not in rules.pronouns
        and word not in rules.verbs
    ) or word in rules.group_nouns


def _pronoun(text: str, token: Token, catalogue: Catalogue, rules: Rules) -> Resolved | None:
    word = token.lower
    if word in rules.person_pronouns:
        kinds: tuple[str, ...] = ("person",)
    elif word in rules.plural_pronouns:
        kinds = ("group", "organisation")
    else:
        kinds = ("organisation",)
    entity = catalogue.before(token.start, kinds)
    if entity is not None and entity.kind == SpeakerKind.PERSON and not entity.person_evidence:
        entity = next(
            (
                m.entity
                for m in reversed(catalogue.mentions)
                if m.end <= token.start and m.entity.person_evidence
            ),
            None,
        )
    if entity is None:
        return None
    rival = _rival(catalogue, token.start, entity, kinds)
    if rival is None:
        return Resolved(entity)
    return Resolved(entity, f"'{token.text}' read as {entity.name}, not {rival.name}")


AMBIGUITY_WINDOW = 300
"""Characters before a pronoun in which a second candidate makes it ambiguous."""


def _rival(
    catalogue: Catalogue, offset: int, chosen: Entity, kinds: tuple[str, ...]
) -> Entity | None:
    """Another entity of the same kinds mentioned shortly before `offset`, if any."""
    for mention in reversed(catalogue.mentions):
        if mention.end > offset:
            continue
        if offset - mention.end > AMBIGUITY_WINDOW:
            return None
        other = mention.entity
        if (
            other is not chosen
            and other.kind in kinds
            and (other.kind != SpeakerKind.PERSON or other.person_evidence)
        ):
            return other
    return None


def _role_reference(
    np: list[Token], catalogue: Catalogue, rules: Rules, offset: int
) -> Resolved | None:
    """ "the historian" → the person whose role's head is historian; "the society" → the
    organisation with Society in its name; "the company" → the organisation the article
    last made a subject."""
    phrase = " ".join(t.lower for t in np[1:])
    head = np[-1].lower
    candidates: list[Entity] = []
    for mention in reversed(catalogue.mentions):
        if mention.end > offset:
            continue
        entity = mention.entity
        if entity in candidates:
            continue
        role_words = (entity.role or "").lower().split()
        name_words = [w.lower() for w in entity.words]
        if entity.role_head == head or head in name_words or phrase in " ".join(role_words):
            return Resolved(entity, f"'{_text(np)}' read as {entity.name}")
        candidates.append(entity)
    if head not in rules.organisation_nouns:
        return None
    for entity in candidates:
        nouns = {w.lower() for w in entity.words} & rules.organisation_nouns
        if (
            entity.kind == SpeakerKind.ORGANISATION
            and entity.subject
            and (entity.role_head is None or entity.role_head == head)
            and nouns <= {head}
        ):
            return Resolved(entity, f"'{_text(np)}' read as {entity.name}, last named as a subject")
    return None


def _text(np: list[Token]) -> str:
    return " ".join(t.text for t in np)


def slug(name: str) -> str:
    """A speaker or entry id from a name: lowercase ASCII words joined by dashes."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", folded.lower())
    out = "-".join(words)[:MAX_ID].strip("-")
    return out or "speaker"
