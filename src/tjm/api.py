"""tjm as a library: validate what a caller gives with the flags' own field rules, run the core,
and return frozen results whose `.to_dict()` is the command's `--json` object.

The CLI is a layer over this module: it gathers the same values from flags, a profile or the
questions, and prints what these functions return.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TextIO, TypeVar

from tjm.clock import today
from tjm.errors import InputError, UnknownIdError, UsageError
from tjm.fields import STATUSES, check_value, parse_client
from tjm.france.checks import check_days_off as check_days_off  # the questions check with them
from tjm.france.checks import check_income as check_income  # the CLI checks with it too
from tjm.france.checks import check_reachable as check_reachable
from tjm.france.checks import check_reachable_by_any as check_reachable_by_any
from tjm.i18n import Language, _, parse_language, speaking
from tjm.inputs import (
    NO_SALES,
    IncomeInputs,
    QuoteInputs,
    SalesInputs,
    check_days_sold,
    check_quote,
    check_sales,
    merge_income,
)
from tjm.registry import CHANNELS

if TYPE_CHECKING:
    from rich.console import Console

    from tjm.dataset.records import Dataset
    from tjm.france.income import Floor as CoreFloor
    from tjm.france.income import Situation, StatusRow
    from tjm.market.fit import CurveFit
    from tjm.market.quote import Quote as CoreQuote
    from tjm.market.userdata import Parsed, UserData
    from tjm.render.report import ReportData
    from tjm.roster.price import Summary
    from tjm.sales.channels import ChannelRow, ChannelView, Fee
    from tjm.sales.engagement import Engagement

__all__ = [
    "Channels",
    "Comparison",
    "Floor",
    "InputError",
    "Quote",
    "Statuses",
    "channels",
    "compare",
    "floor",
    "price_roster",
    "quote",
    "statuses",
]

INCOME_KEYS = frozenset(IncomeInputs._fields)
SALES_KEYS = frozenset(SalesInputs._fields)


# ------------------------------------------------------------------- results


@dataclass(frozen=True)
class Result:
    """A result in the language it was asked in; `to_dict` is its command's --json object."""

    kind: ClassVar[str]
    lang: Language

    def to_dict(self) -> dict[str, Any]:
        """Return the documented JSON object (docs/json.md), its `schema` key first."""
        from tjm.render.common import schema

        with speaking(self.lang):
            return {"schema": schema(self.kind), **self._data()}

    def show(self, console: Console, details: bool = False) -> None:
        """Print the result for people, as the command does: one screen, or with `details`
        every table, list and warning (--details)."""
        with speaking(self.lang):
            self._show(console, details)

    def _data(self) -> dict[str, Any]:
        raise NotImplementedError

    def _show(self, console: Console, details: bool) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class Quote(Result):
    """A suggested rate with its market band, where a given rate stands, and with a target
    net the floor; how it sells through the channel chosen."""

    kind: ClassVar[str] = "quote"
    quote: CoreQuote
    channel: ChannelView | None
    shape: Engagement
    dataset: Dataset = field(repr=False, compare=False)

    @property
    def target(self) -> float:
        return self.quote.target

    def _data(self) -> dict[str, Any]:
        from tjm.render.channels import sales_json
        from tjm.render.quote import quote_json

        return {**quote_json(self.quote), **sales_json(self.dataset, self.channel, self.shape)}

    def _show(self, console: Console, details: bool) -> None:
        from tjm.render.quote import show_quote

        show_quote(console, self.quote, details, self._sales(console))

    def _sales(self, console: Console) -> Callable[[bool], list[tuple[str, str]]]:
        from tjm.render.channels import show_sales

        return lambda details: show_sales(console, self.dataset, self.channel, self.shape, details)


@dataclass(frozen=True)
class Comparison(Quote):
    """A rate placed in its market band: the same figures as a quote, led by the position."""

    kind: ClassVar[str] = "compare"

    def _show(self, console: Console, details: bool) -> None:
        from tjm.render.quote import show_compare

        show_compare(console, self.quote, details, self._sales(console))


@dataclass(frozen=True)
class Floor(Result):
    """The lowest day rate that reaches a target net, and where each euro goes."""

    kind: ClassVar[str] = "floor"
    floor: CoreFloor
    channel: ChannelView | None
    shape: Engagement
    dataset: Dataset = field(repr=False, compare=False)

    @property
    def rate(self) -> float:
        return self.floor.rate

    def _data(self) -> dict[str, Any]:
        from tjm.render.channels import sales_json
        from tjm.render.income import floor_json

        return {**floor_json(self.floor), **sales_json(self.dataset, self.channel, self.shape)}

    def _show(self, console: Console, details: bool) -> None:
        from tjm.render.channels import show_sales
        from tjm.render.income import show_floor

        show_floor(
            console,
            self.floor,
            details,
            lambda d: show_sales(console, self.dataset, self.channel, self.shape, d),
        )


@dataclass(frozen=True)
class Statuses(Result):
    """Every status compared: its floor for a target net, or its net at a day rate, with what
    each buys and what its company costs; `fees` is each row's channel fee (None: no channel)."""

    kind: ClassVar[str] = "statuses"
    rows: tuple[StatusRow, ...]
    target_net: float | None
    rate: float | None
    situation: Situation = field(repr=False)
    fees: tuple[Fee | None, ...]
    sort: str
    dataset: Dataset = field(repr=False, compare=False)

    def _data(self) -> dict[str, Any]:
        from tjm.render.income import statuses_json

        return statuses_json(self.dataset, list(self.rows), self.target_net, self.fees, self.sort)

    def _show(self, console: Console, details: bool) -> None:
        from tjm.render.income import show_statuses

        show_statuses(
            console,
            self.dataset,
            list(self.rows),
            self.target_net,
            self.rate,
            self.situation,
            self.fees,
            self.sort,
            details,
        )


@dataclass(frozen=True)
class Channels(Result):
    """What the client pays and what reaches the freelancer, through each channel."""

    kind: ClassVar[str] = "channel"
    rows: tuple[ChannelRow, ...]
    rate: float | None
    client_price: float | None
    dataset: Dataset = field(repr=False, compare=False)

    def _data(self) -> dict[str, Any]:
        from tjm.render.channels import channels_json

        return channels_json(self.dataset, self.rows)

    def _show(self, console: Console, details: bool) -> None:
        from tjm.render.channels import show_channels

        show_channels(console, self.dataset, self.rows, self.rate, self.client_price, details)


# ------------------------------------------------------------ validation


@contextmanager
def _parameters() -> Iterator[None]:
    """Name the parameter at fault in every refusal, as a notebook caller wrote it."""
    try:
        yield
    except InputError as exc:
        raise InputError(exc.keys, exc.problem, exc.code, label=str) from None
    except UnknownIdError as exc:
        raise InputError(exc.kind, exc.message, exc.code, label=str) from None


def _language(lang: str | None) -> Language | None:
    if lang is None:
        return None
    chosen = parse_language(lang) if isinstance(lang, str) else None
    if chosen is None:
        problem = _("expected fr or en, got {value}").format(value=repr(lang))
        raise InputError("lang", problem, "bad-choice", label=str)
    return chosen


def _checked(key: str, value: Any) -> Any:
    """Return a typed value checked by its field's rule (None stays None)."""
    if value is None:
        return None
    if key == "clients":  # "NAME:RATE:DAYS" as on the command line, or a profile's table
        if isinstance(value, str):
            value = [value]
        return tuple(
            parse_client(c) if isinstance(c, str) else check_value(key, dict(c)) for c in value
        )
    return check_value(key, value)


def _split_options(options: Mapping[str, Any]) -> tuple[IncomeInputs, SalesInputs]:
    """Check each option by its field's rule and sort it to the income or the sales side."""
    unknown = sorted(set(options) - INCOME_KEYS - SALES_KEYS)
    if unknown:
        valid = ", ".join(sorted(INCOME_KEYS | SALES_KEYS))
        problem = _("unknown parameter; valid: {valid}").format(valid=valid)
        raise InputError(tuple(unknown), problem, "unknown-parameter", label=str)
    income = {k: _checked(k, v) for k, v in options.items() if k in INCOME_KEYS}
    sales = {k: _checked(k, v) for k, v in options.items() if k in SALES_KEYS}
    return IncomeInputs(**income), SalesInputs(**sales)


def _skills(skills: str | Sequence[str]) -> tuple[str, ...]:
    return (skills,) if isinstance(skills, str) else tuple(skills)


def _as_of(value: dt.date | str | None) -> dt.date | None:
    """Return the as-of date: a date (or its ISO text) up to today."""
    when: dt.date | None = None if value is None else check_value("as_of", value)  # type: ignore[assignment]
    if when is not None and when > today():
        problem = _("expected a date up to today, got {date}").format(date=when.isoformat())
        raise InputError("as_of", problem, code="bad-date")
    return when


def imply_status(sales: SalesInputs, income: IncomeInputs) -> IncomeInputs:
    """Return the income side with the status a channel implies (portage), checked once."""
    if sales.channel is None:
        return income
    return check_sales(sales._replace(long_mission_months=None, discount=None), income)[1]


def settle_sales(sales: SalesInputs, income: IncomeInputs) -> tuple[SalesInputs, IncomeInputs]:
    """Check the sales side against the income side; the clients' days against the year."""
    sales, income = check_sales(sales, income)
    if sales.clients:
        check_days_sold(sales.clients, billable_days(income))
    return sales, income


def billable_days(income: IncomeInputs) -> float:
    """Return the billable days a year the income side gives."""
    from tjm.dataset.load import load_dataset
    from tjm.france.income import billable_days as days_of

    return days_of(income, load_dataset().billable_days).total


def dataset() -> Dataset:
    """Return the packaged dataset (roles, regions, skills, channels, sources)."""
    from tjm.dataset.load import load_dataset

    return load_dataset()


# ---------------------------------------------------------------- pricing


def quote(
    role: str,
    years: float,
    region: str = "france",
    skills: str | Sequence[str] = (),
    rate: float | None = None,
    *,
    as_of: dt.date | str | None = None,
    user_data: bool = True,
    lang: str | None = None,
    **options: Any,
) -> Quote:
    """Suggest a day rate for a role, years and region, with its band; `rate` is placed in
    it. Options are the income and sales flags in snake case (target_net=50_000,
    status="sasu", channel="malt", days_per_week=4, ...)."""
    return _priced(Quote, role, years, region, skills, rate, as_of, user_data, lang, options)


def compare(
    rate: float,
    role: str,
    years: float,
    region: str = "france",
    skills: str | Sequence[str] = (),
    *,
    as_of: dt.date | str | None = None,
    user_data: bool = True,
    lang: str | None = None,
    **options: Any,
) -> Comparison:
    """Place a day rate in its market band: percentile, verdict and gap to the median."""
    if rate is None:
        raise InputError("rate", _("a rate is needed to compare"), "missing-value", label=str)
    return _priced(Comparison, role, years, region, skills, rate, as_of, user_data, lang, options)


Priced = TypeVar("Priced", Quote, Comparison)


def _priced(
    kind: type[Priced],
    role: str,
    years: float,
    region: str,
    skills: str | Sequence[str],
    rate: float | None,
    as_of: dt.date | str | None,
    user_data: bool,
    lang: str | None,
    options: Mapping[str, Any],
) -> Priced:
    language = _language(lang)
    with speaking(language), _parameters():
        for key, value in (("role", role), ("region", region)):
            if not isinstance(value, str):
                raise InputError(key, _("expected text, got {value}").format(value=repr(value)))
        inputs = QuoteInputs(
            role,
            check_value("years", years),  # type: ignore[arg-type]
            region,
            _skills(skills),
            _checked("rate", rate),
        )
        income, sales = _split_options(options)
        sales, income = settle_sales(sales, check_income(imply_status(sales, income), today()))
        return price(kind, check_quote(inputs), income, sales, _as_of(as_of), user_data)


def price(
    kind: type[Priced],
    inputs: QuoteInputs,
    income: IncomeInputs,
    sales: SalesInputs,
    as_of: dt.date | None = None,
    user_data: bool = True,
) -> Priced:
    """Price checked inputs (a Quote or a Comparison) with the packaged observations as of a
    date, and the user's own unless `user_data` is False; through the chosen channel."""
    from tjm.dataset.load import load_dataset
    from tjm.market.model import model_for
    from tjm.market.quote import price_quote, user_effects
    from tjm.market.userdata import realised, user_for_pricing
    from tjm.sales.channels import billed_back_shares, channel_view

    data = load_dataset()
    user = user_for_pricing(not user_data)
    view = None
    if sales.channel is not None:
        view = channel_view(data, sales, income, role=inputs.role, rate=inputs.rate)
    fee_share, franchise_share = billed_back_shares(data, sales, income)
    result = price_quote(
        inputs,
        as_of or today(),
        model=model_for(as_of, user),
        income=income,
        position_rate=None if view is None else view.compared_rate,
        channel_fee=fee_share,
        channel_fee_franchise=franchise_share,
    )
    if user is not None and user.observations:
        result = result._replace(user_effects=user_effects(inputs, user, as_of))
    if user is not None and user.missions:
        result = result._replace(realised=realised(user.missions, as_of or today()))
    if view is not None and result.floor is not None:
        view = channel_view(
            data, sales, income, role=inputs.role, rate=inputs.rate, floor_rate=result.floor.rate
        )
    # A discount or half-days apply to your rate, else your clients' blend, else the target.
    rate = inputs.rate if inputs.rate is not None or sales.clients else result.target
    shape = _shape(data, sales, billable_days(income), rate, result.floor)
    return kind(_spoken(), result, view, shape, data)


def floor(
    target_net: float,
    *,
    lang: str | None = None,
    **options: Any,
) -> Floor:
    """Work out the lowest day rate that reaches a yearly net income; options are the income
    and sales flags in snake case (status="eurl-is", days=180, channel="esn", ...)."""
    language = _language(lang)
    with speaking(language), _parameters():
        income, sales = _split_options({**options, "target_net": target_net})
        if income.target_net is None:
            raise InputError("target_net", _("a target net is needed"), "missing-value")
        sales, income = settle_sales(sales, check_income(imply_status(sales, income), today()))
        return floor_for(income, sales)


def floor_for(income: IncomeInputs, sales: SalesInputs) -> Floor:
    """Solve the floor of checked income inputs that hold a target net."""
    from tjm.dataset.load import load_dataset
    from tjm.france.income import find_floor
    from tjm.sales.channels import billed_back_shares, channel_view

    data = load_dataset()
    target = income.target_net or 0.0
    fee, franchise = billed_back_shares(data, sales, income)
    result = find_floor(income, target, data.billable_days, today(), fee, franchise)
    view = None
    if sales.channel is not None:
        view = channel_view(data, sales, income, floor_rate=result.rate)
    # A discount or half-days apply to your clients' blend, else to the floor itself.
    rate = None if sales.clients else result.rate
    return Floor(
        _spoken(), result, view, _shape(data, sales, result.days.total, rate, result), data
    )


def statuses(
    *,
    target_net: float | None = None,
    rate: float | None = None,
    sort: str = "net",
    lang: str | None = None,
    **options: Any,
) -> Statuses:
    """Compare every status: its floor for `target_net` (cheapest first), or its net at a day
    `rate` (most first); `sort="protection"` ranks by what each buys. Options are the income
    flags but status, and channel."""
    language = _language(lang)
    with speaking(language), _parameters():
        if "status" in options:
            problem = _("every status is compared; leave it out")
            raise InputError("status", problem, "conflicting-flags")
        income, sales = _split_options({**options, "target_net": target_net})
        return statuses_for(income, sales, _checked("rate", rate), sort=check_value("sort", sort))


def statuses_for(
    income: IncomeInputs,
    sales: SalesInputs,
    rate: float | None,
    stored: IncomeInputs | None = None,
    sort: Any = "net",
) -> Statuses:
    """Compare the statuses for inputs checked field by field, applying the rules between
    them; `stored` (a profile's income side) fills what `income` leaves, and its target net
    gives way to a `rate`. `sort` is net (the default) or protection."""
    if sales.channel is not None and CHANNELS[sales.channel].status is not None:
        raise InputError(
            "channel",
            _("portage is one of the statuses compared; use direct, malt or esn here"),
            code="channel-mismatch",
        )
    check_sales(sales, IncomeInputs())
    if rate is not None and income.target_net is not None:
        problem = _("give one of them, not both")
        raise InputError(("target_net", "rate"), problem, code="conflicting-flags")
    income = check_income(merge_income(income, stored), today(), every_status=True)
    if rate is not None:
        income = income._replace(target_net=None)
    elif income.target_net is None:
        raise UsageError(
            _("missing --target-net or --rate; pass one, or a --profile with a target net")
        )
    compared = tuple(s for s in STATUSES if s != "custom" or income.charges_rate is not None)
    if income.target_net is not None:
        check_reachable_by_any(income, compared, today())
    from tjm.dataset.load import load_dataset
    from tjm.france.income import compare_statuses, in_vat_franchise, prepare
    from tjm.sales.channels import BILLED_BACK, channel_fee

    data = load_dataset()
    situation = prepare(income, data.billable_days, today())[0]
    fee = franchise = None
    if sales.channel is not None:
        # Each status pays the fee of its own VAT side: under the franchise, Malt's fee VAT
        # included (not recoverable), else its fee.
        fee = channel_fee(data, sales.channel, sales, income, vat_registered=True)
        franchise = channel_fee(data, sales.channel, sales, income, vat_registered=False)
        if fee.channel in BILLED_BACK:
            situation = situation._replace(
                channel_fee=fee.rate, channel_fee_franchise=franchise.rate
            )
    rows = tuple(compare_statuses(situation, compared, income.target_net, rate, sort))
    fees = tuple(
        None
        if fee is None or franchise is None
        else franchise
        if row.result is not None
        and in_vat_franchise(situation._replace(status=row.status), row.result.turnover)
        else fee
        for row in rows
    )
    return Statuses(_spoken(), rows, income.target_net, rate, situation, fees, sort, data)


def channels(
    *,
    rate: float | None = None,
    client_price: float | None = None,
    lang: str | None = None,
    **options: Any,
) -> Channels:
    """Show what the client pays for a day `rate`, or what reaches the freelancer of a
    `client_price`, through each channel (or the one `channel=` names)."""
    language = _language(lang)
    with speaking(language), _parameters():
        income, sales = _split_options(options)
        return channels_for(
            sales, income, _checked("rate", rate), _checked("client_price", client_price)
        )


def channels_for(
    sales: SalesInputs, income: IncomeInputs, rate: float | None, client_price: float | None
) -> Channels:
    """Convert one rate or one client price through the channels, for checked-by-field inputs."""
    if (rate is None) == (client_price is None):
        raise UsageError(_("pass one of --rate and --client-price"))
    extra = set(income._asdict()) - {"portage_fee"}
    given = sorted(k for k in extra if getattr(income, k) is not None)
    if given:
        problem = _("not used here: only the portage fee is")
        raise InputError(tuple(given), problem, "unknown-parameter")
    sales = check_sales(sales, IncomeInputs(), all_channels=True)[0]
    if income.portage_fee is not None and sales.channel not in (None, "portage"):
        problem = _("goes with --channel portage, not {channel}").format(channel=sales.channel)
        raise InputError(("portage_fee", "channel"), problem, code="channel-mismatch")
    from tjm.dataset.load import load_dataset
    from tjm.sales.channels import compare_channels

    data = load_dataset()
    # channels is None only for a dataset file without that table; the packaged one has it.
    chosen = (sales.channel,) if sales.channel else tuple(data.channels)  # type: ignore[arg-type]
    rows = compare_channels(
        data, sales, income, rate=rate, client_price=client_price, channels=chosen
    )
    return Channels(_spoken(), rows, rate, client_price, data)


def _spoken() -> Language:
    from tjm.i18n import active_language

    return active_language()


def _shape(
    data: Dataset, sales: SalesInputs, days: float, rate: float | None, floor: CoreFloor | None
) -> Engagement:
    """Return the engagement shape of a year of `days` billable days at `rate`."""
    from tjm.sales.engagement import shape_year

    return shape_year(
        sales or NO_SALES,
        days,
        rate,
        None if floor is None else floor.rate,
        None if floor is None else floor.result.turnover,
        data.param("half_day_rate_share"),
    )


# ---------------------------------------------------------------- reports


def report_data(
    inputs: QuoteInputs,
    income: IncomeInputs,
    sales: SalesInputs,
    as_of: dt.date | None = None,
    user_data: bool = True,
) -> ReportData:
    """Return what a report shows, for checked inputs: the quote's JSON, the statuses' for its
    target net (or their net at its rate), the channels' at that rate, and the sources."""
    from importlib.metadata import version

    from tjm.render.report import ReportData, observation_sources

    q = price(Quote, inputs, income, sales, as_of, user_data)
    rate = inputs.rate if inputs.rate is not None else q.target
    every = income._replace(status=None)
    # Through the quote's channel, as its floor is; portage is itself one of the statuses.
    channel = SalesInputs(channel=sales.channel, months_with_client=sales.months_with_client)
    if sales.channel in (None, "portage"):
        channel = NO_SALES
    at = None if income.target_net is not None else float(round(rate))
    compared = statuses_for(every, channel, at)
    kept = SalesInputs(months_with_client=sales.months_with_client, margin=sales.margin)
    through = channels_for(kept, IncomeInputs(portage_fee=income.portage_fee), rate, None)
    quoted = q.to_dict()
    evidence = quoted["evidence"]
    ids = [] if evidence is None else evidence["observations"]
    return ReportData(
        quoted,
        compared.to_dict(),
        through.to_dict(),
        observation_sources(ids),
        today(),
        version("tjm"),  # tjm.__version__, read without importing the package above this one
        _spoken(),
    )


def report_text(
    inputs: QuoteInputs,
    income: IncomeInputs,
    sales: SalesInputs,
    fmt: str = "html",
    as_of: dt.date | None = None,
    user_data: bool = True,
) -> str:
    """Return the report of checked inputs as one HTML page (`html`) or Markdown (`md`)."""
    from tjm.render.report import report_html, report_markdown

    data = report_data(inputs, income, sales, as_of, user_data)
    return report_html(data) if fmt == "html" else report_markdown(data)


# ---------------------------------------------------------------- rosters

Rows = TypeVar("Rows")


def price_roster(
    rows: Rows,
    *,
    as_of: dt.date | str | None = None,
    user_data: bool = True,
    lang: str | None = None,
) -> Rows:
    """Price a table of freelancers (a pandas DataFrame, a dict of columns or a list of
    dicts, with role and years columns, and region, skills, rate and income columns as
    `tjm batch` reads them); return the same kind of table with the priced columns added.
    A bad row keeps its cells and gets the reason in `error`, as in `tjm batch`."""
    language = _language(lang)
    with speaking(language), _parameters():
        columns, rebuild = _columns_of(rows)
        from tjm.market.model import model_for
        from tjm.market.userdata import user_for_pricing
        from tjm.roster.table import price_columns

        when = _as_of(as_of)
        model = model_for(when, user_for_pricing(not user_data))
        added = price_columns(model, columns, when or today())
        return rebuild(added)  # type: ignore[no-any-return]


def _columns_of(rows: Any) -> tuple[dict[str, list[str]], Any]:
    """Return a table's columns as text cells, and a function that gives back a table of
    the caller's kind with the priced columns added."""
    from tjm.roster.table import cell_text

    if hasattr(rows, "to_dict") and hasattr(rows, "columns"):  # a pandas DataFrame
        frame = rows
        names = [str(c) for c in frame.columns]
        texts = {
            n: [cell_text(v) for v in frame[c].tolist()]
            for n, c in zip(names, frame.columns, strict=True)
        }

        def rebuild_frame(added: dict[str, list[Any]]) -> Any:
            out = frame.copy()
            for name, values in added.items():
                out[name] = values
            return out

        return texts, rebuild_frame
    if isinstance(rows, Mapping):
        lengths = {len(v) for v in rows.values()}
        if len(lengths) > 1:
            problem = _("the columns differ in length")
            raise InputError("rows", problem, "ragged-columns", label=str)
        texts = {str(k): [cell_text(v) for v in values] for k, values in rows.items()}
        return texts, lambda added: {**{k: list(v) for k, v in rows.items()}, **added}
    if isinstance(rows, Sequence) and not isinstance(rows, (str, bytes)):
        if not all(isinstance(r, Mapping) for r in rows):
            problem = _("expected a DataFrame, a dict of columns or a list of dicts")
            raise InputError("rows", problem, "bad-table", label=str)
        names = list(dict.fromkeys(str(k) for r in rows for k in r))
        texts = {n: [cell_text(r.get(n)) for r in rows] for n in names}

        def rebuild_list(added: dict[str, list[Any]]) -> Any:
            return [{**row, **{k: v[i] for k, v in added.items()}} for i, row in enumerate(rows)]

        return texts, rebuild_list
    problem = _("expected a DataFrame, a dict of columns or a list of dicts")
    raise InputError("rows", problem, "bad-table", label=str)


def price_csv(
    source: TextIO,
    out: TextIO,
    fmt: str,
    *,
    strict: bool,
    as_of: dt.date | None,
    user_data: bool,
    on_bad_row: Callable[[int, str], None],
    on_progress: Callable[[int], None] = lambda n: None,
    name: str = "roster",
) -> Summary:
    """Price a roster CSV (`tjm batch`) from `source` into `out` as csv or json, column-wise."""
    from tjm.market.model import model_for
    from tjm.market.userdata import user_for_pricing
    from tjm.roster.price import price_roster as price_stream

    model = model_for(as_of, user_for_pricing(not user_data))
    return price_stream(
        model, source, out, fmt, strict, as_of or today(), on_bad_row, on_progress, name
    )


def count_lines(path: Path) -> int:
    """Return the number of lines of a roster file, for a progress bar."""
    from tjm.roster.read import count_lines as count

    return count(path)


# ------------------------------------------------------- market data, user data


def market_fit() -> tuple[CurveFit, float]:
    """Refit the model over the observations; return the fit and its leave-one-source-out
    bound."""
    from tjm.market.fit import fit_market
    from tjm.market.observations import load_market

    market = load_market()
    return fit_market(dataset(), market), market.loso_bound


def user_data() -> UserData:
    """Return the user's own observations and missions (`tjm data`)."""
    from tjm.market.userdata import read_user

    return read_user()


def user_data_path() -> Path:
    """Return where the user's own observations and missions are kept."""
    from tjm.market.userdata import user_path

    return user_path()


def read_user_import(path: str | Path) -> Parsed:
    """Read a CSV or TOML file of observations or missions, row by row, keeping bad rows."""
    from tjm.market.userdata import read_import

    return read_import(path)


def add_user_data(parsed: Parsed) -> tuple[Path, list[str]]:
    """Add parsed rows to the user's data with fresh ids; return the file and the ids."""
    from tjm.market.userdata import add_user, write_user

    data, ids = add_user(parsed)
    return write_user(data), ids


def remove_user_data(item: str) -> Path:
    """Remove one of the user's observations or missions by its id; return the file."""
    from tjm.market.userdata import remove_user, write_user

    return write_user(remove_user(item))
