"""What every command shares: the repository the root options point at."""

from typing import Any

STATE: dict[str, Any] = {"repo": None}


def repository():
    """The plans repository of ``--repo``, $GKTRACK_REPO, or the current folder and its parents."""
    from gktrack.storage.repo import find_repository

    return find_repository(STATE["repo"])
