"""Options declared as data: name, type, default, environment variable, help.

The core and each platform adapter declare their options as a tuple of `Option`; the CLI builds
its argparse flags from the declarations (`add_flags`) and `resolve` turns the flags and the
environment into a typed, frozen options object (flags win over the environment, which wins over
the declared default). Nothing here reads `os.environ`: the environment is passed in.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
Scalar = str | int | float | bool

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})
_KINDS: dict[type, str] = {int: "a whole number", float: "a number", str: "text"}


class OptionError(ValueError):
    """An option's value (from a flag or the environment) is not of its type."""


@dataclass(frozen=True, slots=True)
class Option:
    """One setting: `name` is its attribute (and, dashed, its `--flag`).

    `env` names the environment variable read when the flag is not given; `flag=False` makes it
    an environment-only setting (endpoint overrides for self-hosted or test servers); `secret`
    keeps its value out of reprs (declare the field with `repr=False` too) and help defaults.
    """

    name: str
    type: type[Scalar]
    default: Scalar | None
    help: str
    env: str | None = None
    metavar: str | None = None
    flag: bool = True
    secret: bool = False

    @property
    def flag_name(self) -> str:
        """The command-line spelling: --webhook-url for webhook_url."""
        return "--" + self.name.replace("_", "-")

    def describe(self) -> str:
        """The help line: the text, then the default and the environment variable."""
        parts = [] if self.default in (None, False) or self.secret else [f"default {self.default}"]
        if self.env:
            parts.append(f"${self.env}")
        return f"{self.help} ({'; '.join(parts)})" if parts else self.help

    def parse(self, raw: Any, source: str) -> Scalar:
        """`raw` (a flag's value or an environment string) as this option's type."""
        if self.type is bool:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in _TRUE or text in _FALSE:
                return text in _TRUE
            raise OptionError(f"{source} wants yes or no (1/0, true/false): {raw!r}")
        try:
            return self.type(str(raw).strip()) if isinstance(raw, str) else self.type(raw)
        except ValueError:
            raise OptionError(f"{source} wants {_KINDS[self.type]}: {raw!r}") from None


def add_flags(parser: Any, options: Iterable[Option], *, missing: object = None) -> None:
    """Add one argparse flag per option that has one, to a parser or an argument group.

    A flag not given is `missing` (None, or argparse.SUPPRESS on subcommands so as not to hide a
    value given before the subcommand), so that `resolve` can fall back to the environment.
    """
    for option in options:
        if not option.flag:
            continue
        if option.type is bool:
            parser.add_argument(
                option.flag_name, action="store_true", default=missing, help=option.describe()
            )
            continue
        parser.add_argument(
            option.flag_name,
            type=_flag_type(option),
            default=missing,
            metavar=option.metavar,
            help=option.describe(),
        )


def _flag_type(option: Option) -> Callable[[str], Scalar]:
    def convert(text: str) -> Scalar:
        try:
            return option.parse(text, option.flag_name)
        except OptionError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def values(
    options: Iterable[Option], flags: object, environ: Mapping[str, str]
) -> dict[str, Scalar | None]:
    """Each option's value: its flag when given, else its environment variable, else the
    default. `flags` is an argparse Namespace (or anything with the attributes; missing ones
    count as not given)."""
    found: dict[str, Scalar | None] = {}
    for option in options:
        given = getattr(flags, option.name, None) if option.flag else None
        if given is not None:
            found[option.name] = option.parse(given, option.flag_name)
            continue
        text = environ.get(option.env, "").strip() if option.env else ""
        found[option.name] = option.parse(text, option.env or "") if text else option.default
    return found


def resolve(
    kind: type[T], options: Iterable[Option], flags: object, environ: Mapping[str, str]
) -> T:
    """A `kind` (a dataclass whose fields are the options' names) from flags and environment."""
    found = values(options, flags, environ)
    names = {field.name for field in dataclasses.fields(kind)}  # type: ignore[arg-type]
    if names != set(found):
        raise TypeError(f"{kind.__name__} fields {sorted(names)} != options {sorted(found)}")
    return kind(**found)


def defaults(kind: type[T], options: Iterable[Option]) -> T:
    """A `kind` with every option at its declared default (no flags, no environment)."""
    return resolve(kind, options, None, {})
