"""Command modules. Each has ``register(app, command)``; the order here is the order in --help.

Every call imports all of them (Typer reads their signatures), so a command imports the feature it
runs (import, report, sync, …) inside its function: a feature is loaded only when its command runs.
"""

from gktrack.cli.commands import core, importing, office, report, sync

ALL = [core, importing, report, office, sync]
