"""Command-line interface of leptoportal: one module per command group, registered
explicitly in `leptoportal.cli.app`; shared options in `_options`, output in
`_output`."""

from leptoportal.cli.app import app, main

__all__ = ["app", "main"]
