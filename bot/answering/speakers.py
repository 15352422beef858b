"""The speaker directory: who the article quotes, and what each of them said."""

from __future__ import annotations

from bot.answering import messages
from bot.answering.served import PackSlot
from bot.matching import followup
from bot.model import Answer, AnswerKind, AttributedQuote, Origin, Speaker
from bot.ports import Journal, NullJournal


class SpeakerDirectory:
    """Everyone one article quotes or attributes a view to, found by name, alias or id."""

    def __init__(self, slot: PackSlot, *, journal: Journal | None = None) -> None:
        self._slot = slot
        self._journal: Journal = journal or NullJournal()

    def speakers(self) -> list[Speaker]:
        """Everyone the article quotes or attributes a view to, in pack order."""
        return list(self._slot.served.pack.speakers.values())

    def find(self, name: str) -> Speaker | None:
        """The speaker a name or alias refers to (a first name, "the lecturer"), or None."""
        return followup.find_speaker(self._slot.served.pack, name)

    def quotes_of(self, speaker_id: str) -> list[AttributedQuote]:
        """Every distinct quote the pack attributes to one speaker, in article order."""
        return self._slot.served.quotes_of(speaker_id)

    def who(self, name: str, *, origin: Origin | None = None) -> Answer:
        """One speaker's role and views with their quotes; not covered if nobody matches."""
        speaker = self.find(name)
        if speaker is None:
            answer = Answer(
                question=name,
                kind=AnswerKind.NOT_COVERED,
                text=messages.unknown_speaker(name, [s.name for s in self.speakers()]),
            )
        else:
            answer = self.about(speaker, question=name)
        if origin is not None:
            self._journal.record_answer(answer, origin)
        return answer

    def by_id(self, speaker_id: str, *, origin: Origin | None = None) -> Answer | None:
        """One speaker's answer by id (a button carries the id); None for an unknown id."""
        speaker = self._slot.served.pack.speakers.get(speaker_id)
        if speaker is None:
            return None
        answer = self.about(speaker, question=speaker.name)
        if origin is not None:
            self._journal.record_answer(answer, origin)
        return answer

    def about(self, speaker: Speaker, *, question: str) -> Answer:
        """A speaker's role and views, with every quote the article attributes to them."""
        served = self._slot.served
        quotes = tuple(self.quotes_of(speaker.id))
        profile = followup.profile_entry_id(served.pack, speaker)
        return Answer(
            question=question,
            kind=AnswerKind.ANSWER,
            text=messages.speaker_summary(speaker, len(quotes)),
            entry_id=profile,
            matched_question=served.title(profile) if profile else None,
            quotes=quotes,
            score=1.0,
        )
