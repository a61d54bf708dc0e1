"""tjm data: the user's own observations and missions, kept in $TJM_HOME."""

from __future__ import annotations

from typing import Annotated

import typer

from tjm.cli.helptext import TjmCommand, TjmGroupBase
from tjm.cli.options import JsonFlag
from tjm.cli.output import emit
from tjm.errors import BadFileError
from tjm.i18n import N_, _, ngettext

# Its help is in tjm.cli.commands, with the root's other commands.
data_app = typer.Typer(
    cls=TjmGroupBase,
    no_args_is_help=True,
)


@data_app.command(
    "add",
    cls=TjmCommand,
    help=N_("Add observations or missions from a file; any bad row refuses the whole file."),
)
def data_add(
    file: Annotated[
        str,
        typer.Argument(
            help=N_(
                "A .csv or .toml file of observations (the dataset's fields) or missions "
                "(rate, days, client, date); - reads standard input."
            ),
            metavar="FILE",
        ),
    ],
) -> None:
    """Add observations or missions from a file; any bad row refuses the whole file."""
    from tjm import api

    parsed = api.read_user_import(file)
    for error in parsed.errors:  # each bad row on its own line, as batch reports them
        typer.echo(f"{file}: {error}", err=True)
    if parsed.errors:
        count = len(parsed.errors)
        problem = ngettext(
            "{count} bad row; nothing was added", "{count} bad rows; nothing was added", count
        ).format(count=count)
        raise BadFileError(f"{file}: {problem}")
    if not parsed.observations and not parsed.missions:
        problem = _("no observations or missions in it; nothing was added")
        raise BadFileError(f"{file}: {problem}")
    path, ids = api.add_user_data(parsed)
    typer.echo(_("Added {ids} to {path}").format(ids=", ".join(ids), path=path), err=True)


@data_app.command(
    "list", cls=TjmCommand, help=N_("List your observations and missions with their ids.")
)
def data_list(as_json: JsonFlag = False) -> None:
    """List your observations and missions with their ids."""
    from tjm import api
    from tjm.render import user as render_user

    data, path = api.user_data(), api.user_data_path()
    emit(
        "data-list",
        as_json,
        lambda: render_user.user_data_json(data, path),
        lambda console: render_user.show_user_data(console, data, path),
    )


@data_app.command("remove", cls=TjmCommand, help=N_("Remove one of your observations or missions."))
def data_remove(
    item: Annotated[str, typer.Argument(help=N_("The id `tjm data list` shows."), metavar="ID")],
) -> None:
    """Remove one of your observations or missions."""
    from tjm import api

    path = api.remove_user_data(item)
    typer.echo(_("Removed {id} from {path}").format(id=item, path=path), err=True)
