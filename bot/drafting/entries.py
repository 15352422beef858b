"""Draft FAQ entries: a summary, who is quoted, who is X and what X says for each speaker, one
entry per claim and one per paragraph the article reports in its own voice. Answers are left
for the curator (`TODO`); every entry gets template questions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.drafting.pipeline import Draft, DraftQuote, DraftSpeaker
from bot.drafting.rules import Rules
from bot.drafting.segment import Token, tokens
from bot.drafting.speakers import slug
from bot.knowledge.pack import MIN_QUESTIONS
from bot.model import ARTICLE_SPEAKER_ID, SpeakerKind

TODO = "TODO"
ARTICLE_VERB = "reports"
MAX_TOPIC_WORDS = 6
MAX_QUOTED = 8
MAX_CLAIM_WORDS = 9
_CLAUSE_WORDS = frozenset({"that", "which", "who", "whose", "because", "if", "when", "while"})
_LEADING = _CLAUSE_WORDS | {"whether", "although", "so", "and", "but", "according", "there", "here"}


@dataclass(slots=True)
class DraftEntry:
    """One entry as it will be written to faq.yaml."""

    id: str
    questions: list[str]
    quotes: list[DraftQuote]
    related: list[str] = field(default_factory=list)
    note: str | None = None


def build_entries(draft: Draft, rules: Rules) -> list[DraftEntry]:
    """Every drafted entry, questions unique across the pack and at least MIN_QUESTIONS each."""
    entries = [_summary(draft), _who_is_quoted(draft)]
    people = [s for s in draft.speakers if s.id != ARTICLE_SPEAKER_ID]
    for speaker in people:
        mine = [q for q in draft.quotes if q.speaker_id == speaker.id]
        entries.append(_who_is(draft, speaker, mine))
        entries.append(_what_says(speaker, mine))
        entries.extend(_claims(draft, speaker, mine, rules))
    entries.extend(_paragraphs(draft, rules))
    _link(entries)
    _unique_ids(entries)
    _unique_questions(entries, draft)
    return entries


def article_quote(draft: Draft, start: int, end: int, paragraph: int) -> DraftQuote:
    """A span the article states in its own voice."""
    return DraftQuote(
        start, end, draft.text[start:end], ARTICLE_SPEAKER_ID, ARTICLE_VERB, paragraph
    )


def _summary(draft: Draft) -> DraftEntry:
    quotes: list[DraftQuote] = []
    doc = draft.doc
    title_at = draft.text.find(draft.title)
    if title_at >= 0:
        quotes.append(article_quote(draft, title_at, title_at + len(draft.title), 0))
    for sentence in doc.sentences[:2]:
        quotes.append(article_quote(draft, sentence.start, sentence.end, sentence.paragraph))
    questions = [
        "What is this article about?",
        "Give me a summary of the article",
        "What is the gist of the story?",
        "tl;dr of the article",
        "What is the main point of this article?",
        "Summarise the story in a couple of lines",
        f"What is “{draft.title}” about?",
    ]
    return DraftEntry("summary", questions, quotes)


def _who_is_quoted(draft: Draft) -> DraftEntry:
    firsts: list[DraftQuote] = []
    seen: set[str] = set()
    for quote in draft.quotes:
        if quote.speaker_id not in seen:
            seen.add(quote.speaker_id)
            firsts.append(quote)
    questions = [
        "Who is quoted in the article?",
        "Who does the article quote?",
        "Whose views does the article report?",
        "Who are the people in this story?",
        "Which sources does the article cite?",
        "Who speaks in the article?",
        "List everyone quoted in the story",
    ]
    quotes = firsts[:MAX_QUOTED] or [article_quote(draft, *_first_sentence(draft))]
    return DraftEntry("who-is-quoted", questions, quotes)


def _first_sentence(draft: Draft) -> tuple[int, int, int]:
    first = draft.doc.sentences[0]
    return first.start, first.end, first.paragraph


def profile_id(speaker: DraftSpeaker) -> str:
    """The id of the entry introducing a speaker."""
    return f"who-is-{speaker.id}"[:48].rstrip("-")


def _names(speaker: DraftSpeaker) -> list[str]:
    """The speaker's name, then its name-like aliases (surname, first name)."""
    names = [speaker.name]
    names += [a for a in speaker.aliases if not a.lower().startswith("the ")]
    return names


def _roles(speaker: DraftSpeaker) -> list[str]:
    return [a for a in speaker.aliases if a.lower().startswith("the ")]


def _who_is(draft: Draft, speaker: DraftSpeaker, mine: list[DraftQuote]) -> DraftEntry:
    names, roles = _names(speaker), _roles(speaker)
    short = names[1] if len(names) > 1 else speaker.name
    questions = [f"Who is {speaker.name}?", f"What is {speaker.name}'s role?"]
    questions += [f"Who is {n}?" for n in names[1:3]]
    questions += [f"Who is {r}?" for r in roles[:2]]
    questions += [
        f"What does {short} do?",
        f"Tell me about {speaker.name}",
        f"What do we know about {speaker.name}?",
        f"Who exactly is {short} in this story?",
    ]
    quotes = _introduction(draft, speaker, mine)
    return DraftEntry(profile_id(speaker), questions, quotes)


def _introduction(draft: Draft, speaker: DraftSpeaker, mine: list[DraftQuote]) -> list[DraftQuote]:
    """The first sentence naming the speaker (with its role, when the article gives one)."""
    key = speaker.name if speaker.kind != SpeakerKind.GROUP else speaker.role
    for sentence in draft.doc.sentences:
        text = draft.text[sentence.start : sentence.end]
        if key and key in text:
            said = [q for q in mine if sentence.start <= q.start < sentence.end]
            if said:
                q = said[0]
                return [
                    DraftQuote(
                        sentence.start,
                        sentence.end,
                        text,
                        q.speaker_id,
                        q.verb,
                        q.paragraph,
                        q.review,
                    )
                ]
            return [article_quote(draft, sentence.start, sentence.end, sentence.paragraph)]
    return mine[:1]


def _what_says(speaker: DraftSpeaker, mine: list[DraftQuote]) -> DraftEntry:
    names, roles = _names(speaker), _roles(speaker)
    short = names[1] if len(names) > 1 else speaker.name
    do = "do" if speaker.kind == SpeakerKind.GROUP else "does"
    questions = [
        f"What {do} {speaker.name} say?",
        f"What is {speaker.name}'s view?",
        f"What does {short} think?",
        f"What is {short}'s position?",
        f"What did {speaker.name} say in the article?",
        f"{speaker.name}'s opinion",
    ]
    questions += [f"What does {r} say?" for r in roles[:2]]
    questions += [f"What is the view of {r}?" for r in roles[:1]]
    return DraftEntry(f"what-does-{speaker.id}-say"[:48].rstrip("-"), questions, list(mine))


def topic(draft: Draft, quote: DraftQuote, rules: Rules) -> str:
    """What a quote is about: the subject of its claim ("the bridge", "the new timetable")."""
    words = list(_claim_tokens(draft, quote))
    leading = (rules.prepositions | rules.pronouns | _LEADING) - rules.quantifiers
    while words and words[0].lower in leading:
        words = words[1:]
    picked: list[Token] = []
    for token in words:
        lower = token.lower
        if (
            lower in rules.clause_verbs
            or lower in rules.verbs
            or lower in rules.auxiliaries
            or lower in _CLAUSE_WORDS
            or re.search(r"n[’']t$", lower)
        ):
            break
        if picked and re.search(r"[,;:()“”\"]", draft.text[picked[-1].end : token.start]):
            break
        picked.append(token)
        if len(picked) >= MAX_TOPIC_WORDS:
            break
    while picked and picked[-1].lower in rules.prepositions | rules.function_words:
        picked.pop()
    if not picked:
        rest = [t for t in words if t.lower not in rules.clause_verbs]
        picked = rest[: MAX_TOPIC_WORDS - 2]
    if not picked:
        return "this"
    return draft.text[picked[0].start : picked[-1].end].strip("“”\"' ,")


def _claim_tokens(draft: Draft, quote: DraftQuote) -> tuple[Token, ...]:
    start = quote.claim if quote.claim >= 0 else quote.start
    return tokens(draft.text, start, quote.end)


def _claims(
    draft: Draft, speaker: DraftSpeaker, mine: list[DraftQuote], rules: Rules
) -> list[DraftEntry]:
    by_topic: dict[str, DraftEntry] = {}
    names, roles = _names(speaker), _roles(speaker)
    short = names[1] if len(names) > 1 else speaker.name
    do = "do" if speaker.kind == SpeakerKind.GROUP else "does"
    for quote in mine:
        if (
            quote.claim >= 0
            and quote.claim <= quote.start
            and quote.verb.split()[0] in rules.copulas
        ):
            continue
        about = topic(draft, quote, rules)
        key = slug(about)
        entry = by_topic.get(key)
        if entry is not None:
            entry.quotes.append(quote)
            continue
        claim = _claim_words(draft, quote)
        questions = [
            f"What {do} {speaker.name} say about {about}?",
            f"What is {speaker.name}'s view on {about}?",
            f"What {do} {short} think about {about}?",
            f"{short} on {about}",
            _who_said(quote.verb, claim),
            f"What is the view on {about} of {roles[0] if roles else speaker.name}?",
            f"{do.capitalize()} {short} say anything about {about}?",
        ]
        questions += [f"What does {r} say about {about}?" for r in roles[:1]]
        entry_id = f"{speaker.id[:24].rstrip('-')}-on-{key[:20]}".rstrip("-")
        by_topic[key] = DraftEntry(entry_id, questions, [quote], note=quote.review)
    return list(by_topic.values())


def _claim_words(draft: Draft, quote: DraftQuote) -> str:
    words = _claim_tokens(draft, quote)[:MAX_CLAIM_WORDS]
    if not words:
        return "this"
    return draft.text[words[0].start : words[-1].end].strip("“”\"' ,")


def _who_said(verb: str, claim: str) -> str:
    if verb == "according to":
        return f"According to whom {claim}?"
    head, _, rest = verb.partition(" ")
    if head in ("is", "are", "was", "were"):
        return f"Who is {rest} about {claim}?"
    return f"Who {verb} that {claim}?" if not rest else f"Who {verb} about {claim}?"


def _paragraphs(draft: Draft, rules: Rules) -> list[DraftEntry]:
    """One entry per paragraph with no attributed quote: what the article itself reports."""
    entries: list[DraftEntry] = []
    attributed = {q.paragraph for q in draft.quotes}
    heading: str | None = None
    for paragraph in draft.doc.paragraphs:
        if paragraph.heading:
            if paragraph.index > 0:
                heading = draft.text[paragraph.start : paragraph.end].strip().rstrip(":")
            continue
        sentences = draft.doc.sentences_of(paragraph.index)
        if not sentences or paragraph.index in attributed:
            heading = None
            continue
        quotes = [article_quote(draft, s.start, s.end, s.paragraph) for s in sentences[:2]]
        about = heading or topic(draft, quotes[0], rules)
        heading = None
        questions = [
            f"What does the article say about {about}?",
            f"What about {about}?",
            f"Tell me about {about}",
            f"What do we learn about {about}?",
            f"What is reported on {about}?",
            f"Explain {about}",
            f"What is the story on {about}?",
        ]
        entries.append(DraftEntry(f"about-{slug(about)[:40]}".rstrip("-"), questions, quotes))
    return entries


def _link(entries: list[DraftEntry]) -> None:
    by_speaker: dict[str, list[DraftEntry]] = {}
    for entry in entries:
        for speaker_id in {q.speaker_id for q in entry.quotes}:
            by_speaker.setdefault(speaker_id, []).append(entry)
    for entry in entries:
        if entry.id == "summary":
            entry.related = ["who-is-quoted"]
            continue
        speakers = [q.speaker_id for q in entry.quotes if q.speaker_id != ARTICLE_SPEAKER_ID]
        related = [e.id for sid in dict.fromkeys(speakers) for e in by_speaker.get(sid, [])]
        entry.related = [r for r in dict.fromkeys(related) if r != entry.id][:4]


def _unique_ids(entries: list[DraftEntry]) -> None:
    seen: set[str] = set()
    for entry in entries:
        base, n = entry.id, 2
        while entry.id in seen:
            entry.id = f"{base[:44]}-{n}"
            n += 1
        seen.add(entry.id)
    ids = {e.id for e in entries}
    for entry in entries:
        entry.related = [r for r in entry.related if r in ids and r != entry.id]


def _question_key(question: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", question.casefold()).split())


def _unique_questions(entries: list[DraftEntry], draft: Draft) -> None:
    """Drop a question another entry already asks; pad an entry left short with its id."""
    owner: dict[str, str] = {}
    for entry in entries:
        kept: list[str] = []
        for question in entry.questions:
            key = _question_key(question)
            if key in owner or not key:
                continue
            owner[key] = entry.id
            kept.append(question)
        n = 1
        while len(kept) < MIN_QUESTIONS:
            extra = f"{entry.id.replace('-', ' ')} (question {n} to write)"
            n += 1
            key = _question_key(extra)
            if key not in owner:
                owner[key] = entry.id
                kept.append(extra)
        entry.questions = kept
