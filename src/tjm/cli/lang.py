"""The language a run speaks, chosen before anything is printed: --lang, else TJM_LANG, else
the language of the profile --profile names, else the locale's (see tjm.i18n)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated

import typer

from tjm import i18n
from tjm.errors import InputError, UsageError, labelled
from tjm.i18n import N_, Language

LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="fr|en",
        expose_value=False,  # taken out of the command line by choose_language, before parsing
        help=N_("Language of the output: fr or en (default: TJM_LANG, the profile, the locale)."),
    ),
]

# What the --lang flag said in this run, for `profile save` to store (None without the flag).
given_flag: Language | None = None


def flag_values(args: Sequence[str], flag: str) -> tuple[list[str], list[str]]:
    """Return the values `flag` gets in args (`--flag VALUE` or `--flag=VALUE`, up to `--`),
    and args without them."""
    values, rest = [], list(args)
    i = 0
    while i < len(rest) and rest[i] != "--":
        if rest[i] == flag and i + 1 < len(rest):
            values.append(rest[i + 1])
            del rest[i : i + 2]
        elif rest[i].startswith(flag + "="):
            values.append(rest.pop(i).partition("=")[2])
        else:
            i += 1
    return values, rest


def choose_language(args: Sequence[str], env: Mapping[str, str]) -> list[str]:
    """Activate the language args and env ask for; return args without --lang, which each
    command lists in its help but never parses, so that it goes anywhere on the line. The
    last --lang wins, as with any repeated option. A bad --lang or TJM_LANG raises its
    one-line error (exit 2), in the language of the sources below it."""
    global given_flag
    given_flag = None
    flags, rest = flag_values(args, "--lang")
    names = flag_values(rest, "--profile")[0]
    variable = i18n.parse_language(env.get("TJM_LANG", ""))
    profile = profile_language(names[-1]) if names and variable is None else None
    # Until the choice is made, speak what the sources below a bad value give, so that the
    # error about that value is in the user's language.
    i18n.activate(variable or profile or i18n.locale_language(env))
    language = resolve_language(flags[-1] if flags else None, env, profile)
    i18n.activate(language)
    if flags:
        given_flag = language
    return rest


def resolve_language(
    flag: str | None, env: Mapping[str, str], profile: Language | None = None
) -> Language:
    """Return the language to speak: --lang, else TJM_LANG, else the profile's, else the locale's.

    `flag` is None when --lang was not given; an empty TJM_LANG counts as unset. A bad
    --lang is an InputError naming the flag, a bad TJM_LANG a UsageError naming it (exit 2),
    in the language active when called. `profile` is trusted: the profile loader checks it.
    """
    if flag is not None:
        chosen = i18n.parse_language(flag)
        if chosen is None:
            problem = i18n._("expected fr or en, got {value}").format(value=repr(flag))
            raise InputError("lang", problem, "bad-choice")
        return chosen
    text = env.get("TJM_LANG", "")
    if text.strip():
        chosen = i18n.parse_language(text)
        if chosen is None:
            problem = i18n._("expected fr or en, got {value}").format(value=repr(text))
            raise UsageError(labelled("TJM_LANG", problem), code="bad-choice")
        return chosen
    return profile or i18n.locale_language(env)


def profile_language(name: str) -> Language | None:
    """Return the language a profile prefers, or None; a profile that cannot be read says
    nothing here, and its command reports why once it loads it."""
    from tjm.errors import TjmError
    from tjm.store import profiles

    try:  # the store's own reader: only regular files, never a FIFO that would block
        return profiles.load(name).profile.lang
    except TjmError:
        return None
