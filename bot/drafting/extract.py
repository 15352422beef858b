"""Reading the article to draft from: plain text, or a saved HTML page (with trafilatura, the
optional `faqbot[draft]` extra). An input that cannot be used is refused with one reason."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MIN_WORDS = 120
MIN_PARAGRAPHS = 2
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


class DraftRefused(Exception):
    """The input cannot be drafted from; the message is the one-line reason."""


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """The article's text (what article.txt will hold, byte for byte) and its title, if the
    input named one apart from the text (an HTML page's <title>)."""

    text: str
    title: str | None = None
    html: bool = False


def read_article(path: str | Path) -> ArticleInput:
    """Read and check an article file; DraftRefused says why it cannot be used."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise DraftRefused(f"{path}: is a directory, not an article file") from None
    except OSError as exc:
        raise DraftRefused(f"{path}: cannot be read: {exc.strerror or exc}") from None
    return parse_article(data, name=str(path))


def parse_article(data: bytes, *, name: str = "input") -> ArticleInput:
    """Check raw bytes and turn them into an ArticleInput; DraftRefused says why not."""
    if b"\x00" in data[:8192]:
        raise DraftRefused(f"{name}: binary file, not text")
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DraftRefused(f"{name}: not text (not UTF-8 at byte {exc.start})") from None
    html = _HTML_START.match(data) is not None
    article = _from_html(decoded, name) if html else ArticleInput(text=decoded)
    check_usable(article.text, name)
    return article


def check_usable(text: str, name: str) -> None:
    """Refuse text too short to draft from, or with no paragraphs."""
    if _controls(text) > 0.01 * max(len(text), 1):
        raise DraftRefused(f"{name}: not text (control characters)")
    words = len(re.findall(r"\w+", text))
    if words < MIN_WORDS:
        raise DraftRefused(f"{name}: too short ({words} words; at least {MIN_WORDS} are needed)")
    blocks = [b for b in _PARAGRAPH_BREAK.split(text) if b.strip()]
    if len(blocks) < MIN_PARAGRAPHS:
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) < MIN_PARAGRAPHS + 1:
            raise DraftRefused(
                f"{name}: no paragraphs (one block of text; separate paragraphs with a blank line)"
            )
    if not re.search(r"[.!?][\"”’)]?\s", text + " "):
        raise DraftRefused(f"{name}: no sentences (no full stop anywhere)")


def _controls(text: str) -> int:
    return sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t")


def _from_html(html: str, name: str) -> ArticleInput:
    try:
        import trafilatura
    except ImportError:
        raise DraftRefused(
            f"{name}: an HTML page needs the draft extra: pip install 'faqbot[draft]'"
        ) from None
    body = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_precision=True
    )
    if not body or not body.strip():
        raise DraftRefused(f"{name}: HTML page with no article text trafilatura could find")
    metadata = trafilatura.extract_metadata(html)
    title = metadata.title.strip() if metadata is not None and metadata.title else None
    paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
    text = "\n\n".join(paragraphs) + "\n"
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return ArticleInput(text=text, title=title, html=True)
