"""``python -m leptoportal`` runs the command-line interface (Ctrl-C while the libraries load
also ends with one line and status 130)."""

import sys

try:
    from leptoportal.cli import main
except KeyboardInterrupt:
    sys.stderr.write("error: interrupted (Ctrl-C)\n")
    sys.exit(130)

main()
