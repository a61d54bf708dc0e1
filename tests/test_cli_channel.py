"""tjm channel, and --channel with the engagement flags on quote and floor, through the CLI."""

import json
import tomllib

import pytest

from tjm.cli import app
from tjm.render.common import schema

AI = ["--role", "ai-engineer", "--years", "4"]


def _json(runner, args):
    """Run a command; return its JSON object, or the rows a statuses or channel object holds."""
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    rows = {schema("statuses"): "statuses", schema("channel"): "channels"}.get(data["schema"])
    return data if rows is None else data[rows]


def test_channel_rate_shows_the_four_channels_side_by_side(runner):
    """tjm channel --rate 600 prints one table with direct, Malt, ESN and portage."""
    result = runner.invoke(app, ["channel", "--rate", "600"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    table = result.stdout.split("EUR per day")[0]
    for label, price in (
        ("Direct", "600"),
        ("Malt", "600"),
        ("ESN / agency", "750"),
        ("Portage", "666.67"),
    ):
        line = next(x for x in table.splitlines() if label in x)
        assert price in line
    assert "540" in table  # what reaches the freelancer on Malt


def test_channel_cites_every_fee(runner):
    """Every fee shown names its source's publisher and title."""
    out = " ".join(runner.invoke(app, ["channel", "--rate", "600"]).stdout.split())
    for cited in (
        "Malt help centre",
        "How does the commission payment work?",
        "ss2ideal.fr",
        "Le Journal des Entreprises",
    ):
        assert cited in out


def test_channel_json_lists_the_channel_objects(runner):
    """--json gives one object per channel with the documented keys, money to the cent."""
    data = _json(runner, ["channel", "--client-price", "750", "--json"])
    assert [d["channel"] for d in data] == ["direct", "malt", "esn", "portage"]
    for d in data:
        assert {
            "channel",
            "client_price",
            "fee",
            "fee_rate",
            "freelancer_rate",
            "source",
            "warnings",
        } <= set(d)
        assert d["source"]["id"]
    esn = data[2]
    assert (esn["client_price"], esn["fee"], esn["fee_rate"], esn["freelancer_rate"]) == (
        750,
        150,
        0.2,
        600,
    )
    assert data[3]["freelancer_rate"] == 675


def test_channel_flags_override_the_dataset(runner):
    """--margin and --months-with-client replace the dataset's fee, and say so."""
    esn = _json(
        runner, ["channel", "--rate", "600", "--channel", "esn", "--margin", "15", "--json"]
    )
    assert len(esn) == 1
    assert esn[0]["fee_rate"] == 0.15
    assert esn[0]["source"]["id"] == "--margin"
    malt = _json(
        runner,
        [
            "channel",
            "--client-price",
            "600",
            "--channel",
            "malt",
            "--months-with-client",
            "4",
            "--json",
        ],
    )[0]
    assert malt["fee_rate"] == 0.05
    assert malt["reaches_freelancer"] == 570
    assert malt["source"]["id"] == "malt-help-provision-de"


def test_channel_round_trip_through_the_cli(runner):
    """The freelancer rate --client-price gives leads --rate back to the same client price."""
    there = _json(
        runner,
        [
            "channel",
            "--client-price",
            "812.35",
            "--channel",
            "portage",
            "--portage-fee",
            "7.5",
            "--json",
        ],
    )[0]
    back = _json(
        runner,
        [
            "channel",
            "--rate",
            str(there["freelancer_rate"]),
            "--channel",
            "portage",
            "--portage-fee",
            "7.5",
            "--json",
        ],
    )[0]
    assert back["client_price"] == 812.35


BAD = [
    (
        ["channel", "--rate", "600", "--margin", "100"],
        "--margin: expected a number at least 0 and less than 100",
    ),
    (["channel", "--rate", "600", "--months-with-client", "-1"], "--months-with-client: "),
    (["channel", "--rate", "600", "--channel", "upwork"], "--channel: expected one of direct"),
    (
        ["channel", "--rate", "600", "--channel", "malt", "--margin", "15"],
        "--margin, --channel: goes with --channel esn, not malt",
    ),
    (["channel"], "pass one of --rate and --client-price"),
    (["channel", "--rate", "600", "--client-price", "700"], "pass one of --rate"),
    (
        ["floor", "--target-net", "50k", "--client", "A:600"],
        "--client: expected NAME:RATE:DAYS, got 'A:600'",
    ),
    (["floor", "--target-net", "50k", "--client", "A:lots:100"], "--client: 'A:lots:100': rate"),
    (["floor", "--target-net", "50k", "--client", "A:600:0"], "--client: 'A:600:0': days"),
    (["floor", "--target-net", "50k", "--client", ":600:10"], "--client: expected NAME:RATE"),
    (
        ["floor", "--target-net", "50k", "--client", "A:600:150", "--client", "B:500:50"],
        "--client: 200 days sold exceed the 179 billable days",
    ),
    (
        ["floor", "--target-net", "50k", "--days-per-week", "4.3"],
        "--days-per-week: expected a number from 1 to 5",
    ),
    (["floor", "--target-net", "50k", "--days-per-week", "6"], "--days-per-week: "),
    (
        ["floor", "--target-net", "50k", "--discount", "10"],
        "--discount, --long-mission-months: needs --long-mission-months",
    ),
    (
        ["floor", "--target-net", "50k", "--channel", "portage", "--status", "micro-bnc"],
        "--channel, --status: portage salarial pays you a salary",
    ),
    (
        ["floor", "--target-net", "50k", "--days", "150", "--days-per-week", "4"],
        "give either the billable days or the days off",
    ),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_bad_sales_input(runner, args, message):
    """Each bad channel or engagement input exits 2 with one line naming the flag."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert message in lines[0]


def test_quote_through_a_channel_compares_like_with_like(runner, monkeypatch):
    """With a client-side band, quote --channel esn --rate 600 places 750, what the client
    pays; through Malt the invoice is the client price, so 600 stays 600."""
    from tjm.sales import channels

    monkeypatch.setattr(
        channels, "band_side", lambda role: channels.BandSide("client", (("client", 1),))
    )
    through = _json(runner, ["quote", *AI, "--rate", "600", "--channel", "esn", "--json"])
    direct = _json(runner, ["quote", *AI, "--rate", "750", "--json"])
    assert through["channel"]["compared_rate"] == 750
    assert through["channel"]["band_side"] == "client"
    assert through["percentile"] == direct["percentile"]
    malt = _json(runner, ["quote", *AI, "--rate", "600", "--channel", "malt", "--json"])
    assert malt["channel"]["compared_rate"] == 600
    plain = _json(runner, ["quote", *AI, "--rate", "600", "--json"])
    assert plain["channel"] is None
    assert malt["percentile"] == plain["percentile"]


def test_quote_unknown_side_warns(runner):
    """The packaged observations do not all say their fee side: the quote warns and compares
    the rate as invoiced."""
    data = _json(
        runner,
        [
            "quote",
            "--role",
            "data-scientist",
            "--years",
            "4",
            "--rate",
            "500",
            "--channel",
            "esn",
            "--json",
        ],
    )
    assert data["channel"]["band_side"] == "unknown"
    assert data["channel"]["compared_rate"] == 500
    assert any(
        w["code"] == "band-side-unknown" and "do not all say which side" in w["message"]
        for w in data["channel"]["warnings"]
    )


def test_floor_through_a_channel_is_the_client_price(runner):
    """floor --channel esn states the floor as what the client pays: the floor / 0.8."""
    plain = _json(runner, ["floor", "--target-net", "50000", "--json"])
    esn = _json(runner, ["floor", "--target-net", "50000", "--channel", "esn", "--json"])
    assert esn["floor"] == plain["floor"]
    assert esn["channel"]["floor"]["client_price"] == pytest.approx(plain["floor"] / 0.8, abs=0.01)


def test_floor_through_malt_pays_the_fee(runner):
    """Through Malt the fee is an expense, so the floor rises. Over the VAT franchise the fee
    is 10%; under it (a small target) it is 12%, VAT included, and only one of them shows."""
    plain = _json(runner, ["floor", "--target-net", "50000", "--json"])
    malt = _json(runner, ["floor", "--target-net", "50000", "--channel", "malt", "--json"])
    assert malt["floor"] > plain["floor"]
    assert malt["turnover"] > 41_250
    assert malt["channel"]["fee_rate"] == 0.10
    costs = malt["company_costs"]["total"]
    assert malt["expenses"] - costs == pytest.approx(malt["turnover"] * 0.10, abs=0.01)
    small = _json(runner, ["floor", "--target-net", "20000", "--channel", "malt", "--json"])
    assert small["turnover"] <= 41_250
    assert small["channel"]["fee_rate"] == 0.12
    costs = small["company_costs"]["total"]
    assert small["expenses"] - costs == pytest.approx(small["turnover"] * 0.12, abs=0.01)
    text = runner.invoke(app, ["floor", "--target-net", "20000", "--channel", "malt"]).stdout
    assert "12%" in text
    assert "10%" not in text.replace("10% fee", "")


def test_four_days_a_week_scales_the_billable_days(runner):
    """--days-per-week 4 scales every part of the 179-day model by 4/5."""
    data = _json(runner, ["floor", "--target-net", "50000", "--days-per-week", "4", "--json"])
    assert data["days"]["total"] == 143.2  # exactly: no float noise in the output
    assert data["days"]["holidays"] == 20
    one = _json(runner, ["floor", "--target-net", "20000", "--days-per-week", "1", "--json"])
    assert one["days"] == {
        "working": 50.6,
        "holidays": 5,
        "sick": 0.8,
        "non_billable": 9,
        "total": 35.8,
    }


def test_blend_in_floor(runner):
    """Two clients give the blended rate, the turnover, the days left and the gap to the floor."""
    data = _json(
        runner,
        [
            "floor",
            "--target-net",
            "60000",
            "--client",
            "A:600:100",
            "--client",
            "B:450:40",
            "--json",
        ],
    )
    blend = data["engagement"]["blend"]
    assert blend["turnover"] == 78_000
    assert blend["days_left"] == 39
    gap = data["engagement"]["floor_gap"]
    assert gap["shortfall"] == pytest.approx(data["turnover"] - 78_000, abs=0.01)
    assert gap["raises"][0]["name"] == "A"
    text = runner.invoke(
        app, ["floor", "--target-net", "60000", "--client", "A:600:100", "--client", "B:450:40"]
    ).stdout
    assert "more billable days" in text
    assert "EUR on A" in text


def test_discount_in_floor(runner):
    """A long-mission discount shows its yearly cost, the rate that keeps the floor, and views
    with their sources."""
    data = _json(
        runner,
        [
            "floor",
            "--target-net",
            "50000",
            "--long-mission-months",
            "12",
            "--discount",
            "10",
            "--json",
        ],
    )
    d = data["engagement"]["discount"]
    assert d["rate_for_floor"] == pytest.approx(-(-data["floor"] // 0.9))
    assert d["views"]
    args = ["floor", "--target-net", "50000", "--long-mission-months", "12", "--discount", "10"]
    out = " ".join(runner.invoke(app, [*args, "--details"]).stdout.split())
    assert "Social Declik" in out
    assert "10–20% off" in out
    assert "LaunchAdvisor" in out
    assert "your choice" in out


def test_half_days_default_is_labelled_an_assumption(runner):
    """Half-days default to 55% of the day rate and say it is an assumption."""
    data = _json(runner, ["quote", *AI, "--rate", "600", "--half-day-share", "50", "--json"])
    h = data["engagement"]["half_days"]
    assert h["half_day_rate"] == pytest.approx(330)
    assert h["assumed"] is True
    assert h["effective_rate"] == 630
    out = runner.invoke(app, ["quote", *AI, "--rate", "600", "--half-day-share", "50"]).stdout
    assert "an assumption" in out


def test_profile_stores_the_clients_and_channel(runner, tjm_home):
    """quote --save keeps the channel, the clients and the days per week, and a later
    --profile uses them."""
    result = runner.invoke(
        app,
        [
            "quote",
            *AI,
            "--channel",
            "esn",
            "--margin",
            "15",
            "--client",
            "Acme:600:100",
            "--days-per-week",
            "4",
            "--save",
            "p",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.stderr
    doc = tomllib.loads((tjm_home / "profiles" / "p.toml").read_text())
    assert doc["schema_version"] == 5
    assert doc["sales"]["channel"] == "esn"
    assert doc["sales"]["clients"] == [{"name": "Acme", "rate": 600.0, "days": 100.0}]
    assert doc["income"]["days_per_week"] == 4
    data = _json(runner, ["floor", "--profile", "p", "--target-net", "40k", "--json"])
    assert data["channel"]["fee_rate"] == 0.15
    assert data["engagement"]["blend"]["turnover"] == 60_000


def test_statuses_through_a_channel(runner):
    """statuses --channel esn states each status's floor as the client price, the floor / 0.8."""
    plain = _json(runner, ["statuses", "--target-net", "60k", "--json"])
    esn = _json(runner, ["statuses", "--target-net", "60k", "--channel", "esn", "--json"])
    assert [r["floor"] for r in esn] == [r["floor"] for r in plain]
    for row in esn:
        if row["floor"] is not None:
            assert row["channel"]["client_price"] == pytest.approx(row["floor"] / 0.8, abs=0.01)
            assert row["channel"]["source"]["id"] == "ss2ideal-80-20"


def test_statuses_through_malt_pay_the_fee(runner):
    """Through Malt each status pays the fee as an expense, so every net at a rate falls."""
    plain = {r["status"]: r["net"] for r in _json(runner, ["statuses", "--rate", "600", "--json"])}
    malt = {
        r["status"]: r["net"]
        for r in _json(runner, ["statuses", "--rate", "600", "--channel", "malt", "--json"])
    }
    assert all(malt[s] < plain[s] for s in plain)


def test_statuses_refuse_a_portage_channel(runner):
    """--channel portage on statuses is refused in one line: portage is compared already."""
    result = runner.invoke(app, ["statuses", "--rate", "600", "--channel", "portage"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: --channel: portage is one of the statuses")


def test_profile_save_keeps_the_sales_flags(runner, tjm_home):
    """profile save --channel malt --client ... stores them; profile show --json lists them."""
    result = runner.invoke(
        app,
        [
            "profile",
            "save",
            "me",
            *AI,
            "--channel",
            "malt",
            "--months-with-client",
            "6",
            "--client",
            "Acme:550:120",
        ],
    )
    assert result.exit_code == 0, result.stderr
    doc = tomllib.loads((tjm_home / "profiles" / "me.toml").read_text())
    assert doc["sales"] == {
        "channel": "malt",
        "months_with_client": 6.0,
        "clients": [{"name": "Acme", "rate": 550.0, "days": 120.0}],
    }
    bad = runner.invoke(app, ["profile", "save", "me2", *AI, "--client", "A:500:200"])
    assert bad.exit_code == 2
    assert "--client: 200 days sold exceed" in bad.stderr
    assert not (tjm_home / "profiles" / "me2.toml").exists()


def test_profile_show_lists_the_sales(runner):
    """profile show prints the stored channel and clients, and --json has a sales object."""
    runner.invoke(
        app, ["profile", "save", "me", *AI, "--channel", "esn", "--client", "Acme:550:120"]
    )
    data = _json(runner, ["profile", "show", "me", "--json"])
    assert data["sales"] == {
        "channel": "esn",
        "clients": [{"name": "Acme", "rate": 550.0, "days": 120.0}],
    }
    text = runner.invoke(app, ["profile", "show", "me"]).stdout
    assert "clients: Acme:550:120" in text


def test_channel_takes_a_profiles_fee_settings(runner):
    """tjm channel --profile uses the stored ESN margin; a flag still wins over it."""
    runner.invoke(app, ["profile", "save", "me", *AI, "--channel", "esn", "--margin", "12"])
    rows = _json(runner, ["channel", "--rate", "600", "--profile", "me", "--json"])
    assert len(rows) == 4
    assert rows[2]["fee_rate"] == 0.12
    flagged = _json(
        runner, ["channel", "--rate", "600", "--profile", "me", "--margin", "18", "--json"]
    )
    assert flagged[2]["fee_rate"] == 0.18
