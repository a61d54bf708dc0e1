"""The guided questions, answered by a fake that replies by question text."""

import datetime as dt
import json
import re

import pytest
from babel.messages.pofile import read_po

from tjm import i18n
from tjm.cli import app, prompts
from tjm.cli.prompts import ask_quote_inputs, ask_save_name
from tjm.clock import today
from tjm.dataset.load import dataset_text, load_dataset
from tjm.dataset.parse import parse_dataset
from tjm.defaults import defaults
from tjm.fields import Client
from tjm.inputs import Given, IncomeInputs, QuoteInputs, SalesInputs
from tjm.store import profiles

from .fakes import FULL, FakeAsker
from .test_i18n import PO

MARGIN_Q, WEEK_Q = prompts.MARGIN_Q, prompts.WEEK_Q


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
            prompts.DETAILS_Q: [False],
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


def test_margin_question_names_the_datasets_margin(data):
    """The ESN margin question's default is the dataset's ESN fee, read at the question: a
    dataset with a 25% fee asks "(empty: 25)"."""
    text = dataset_text()
    esn = '[channels.esn]\nlabel = "ESN / agency"\nfee = 0.20'
    assert esn in text
    changed = parse_dataset(text.replace(esn, esn.replace("0.20", "0.25")))
    questions = {
        prompts.SELL_Q: [False],
        prompts.CHANNEL_Q: ["esn"],
        MARGIN_Q: [""],
        WEEK_Q: [""],
        prompts.CLIENTS_Q: [""],
    }
    for dataset, shown in ((changed, "(empty: 25)"), (data, "(empty: 20)")):
        fake = FakeAsker(questions)
        prompts.ask_sales(fake, SalesInputs(), None, IncomeInputs(), dataset, today())
        assert shown in fake.shown[MARGIN_Q]
    assert "(empty: 5)" in fake.shown[WEEK_Q]
    assert defaults(data, today()).margin == 20


# ------------------------------------------------------------------ in French

NBSP, NNBSP = "\u00a0", "\u202f"
QUESTIONS = [
    value for name, value in vars(prompts).items() if name.endswith("_Q") and isinstance(value, str)
]
LABELS = [
    *prompts.STATUS_LABELS.values(),
    *prompts.HOUSEHOLD_LABELS.values(),
    *prompts.DIVIDEND_TAX_LABELS.values(),
    *prompts.CHANNEL_LABELS.values(),
]


@pytest.fixture
def french(monkeypatch):
    """Speak French: TJM_LANG for the CLI's own choice, and activated for direct calls."""
    monkeypatch.setenv("TJM_LANG", "fr")
    i18n.activate("fr")
    yield
    i18n.activate("en")


def test_every_question_is_french(french):
    """Each question has its French, with a no-break space (never a plain one) before ? : ; ! %."""
    assert len(QUESTIONS) >= 30
    for key in QUESTIONS:
        text = prompts.phrase(key, margin="20", days_per_week="5").text
        assert text != key
        assert f"{NBSP}?" in text
        assert re.search(r" [?:;!%]", text) is None, text


def test_every_choice_label_is_french(french):
    """Status, household, dividend and channel labels have their French; a colon takes a
    no-break space before it."""
    translated = [i18n._(label) for label in LABELS]
    assert all(translated)
    assert sum(f != e for f, e in zip(translated, LABELS, strict=True)) >= len(LABELS) - 1
    assert all(re.search(r" [?:;!%]", text) is None for text in translated)
    assert i18n._(prompts.STATUS_LABELS["portage"]) == "Portage salarial"  # its French name


def test_dataset_labels_are_translated(data, french):
    """Every role and region label of the packaged dataset has French in the catalogue (the
    catalogue tool extracts them), so the choices are French; their ids stay as they are."""
    with PO.open("rb") as file:
        catalogue = read_po(file, locale="fr")
    for item in [*data.roles.values(), *data.regions.values()]:
        message = catalogue.get(item.label)
        assert message is not None, item.label
        assert message.string, item.label
    fake = FakeAsker(FULL)
    ask_quote_inputs(fake, data, Given(), None)
    assert ("Ingénieur IA", "ai-engineer") in fake.choices[prompts.ROLE_Q]
    assert ("France (moyenne nationale)", "france") in fake.choices[prompts.REGION_Q]


def test_skill_titles_write_percentages_per_language(data):
    """A skill's growth reads "+12%" in English and "+12 %" in French, with its trend."""
    skill = data.skills["rag"]
    english = prompts.skill_title(data, "rag")
    assert english.startswith("RAG (retrieval-augmented generation) demand +")
    assert f"{skill.demand_growth * 100:+.0f}%" in english
    i18n.activate("fr")
    try:
        french = prompts.skill_title(data, "rag")
    finally:
        i18n.activate("en")
    assert f"demande {skill.demand_growth * 100:+.0f}{NBSP}%" in french
    assert french.endswith("(en tension)" if skill.trend == "scarcer" else "(saturé)")


@pytest.mark.parametrize(
    ("language", "years", "target", "margin"),
    [
        ("en", "2.5", "55000", "(empty: 17.5)"),
        ("fr", "2,5", f"55{NNBSP}000", f"(vide{NBSP}: 17,5)"),
    ],
)
def test_defaults_are_written_per_language(data, language, years, target, margin):
    """Offered answers use the language's decimal mark (and French grouping, which cannot be
    misread); defaults inside a question go through tjm.formats."""
    i18n.activate(language)
    try:
        fake = FakeAsker({**FULL, prompts.YEARS_Q: [""]})
        saved = QuoteInputs("ai-engineer", 2.5, "idf", ("nlp", "rag"), 600.0)
        assert ask_quote_inputs(fake, data, Given(), saved).years == 2.5
        income = FakeAsker({prompts.FLOOR_Q: [True], prompts.TARGET_Q: [""]})
        given = IncomeInputs(
            status="custom", days=200, expenses=0, charges_rate=40, household="single"
        )
        asked = prompts.ask_income(income, given, IncomeInputs(target_net=55000), data, today())
        sales = FakeAsker(
            {
                prompts.SELL_Q: [False],
                prompts.CHANNEL_Q: ["esn"],
                MARGIN_Q: [""],
                prompts.CLIENTS_Q: [""],
            }
        )
        prompts.ask_sales(
            sales, SalesInputs(), None, IncomeInputs(days=200), _margin(0.175), today()
        )
    finally:
        i18n.activate("en")
    assert fake.defaults[prompts.YEARS_Q] == years
    assert income.defaults[prompts.TARGET_Q] == target
    assert asked.target_net == 55000
    assert margin in sales.shown[MARGIN_Q]


def _margin(fee):
    """Return the packaged dataset with the ESN fee set to `fee`."""
    text = dataset_text()
    esn = '[channels.esn]\nlabel = "ESN / agency"\nfee = 0.20'
    return parse_dataset(text.replace(esn, esn.replace("0.20", str(fee))))


FRENCH_ANSWERS = {
    **FULL,
    prompts.YEARS_Q: ["2,5"],
    prompts.FLOOR_Q: [True],
    prompts.STATUS_Q: ["micro-bnc"],
    prompts.WEEK_Q: [""],
    prompts.SELL_DIRECT_Q: [True],
    prompts.HOLIDAYS_Q: [""],
    prompts.SICK_Q: [""],
    prompts.NON_BILLABLE_Q: [""],
    prompts.EXPENSES_Q: ["3 000 €"],
    prompts.HOUSEHOLD_Q: ["couple"],
    prompts.CHILDREN_Q: [""],
    prompts.VL_Q: [False],
    prompts.TARGET_Q: ["55 000"],
    prompts.SAVE_Q: [True],
    prompts.NAME_Q: ["moi"],
}


def test_guided_quote_in_french_through_the_fake(runner, terminal, french):
    """`tjm quote` in French asks the French questions, offers French labels with the same
    ids, and takes French answers: `2,5` years, `55 000` target, `3 000 €` expenses."""
    fake = terminal(FRENCH_ANSWERS)
    result = runner.invoke(app, ["quote"])
    assert result.exit_code == 0, result.stderr
    assert fake.shown[prompts.ROLE_Q] == f"Votre métier{NBSP}?"
    assert fake.shown[prompts.YEARS_Q] == f"Combien d’années d’expérience (de 0 à 50){NBSP}?"
    assert fake.shown[prompts.TARGET_Q].startswith("Quel revenu net annuel visez-vous")
    assert fake.shown[prompts.HOLIDAYS_Q] == f"Combien de jours de congés par an{NBSP}?"
    assert ("Célibataire (1 part)", "single") in fake.choices[prompts.HOUSEHOLD_Q]
    statuses = [prompts.COMPARE, *prompts.STATUS_LABELS]
    assert [i for _, i in fake.choices[prompts.STATUS_Q]] == statuses
    assert fake.rejected == []
    saved = profiles.load("moi").profile
    assert saved.inputs == QuoteInputs("ai-engineer", 2.5, "idf", ("nlp", "rag"), 600.0)
    assert (saved.income.target_net, saved.income.expenses) == (55000, 3000)
    assert saved.income.household == "couple"


def test_french_and_english_runs_agree(runner, terminal, monkeypatch):
    """The same answers, in French conventions or in English ones, save the same profile."""
    answers = {
        **FRENCH_ANSWERS,
        prompts.YEARS_Q: ["2.5"],
        prompts.EXPENSES_Q: ["3000"],
        prompts.TARGET_Q: ["55000"],
        prompts.NAME_Q: ["me"],
    }
    terminal(answers)
    assert runner.invoke(app, ["quote"]).exit_code == 0
    monkeypatch.setenv("TJM_LANG", "fr")
    i18n.activate("fr")
    try:
        terminal(FRENCH_ANSWERS)
        assert runner.invoke(app, ["quote"]).exit_code == 0
    finally:
        i18n.activate("en")
    french, english = profiles.load("moi").profile, profiles.load("me").profile
    assert french._replace(name="me", created=None, updated=None) == english._replace(
        created=None, updated=None
    )


def test_a_refused_answers_reason_is_shown_whole():
    """The toolbar that shows why an answer is refused grows to as many lines as the reason
    needs (prompt_toolkit draws it one line high, cut at the terminal's edge)."""
    import questionary
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.layout.containers import Window
    from prompt_toolkit.output import DummyOutput

    def toolbar(question):
        return next(
            w
            for w in question.application.layout.walk()
            if isinstance(w, Window)
            and "ValidationToolbar" in getattr(getattr(w.content, "text", None), "__qualname__", "")
        )

    with create_pipe_input() as keys:
        plain = questionary.text("x?", validate=lambda t: "no", input=keys, output=DummyOutput())
        assert toolbar(plain).height == 1
        whole = prompts._whole_errors(
            questionary.text("x?", validate=lambda t: "no", input=keys, output=DummyOutput())
        )
        window = toolbar(whole)
    assert window.height is None
    assert window.wrap_lines()


def test_the_status_question_offers_the_comparison(runner, monkeypatch):
    """The guided floor's status question offers every status side by side first: choosing
    it asks the target net, prints the comparison (net, costs, protection), then asks the
    status again; the edge-rule questions (ACRE, the micro ceiling) are asked too."""
    answers = {
        **FULL,
        prompts.SELL_Q: [True],
        prompts.FLOOR_Q: [True],
        prompts.STATUS_Q: [prompts.COMPARE, "micro-bnc"],
        prompts.TARGET_Q: ["50000", "50000"],
        prompts.WEEK_Q: [""],
        prompts.HOLIDAYS_Q: [""],
        prompts.SICK_Q: [""],
        prompts.NON_BILLABLE_Q: [""],
        prompts.EXPENSES_Q: [""],
        prompts.HOUSEHOLD_Q: ["single"],
        prompts.CHILDREN_Q: [""],
        prompts.VL_Q: [False],
        prompts.ACRE_Q: [True],
        prompts.SELL_DIRECT_Q: [True],
        prompts.SAVE_Q: [False],
    }
    fake = FakeAsker(answers)
    monkeypatch.setattr(prompts, "make_asker", lambda: fake)
    monkeypatch.setattr(prompts, "can_ask", lambda: True)
    result = runner.invoke(app, ["quote"])
    assert result.exit_code == 0, result.stderr
    assert "Floor per status" in result.stdout
    assert "quarters" in result.stdout
    assert fake.asked.count(prompts.STATUS_Q) == 2
    assert prompts.ACRE_Q in fake.asked
    assert prompts.OVER_CEILING_Q in fake.asked
    assert "ACRE" in result.stdout
