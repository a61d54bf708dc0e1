"""The user's language (French or English) and the gettext catalogue that speaks it.

English is the source language: messages are written in English in the code, and
`locale/fr/LC_MESSAGES/tjm.mo` (compiled from `tjm.po` by tools/catalog.py) translates them.

How to write a translatable string:
- `_("text")` where the text is shown; `ngettext("{count} row", "{count} rows", n)` for plurals;
  `pgettext("column", "rate")` where a short word needs a context to be translated right.
- `N_("text")` marks a string defined at import time (a constant, a table of labels) for
  extraction without translating it; translate it where it is shown: `_(CONSTANT)`.
- Placeholders are named, in str.format style, filled after translation:
  `_("{rate} is below the band").format(rate=format_money(rate))`. Never `{}` or `{0}`,
  never %-formatting, no format spec inside the braces (numbers, money and dates go
  through tjm.i18n.formats first), and never build a sentence from translated pieces.
- A `# TRANSLATORS:` comment on the line before a message reaches the translator.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Literal

Language = Literal["en", "fr"]
LANGUAGES: tuple[Language, ...] = ("en", "fr")
DOMAIN = "tjm"
LOCALE_DIR = os.path.join(os.path.dirname(__file__), "locale")
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # POSIX order: the first one set wins

# The language of the current run or API call: a context variable, so that a notebook's
# tjm.quote(..., lang="fr") speaks French for that call only, and threads do not mix.
_spoken: ContextVar[Language] = ContextVar("tjm_language", default="en")


def parse_language(text: str) -> Language | None:
    """Return "fr" or "en" for text (any case, spaces around), or None for anything else."""
    value = text.strip().lower()
    return next((language for language in LANGUAGES if language == value), None)


def locale_language(env: Mapping[str, str]) -> Language:
    """Return the language the locale asks for: French when its language code is fr.

    The first non-empty of LC_ALL, LC_MESSAGES and LANG decides, as in POSIX, so
    LC_ALL=C over LANG=fr_FR is English. "C", "POSIX", "C.UTF-8", any other language
    and no variable at all give English. The code is read up to the first "_", ".", "@"
    or "-": fr, fr_FR.UTF-8, fr_CA, fr@euro are French; frr_DE (North Frisian) is not.
    """
    for name in LOCALE_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            code = value.lower()
            for mark in "_.@-":
                code = code.partition(mark)[0]
            return "fr" if code == "fr" else "en"
    return "en"


@cache
def _catalogue_for(language: Language) -> gettext.NullTranslations:
    """Return the catalogue of `language`: English needs none; French is the packaged .mo."""
    if language == "en":
        return gettext.NullTranslations()
    # fallback: a missing .mo (a broken install) leaves the English text, never a crash
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def activate(language: Language) -> None:
    """Speak `language` in this context from now on (the CLI, once a run has chosen)."""
    _catalogue_for(language)
    _spoken.set(language)


@contextmanager
def speaking(language: Language | None) -> Iterator[Language]:
    """Speak `language` (None: the current one) inside the block, and the previous one after."""
    chosen = language or _spoken.get()
    _catalogue_for(chosen)
    token = _spoken.set(chosen)
    try:
        yield chosen
    finally:
        _spoken.reset(token)


def active_language() -> Language:
    """Return the language spoken here ("en" unless a run or a call chose another)."""
    return _spoken.get()


def _(message: str) -> str:
    """Return message in the active language."""
    return _catalogue_for(_spoken.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Return the singular or plural form that suits n, in the active language."""
    return _catalogue_for(_spoken.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Return message in the active language, as meant in `context` (for short, ambiguous words)."""
    return _catalogue_for(_spoken.get()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark message for extraction and return it untranslated; translate it where it is shown."""
    return message
