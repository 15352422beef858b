"""`faqbot draft`: a draft pack from an article, checked on the curated packs and on an
article written for these tests (tests/packs-draft/), which the drafter's rules never name."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from pack_paths import ALL_PACKS, REPO

from bot.cli.main import main
from bot.drafting import DraftRefused, draft_article, draft_text
from bot.drafting.extract import parse_article
from bot.drafting.measure import load_gold, match_speaker, measure
from bot.drafting.writer import write_pack
from bot.knowledge.language import load_language
from bot.knowledge.pack import load_pack, validate

DRAFT_ARTICLES = sorted(p.parent for p in (REPO / "tests" / "packs-draft").glob("*/article.txt"))
ARTICLES = [p / "article.txt" for p in (*ALL_PACKS, *DRAFT_ARTICLES)]
SCHEMAS = REPO / "bot" / "data" / "schema"
UNWRITTEN = "answer not written yet"


def _ids(path: Path) -> str:
    return path.parent.name


@pytest.fixture(scope="module", params=ARTICLES, ids=_ids)
def drafted(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The draft pack of one article, written once per module."""
    out = tmp_path_factory.mktemp("draft") / request.param.parent.name
    write_pack(draft_article(request.param), out)
    return out


def _source_article(out: Path) -> Path:
    return next(p for p in ARTICLES if p.parent.name == out.name)


def _fill_answers(out: Path) -> None:
    faq = out / "faq.yaml"
    faq.write_text(faq.read_text("utf-8").replace('answer: "TODO"', 'answer: "Written."'), "utf-8")


def test_the_draft_of_every_article_validates_but_for_its_unwritten_answers(
    drafted: Path,
) -> None:
    problems = validate(drafted)
    entries = yaml.safe_load((drafted / "faq.yaml").read_text("utf-8"))["entries"]
    assert problems, "a draft must not validate while its answers are TODO"
    assert [p.reason for p in problems if UNWRITTEN not in p.reason] == []
    assert len(problems) == len(entries)
    _fill_answers(drafted)
    try:
        pack = load_pack(drafted)
    finally:
        faq = drafted / "faq.yaml"
        faq.write_text(faq.read_text("utf-8").replace('"Written."', '"TODO"'), "utf-8")
    assert pack.source.draft is True


def test_article_txt_is_the_input_byte_for_byte(drafted: Path) -> None:
    assert (drafted / "article.txt").read_bytes() == _source_article(drafted).read_bytes()


def test_every_drafted_quote_is_verbatim(drafted: Path) -> None:
    article = (drafted / "article.txt").read_text("utf-8")
    entries = yaml.safe_load((drafted / "faq.yaml").read_text("utf-8"))["entries"]
    quotes = [q["text"] for e in entries for q in e["quotes"]]
    assert quotes
    assert [q for q in quotes if q not in article] == []
    draft = draft_article(_source_article(drafted))
    assert all(draft.text[q.start : q.end] == q.text for q in draft.quotes)


@pytest.mark.parametrize("name", ["source", "speakers", "faq"])
def test_drafted_files_fit_their_schemas(drafted: Path, name: str) -> None:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8"))
    doc = yaml.safe_load((drafted / f"{name}.yaml").read_text("utf-8"))
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)]
    assert errors == []


def test_a_draft_has_ten_entries_with_six_questions_each(drafted: Path) -> None:
    entries = yaml.safe_load((drafted / "faq.yaml").read_text("utf-8"))["entries"]
    assert len(entries) >= 10
    assert min(len(e["questions"]) for e in entries) >= 6
    assert {"summary", "who-is-quoted"} <= {e["id"] for e in entries}
    placeholders = [q for e in entries for q in e["questions"] if "to write)" in q]
    assert placeholders == []


def test_every_drafted_speaker_has_a_profile_entry_and_the_article_voice_is_there(
    drafted: Path,
) -> None:
    speakers = yaml.safe_load((drafted / "speakers.yaml").read_text("utf-8"))["speakers"]
    entry_ids = {
        e["id"] for e in yaml.safe_load((drafted / "faq.yaml").read_text("utf-8"))["entries"]
    }
    assert {"id": "article", "kind": "article"}.items() <= speakers[-1].items()
    people = [s for s in speakers if s["kind"] != "article"]
    assert people and all(s.get("profile") in entry_ids for s in people)
    assert all(s["role"] for s in speakers)


@pytest.mark.parametrize("folder", DRAFT_ARTICLES, ids=lambda p: p.name)
def test_an_unseen_article_meets_the_done_when(folder: Path) -> None:
    """≥ 5 of its 6 named speakers found (5/6 of them when it names more); ≥ 80% of the
    returned quotes attributed to the curator's speaker with the article's verb."""
    article, speakers, gold = load_gold(folder)
    expected = yaml.safe_load((folder / "expected.yaml").read_text("utf-8"))
    named = {s["id"] for s in expected["speakers"] if s.get("named")}
    assert len(named) >= 6
    draft = draft_text(article)
    found = {match_speaker(s, speakers) for s in draft.speakers} & named
    assert len(found) >= math.ceil(len(named) * 5 / 6), f"named speakers found: {sorted(found)}"
    figures = measure(draft, speakers, gold)
    assert figures.returned >= 10
    assert figures.precision >= 0.8
    assert figures.recall >= 0.5


@pytest.mark.parametrize("folder", [*ALL_PACKS, *DRAFT_ARTICLES], ids=lambda p: p.name)
def test_triples_are_measured_against_each_curated_article(folder: Path) -> None:
    article, speakers, gold = load_gold(folder)
    figures = measure(draft_text(article), speakers, gold)
    assert figures.gold > 0
    assert figures.precision >= 0.8
    assert figures.speakers_found >= figures.speakers_total - 2


# --- attribution rules on small made-up texts --------------------------------------------------

FILLER = "\n\n".join(
    ["Headline About a Plan to Close the Old Mill Bridge"]
    + ["The county has published a plan for the old mill bridge. " * 6] * 2
)


def _draft(body: str) -> Any:
    return draft_text(FILLER + "\n\n" + body + "\n")


def _quotes(body: str) -> list[tuple[str, str, str]]:
    return [(q.speaker_id, q.verb, q.text) for q in _draft(body).quotes]


def test_pronouns_and_role_references_resolve_to_the_speaker_named_before() -> None:
    quotes = _quotes(
        "Tamsin Greaves, a ferry pilot on the estuary, argues that the bridge should stay open. "
        "She warns that the detour adds forty minutes. The pilot insists that nobody asked her."
    )
    assert [(s, v) for s, v, _ in quotes] == [
        ("tamsin-greaves", "argues"),
        ("tamsin-greaves", "warns"),
        ("tamsin-greaves", "insists"),
    ]
    assert quotes[0][2] == "the bridge should stay open."


def test_roles_come_from_appositives_titles_and_relative_clauses() -> None:
    draft = _draft(
        "Parish councillor Idris Venn says the vote was rushed and unfair to everyone. "
        "Nora Quill, who runs the village shop, claims that trade fell by a third last year. "
        "Dr. Osei Brandt, a historian at the county museum, notes that the bridge is listed."
    )
    roles = {s.id: s.role for s in draft.speakers}
    assert roles["idris-venn"] == "Parish councillor"
    assert roles["nora-quill"] == "who runs the village shop"
    assert roles["osei-brandt"] == "a historian at the county museum"
    aliases = {s.id: s.aliases for s in draft.speakers}
    assert {"Brandt", "Osei", "the historian"} <= set(aliases["osei-brandt"])


def test_direct_quotations_and_according_to_are_attributed() -> None:
    quotes = _quotes(
        "Tamsin Greaves, a ferry pilot, was at the meeting. “We were never shown the "
        "figures at all,” she said after the vote. According to Greaves, the ferry "
        "would need two more crossings a day."
    )
    assert ("tamsin-greaves", "said", "We were never shown the figures at all") in quotes
    assert any(s == "tamsin-greaves" and v == "according to" for s, v, _ in quotes)


def test_coordinated_verbs_split_the_claims_and_keep_the_speaker() -> None:
    quotes = _quotes(
        "Nora Quill, who runs the village shop, concedes that the bridge is old, "
        "but insists that repairs would cost less than closure."
    )
    assert [(s, v, t) for s, v, t in quotes] == [
        ("nora-quill", "concedes", "the bridge is old"),
        ("nora-quill", "insists", "repairs would cost less than closure."),
    ]


def test_uncertain_attributions_are_marked_for_review(tmp_path: Path) -> None:
    """A pronoun with one person named before it is sure; with two, it is marked, and so is a
    role or an organisation the article does not name."""
    draft = _draft(
        "Tamsin Greaves, a ferry pilot, argues that the bridge should stay open for now. "
        "She warns that the detour adds forty minutes. "
        "Nora Quill, who runs the village shop, claims that trade fell by a third. "
        "She says that the shop may close. The pilot insists that nobody asked her. "
        "The county agency says the repairs will take two years."
    )
    reviews = [(q.speaker_id, q.review) for q in draft.quotes]
    assert reviews[:3] == [("tamsin-greaves", None), ("tamsin-greaves", None), ("nora-quill", None)]
    assert reviews[3] == ("nora-quill", "'She' read as Nora Quill, not Tamsin Greaves")
    assert reviews[4][0] == "tamsin-greaves" and "'The pilot' read as" in str(reviews[4][1])
    assert reviews[5][1] is not None and "does not name" in reviews[5][1]
    write_pack(draft, tmp_path / "out")
    faq = (tmp_path / "out" / "faq.yaml").read_text("utf-8")
    assert "# review: 'She' read as Nora Quill, not Tamsin Greaves" in faq
    assert [p.reason for p in validate(tmp_path / "out") if UNWRITTEN not in p.reason] == []


# --- input: HTML and refusals -----------------------------------------------------------------


def test_a_saved_html_page_is_drafted_from_its_extracted_text(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    source = DRAFT_ARTICLES[0] / "article.txt"
    title, *paragraphs = [p.strip() for p in source.read_text("utf-8").split("\n\n") if p.strip()]
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    page = tmp_path / "page.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>"
        f"{title}</title></head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{title}</h1>\n{body}</article><footer>© Example Media</footer></body>"
        "</html>",
        "utf-8",
    )
    out = tmp_path / "out"
    assert main(["draft", str(page), "--out", str(out)]) == 0
    text = (out / "article.txt").read_text("utf-8")
    assert text.startswith(title) and "<p>" not in text and "Home" not in text
    assert paragraphs[-1] in text
    assert yaml.safe_load((out / "source.yaml").read_text("utf-8"))["title"] == title
    assert [p.reason for p in validate(out) if UNWRITTEN not in p.reason] == []


LONG = " ".join(["The bridge plan was discussed at length by the county."] * 30)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"A title\n\nToo short to draft.\n", "too short"),
        (LONG.encode(), "no paragraphs"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("Caf\u00e9 ".encode("latin-1") * 200, "not text"),
        (b"", "too short"),
    ],
    ids=["short", "one-block", "binary", "latin-1", "empty"],
)
def test_unusable_input_is_refused_with_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, reason: str
) -> None:
    with pytest.raises(DraftRefused, match=reason):
        parse_article(data)
    path = tmp_path / "input.txt"
    path.write_bytes(data)
    assert main(["draft", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and reason in err
    assert not (tmp_path / "out").exists()


def test_a_folder_holding_a_pack_is_not_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = str(DRAFT_ARTICLES[0] / "article.txt")
    out = tmp_path / "out"
    assert main(["draft", article, "--out", str(out)]) == 0
    (out / "faq.yaml").write_text("curated: true\n", "utf-8")
    assert main(["draft", article, "--out", str(out)]) == 2
    assert "already holds" in capsys.readouterr().err
    assert (out / "faq.yaml").read_text("utf-8") == "curated: true\n"
    assert main(["draft", article, "--out", str(out), "--force"]) == 0


def test_measure_prints_precision_and_recall(capsys: pytest.CaptureFixture[str]) -> None:
    folders = [str(p) for p in (*ALL_PACKS, *DRAFT_ARTICLES)]
    assert main(["draft", "--measure", *folders]) == 0
    out = capsys.readouterr().out
    assert out.count("precision") == len(folders)
    assert re.search(r"recall \d+% \(\d+/\d+\)", out)


# --- the validator and source.yaml ------------------------------------------------------------


def test_validate_refuses_an_answer_left_as_todo(pack_copy: Path) -> None:
    faq = pack_copy / "faq.yaml"
    doc = yaml.safe_load(faq.read_text("utf-8"))
    doc["entries"][1]["answer"] = "TODO"
    faq.write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    problems = validate(pack_copy)
    assert [(p.entry, p.reason) for p in problems] == [
        (doc["entries"][1]["id"], "answer not written yet (it is TODO)")
    ]


def test_an_answer_merely_mentioning_todo_is_fine(pack_copy: Path) -> None:
    faq = pack_copy / "faq.yaml"
    doc = yaml.safe_load(faq.read_text("utf-8"))
    doc["entries"][1]["answer"] = "TODO lists are not in the article, but this answer is."
    faq.write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    assert validate(pack_copy) == []


@pytest.mark.parametrize(("value", "ok"), [("true", True), ("false", True), ('"yes"', False)])
def test_source_draft_is_an_optional_boolean(pack_copy: Path, value: str, ok: bool) -> None:
    source = pack_copy / "source.yaml"
    source.write_text(source.read_text("utf-8") + f"draft: {value}\n", "utf-8")
    problems = validate(pack_copy)
    assert (problems == []) is ok
    if ok:
        assert load_pack(pack_copy).source.draft is (value == "true")
    else:
        assert [p.reason for p in problems] == ["draft must be true or false"]


def test_the_draft_test_articles_words_are_not_in_the_core(tmp_path: Path) -> None:
    """Like every pack's, the test articles' names stay out of bot/: the rules are general."""
    from test_architecture import CORE_DIRS, _article_words, _common_english

    common = _common_english()
    for folder in DRAFT_ARTICLES:
        out = tmp_path / folder.name
        write_pack(draft_article(folder / "article.txt"), out)
        _fill_answers(out)
        pack = load_pack(out)
        body = pack.article.split("\n", 1)[1]  # a headline's Title Case capitalises any word
        words = _article_words(dataclasses.replace(pack, article=body), common)
        expected = yaml.safe_load((folder / "expected.yaml").read_text("utf-8"))
        article = (folder / "article.txt").read_text("utf-8")
        lowercase = set(re.findall(r"\b[a-z]+\b", article))  # "forum": a common noun here
        general = set(load_language("en").words.stop_words) | {
            w for c, terms in load_language("en").concepts.items() for w in (c, *terms)
        }
        words |= {
            w.lower()
            for s in expected["speakers"]
            for w in re.findall(r"[A-Z]\w{2,}", s["name"])
            if w.lower() not in common | lowercase | general
        }
        assert len(words) > 5
        found = {
            word
            for core in CORE_DIRS
            for path in core.rglob("*")
            if path.suffix in (".py", ".yaml", ".json")
            for word in words
            if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", path.read_text("utf-8").lower())
        }
        assert found == set()
