"""The typer application as a click command, for the generated CLI reference of the docs
(``mkdocs-click``); not imported by the command-line interface itself."""

import typer

from leptoportal.cli.app import app

#: the ``leptoportal`` command with every registered sub-command
command = typer.main.get_command(app)
