"""Profiles: validation, round trips, the atomic store, and every hostile name or file."""

import datetime as dt
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import tomlkit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tjm.errors import DestinationError, ProfileError, StoreError, UsageError
from tjm.fields import STATUSES, Client
from tjm.france.checks import check_income
from tjm.inputs import IncomeInputs, QuoteInputs, SalesInputs
from tjm.store import profile_doc, profiles
from tjm.store.profile_doc import Profile

from .strategies import (
    SPLIT_STATUSES,
    dividend_taxes,
    households,
    regions,
    roles,
    rule_years,
    skill_sets,
)

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
EXAMPLES = sorted(Path(__file__).parent.parent.joinpath("profiles").glob("*.toml"))
PROFILE = Profile("paris", QuoteInputs("ai-engineer", 5, "idf", ("rag",), 550), notes="n")


def test_the_examples_load():
    """The example profiles in profiles/ load and validate, the schema 1 ones through the
    migration and the SASU one at schema 2."""
    loaded = {p.stem: profiles.load(str(p)).profile for p in EXAMPLES}
    assert len(EXAMPLES) == 4
    assert {p.inputs.role for p in loaded.values()} == {
        "ai-engineer",
        "data-scientist",
        "data-engineer",
    }
    assert loaded["paris-ai-engineer-sasu"].income.status == "sasu"
    versions = {tomllib.loads(p.read_text())["schema_version"] for p in EXAMPLES}
    assert versions == {1, 2}


def test_store_location_follows_tjm_home(tjm_home):
    """TJM_HOME/profiles is the store when TJM_HOME is set."""
    assert profiles.profiles_dir() == tjm_home / "profiles"


def test_store_defaults_to_platformdirs(monkeypatch):
    """Without TJM_HOME the store is platformdirs' user data folder."""
    import platformdirs

    monkeypatch.delenv("TJM_HOME")
    assert profiles.profiles_dir() == platformdirs.user_data_path("tjm") / "profiles"


def test_save_then_load(tjm_home):
    """A saved profile loads back equal, stamped with created and updated."""
    path = profiles.save(PROFILE, NOW)
    assert path == tjm_home / "profiles" / "paris.toml"
    loaded = profiles.load("paris").profile
    assert loaded.inputs == PROFILE.inputs
    assert loaded.created == loaded.updated == NOW


def test_missing_store_folder_is_created(tjm_home):
    """The first save creates the store folder."""
    assert not tjm_home.exists()
    profiles.save(PROFILE, NOW)
    assert (tjm_home / "profiles").is_dir()


def test_no_silent_overwrite():
    """Saving over an existing name without overwrite fails and keeps the old file."""
    path = profiles.save(PROFILE, NOW)
    before = path.read_bytes()
    other = Profile("paris", QuoteInputs("data-scientist", 2))
    with pytest.raises(DestinationError, match="exists; pass --force"):
        profiles.save(other, NOW)
    assert path.read_bytes() == before


def test_overwrite_keeps_created():
    """Overwriting keeps the first `created` and moves `updated`."""
    profiles.save(PROFILE, NOW)
    later = NOW + dt.timedelta(days=30)
    profiles.save(Profile("paris", QuoteInputs("data-scientist", 2)), later, overwrite=True)
    loaded = profiles.load("paris").profile
    assert (loaded.created, loaded.updated) == (NOW, later)
    assert loaded.inputs.role == "data-scientist"


@pytest.mark.parametrize(
    "name",
    [
        "../x",
        "a/b",
        "",
        ".hidden",
        "con",
        "nul",
        "lpt1",
        "COM1",
        "Upper",
        "a" * 65,
        "-dash",
        "a b",
        "a\x00b",
        "x.toml",
    ],
)
def test_hostile_names_are_refused(name, tjm_home):
    """Unsafe names raise UsageError and create nothing."""
    with pytest.raises(UsageError, match="invalid profile name"):
        profiles.save(Profile(name, QuoteInputs("ai-engineer", 3)), NOW)
    assert not tjm_home.exists()


def test_failed_write_leaves_old_file_and_no_temp(monkeypatch):
    """An OSError mid-write keeps the old file intact and leaves no temp file behind."""
    path = profiles.save(PROFILE, NOW)
    before = path.read_bytes()

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(StoreError, match="No space left"):
        profiles.save(Profile("paris", QuoteInputs("data-scientist", 2)), NOW, overwrite=True)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["paris.toml"]


def test_read_only_store(monkeypatch):
    """A store that refuses writes gives a StoreError naming the folder."""

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refused)  # the os module tjm.store.atomic uses
    with pytest.raises(StoreError, match=r"cannot write .*Permission denied"):
        profiles.save(PROFILE, NOW)


def test_store_path_is_a_file(tjm_home):
    """TJM_HOME pointing at a file gives a StoreError, not a traceback."""
    tjm_home.parent.mkdir(parents=True, exist_ok=True)
    tjm_home.write_text("not a folder")
    with pytest.raises(StoreError):
        profiles.save(PROFILE, NOW)


GOOD = """schema_version = 1
name = "p"

[pricing]
role = "ai-engineer"
years = 4.0
"""

CORRUPT = [
    ("truncated", GOOD[: GOOD.index("years")] + "years = ", r"not valid TOML.*line 6"),
    ("not TOML", "this is not toml at all", r"not valid TOML"),
    ("empty", "", r"schema_version: expected a whole number"),
    ("years text", GOOD.replace("4.0", '"four"'), r"pricing\.years: expected a number"),
    ("years absurd", GOOD.replace("4.0", "200.0"), r"pricing\.years"),
    ("years nan", GOOD.replace("4.0", "nan"), r"pricing\.years"),
    ("rate negative", GOOD + "rate = -5.0\n", r"pricing\.rate"),
    ("unknown role", GOOD.replace("ai-engineer", "wizard"), r"unknown role 'wizard'"),
    ("skills not a list", GOOD + 'skills = "rag"\n', r"pricing\.skills"),
    ("unknown skill", GOOD + 'skills = ["cobol"]\n', r"unknown skill 'cobol'"),
    ("no pricing", 'schema_version = 1\nname = "p"\n', r"pricing: expected a table"),
    ("bad name", GOOD.replace('name = "p"', 'name = "../p"'), r"name: expected a profile name"),
    ("unknown key", GOOD.replace('name = "p"', 'name = "p"\ncolour = "red"'), r"colour: unknown"),
    ("income status", GOOD + '[income]\nstatus = "ltd"\n', r"income\.status: expected one of"),
    ("income children", GOOD + "[income]\nchildren = 2.5\n", r"income\.children"),
    ("binary", "\udcff", r"not UTF-8 text: byte 0xFF on line 1"),
]


@pytest.mark.parametrize(("case", "text", "message"), CORRUPT, ids=[c[0] for c in CORRUPT])
def test_corrupt_files_are_refused_untouched(tmp_path, case, text, message):
    """A corrupt file gives one ProfileError naming the file, and is left byte for byte."""
    path = tmp_path / "bad.toml"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    before = path.read_bytes()
    with pytest.raises(ProfileError, match=message) as info:
        profiles.load(str(path))
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)
    assert path.read_bytes() == before


def test_newer_schema_is_refused_untouched(tmp_path):
    """A file from a newer tjm is refused with 'written by a newer tjm' and left as it was."""
    path = tmp_path / "new.toml"
    path.write_text(GOOD.replace("schema_version = 1", "schema_version = 99"))
    before = path.read_bytes()
    with pytest.raises(ProfileError, match="written by a newer tjm"):
        profiles.load(str(path))
    assert path.read_bytes() == before


def test_migration_chain_runs_each_step(monkeypatch):
    """migrate() applies one step per version up to the current schema."""
    monkeypatch.setattr(profile_doc, "SCHEMA_VERSION", 3)
    steps = []

    def step(n):
        def upgrade(doc):
            steps.append(n)
            return {**doc, "schema_version": n + 1}

        return upgrade

    monkeypatch.setattr(profile_doc, "MIGRATIONS", {1: step(1), 2: step(2)})
    assert profile_doc.migrate({"schema_version": 1}, "f")["schema_version"] == 3
    assert steps == [1, 2]


def test_a_version_1_file_loads_and_saves_as_the_current_version(tmp_path, tjm_home):
    """A schema 1 file (before the company statuses) loads through MIGRATIONS[1] unchanged
    in meaning, and saving it writes the current schema with the new status options."""
    path = tmp_path / "old.toml"
    path.write_text(GOOD + '\n[income]\nstatus = "portage"\ntarget_net = 40000.0\n')
    before = path.read_bytes()
    old = profiles.load(str(path)).profile
    assert path.read_bytes() == before
    assert (old.income.status, old.income.target_net) == ("portage", 40_000)
    assert profile_doc.MIGRATIONS[1]({"schema_version": 1, "name": "p"}) == {
        "schema_version": 2,
        "name": "p",
    }
    moved = old._replace(
        name="moved",
        income=IncomeInputs(
            status="eurl-is",
            target_net=40_000,
            salary_share=60,
            dividend_tax="bareme",
            capital=5_000,
        ),
    )
    saved = profiles.save(moved, NOW)
    doc = tomllib.loads(saved.read_text())
    assert doc["schema_version"] == profile_doc.SCHEMA_VERSION == 5
    assert profiles.load("moved").profile.income == moved.income


def test_a_version_2_file_migrates_to_3_unchanged(tmp_path):
    """MIGRATIONS[2] (how one sells) only bumps the version: a schema 2 file means the same."""
    assert profile_doc.MIGRATIONS[2](
        {"schema_version": 2, "name": "p", "income": {"days": 150}}
    ) == {
        "schema_version": 3,
        "name": "p",
        "income": {"days": 150},
    }
    path = tmp_path / "v2.toml"
    path.write_text(GOOD.replace("schema_version = 1", "schema_version = 2"))
    assert profiles.load(str(path)).profile.sales == SalesInputs()


def test_missing_profile_name():
    """Loading an unknown name names the store."""
    with pytest.raises(ProfileError, match="no profile named 'ghost'"):
        profiles.load("ghost")


def test_list_skips_unreadable_files(tjm_home):
    """list_profiles returns the good profiles and reports the corrupt ones apart."""
    profiles.save(PROFILE, NOW)
    (tjm_home / "profiles" / "broken.toml").write_text("[[[")
    good, bad = profiles.list_profiles()
    assert [s.profile.name for s in good] == ["paris"]
    assert [p.name for p, _ in bad] == ["broken.toml"]


def test_delete(tjm_home):
    """delete removes the file; deleting again names the missing profile."""
    profiles.save(PROFILE, NOW)
    profiles.delete("paris")
    assert not (tjm_home / "profiles" / "paris.toml").exists()
    with pytest.raises(ProfileError):
        profiles.delete("paris")


def test_written_toml_parses_with_tomlkit():
    """What we write parses with another TOML parser to the same values."""
    full = Profile(
        "full",
        QuoteInputs("data-engineer", 12.5, "abroad", ("llm", "nlp"), 700),
        IncomeInputs(
            status="micro-bnc",
            target_net=50_000,
            household="couple",
            children=2,
            versement_liberatoire=False,
            year=2026,
        ),
        notes='quotes " and \\ and é',
        created=NOW,
        updated=NOW,
    )
    text = profile_doc.dumps(full)
    assert tomlkit.parse(text).unwrap() == tomllib.loads(text)


@st.composite
def _income(draw):
    """Draw income inputs that obey every rule between fields, as a saved profile must."""
    maybe = lambda s: draw(st.none() | s)  # noqa: E731
    status = maybe(st.sampled_from(STATUSES))
    if status == "custom":
        status_options = {"charges_rate": draw(st.floats(0, 99))}
    elif status == "portage":
        status_options = {
            "portage_fee": maybe(st.floats(0, 99)),
            "portage_net": maybe(st.floats(1, 100)),
        }
    elif status in SPLIT_STATUSES:
        status_options = {
            "salary_share": maybe(st.floats(0, 100)),
            "dividend_tax": maybe(dividend_taxes),
        }
        if status == "eurl-is":
            status_options["capital"] = maybe(st.floats(1, 1_000_000))
    elif status in ("ei", "eurl-ir"):
        status_options = {}
    else:
        status_options = {"versement_liberatoire": maybe(st.booleans())}
    if draw(st.booleans()):
        days = {"days": maybe(st.floats(1, 366))}
    elif draw(st.booleans()):  # at most 250 days off in all, so 253 working days leave one
        days = {k: maybe(st.floats(0, 83)) for k in ("holidays", "sick", "non_billable")}
    else:  # a shorter week: at 1 day a week, 50.6 working days, so at most 48 days off
        days = {k: maybe(st.floats(0, 16)) for k in ("holidays", "sick", "non_billable")}
        days["days_per_week"] = draw(st.sampled_from([n / 2 for n in range(2, 11)]))
    return IncomeInputs(
        status=status,
        target_net=maybe(st.floats(0, 20_000)),
        expenses=maybe(st.floats(0, 1_000_000)),
        household=maybe(households),
        children=maybe(st.integers(0, 20)),
        year=maybe(rule_years),
        **days,
        **status_options,
    )


@st.composite
def _sales(draw):
    """Draw sales inputs that obey the rules between fields (no portage channel, which would
    need the portage status)."""
    maybe = lambda s: draw(st.none() | s)  # noqa: E731
    channel = maybe(st.sampled_from(["direct", "malt", "esn"]))
    names = draw(
        st.lists(
            st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1)
            .filter(str.strip)
            .map(str.strip),
            max_size=3,
            unique=True,
        )
    )
    clients = tuple(
        Client(n, draw(st.floats(0.01, 10_000)), draw(st.floats(0.5, 50))) for n in names
    )
    long_mission = draw(st.booleans())
    share = maybe(st.floats(0, 100))
    return SalesInputs(
        channel=channel,
        clients=clients,
        months_with_client=maybe(st.floats(0, 600)) if channel == "malt" else None,
        margin=maybe(st.floats(0, 99)) if channel == "esn" else None,
        long_mission_months=draw(st.floats(1, 600)) if long_mission else None,
        discount=draw(st.floats(0, 99)) if long_mission else None,
        half_day_share=share,
        half_day_rate=None if share is None else maybe(st.floats(1, 10_000)),
    )


def _priceable(income):
    """Keep the inputs whose target some rate reaches (expenses can outrun a few days)."""
    try:
        check_income(income, NOW.date())
    except UsageError:
        return False
    return True


valid_profiles = st.builds(
    Profile,
    name=st.from_regex(profile_doc.NAME_PATTERN, fullmatch=True).filter(
        lambda n: n not in profile_doc.DEVICE_NAMES
    ),
    inputs=st.builds(
        QuoteInputs,
        role=roles,
        years=st.floats(0, 50),
        region=regions,
        skills=skill_sets,
        rate=st.none() | st.floats(0.01, 10_000),
    ),
    income=_income().filter(_priceable),
    sales=_sales(),
    notes=st.text(st.characters(exclude_categories=["Cs"])),
    created=st.just(NOW),
    updated=st.just(NOW),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(valid_profiles)
def test_load_save_round_trip(tjm_home, profile):
    """load(save(p)) == p for any valid profile."""
    profiles.save(profile, NOW, overwrite=True)
    assert profiles.load(profile.name).profile == profile


def _save_in_subprocess(name, role, force):
    args = [sys.executable, "-m", "tjm", "profile", "save", name, "--role", role, "--years", "3"]
    return subprocess.Popen(
        [*args, *(["--force"] if force else [])],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("force", [True, False])
def test_concurrent_saves_leave_one_valid_file(tjm_home, force):
    """Two processes saving one name at once leave one complete, valid profile."""
    procs = [
        _save_in_subprocess("race", role, force) for role in ("ai-engineer", "data-scientist") * 3
    ]
    for proc in procs:
        proc.communicate(timeout=60)
    codes = [proc.returncode for proc in procs]
    loaded = profiles.load("race").profile
    assert loaded.inputs.role in {"ai-engineer", "data-scientist"}
    assert [p.name for p in (tjm_home / "profiles").iterdir()] == ["race.toml"]
    if force:
        assert codes == [0] * 6
    else:
        assert codes.count(0) == 1


def test_numbers_written_as_text_in_a_file_read_as_flags_do(tmp_path):
    """A hand-edited profile may write `"50 000"` or `"2,5"`: read as the flags read them."""
    path = tmp_path / "p.toml"
    path.write_text(
        'schema_version = 2\nname = "p"\n[pricing]\nrole = "ai-engineer"\n'
        'years = "2,5"\n[income]\ntarget_net = "50 000"\nchildren = "2"\n',
        encoding="utf-8",
    )
    profile = profiles.load(str(path)).profile
    assert profile.inputs.years == 2.5
    assert profile.income.target_net == 50_000
    assert profile.income.children == 2
