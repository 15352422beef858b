"""Several articles, one bot: a folder of packs, each answered by its own service.

A question is asked of every pack and answered from the one that covers it; when two articles
answer it about equally well the reader is asked which article they mean; when none covers it
the reply says so. A broken pack is refused alone, and the others keep serving.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from bot.answering import messages
from bot.answering.service import FaqService
from bot.knowledge.pack import FAQ_FILE, KnowledgeError, load_pack
from bot.model import Answer, AnswerKind, KnowledgePack, Origin, Suggestion

log = logging.getLogger(__name__)

CLOSE_CALL = 0.05  # answers from two articles this close in score: ask which article


def pack_paths(path: str | Path) -> list[Path]:
    """The packs at `path`: the pack itself, or each subfolder holding one (name order)."""
    root = Path(path)
    if (root / FAQ_FILE).is_file():
        return [root]
    inside = sorted(p for p in root.iterdir() if (p / FAQ_FILE).is_file()) if root.is_dir() else []
    return inside or [root]  # not a folder of packs: load_pack says why it is not a pack


class Library:
    """The packs one bot serves, by slug (the pack's folder name)."""

    def __init__(self, services: Mapping[str, FaqService]) -> None:
        if not services:
            raise ValueError("a library needs at least one pack")
        self._services = dict(services)

    @property
    def slugs(self) -> list[str]:
        """Every pack's slug, in the order they were loaded."""
        return list(self._services)

    def service(self, slug: str) -> FaqService | None:
        """The service of one pack, or None for an unknown slug."""
        return self._services.get(slug)

    def title(self, slug: str) -> str:
        """The title of a pack's article."""
        return self._services[slug].source.title

    def ask(
        self, question: str, *, pack: str | None = None, origin: Origin | None = None
    ) -> Answer:
        """Answer from the pack that covers the question (or from `pack` only)."""
        if pack is not None:
            chosen = self._services.get(pack)
            if chosen is None:
                raise KeyError(pack)
            return self._tag(chosen.ask(question, origin=origin), pack)
        answers = {slug: s.ask(question) for slug, s in self._services.items()}
        ranked = sorted(
            (slug for slug, a in answers.items() if a.answered),
            key=lambda slug: -answers[slug].score,
        )
        if not ranked:
            best = max(answers, key=lambda slug: answers[slug].score)
            answer = self._tag(answers[best], best)
            if len(self._services) > 1 and answer.kind is AnswerKind.NOT_COVERED:
                answer = replace(
                    answer,
                    text=messages.covered_by_none([self.title(s) for s in self._services]),
                    pack=None,
                    article=None,
                )
            return self._journal(answer, best, origin)
        top = answers[ranked[0]]
        close = [s for s in ranked[1:] if answers[s].score >= top.score - CLOSE_CALL]
        if close:
            choices = [ranked[0], *close]
            clarify = Answer(
                question=question,
                kind=AnswerKind.CLARIFY,
                text=messages.which_article([self.title(s) for s in choices]),
                score=top.score,
                suggestions=tuple(
                    Suggestion(
                        answers[s].entry_id or "",
                        f"{self.title(s)}: {answers[s].matched_question}",
                        pack=s,
                    )
                    for s in choices
                ),
                reasons=(
                    *(f"'{s}' answers with score {answers[s].score:.2f}" for s in choices),
                    "asked back: which article?",
                ),
                rule="asked back: which article",
            )
            return self._journal(clarify, ranked[0], origin)
        return self._journal(self._tag(top, ranked[0]), ranked[0], origin)

    def reload(self) -> dict[str, list[str]]:
        """Reload every pack from disk; each broken one keeps serving its old version. Returns
        the problems per slug (empty lists for packs reloaded cleanly)."""
        return {slug: service.reload() for slug, service in self._services.items()}

    def _tag(self, answer: Answer, slug: str) -> Answer:
        return replace(answer, pack=slug, article=self.title(slug))

    def _journal(self, answer: Answer, slug: str, origin: Origin | None) -> Answer:
        if origin is not None:
            self._services[slug].record(answer, origin)
        return answer


def load_library(
    path: str | Path, make_service: Callable[[KnowledgePack], FaqService] = FaqService
) -> Library:
    """The packs at `path`, each in its own service. A broken pack is refused alone (logged
    with its problems); KnowledgeError when no pack at all could be loaded."""
    services: dict[str, FaqService] = {}
    problems = []
    for pack_path in pack_paths(path):
        try:
            pack = load_pack(pack_path)
        except KnowledgeError as exc:
            log.error("knowledge pack %s refused:\n  %s", pack_path, str(exc).replace("\n", "\n  "))
            problems.extend(exc.problems)
            continue
        services[pack.slug] = make_service(pack)
    if not services:
        raise KnowledgeError(problems)
    return Library(services)
