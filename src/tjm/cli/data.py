"""tjm data: the user's own observations and missions, kept in $TJM_HOME."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tjm.cli.options import JsonFlag
from tjm.cli.output import emit
from tjm.errors import BadFileError

data_app = typer.Typer(
    help="Add, list and remove your own market observations and missions.", no_args_is_help=True
)


@data_app.command("add")
def data_add(
    file: Annotated[
        Path,
        typer.Argument(
            help="A .csv or .toml file of observations (the "
            "dataset's fields) or missions (rate, days, client, "
            "date).",
            metavar="FILE",
        ),
    ],
) -> None:
    """Add observations or missions from a file; any bad row refuses the whole file."""
    from tjm.userdata import add_user, read_import, write_user

    parsed = read_import(file)
    for error in parsed.errors:  # each bad row on its own line, as batch reports them
        typer.echo(f"{file}: {error}", err=True)
    if parsed.errors:
        raise BadFileError(f"{file}: {len(parsed.errors)} bad row(s); nothing was added")
    if not parsed.observations and not parsed.missions:
        raise BadFileError(f"{file}: no observations or missions in it; nothing was added")
    data, ids = add_user(parsed)
    path = write_user(data)
    typer.echo(f"Added {', '.join(ids)} to {path}", err=True)


@data_app.command("list")
def data_list(as_json: JsonFlag = False) -> None:
    """List your observations and missions with their ids."""
    from tjm import render_user
    from tjm.userdata import read_user, user_path

    data, path = read_user(), user_path()
    emit(
        "data-list",
        as_json,
        lambda: render_user.user_data_json(data, path),
        lambda console: render_user.show_user_data(console, data, path),
    )


@data_app.command("remove")
def data_remove(
    item: Annotated[str, typer.Argument(help="The id `tjm data list` shows.", metavar="ID")],
) -> None:
    """Remove one of your observations or missions."""
    from tjm.userdata import remove_user, write_user

    path = write_user(remove_user(item))
    typer.echo(f"Removed {item} from {path}", err=True)
