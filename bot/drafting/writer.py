"""Writing a draft pack: article.txt byte for byte, source.yaml (draft: true), speakers.yaml and
faq.yaml. Low-confidence attributions carry a `# review:` comment above them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from bot.drafting.entries import TODO, DraftEntry, build_entries, profile_id
from bot.drafting.pipeline import Draft
from bot.drafting.rules import load_rules
from bot.knowledge.pack import ARTICLE_FILE, FAQ_FILE, SOURCE_FILE, SPEAKERS_FILE

PACK_FILES = (ARTICLE_FILE, SOURCE_FILE, SPEAKERS_FILE, FAQ_FILE)


def schema_line(schema: str) -> str:
    """The editor's schema line, pointing at faqbot's own installed schema file."""
    path = resources.files("bot") / "data" / "schema" / schema
    return f"# yaml-language-server: $schema={path}"


class OutputExists(Exception):
    """The output folder already holds pack files (a curator's work is never overwritten)."""


@dataclass(frozen=True, slots=True)
class Written:
    """What a draft wrote: the folder and the counts a curator is told."""

    path: Path
    speakers: int
    quotes: int
    entries: int
    review: int


def _s(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _list(values: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join(_s(v) for v in values) + "]"


def write_pack(draft: Draft, out: str | Path, *, force: bool = False) -> Written:
    """Write the draft pack into folder `out`; OutputExists when it holds pack files already."""
    out = Path(out)
    existing = [name for name in PACK_FILES if (out / name).exists()]
    if existing and not force:
        raise OutputExists(f"{out} already holds {', '.join(existing)} (use --force to replace)")
    out.mkdir(parents=True, exist_ok=True)
    entries = build_entries(draft, load_rules())
    (out / ARTICLE_FILE).write_bytes(draft.text.encode("utf-8"))
    (out / SOURCE_FILE).write_text(source_yaml(draft), encoding="utf-8")
    (out / SPEAKERS_FILE).write_text(speakers_yaml(draft, entries), encoding="utf-8")
    (out / FAQ_FILE).write_text(faq_yaml(entries), encoding="utf-8")
    review = sum(1 for q in draft.quotes if q.review) + sum(1 for s in draft.speakers if s.review)
    return Written(out, len(draft.speakers), len(draft.quotes), len(entries), review)


def source_yaml(draft: Draft) -> str:
    """source.yaml of a draft: the title from the text, nothing invented, draft: true."""
    return (
        schema_line("source.schema.json")
        + "\n"
        + "# Drafted by `faqbot draft`: check the title, fill in what the article names, and\n"
        + "# remove `draft: true` once every answer is written.\n"
        + f"title: {_s(draft.title)}\n"
        + 'kind: "news article"\n'
        + "outlet: null\nauthor: null\ndate: null\nurl: null\n"
        + "draft: true\n"
    )


def speakers_yaml(draft: Draft, entries: list[DraftEntry]) -> str:
    """speakers.yaml of a draft, each speaker pointing at its who-is entry."""
    ids = {e.id for e in entries}
    lines = [
        schema_line("speakers.schema.json"),
        "# Drafted by `faqbot draft`. `role` is the article's own words; check each speaker and",
        "# delete the `# review:` comments you have checked.",
        "speakers:",
    ]
    for speaker in draft.speakers:
        if speaker.review:
            lines.append(f"  # review: {speaker.review}")
        lines += [
            f"  - id: {speaker.id}",
            f"    name: {_s(speaker.name)}",
            f"    kind: {speaker.kind}",
        ]
        profile = profile_id(speaker)
        if profile in ids:
            lines.append(f"    profile: {profile}")
        lines += [f"    role: {_s(speaker.role)}", f"    aliases: {_list(speaker.aliases)}"]
    return "\n".join(lines) + "\n"


def faq_yaml(entries: list[DraftEntry]) -> str:
    """faq.yaml of a draft: template questions, verbatim quotes, answers left as TODO."""
    lines = [
        schema_line("faq.schema.json"),
        "# Drafted by `faqbot draft`. Write every answer (`faqbot validate` refuses TODO), check",
        "# each quote's speaker and verb (a `# review:` comment says why one is uncertain), and",
        "# add the questions readers would ask in their own words.",
        "entries:",
    ]
    for entry in entries:
        lines.append(f"  - id: {entry.id}")
        lines.append("    questions:")
        lines += [f"      - {_s(q)}" for q in entry.questions]
        lines.append(f"    answer: {_s(TODO)}")
        lines.append("    quotes:")
        for quote in entry.quotes:
            if quote.review:
                lines.append(f"      # review: {quote.review}")
            lines += [
                f"      - text: {_s(quote.text)}",
                f"        speaker: {quote.speaker_id}",
                f"        verb: {_s(quote.verb)}",
            ]
        if entry.related:
            lines.append(f"    related: {_list(entry.related)}")
        lines.append("")
    return "\n".join(lines)
