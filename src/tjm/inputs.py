"""What a command works from (QuoteInputs, IncomeInputs, SalesInputs) and the rules between
their fields: flags winning over a profile, days against days off, a status against its
options, a target that some rate reaches. Single values are read by tjm.fields."""

from __future__ import annotations

from typing import Any, NamedTuple

from tjm.errors import InputError, flag
from tjm.fields import (
    FULL_WEEK,
    NATIONAL,
    Client,
)
from tjm.i18n import _
from tjm.i18n.formats import format_short
from tjm.registry import CHANNELS, DEFAULT_STATUS, STATUSES, statuses_with

# ------------------------------------------------------------ the inputs


class QuoteInputs(NamedTuple):
    role: str
    years: float
    region: str = NATIONAL
    skills: tuple[str, ...] = ()
    rate: float | None = None


class Given(NamedTuple):
    """The pricing values the flags gave, parsed; None where a flag was not passed."""

    role: str | None = None
    years: float | None = None
    region: str | None = None
    skills: tuple[str, ...] | None = None
    rate: float | None = None


class IncomeInputs(NamedTuple):
    """The income side of a profile; every field is optional until a floor is asked for.

    Percentages (portage_fee, portage_net, charges_rate, salary_share) are 0–100, as typed.
    """

    status: str | None = None
    target_net: float | None = None
    days: float | None = None
    holidays: float | None = None
    sick: float | None = None
    non_billable: float | None = None
    expenses: float | None = None
    household: str | None = None
    children: int | None = None
    versement_liberatoire: bool | None = None
    portage_fee: float | None = None
    portage_net: float | None = None
    charges_rate: float | None = None
    salary_share: float | None = None
    dividend_tax: str | None = None
    capital: float | None = None
    year: int | None = None
    days_per_week: float | None = None
    # The company's own costs, EUR a year (creation_costs: the whole, spread over years).
    accountant: float | None = None
    cfe: float | None = None
    bank: float | None = None
    insurance: float | None = None
    creation_costs: float | None = None
    legal_costs: float | None = None
    acre: bool | None = None  # the first year, eligible for ACRE
    over_ceiling_last_year: bool | None = None  # last year's turnover over the micro ceiling


NO_INCOME = IncomeInputs()
DAYS_OFF = ("holidays", "sick", "non_billable")
# The options that belong to one status: a flag choosing another status drops them.
STATUS_OPTIONS = {
    option: statuses_with(option) for status in STATUSES.values() for option in status.options
}


def merge_income(given: IncomeInputs, stored: IncomeInputs | None) -> IncomeInputs:
    """Return the given values over the stored ones; a given value also drops the stored
    values it conflicts with (`days` against days off, a status against another's options)."""
    if stored is None:
        return given
    drop: set[str] = set()
    if given.days is not None:
        drop.update((*DAYS_OFF, "days_per_week"))
    if any(getattr(given, k) is not None for k in (*DAYS_OFF, "days_per_week")):
        drop.add("days")
    if given.status is not None:
        drop.update(k for k, statuses in STATUS_OPTIONS.items() if given.status not in statuses)
        if given.status != stored.status:
            drop.add("salary_share")  # an EURL's share is before contributions, a SASU's after
    base = stored._replace(**dict.fromkeys(drop))
    return base._replace(**{k: v for k, v in given._asdict().items() if v is not None})


def check_quote(inputs: QuoteInputs) -> QuoteInputs:
    """Check the ids against the dataset; the numbers were checked where they entered."""
    from tjm.dataset.load import load_dataset
    from tjm.errors import UnknownIdError

    dataset = load_dataset()
    if inputs.role not in dataset.roles:
        raise UnknownIdError("role", inputs.role, list(dataset.roles))
    if inputs.region not in dataset.regions:
        raise UnknownIdError("region", inputs.region, list(dataset.regions))
    for skill in inputs.skills:
        if skill not in dataset.skills:
            raise UnknownIdError("skill", skill, list(dataset.skills))
    return inputs


def week_share(inputs: IncomeInputs) -> float:
    """Return the share of a full week worked: the billable-days model scales by it."""
    return (inputs.days_per_week or FULL_WEEK) / FULL_WEEK


def status_of(inputs: IncomeInputs) -> str:
    return inputs.status or DEFAULT_STATUS


# ------------------------------------------------------------ how one sells


class SalesInputs(NamedTuple):
    """How the freelancer sells: the channel and its fee settings, several clients, a
    long-mission discount, half-days. Percentages are 0–100, as typed; days per week and the
    portage fee live in IncomeInputs, because the floor uses them."""

    channel: str | None = None
    months_with_client: float | None = None
    margin: float | None = None
    clients: tuple[Client, ...] = ()
    long_mission_months: float | None = None
    discount: float | None = None
    half_day_share: float | None = None
    half_day_rate: float | None = None


NO_SALES = SalesInputs()
# The options that belong to one channel; another channel refuses them.
CHANNEL_OPTIONS = {option: c.id for c in CHANNELS.values() for option in c.options}


def merge_sales(given: SalesInputs, stored: SalesInputs | None) -> SalesInputs:
    """Return the given values over the stored ones; another channel drops the stored
    channel's own options, and given clients replace the stored ones."""
    if stored is None:
        return given
    drop: set[str] = set()
    if given.channel is not None:
        drop.update(k for k, ch in CHANNEL_OPTIONS.items() if ch != given.channel)
    cleared: dict[str, Any] = dict.fromkeys(drop)
    base = stored._replace(**cleared)
    values: dict[str, Any] = {k: v for k, v in given._asdict().items() if v is not None and v != ()}
    return base._replace(**values)


def channel_of(sales: SalesInputs) -> str:
    return sales.channel or "direct"


def check_sales(
    sales: SalesInputs, income: IncomeInputs, all_channels: bool = False
) -> tuple[SalesInputs, IncomeInputs]:
    """Apply the rules between sales values and the income side; return both, with portage
    implied as the status of a portage channel. `all_channels` (tjm channel without
    --channel) lets each channel's options stand, since every channel is shown."""
    if sales.channel is not None or not all_channels:
        channel = channel_of(sales)
        for key, owner in CHANNEL_OPTIONS.items():
            if getattr(sales, key) is not None and channel != owner:
                raise InputError(
                    (key, "channel"),
                    _("goes with --channel {owner}, not {channel}").format(
                        owner=owner, channel=channel
                    ),
                    "channel-mismatch",
                )
        implied = CHANNELS[channel].status
        if implied is not None:
            if income.status not in (None, implied):
                raise InputError(
                    ("channel", "status"),
                    _(
                        "portage salarial pays you a salary: it goes with status portage, "
                        "not {status}"
                    ).format(status=income.status),
                    "status-mismatch",
                )
            income = income._replace(status=implied)
    if (sales.long_mission_months is None) != (sales.discount is None):
        given = "long_mission_months" if sales.discount is None else "discount"
        other = "discount" if given == "long_mission_months" else "long_mission_months"
        raise InputError(
            (given, other),
            _("needs {flag} as well").format(flag=flag(other)),
            "missing-value",
        )
    if sales.half_day_rate is not None and sales.half_day_share is None:
        raise InputError(
            ("half_day_rate", "half_day_share"),
            _("needs {flag} as well").format(flag=flag("half_day_share")),
            "missing-value",
        )
    names = [c.name for c in sales.clients]
    for name in names:
        if names.count(name) > 1:
            raise InputError(
                "clients",
                _("client {name} is given twice").format(name=repr(name)),
                "duplicate-client",
            )
    return sales, income


def check_days_sold(clients: tuple[Client, ...], billable: float, asked: bool = False) -> None:
    """Refuse clients whose days add up to more than the billable days of the year; `asked`:
    the answer to a question, whose advice names no flag."""
    sold = sum(c.days for c in clients)
    if sold > billable:
        if asked:
            text = _(
                "{sold} days sold exceed the {billable} billable days of your year; give each "
                "client fewer days"
            )
        else:
            text = _(
                "{sold} days sold exceed the {billable} billable days a year; lower the days, "
                "or raise --days-per-week or --days"
            )
        problem = text.format(sold=format_short(sold), billable=format_short(billable))
        raise InputError("clients", problem, "days-oversold")


def either(options: tuple[str, ...]) -> str:
    """Return `a or b or c` in the active language, for ids the user can type."""
    # TRANSLATORS: joins ids such as "micro-bnc or micro-bnc-cipav".
    return _(" or ").join(options)
