"""The article cut into paragraphs, sentences and words, every piece kept by its offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.drafting.rules import Rules

_BLOCK = re.compile(r"[^\n]+(?:\n[ \t]*[^\s\n][^\n]*)*")
_WORD = re.compile(r"\w+(?:[’'\-]\w+)*")
_END = re.compile(r"[.!?]+[\"”’)\]]*(?=\s|$)")
MAX_HEADING_WORDS = 14
MAX_TITLE_WORDS = 25


@dataclass(frozen=True, slots=True)
class Token:
    """A word and where it is in the article."""

    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        """The word in lowercase."""
        return self.text.lower()

    @property
    def capitalised(self) -> bool:
        """Whether the word starts with an uppercase letter."""
        return self.text[:1].isupper()


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of one paragraph, with its words."""

    start: int
    end: int
    paragraph: int
    tokens: tuple[Token, ...]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A block of text between blank lines; headings are short lines with no full stop."""

    index: int
    start: int
    end: int
    heading: bool


@dataclass(frozen=True, slots=True)
class Segmented:
    """The article's paragraphs and sentences, and its title when its first line is one."""

    text: str
    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...]
    title: str | None

    def sentences_of(self, paragraph: int) -> list[Sentence]:
        """The sentences of one paragraph, in order."""
        return [s for s in self.sentences if s.paragraph == paragraph]

    def span(self, start: int, end: int) -> str:
        """The article's text between two offsets."""
        return self.text[start:end]


def tokens(text: str, start: int, end: int) -> tuple[Token, ...]:
    """The words of text[start:end] with their offsets in text."""
    return tuple(
        Token(m.group(), m.start() + start, m.end() + start)
        for m in _WORD.finditer(text[start:end])
    )


def segment(text: str, rules: Rules) -> Segmented:
    """Cut the article into paragraphs (blank-line blocks, or lines when it has none) and
    sentences."""
    blocks = [(m.start(), m.end()) for m in _BLOCK.finditer(text) if m.group().strip()]
    if len(blocks) < 3:
        blocks = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    for index, (start, end) in enumerate(blocks):
        start, end = _trim(text, start, end)
        heading = _is_heading(text[start:end], MAX_TITLE_WORDS if index == 0 else MAX_HEADING_WORDS)
        paragraphs.append(Paragraph(index, start, end, heading))
        if heading:
            continue
        for s_start, s_end in _sentences(text, start, end, rules):
            sentences.append(Sentence(s_start, s_end, index, tokens(text, s_start, s_end)))
    title = None
    if paragraphs and paragraphs[0].heading:
        title = text[paragraphs[0].start : paragraphs[0].end].strip()
    return Segmented(text, tuple(paragraphs), tuple(sentences), title)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_heading(block: str, most: int) -> bool:
    words = block.split()
    short = 0 < len(words) <= most and "\n" not in block
    return short and (block.endswith(":") or not re.search(r"[.!?][\"”’)]?$", block))


def _sentences(text: str, start: int, end: int, rules: Rules) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    begin = start
    for match in _END.finditer(text, start, end):
        stop = match.end()
        if not _ends_sentence(text, begin, match.start(), stop, end, rules):
            continue
        found.append(_trim(text, begin, stop))
        begin = stop
    if text[begin:end].strip():
        found.append(_trim(text, begin, end))
    return [s for s in found if s[1] > s[0]]


def _ends_sentence(text: str, begin: int, mark: int, stop: int, end: int, rules: Rules) -> bool:
    """Whether the full stop at `mark` ends a sentence: not after an abbreviation or an
    initial, and the next word starts a sentence."""
    if text[mark] == ".":
        before = re.search(r"([\w.]+)$", text[begin:mark])
        word = before.group(1).lower() if before else ""
        if word in rules.abbreviations or (len(word) == 1 and word.isalpha()):
            return False
    rest = text[stop:end].lstrip()
    if not rest:
        return True
    first = rest[0]
    return first.isupper() or first.isdigit() or first in "“\"‘'(["
