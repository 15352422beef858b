"""`faqbot draft ARTICLE --out DIR` and `faqbot draft --measure FOLDER…`."""

from __future__ import annotations

import argparse
import sys

from bot.drafting.extract import DraftRefused
from bot.drafting.pipeline import draft_article
from bot.drafting.writer import OutputExists, write_pack

EXIT_USAGE = 2


def add_command(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `draft`; its handler returns the exit code."""
    draft = subparsers.add_parser(
        "draft", help="draft a pack from a new article (text or saved HTML) for review"
    )
    draft.add_argument("article", nargs="?", help="the article: a .txt file or a saved web page")
    draft.add_argument("--out", metavar="DIR", help="folder to write the draft pack into")
    draft.add_argument("--force", action="store_true", help="replace pack files already in DIR")
    draft.add_argument(
        "--measure",
        nargs="+",
        metavar="FOLDER",
        help="instead: draft each curated folder's article.txt and print precision and recall "
        "of speaker-quote-verb triples against its speakers.yaml/faq.yaml (or expected.yaml)",
    )
    draft.set_defaults(handler=run_draft)


def run_draft(args: argparse.Namespace, settings: object = None) -> int:
    """Write a draft pack, or print measurements (`settings`, the CLI's, are not needed)."""
    if args.measure:
        return _measure(args.measure)
    if not args.article or not args.out:
        print("faqbot draft: give ARTICLE and --out DIR (or --measure FOLDER)", file=sys.stderr)
        return EXIT_USAGE
    try:
        written = write_pack(draft_article(args.article), args.out, force=args.force)
    except (DraftRefused, OutputExists) as exc:
        print(f"faqbot draft: refused: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"Drafted {written.path}: {written.speakers} speakers, {written.quotes} attributed "
        f"quotes, {written.entries} entries; {written.review} marked '# review:'."
    )
    print(
        "Next: write each answer (TODO), check the speakers and '# review:' lines, then "
        f"faqbot validate {written.path}"
    )
    return 0


def _measure(folders: list[str]) -> int:
    from bot.drafting.measure import format_measure, measure_folder

    for folder in folders:
        try:
            print(format_measure(folder, measure_folder(folder)))
        except (OSError, ValueError, KeyError) as exc:
            print(f"faqbot draft --measure: {folder}: {exc}", file=sys.stderr)
            return EXIT_USAGE
    return 0
