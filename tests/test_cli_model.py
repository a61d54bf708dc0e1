"""The CLI face of model v2: euro bands and verdicts, compare's floor, levers, sigma and skills."""

import json
import math

import pytest

from tjm.cli import app
from tjm.render.common import glossed

DS = ["--role", "data-scientist", "--years", "1", "--region", "other-city"]


def _json(runner, args):
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_json_band_is_in_whole_euros(runner):
    """quote --json returns P25, P50, P75 and the stretch as whole euros."""
    data = _json(runner, ["quote", "--role", "ai-engineer", "--years", "5", "--skill", "rag"])
    for value in (*(data["band"][k] for k in ("p25", "p50", "p75")), data["stretch"]):
        assert isinstance(value, int)
    assert data["stretch"] == data["band"]["p75"]


@pytest.mark.parametrize("edge", ["p25", "p75"])
def test_compare_at_the_printed_bound_is_in_band(runner, edge):
    """compare at the printed P25 or P75 says in-band; one euro outside does not."""
    band = _json(runner, ["quote", *DS])["band"]
    at = _json(runner, ["compare", str(band[edge]), *DS])
    assert at["verdict"] == "in-band"
    outside = band[edge] - 1 if edge == "p25" else band[edge] + 1
    beyond = _json(runner, ["compare", str(outside), *DS])
    assert beyond["verdict"] == ("under-priced" if edge == "p25" else "premium")
    text = runner.invoke(app, ["compare", str(band[edge]), *DS]).stdout
    assert "in-band" in text
    assert f"{edge.upper()} {band[edge]} EUR" in text


def test_compare_with_target_net_prints_floor_and_its_warnings(runner):
    """compare --target-net prints the floor, its levers and its warnings, as quote does."""
    args = ["compare", "400", *DS, "--target-net", "60000"]
    data = _json(runner, args)
    out = " ".join(runner.invoke(app, [*args, "--details"]).stdout.split())  # unwrapped
    assert f"floor {data['floor']['floor']:.0f} EUR/day" in out
    assert data["floor"]["warnings"]
    for warning in [*data["warnings"], *data["floor"]["warnings"]]:
        # The view glosses a French term at its first mention, whichever warning that is.
        message = warning["message"]
        assert " ".join(message.split()) in out or " ".join(glossed(message, set()).split()) in out
    assert "is above the market's P75" in out
    from tjm.market.quote import LEVER_NAMES

    for lever in data["levers"]:
        assert f"lever {LEVER_NAMES[lever['code']]}: {lever['message']}" in out


def test_levers_are_actions_and_stay_in_france(runner):
    """Every lever's change is an action, and an Île-de-France user is never told to go abroad."""
    data = _json(
        runner,
        [
            "quote",
            "--role",
            "data-scientist",
            "--years",
            "1",
            "--region",
            "idf",
            "--target-net",
            "90000",
        ],
    )
    assert data["levers"]
    for lever in data["levers"]:
        assert lever["message"].split()[0] in {"sell", "work", "bill", "switch"}
        assert "abroad" not in lever["message"]
        assert "outside France" not in lever["message"]


def test_benchmarks_json_records_sigma_curve_and_premiums(runner):
    """benchmarks --json gives the sigma derivation, the flat tail and each skill's premium."""
    data = _json(runner, ["benchmarks"])
    assert 3 <= data["reference_years"] <= 6
    sigma = data["band_sigma_derivation"]
    parts = sigma["parts"]
    assert sigma["result"] == pytest.approx(math.hypot(parts["fit"], parts["range"], parts["tau"]))
    assert sigma["thin"] == pytest.approx(math.hypot(sigma["result"], parts["loso"]))
    assert data["curve"]["held_flat_after_years"] == data["curve"]["last_fitted_years"]
    assert data["curve"]["open_band_from_years"] < data["curve"]["last_fitted_years"]
    premiums = {s["id"]: s["premium"] for s in data["skills"]}
    assert premiums["rag"] > 0
    assert premiums["llm"] == premiums["nlp"] == premiums["computer-vision"] == 0


def test_quote_breakdown_says_crowded(runner):
    """The text quote names a crowded skill and gives it no premium."""
    args = ["quote", "--role", "ai-engineer", "--years", "4", "--skill", "llm", "--details"]
    out = runner.invoke(app, args).stdout
    assert "crowded" in out
    assert "no premium" in out


def test_benchmarks_fit_reports_points_and_each_source_left_out(runner):
    """benchmarks --fit gives each point's error and, per source, the error of a fit without it."""
    data = _json(runner, ["benchmarks", "--fit"])
    assert all("error_pct" in r for r in data["residuals"])
    # The market level misses a source by its own effect; left out, by about as much.
    assert data["leave_one_source_out_mape_pct"] < 100 * data["loso_bound"]
    assert {e["source"] for e in data["source_effects"]} == {
        e["source"] for e in data["leave_one_source_out"]
    }
    assert data["tau_method"] == "DerSimonian-Laird"
    assert data["tau"] > 0
    out = runner.invoke(app, ["benchmarks", "--fit"]).stdout
    for e in data["leave_one_source_out"]:
        shown = "—" if e["error"] is None else f"{e['error']:.1%}"
        assert any(e["source"] in line and shown in line for line in out.splitlines()), e
    flat = " ".join(out.split())  # undo the wrapping
    assert f"leaving one source out: {data['leave_one_source_out_mape_pct']:.2f}%" in flat
