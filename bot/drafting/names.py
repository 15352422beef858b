"""Names in the article: runs of capitalised words, with the titles, appositives and relative
clauses that give each its role ("X, a historian at …", "parish clerk X", "X, who runs …")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.drafting.rules import Rules
from bot.drafting.segment import Segmented, Sentence, Token
from bot.model import SpeakerKind

MAX_APPOSITIVE_WORDS = 18
_POSSESSIVE = re.compile(r"[’']s$")
_CONNECTORS = frozenset({"of", "for", "de", "del", "van", "von", "la", "al", "bin", "and", "the"})


@dataclass(slots=True)
class Entity:
    """A named person, organisation or group, gathered over its mentions."""

    name: str
    kind: SpeakerKind = SpeakerKind.PERSON
    role: str | None = None
    role_head: str | None = None
    acronym: str | None = None
    title: str | None = None
    mentions: list[int] = field(default_factory=list)
    short_forms: set[str] = field(default_factory=set)
    subject: bool = False
    """Whether the article ever makes it the subject of a clause (not only after a preposition)."""
    unnamed: bool = False
    """A group the article quotes without a name ("Farmers", "Some parents")."""
    after_the: int = 0
    """How many of its mentions follow "the" (a person's name never does)."""

    @property
    def person_evidence(self) -> bool:
        """Whether the article writes of it as of a person: a title, a role, a subject."""
        return self.kind == SpeakerKind.PERSON and (
            self.title is not None or self.role is not None or self.subject
        )

    @property
    def words(self) -> list[str]:
        """The name's words without a title ("Dr.")."""
        return [w for w in re.findall(r"[\w’'\-]+", self.name) if w.lower() != self.title]


@dataclass(frozen=True, slots=True)
class Mention:
    """One place a name is written: its span and the entity it names."""

    start: int
    end: int
    entity: Entity


@dataclass(slots=True)
class Catalogue:
    """Every named entity of the article and every mention of one, in text order."""

    entities: list[Entity]
    mentions: list[Mention]

    def at(self, start: int, end: int) -> Mention | None:
        """The last mention inside text[start:end]."""
        inside = [m for m in self.mentions if m.start >= start and m.end <= end]
        return inside[-1] if inside else None

    def starting(self, offset: int) -> Mention | None:
        """The mention that starts at `offset`."""
        return next((m for m in self.mentions if m.start == offset and m.end > m.start), None)

    def before(self, offset: int, kinds: tuple[str, ...]) -> Entity | None:
        """The entity of these kinds mentioned last before `offset`."""
        for mention in reversed(self.mentions):
            if mention.end <= offset and mention.entity.kind in kinds:
                return mention.entity
        return None

    def note(self, offset: int, entity: Entity) -> None:
        """Record a reference resolved to `entity` (a pronoun, "the historian") at `offset`."""
        self.mentions.append(Mention(offset, offset, entity))
        self.mentions.sort(key=lambda m: m.start)


@dataclass(frozen=True, slots=True)
class _Run:
    tokens: tuple[Token, ...]
    sentence: Sentence
    acronym: str | None


def catalogue(doc: Segmented, rules: Rules) -> Catalogue:
    """Find the article's named entities, their kinds and roles."""
    text = doc.text
    runs = [run for sentence in doc.sentences for run in _runs(text, sentence, rules)]
    capitalised_inside = {
        t.text
        for s in doc.sentences
        for t in s.tokens[1:]
        if t.capitalised and t.lower not in rules.function_words
    }
    full = [r for r in runs if len(r.tokens) >= 2 or r.acronym or _strong(r, capitalised_inside)]
    names = {_name(text, r) for r in full if len(r.tokens) >= 2}
    entities: dict[str, Entity] = {}
    mentions: list[Mention] = []
    pending: list[_Run] = []
    for run in full:
        if len(run.tokens) == 1 and (not run.acronym or run.acronym == run.tokens[0].text):
            pending.append(run)
            continue
        name, prefix = _split_title(text, run, names)
        entity = entities.get(name)
        if entity is None:
            entity = entities[name] = Entity(name=name)
            entity.title = _title_of(name, rules)
        mention_start = run.tokens[len(prefix)].start
        mentions.append(Mention(mention_start, run.tokens[-1].end, entity))
        if run.acronym:
            entity.acronym = run.acronym
        _describe(text, entity, run, prefix, rules)
    for run in pending:
        word = _POSSESSIVE.sub("", run.tokens[0].text)
        entity = _by_short_form(entities.values(), word)
        if entity is None and run.acronym:
            entity = entities[word] = Entity(name=word, kind=SpeakerKind.ORGANISATION, acronym=word)
        if entity is None:
            continue
        entity.short_forms.add(word.lower())
        mentions.append(Mention(run.tokens[0].start, run.tokens[0].end, entity))
        _mark_subject(text, entity, run, rules)
    mentions.sort(key=lambda m: m.start)
    for mention in mentions:
        mention.entity.mentions.append(mention.start)
    for entity in entities.values():
        _settle_kind(entity, rules)
    return Catalogue(list(entities.values()), mentions)


def _strong(run: _Run, capitalised_inside: set[str]) -> bool:
    """A single capitalised word is a name when the article capitalises it mid-sentence too."""
    token = run.tokens[0]
    word = _POSSESSIVE.sub("", token.text)
    return token.start != run.sentence.start or word in capitalised_inside


def _runs(text: str, sentence: Sentence, rules: Rules) -> list[_Run]:
    found: list[_Run] = []
    tokens = sentence.tokens
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not token.capitalised or _skippable(token, rules):
            i += 1
            continue
        run = [token]
        j = i + 1
        while j < len(tokens):
            gap = text[run[-1].end : tokens[j].start]
            previous = run[-1]
            joined = (
                gap == " "
                or (gap == ". " and previous.lower in rules.name_titles and tokens[j].capitalised)
                or (gap in ("’ ", "' ") and previous.text.endswith("s") and tokens[j].capitalised)
            )
            if not joined:
                break
            if _POSSESSIVE.search(previous.text) and not _organisation_follows(tokens, j, rules):
                break
            if tokens[j].capitalised and not _skippable(tokens[j], rules, inside=True):
                run.append(tokens[j])
                j += 1
                continue
            if (
                tokens[j].lower in _CONNECTORS
                and j + 1 < len(tokens)
                and text[tokens[j].end : tokens[j + 1].start] == " "
                and tokens[j + 1].capitalised
                and tokens[j].lower != "and"
            ):
                run += [tokens[j], tokens[j + 1]]
                j += 2
                continue
            break
        while run and run[-1].lower in _CONNECTORS:
            run.pop()
        acronym = None
        after = text[run[-1].end : run[-1].end + 12]
        match = re.match(r" \(([A-Z][A-Za-z]{1,9})\)", after)
        if match:
            acronym = match.group(1)
        elif len(run) == 1 and run[0].text.isupper() and len(run[0].text) >= 2:
            acronym = run[0].text
        found.append(_Run(tuple(run), sentence, acronym))
        i = j
    return found


def _organisation_follows(tokens: tuple[Token, ...], j: int, rules: Rules) -> bool:
    """Whether the capitalised words from j on end in an organisation noun ("… Society")."""
    for token in tokens[j : j + 4]:
        if not token.capitalised:
            return False
        if token.lower in rules.organisation_nouns:
            return True
    return False


def _skippable(token: Token, rules: Rules, *, inside: bool = False) -> bool:
    word = token.lower
    if inside:
        return False
    return (
        word in rules.function_words
        or word in rules.discourse
        or word in rules.pronouns
        or word in rules.prepositions
        or word in rules.verbs
    )


def _name(text: str, run: _Run) -> str:
    start, end = run.tokens[0].start, run.tokens[-1].end
    return _POSSESSIVE.sub("", text[start:end])


def _split_title(text: str, run: _Run, names: set[str]) -> tuple[str, tuple[Token, ...]]:
    """(name, title tokens before it): "Lord Mayor Ann Lee" is "Ann Lee" when the article
    also writes "Ann Lee" alone."""
    tokens = run.tokens
    for cut in range(1, len(tokens) - 1):
        suffix = _name(text, _Run(tokens[cut:], run.sentence, None))
        if suffix in names or (tokens[cut - 1].text.isupper() and len(tokens[cut - 1].text) > 1):
            return suffix, tokens[:cut]
    return _name(text, run), ()


def _title_of(name: str, rules: Rules) -> str | None:
    first = name.split()[0].rstrip(".").lower()
    return first if first in rules.name_titles else None


def _by_short_form(entities: Iterable[Entity], word: str) -> Entity | None:
    matches = [e for e in entities if word in (e.words[-1:] + e.words[:1]) or word == e.acronym]
    return matches[-1] if matches else None


def _describe(
    text: str, entity: Entity, run: _Run, prefix: tuple[Token, ...], rules: Rules
) -> None:
    """Take the entity's role (when it has none yet) and what its mention says of its kind."""
    _mark_subject(text, entity, run, rules)
    tokens = run.sentence.tokens
    last = tokens.index(run.tokens[-1])
    first = tokens.index(run.tokens[0])
    after = last + 1
    if run.acronym:
        while after < len(tokens) and tokens[after].text == run.acronym:
            after += 1
    noun = None
    if after < len(tokens) and tokens[after].lower in rules.organisation_nouns:
        noun = tokens[after].lower
        entity.role_head = entity.role_head or noun
        if entity.kind == SpeakerKind.PERSON:
            entity.kind = SpeakerKind.ORGANISATION
        after += 1
    if entity.role is not None:
        return
    appositive = _appositive(text, run.sentence, after, rules)
    if appositive is not None:
        role, head = appositive
        bare = noun is not None and not role.startswith(("a ", "an ", "the "))
        entity.role = f"the {noun} {role}" if bare else role
        entity.role_head = noun if bare else head
        return
    before = _role_before(text, run.sentence, first, rules)
    if before is not None and not prefix:
        entity.role, entity.role_head = before
        return
    role_tokens = list(prefix)
    k = first - 1
    while k >= 0 and text[tokens[k].end : tokens[k + 1].start] == " ":
        word = tokens[k].lower
        if word in rules.function_words or word in rules.prepositions or word in rules.verbs:
            break
        if word in rules.discourse:
            break
        role_tokens.insert(0, tokens[k])
        k -= 1
    if role_tokens and _noun_like(role_tokens[-1].lower, rules):
        entity.role = text[role_tokens[0].start : role_tokens[-1].end]
        entity.role_head = role_tokens[-1].lower


def _role_before(
    text: str, sentence: Sentence, first: int, rules: Rules
) -> tuple[str, str | None] | None:
    """("The head of X", "head") for "The head of X, NAME, …" at the start of a sentence."""
    tokens = sentence.tokens
    if first < 2 or text[tokens[first - 1].end : tokens[first].start] != ", ":
        return None
    words = [t.lower for t in tokens[:first]]
    if words[0] not in ("the", "a", "an", "its", "their") or len(words) > 6:
        return None
    if any(text[t.end : tokens[i + 1].start] != " " for i, t in enumerate(tokens[: first - 1])):
        return None
    if any(w in rules.verbs or w in rules.auxiliaries or w in rules.copulas for w in words):
        return None
    return text[tokens[0].start : tokens[first - 1].end], _head(words, rules)


def _noun_like(word: str, rules: Rules) -> bool:
    return not (
        word.endswith(("ing", "ed", "ly"))
        or word in rules.verbs
        or word in rules.function_words
        or word in rules.prepositions
    )


def _appositive(
    text: str, sentence: Sentence, index: int, rules: Rules
) -> tuple[str, str | None] | None:
    """("a historian at …", "historian") for ", a historian at …," after the name at `index`."""
    tokens = sentence.tokens
    if index >= len(tokens):
        return None
    gap = text[tokens[index - 1].end : tokens[index].start]
    if gap.strip() != ",":
        return None
    end = index
    while end < len(tokens) and text[tokens[end].end : tokens[end].end + 1] != ",":
        end += 1
        if end - index > MAX_APPOSITIVE_WORDS:
            return None
    if end >= len(tokens):
        tail = text[tokens[-1].end : sentence.end].strip()
        if tail not in (".", ""):
            return None
        end = len(tokens) - 1
    words = [t.lower for t in tokens[index : end + 1]]
    first = words[0]
    role = text[tokens[index].start : tokens[end].end]
    if first in ("who", "which", "whose"):
        verb = words[1] if len(words) > 1 else ""
        noun = rules.role_verbs.get(verb)
        return role, noun
    if first in ("a", "an", "the") or (
        first.endswith("ed") and len(words) > 1 and words[1] == "by"
    ):
        return role, _head(words, rules)
    return None


def _head(words: list[str], rules: Rules) -> str | None:
    """The head noun of a role phrase: its last word before a preposition or a participle."""
    head: str | None = None
    for word in words:
        if word in ("a", "an", "the") or word.endswith(("’s", "'s", "’")):
            continue
        if (
            word in rules.prepositions
            or word in ("who", "which", "that")
            or (head is not None and word.endswith("ed"))
        ):
            break
        head = word
    return head


def _mark_subject(text: str, entity: Entity, run: _Run, rules: Rules) -> None:
    tokens = run.sentence.tokens
    first = tokens.index(run.tokens[0])
    previous = tokens[first - 1].lower if first > 0 else ""
    if previous == "the":
        entity.after_the += 1
    gap = text[tokens[first - 1].end : run.tokens[0].start] if first > 0 else ""
    if first == 0 or "," in gap or previous in ("and", "but", "while", "as", "that"):
        entity.subject = True


def _settle_kind(entity: Entity, rules: Rules) -> None:
    if entity.role_head in rules.group_nouns:
        entity.kind = SpeakerKind.GROUP
    elif _organisation(entity, rules):
        entity.kind = SpeakerKind.ORGANISATION


def _organisation(entity: Entity, rules: Rules) -> bool:
    """An acronym, an organisation noun in its name or role, a name always written after "the",
    or a name shortened to its first word ("Acme" for "Acme Freight") but never to its last."""
    words = [w.lower() for w in entity.words]
    shortened = len(words) > 1 and words[0] in entity.short_forms
    return bool(
        entity.acronym
        or any(w in rules.organisation_nouns for w in words)
        or entity.role_head in rules.organisation_nouns
        or (entity.after_the and entity.after_the >= len(entity.mentions))
        or (shortened and words[-1] not in entity.short_forms)
    )
