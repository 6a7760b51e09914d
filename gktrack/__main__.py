"""``python -m gktrack``: the same program as the ``gktrack`` command."""

from gktrack.cli.app import main

main()
