"""gktrack's own environment variables, each read here. A value that cannot be used is a one-line
Chinese error naming the variable, as bad input on the command line is, and never a crash.

- ``GKTRACK_REPO``: the plans repository (else the current folder and its parents, as git does);
- ``GKTRACK_TODAY``: "today" pinned (2024-07-01), for demonstrations and reproducible tests;
- ``GKTRACK_LOCK_TIMEOUT``: seconds to wait for another gktrack working in the same clone;
- ``GKTRACK_SYNC_TIMEOUT``: seconds to wait for the server in ``gktrack sync``;
- ``GKTRACK_NO_CACHE``: set, the index under ``.git/gktrack/`` is not used;
- ``GKTRACK_PUSHER_EMAIL`` (or Gitea's ``GITEA_PUSHER_EMAIL``): who pushed, for the server hook.
"""

from __future__ import annotations

import datetime as dt
import math
import os

from gktrack.errors import InputError

REPO = "GKTRACK_REPO"
TODAY = "GKTRACK_TODAY"
LOCK_TIMEOUT = "GKTRACK_LOCK_TIMEOUT"
SYNC_TIMEOUT = "GKTRACK_SYNC_TIMEOUT"
NO_CACHE = "GKTRACK_NO_CACHE"
PUSHER = ("GKTRACK_PUSHER_EMAIL", "GITEA_PUSHER_EMAIL")


def repo_folder() -> str | None:
    return os.environ.get(REPO) or None


def pinned_today() -> dt.date | None:
    value = os.environ.get(TODAY, "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"环境变量 {TODAY} 的值“{value}”不是日期(应写成 2024-07-01 这样)") from None


def lock_timeout() -> float:
    return _seconds(LOCK_TIMEOUT, 30.0)


def sync_timeout() -> float:
    return _seconds(SYNC_TIMEOUT, 120.0)


def no_cache() -> bool:
    return bool(os.environ.get(NO_CACHE))


def pusher_email() -> str | None:
    """Who pushed, when the server says so (Gitea, or a wrapper setting GKTRACK_PUSHER_EMAIL)."""
    for name in PUSHER:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


def _seconds(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise InputError(f"环境变量 {name} 的值“{value}”不是秒数(应为不小于 0 的数,如 30)")
    return seconds
