"""The one place that wires the core together: pack, matcher, journal, settings."""

from __future__ import annotations

import os
from pathlib import Path

from bot.knowledge import load_pack
from bot.service import FaqService

DEFAULT_PACK = Path(__file__).resolve().parent.parent / "knowledge" / "pti-exodus"


def knowledge_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The pack to serve: an explicit path, else FAQBOT_KNOWLEDGE, else the shipped pack."""
    chosen = explicit or os.environ.get("FAQBOT_KNOWLEDGE") or DEFAULT_PACK
    return Path(chosen)


def build_service(knowledge: str | os.PathLike[str] | None = None) -> FaqService:
    """A ready FaqService for the chosen pack. Raises KnowledgeError on a broken pack."""
    pack = load_pack(knowledge_path(knowledge))
    admins = [a.strip() for a in os.environ.get("FAQBOT_ADMINS", "").split(",") if a.strip()]
    return FaqService(pack, bot_admins=admins)
