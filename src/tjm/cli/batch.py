"""tjm batch: price a roster CSV."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from tjm.cli.options import AsOfOpt, NoUserDataFlag, OutputOpt, OverwriteFlag, as_of_date
from tjm.errors import InputError, RosterError, labelled
from tjm.i18n import N_, _, ngettext

PROGRESS_ABOVE = 10_000


def batch(
    roster: Annotated[
        str,
        typer.Argument(
            help=N_(
                "A CSV with one freelancer per row: name, role, years, region, skills "
                "(';'-separated), rate, and optional income columns."
            )
        ),
    ],
    output: OutputOpt = None,
    fmt: Annotated[str, typer.Option("--format", help=N_("csv or json."))] = "csv",
    excel: Annotated[
        bool,
        typer.Option(
            "--excel",
            help=N_(
                "CSV for a French spreadsheet: ';' between cells, decimal commas, a BOM "
                "(plain CSV stays the default, for scripts)."
            ),
        ),
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help=N_("Stop at the first bad row and write nothing."))
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help=N_("No progress bar."))] = False,
    force: OverwriteFlag = False,
    as_of: AsOfOpt = None,
    no_user_data: NoUserDataFlag = False,
) -> None:
    """Price a whole roster: each row gets its target, band, percentile, verdict and floor."""
    import contextlib
    import shutil
    import tempfile
    from pathlib import Path

    from tjm import api, files
    from tjm.store.destination import check_output, staged_output

    when = as_of_date(as_of)
    if fmt not in ("csv", "json"):
        problem = _("expected csv or json, got {value}").format(value=repr(fmt))
        raise InputError("format", problem, code="bad-choice")
    if excel and fmt == "json":
        problem = _("goes with CSV, not --format json")
        raise InputError("excel", problem, code="conflicting-flags")
    fmt = "excel" if excel else fmt
    target = None if output is None else check_output(output, force)
    source_path = Path(roster)
    try:
        source = files.open_text(source_path)  # a regular file only: never a FIFO or a device
    except files.Unreadable as exc:
        raise RosterError(labelled(roster, exc.problem)) from None

    def report(line: int, problem: str) -> None:
        typer.echo(labelled(f"{roster}:{line}", problem), err=True)

    with contextlib.ExitStack() as stack:
        stack.enter_context(source)
        progress = lambda n: None  # noqa: E731
        if not quiet and sys.stderr is not None and sys.stderr.isatty():
            lines = api.count_lines(source_path)
            if lines > PROGRESS_ABOVE:
                from rich.progress import Progress

                bar = stack.enter_context(Progress(transient=True))
                task = bar.add_task(_("pricing"), total=lines - 1)
                progress = lambda n: bar.update(task, completed=n)  # noqa: E731
        if target is not None:
            out = stack.enter_context(staged_output(target, force))
        else:  # staged too, so that --strict prints nothing when a row is bad
            out = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8", newline=""))
        try:
            summary = api.price_csv(
                source,
                out,
                fmt,
                strict=strict,
                as_of=when,
                user_data=not no_user_data,
                on_bad_row=report,
                on_progress=progress,
                name=roster,
            )
        except UnicodeDecodeError:
            raise RosterError(labelled(roster, files.not_utf8(source_path))) from None
        if target is None:
            out.seek(0)
            shutil.copyfileobj(out, sys.stdout)
    counts = {"priced": summary.rows - summary.bad_rows, "rows": summary.rows}
    if target:
        done = ngettext(
            "Priced {priced} of {rows} row to {target}; {bad} bad.",
            "Priced {priced} of {rows} rows to {target}; {bad} bad.",
            summary.rows,
        ).format(**counts, target=target, bad=summary.bad_rows)
    else:
        done = ngettext(
            "Priced {priced} of {rows} row; {bad} bad.",
            "Priced {priced} of {rows} rows; {bad} bad.",
            summary.rows,
        ).format(**counts, bad=summary.bad_rows)
    typer.echo(done, err=True)
