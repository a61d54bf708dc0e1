"""What the commands share: their options, and gathering inputs from flags, a profile or the
questions. Every value is parsed by tjm.fields, which names the flag at fault."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, NamedTuple

import typer

from tjm.errors import UsageError
from tjm.fields import CHANNELS, NATIONAL, STATUSES, check_text, check_value, parse_value
from tjm.inputs import (
    Given,
    IncomeInputs,
    QuoteInputs,
    SalesInputs,
    check_income,
    check_quote,
    check_sales,
    merge_income,
    merge_sales,
)

INCOME_PANEL = "Income (for the floor)"


def parse_flag(key: str, text: str | None) -> Any:
    """Parse a flag's text into its field's value; None stays None."""
    return None if text is None else parse_value(key, text)


def _income_option(flag: str, help_text: str, metavar: str = "NUMBER") -> Any:
    return Annotated[
        str | None,
        typer.Option(flag, help=help_text, metavar=metavar, rich_help_panel=INCOME_PANEL),
    ]


INCOME_OPTIONS = {
    "target_net": _income_option(
        "--target-net", "Net income you want per year, EUR (50000, 50 000 or 50k)."
    ),
    "status": _income_option("--status", f"{', '.join(STATUSES)} (default micro-bnc).", "STATUS"),
    "salary_share": _income_option(
        "--salary-share",
        "eurl-is, sasu: % of the profit paid as "
        "remuneration or salary, 0 to 100 (default: eurl-is 100, "
        "sasu the best split).",
        "PERCENT",
    ),
    "dividend_tax": _income_option(
        "--dividend-tax",
        "eurl-is, sasu: pfu (flat tax, default) or bareme (progressive scale).",
        "pfu|bareme",
    ),
    "capital": _income_option(
        "--capital",
        "eurl-is: share capital, EUR (default 1000); dividends above 10% of it bear contributions.",
        "EUR",
    ),
    "days": _income_option("--days", "Billable days per year (instead of the days off)."),
    "holidays": _income_option("--holidays", "Holidays per year (default 25)."),
    "sick": _income_option("--sick", "Sick days per year (default 4)."),
    "non_billable": _income_option("--non-billable", "Prospecting/admin days (default 45)."),
    "expenses": _income_option("--expenses", "Yearly business expenses, EUR (default 0)."),
    "household": _income_option("--household", "single (default) or couple.", "HOUSEHOLD"),
    "children": _income_option("--children", "Dependent children (tax shares)."),
    "versement_liberatoire": Annotated[
        bool | None,
        typer.Option(
            "--versement-liberatoire/--no-versement-liberatoire",
            help="Pay income tax with contributions (micro only).",
            rich_help_panel=INCOME_PANEL,
        ),
    ],
    "portage_fee": _income_option("--portage-fee", "Portage management fee, % (default 10)."),
    "portage_net": _income_option("--portage-net", "Portage net salary, % of what the fee leaves."),
    "charges_rate": _income_option(
        "--charges-rate", "Overall charge rate for --status custom, % (45 means 45%)."
    ),
    "year": _income_option("--year", "Rules year (default: this year, else the latest).", "YEAR"),
    "days_per_week": _income_option(
        "--days-per-week",
        "Days worked a week, 1 to 5 in halves (default 5); the billable days scale with it.",
    ),
}

SALES_PANEL = "How you sell (channel, clients, discount, half-days)"


def _sales_option(flag: str, help_text: str, metavar: str = "NUMBER") -> Any:
    return Annotated[
        str | None, typer.Option(flag, help=help_text, metavar=metavar, rich_help_panel=SALES_PANEL)
    ]


SALES_OPTIONS = {
    "channel": _sales_option(
        "--channel", f"{'|'.join(CHANNELS)}: how the client is billed (default direct).", "CHANNEL"
    ),
    "months_with_client": _sales_option(
        "--months-with-client",
        "Months already worked with this client (Malt's fee falls after 3).",
        "MONTHS",
    ),
    "margin": _sales_option(
        "--margin", "The ESN's margin, % of the client price (default 20).", "PCT"
    ),
    "clients": Annotated[
        list[str] | None,
        typer.Option(
            "--client",
            metavar="NAME:RATE:DAYS",
            rich_help_panel=SALES_PANEL,
            help="A client, its day rate and the days a year sold to it (repeat).",
        ),
    ],
    "long_mission_months": _sales_option(
        "--long-mission-months",
        "Length of a discounted mission, months (with --discount).",
        "MONTHS",
    ),
    "discount": _sales_option("--discount", "Discount granted on that mission, %.", "PCT"),
    "half_day_share": _sales_option(
        "--half-day-share", "Share of billed time sold as half-days, %.", "PCT"
    ),
    "half_day_rate": _sales_option(
        "--half-day-rate",
        "Price of a half-day, EUR (default 55% of the day rate, an assumption).",
        "EUR",
    ),
}


CHANNEL_KEYS = ("channel", "months_with_client", "margin")


def with_sales_options(
    command: Callable[..., Any] | None = None, *, keys: tuple[str, ...] = tuple(SALES_OPTIONS)
) -> Callable[..., Any]:
    """Add the sales flags (all, or `keys`) to a command, handing it the parsed SalesInputs
    as `sales`."""
    if command is None:
        return functools.partial(with_sales_options, keys=keys)
    signature = inspect.signature(command, eval_str=True)
    extra = [
        inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=SALES_OPTIONS[name]
        )
        for name in keys
    ]
    kept = [p for p in signature.parameters.values() if p.name != "sales"]

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        values: dict[str, Any] = {}
        for name in keys:
            raw = kwargs.pop(name)
            if name == "clients":
                values[name] = tuple(parse_value(name, text) for text in raw or ())
            else:
                values[name] = None if raw is None else parse_value(name, raw)
        return command(*args, sales=SalesInputs(**values), **kwargs)

    run.__signature__ = signature.replace(parameters=[*kept, *extra])  # type: ignore[attr-defined]
    return run


def imply_status(sales: SalesInputs, income: IncomeInputs) -> IncomeInputs:
    """Return the income flags with the status a portage channel implies (checked once)."""
    return (
        check_sales(sales._replace(long_mission_months=None, discount=None), income)[1]
        if sales.channel is not None
        else income
    )


def settle_sales(
    sales: SalesInputs,
    income: IncomeInputs,
    profile: str | None,
) -> tuple[SalesInputs, IncomeInputs]:
    """Return the sales flags merged over a profile's, checked against the income side,
    with the clients' days checked against the billable days."""
    base = None
    if profile is not None:
        from tjm import profiles

        base = profiles.load(profile).profile.sales
    sales, income = check_sales(merge_sales(sales, base), income)
    if sales.clients:
        from tjm.benchmarks import load_dataset
        from tjm.income import billable_days
        from tjm.inputs import check_days_sold

        check_days_sold(sales.clients, billable_days(income, load_dataset().billable_days).total)
    return sales, income


def with_income_options(
    command: Callable[..., Any], without: tuple[str, ...] = ()
) -> Callable[..., Any]:
    """Add the income flags (but `without`) to a command, handing it the parsed IncomeInputs
    as `income`."""
    signature = inspect.signature(command, eval_str=True)
    options = {k: v for k, v in INCOME_OPTIONS.items() if k not in without}
    extra = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=option)
        for name, option in options.items()
    ]
    kept = [p for p in signature.parameters.values() if p.name != "income"]

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        values: dict[str, Any] = dict.fromkeys(without)
        for name in options:
            raw = kwargs.pop(name)
            if raw is None:
                values[name] = None
            elif isinstance(raw, bool):
                values[name] = check_value(name, raw)
            else:
                values[name] = parse_value(name, raw)
        return command(*args, income=IncomeInputs(**values), **kwargs)

    # Typer reads the command's parameters from __signature__, which functions accept.
    run.__signature__ = signature.replace(parameters=[*kept, *extra])  # type: ignore[attr-defined]
    return run


def make_console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def today() -> dt.date:
    """Return the date the commands price at: today, or TJM_TODAY."""
    from tjm.clock import today as clock_today

    return clock_today()


JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON, no colour.")]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Price with only the observations published by DATE "
        "(YYYY-MM-DD) and that date's rules.",
    ),
]
NoUserDataFlag = Annotated[
    bool,
    typer.Option("--no-user-data", help="Leave out your own observations and missions (tjm data)."),
]


def as_of_date(text: str | None) -> dt.date | None:
    """Parse --as-of: a date up to today, or None."""
    when: dt.date | None = parse_flag("as_of", text)
    if when is not None and when > today():
        raise UsageError(f"--as-of: expected a date up to today, got {when.isoformat()}")
    return when


def price(answers: Answers, as_of: str | None, no_user_data: bool, **channel: Any) -> Any:
    """Quote with the packaged observations (by --as-of, if given) and the user's own;
    `channel` passes a channel's position_rate and channel_fee on to the quote."""
    from tjm.model import model_for
    from tjm.pricing import price_quote, user_effects
    from tjm.userdata import read_user, realised

    when = as_of_date(as_of)
    user = None if no_user_data else read_user()
    model = model_for(when, user)
    result = price_quote(
        answers.inputs, when or today(), model=model, income=answers.income, **channel
    )
    if user is not None and user.observations:
        result = result._replace(user_effects=user_effects(answers.inputs, user, when))
    if user is not None and user.missions:
        result = result._replace(realised=realised(user.missions, when or today()))
    return result


RoleOpt = Annotated[
    str | None,
    typer.Option("--role", metavar="ROLE", help="ai-engineer, data-scientist or data-engineer."),
]
YearsOpt = Annotated[
    str | None,
    typer.Option("--years", metavar="NUMBER", help="Years of experience, 0 to 50 (2.5 or 2,5)."),
]
RegionOpt = Annotated[
    str | None,
    typer.Option("--region", metavar="REGION", help="france (default), idf, other-city or abroad."),
]
SkillOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--skill",
        metavar="SKILL",
        help="A skill you sell (repeat): rag, llm, nlp, computer-vision.",
    ),
]
ProfileOpt = Annotated[
    str | None,
    typer.Option(
        "--profile",
        metavar="NAME|PATH",
        help="A saved profile's name, or a path to a .toml profile; flags override its values.",
    ),
]
ForceFlag = Annotated[
    bool, typer.Option("--force", help="Overwrite a profile of the same name without asking.")
]
RateOpt = Annotated[
    str | None,
    typer.Option(
        "--rate", metavar="EUR", help="Your current or planned day rate, to place it in the band."
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


class Answers(NamedTuple):
    """What a pricing command works from: the flags, the profile, and any answers."""

    inputs: QuoteInputs
    income: IncomeInputs
    asked: bool  # True when the questions ran
    sales: SalesInputs | None = None  # how the user sells, when the questions asked it


def gather_inputs(
    given: Given,
    income: IncomeInputs,
    profile: str | None,
    may_ask: bool,
    ask_rate: bool = True,
    sales: SalesInputs | None = None,
) -> Answers:
    """Merge flags over the profile; on a terminal with role or years missing, ask instead,
    offering the profile's values as defaults; else name the missing flags."""
    base = base_income = base_sales = None
    if profile is not None:
        from tjm import profiles

        stored = profiles.load(profile).profile
        base, base_income, base_sales = stored.inputs, stored.income, stored.sales
    if (given.role is None or given.years is None) and may_ask:
        from tjm import prompts

        if prompts.can_ask():
            from tjm.benchmarks import load_dataset

            asker, dataset = prompts.make_asker(), load_dataset()
            inputs = prompts.ask_quote_inputs(asker, dataset, given, base, ask_rate)
            asked = prompts.ask_income(asker, income, base_income, dataset.billable_days, today())
            how, asked = prompts.ask_sales(
                asker, sales or SalesInputs(), base_sales, asked, dataset.billable_days
            )
            return Answers(check_quote(inputs), check_income(asked, today()), True, how)
    if base is None:
        missing = [f for f, v in (("--role", given.role), ("--years", given.years)) if v is None]
        if missing:
            raise UsageError(
                f"missing {' and '.join(missing)}; pass "
                f"{'them' if len(missing) > 1 else 'it'} on the command line, "
                "or --profile NAME"
            )
    # base is None only when the flags gave both role and years (checked just above).
    inputs = QuoteInputs(
        role=given.role if given.role is not None else base.role,  # type: ignore[union-attr]
        years=given.years if given.years is not None else base.years,  # type: ignore[union-attr]
        region=given.region or (base.region if base else NATIONAL),
        skills=given.skills if given.skills is not None else (base.skills if base else ()),
        rate=given.rate if given.rate is not None else (base.rate if base else None),
    )
    return Answers(
        check_quote(inputs), check_income(merge_income(income, base_income), today()), False
    )


def load_income(
    income: IncomeInputs, profile: str | None, every_status: bool = False
) -> IncomeInputs:
    """Return the income flags merged over a profile's, checked as a whole (with
    `every_status`, for tjm statuses: each status option for its own statuses)."""
    base = None
    if profile is not None:
        from tjm import profiles

        base = profiles.load(profile).profile.income
    return check_income(merge_income(income, base), today(), every_status)


def confirm_or_require(question: str, flag_hint: str) -> bool:
    """Ask a yes/no question on a terminal; off a terminal, refuse and name the flag."""
    from tjm.prompts import can_ask, make_asker

    if not can_ask():
        raise UsageError(flag_hint)
    return make_asker().confirm(question, False)


def check_save_name(name: str | None, force: bool = True) -> None:
    """Refuse a bad profile name, an unusable store, or (off a terminal, without --force) a
    taken name, before any work is done or anything printed."""
    if name is None:
        return
    from tjm import profiles

    profiles.check_name(name)
    profiles.check_store()
    if not force and profiles.exists(name):
        from tjm.prompts import can_ask

        if not can_ask():
            raise profiles.exists_error(name)


def save_profile(
    name: str, answers: Answers, force: bool, notes: str = "", sales: SalesInputs | None = None
) -> None:
    """Save answers as a named profile; ask before overwriting, or need --force off a terminal."""
    from tjm import profiles

    profiles.check_name(name)
    check_text("notes", notes)
    if profiles.exists(name) and not force:
        # The same words and exit code as losing the race at the hard link (exists_error).
        if not confirm_or_require(
            f"Profile {name!r} exists. Overwrite it?", str(profiles.exists_error(name))
        ):
            typer.echo("Not saved; the existing profile was kept.", err=True)
            return
        force = True
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    profile = profiles.Profile(
        name=name,
        inputs=answers.inputs,
        income=answers.income,
        notes=notes,
        sales=sales or answers.sales or SalesInputs(),
    )
    path = profiles.save(profile, now, overwrite=force)
    typer.echo(f"Saved profile {name!r} to {path}", err=True)
