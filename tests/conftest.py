"""Shared fixtures: every test gets its own TJM_HOME, so no test touches a real store."""

import pytest
from typer.testing import CliRunner

TODAY = "2026-11-29"  # the day the tests' expected figures were worked out


@pytest.fixture(autouse=True)
def tjm_home(tmp_path, monkeypatch):
    """Point TJM_HOME at a fresh folder and pin TJM_TODAY, for each test."""
    home = tmp_path / "tjm-home"
    monkeypatch.setenv("TJM_HOME", str(home))
    monkeypatch.setenv("TJM_TODAY", TODAY)
    return home


@pytest.fixture(autouse=True)
def english_by_default(monkeypatch):
    """Speak English in every test, whatever the machine's locale, and again after it.

    TJM_LANG pins the CLI's choice; activate pins the process for tests that call the core.
    A test that wants French activates it (or sets TJM_LANG) itself.
    """
    from tjm import i18n

    monkeypatch.setenv("TJM_LANG", "en")
    i18n.activate("en")
    yield
    i18n.activate("en")


@pytest.fixture
def runner():
    """A CliRunner that keeps stdout and stderr apart."""
    return CliRunner()


@pytest.fixture
def terminal(monkeypatch):
    """Make the CLI believe it runs on a terminal, with a fake asker that answers by question."""
    from tests.fakes import FakeAsker
    from tjm.cli import prompts

    def install(answers):
        fake = FakeAsker(answers)
        monkeypatch.setattr(prompts, "make_asker", lambda: fake)
        monkeypatch.setattr(prompts, "can_ask", lambda: True)
        return fake

    return install
