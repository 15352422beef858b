"""The JSON Schemas a curator's editor checks pack files with agree with the loader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from pack_paths import ALL_PACKS

from bot.knowledge.language import available_languages
from bot.knowledge.pack import validate

SCHEMAS = Path(__file__).resolve().parent.parent / "bot" / "data" / "schema"
FILES = ("source", "speakers", "faq", "lexicon")


def _schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def _schema_errors(name: str, doc: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(_schema(name))
    return [error.message for error in validator.iter_errors(doc)]


@pytest.mark.parametrize("pack_dir", ALL_PACKS, ids=lambda p: p.name)
@pytest.mark.parametrize("name", FILES)
def test_every_pack_file_in_the_repository_fits_its_schema(pack_dir: Path, name: str) -> None:
    path = pack_dir / f"{name}.yaml"
    if not path.exists():
        pytest.skip(f"{pack_dir.name} has no {path.name} (optional)")
    assert _schema_errors(name, yaml.safe_load(path.read_text("utf-8"))) == []


def test_the_schema_offers_exactly_the_shipped_languages() -> None:
    languages = _schema("lexicon")["properties"]["languages"]["items"]["enum"]
    assert sorted(languages) == sorted(available_languages())


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("lexicon", "concepts:\n  leave: []\n"),
        ("lexicon", "concepts:\n  Leave Now: [quit]\n"),
        ("lexicon", "languages: [klingon]\n"),
        ("speakers", "speakers:\n  - {id: a, name: A, role: r, kind: robot}\n"),
        ("source", "title: T\n"),
    ],
)
def test_what_the_schema_rejects_the_loader_refuses_too(
    pack_copy: Path, name: str, text: str
) -> None:
    assert _schema_errors(name, yaml.safe_load(text)) != []
    (pack_copy / f"{name}.yaml").write_text(text, encoding="utf-8")
    assert any(f"{name}.yaml" in problem.file for problem in validate(pack_copy))
