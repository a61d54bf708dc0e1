"""Turn core results into terminal output (rich) and into stable JSON objects: the shared
pieces (the JSON kinds and their schemas, safe text, tables, money), and the quote.

The other render_* modules use these pieces for the floor and statuses (render_income), the
channels (render_channels), the market data (render_market) and what the user keeps
(render_user)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Any

from tjm.i18n import Language, _, active_language
from tjm.i18n.formats import after_colon, format_date, format_money, format_percent, format_short
from tjm.i18n.glossary import TERMS, gloss
from tjm.registry import STATUSES

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table


# The JSON kinds and the version of each one's key set: a change to a kind's keys is a new
# version (docs/json.md; tests/test_json_contract.py pins them).
SCHEMAS = {
    # 2: warnings are {code, message} objects, levers {code, message, effect} (docs/codes.md)
    # 3 (issue 23): the floor gains fee, dividend_levies, salary, company_costs, protection and
    # closed; statuses also gives_up per status, and sort and best
    "quote": 3,
    "compare": 3,
    "floor": 3,
    "statuses": 3,
    "channel": 2,
    "benchmarks": 2,
    "benchmarks-fit": 2,
    "benchmarks-sources": 1,
    "profile": 2,
    "profile-list": 2,
    "data-list": 1,
    "error": 1,
}


def schema(kind: str) -> str:
    """Return the schema tag a JSON object of this kind carries, as `tjm.<kind>/<version>`."""
    return f"tjm.{kind}/{SCHEMAS[kind]}"


def print_json(obj: Any) -> None:
    """Print an object as indented JSON with no colour."""
    print(json.dumps(obj, indent=2, ensure_ascii=False))


# C0 and C1 controls, DEL, and the bidi overrides that can reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: str) -> str:
    """Return text with control characters shown as escapes (\\x1b), so no file drives the
    terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def shown(value: Any) -> str:
    """Return text from a file, safe to print through rich: no controls, no markup."""
    from rich.markup import escape

    return escape(safe(str(value)))


def table(title: str, columns: list[str], right: set[str] | frozenset[str] = frozenset()) -> Table:
    """Return a rich table; rich loads here so that JSON output never imports it."""
    from rich.table import Table

    out = Table(title=title, title_justify="left")
    for name in columns:
        out.add_column(name, justify="right" if name in right else "left")
    add_row = out.add_row
    # Every cell passes through safe(), so no table can carry a terminal escape.
    out.add_row = lambda *cells, **kw: add_row(  # type: ignore[method-assign]
        *(safe(c) if isinstance(c, str) else c for c in cells), **kw
    )
    return out


def eur(value: float, decimals: int = 0) -> str:
    """Return an amount in euros in the active language: `1,234 EUR`, `1 234 €`."""
    return format_money(value, decimals=decimals)


def signed_eur(value: float) -> str:
    """Return an amount in euros with its sign: `+55 EUR`, `-3 €`."""
    return format_money(value, signed=True)


def per_day(value: float, decimals: int = 0) -> str:
    """Return a day rate: `443 EUR/day`, `443 €/jour`."""
    # TRANSLATORS: a day rate; {amount} is money with its currency, e.g. "443 €"
    return _("{amount}/day").format(amount=format_money(value, decimals=decimals))


def fee_percent(fraction: float) -> str:
    """Return a fee share with the decimals it needs, up to two: `10%`, `5.5%`, `66.67%`."""
    text = f"{round(fraction * 100, 2):.10g}"
    return format_percent(fraction, decimals=len(text.partition(".")[2]))


def day(when: dt.date | None) -> str:
    """Return a date in the active language (`29 Nov 2026`, `29 nov. 2026`), or a dash."""
    return "—" if when is None else format_date(when)


def label(labels: dict[str, str], key: str) -> str:
    """Return the label an id has in `labels` (marked with N_), in the active language; an id
    without one is shown as it is."""
    text = labels.get(key, key)
    return _(text) if key in labels else text


def glossed(text: str, seen: set[str]) -> str:
    """Return text (a core message) with each official French term it names glossed, the
    first time an English view shows it; French text is returned as it is."""
    if active_language() == "fr":
        return text
    for key, found in TERMS.items():
        if key in seen:
            continue
        match = re.search(rf"(?<![\w-]){re.escape(found.name)}(?![\w-])", text)
        if match is not None:
            seen.add(key)
            text = f"{text[: match.end()]} ({found.gloss}){text[match.end() :]}"
    return text


def term(key: str, seen: set[str]) -> str:
    """Return an official French term, glossed the first time an English view shows it."""
    return gloss(key, seen, active_language())


# The statuses' official names; the ids stay what --status takes.
STATUS_TERMS = {s.id: s.term for s in STATUSES.values() if s.term is not None}


def status_name(status: str, seen: set[str]) -> str:
    """Return a status's official name, glossed the first time an English view shows it."""
    if status == "micro-bnc-cipav":
        # TRANSLATORS: the micro-BNC regime with its pension fund, e.g. "micro-BNC, CIPAV"
        return _("{regime}, {fund}").format(
            regime=term("micro-bnc", seen), fund=term("cipav", seen)
        )
    if status in STATUS_TERMS:
        return term(STATUS_TERMS[status], seen)
    return _("custom rates")


def years_span(
    min_years: float | None, max_years: float | None, language: Language | None = None
) -> str:
    """Return an observation's experience band: all, 5+ or 3–5, in `language` (by default
    the active one)."""
    if min_years is None:
        # TRANSLATORS: an observation that covers every experience level
        return _("all")
    if max_years is None:
        return f"{format_short(min_years, language)}+"
    return f"{format_short(min_years, language)}–{format_short(max_years, language)}"


def show_warning(console: Console, message: str, seen: set[str] | None = None) -> None:
    """Print one warning, its label in the active language, glossing the French terms it
    names the first time the view (`seen`) shows them."""
    message = after_colon(glossed(message, set() if seen is None else seen))
    # TRANSLATORS: the label before each warning in a view
    label = _("warning:")
    say(console, f"[yellow]{label}[/] {message}", hang=2)


# ------------------------------------------------------------------ one screen

# Only a plain space or a tab ends a word: French keeps a number, its unit and the sign
# before a colon together with no-break spaces (U+00A0, U+202F), and so does the wrap.
_BREAK = re.compile("[ \t]+")


def wrap_offsets(text: str, width: int, hang: int) -> list[int]:
    """Return where to break one line of `text` so each line fits `width` cells, the lines
    after the first starting `hang` cells in; a word wider than a line stays whole."""
    from rich.cells import cell_len

    breaks: list[int] = []
    line_start, room = 0, width
    for word in _WORD.finditer(text):
        start = word.start()
        if start > line_start and cell_len(text[line_start : word.end()].rstrip()) > room:
            breaks.append(start)
            line_start, room = start, width - hang
    return breaks


# A word and the spaces after it (the first also takes the line's indent). English money
# keeps its plain space before EUR: "554 EUR" never breaks.
_WORD = re.compile("[ \t]*(?:[^ \t]|[ \t]+(?=EUR\\b))+[ \t]*")


def wrapped(markup: str, width: int, hang: int | None = None) -> list[Any]:
    """Return rich markup as Text lines of at most `width` cells, broken only at plain spaces;
    the lines after the first hang under the first line's indent plus two (or `hang`)."""
    from rich.text import Text

    text = Text.from_markup(markup)
    plain = text.plain
    indent = len(plain) - len(plain.lstrip(" "))
    hang = indent + 2 if hang is None else hang
    lines: list[Any] = []
    start = 0
    for part in plain.split("\n"):
        piece = text[start : start + len(part)]
        for i, line in enumerate(piece.divide(wrap_offsets(part, width, hang))):
            line.rstrip()
            lines.append(Text(" " * hang) + line if i else line)
        start += len(part) + 1
    return lines


def say(console: Console, markup: str, hang: int | None = None) -> None:
    """Print rich markup wrapped at the console's width, never inside a word (see wrapped)."""
    for line in wrapped(markup, console.width, hang):
        console.print(line, highlight=False, soft_wrap=True)


# The warnings a view shows first when it has more than it shows: what changes the answer
# (a regime lost, a floor out of the band) before what qualifies it (the data, the fees).
WARNING_ORDER = (
    "floor-regime-closed",
    "micro-ceiling-lost",
    "floor-above-band",
    "acre",  # the floor holds the first year only
    "micro-ceiling",
    "vat-threshold",
    "vat-tolerance",
    "vl-ineligible",
    "margin-above-target",
    "thin-data",
    "no-nearby-data",
    "stale-data",
    "undated-data",
    "reduced-fee-later",
    "fee-vat-included",
    "eurl-dividend-contributions",
    "custom-charges",
    "open-band",
    "portage-fixed-fees",
    "portage-salary-budget",
    "band-side-unknown",
    "client-fees-unpublished",
    "rules-year-fallback",
    "income-tax-estimate",
)
SHOWN_WARNINGS = 3  # without --details


def ranked(codes_messages: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Return (code, message) warnings the most important first, the same message once."""
    order = {code: i for i, code in enumerate(WARNING_ORDER)}
    unique = list(dict.fromkeys(codes_messages))
    return sorted(unique, key=lambda w: order.get(w[0], len(order)))


def show_warnings(
    console: Console,
    warnings: list[tuple[str, str]],
    details: bool,
    seen: set[str] | None = None,
) -> None:
    """Print a view's warnings, the most important first: all with `details`, else three and
    a line saying how many more --details shows."""
    from tjm.i18n import ngettext

    shown = ranked(warnings)
    hidden = 0 if details else max(len(shown) - SHOWN_WARNINGS, 0)
    for _code, message in shown[: len(shown) - hidden]:
        show_warning(console, message, seen)
    if hidden:
        # TRANSLATORS: under the warnings a view shows, when it leaves some out
        more = ngettext(
            "{count} more warning: add --details", "{count} more warnings: add --details", hidden
        ).format(count=hidden)
        say(console, f"[yellow]{more}[/]")


def role_label(role: str) -> str:
    """Return a role's name in the active language (AI engineer, Ingénieur IA), not its id."""
    from tjm.dataset.load import load_dataset

    found = load_dataset().roles.get(role)
    return role if found is None else _(found.label)


def region_label(region: str) -> str:
    """Return a region's name in the active language (Île-de-France, Autres villes de France)."""
    from tjm.dataset.load import load_dataset

    found = load_dataset().regions.get(region)
    return region if found is None else _(found.label)


def skill_label(skill: str) -> str:
    """Return a skill's name in the active language (RAG, NLP), not its id."""
    from tjm.dataset.load import load_dataset

    found = load_dataset().skills.get(skill)
    return skill if found is None else _(found.label)


def quoted(text: str) -> str:
    """Return a title or someone's words in quotation marks: « » with no-break spaces in
    French, “ ” in English."""
    if active_language() == "fr":
        # A title keeps its words; French typography gives it its apostrophes (U+2019).
        return "«\u00a0" + text.replace("'", "\u2019") + "\u00a0»"
    return f"\u201c{text}\u201d"


def record(text: str) -> str:
    """Return words a data record keeps in English (a source's publisher), with the
    apostrophes French typography gives them (U+2019) in French."""
    return text.replace("'", "\u2019") if active_language() == "fr" else text


def fit_words(out: Table, rows: list[list[str]], whole: tuple[int, ...] = ()) -> None:
    """Give each column of a table room for its longest word, so that rich wraps its cells
    between words and never cuts one; the `whole` columns never wrap at all."""
    for i, column in enumerate(out.columns):
        cells = [re.sub(r"\[/?bold\]", "", r[i]) for r in rows] + [str(column.header)]
        if i in whole:
            column.no_wrap = True
            column.min_width = max((len(c) for c in cells), default=0)
        else:
            words = [w for c in cells for w in _WORD.findall(c)]
            column.min_width = max((len(w.strip()) for w in words), default=0)
