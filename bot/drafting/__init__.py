"""Drafting a knowledge pack from a new article: rule-based, general English, no model.

`draft_article` reads an article (plain text or a saved HTML page), finds who the article
attributes views and facts to, the spans it attributes to them and the reporting verbs, and
proposes entries with template questions and `TODO` answers for a curator to write.
"""

from __future__ import annotations

from bot.drafting.extract import ArticleInput, DraftRefused, read_article
from bot.drafting.pipeline import Draft, draft_article, draft_text

__all__ = ["ArticleInput", "Draft", "DraftRefused", "draft_article", "draft_text", "read_article"]
