"""Command-line interface of leptoportal: one module per command group, registered
explicitly in :mod:`leptoportal.cli.app`; shared options in :mod:`~._options`, output in
:mod:`~._output`."""

from leptoportal.cli.app import app, main

__all__ = ["app", "main"]
