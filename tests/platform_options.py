"""Platform options the way the CLI builds them: flags from the declarations, then resolved
against the current environment (tests set endpoint variables with monkeypatch first)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from typing import TypeVar

from bot.options import add_flags, resolve
from bot.platforms import Platform

T = TypeVar("T")


def platform_options(platform: Platform[T], argv: Sequence[str] = (), **flags: object) -> T:
    """`platform`'s typed options from `faqbot run` flags (argv, or flags by attribute name)
    and os.environ, flags winning."""
    parser = argparse.ArgumentParser()
    add_flags(parser, platform.options)
    namespace = parser.parse_args(list(argv))
    for name, value in flags.items():
        setattr(namespace, name, value)
    return resolve(platform.options_type, platform.options, namespace, os.environ)
