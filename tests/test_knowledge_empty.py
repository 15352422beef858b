"""An empty YAML file in a pack is refused with its file and the reason, like any corruption."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.pack import FAQ_FILE, KnowledgeError, load_pack, validate


@pytest.mark.parametrize("content", ["", "\n\n", "# entries come later\n", "---\n"])
def test_an_empty_faq_is_refused_with_file_and_reason(pack_copy: Path, content: str) -> None:
    faq = pack_copy / FAQ_FILE
    faq.write_text(content, encoding="utf-8")
    [problem] = validate(pack_copy)
    assert problem.file == str(faq)
    assert problem.reason == "the file is empty (no YAML document)"
    with pytest.raises(KnowledgeError) as caught:
        load_pack(pack_copy)
    assert str(caught.value) == f"{faq}: the file is empty (no YAML document)"


def test_an_empty_speakers_file_is_refused_the_same_way(pack_copy: Path) -> None:
    speakers = pack_copy / "speakers.yaml"
    speakers.write_text("", encoding="utf-8")
    reasons = [(p.file, p.reason) for p in validate(pack_copy)]
    assert (str(speakers), "the file is empty (no YAML document)") in reasons
