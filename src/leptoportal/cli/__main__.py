"""``python -m leptoportal.cli`` runs the command-line interface."""

from leptoportal.cli.app import main

main()
