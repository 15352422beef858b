"""The docs agree with each other and with the files they point to."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
# Discord's permission bits (discord.com/developers/docs/topics/permissions).
PERMISSION_BITS = {
    "View Channels": 1 << 10,
    "Send Messages": 1 << 11,
    "Embed Links": 1 << 14,
    "Read Message History": 1 << 16,
    "Send Messages in Threads": 1 << 38,
}


def _between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def _permissions(text: str) -> set[str]:
    return set(re.findall(r"\*\*([^*]+)\*\*", text))


def test_readme_and_discord_doc_ask_for_the_same_permissions() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    discord = (REPO / "docs" / "discord.md").read_text(encoding="utf-8")
    in_readme = _permissions(_between(readme, "bot permissions", "(permission integer"))
    in_doc = _permissions(_between(discord, "Bot permissions:", "Nothing else"))
    assert in_readme == in_doc == set(PERMISSION_BITS)
    wanted = sum(PERMISSION_BITS.values())
    assert f"permission integer `{wanted}`" in readme
    assert f"permissions={wanted}" in discord


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_relative_links_point_to_files_that_exist(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    links = [link for link in re.findall(r"\]\(([^)\s]+)\)", text) if "://" not in link]
    for link in links:
        target = link.split("#", 1)[0]
        if target:
            assert (doc.parent / target).exists(), f"{doc.name}: {link}"


def test_compose_serves_the_pack_it_mounts_and_keeps_the_journal_in_a_volume() -> None:
    compose = yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))
    service = compose["services"]["faqbot"]
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    knowledge = re.search(r"FAQBOT_KNOWLEDGE=(\S+)", dockerfile)
    database = re.search(r"FAQBOT_DB=(\S+)", dockerfile)
    assert knowledge and database
    mounts = dict(v.split(":")[1::-1] for v in service["volumes"])  # target -> source
    pack_root = str(Path(knowledge.group(1)).parent)
    assert mounts[pack_root] == "./knowledge"
    assert (REPO / "knowledge" / Path(knowledge.group(1)).name / "faq.yaml").is_file()
    assert mounts[str(Path(database.group(1)).parent)] in compose["volumes"]
    assert service["restart"] == "unless-stopped"
    for source in re.findall(r"^COPY (.+) \S+$", dockerfile, flags=re.MULTILINE):
        assert all((REPO / name).exists() for name in source.split()), source


def test_the_systemd_unit_runs_the_venv_and_reloads_with_sighup() -> None:
    unit = (REPO / "deploy" / "faqbot.service").read_text(encoding="utf-8")
    settings = dict(
        line.split("=", 1) for line in unit.splitlines() if "=" in line and line[:1].isalpha()
    )
    assert settings["ExecStart"].endswith("/.venv/bin/faqbot run")
    assert settings["ExecReload"] == "/bin/kill -HUP $MAINPID"
    assert settings["Restart"] == "on-failure"
    env_example = (REPO / "deploy" / "faqbot.env.example").read_text(encoding="utf-8")
    for variable in ("TELEGRAM_BOT_TOKEN", "DISCORD_BOT_TOKEN", "FAQBOT_ADMINS"):
        assert re.search(rf"^{variable}=$", env_example, flags=re.MULTILINE), variable


def test_quick_start_is_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = _between(_between(readme, "## Quick start", "\n## "), "```sh\n", "```")
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make run", "make test"]
