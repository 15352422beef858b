"""The `faqbot` command: ask, chat, eval, validate, run, bench, draft."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from bot import __version__
from bot.answering.core import Core
from bot.answering.library import Library
from bot.bootstrap import (
    build_core,
    build_library,
    install_reload_signal,
    knowledge_path,
    load_settings,
    shutdown,
)
from bot.cli.console import run_console
from bot.knowledge.pack import KnowledgeError, validate
from bot.knowledge.source import pack_paths
from bot.options import OptionError, add_flags
from bot.platforms import Platform, PlatformStartError, discover
from bot.presentation.render import render_text
from bot.settings import GLOBAL_OPTIONS, Settings

EXIT_USAGE = 2
log = logging.getLogger("faqbot")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `faqbot` console script; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # Platform libraries are slow to import: load the adapters only when they may run.
    platforms = discover() if needs_platforms(argv) else {}
    parser = _parser(platforms)
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        settings = load_settings(args, platforms)
    except OptionError as exc:
        print(f"faqbot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return int(handler(args, settings))
    except KnowledgeError as exc:
        count = len(exc.problems)
        print(
            f"faqbot: knowledge pack {knowledge_path(settings)} refused, {count} problem(s):",
            file=sys.stderr,
        )
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def needs_platforms(argv: Sequence[str]) -> bool:
    """Whether the command line may use a platform adapter (they are slow to import)."""
    return bool({"run", "telegram", "discord"} & set(argv))


def _parser(platforms: Mapping[str, Platform[Any]]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="faqbot",
        description="Answers questions about one article, only from that article.",
    )
    parser.add_argument("--version", action="version", version=f"faqbot {__version__}")
    add_flags(parser, GLOBAL_OPTIONS)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    ask = commands.add_parser("ask", help="answer one question (or stdin lines with --json)")
    ask.add_argument("question", nargs="?", help="the question; omitted: read stdin")
    ask.add_argument("--json", action="store_true", help="print JSON objects")
    ask.add_argument(
        "--explain", action="store_true", help="also say why: phrasing, score parts, rule"
    )
    ask.add_argument(
        "--pack", metavar="SLUG", help="answer from this pack only (when --knowledge has several)"
    )
    ask.set_defaults(handler=_ask)

    chat = commands.add_parser("chat", help="interactive console chat")
    chat.set_defaults(handler=_chat)

    evaluate = commands.add_parser("eval", help="score question files (dev.yaml format)")
    evaluate.add_argument("files", nargs="+", metavar="FILE")
    evaluate.set_defaults(handler=_eval)

    check = commands.add_parser("validate", help="validate a knowledge pack")
    check.add_argument("path", nargs="?", help="pack directory (default: the one in use)")
    check.set_defaults(handler=_validate)

    bench = commands.add_parser("bench", help="print matching latency and memory figures")
    bench.add_argument(
        "--sizes",
        default="1000,10000,100000",
        help="comma-separated entry counts of the synthetic packs timed after the shipped one "
        "(default 1000,10000,100000; e.g. --sizes 1000 for a quick run)",
    )
    bench.add_argument("--queries", type=int, default=200, help="questions timed per pack")
    bench.set_defaults(handler=_bench)

    trainer = commands.add_parser(
        "train-verdict", help="fit the answer-or-refuse model on question sets (a manifest)"
    )
    trainer.add_argument("manifest", help="YAML: packs, each with its question files")
    trainer.add_argument(
        "--out", default=None, help="model file to write (default: print the figures only)"
    )
    trainer.add_argument(
        "--cross-validate",
        action="store_true",
        help="first print figures on each set held out (within and across articles)",
    )
    trainer.set_defaults(handler=_train_verdict)

    run = commands.add_parser("run", help="start the bot: platforms with tokens, else console")
    run.add_argument("platform", nargs="?", help="only this platform (telegram, discord)")
    for name, platform in platforms.items():
        add_flags(run.add_argument_group(name), platform.options)
    run.set_defaults(handler=_run)
    for platform in platforms.values():
        extra: Callable[[object], None] | None = getattr(platform, "add_commands", None)
        if extra is not None:  # a platform's own one-off commands (telegram setup)
            extra(commands)

    try:
        from bot.curation.commands import add_commands
    except ImportError:
        pass
    else:
        add_commands(commands)
    from bot.drafting.command import add_command as add_draft

    add_draft(commands)
    for subcommand in commands.choices.values():
        # SUPPRESS keeps a value given before the subcommand when it is not repeated after it.
        add_flags(subcommand, GLOBAL_OPTIONS, missing=argparse.SUPPRESS)
    return parser


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    library = build_library(settings)
    if args.pack is not None and library.service(args.pack) is None:
        known = ", ".join(library.slugs)
        print(f"faqbot ask: no pack {args.pack!r} here; packs: {known}", file=sys.stderr)
        return EXIT_USAGE
    if args.question is not None:
        _print_answer(library, args, args.question)
        return 0
    if not args.json and sys.stdin.isatty():
        print("faqbot ask: give a question, or pipe questions with --json", file=sys.stderr)
        return EXIT_USAGE
    for line in sys.stdin:
        _print_answer(library, args, line.rstrip("\n"))
    return 0


def _print_answer(library: Library, args: argparse.Namespace, question: str) -> None:
    answer = library.ask(question, pack=args.pack)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
        return
    article = library.article(answer.pack) or library.first
    print(render_text(answer, article.answers.source), flush=True)
    explain = args.explain
    if explain:
        print("\nWhy (" + answer.kind.value + "):")
        print("\n".join(f"  - {reason}" for reason in answer.reasons or ("no reason recorded",)))


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    core = build_core(settings=settings)
    try:
        return run_console(core)
    finally:
        shutdown(core)


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.evaluation import evaluate, format_report, format_summary, load_items

    try:
        sets = [(path, load_items(path)) for path in args.files]
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"faqbot eval: {_reason(exc)}", file=sys.stderr)
        return EXIT_USAGE
    library = build_library(settings)
    reports = []
    for path, items in sets:
        report = evaluate(library, items)
        reports.append((path, report))
        if len(sets) > 1:
            print(f"== {path} ({len(items)} items)")
        print(format_report(report) + "\n")
    if len(sets) > 1:
        print(format_summary(reports))
    return 0


def _reason(exc: BaseException) -> str:
    """One line for a file that cannot be read: 'PATH: reason'."""
    if isinstance(exc, OSError) and exc.filename is not None:
        return f"{exc.filename}: {exc.strerror or exc}"
    return str(exc).splitlines()[0]


def _validate(args: argparse.Namespace, settings: Settings) -> int:
    refused = 0
    chosen = Path(args.path) if args.path else knowledge_path(settings)
    for path in pack_paths(chosen):
        problems = validate(path)
        for problem in problems:
            print(problem)
        if problems:
            refused += 1
            print(f"{path}: refused, {len(problems)} problem(s)", file=sys.stderr)
        else:
            print(f"{path}: valid")
    return EXIT_USAGE if refused else 0


def _bench(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.bench import run_benchmarks
    from bot.cli.progress import Progress

    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        print(
            f"faqbot bench: --sizes wants whole numbers such as 1000,10000: {args.sizes}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    pack = build_library(settings).first.answers.pack
    run_benchmarks(pack, sizes=sizes, queries=args.queries, progress=Progress(sys.stderr))
    return 0


def _train_verdict(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli import training

    try:
        manifest = training.Manifest.load(Path(args.manifest))
        samples = training.collect(manifest)
    except (OSError, ValueError, yaml.YAMLError, KnowledgeError) as exc:
        print(f"faqbot train-verdict: {_reason(exc)}", file=sys.stderr)
        return EXIT_USAGE
    print(f"{len(samples)} examples from {len(manifest.packs)} packs")
    if args.cross_validate:
        for across in (False, True):
            folds = training.cross_validate(samples, across_packs=across)
            title = "trained on the other articles only" if across else "each set held out"
            print(f"-- {title}: answered right / refused right")
            for fold in folds:
                print(f"   {fold.name:<40} {training.shares(fold.answered, fold.refused)}")
            answered = training.mean([f.answered for f in folds])
            refused = training.mean([f.refused for f in folds])
            print(f"   {'mean':<40} {training.shares(answered, refused)}")
    model = training.train(samples)
    fitted = training.shares(*training.score(model, samples))
    print(f"fitted on all: {fitted} (seen questions, not evidence)")
    if args.out:
        model.save(
            Path(args.out),
            header=(
                "The verdict model: whether the matcher's top entry answers a question "
                "(bot/matching/verdict.py).\n"
                f"Written by `faqbot train-verdict {args.manifest}` from {len(samples)} "
                "questions; do not edit by hand."
            ),
        )
        print(f"wrote {args.out}")
    return 0


def _run(args: argparse.Namespace, settings: Settings) -> int:
    platforms = discover()
    if args.platform and args.platform not in platforms:
        print(f"faqbot: platform {args.platform!r} is not installed", file=sys.stderr)
        return EXIT_USAGE
    if args.platform:
        chosen = {args.platform: platforms[args.platform]}
        if args.platform not in settings.tokens:
            print(f"faqbot: {chosen[args.platform].token_env} is not set", file=sys.stderr)
            return EXIT_USAGE
    else:
        chosen = {n: p for n, p in platforms.items() if n in settings.tokens}
    # Before any adapter starts, so their token filters attach to this handler.
    logging.basicConfig(level=settings.log.level, format=settings.log.format)
    core = build_core(settings=settings)
    try:
        if not chosen:
            print("No platform token set (TELEGRAM_BOT_TOKEN, DISCORD_BOT_TOKEN): console chat.")
            install_reload_signal(core)
            return run_console(core)
        asyncio.run(_serve_all(core, chosen, settings))
    except PlatformStartError as exc:
        for line in str(exc).splitlines():
            print(f"faqbot: {line}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        shutdown(core)
    return 0


async def _serve_all(core: Core, chosen: dict[str, Platform[Any]], settings: Settings) -> None:
    """Serve every chosen platform until a signal. A platform that cannot start is reported at
    once and the others keep serving; when none is left, every start error is raised together."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    install_reload_signal(core, loop)
    tasks = {
        asyncio.create_task(
            platform.serve(
                core,
                token=settings.tokens[name],
                options=settings.platforms[name],
                stop=stop,
            ),
            name=name,
        ): name
        for name, platform in chosen.items()
    }
    failures: list[str] = []
    pending = set(tasks)
    try:
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                error = task.exception()
                if isinstance(error, PlatformStartError):
                    failures.append(_labelled(tasks[task], str(error)))
                    if pending:
                        running = ", ".join(sorted(tasks[t] for t in pending))
                        log.error(
                            "%s could not start: %s (still running: %s)",
                            tasks[task],
                            error,
                            running,
                        )
                elif error is not None:
                    raise error
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    if failures:
        raise PlatformStartError(failures[0] if len(tasks) == 1 else "\n".join(failures))


def _labelled(platform: str, message: str) -> str:
    """'platform: message', without repeating a name the message already starts with."""
    if message.lower().startswith(platform.lower()):
        return message
    return f"{platform}: {message}"


if __name__ == "__main__":
    raise SystemExit(main())
