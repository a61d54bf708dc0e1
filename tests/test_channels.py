"""Channels and the engagement shape: hand-worked examples, the inverse property, blends."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tjm.dataset.load import load_dataset
from tjm.fields import Client
from tjm.inputs import NO_SALES, IncomeInputs, SalesInputs
from tjm.sales.channels import (
    BandSide,
    band_side,
    channel_fee,
    channel_view,
    compare_channels,
    from_client_price,
    from_freelancer_rate,
    rate_on_band_side,
)
from tjm.sales.engagement import blend, discount_cost, floor_gap, half_days

DATA = load_dataset()
NO_INCOME = IncomeInputs()


def _row(rows, channel):
    return next(r for r in rows if r.conversion.channel == channel)


# ------------------------------------------------------------ hand-worked, both ways

# (channel, sales, income, freelancer rate, client price, fee, reaches)
WORKED = [
    ("direct", NO_SALES, NO_INCOME, 600, 600, 0, 600),
    # Malt, first 3 months: the freelancer invoices 600, Malt bills back 10%.
    ("malt", NO_SALES, NO_INCOME, 600, 600, 60, 540),
    # Malt after 3 months with the client: 5%.
    ("malt", SalesInputs(months_with_client=3), NO_INCOME, 600, 600, 30, 570),
    ("malt", SalesInputs(months_with_client=2.5), NO_INCOME, 600, 600, 60, 540),
    # ESN 80/20: the client pays 750, the firm keeps 150.
    ("esn", NO_SALES, NO_INCOME, 600, 750, 150, 600),
    ("esn", SalesInputs(margin=15), NO_INCOME, 637.5, 750, 112.5, 637.5),
    # Portage 10%: 900 paid to the freelancer needs 1000 from the client.
    ("portage", NO_SALES, NO_INCOME, 900, 1000, 100, 900),
    ("portage", NO_SALES, IncomeInputs(portage_fee=8), 920, 1000, 80, 920),
]


@pytest.mark.parametrize(("channel", "sales", "income", "rate", "price", "fee", "reaches"), WORKED)
def test_worked_from_the_freelancer_rate(channel, sales, income, rate, price, fee, reaches):
    """From a freelancer rate, each channel gives the hand-worked client price, fee and net."""
    row = _row(compare_channels(DATA, sales, income, rate=rate), channel)
    c = row.conversion
    assert (c.client_price, c.fee, c.freelancer_rate, c.reaches) == pytest.approx(
        (price, fee, rate, reaches), abs=1e-9
    )


@pytest.mark.parametrize(("channel", "sales", "income", "rate", "price", "fee", "reaches"), WORKED)
def test_worked_from_the_client_price(channel, sales, income, rate, price, fee, reaches):
    """From a client price, each channel gives the hand-worked invoice, fee and net."""
    row = _row(compare_channels(DATA, sales, income, client_price=price), channel)
    c = row.conversion
    assert (c.client_price, c.fee, c.freelancer_rate, c.reaches) == pytest.approx(
        (price, fee, rate, reaches), abs=1e-9
    )


def test_malt_fee_without_vat_registration():
    """A freelancer who cannot recover VAT pays Malt's fee VAT included: 12% for 10%, 6% for 5%."""
    assert channel_fee(
        DATA, "malt", NO_SALES, NO_INCOME, vat_registered=False
    ).rate == pytest.approx(0.12)
    later = channel_fee(
        DATA, "malt", SalesInputs(months_with_client=4), NO_INCOME, vat_registered=False
    )
    assert later.rate == pytest.approx(0.06)


def test_every_fee_names_a_source():
    """Every channel's fee cites a dataset source or the flag the user gave."""
    rows = compare_channels(DATA, SalesInputs(margin=12), NO_INCOME, rate=500)
    for r in rows:
        assert r.fee.source in DATA.sources or r.fee.source == "--margin"
    assert _row(rows, "esn").fee.source == "--margin"
    assert _row(rows, "malt").fee.source == "malt-help-commission"


def test_portage_default_matches_the_rules_file():
    """The portage channel's default fee is the one the portage status uses for the floor."""
    from tjm.france.rules import load_rules

    assert DATA.channels is not None
    assert DATA.channels["portage"].fee == load_rules(2026).portage_fee_default


# ----------------------------------------------------------------- the inverse property

cents = st.integers(1, 2_000_000).map(lambda c: c / 100)
fee_rates = st.integers(0, 9_900).map(lambda bp: bp / 10_000)
channels = st.sampled_from(["direct", "malt", "esn", "portage"])


@given(channels, cents, fee_rates)
def test_client_price_round_trip(channel, price, fee_rate):
    """client price → freelancer rate → client price gives the lowest whole-cent price with
    that rate: at most the start, and it turns back into the very same rate (issue 25)."""
    rate = from_client_price(channel, price, fee_rate).freelancer_rate
    back = from_freelancer_rate(channel, rate, fee_rate).client_price
    assert back <= price
    assert from_client_price(channel, back, fee_rate).freelancer_rate == rate


@given(channels, cents, fee_rates)
def test_freelancer_rate_round_trip(channel, rate, fee_rate):
    """freelancer rate → client price → freelancer rate returns the start exactly, in cents,
    for every channel and fee (issue 25)."""
    price = from_freelancer_rate(channel, rate, fee_rate).client_price
    assert from_client_price(channel, price, fee_rate).freelancer_rate == rate


@given(channels, cents, fee_rates, st.booleans())
def test_printed_rows_add_up(channel, amount, fee_rate, from_price):
    """Every conversion is in whole cents and its row adds up: client price − fee is what
    reaches the freelancer, to the cent (a portage row 555.55 − 55.55 once gave 499.99)."""
    convert = from_client_price if from_price else from_freelancer_rate
    conv = convert(channel, amount, fee_rate)
    for value in (conv.client_price, conv.fee, conv.freelancer_rate, conv.reaches):
        assert round(value * 100) == pytest.approx(value * 100, abs=1e-6)
    assert round(conv.client_price * 100) - round(conv.fee * 100) == round(conv.reaches * 100)


@pytest.mark.parametrize(
    ("channel", "price", "rate"), [("esn", 333.33, 266.66), ("portage", 555.55, 499.99)]
)
def test_the_printed_client_price_gives_back_the_printed_rate(channel, price, rate):
    """--client-price 333.33 --channel esn prints 266.66, and --rate 266.66 gives back 333.33
    (it gave 333.32); the portage row of 555.55 likewise."""
    fee = 0.2 if channel == "esn" else 0.1
    assert from_client_price(channel, price, fee).freelancer_rate == rate
    assert from_freelancer_rate(channel, rate, fee).client_price == price


@given(channels, cents, fee_rates)
def test_money_adds_up(channel, price, fee_rate):
    """The client price is what reaches the freelancer plus the channel's fee."""
    c = from_client_price(channel, price, fee_rate)
    assert c.reaches + c.fee == pytest.approx(c.client_price, rel=1e-12)
    assert c.fee_rate == fee_rate


# ------------------------------------------------------------------- band sides


def test_band_side_from_the_observations(monkeypatch):
    """A role's band side is its observations' common fee side, else unknown with the counts."""
    from tjm.market import observations

    side = band_side("ai-engineer")
    assert side.side == "unknown"  # Malt's figure is freelancer-side, the others do not say
    assert ("freelancer", 5) in side.counts  # Malt's figure and the four ends of two postings
    market = observations.load_market()
    only = [o for o in market.observations if o.role == "ai-engineer" and o.fee_side != "unknown"]
    monkeypatch.setattr(
        observations, "load_market", lambda: market._replace(observations=tuple(only))
    )
    assert band_side("ai-engineer").side == "freelancer"


def test_rate_on_band_side():
    """A client-side band takes the client price, a freelancer-side or unknown one the invoice."""
    conv = from_freelancer_rate("esn", 600, 0.2)
    assert rate_on_band_side(BandSide("client", ()), conv) == pytest.approx(750)
    assert rate_on_band_side(BandSide("freelancer", ()), conv) == 600
    assert rate_on_band_side(BandSide("unknown", ()), conv) == 600


def test_unknown_side_warns():
    """A band whose observations do not all say their side compares the rate as invoiced, and
    warns."""
    view = channel_view(
        DATA, SalesInputs(channel="esn"), NO_INCOME, role="data-scientist", rate=600
    )
    assert view.compared_rate == 600
    warned = [w for w in view.warnings if w.code == "band-side-unknown"]
    assert len(warned) == 1
    assert "do not all say which side" in warned[0].message


def test_portage_floor_is_the_client_price():
    """In portage the floor is the turnover billed to the client; 10% comes off it."""
    view = channel_view(DATA, SalesInputs(channel="portage"), NO_INCOME, floor_rate=500)
    assert view.floor is not None
    assert view.floor.client_price == 500
    assert view.floor.freelancer_rate == pytest.approx(450)


# ------------------------------------------------------------------ engagement

CLIENTS = (Client("A", 600, 100), Client("B", 450, 40))


def test_blend_sums_over_clients():
    """The turnover is the sum over clients; the days left are billable days minus days sold."""
    b = blend(CLIENTS, 179)
    assert b.turnover == 600 * 100 + 450 * 40
    assert b.days_sold == 140
    assert b.days_left == 39
    assert b.rate == pytest.approx(78_000 / 140)


def test_floor_gap_in_days_and_per_client():
    """Short of the floor's turnover, the gap is given in days at the blend or EUR per client."""
    b = blend(CLIENTS, 179)
    gap = floor_gap(b, 90_000)
    assert gap.shortfall == 12_000
    assert gap.more_days == 22  # 12,000 / 557.14 = 21.5, rounded up
    assert gap.fits
    assert [(r.name, r.raise_by) for r in gap.raises] == [("A", 120), ("B", 300)]
    assert floor_gap(b, 70_000).shortfall == 0


def test_discount_cost_and_rate_for_floor():
    """A 10% discount over 6 of 12 months costs 5% of the year; the floor rate is lifted 1/0.95."""
    d = discount_cost(600, 0.10, 6, 180, floor_rate=500)
    assert d.days == 90
    assert d.cost == pytest.approx(600 * 0.10 * 90)
    assert d.rate_for_floor == 527  # 500 / 0.95 = 526.3, rounded up
    assert discount_cost(600, 0.10, 30, 180).months == 12


def test_half_days():
    """Half the time in half-days at 55% of 600 adds 5% to the rate per day of billed time."""
    h = half_days(600, 0.5, 330, True, 100)
    assert h.effective_rate == pytest.approx(630)
    assert h.yearly_change == pytest.approx(3000)
