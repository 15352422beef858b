"""Resolving replies to an earlier answer: who said that, tell me more, what else did she say."""

from __future__ import annotations

import re
from enum import Enum

from rapidfuzz import fuzz, process

from bot.matching.text import normalise
from bot.model import Entry, KnowledgePack, Speaker, SpeakerKind


class Intent(Enum):
    """What a reply to an earlier answer asks for."""

    WHO_SAID = "who_said"
    MORE = "more"
    ELSE_FROM_SPEAKER = "else_from_speaker"


# Only short anaphoric replies follow up: "who said that?" is about the last answer, while
# "who said careers revolve around ambition?" is a new question of its own.
_WHO_SAID = re.compile(
    r"^(?:who|whom)\s+(?:said|says|say|claimed|claims|stated|told|is\s+saying|was\s+saying)"
    r"(?:\s+(?:that|this|it|so|those|these))?(?:\s+(?:then|again|exactly|please))?$"
    r"|^(?:who\s+is|who\s+s|whos)\s+(?:that|this|saying\s+(?:that|this|it)|saying|quoted)$"
    r"|^(?:source|sources|says who|according to whom|who)$"
    r"|\bwho\s+said\s+(?:that|this|it)$"
)
_MORE = re.compile(
    r"^(?:tell\s+me\s+more|more|go\s+on|continue|and|and then|elaborate|details|"
    r"more\s+details|more\s+info|explain\s+more|say\s+more|what\s+else|anything\s+else|"
    r"keep\s+going|expand|aur\s+batao|aur)$"
)
_ELSE_FROM_SPEAKER = re.compile(
    r"\bwhat\s+else\s+(?:did|does|has)\s+(?:he|she|they|him|her|them)\b"
    r"|\b(?:anything|something)\s+else\s+(?:from|by)\s+(?:him|her|them)\b"
    r"|\bwhat\s+else\s+(?:did|does)\s+\w+(?:\s+\w+)?\s+say\b"
    r"|\bmore\s+from\s+(?:him|her|them)\b"
)
_PRONOUN = re.compile(r"\b(he|she|him|her|his|hers|they|them|their)\b", re.IGNORECASE)
_PERSONAL_PRONOUN = re.compile(r"\b(he|she|him|her|his|hers)\b", re.IGNORECASE)


def classify(text: str) -> Intent | None:
    """The follow-up intent of a reply, or None when it is a fresh question."""
    cleaned = normalise(text)
    if _ELSE_FROM_SPEAKER.search(cleaned):
        return Intent.ELSE_FROM_SPEAKER
    if _WHO_SAID.search(cleaned):
        return Intent.WHO_SAID
    if _MORE.match(cleaned):
        return Intent.MORE
    return None


def has_pronoun(text: str) -> bool:
    """Whether a reply refers to someone by pronoun."""
    return _PRONOUN.search(text) is not None


def substitute_pronouns(text: str, speaker: Speaker) -> str:
    """Replace pronouns with the speaker's name ("what did she say" → "what did <her name> say")."""
    return _PRONOUN.sub(speaker.name, text)


def main_speaker(pack: KnowledgePack, entry: Entry, reply: str = "") -> Speaker | None:
    """The first speaker an entry quotes that a reply can mean: not the article's own voice,
    and a person when the reply says "he" or "she"."""
    personal = _PERSONAL_PRONOUN.search(reply) is not None
    for quote in entry.quotes:
        speaker = pack.speakers.get(quote.speaker_id)
        if speaker is None or speaker.kind == SpeakerKind.ARTICLE:
            continue
        if personal and speaker.kind != SpeakerKind.PERSON:
            continue
        return speaker
    return None


def find_speaker(pack: KnowledgePack, name: str) -> Speaker | None:
    """The speaker a name or alias refers to, tolerant of case and small typos."""
    wanted = normalise(name)
    if not wanted:
        return None
    names: dict[str, Speaker] = {}
    for speaker in pack.speakers.values():
        for label in (speaker.name, speaker.id.replace("-", " "), *speaker.aliases):
            names.setdefault(normalise(label), speaker)
    if wanted in names:
        return names[wanted]
    found = process.extractOne(wanted, list(names), scorer=fuzz.WRatio, score_cutoff=86)
    return names[found[0]] if found else None


def profile_entry_id(pack: KnowledgePack, speaker: Speaker) -> str | None:
    """The id of the entry that introduces a speaker (its `profile` in speakers.yaml), if any."""
    return speaker.profile if speaker.profile and pack.entry(speaker.profile) else None
