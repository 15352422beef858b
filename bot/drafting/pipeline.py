"""From article text to the pieces of a draft pack: title, speakers and attributed quotes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.drafting.extract import ArticleInput, read_article
from bot.drafting.names import Entity, catalogue
from bot.drafting.quotes import Attribution, attribute
from bot.drafting.rules import Rules, load_rules
from bot.drafting.segment import Segmented, segment
from bot.drafting.speakers import Groups, slug
from bot.model import ARTICLE_SPEAKER_ID, SpeakerKind

MAX_TITLE = 160


@dataclass(frozen=True, slots=True)
class DraftSpeaker:
    """A speaker as it will be written to speakers.yaml."""

    id: str
    name: str
    kind: SpeakerKind
    role: str
    aliases: tuple[str, ...]
    review: str | None = None


@dataclass(frozen=True, slots=True)
class DraftQuote:
    """An attributed span of the article (text is article[start:end])."""

    start: int
    end: int
    text: str
    speaker_id: str
    verb: str
    paragraph: int
    review: str | None = None
    claim: int = -1
    """Where the claim starts inside the span (after "X argues that"); -1: at its start."""


@dataclass(frozen=True, slots=True)
class Draft:
    """Everything drafted from one article."""

    text: str
    title: str
    doc: Segmented
    speakers: tuple[DraftSpeaker, ...]
    quotes: tuple[DraftQuote, ...]

    def speaker(self, speaker_id: str) -> DraftSpeaker:
        """The drafted speaker with this id."""
        return next(s for s in self.speakers if s.id == speaker_id)


ARTICLE_VOICE = DraftSpeaker(
    id=ARTICLE_SPEAKER_ID,
    name="The article",
    kind=SpeakerKind.ARTICLE,
    role="the article's own reporting",
    aliases=("the article", "the author", "the report", "the writer"),
)


def draft_article(path: str | Path, language: str = "en") -> Draft:
    """Draft from an article file (plain text or saved HTML); DraftRefused when unusable."""
    return draft_input(read_article(path), language)


def draft_text(text: str, language: str = "en") -> Draft:
    """Draft from article text already read."""
    return draft_input(ArticleInput(text=text), language)


def draft_input(article: ArticleInput, language: str = "en") -> Draft:
    """Draft from a read article."""
    rules = load_rules(language)
    doc = segment(article.text, rules)
    names = catalogue(doc, rules)
    groups = Groups()
    attributions = attribute(doc, names, groups, rules)
    speakers, ids = _speakers(attributions, rules)
    quotes = tuple(
        DraftQuote(
            a.start,
            a.end,
            article.text[a.start : a.end],
            ids[id(a.entity)],
            a.verb,
            a.paragraph,
            a.review,
            a.claim,
        )
        for a in attributions
    )
    title = article.title or doc.title or _first_sentence(doc)
    return Draft(article.text, title, doc, (*speakers, ARTICLE_VOICE), quotes)


def _first_sentence(doc: Segmented) -> str:
    if not doc.sentences:
        return "Untitled article"
    first = doc.sentences[0]
    title = doc.text[first.start : first.end].strip()
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1].rstrip() + "…"


def _speakers(
    attributions: list[Attribution], rules: Rules
) -> tuple[list[DraftSpeaker], dict[int, str]]:
    speakers: list[DraftSpeaker] = []
    ids: dict[int, str] = {}
    taken = {ARTICLE_SPEAKER_ID}
    for attribution in attributions:
        entity = attribution.entity
        if id(entity) in ids:
            continue
        speaker_id = _unique(slug(" ".join(entity.words) or entity.name), taken)
        ids[id(entity)] = speaker_id
        speakers.append(
            DraftSpeaker(
                id=speaker_id,
                name=entity.name,
                kind=entity.kind,
                role=entity.role or _default_role(entity),
                aliases=_aliases(entity, rules),
                review=None if entity.role else "no role found in the article: write one",
            )
        )
    return speakers, ids


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base[:44]}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def _default_role(entity: Entity) -> str:
    return (
        "unnamed " + entity.name.lower()
        if entity.kind == SpeakerKind.GROUP
        else "named in the article"
    )


def _aliases(entity: Entity, rules: Rules) -> tuple[str, ...]:
    words = entity.words
    found: list[str] = []
    if entity.unnamed:
        plain = entity.name.lower()
        found = [f"the {plain}", plain, (entity.role or "").lower()]
        if entity.role_head and entity.role_head != plain:
            found.append(entity.role_head)
        return tuple(dict.fromkeys(a for a in found if (a and a != plain) or a == f"the {plain}"))
    if entity.kind == SpeakerKind.PERSON and len(words) >= 2:
        found += [words[-1], words[0]]
        if entity.title:
            found.append(f"{entity.name.split()[0]} {words[-1]}")
    elif entity.kind != SpeakerKind.PERSON and len(words) >= 2:
        found.append(words[0])
    if entity.acronym:
        found += [entity.acronym, f"the {entity.acronym}"]
    for word in words:
        if word.lower() in rules.organisation_nouns:
            found.append(f"the {word.lower()}")
    role = entity.role or ""
    role_words = role.split()
    if entity.role_head:
        found.append(f"the {entity.role_head}")
    bare = (
        role_words[1:]
        if role_words[:1] and role_words[0].lower() in ("a", "an", "the")
        else role_words
    )
    if bare and len(bare) <= 4 and role_words[:1] != ["who"]:
        found.append("the " + " ".join(bare))
    seen: set[str] = set()
    unique: list[str] = []
    for alias in found:
        key = alias.lower()
        if key not in seen and key != entity.name.lower() and len(alias) > 1:
            seen.add(key)
            unique.append(alias)
    return tuple(unique)
