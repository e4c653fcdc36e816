"""``python -m leptoportal`` runs the command-line interface."""

from leptoportal.cli import main

main()
