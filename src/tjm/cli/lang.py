"""The language a run speaks, chosen before anything is printed: --lang, else TJM_LANG, else
the language of the profile --profile names, else the locale's (see tjm.i18n)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from tjm import i18n
from tjm.errors import InputError, TjmError, UsageError, labelled
from tjm.i18n import N_, Language

if TYPE_CHECKING:
    from tjm.store.profiles import StoredProfile  # loaded lazily: --help stays light

LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="fr|en",
        expose_value=False,  # taken out of the command line by choose_language, before parsing
        help=N_("Language of the output: fr or en (default: TJM_LANG, the profile, the locale)."),
    ),
]


class Run(NamedTuple):
    """What a run settled before parsing: its language, what --lang said (for `profile save`
    to store), and the profile --profile names, read once (or why it cannot be read)."""

    language: Language
    flag: Language | None = None
    profile_name: str | None = None
    profile: StoredProfile | TjmError | None = None


# One run's choice, for the command it runs: a context variable, set by choose_language and
# read by stored_profile, so that nothing outlives the run it belongs to.
_run: ContextVar[Run] = ContextVar("tjm_run", default=Run("en"))  # noqa: B039  # immutable


def current_run() -> Run:
    """Return the run's choice (English and no profile outside a run)."""
    return _run.get()


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
    one-line error (exit 2), in the language of the sources below it. The profile --profile
    names is read here, once, in the language its errors will be shown in."""
    flags, rest = flag_values(args, "--lang")
    names = flag_values(rest, "--profile")[0]
    name = names[-1] if names else None
    text = flags[-1] if flags else env.get("TJM_LANG", "")
    decided = i18n.parse_language(text) if flags or text.strip() else None
    if decided is not None:
        i18n.activate(decided)
        run = Run(decided, decided if flags else None, name, _read_profile(name))
    else:
        # No flag and no TJM_LANG, or a bad one: the profile's language, else the locale's;
        # an error about a bad value speaks it too.
        variable = i18n.parse_language(env.get("TJM_LANG", ""))
        i18n.activate(variable or i18n.locale_language(env))
        loaded = _read_profile(name)
        preferred = None if loaded is None or isinstance(loaded, TjmError) else loaded.profile.lang
        i18n.activate(variable or preferred or i18n.locale_language(env))
        language = resolve_language(flags[-1] if flags else None, env, preferred)
        run = Run(language, None, name, loaded)
    _run.set(run)
    return rest


def _read_profile(name: str | None) -> StoredProfile | TjmError | None:
    """Read the profile `name` with the store's own reader (a FIFO never blocks), keeping
    the error for the command to report."""
    if name is None:
        return None
    from tjm.store import profiles

    try:
        return profiles.load(name)
    except TjmError as exc:
        return exc


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
    """Return the language a stored profile prefers, or None; one that cannot be read says
    nothing here, and its command reports why."""
    run = current_run()
    loaded = run.profile if run.profile_name == name else _read_profile(name)
    return None if loaded is None or isinstance(loaded, TjmError) else loaded.profile.lang


def profile_read(run: Run, name: str) -> StoredProfile:
    """Return the profile `name`: the run's own reading when it names it, else read now;
    raise the error a reading found."""
    loaded = run.profile if run.profile_name == name else _read_profile(name)
    if isinstance(loaded, TjmError):
        raise loaded
    assert loaded is not None  # a name was given
    return loaded
