"""Settings: built once from flags and environment (flags win), typed, secrets out of repr; and
nothing but bootstrap reads os.environ."""

from __future__ import annotations

import argparse
import ast
from datetime import timedelta
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.options import Option, OptionError, add_flags, defaults, resolve
from bot.settings import DEFAULT_RETENTION, Settings

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:SECRET-token-never-shown"
PASSWORD = "hunter2-never-shown"


def test_defaults_without_flags_or_environment(tmp_path: Path) -> None:
    settings = Settings.build(None, {"HOME": str(tmp_path)})
    assert settings.knowledge is None  # the shipped packs
    assert settings.db == str(tmp_path / ".local/state/faqbot/faqbot.sqlite3")
    assert settings.admins == ()
    assert settings.retention == DEFAULT_RETENTION
    assert settings.pool_size == 16
    assert settings.log.level == "INFO"
    assert settings.platforms == {} and settings.tokens == {}


def test_the_environment_is_read_and_flags_win(tmp_path: Path) -> None:
    env = {
        "FAQBOT_KNOWLEDGE": "env-pack",
        "FAQBOT_DB": str(tmp_path / "env.sqlite3"),
        "FAQBOT_ADMINS": " telegram:1, discord:2 ,",
        "FAQBOT_RETENTION": "30d",
        "FAQBOT_DB_POOL": "4",
        "FAQBOT_LOG_LEVEL": "debug",
        "XDG_STATE_HOME": str(tmp_path / "xdg"),
    }
    settings = Settings.build(None, env)
    assert settings.knowledge == Path("env-pack")
    assert settings.db == str(tmp_path / "env.sqlite3")
    assert settings.admins == ("telegram:1", "discord:2")
    assert settings.retention == timedelta(days=30)
    assert (settings.pool_size, settings.log.level) == (4, "DEBUG")
    assert settings.state_home == tmp_path / "xdg"
    flags = argparse.Namespace(knowledge="flag-pack", db="postgresql://bot@db/x", log_level="ERROR")
    chosen = Settings.build(flags, env)
    assert chosen.knowledge == Path("flag-pack")
    assert chosen.db == "postgresql://bot@db/x"
    assert chosen.log.level == "ERROR"
    assert chosen.admins == settings.admins  # no flag: the environment's


def test_retention_off_and_malformed(caplog: pytest.LogCaptureFixture) -> None:
    assert Settings.build(None, {"FAQBOT_RETENTION": "off"}).retention is None
    assert Settings.build(None, {"FAQBOT_RETENTION": "soon"}).retention == DEFAULT_RETENTION
    assert "not a duration" in caplog.text


def test_a_malformed_value_is_one_line_for_the_operator(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(OptionError, match="FAQBOT_DB_POOL wants a whole number"):
        Settings.build(None, {"FAQBOT_DB_POOL": "many"})
    with pytest.raises(OptionError, match="FAQBOT_LOG_LEVEL"):
        Settings.build(None, {"FAQBOT_LOG_LEVEL": "loud"})
    monkeypatch.setenv("FAQBOT_DB_POOL", "many")
    assert main(["validate"]) == 2
    assert capsys.readouterr().err == "faqbot: FAQBOT_DB_POOL wants a whole number: 'many'\n"


def test_tokens_secrets_and_database_passwords_stay_out_of_repr() -> None:
    from adapters.telegram import PLATFORM as TELEGRAM
    from adapters.telegram.options import webhook_options

    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": PASSWORD,
        "FAQBOT_DB": f"postgresql://bot:{PASSWORD}@db/faqbot",
    }
    flags = argparse.Namespace(webhook_url="https://bot.example.org/hook")
    settings = Settings.build(flags, env, {"telegram": TELEGRAM})
    assert settings.tokens == {"telegram": TOKEN}
    options = settings.platforms["telegram"]
    assert options.secret_token == PASSWORD
    webhook = webhook_options(options)
    assert webhook is not None
    for shown in (repr(settings), str(settings), repr(options), repr(webhook)):
        assert TOKEN not in shown and PASSWORD not in shown
    assert "https://bot.example.org/hook" in repr(settings)  # the rest is shown


def test_platform_options_are_typed_and_flags_win_over_the_environment() -> None:
    from adapters.discord import PLATFORM as DISCORD
    from adapters.discord.options import DiscordOptions
    from adapters.telegram import PLATFORM as TELEGRAM
    from adapters.telegram.options import TelegramOptions

    parser = argparse.ArgumentParser()
    for platform in (TELEGRAM, DISCORD):
        add_flags(parser, platform.options)
    flags = parser.parse_args(["--instances", "3", "--guild", "42", "--message-content"])
    env = {"FAQBOT_INSTANCES": "5", "DISCORD_API_URL": "http://127.0.0.1:9/api/v10"}
    settings = Settings.build(flags, env, {"telegram": TELEGRAM, "discord": DISCORD})
    telegram, discord = settings.platforms["telegram"], settings.platforms["discord"]
    assert isinstance(telegram, TelegramOptions) and isinstance(discord, DiscordOptions)
    assert telegram.instances == 3  # the flag, not FAQBOT_INSTANCES
    assert (telegram.port, telegram.listen, telegram.no_setup) == (8443, "127.0.0.1", False)
    assert (discord.guild, discord.message_content) == (42, True)
    assert discord.api_url == "http://127.0.0.1:9/api/v10"  # environment-only
    env_only = Settings.build(parser.parse_args([]), env, {"telegram": TELEGRAM})
    assert env_only.platforms["telegram"].instances == 5
    assert not any(o.flag for o in DISCORD.options if o.name in ("api_url", "gateway_url"))


def test_options_resolve_into_their_dataclass_and_must_match_it() -> None:
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Two:
        count: int
        loud: bool

    options = (
        Option("count", int, 2, "how many", env="COUNT"),
        Option("loud", bool, False, "shout", env="LOUD"),
    )
    assert defaults(Two, options) == Two(2, False)
    assert resolve(Two, options, None, {"COUNT": "7", "LOUD": "yes"}) == Two(7, True)
    with pytest.raises(OptionError, match="LOUD wants yes or no"):
        resolve(Two, options, None, {"LOUD": "maybe"})
    with pytest.raises(TypeError, match="fields"):
        resolve(Two, options[:1], None, {})


def _environ_uses(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "putenv"))
        or (isinstance(node, ast.alias) and node.name in ("environ", "getenv"))
    ]


def test_only_bootstrap_reads_the_environment() -> None:
    found = {
        str(path.relative_to(ROOT)): lines
        for folder in ("bot", "adapters")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if (lines := _environ_uses(path))
    }
    assert found.keys() == {"bot/bootstrap.py"}, found


def test_the_readme_documents_every_setting() -> None:
    from adapters.discord import PLATFORM as DISCORD
    from adapters.telegram import PLATFORM as TELEGRAM
    from bot.settings import CORE_OPTIONS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Settings") : readme.index("## How it is built")]
    for option in (*CORE_OPTIONS, *TELEGRAM.options, *DISCORD.options):
        if option.flag:
            assert f"`{option.flag_name}" in table, option.name
        if option.env:
            assert f"`{option.env}`" in table, option.name
    for platform in (TELEGRAM, DISCORD):
        assert f"`{platform.token_env}`" in table
