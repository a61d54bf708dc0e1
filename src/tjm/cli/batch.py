"""tjm batch: price a roster CSV."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from tjm.cli.common import AsOfOpt, ForceFlag, NoUserDataFlag, as_of_date, today
from tjm.errors import RosterError, UsageError

PROGRESS_ABOVE = 10_000


def batch(
    roster: Annotated[
        str,
        typer.Argument(
            help="A CSV with one freelancer per row: name, role, "
            "years, region, skills (';'-separated), rate, and "
            "optional income columns."
        ),
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write here instead of "
            "stdout (atomically): a new file, an existing "
            "one with --force, or - for stdout.",
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    strict: Annotated[
        bool, typer.Option("--strict", help="Stop at the first bad row and write nothing.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    force: ForceFlag = False,
    as_of: AsOfOpt = None,
    no_user_data: NoUserDataFlag = False,
) -> None:
    """Price a whole roster: each row gets its target, band, percentile, verdict and floor."""
    import contextlib
    import shutil
    import tempfile
    from pathlib import Path

    from tjm.pricing import model_for
    from tjm.roster.destination import check_output, staged_output
    from tjm.roster.price import price_roster
    from tjm.roster.read import count_lines
    from tjm.userdata import read_user

    when = as_of_date(as_of)
    if fmt not in ("csv", "json"):
        raise UsageError(f"--format: expected csv or json, got {fmt!r}")
    target = None if output is None else check_output(output, force)
    source_path = Path(roster)
    try:
        source = source_path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise RosterError(f"{roster}: {exc.strerror or exc}") from None

    def report(line: int, reason: str) -> None:
        typer.echo(f"{roster}:{line}: {reason}", err=True)

    with contextlib.ExitStack() as stack:
        stack.enter_context(source)
        progress = lambda n: None  # noqa: E731
        if not quiet and sys.stderr.isatty():
            lines = count_lines(source_path)
            if lines > PROGRESS_ABOVE:
                from rich.progress import Progress

                bar = stack.enter_context(Progress(transient=True))
                task = bar.add_task("pricing", total=lines - 1)
                progress = lambda n: bar.update(task, completed=n)  # noqa: E731
        if target is not None:
            out = stack.enter_context(staged_output(target, force))
        else:  # staged too, so that --strict prints nothing when a row is bad
            out = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8", newline=""))
        try:
            model = model_for(when, None if no_user_data else read_user())
            summary = price_roster(
                model, source, out, fmt, strict, when or today(), report, progress, roster
            )
        except UnicodeDecodeError as exc:
            raise RosterError(f"{roster}: not UTF-8 text ({exc.reason})") from None
        if target is None:
            out.seek(0)
            shutil.copyfileobj(out, sys.stdout)
    where = f" to {target}" if target else ""
    typer.echo(
        f"Priced {summary.rows - summary.bad_rows} of {summary.rows} rows{where}; "
        f"{summary.bad_rows} bad.",
        err=True,
    )
