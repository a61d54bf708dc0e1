"""The guided questions of `tjm quote`; they return the same QuoteInputs the flags build.

Questions go through an Asker as Prompts: the text shown, in the active language, and a
key (the English message) that stays the same in every language, so tests answer by key.
The real asker uses questionary, imported only when a question is asked.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, cast

from tjm.defaults import Defaults
from tjm.defaults import defaults as fallbacks
from tjm.errors import InputError, UsageError
from tjm.fields import (
    MICRO,
    NATIONAL,
    SPLIT_STATUSES,
    STATUSES,
    Client,
    parse_client,
    parse_value,
)
from tjm.i18n import N_, _, active_language, ngettext, pgettext
from tjm.i18n.formats import CONVENTIONS, format_number, format_percent
from tjm.inputs import (
    DAYS_OFF,
    Given,
    IncomeInputs,
    QuoteInputs,
    SalesInputs,
    check_days_sold,
    check_sales,
    merge_income,
    merge_sales,
    week_share,
)
from tjm.registry import CHANNELS as CHANNELS_BY_ID
from tjm.registry import STATUSES as STATUSES_BY_ID
from tjm.registry import channels_for
from tjm.store.profiles import check_name

if TYPE_CHECKING:
    import datetime as dt

    from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
    from questionary import Question

    from tjm.dataset.records import Dataset

Validator = Callable[[str], bool | str]

ROLE_Q = N_("Your role?")
YEARS_Q = N_("Years of experience (0 to 50)?")
REGION_Q = N_("Where do you work?")
SKILLS_Q = N_("Which skills do you sell? (space to tick, enter to go on)")
RATE_Q = N_("Your current or planned day rate in EUR (empty to skip)?")
SAVE_Q = N_("Save these answers as a profile?")
NAME_Q = N_("Profile name?")
OVERWRITE_Q = N_("That profile exists. Overwrite it?")


class Prompt(NamedTuple):
    """A question: its key (the English message, the same in every language) and its text."""

    key: str
    text: str


def phrase(key: str, **values: str) -> Prompt:
    """Return the question `key` in the active language, its placeholders filled with values."""
    return Prompt(key, _(key).format(**values))


class Asker(Protocol):
    def select(
        self, question: Prompt, choices: list[tuple[str, str]], default: str | None
    ) -> str: ...

    def text(self, question: Prompt, default: str, validate: Validator) -> str: ...

    def checkbox(
        self, question: Prompt, choices: list[tuple[str, str]], checked: tuple[str, ...]
    ) -> list[str]: ...

    def confirm(self, question: Prompt, default: bool) -> bool: ...


class QuestionaryAsker:
    """Ask on the terminal with questionary; Ctrl-C raises KeyboardInterrupt, Ctrl-D EOFError.

    When stdout is not a terminal (`tjm quote > out.txt`), the questions go to stderr so
    that only the result lands in the file.
    """

    def __init__(self) -> None:
        from prompt_toolkit.styles import Style

        # prompt_toolkit underlines a no-break space in yellow, to show it in what is typed;
        # French puts one before ? and : and in numbers, where it is only typography.
        self.options: dict[str, Any] = {"style": Style([("nbsp", "nounderline")])}
        if not _is_terminal(sys.stdout):
            from prompt_toolkit.output import create_output

            self.options["output"] = create_output(stdout=sys.stderr)

    # unsafe_ask is typed Any; each question kind answers with the type annotated here.
    def select(self, question: Prompt, choices: list[tuple[str, str]], default: str | None) -> str:
        import questionary

        options = [questionary.Choice(title, value) for title, value in choices]
        # TRANSLATORS: under a list question, as questionary writes it in English
        instruction = _("(Use arrow keys)")
        answer: str = _eof_on_ctrl_d(
            questionary.select(
                question.text, options, default=default, instruction=instruction, **self.options
            )
        ).unsafe_ask()
        return answer

    def text(self, question: Prompt, default: str, validate: Validator) -> str:
        import questionary

        answer: str = _whole_errors(
            questionary.text(question.text, default=default, validate=validate, **self.options)
        ).unsafe_ask()
        return answer

    def checkbox(
        self, question: Prompt, choices: list[tuple[str, str]], checked: tuple[str, ...]
    ) -> list[str]:
        import questionary

        options = [
            questionary.Choice(title, value, checked=value in checked) for title, value in choices
        ]
        # TRANSLATORS: under a list with boxes to tick; the keys in <> stay as they are
        instruction = _("(Use arrow keys to move, <space> to select, <a> to toggle, <i> to invert)")
        answer: list[str] = _speak_answer(
            _eof_on_ctrl_d(
                questionary.checkbox(
                    question.text, options, instruction=instruction, **self.options
                )
            )
        ).unsafe_ask()
        return answer

    def confirm(self, question: Prompt, default: bool) -> bool:
        import questionary

        _speak_confirm()
        answer: bool = _yes_in_the_language(
            questionary.confirm(question.text, default=default, **self.options)
        ).unsafe_ask()
        return answer


def _speak_confirm() -> None:
    """Make questionary's yes/no question show its hint and answer in the active language."""
    # questionary reads these module constants each time it draws; it offers no parameter
    # for the answer it echoes ("Yes"), and its `instruction` would stay after the answer.
    from questionary.prompts import confirm

    # TRANSLATORS: after a yes/no question whose default is yes; Y is the key for yes
    confirm.YES_OR_NO = _("(Y/n)")  # type: ignore[attr-defined]
    # TRANSLATORS: after a yes/no question whose default is no; y is the key for yes
    confirm.NO_OR_YES = _("(y/N)")  # type: ignore[attr-defined]
    # TRANSLATORS: the answer shown after a yes/no question
    confirm.YES = _("Yes")  # type: ignore[attr-defined]
    # TRANSLATORS: the answer shown after a yes/no question
    confirm.NO = _("No")  # type: ignore[attr-defined]


def _yes_in_the_language(question: Question) -> Question:
    """Let the language's yes key (o for oui) answer yes, as y does."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    # TRANSLATORS: the one key that answers yes to a yes/no question, as in (Y/n)
    key = pgettext("key", "y").lower()
    app = question.application
    if key != "y" and app.key_bindings is not None:
        yes = next(b.handler for b in app.key_bindings.bindings if b.keys == ("y",))
        extra = KeyBindings()
        extra.add(key)(yes)
        extra.add(key.upper())(yes)
        app.key_bindings = merge_key_bindings([app.key_bindings, extra])
    return question


def _whole_errors(question: Question) -> Question:
    """Show a refused answer's reason whole, wrapped over as many lines as it needs."""
    from prompt_toolkit.filters import to_filter
    from prompt_toolkit.layout.containers import Window

    # prompt_toolkit draws the reason in a toolbar one line high, cut at the terminal's edge.
    for window in question.application.layout.walk():
        text = getattr(getattr(window, "content", None), "text", None)
        if isinstance(window, Window) and "ValidationToolbar" in getattr(text, "__qualname__", ""):
            window.height = None
            window.wrap_lines = to_filter(True)
    return question


_DONE = re.compile(r"done(?: \((\d+) selections\))?")


def answer_words(text: str) -> str:
    """Return questionary's answer to a list with boxes ("done (2 selections)") in the
    active language; any other text as it is."""
    found = _DONE.fullmatch(text)
    if found is None:
        return text
    if found.group(1) is None:
        # TRANSLATORS: the answer shown after a list with boxes when none is ticked
        return _("done")
    count = int(found.group(1))
    # TRANSLATORS: the answer shown after a list with boxes, with how many are ticked
    return ngettext("done ({count} selection)", "done ({count} selections)", count).format(
        count=count
    )


def _speak_answer(question: Question) -> Question:
    """Make the answer line of a list with boxes speak the active language."""
    from prompt_toolkit.formatted_text import to_formatted_text
    from prompt_toolkit.layout.controls import FormattedTextControl

    # questionary writes "done (N selections)" in English inside its prompt; each text
    # control of the question passes through answer_words as it is drawn.
    for window in question.application.layout.walk():
        control = getattr(window, "content", None)
        if isinstance(control, FormattedTextControl) and callable(control.text):
            draw = control.text

            def spoken(draw: Any = draw) -> Any:
                return [
                    (style, answer_words(text), *rest) if style == "class:answer" else fragment
                    for fragment in to_formatted_text(draw())
                    for style, text, *rest in (fragment,)
                ]

            control.text = spoken
    return question


def _eof_on_ctrl_d(question: Question) -> Question:
    """Make Ctrl-D end a list question as it ends a text one: with EOFError (exit 130)."""

    # Typed as the base class or None; questionary's list questions build a KeyBindings.
    bindings = cast("KeyBindings", question.application.key_bindings)

    @bindings.add("c-d", eager=True)
    def _end_on_ctrl_d(event: KeyPressEvent) -> None:
        event.app.exit(exception=EOFError, style="class:aborting")

    return question


def make_asker() -> Asker:
    return QuestionaryAsker()


def _is_terminal(stream: Any) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # a closed stream
        return False


def can_ask() -> bool:
    """Return True when questions can be asked: stdin is a terminal, and so is stdout or stderr."""
    return _is_terminal(sys.stdin) and (_is_terminal(sys.stdout) or _is_terminal(sys.stderr))


def shown_number(value: float) -> str:
    """Return a number as the active language writes it, with its decimals (10 digits at most)."""
    exact = Decimal(f"{value:.10g}")
    exponent = exact.normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_number(exact, decimals=decimals)


def editable_number(value: float) -> str:
    """Return a number to offer as an answer: as shown, less a thousands mark that the answer
    would read as ambiguous ("55,000" could be 55; "55 000" cannot)."""
    group = CONVENTIONS[active_language()].group
    text = shown_number(value)
    return text.replace(group, "") if group in ".," else text


def _field(
    key: str, check: Callable[[Any], None] = lambda value: None, optional: bool = False
) -> Validator:
    """Return a questionary validator for a field: True, or the reason to show."""

    def validate(text: str) -> bool | str:
        if optional and not text.strip():
            return True
        try:
            check(parse_value(key, text))
        except InputError as exc:
            return exc.problem
        return True

    return validate


def _answer(key: str, text: str) -> Any:
    """Return the value of an answer its validator accepted; empty means none."""
    return parse_value(key, text) if text.strip() else None


def _optional(asker: Asker, key: str, question: Prompt, current: float | None) -> Any:
    """Ask for a number that may stay unset, offering the current one; empty means none."""
    shown = "" if current is None else editable_number(current)
    return _answer(key, asker.text(question, shown, _field(key, optional=True)))


def _name_valid(text: str) -> bool | str:
    try:
        check_name(text)
    except UsageError as exc:
        return str(exc)
    return True


def skill_title(dataset: Dataset, skill_id: str) -> str:
    """Return a skill's choice: its name, then how its demand and supply grow."""
    skill = dataset.skills[skill_id]
    width = max(len(_(s.label)) for s in dataset.skills.values())
    values = {
        "skill": _(skill.label).ljust(width),
        "demand": format_percent(skill.demand_growth, signed=True),
        "supply": format_percent(skill.supply_growth, signed=True),
    }
    if skill.trend == "scarcer":
        # TRANSLATORS: a skill to tick; scarcer: demand grows faster than supply
        return _("{skill} demand {demand}, supply {supply} (scarcer)").format(**values)
    # TRANSLATORS: a skill to tick; crowded: supply grows faster than demand
    return _("{skill} demand {demand}, supply {supply} (crowded)").format(**values)


def ask_quote_inputs(
    asker: Asker,
    dataset: Dataset,
    given: Given,
    defaults: QuoteInputs | None,
) -> QuoteInputs:
    """Ask for each pricing value the flags did not give, offering `defaults` first."""
    d = defaults
    role = given.role or asker.select(
        phrase(ROLE_Q),
        [(_(r.label), r.id) for r in dataset.roles.values()],
        d.role if d else None,
    )
    years = given.years
    if years is None:
        shown = editable_number(d.years) if d else ""
        years = _answer("years", asker.text(phrase(YEARS_Q), shown, _field("years")))
    region = given.region or asker.select(
        phrase(REGION_Q),
        [(_(r.label), r.id) for r in dataset.regions.values()],
        d.region if d else NATIONAL,
    )
    skills = given.skills
    if skills is None:
        skills = tuple(
            sorted(
                asker.checkbox(
                    phrase(SKILLS_Q),
                    [(skill_title(dataset, s), s) for s in dataset.skills],
                    d.skills if d else (),
                )
            )
        )
    rate = given.rate
    if rate is None:
        rate = _optional(asker, "rate", phrase(RATE_Q), d.rate if d else None)
    return QuoteInputs(role=role, years=years, region=region, skills=skills, rate=rate)


def ask_save_name(asker: Asker, default_name: str, exists: Callable[[str], bool]) -> str | None:
    """Ask whether to save and under which name; None when the user declines.

    Refusing to overwrite goes back to the first question, so the user can pick another
    name or not save at all.
    """
    while asker.confirm(phrase(SAVE_Q), True):
        name = asker.text(phrase(NAME_Q), default_name, _name_valid).strip()
        if not exists(name) or asker.confirm(phrase(OVERWRITE_Q), False):
            return name
    return None


def default_profile_name(inputs: QuoteInputs) -> str:
    """Derive a profile name from the role and the region."""
    return f"{inputs.role}-{inputs.region}"


FLOOR_Q = N_("Also work out the floor your costs require?")
STATUS_Q = N_("Your status?")
TARGET_Q = N_("Net income you want per year, after income tax, EUR?")
HOLIDAYS_Q = N_("Holidays per year?")
SICK_Q = N_("Sick days per year?")
NON_BILLABLE_Q = N_("Prospecting and admin days per year (not billed)?")
DAYS_Q = N_("Billable days per year?")
EXPENSES_Q = N_("Yearly business expenses, EUR?")
HOUSEHOLD_Q = N_("Household for income tax?")
CHILDREN_Q = N_("Dependent children?")
VL_Q = N_("Pay income tax with your contributions (versement libératoire)?")
PORTAGE_FEE_Q = N_("Portage management fee, %?")
CHARGES_Q = N_("Overall charge rate, % of turnover?")
SASU_SHARE_Q = N_("Share of the profit paid as salary or remuneration, % (empty: the best split)?")
EURL_SHARE_Q = N_("Share of the profit paid as salary or remuneration, % (empty: 100, all of it)?")
DIVIDEND_TAX_Q = N_("Tax on dividends?")
CAPITAL_Q = N_("Share capital of the EURL, EUR?")
ACRE_Q = N_("Is this the business's first year, and are you eligible for ACRE?")
OVER_CEILING_Q = N_("Was last year's turnover over the micro ceiling too?")
COMPARE = "compare"  # the status question's first choice: see every status side by side
COMPARE_LABEL = N_("Compare every status first (net, what it buys, company costs)")

STATUS_LABELS = {s.id: s.label for s in STATUSES_BY_ID.values()}
HOUSEHOLD_LABELS = {
    "single": N_("Single (1 share)"),
    "couple": N_("Couple, married or PACS (2 shares)"),
}
DIVIDEND_TAX_LABELS = {
    "pfu": N_("Flat tax (PFU), 12.8% income tax plus the social levies"),
    "bareme": N_("Progressive scale, after the 40% allowance"),
}


def _choices(labels: dict[str, str], ids: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """Return (label in the active language, id) for each id, all of labels' by default."""
    chosen = labels if ids is None else {i: labels[i] for i in ids}
    return [(_(label), i) for i, label in chosen.items()]


def ask_income(
    asker: Asker,
    given: IncomeInputs,
    defaults: IncomeInputs | None,
    dataset: Dataset,
    today: dt.date,
    questions: set[str] | None = None,
    show: Callable[[Any], None] | None = None,
) -> IncomeInputs:
    """Ask whether to work out the floor, then each income value the flags did not give;
    `questions` gets the keys of the values asked (the sales questions skip the week's);
    with `show` (which prints a result), the status question offers every status side by
    side first.

    Each answer is checked against the answers before it, so an answer that would make
    the floor impossible is refused at its own question, with the reason.
    """
    from tjm import api

    d = defaults or IncomeInputs()
    fallback = fallbacks(dataset, today)
    values = merge_income(given, defaults)._asdict()
    if not asker.confirm(phrase(FLOOR_Q), values["target_net"] is not None):
        return IncomeInputs(**values)
    asked = {k for k, v in given._asdict().items() if v is None}

    def number(
        key: str,
        question: str,
        fallback: float | None,
        check: Callable[[Any], None] = lambda value: None,
    ) -> None:
        if key in asked:
            default = values[key] if values[key] is not None else fallback
            shown = "" if default is None else editable_number(default)
            text = asker.text(phrase(question), shown, _field(key, check))
            values[key] = _answer(key, text)

    if "status" in asked:
        choices = _choices(STATUS_LABELS, STATUSES)
        options = choices if show is None else [(_(COMPARE_LABEL), COMPARE), *choices]
        status = asker.select(phrase(STATUS_Q), options, values["status"] or fallback.status)
        if status == COMPARE and show is not None:
            _show_comparison(asker, values, today, show)
            status = asker.select(phrase(STATUS_Q), choices, values["status"] or fallback.status)
            status = fallback.status if status == COMPARE else status
        # A status other than the profile's drops that status's options, as its flag would.
        values = merge_income(IncomeInputs(status=status), IncomeInputs(**values))._asdict()
    status = values["status"]
    days_off_given = any(k not in asked for k in DAYS_OFF)
    if "days" in asked and not days_off_given and d.days is not None:
        number("days", DAYS_Q, None)  # the profile counts billable days: ask for that count
    elif "days" in asked:
        if "days_per_week" in asked:
            # First: the days off offered, as --days-per-week does, scale to the week.
            _ask_week(asker, values, fallback)
            if questions is not None:
                questions.add("days_per_week")
        scale = week_share(IncomeInputs(days_per_week=values["days_per_week"]))
        days_off = {k: round(getattr(fallback, k) * scale, 6) for k in DAYS_OFF}
        for i, (key, question) in enumerate(
            zip(DAYS_OFF, (HOLIDAYS_Q, SICK_Q, NON_BILLABLE_Q), strict=True)
        ):

            def leaves_a_day(value: float, i: int = i) -> None:
                # Days off not asked yet may still be 0; those the flags gave count.
                parts: dict[str, Any] = {
                    k: value if j == i else values[k] if j < i or k not in asked else 0.0
                    for j, k in enumerate(DAYS_OFF)
                }
                api.check_days_off(
                    dataset.billable_days.working_days * scale, IncomeInputs(**parts), days_off
                )

            offered = values[key] is None
            number(key, question, days_off[key], leaves_a_day)
            if offered and values[key] == days_off[key]:
                values[key] = None  # the default kept: left to the model, as with no flag
    number("expenses", EXPENSES_Q, fallback.expenses)
    if status != "custom":  # every other status's net is after income tax
        if "household" in asked:
            values["household"] = asker.select(
                phrase(HOUSEHOLD_Q),
                _choices(HOUSEHOLD_LABELS),
                values["household"] or fallback.household,
            )
        number("children", CHILDREN_Q, fallback.children)
    if status not in ("portage", "custom") and "acre" in asked:
        values["acre"] = asker.confirm(phrase(ACRE_Q), bool(values["acre"])) or None
    if status in MICRO or status is None:
        if "versement_liberatoire" in asked:
            values["versement_liberatoire"] = asker.confirm(
                phrase(VL_Q), bool(values["versement_liberatoire"])
            )
        if "over_ceiling_last_year" in asked:
            over = asker.confirm(phrase(OVER_CEILING_Q), bool(values["over_ceiling_last_year"]))
            values["over_ceiling_last_year"] = over or None
    elif status == "portage":
        number("portage_fee", PORTAGE_FEE_Q, None)
    elif status == "custom":
        number("charges_rate", CHARGES_Q, None)
    elif status in SPLIT_STATUSES:
        _ask_split(asker, status, values, asked, fallback)

    def reachable(value: float) -> None:
        api.check_reachable(IncomeInputs(**{**values, "target_net": value}), today)

    number("target_net", TARGET_Q, None, reachable)  # last: every answer it depends on is known
    return IncomeInputs(**values)


def _ask_week(asker: Asker, values: dict[str, Any], fallback: Defaults) -> None:
    """Ask the days worked a week (empty: a full week), into `values`."""
    question = phrase(WEEK_Q, days_per_week=shown_number(fallback.days_per_week))
    values["days_per_week"] = _optional(asker, "days_per_week", question, values["days_per_week"])


def _show_comparison(
    asker: Asker, values: dict[str, Any], today: dt.date, show: Callable[[Any], None]
) -> None:
    """Print every status side by side for the target net (asked first when not known):
    the net, what it buys and what its company costs, before the status is chosen."""
    from tjm import api
    from tjm.fields import STATUSES as ALL
    from tjm.inputs import NO_SALES

    base = {**values, "status": None}

    def reachable(value: float) -> None:
        compared = tuple(s for s in ALL if s != "custom")
        income = IncomeInputs(**{**base, "target_net": value})
        api.check_reachable_by_any(income, compared, today)

    if values["target_net"] is None:
        text = asker.text(phrase(TARGET_Q), "", _field("target_net", reachable))
        values["target_net"] = _answer("target_net", text)
        base["target_net"] = values["target_net"]
    show(api.statuses_for(IncomeInputs(**base), NO_SALES, None))


def _ask_split(
    asker: Asker, status: str, values: dict[str, Any], asked: set[str], fallback: Defaults
) -> None:
    """Ask a split status's options: the salary share, the dividends' tax, an EURL's capital."""
    if "salary_share" in asked:
        question = phrase(SASU_SHARE_Q if status == "sasu" else EURL_SHARE_Q)
        values["salary_share"] = _optional(asker, "salary_share", question, values["salary_share"])
    if "dividend_tax" in asked:
        values["dividend_tax"] = asker.select(
            phrase(DIVIDEND_TAX_Q),
            _choices(DIVIDEND_TAX_LABELS),
            values["dividend_tax"] or fallback.dividend_tax,
        )
    if status == "eurl-is" and "capital" in asked:
        current = values["capital"]
        text = asker.text(
            phrase(CAPITAL_Q),
            editable_number(fallback.capital if current is None else current),
            _field("capital"),
        )
        values["capital"] = _answer("capital", text)


SELL_Q = N_("Do you sell direct, 5 days a week, to one client?")
SELL_DIRECT_Q = N_("Do you sell direct, to one client?")
CHANNEL_Q = N_("How is the client billed?")
MONTHS_Q = N_("Months already worked with this Malt client (empty: a new client)?")
MARGIN_Q = N_("The ESN's margin, % of the client price (empty: {margin})?")
WEEK_Q = N_("Days worked a week, 1 to 5 in halves (empty: {days_per_week})?")
CLIENTS_Q = N_("Your clients as NAME:RATE:DAYS, comma-separated (empty: one client)?")

CHANNEL_LABELS = {c.id: c.label for c in CHANNELS_BY_ID.values()}


def _clients_text(sales: SalesInputs) -> str:
    # A decimal point, whatever the language: a decimal comma would split the list.
    return ", ".join(f"{c.name}:{c.rate:g}:{c.days:g}" for c in sales.clients)


def ask_sales(
    asker: Asker,
    given: SalesInputs,
    defaults: SalesInputs | None,
    income: IncomeInputs,
    dataset: Dataset,
    today: dt.date,
    week_asked: bool = False,
) -> tuple[SalesInputs, IncomeInputs]:
    """Ask how the user sells: the channel, days a week (unless the days off asked it first:
    `week_asked`), and one client or several.

    Each question is optional, its default the current answer; declining the first keeps
    direct, 5 days and one client (or what the flags and the profile already say).
    """
    from tjm import api

    fallback = fallbacks(dataset, today)
    values = merge_sales(given, defaults)
    if week_asked:
        if asker.confirm(phrase(SELL_DIRECT_Q), values == SalesInputs()):
            return values, income
    elif asker.confirm(phrase(SELL_Q), values == SalesInputs() and income.days_per_week is None):
        return values, income
    channel = given.channel
    if channel is None:
        offered = channels_for(income.status)
        channel = asker.select(
            phrase(CHANNEL_Q),
            _choices(CHANNEL_LABELS, offered),
            values.channel or fallback.channel,
        )
    values = merge_sales(SalesInputs(channel=channel), values)
    implied = CHANNELS_BY_ID[channel].status
    if implied is not None:
        income = income._replace(status=implied)
    if channel == "malt" and given.months_with_client is None:
        months = _optional(asker, "months_with_client", phrase(MONTHS_Q), values.months_with_client)
        values = values._replace(months_with_client=months)
    if channel == "esn" and given.margin is None:
        question = phrase(MARGIN_Q, margin=shown_number(fallback.margin))
        values = values._replace(margin=_optional(asker, "margin", question, values.margin))
    if income.days is None and not week_asked:
        question = phrase(WEEK_Q, days_per_week=shown_number(fallback.days_per_week))
        week = _optional(asker, "days_per_week", question, income.days_per_week)
        income = income._replace(days_per_week=week)
    if not given.clients:
        total = api.billable_days(income)

        def fits(text: str) -> bool | str:
            try:
                clients = _parse_clients(text)
                check_sales(values._replace(clients=clients), income)
                check_days_sold(clients, total, asked=True)
            except InputError as exc:
                return exc.problem
            return True

        clients = _parse_clients(asker.text(phrase(CLIENTS_Q), _clients_text(values), fits))
        values = values._replace(clients=clients)
    return values, income


def _parse_clients(text: str) -> tuple[Client, ...]:
    return tuple(parse_client(part) for part in text.split(",") if part.strip())


DETAILS_Q = N_("Show the details too (the breakdown, the evidence, every warning)?")


def ask_details(asker: Asker) -> bool:
    """Ask the last question of the guided quote: the one screen, or every detail (--details)."""
    return asker.confirm(phrase(DETAILS_Q), False)
