"""Shared fixtures: every test gets its own TJM_HOME, so no test touches a real store."""

import pytest
from typer.testing import CliRunner


@pytest.fixture(autouse=True)
def tjm_home(tmp_path, monkeypatch):
    """Point TJM_HOME at a fresh folder for each test."""
    home = tmp_path / "tjm-home"
    monkeypatch.setenv("TJM_HOME", str(home))
    return home


@pytest.fixture
def runner():
    """A CliRunner that keeps stdout and stderr apart."""
    return CliRunner()
