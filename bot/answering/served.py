"""A pack as it is served: the pack with the indexes built from it, replaced whole on reload."""

from __future__ import annotations

from dataclasses import dataclass

from bot.answering.grammar import plural_verb
from bot.matching.attribution import QuoteIndex
from bot.matching.matcher import Matcher
from bot.model import AttributedQuote, Entry, KnowledgePack


@dataclass(frozen=True)
class ServedPack:
    """One pack and the indexes built from it once: the matcher and the quote index."""

    pack: KnowledgePack
    matcher: Matcher
    quotes: QuoteIndex

    @classmethod
    def of(cls, pack: KnowledgePack) -> ServedPack:
        """Index a validated pack for serving."""
        matcher = Matcher(pack)
        return cls(pack, matcher, QuoteIndex(pack, matcher.text_tokens))

    def title(self, entry_id: str) -> str:
        """An entry's canonical question (its id when the entry is unknown)."""
        entry = self.pack.entry(entry_id)
        return entry.title if entry else entry_id

    def quotes_of(self, speaker_id: str) -> list[AttributedQuote]:
        """Every distinct quote the pack attributes to one speaker, in article order."""
        seen: dict[str, AttributedQuote] = {}
        for entry in self.pack.entries:
            for quote in self.attributed(entry):
                if quote.speaker_id == speaker_id:
                    seen.setdefault(quote.text, quote)
        distinct = outermost(list(seen.values()))
        return sorted(distinct, key=lambda q: self.pack.article.find(q.text))

    def attributed(self, entry: Entry) -> list[AttributedQuote]:
        """An entry's quotes with their speakers' names, roles and verbs."""
        return [self.attributed_quote(q.text, q.speaker_id, q.verb) for q in entry.quotes]

    def attributed_quote(self, text: str, speaker_id: str, verb: str) -> AttributedQuote:
        """One quote with its speaker's name and role; a group's verb agrees with the group."""
        speaker = self.pack.speakers[speaker_id]
        return AttributedQuote(
            text=text,
            speaker=speaker.name,
            role=speaker.role,
            attribution=plural_verb(verb) if speaker.kind == "group" else verb,
            speaker_id=speaker.id,
        )


class PackSlot:
    """Where one article's served pack lives; a reload puts a new one in, whole, so every job
    reading the slot (answering, the speaker directory) sees the same pack."""

    def __init__(self, pack: KnowledgePack) -> None:
        self._served = ServedPack.of(pack)

    @property
    def served(self) -> ServedPack:
        """The pack being served now."""
        return self._served

    def replace(self, pack: KnowledgePack) -> None:
        """Serve a new, already validated pack from now on."""
        self._served = ServedPack.of(pack)


def outermost(quotes: list[AttributedQuote]) -> list[AttributedQuote]:
    """Quotes not contained in a longer one of the list (two curators' spans of one sentence)."""
    return [q for q in quotes if not any(q.text in o.text and q.text != o.text for o in quotes)]
