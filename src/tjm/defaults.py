"""What each input left unset becomes, read from the same data and rules the results use, so
that --help and the questions can name a default without writing it down again."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from tjm.dataset.records import Dataset
from tjm.fields import FULL_WEEK, NATIONAL
from tjm.inputs import IncomeInputs, SalesInputs, channel_of


class Defaults(NamedTuple):
    """The defaults of the inputs; percentages are 0–100, as the flags take them."""

    region: str
    status: str
    holidays: float
    sick: float
    non_billable: float
    expenses: float
    household: str
    children: int
    dividend_tax: str
    capital: float
    portage_fee: float  # the floor's, from the rules of `rules_year`
    rules_year: int
    days_per_week: float
    channel: str
    margin: float  # an ESN's, from the dataset
    channel_portage_fee: float  # `tjm channel`'s portage fee, from the dataset
    half_day_rate_share: float


def defaults(dataset: Dataset, today: dt.date) -> Defaults:
    """Return the defaults as the floor and the channels apply them on `today`."""
    from tjm.france.income import prepare
    from tjm.sales.channels import channel_fee

    situation, _ = prepare(IncomeInputs(), dataset.billable_days, today)
    days = dataset.billable_days

    def fee(channel: str) -> float:
        return channel_fee(dataset, channel, SalesInputs(), IncomeInputs()).rate * 100

    return Defaults(
        region=NATIONAL,
        status=situation.status,
        holidays=days.holidays,
        sick=days.sick_days,
        non_billable=days.non_billable_days,
        expenses=situation.expenses,
        household=situation.household,
        children=situation.children,
        dividend_tax=situation.dividend_tax,
        capital=situation.capital,
        portage_fee=situation.portage_fee * 100,
        rules_year=situation.rules.year,
        days_per_week=FULL_WEEK,
        channel=channel_of(SalesInputs()),
        margin=fee("esn"),
        channel_portage_fee=fee("portage"),
        half_day_rate_share=dataset.param("half_day_rate_share") * 100,
    )


def tns_dividend_threshold(year: int) -> float:
    """Return the share of an EURL's capital above which its dividends bear contributions."""
    from tjm.france.rules import load_regime_rules

    return load_regime_rules(year).tns_dividend_threshold


def creation_years(year: int) -> int:
    """Return over how many years the creation costs are spread."""
    from tjm.france.rules import load_cost_rules

    return load_cost_rules(year).creation_years
