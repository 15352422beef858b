"""`faqbot report --html`: the curator's report as one self-contained HTML page.

Everything is inline (styles and SVG charts); a Content-Security-Policy forbids the page any
network access, so it opens the same from a mail attachment, a USB stick or a file share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from bot.curation.charts import Bar, bar_chart, timeline_chart
from bot.curation.insights import Report, Suggestions
from bot.curation.trends import ANSWERED, Bucket

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 760px;
       color: #1d1d1f; padding: 0 1em; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #ddd; }
.meta, .note { color: #555; }
.figures { display: flex; gap: 2em; margin: 1em 0; }
.figure strong { display: block; font-size: 1.8em; }
svg { max-width: 100%; height: auto; }
rect.answered, .key.answered { fill: #2b7a3d; background: #2b7a3d; }
rect.refused, .key.refused { fill: #c4572f; background: #c4572f; }
rect.down { fill: #c4572f; } rect.up { fill: #2b7a3d; } rect.count { fill: #3b6ea8; }
polyline.rate { stroke: #1d1d1f; stroke-width: 2; } circle.rate { fill: #1d1d1f; }
.axis { stroke: #888; } .tick, .value { font-size: 12px; fill: #555; }
.label { font-size: 13px; fill: #1d1d1f; }
.key { display: inline-block; width: .9em; height: .9em; vertical-align: -.1em; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; padding: .25em .5em; border-bottom: 1px solid #eee;
         vertical-align: top; }
td.n { text-align: right; width: 4em; }
"""


@dataclass(frozen=True, slots=True)
class PageData:
    """What the page shows, computed from the journal and the pack."""

    title: str
    window: str
    generated: str
    report: Report
    buckets: Sequence[Bucket]
    outcomes: Sequence[tuple[str, int]]
    suggestions: Suggestions
    titles: Mapping[str, str]


def render_page(data: PageData) -> str:
    """The whole page as one HTML document."""
    report = data.report
    sections = [
        _summary(data),
        _section(
            "Questions and answer rate over time",
            '<p class="note"><span class="key answered"></span> answered '
            '<span class="key refused"></span> not answered — the line is the share answered '
            "(right-hand scale).</p>"
            + timeline_chart(data.buckets, title="Questions per period and share answered"),
        ),
        _section(
            "What happened to the questions",
            bar_chart(
                [
                    Bar(label, (("answered" if label == ANSWERED else "refused", n),))
                    for label, n in data.outcomes
                ],
                title="Questions answered, and refused by reason",
            ),
        ),
        _section(
            "Most asked entries",
            bar_chart(
                [
                    Bar(_entry(entry_id, data.titles), (("count", n),))
                    for entry_id, n in report.top_entries
                ],
                title="Most asked entries",
            ),
        ),
        _section(
            "Entries voted down most (👎)",
            bar_chart(
                [
                    Bar(
                        _entry(f.entry_id, data.titles),
                        (("down", f.down), ("up", f.up)),
                        note=f"{f.down} down · {f.up} up",
                    )
                    for f in report.feedback
                    if f.down
                ],
                title="Entries by 👎 (down) votes, with their 👍 (up) votes",
            ),
        ),
        _section("Top unanswered questions (similar ones grouped)", _unanswered(report)),
        _section("Suggested phrasings for existing entries", _phrasings(data)),
        _section("Candidate new entries", _candidates(data.suggestions)),
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(data.title)}</title><style>{STYLE}</style></head><body>"
        + "".join(sections)
        + "</body></html>\n"
    )


def _summary(data: PageData) -> str:
    report = data.report
    rate = f"{report.answer_rate:.0%}" if report.questions else "—"
    figures = [
        ("questions", str(report.questions)),
        ("answered", str(report.answered)),
        ("answer rate", rate),
        ("greetings, help, empty", str(report.small_talk)),
    ]
    cells = "".join(
        f'<div class="figure"><strong>{escape(value)}</strong>{escape(name)}</div>'
        for name, value in figures
    )
    return (
        f"<h1>{escape(data.title)}</h1>"
        f'<p class="meta">Questions asked {escape(data.window)}. '
        f"Generated {escape(data.generated)}.</p>"
        f'<div class="figures">{cells}</div>'
    )


def _section(heading: str, body: str) -> str:
    return f"<section><h2>{escape(heading)}</h2>{body}</section>"


def _entry(entry_id: str, titles: Mapping[str, str]) -> str:
    return titles.get(entry_id, entry_id)


def _unanswered(report: Report) -> str:
    if not report.unanswered:
        return '<p class="note">None.</p>'
    rows = "".join(
        f'<tr><td class="n">{c.count}</td><td>{escape(c.question)}</td></tr>'
        for c in report.unanswered
    )
    return f'<table><tr><th class="n">asked</th><th>question</th></tr>{rows}</table>'


def _phrasings(data: PageData) -> str:
    if not data.suggestions.new_phrasings:
        return '<p class="note">None: no weakly matched or 👍-confirmed wordings.</p>'
    items = "".join(
        f"<li><strong>{escape(_entry(entry_id, data.titles))}</strong> "
        f'<span class="meta">({escape(entry_id)})</span><ul>'
        + "".join(f"<li>{escape(q)}</li>" for q in questions)
        + "</ul></li>"
        for entry_id, questions in data.suggestions.new_phrasings
    )
    return (
        '<p class="note">Readers\' wordings answered weakly or confirmed with 👍. Copy those that '
        "mean exactly what the entry answers into its <code>questions:</code>; nothing here is "
        f"applied by itself.</p><ul>{items}</ul>"
    )


def _candidates(suggestions: Suggestions) -> str:
    if not suggestions.candidate_entries:
        return '<p class="note">None.</p>'
    rows = "".join(
        f'<tr><td class="n">{c.count}</td><td>'
        + "<br>".join(escape(e) for e in c.examples)
        + "</td></tr>"
        for c in suggestions.candidate_entries
    )
    return (
        '<p class="note">Add an entry only if the article itself answers it.</p>'
        f'<table><tr><th class="n">asked</th><th>examples</th></tr>{rows}</table>'
    )
