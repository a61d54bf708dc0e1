"""The guided questions and the flags are two ways to give the same inputs: for any answers,
`tjm quote` prices exactly what the equivalent flags price, days a week and days off
included."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tjm import api
from tjm.cli import app, prompts
from tjm.fields import FULL_WEEK

from .strategies import REGIONS, ROLES, SKILLS

STATUSES = ("micro-bnc", "ei", "sasu")
WEEKS = ("", "5", "4.5", "4", "3", "2.5", "1")


@st.composite
def answers(draw: st.DrawFn) -> dict[str, Any]:
    """Draw a full set of answers, each text as a user types it ("" keeps the default)."""
    return {
        "role": draw(st.sampled_from(ROLES)),
        "years": draw(st.sampled_from(["0.5", "3", "7", "12"])),
        "region": draw(st.sampled_from(REGIONS)),
        "skills": sorted(draw(st.sets(st.sampled_from(SKILLS)))),
        "rate": draw(st.sampled_from(["", "450", "620"])),
        "status": draw(st.sampled_from(STATUSES)),
        "week": draw(st.sampled_from(WEEKS)),
        "holidays": draw(st.sampled_from(["", "10", "25", "30"])),
        "sick": draw(st.sampled_from(["", "0", "4"])),
        "non_billable": draw(st.sampled_from(["", "20", "45"])),
        "expenses": draw(st.sampled_from(["", "2000"])),
        "target": draw(st.sampled_from(["30000", "45000"])),
        "channel": draw(st.sampled_from(["", "direct", "malt"])),
        "clients": draw(st.sampled_from(["", "A:600:40", "A:600:40, B:500:20"])),
    }


def guided(a: dict[str, Any]) -> dict[str, list[Any]]:
    """Return the fake asker's answers by question for the drawn answers."""
    sells = a["channel"] == "" and a["clients"] == ""
    out: dict[str, list[Any]] = {
        prompts.ROLE_Q: [a["role"]],
        prompts.YEARS_Q: [a["years"]],
        prompts.REGION_Q: [a["region"]],
        prompts.SKILLS_Q: [a["skills"]],
        prompts.RATE_Q: [a["rate"]],
        prompts.FLOOR_Q: [True],
        prompts.STATUS_Q: [a["status"]],
        prompts.WEEK_Q: [a["week"]],
        prompts.HOLIDAYS_Q: [a["holidays"]],
        prompts.SICK_Q: [a["sick"]],
        prompts.NON_BILLABLE_Q: [a["non_billable"]],
        prompts.EXPENSES_Q: [a["expenses"]],
        prompts.HOUSEHOLD_Q: ["single"],
        prompts.CHILDREN_Q: [""],
        prompts.VL_Q: [False],
        prompts.SASU_SHARE_Q: [""],
        prompts.DIVIDEND_TAX_Q: ["pfu"],
        prompts.TARGET_Q: [a["target"]],
        prompts.SELL_DIRECT_Q: [sells],
        prompts.CHANNEL_Q: [a["channel"] or "direct"],
        prompts.MONTHS_Q: [""],
        prompts.CLIENTS_Q: [a["clients"]],
        prompts.DETAILS_Q: [False],
        prompts.SAVE_Q: [False],
    }
    return out


def flags(a: dict[str, Any]) -> list[str]:
    """Return the command line that gives the same inputs as the drawn answers."""
    argv = ["quote", "--role", a["role"], "--years", a["years"], "--region", a["region"]]
    for skill in a["skills"]:
        argv += ["--skill", skill]
    if a["rate"]:
        argv += ["--rate", a["rate"]]
    argv += ["--status", a["status"], "--target-net", a["target"]]
    argv += ["--household", "single"]
    for key, flag in (
        ("week", "--days-per-week"),
        ("holidays", "--holidays"),
        ("sick", "--sick"),
        ("non_billable", "--non-billable"),
        ("expenses", "--expenses"),
    ):
        if a[key]:
            argv += [flag, a[key]]
    if a["status"] == "sasu":
        argv += ["--dividend-tax", "pfu"]
    if a["channel"] or a["clients"]:
        argv += ["--channel", a["channel"] or "direct"]
    for client in filter(None, (c.strip() for c in a["clients"].split(","))):
        argv += ["--client", client]
    return [*argv, "--json"]


def priced(runner, monkeypatch, argv: list[str]) -> tuple[Any, ...] | str:
    """Run tjm and return what it priced: the inputs, income and sales sides, and the days
    breakdown; or the error it printed."""
    seen: list[tuple[Any, ...]] = []
    price = api.price

    def record(kind, inputs, income, sales, *rest):
        seen.append((inputs, income, sales))
        return price(kind, inputs, income, sales, *rest)

    monkeypatch.setattr(api, "price", record)
    result = runner.invoke(app, argv)
    if result.exit_code != 0:
        return result.stderr.strip() or repr(result.exception)
    inputs, income, sales = seen[0]
    # The income side as the floor works from it (defaults applied): a default kept (left
    # unset) and the same default typed are the same year.
    from tjm.clock import today
    from tjm.dataset.load import load_dataset
    from tjm.france.income import prepare

    situation, _warnings = prepare(income, load_dataset().billable_days, today())
    return inputs, situation, sales, api.billable_days(income)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(a=answers())
def test_guided_answers_price_what_the_flags_price(a, runner, terminal, monkeypatch):
    """For any answers, the questions build the inputs the equivalent flags build: the same
    role, years, income side (days a week and days off included), sales side and billable
    days; an answer refused by a question is refused by its flag too."""
    fake = terminal(guided(a))
    asked = priced(runner, monkeypatch, ["quote"])
    if isinstance(asked, str):
        assert fake.rejected, asked  # a question refused it, and kept asking
        return
    assert fake.rejected == [] or all(k == prompts.CLIENTS_Q for k, *_ in fake.rejected)
    if fake.rejected:
        return  # clients the year cannot hold: refused in place, asked again
    assert priced(runner, monkeypatch, flags(a)) == asked


def test_a_four_day_week_scales_the_offered_days_off(terminal, runner, monkeypatch):
    """At 4 days a week the days off offered are 4/5 of the model's, and keeping them gives
    the billable days --days-per-week 4 gives (143.2), not 128.4."""
    a = {
        "role": "data-scientist",
        "years": "5",
        "region": "other-city",
        "skills": [],
        "rate": "",
        "status": "sasu",
        "week": "4",
        "holidays": "",
        "sick": "",
        "non_billable": "",
        "expenses": "",
        "target": "45000",
        "channel": "malt",
        "clients": "A:600:100, B:500:40",
    }
    fake = terminal(guided(a))
    asked = priced(runner, monkeypatch, ["quote"])
    assert not isinstance(asked, str), asked
    assert asked[3] == pytest.approx(253 * 4 / FULL_WEEK - (25 + 4 + 45) * 4 / FULL_WEEK)
    assert asked[3] == pytest.approx(143.2)
    assert fake.defaults[prompts.HOLIDAYS_Q] == "20"
    assert fake.asked.index(prompts.WEEK_Q) < fake.asked.index(prompts.HOLIDAYS_Q)
    assert priced(runner, monkeypatch, flags(a)) == asked


def test_the_clients_question_names_no_flag(terminal, runner):
    """Clients that the year cannot hold are refused at their question, in words that name
    no flag, and the question is asked again."""
    answers = guided(
        {
            "role": "data-scientist",
            "years": "5",
            "region": "idf",
            "skills": [],
            "rate": "",
            "status": "micro-bnc",
            "week": "4",
            "holidays": "",
            "sick": "",
            "non_billable": "",
            "expenses": "",
            "target": "40000",
            "channel": "direct",
            "clients": "A:600:100, B:500:40",
        }
    )
    answers[prompts.CLIENTS_Q] = ["A:600:100, B:500:60", "A:600:100"]
    fake = terminal(answers)
    result = runner.invoke(app, ["quote"])
    assert result.exit_code == 0, result.stderr
    [(key, _text, reason)] = fake.rejected
    assert key == prompts.CLIENTS_Q
    assert "160 days sold exceed the 143.2 billable days" in reason
    assert "--" not in reason


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_guided_malt_quote_with_two_clients_fits_one_screen(
    language, runner, terminal, monkeypatch
):
    """The guided quote of a freelancer on Malt with two clients answers in at most 40 lines
    on a 100-column terminal, in English and in French, no line wider than the terminal."""
    from rich.cells import cell_len
    from rich.console import Console

    from tjm import i18n
    from tjm.cli import output

    a = {
        "role": "data-scientist",
        "years": "5",
        "region": "other-city",
        "skills": ["nlp", "rag"],
        "rate": "550",
        "status": "micro-bnc",
        "week": "",
        "holidays": "",
        "sick": "",
        "non_billable": "",
        "expenses": "",
        "target": "45000",
        "channel": "malt",
        "clients": "A:600:120, B:520:40",
    }
    monkeypatch.setattr(
        output, "make_console", lambda: Console(width=100, color_system=None, soft_wrap=True)
    )
    monkeypatch.setenv("TJM_LANG", language)
    try:
        terminal(guided(a))
        result = runner.invoke(app, ["quote"])
    finally:
        i18n.activate("en")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert 20 <= len(lines) <= 40, len(lines)
    assert all(cell_len(line) <= 100 for line in lines)
    assert "Malt" in result.stdout
    assert "A 600" in result.stdout
