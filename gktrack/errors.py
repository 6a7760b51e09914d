"""One error hierarchy for the whole library.

Every error carries a one-line Chinese message, an optional place (``file:line:column``)
and the exit code the CLI uses. The library raises these and never prints or exits; the
CLI turns them into one line on stderr in exactly one place (``gktrack.cli.app.guarded``).
"""

from __future__ import annotations


class GktrackError(Exception):
    """An expected problem, explained to the user in one Chinese line."""

    exit_code = 1

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text = f"{text}({self.hint})"
        return text


class InputError(GktrackError):
    """A command-line value that cannot be understood (a date, a unit list, an id...)."""

    exit_code = 2


class NotFoundError(GktrackError):
    """An unknown plan, task or unit."""


class PlanFileError(GktrackError):
    """A plan file or the units registry is malformed; ``where`` names file:line:column."""


class RepoError(GktrackError):
    """Not inside a plans repository, git missing, no identity, a failed git command."""


class DirtyError(GktrackError):
    """The file a command must change has uncommitted edits that are not the tool's."""


class PermissionDeniedError(GktrackError):
    """The current person may not make this change (see the people section of units.yaml)."""

    exit_code = 4


class LockTimeoutError(GktrackError):
    """Another gktrack process holds the repository lock for too long."""

    exit_code = 5


class SyncUnavailableError(RepoError):
    """The remote cannot be reached (offline, server down, refused): try again later."""

    exit_code = 6
