"""Command modules. Each has ``register(app, command)``; the order here is the order in --help."""

from gktrack.cli.commands import core, importing, office, overdue, report, validate, sync

ALL = [core, overdue, importing, report, validate, office, sync]
