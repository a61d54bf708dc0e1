"""The options the commands share, parsed where they enter: every value goes through
tjm.fields, which names the flag at fault. Help that names a default or a figure reads it
from the data only when --help is shown, so no run pays for it and no help text repeats it."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any

import typer

from tjm.clock import today
from tjm.errors import InputError
from tjm.fields import CHANNELS, STATUSES, check_value, parse_value
from tjm.i18n import N_, _
from tjm.inputs import Given, IncomeInputs, SalesInputs


def help_figures() -> dict[str, str]:
    """Return, as help shows them, the defaults (tjm.defaults) and the other figures from the
    data that help names."""
    from tjm import api
    from tjm.defaults import creation_years, defaults, tns_dividend_threshold

    dataset = api.dataset()
    d = defaults(dataset, today())
    # channels is None only for a dataset file without that table; the packaged one has it.
    malt = dataset.channels["malt"]  # type: ignore[index]
    figures = {
        **d._asdict(),
        "malt_months": malt.reduced_after_months,
        "tns_share": tns_dividend_threshold(d.rules_year) * 100,
        "creation_years": creation_years(d.rules_year),
    }
    shown = {k: v if isinstance(v, str) else _figure(v) for k, v in figures.items()}
    shown["rules_year"] = str(d.rules_year)  # a year, never grouped by thousands
    return {**shown, "statuses": ", ".join(STATUSES), "channels": "|".join(CHANNELS)}


def _figure(value: float) -> str:
    """Return a figure of the help in the active language's convention, as short as it goes."""
    from tjm.i18n.formats import format_number

    decimals = len(f"{round(value, 2):g}".partition(".")[2])
    return format_number(value, decimals=decimals)


def parse_flag(key: str, text: str | None) -> Any:
    """Parse a flag's text into its field's value; None stays None."""
    return None if text is None else parse_value(key, text)


INCOME_PANEL = "Income (for the floor)"
SALES_PANEL = "How you sell (channel, clients, discount, half-days)"


def _text_option(panel: str, flag: str, help_text: str, metavar: str = "NUMBER") -> Any:
    """Return the annotation of a flag that takes text, shown in `panel` of the help."""
    return Annotated[
        str | None, typer.Option(flag, help=help_text, metavar=metavar, rich_help_panel=panel)
    ]


_income_option = functools.partial(_text_option, INCOME_PANEL)
_sales_option = functools.partial(_text_option, SALES_PANEL)


INCOME_OPTIONS = {
    "target_net": _income_option(
        "--target-net", N_("Net income you want per year, EUR (50000, 50 000 or 50k).")
    ),
    "status": _income_option("--status", N_("{statuses} (default {status})."), "STATUS"),
    "salary_share": _income_option(
        "--salary-share",
        N_(
            "eurl-is, sasu: % of the profit paid as remuneration or salary, 0 to 100 "
            "(default: eurl-is 100, sasu the best split)."
        ),
        "PERCENT",
    ),
    "dividend_tax": _income_option(
        "--dividend-tax",
        N_("eurl-is, sasu: pfu (flat tax) or bareme (progressive scale); default {dividend_tax}."),
        "pfu|bareme",
    ),
    "capital": _income_option(
        "--capital",
        N_(
            "eurl-is: share capital, EUR (default {capital}); dividends above {tns_share}% of "
            "it bear contributions."
        ),
        "EUR",
    ),
    "days": _income_option("--days", N_("Billable days per year (instead of the days off).")),
    "holidays": _income_option("--holidays", N_("Holidays per year (default {holidays}).")),
    "sick": _income_option("--sick", N_("Sick days per year (default {sick}).")),
    "non_billable": _income_option(
        "--non-billable", N_("Prospecting/admin days (default {non_billable}).")
    ),
    "expenses": _income_option(
        "--expenses", N_("Yearly business expenses, EUR (default {expenses}).")
    ),
    "household": _income_option(
        "--household", N_("single or couple (default {household})."), "HOUSEHOLD"
    ),
    "children": _income_option("--children", N_("Dependent children (tax shares).")),
    "versement_liberatoire": Annotated[
        bool | None,
        typer.Option(
            "--versement-liberatoire/--no-versement-liberatoire",
            help=N_("Pay income tax with contributions (micro only)."),
            rich_help_panel=INCOME_PANEL,
        ),
    ],
    "portage_fee": _income_option(
        "--portage-fee",
        N_("Portage management fee, % (default {portage_fee}, {rules_year} rules)."),
    ),
    "portage_net": _income_option(
        "--portage-net", N_("Portage net salary, % of what the fee leaves.")
    ),
    "charges_rate": _income_option(
        "--charges-rate", N_("Overall charge rate for --status custom, % (45 means 45%).")
    ),
    "year": _income_option(
        "--year", N_("Rules year (default: this year, else the latest)."), "YEAR"
    ),
    "accountant": _income_option(
        "--accountant", N_("Accountant's fees, EUR a year (default: by status, assumed)."), "EUR"
    ),
    "cfe": _income_option(
        "--cfe", N_("CFE (local business tax), EUR a year (default: by turnover band)."), "EUR"
    ),
    "bank": _income_option("--bank", N_("Business bank fees, EUR a year."), "EUR"),
    "insurance": _income_option(
        "--insurance", N_("Professional liability insurance (RC Pro), EUR a year."), "EUR"
    ),
    "creation_costs": _income_option(
        "--creation-costs",
        N_("Creation costs, EUR in all, spread over {creation_years} years."),
        "EUR",
    ),
    "legal_costs": _income_option(
        "--legal-costs", N_("Yearly legal costs (filing the accounts), EUR."), "EUR"
    ),
    "acre": Annotated[
        bool | None,
        typer.Option(
            "--acre/--no-acre",
            help=N_("First year, eligible for ACRE (the start-up exemption of contributions)."),
            rich_help_panel=INCOME_PANEL,
        ),
    ],
    "over_ceiling_last_year": Annotated[
        bool | None,
        typer.Option(
            "--over-ceiling-last-year/--no-over-ceiling-last-year",
            help=N_(
                "Last year's turnover was over the micro ceiling too: a second year over it "
                "ends the micro regime."
            ),
            rich_help_panel=INCOME_PANEL,
        ),
    ],
    "days_per_week": _income_option(
        "--days-per-week",
        N_(
            "Days worked a week, 1 to 5 in halves (default {days_per_week}); the billable "
            "days scale with it."
        ),
    ),
}

SALES_OPTIONS = {
    "channel": _sales_option(
        "--channel", N_("{channels}: how the client is billed (default {channel})."), "CHANNEL"
    ),
    "months_with_client": _sales_option(
        "--months-with-client",
        N_("Months already worked with this client (Malt's fee falls after {malt_months})."),
        "MONTHS",
    ),
    "margin": _sales_option(
        "--margin", N_("The ESN's margin, % of the client price (default {margin})."), "PCT"
    ),
    "clients": Annotated[
        list[str] | None,
        typer.Option(
            "--client",
            metavar="NAME:RATE:DAYS",
            rich_help_panel=SALES_PANEL,
            help=N_("A client, its day rate and the days a year sold to it (repeat)."),
        ),
    ],
    "long_mission_months": _sales_option(
        "--long-mission-months",
        N_("Length of a discounted mission, months (with --discount)."),
        "MONTHS",
    ),
    "discount": _sales_option("--discount", N_("Discount granted on that mission, %."), "PCT"),
    "half_day_share": _sales_option(
        "--half-day-share", N_("Share of billed time sold as half-days, %."), "PCT"
    ),
    "half_day_rate": _sales_option(
        "--half-day-rate",
        N_(
            "Price of a half-day, EUR (default {half_day_rate_share}% of the day rate, an "
            "assumption)."
        ),
        "EUR",
    ),
}

CHANNEL_KEYS = ("channel", "months_with_client", "margin")


def _with_options(
    command: Callable[..., Any],
    target: str,
    options: dict[str, Any],
    build: Callable[[dict[str, Any]], object],
) -> Callable[..., Any]:
    """Add `options` to a command's flags; hand it what `build` makes of them as `target`."""
    signature = inspect.signature(command, eval_str=True)
    extra = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=option)
        for name, option in options.items()
    ]
    kept = [p for p in signature.parameters.values() if p.name != target]

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        raw = {name: kwargs.pop(name) for name in options}
        return command(*args, **{target: build(raw)}, **kwargs)

    # Typer reads the command's parameters from __signature__, which functions accept.
    run.__signature__ = signature.replace(parameters=[*kept, *extra])  # type: ignore[attr-defined]
    return run


def with_income_options(
    command: Callable[..., Any], without: tuple[str, ...] = ()
) -> Callable[..., Any]:
    """Add the income flags (but `without`) to a command, handing it the parsed IncomeInputs
    as `income`."""

    def build(raw: dict[str, Any]) -> IncomeInputs:
        values: dict[str, Any] = {
            name: check_value(name, text) if isinstance(text, bool) else parse_flag(name, text)
            for name, text in raw.items()
        }
        return IncomeInputs(**dict.fromkeys(without), **values)

    options = {k: v for k, v in INCOME_OPTIONS.items() if k not in without}
    return _with_options(command, "income", options, build)


def with_sales_options(
    command: Callable[..., Any] | None = None, *, keys: tuple[str, ...] = tuple(SALES_OPTIONS)
) -> Callable[..., Any]:
    """Add the sales flags (all, or `keys`) to a command, handing it the parsed SalesInputs
    as `sales`."""
    if command is None:
        return functools.partial(with_sales_options, keys=keys)

    def build(raw: dict[str, Any]) -> SalesInputs:
        values: dict[str, Any] = {
            name: tuple(parse_value(name, t) for t in text or ())
            if name == "clients"
            else parse_flag(name, text)
            for name, text in raw.items()
        }
        return SalesInputs(**values)

    return _with_options(command, "sales", {k: SALES_OPTIONS[k] for k in keys}, build)


JsonFlag = Annotated[bool, typer.Option("--json", help=N_("Print JSON, no colour."))]
DetailsFlag = Annotated[
    bool,
    typer.Option(
        "--details",
        help=N_("Show every table, list and warning; without it the answer fits one screen."),
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help=N_(
            "Price with only the observations published by DATE (YYYY-MM-DD) and that date's rules."
        ),
    ),
]
NoUserDataFlag = Annotated[
    bool,
    typer.Option(
        "--no-user-data", help=N_("Leave out your own observations and missions (tjm data).")
    ),
]


def as_of_date(text: str | None) -> dt.date | None:
    """Parse --as-of: a date up to today, or None."""
    when: dt.date | None = parse_flag("as_of", text)
    if when is not None and when > today():
        problem = _("expected a date up to today, got {date}").format(date=when.isoformat())
        raise InputError("as_of", problem, code="bad-date")
    return when


RoleOpt = Annotated[
    str | None,
    typer.Option(
        "--role", metavar="ROLE", help=N_("ai-engineer, data-scientist or data-engineer.")
    ),
]
YearsOpt = Annotated[
    str | None,
    typer.Option(
        "--years", metavar="NUMBER", help=N_("Years of experience, 0 to 50 (2.5 or 2,5).")
    ),
]
RegionOpt = Annotated[
    str | None,
    typer.Option(
        "--region",
        metavar="REGION",
        help=N_("france, idf, other-city or abroad (default {region})."),
    ),
]
SkillOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--skill",
        metavar="SKILL",
        help=N_("A skill you sell (repeat): rag, llm, nlp, computer-vision."),
    ),
]
ProfileOpt = Annotated[
    str | None,
    typer.Option(
        "--profile",
        metavar="NAME|PATH",
        help=N_("A saved profile's name, or a path to a .toml profile; flags override its values."),
    ),
]
ForceFlag = Annotated[
    bool, typer.Option("--force", help=N_("Overwrite a profile of the same name without asking."))
]
# Where tjm batch and tjm report write, and leave to overwrite what is there.
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help=N_(
            "Write here instead of stdout (atomically): a new file, an existing one "
            "with --force, or - for stdout."
        ),
    ),
]
OverwriteFlag = Annotated[
    bool, typer.Option("--force", help=N_("Overwrite the -o file if it exists."))
]
RateOpt = Annotated[
    str | None,
    typer.Option(
        "--rate",
        metavar="EUR",
        help=N_("Your current or planned day rate, to place it in the band."),
    ),
]


def given_flags(
    role: str | None,
    years: str | None,
    region: str | None,
    skills: list[str] | None,
    rate: float | None,
) -> Given:
    """Parse the pricing flags once, where they enter."""
    return Given(
        role,
        parse_flag("years", years),
        region,
        tuple(sorted(set(skills))) if skills else None,
        rate,
    )
