"""Stable codes: every warning, lever and error has one, each is documented in docs/codes.md,
and each kind speaks French as well as English."""

import ast
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import tjm
from tjm import i18n
from tjm.cli import app
from tjm.dataset.load import load_dataset
from tjm.errors import (
    BadRowError,
    DestinationError,
    InputError,
    OutputError,
    RosterError,
    TjmError,
    UsageError,
    flag,
)
from tjm.fields import Client, check_text, check_value, parse_value
from tjm.france.checks import check_income
from tjm.france.income import find_floor, floor_levers, prepare
from tjm.france.rules import pick_year
from tjm.inputs import (
    NO_INCOME,
    IncomeInputs,
    QuoteInputs,
    SalesInputs,
    check_days_sold,
    check_quote,
    check_sales,
)
from tjm.market.observations import load_market, observation_from, source_from
from tjm.market.quote import price_quote
from tjm.notices import Notice
from tjm.sales.channels import channel_view, compare_channels
from tjm.store import profiles
from tjm.store.profile_doc import check_name

ROOT = Path(__file__).parent.parent
SOURCE = ROOT / "src" / "tjm"
DOC = ROOT / "docs" / "codes.md"
TODAY = dt.date(2026, 11, 29)
DAYS = load_dataset().billable_days
DATA = load_dataset()
KEBAB = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
PROFILE = 'schema_version = 3\nname = "p"\n\n[pricing]\nrole = "ai-engineer"\nyears = 4.0\n'

# --- Every code is documented, every documented code exists -----------------------------------


def _strings(node: ast.AST) -> list[str]:
    """Return the string literals a code expression can take (a literal, or either branch)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def source_codes(tree: ast.AST) -> set[str]:
    """Return the codes a module gives: `code = "x"` in a class or on an instance, `code="x"`
    in a call, a `code` parameter's default, the first argument of Notice and Lever, and
    InputError's third argument."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                named = isinstance(target, ast.Name) and target.id == "code"
                if named or (isinstance(target, ast.Attribute) and target.attr == "code"):
                    found.update(_strings(node.value))
        elif isinstance(node, ast.FunctionDef):
            args = node.args.args + node.args.kwonlyargs
            missing = len(node.args.args) - len(node.args.defaults)
            defaults: list[ast.expr | None] = [None] * missing
            defaults += [*node.args.defaults, *node.args.kw_defaults]
            for arg, default in zip(args, defaults, strict=True):
                if arg.arg == "code" and default is not None:
                    found.update(_strings(default))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            for keyword in node.keywords:
                if keyword.arg == "code":
                    found.update(_strings(keyword.value))
            if name in ("Notice", "Lever") and node.args:
                found.update(_strings(node.args[0]))
            if name == "InputError" and len(node.args) >= 3:
                found.update(_strings(node.args[2]))
    return found


def documented_codes(text: str) -> list[str]:
    """Return the codes of docs/codes.md: the first cell of each table row, in backticks."""
    return re.findall(r"^\| `([^`]+)` \|", text, flags=re.MULTILINE)


def all_source_codes() -> set[str]:
    """Return every code src/tjm gives."""
    found: set[str] = set()
    for path in sorted(SOURCE.rglob("*.py")):
        found |= source_codes(ast.parse(path.read_text(encoding="utf-8")))
    return found


def test_every_code_is_documented_and_every_documented_code_exists():
    """docs/codes.md lists exactly the codes in the source, each once, all in kebab-case."""
    documented = documented_codes(DOC.read_text(encoding="utf-8"))
    assert len(documented) == len(set(documented)), "a code is documented twice"
    assert sorted(all_source_codes() - set(documented)) == []  # given but undocumented
    assert sorted(set(documented) - all_source_codes()) == []  # documented but never given
    assert [c for c in documented if not KEBAB.fullmatch(c)] == []


def test_the_code_scan_finds_each_way_of_giving_a_code():
    """The scan finds codes in each form the source uses, and ignores other strings."""
    code = (
        'class E(TjmError):\n    code = "class-default"\n'
        'def f(code="a-default"):\n    pass\n'
        'raise TjmError("m", code="keyword")\n'
        'raise InputError("k", "p", "third-argument" if x else "other-branch")\n'
        'Notice("a-notice", "text")\nLever("a-lever", "text", 1.0)\n'
        'self.code = "on-instance"\nprint("not-a-code")\n'
    )
    assert source_codes(ast.parse(code)) == {
        "class-default",
        "a-default",
        "keyword",
        "third-argument",
        "other-branch",
        "a-notice",
        "a-lever",
        "on-instance",
    }
    assert documented_codes("| code | meaning |\n|---|---|\n| `x-y` | z |\n`not` |") == ["x-y"]


# --- Each kind, triggered, carries its code ----------------------------------------------------

Items = list[Any]  # the Notices, Levers or TjmErrors a trigger produced
Trigger = Callable[[Path, pytest.MonkeyPatch], Items]


def raised(call: Callable[[], object]) -> Items:
    """Return the TjmError that call raises (and fail when it raises none)."""
    try:
        call()
    except TjmError as exc:
        return [exc]
    raise AssertionError("no error was raised")


def floor_warnings(target: float, **income: Any) -> Items:
    return list(find_floor(IncomeInputs(**income), target, DAYS, TODAY).warnings)


def _rows(target: float, **income: Any) -> list[Any]:
    from tjm.france.income import CHOICES, compare_statuses, prepare

    situation, _warnings = prepare(IncomeInputs(**income), DAYS, TODAY)
    return compare_statuses(situation, CHOICES, target_net=target)


def quote_warnings(role: str, years: float, region: str = "france", **kw: Any) -> Items:
    return list(price_quote(QuoteInputs(role, years, region), TODAY, **kw).warnings)


def channel_warnings(channel: str) -> Items:
    rows = compare_channels(DATA, SalesInputs(), NO_INCOME, rate=600, channels=(channel,))
    return list(rows[0].warnings)


def status_levers(status: str, target: float, reference: float, **income: Any) -> Items:
    situation = prepare(IncomeInputs(status=status, **income), DAYS, TODAY)[0]
    return floor_levers(situation, target, reference)


def positioning_levers() -> Items:
    income = IncomeInputs(status="ei", target_net=90_000)
    q = price_quote(QuoteInputs("data-scientist", 3, "other-city"), TODAY, income=income)
    return list(q.levers)


def an_observation(**row: Any) -> Items:
    market = load_market()
    base = {
        "id": "x",
        "source": next(iter(market.sources)),
        "role": "data-scientist",
        "region": "idf",
        "statistic": "mean",
        "value": 500,
        "fee_side": "unknown",
        "grade": "B",
        "quote": "q",
    }
    roles = tuple(load_dataset().roles)
    return raised(lambda: observation_from({**base, **row}, market.sources, roles))


def mismatched_profile(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Items:
    folder = profiles.profiles_dir()
    folder.mkdir(parents=True)
    (folder / "x.toml").write_text(PROFILE)  # its name key says "p"
    return list(profiles.load("x").warnings)


def profile_file(text: str) -> Callable[[Path, pytest.MonkeyPatch], Items]:
    def read(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Items:
        path = tmp / "p.toml"
        path.write_text(text)
        return raised(lambda: profiles.read_profile(path))

    return read


def store_on_a_file(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Items:
    (tmp / "home").write_text("a file, not a folder")
    monkeypatch.setenv("TJM_HOME", str(tmp / "home"))
    return raised(profiles.check_store)


def saved_twice(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Items:
    from tjm.store.profile_doc import Profile

    profile = Profile("p", QuoteInputs("ai-engineer", 4))
    now = dt.datetime(2026, 11, 29, 12, 0)
    profiles.save(profile, now)
    return raised(lambda: profiles.save(profile, now))


def folder_deleted(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Items:
    (profiles.profiles_dir() / "x.toml").mkdir(parents=True)
    return raised(lambda: profiles.delete("x"))


def user_data(text: str) -> Callable[[Path, pytest.MonkeyPatch], Items]:
    from tjm.market.userdata import read_user

    def read(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Items:
        path = tmp / "observations.toml"
        path.write_text(text)
        return raised(lambda: read_user(path))

    return read


def imported(name: str, text: str | None) -> Callable[[Path, pytest.MonkeyPatch], Items]:
    from tjm.market.userdata import read_import

    def read(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Items:
        if text is not None:
            (tmp / name).write_text(text)
        return raised(lambda: read_import(tmp / name))

    return read


def future_mission(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Items:
    from tjm.market.userdata import mission_from

    row = {"rate": 500, "days": 1, "client": "a", "date": "2030-01-01"}
    return raised(lambda: mission_from(row))


def too_big_profile(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Items:
    from tjm.store.profile_doc import Profile

    notes = "n" * (profiles.MAX_BYTES + 1)
    profile = Profile("p", QuoteInputs("ai-engineer", 4), notes=notes)
    return raised(lambda: profiles.save(profile, dt.datetime(2026, 11, 29, 12, 0)))


def full_data_file(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Items:
    from tjm.market import userdata

    monkeypatch.setattr(userdata, "MAX_BYTES", 10)
    return raised(lambda: userdata.write_user(userdata.EMPTY, tmp / "observations.toml"))


def removed(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Items:
    from tjm.market.userdata import remove_user

    return raised(lambda: remove_user("u99"))


def too_early(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Items:
    from tjm.market.model import model_for

    return raised(lambda: model_for(dt.date(2024, 6, 1)))


def bad_today(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Items:
    from tjm.clock import today

    monkeypatch.setenv("TJM_TODAY", "29/11/2026")
    return raised(today)


def only(call: Callable[[], Items]) -> Trigger:
    """Make a trigger of a call that needs no folder or environment."""
    return lambda tmp, monkeypatch: call()


TWO_CLIENTS = (Client("a", 500, 10), Client("a", 600, 10))
WARNINGS: dict[str, Trigger] = {
    "no-nearby-data": only(lambda: quote_warnings("ai-engineer", 5, "abroad")),
    "undated-data": only(lambda: quote_warnings("data-scientist", 5, "abroad")),
    "stale-data": only(
        lambda: list(price_quote(QuoteInputs("ai-engineer", 6), dt.date(2031, 1, 1)).warnings)
    ),
    "thin-data": only(lambda: quote_warnings("ai-engineer", 4)),
    "open-band": only(lambda: quote_warnings("data-scientist", 16)),
    "floor-above-band": only(
        lambda: quote_warnings(
            "data-scientist",
            1,
            "other-city",
            income=IncomeInputs(status="ei", target_net=60_000),
        )
    ),
    "rules-year-fallback": only(lambda: pick_year(None, dt.date(2031, 1, 1))[1]),
    "micro-ceiling": only(lambda: floor_warnings(90_000)),
    "micro-ceiling-lost": only(
        lambda: (
            floor_warnings(90_000, status="ei", over_ceiling_last_year=True)
            + [w for r in _rows(90_000, over_ceiling_last_year=True) for w in r.warnings]
        )
    ),
    "vat-tolerance": only(lambda: floor_warnings(27_000, days=100)),
    "vat-threshold": only(lambda: floor_warnings(50_000)),
    "acre": only(lambda: floor_warnings(50_000, acre=True)),
    "vl-ineligible": only(lambda: floor_warnings(80_000, versement_liberatoire=True)),
    "custom-charges": only(lambda: floor_warnings(50_000, status="custom", charges_rate=45)),
    "income-tax-estimate": only(lambda: floor_warnings(50_000, status="ei")),
    "eurl-dividend-contributions": only(
        lambda: floor_warnings(80_000, status="eurl-is", salary_share=50)
    ),
    "floor-regime-closed": only(lambda: floor_warnings(90_000, over_ceiling_last_year=True)),
    "client-fees-unpublished": only(lambda: channel_warnings("malt")),
    "reduced-fee-later": only(lambda: channel_warnings("malt")),
    "margin-above-target": only(lambda: channel_warnings("esn")),
    "portage-fixed-fees": only(lambda: channel_warnings("portage")),
    "portage-salary-budget": only(lambda: channel_warnings("portage")),
    "band-side-unknown": only(
        lambda: list(
            channel_view(
                DATA, SalesInputs(channel="esn"), NO_INCOME, role="data-scientist", rate=600
            ).warnings
        )
    ),
    "profile-name-mismatch": mismatched_profile,
}
LEVERS: dict[str, Trigger] = {
    "more-days": only(lambda: status_levers("ei", 60_000, 218, days=150)),
    "switch-status": only(lambda: status_levers("portage", 60_000, 179, days=179)),
    "reposition": only(positioning_levers),
}
ERRORS: dict[str, Trigger] = {
    "bad-number": only(lambda: raised(lambda: parse_value("years", "abc"))),
    "out-of-range": only(lambda: raised(lambda: parse_value("years", "51"))),
    "not-whole-number": only(lambda: raised(lambda: parse_value("children", "1.5"))),
    "bad-step": only(lambda: raised(lambda: parse_value("days_per_week", "4.2"))),
    "ambiguous-number": only(lambda: raised(lambda: parse_value("rate", "1,000"))),
    "too-many-decimals": only(lambda: raised(lambda: parse_value("rate", "500.1234"))),
    "bad-choice": only(lambda: raised(lambda: parse_value("status", "sarl"))),
    "bad-boolean": only(lambda: raised(lambda: parse_value("versement_liberatoire", "maybe"))),
    "unknown-year": only(lambda: raised(lambda: parse_value("year", "1999"))),
    "bad-date": only(lambda: raised(lambda: parse_value("as_of", "2026-13-01"))),
    "empty-text": only(lambda: raised(lambda: check_value("id", "  "))),
    "not-utf8": only(lambda: raised(lambda: check_text("clients", "\udcff"))),
    "bad-client": only(lambda: raised(lambda: parse_value("clients", "acme"))),
    "duplicate-client": only(
        lambda: raised(lambda: check_sales(SalesInputs(clients=TWO_CLIENTS), NO_INCOME))
    ),
    "days-oversold": only(lambda: raised(lambda: check_days_sold((Client("a", 500, 300),), 179))),
    "conflicting-flags": only(
        lambda: raised(lambda: check_income(IncomeInputs(days=200, holidays=10), TODAY))
    ),
    "missing-value": only(
        lambda: raised(lambda: check_income(IncomeInputs(status="custom"), TODAY))
    ),
    "status-mismatch": only(
        lambda: raised(lambda: check_income(IncomeInputs(charges_rate=45), TODAY))
    ),
    "channel-mismatch": only(
        lambda: raised(lambda: check_sales(SalesInputs(margin=10), NO_INCOME))
    ),
    "no-billable-days": only(
        lambda: raised(lambda: check_income(IncomeInputs(holidays=200, sick=100), TODAY))
    ),
    "unreachable-target": only(
        lambda: raised(lambda: check_income(IncomeInputs(target_net=9_000_000), TODAY))
    ),
    "unknown-key": only(lambda: an_observation(colour="red")),
    "unknown-source": only(lambda: an_observation(source="nowhere")),
    "bad-url": only(lambda: raised(lambda: source_from("s", {"url": "http://example.org"}))),
    "bad-years-range": only(lambda: an_observation(min_years=5, max_years=3)),
    "unknown-role": only(lambda: raised(lambda: check_quote(QuoteInputs("astronaut", 3)))),
    "unknown-region": only(
        lambda: raised(lambda: check_quote(QuoteInputs("ai-engineer", 3, "mars")))
    ),
    "unknown-skill": only(
        lambda: raised(lambda: check_quote(QuoteInputs("ai-engineer", 3, skills=("cobol",))))
    ),
    "unknown-id": removed,
    "bad-profile-name": only(lambda: raised(lambda: check_name("../x"))),
    "bad-profile": profile_file(PROFILE.replace("4.0", '"four"')),
    "newer-profile": profile_file(PROFILE.replace("schema_version = 3", "schema_version = 99")),
    "profile-not-found": only(lambda: raised(lambda: profiles.load("ghost"))),
    "store-unusable": store_on_a_file,
    "file-exists": saved_twice,
    "not-a-regular-file": folder_deleted,
    "bad-data-file": user_data("not toml ["),
    "newer-data-file": user_data("schema_version = 9\n"),
    "unreadable-file": imported("missing.csv", None),
    "too-few-observations": too_early,
    "bad-import-file": imported("rows.txt", "a,b\n"),
    "future-date": future_mission,
    "profile-too-big": too_big_profile,
    "data-file-full": full_data_file,
}
# Codes that only a class gives, by default, or that only other modules raise: the class's own
# default is what is pinned here.
DEFAULTS: dict[str, Trigger] = {
    "error": only(lambda: [TjmError("x")]),
    "bad-usage": only(lambda: [UsageError("x")]),
    "bad-value": only(lambda: [InputError("k", "x")]),
    "bad-destination": only(lambda: [DestinationError("x")]),
    "bad-roster": only(lambda: [RosterError("x")]),
    "bad-row": only(lambda: [BadRowError("x")]),
    "output-failed": only(lambda: [OutputError("x")]),
    "unknown-parameter": only(lambda: raised(lambda: tjm.quote("ai-engineer", 3, rates=500))),
    "missing-column": only(lambda: raised(lambda: tjm.price_roster([{"role": "ai-engineer"}]))),
    "ragged-columns": only(
        lambda: raised(lambda: tjm.price_roster({"role": ["ai-engineer"], "years": [1, 2]}))
    ),
    "bad-table": only(lambda: raised(lambda: tjm.price_roster("role,years"))),
}
TRIGGERS = {**WARNINGS, **LEVERS, **ERRORS, **DEFAULTS}


def test_every_code_has_a_trigger():
    """Each documented code is exercised below, so none is given by dead code."""
    documented = documented_codes(DOC.read_text(encoding="utf-8"))
    assert sorted(set(documented) - set(TRIGGERS)) == []
    assert sorted(set(TRIGGERS) - set(documented)) == []


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_each_kind_carries_its_code(code, tmp_path, monkeypatch):
    """What triggers a kind of warning, lever or error gives its code and a one-line message."""
    items = TRIGGERS[code](tmp_path, monkeypatch)
    assert code in [item.code for item in items], [item.code for item in items]
    for item in items:
        assert item.message.strip()
        assert "\n" not in item.message
    kinds = {Notice: WARNINGS, TjmError: {**ERRORS, **DEFAULTS}}
    mine = next(item for item in items if item.code == code)
    for kind, table in kinds.items():
        assert isinstance(mine, kind) == (code in table), (code, type(mine))


@pytest.mark.parametrize("code", sorted({**WARNINGS, **LEVERS, **ERRORS}))
def test_each_kind_speaks_french(code, tmp_path, monkeypatch):
    """The same trigger in French gives the same code with a French message, and an error of a
    field still names the field first."""

    def run(language: i18n.Language) -> Any:
        i18n.activate(language)
        folder = tmp_path / language
        monkeypatch.setenv("TJM_HOME", str(folder / "tjm-home"))
        return next(i for i in TRIGGERS[code](folder, monkeypatch) if i.code == code)

    english, french = run("en"), run("fr")
    assert french.message != english.message
    assert type(french) is type(english)
    if isinstance(french, InputError):
        assert french.keys == english.keys
        prefix = ", ".join(flag(k) for k in french.keys)
        assert french.message.startswith(prefix + "\u00a0: "), french.message


@pytest.fixture(autouse=True)
def folders(tmp_path):
    """Give each language's run its own folder for the files a trigger writes."""
    (tmp_path / "en").mkdir()
    (tmp_path / "fr").mkdir()


# --- Bad input in French, through the command line ----------------------------------------------

QUOTE = ["quote", "--role", "ai-engineer", "--years", "5"]
FLOOR = ["floor", "--target-net", "50000"]
NNBSP, NBSP = "\u202f", "\u00a0"
FRENCH_CASES = [
    (
        ["quote", "--role", "ai-engineer", "--years", "51"],
        2,
        f"--years{NBSP}: attendu un nombre de 0 à 50, reçu '51'",
    ),
    (
        ["floor", "--target-net", "-5"],
        2,
        f"--target-net{NBSP}: attendu un nombre de 0 à 10{NNBSP}000{NNBSP}000{NBSP}€, reçu '-5'",
    ),
    (
        [*QUOTE, "--rate", "1,000"],
        2,
        f"--rate{NBSP}: '1,000' est ambigu{NBSP}: 1 avec un séparateur décimal, ou "
        f"1{NNBSP}000 avec un séparateur de milliers{NBSP}; écrivez 1 ou 1000",
    ),
    ([*FLOOR, "--children", "1.5"], 2, f"--children{NBSP}: attendu un nombre entier de 0 à 20"),
    ([*FLOOR, "--status", "sarl"], 2, f"--status{NBSP}: attendu l’une des valeurs micro-bnc,"),
    (
        [*FLOOR, "--charges-rate", "45"],
        2,
        f"--charges-rate, --status{NBSP}: va avec custom, pas avec micro-bnc",
    ),
    (
        [*FLOOR, "--days", "200", "--holidays", "10"],
        2,
        f"--days, --holidays{NBSP}: donnez soit les jours facturables",
    ),
    (
        ["floor", "--target-net", "9000000"],
        2,
        f"--target-net{NBSP}: un net de 9{NNBSP}000{NNBSP}000{NBSP}€ est hors de portée",
    ),
    (["quote", "--role", "astronaut", "--years", "3"], 1, "rôle inconnu 'astronaut'"),
    ([*QUOTE, "--save", "../x"], 2, "nom de profil invalide '../x'"),
]


@pytest.mark.parametrize(("args", "exit_code", "fragment"), FRENCH_CASES)
def test_bad_input_in_french(runner, monkeypatch, args, exit_code, fragment):
    """In French, a bad flag is refused in one French line that still names the flag first
    (right after the CLI's own prefix), with nothing on stdout and no traceback."""
    monkeypatch.setenv("TJM_LANG", "fr")
    i18n.activate("fr")
    result = runner.invoke(app, args)
    assert result.exit_code == exit_code, result.stderr
    lines = result.stderr.splitlines()
    assert lines, "nothing on stderr"
    prefix, _, message = lines[0].partition(": ")
    assert prefix in ("Error", "Erreur\u00a0", "Erreur"), lines[0]
    assert message.startswith(fragment), lines[0]
    assert len(lines) == 1 or (len(lines) == 2 and lines[1].startswith(("Try '", "Essayez"))), lines
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""
