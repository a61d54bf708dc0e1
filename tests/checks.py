"""Assertions shared by the CLI tests."""


def assert_one_error_line(result, code: int, fragment: str) -> None:
    """Assert a failure of `code` printed as one `Error:` line holding `fragment` (plus at most
    a `Try ... --help` hint), with nothing on stdout and no traceback."""
    assert result.exit_code == code, (result.exit_code, result.stderr)
    lines = result.stderr.splitlines()
    assert lines, "nothing on stderr"
    assert lines[0].startswith("Error: "), result.stderr
    assert fragment in lines[0], lines[0]
    assert len(lines) == 1 or (len(lines) == 2 and lines[1].startswith("Try '")), lines
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""
