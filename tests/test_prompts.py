"""The guided questions, answered by a fake that replies by question text."""

import datetime as dt
import json

import pytest

from tjm import profiles, prompts
from tjm.benchmarks import dataset_text, load_dataset
from tjm.cli import app
from tjm.clock import today
from tjm.dataset_toml import parse_dataset
from tjm.defaults import defaults
from tjm.fields import Client
from tjm.inputs import Given, IncomeInputs, QuoteInputs, SalesInputs
from tjm.prompts import ask_quote_inputs, ask_save_name

from .fakes import FULL, FakeAsker

# The two questions that name a default, as the packaged data words them.
FALLBACK = defaults(load_dataset(), today())
MARGIN_Q = prompts.MARGIN_Q.format(margin=FALLBACK.margin)
WEEK_Q = prompts.WEEK_Q.format(days_per_week=FALLBACK.days_per_week)


@pytest.fixture
def data():
    return load_dataset()


def test_all_questions_in_order(data):
    """With no flags every pricing question is asked, in the documented order."""
    fake = FakeAsker(FULL)
    inputs = ask_quote_inputs(fake, data, Given(), None)
    assert fake.asked == [
        prompts.ROLE_Q,
        prompts.YEARS_Q,
        prompts.REGION_Q,
        prompts.SKILLS_Q,
        prompts.RATE_Q,
    ]
    assert inputs == QuoteInputs("ai-engineer", 6.0, "idf", ("nlp", "rag"), 600.0)


def test_only_missing_values_are_asked(data):
    """Values the flags gave are not asked again."""
    fake = FakeAsker({prompts.YEARS_Q: ["3"], prompts.SKILLS_Q: [[]], prompts.RATE_Q: [""]})
    inputs = ask_quote_inputs(fake, data, Given(role="data-engineer", region="abroad"), None)
    assert fake.asked == [prompts.YEARS_Q, prompts.SKILLS_Q, prompts.RATE_Q]
    assert inputs == QuoteInputs("data-engineer", 3.0, "abroad", (), None)


def test_skip_rate_and_no_skills(data):
    """An empty rate skips it and no ticked skill gives an empty skill set."""
    answers = {**FULL, prompts.SKILLS_Q: [[]], prompts.RATE_Q: [""]}
    inputs = ask_quote_inputs(FakeAsker(answers), data, Given(), None)
    assert inputs.rate is None
    assert inputs.skills == ()


def test_all_skills(data):
    """Ticking every skill sells them all."""
    answers = {**FULL, prompts.SKILLS_Q: [list(data.skills)]}
    inputs = ask_quote_inputs(FakeAsker(answers), data, Given(), None)
    assert inputs.skills == tuple(sorted(data.skills))


@pytest.mark.parametrize(
    ("question", "bad"),
    [
        (prompts.YEARS_Q, "abc"),
        (prompts.YEARS_Q, "-2"),
        (prompts.YEARS_Q, "200"),
        (prompts.YEARS_Q, "nan"),
        (prompts.RATE_Q, "cheap"),
        (prompts.RATE_Q, "-5"),
    ],
)
def test_bad_answers_are_asked_again(data, question, bad):
    """A bad number is refused in place with a message, and the next answer is taken."""
    answers = {**FULL, question: [bad, *FULL[question]]}
    fake = FakeAsker(answers)
    inputs = ask_quote_inputs(fake, data, Given(), None)
    assert fake.rejected[0][:2] == (question, bad)
    assert isinstance(fake.rejected[0][2], str)
    assert inputs == QuoteInputs("ai-engineer", 6.0, "idf", ("nlp", "rag"), 600.0)


def test_profile_values_are_the_defaults(data):
    """Saved values are offered as the defaults, and Enter keeps them."""
    saved = QuoteInputs("data-scientist", 2.5, "other-city", ("llm",), 420.0)
    answers = {
        prompts.ROLE_Q: ["data-scientist"],
        prompts.YEARS_Q: [""],
        prompts.REGION_Q: ["other-city"],
        prompts.SKILLS_Q: [["llm"]],
        prompts.RATE_Q: [""],
    }
    fake = FakeAsker(answers)
    assert ask_quote_inputs(fake, data, Given(), saved) == saved
    assert fake.defaults == {
        prompts.ROLE_Q: "data-scientist",
        prompts.YEARS_Q: "2.5",
        prompts.REGION_Q: "other-city",
        prompts.SKILLS_Q: ("llm",),
        prompts.RATE_Q: "420",
    }


def test_save_name_paths():
    """Declining saves nothing; a taken name asks to overwrite, and refusing asks again."""
    assert ask_save_name(FakeAsker({prompts.SAVE_Q: [False]}), "x", lambda n: False) is None
    fake = FakeAsker(
        {
            prompts.SAVE_Q: [True, True],
            prompts.NAME_Q: ["taken", "free"],
            prompts.OVERWRITE_Q: [False],
        }
    )
    assert ask_save_name(fake, "x", lambda n: n == "taken") == "free"
    fake = FakeAsker(
        {prompts.SAVE_Q: [True], prompts.NAME_Q: ["taken"], prompts.OVERWRITE_Q: [True]}
    )
    assert ask_save_name(fake, "x", lambda n: True) == "taken"
    fake = FakeAsker({prompts.SAVE_Q: [True, True], prompts.NAME_Q: ["../bad", "ok"]})
    assert ask_save_name(fake, "x", lambda n: False) == "ok"
    assert fake.rejected[0][1] == "../bad"


# ---------------------------------------------------------- through the CLI


def test_wizard_saves_a_profile(runner, terminal, tjm_home):
    """`tjm quote` asks, shows the quote, and saves under the derived default name."""
    fake = terminal(
        {**FULL, prompts.FLOOR_Q: [False], prompts.SAVE_Q: [True], prompts.NAME_Q: [""]}
    )
    result = runner.invoke(app, ["quote"])
    assert result.exit_code == 0, result.stderr
    assert "target" in result.stdout
    assert fake.defaults[prompts.NAME_Q] == "ai-engineer-idf"
    saved = profiles.load("ai-engineer-idf").profile.inputs
    assert saved == QuoteInputs("ai-engineer", 6.0, "idf", ("nlp", "rag"), 600.0)
    assert str(tjm_home / "profiles" / "ai-engineer-idf.toml") in result.stderr


def test_wizard_decline_to_save(runner, terminal, tjm_home):
    """Declining to save writes nothing."""
    terminal({**FULL, prompts.FLOOR_Q: [False], prompts.SAVE_Q: [False]})
    assert runner.invoke(app, ["quote"]).exit_code == 0
    assert not tjm_home.exists()


def test_wizard_refuses_overwrite(runner, terminal, tjm_home):
    """Refusing to overwrite keeps the old profile; declining then saves nothing."""
    profiles.save(
        profiles.Profile("mine", QuoteInputs("data-engineer", 1)), dt.datetime.now(dt.UTC)
    )
    before = (tjm_home / "profiles" / "mine.toml").read_bytes()
    terminal(
        {
            **FULL,
            prompts.FLOOR_Q: [False],
            prompts.SAVE_Q: [True, False],
            prompts.NAME_Q: ["mine"],
            prompts.OVERWRITE_Q: [False],
        }
    )
    assert runner.invoke(app, ["quote"]).exit_code == 0
    assert (tjm_home / "profiles" / "mine.toml").read_bytes() == before


def test_wizard_overwrites_when_confirmed(runner, terminal):
    """Confirming the overwrite replaces the profile with the new answers."""
    terminal(
        {
            **FULL,
            prompts.FLOOR_Q: [False],
            prompts.SAVE_Q: [True],
            prompts.NAME_Q: ["mine"],
            prompts.OVERWRITE_Q: [True],
        }
    )
    profiles.save(
        profiles.Profile("mine", QuoteInputs("data-engineer", 1)), dt.datetime.now(dt.UTC)
    )
    assert runner.invoke(app, ["quote"]).exit_code == 0
    assert profiles.load("mine").profile.inputs.role == "ai-engineer"


def test_wizard_with_profile_offers_its_values(runner, terminal):
    """`tjm quote --profile NAME` on a terminal asks with the saved values as defaults."""
    runner.invoke(
        app,
        ["profile", "save", "me", "--role", "data-scientist", "--years", "2", "--region", "abroad"],
    )
    fake = terminal(
        {
            prompts.ROLE_Q: ["data-scientist"],
            prompts.YEARS_Q: [""],
            prompts.REGION_Q: ["abroad"],
            prompts.SKILLS_Q: [[]],
            prompts.RATE_Q: [""],
            prompts.FLOOR_Q: [False],
            prompts.SELL_Q: [True],
            prompts.SAVE_Q: [False],
        }
    )
    result = runner.invoke(app, ["quote", "--profile", "me"])
    assert result.exit_code == 0, result.stderr
    assert fake.defaults[prompts.ROLE_Q] == "data-scientist"
    assert fake.defaults[prompts.YEARS_Q] == "2"


def test_ctrl_c_exits_130_and_saves_nothing(runner, terminal, tjm_home):
    """Ctrl-C at a question exits 130 with 'Cancelled; nothing was saved.'"""
    terminal({prompts.ROLE_Q: ["ai-engineer"], prompts.YEARS_Q: [KeyboardInterrupt]})
    result = runner.invoke(app, ["quote"])
    assert result.exit_code == 130
    assert result.stderr.strip() == "Cancelled; nothing was saved."
    assert not tjm_home.exists()


def test_json_never_prompts(runner, terminal):
    """--json is scripted: missing values are a usage error even on a terminal."""
    terminal({})
    result = runner.invoke(app, ["quote", "--json"])
    assert result.exit_code == 2
    assert "--role" in result.stderr


def test_flags_skip_the_wizard(runner, terminal):
    """With role and years given, nothing is asked and nothing is saved."""
    fake = terminal({})
    result = runner.invoke(app, ["quote", "--role", "ai-engineer", "--years", "3"])
    assert result.exit_code == 0
    assert fake.asked == []
    assert (
        json.loads(
            runner.invoke(app, ["quote", "--role", "ai-engineer", "--years", "3", "--json"]).stdout
        )["target"]
        > 0
    )


# ------------------------------------------------------------------ how you sell


def test_sell_questions_default_to_direct_five_days_one_client(data):
    """Keeping the first answer means direct, 5 days a week, one client: nothing else asked."""
    fake = FakeAsker({prompts.SELL_Q: [True]})
    sales, income = prompts.ask_sales(fake, SalesInputs(), None, IncomeInputs(), data, today())
    assert fake.asked == [prompts.SELL_Q]
    assert fake.defaults[prompts.SELL_Q] is True
    assert (sales, income) == (SalesInputs(), IncomeInputs())


def test_sell_questions_each_optional(data):
    """Empty answers after choosing a channel leave the margin, the week and the clients unset."""
    fake = FakeAsker(
        {
            prompts.SELL_Q: [False],
            prompts.CHANNEL_Q: ["esn"],
            MARGIN_Q: [""],
            WEEK_Q: [""],
            prompts.CLIENTS_Q: [""],
        }
    )
    sales, income = prompts.ask_sales(fake, SalesInputs(), None, IncomeInputs(), data, today())
    assert sales == SalesInputs(channel="esn")
    assert income.days_per_week is None


def test_sell_questions_refuse_bad_answers_in_place(data):
    """A half-step week and clients who outgrow the billable days are asked again."""
    fake = FakeAsker(
        {
            prompts.SELL_Q: [False],
            prompts.CHANNEL_Q: ["malt"],
            prompts.MONTHS_Q: ["-2", "4"],
            WEEK_Q: ["4.2", "4"],
            prompts.CLIENTS_Q: ["A:600:100, B:500:100", "A:600", "A:600:100, B:500:40"],
        }
    )
    sales, income = prompts.ask_sales(fake, SalesInputs(), None, IncomeInputs(), data, today())
    assert [q for q, _, _ in fake.rejected] == [
        prompts.MONTHS_Q,
        WEEK_Q,
        prompts.CLIENTS_Q,
        prompts.CLIENTS_Q,
    ]
    assert "exceed the 143.2 billable days" in fake.rejected[2][2]
    assert income.days_per_week == 4
    assert sales.months_with_client == 4
    assert [c.name for c in sales.clients] == ["A", "B"]


def test_sell_questions_offer_the_profile_values(data):
    """A profile's channel, months, week and clients are the defaults, kept on Enter."""
    stored = SalesInputs(channel="malt", months_with_client=5, clients=(Client("A", 600, 100),))
    fake = FakeAsker(
        {
            prompts.SELL_Q: [False],
            prompts.CHANNEL_Q: ["malt"],
            prompts.MONTHS_Q: [""],
            WEEK_Q: [""],
            prompts.CLIENTS_Q: [""],
        }
    )
    sales, _ = prompts.ask_sales(
        fake, SalesInputs(), stored, IncomeInputs(days_per_week=4.5), data, today()
    )
    assert fake.defaults[prompts.SELL_Q] is False
    assert fake.defaults[prompts.CHANNEL_Q] == "malt"
    assert fake.defaults[WEEK_Q] == "4.5"
    assert fake.defaults[prompts.CLIENTS_Q] == "A:600:100"
    assert sales == stored


def test_margin_question_names_the_datasets_margin():
    """The ESN margin question's default is the dataset's ESN fee, read at the question: a
    dataset with a 25% fee asks "(empty: 25)"."""
    text = dataset_text()
    esn = '[channels.esn]\nlabel = "ESN / agency"\nfee = 0.20'
    assert esn in text
    changed = parse_dataset(text.replace(esn, esn.replace("0.20", "0.25")))
    questions = {
        prompts.SELL_Q: [False],
        prompts.CHANNEL_Q: ["esn"],
        prompts.MARGIN_Q.format(margin=25): [""],
        WEEK_Q: [""],
        prompts.CLIENTS_Q: [""],
    }
    prompts.ask_sales(FakeAsker(questions), SalesInputs(), None, IncomeInputs(), changed, today())
    assert "(empty: 20)" in MARGIN_Q
