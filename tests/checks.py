"""Assertions shared by the CLI tests."""

import json
from typing import Any


def assert_one_error_line(result, code: int, fragment: str) -> None:
    """Assert a failure of `code` printed as one `Error:` line holding `fragment` (plus at most
    a `Try ... --help` hint) and no traceback; stdout is empty, or with --json the same failure
    as one `tjm.error` object."""
    assert result.exit_code == code, (result.exit_code, result.stderr)
    lines = result.stderr.splitlines()
    assert lines, "nothing on stderr"
    assert lines[0].startswith("Error: "), result.stderr
    assert fragment in lines[0], lines[0]
    assert len(lines) == 1 or (len(lines) == 2 and lines[1].startswith("Try '")), lines
    assert "Traceback" not in result.stderr + result.stdout
    if result.stdout:
        error = json.loads(result.stdout)
        assert error["schema"] == "tjm.error/1", error
        assert error["exit"] == code, error
        assert lines[0] == f"Error: {error['message']}", (lines[0], error)
        assert error["code"], error


def assert_lowest_floor(situation, target: float) -> None:
    """Assert the solved floor is a whole euro whose net meets the target, one euro less not
    (a target out of reach below MAX_FLOOR is skipped: tjm.inputs refuses it first)."""
    from tjm.fields import MAX_FLOOR
    from tjm.france.income import solve_floor, yearly_net

    if yearly_net(situation, MAX_FLOOR).net < target:
        return
    floor = solve_floor(situation, target)
    assert floor.rate == int(floor.rate)
    assert yearly_net(situation, floor.rate).net >= target
    if floor.rate > 0:
        assert yearly_net(situation, floor.rate - 1).net < target


# The JSON fields a language may change (docs/json.md, "Language"); all others are neutral.
PROSE = frozenset({"message", "explanation", "note", "fee_note", "band_source"})


def strip_prose(value: Any) -> Any:
    """Return a JSON value with every prose field (PROSE) blanked, wherever it is nested."""
    if isinstance(value, dict):
        return {k: None if k in PROSE else strip_prose(v) for k, v in value.items()}
    if isinstance(value, list):
        return [strip_prose(v) for v in value]
    return value
