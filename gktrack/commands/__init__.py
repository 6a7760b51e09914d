"""Command modules. Each has ``register(app, command)``; the order here is the order in --help."""

from gktrack.commands import core, importing, overdue

ALL = [core, overdue, importing]
