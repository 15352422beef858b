"""The core stays platform-free and article-free: nothing in bot/ imports a chat platform
library, and no word of a pack's article is written into bot/ or adapters/."""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
import sysconfig
import tokenize
from pathlib import Path

from bot.knowledge.language import load_language
from bot.matching.text import normalise
from bot.model import KnowledgePack

BOT = Path(__file__).resolve().parent.parent / "bot"
FORBIDDEN = ("telegram", "discord", "adapters")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_core_module_imports_a_platform_library() -> None:
    offenders = {
        f"{path.name}: {name}"
        for path in BOT.rglob("*.py")
        for name in _imported_modules(path)
        if name.split(".")[0] in FORBIDDEN
    }
    assert not offenders


def test_importing_every_core_module_loads_no_platform_library() -> None:
    modules = sorted(
        ".".join(p.relative_to(BOT.parent).with_suffix("").parts)
        for p in BOT.rglob("*.py")
        if p.stem not in {"__init__", "__main__"}
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


# --- no article in the core -----------------------------------------------------------------

CORE_DIRS = (BOT.parent / "bot", BOT.parent / "adapters")


def _common_english() -> set[str]:
    """Words of the standard library's own prose: generic English a codebase may say."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    words: set[str] = set()
    for path in stdlib.glob("*.py"):
        words.update(
            re.findall(r"[a-z]+", path.read_text(encoding="utf-8", errors="ignore").lower())
        )
    return words


def _article_words(pack: KnowledgePack, common: set[str]) -> set[str]:
    """A pack's names (speakers, aliases, the article's proper nouns) and the words of its
    lexicon that generic English prose does not use."""
    names = {
        w.lower()
        for s in pack.speakers.values()
        for label in (s.name, *s.aliases)
        for w in re.findall(r"\b[A-Z][\w]+", label)
        if len(w) >= 3
    }
    lowercase = set(re.findall(r"\b[a-z]+\b", pack.article))
    names -= lowercase  # "Experts", "Analysts": common nouns the article also writes lowercase
    proper = {
        w.lower()
        for w in re.findall(r"(?<=[a-z,] )([A-Z][a-z]{2,})\b", pack.article)
        if w.lower() not in lowercase
    }
    lexicon = {
        word
        for concept, terms in pack.lexicon.concepts.items()
        for term in (concept, *terms)
        for word in normalise(term).split()
    }
    languages = [load_language(code) for code in pack.lexicon.languages]
    general = {
        word
        for language in languages
        for concept, terms in language.concepts.items()
        for term in (concept, *terms)
        for word in normalise(term).split()
    }
    general |= {w for language in languages for w in language.words.stop_words}
    return (names | proper | lexicon) - general - common


def _prose_and_code(path: Path) -> tuple[str, str]:
    """(comments and string literals, everything) of a Python file, lowercased."""
    source = path.read_text(encoding="utf-8")
    prose = [
        tok.string
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type in (tokenize.COMMENT, tokenize.STRING)
    ]
    return " ".join(prose).lower(), source.lower()


def test_no_word_of_any_packs_article_is_in_the_core_or_the_adapters(
    any_pack: KnowledgePack,
) -> None:
    words = _article_words(any_pack, _common_english())
    assert len(words) > 10
    found: dict[str, set[str]] = {}
    for folder in CORE_DIRS:
        for path in folder.rglob("*"):
            if path.suffix not in (".py", ".yaml", ".json"):
                continue
            text = path.read_text(encoding="utf-8").lower()
            if path.suffix == ".py":
                text = _prose_and_code(path)[0] + " " + " ".join(re.findall(r"[a-z_]+", text))
            for word in words:
                if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", text):
                    found.setdefault(word, set()).add(str(path.relative_to(BOT.parent)))
    assert found == {}
