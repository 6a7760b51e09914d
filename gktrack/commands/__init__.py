"""Command modules. Each has ``register(app, command)``; the order here is the order in --help."""

from gktrack.commands import core, importing, office, overdue

ALL = [core, overdue, importing, office]
