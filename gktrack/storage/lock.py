"""An exclusive lock between processes, with each system's own call: ``fcntl.flock`` on POSIX
(Linux, 统信UOS, 麒麟, macOS), ``msvcrt.locking`` of the lock file's first byte on Windows.

Both belong to the kernel, which releases them when the holder exits however it exits, so a
lock is never left behind. Where neither call exists (a Python built without ``fcntl``), a lock
file created with O_EXCL naming its holder's process id stands in; a file whose holder no longer
runs is taken over. Not the ``filelock`` package: importing it costs as much as everything else
a ``gktrack close`` does (benchmarks/RESULTS.md).
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import Callable


class Busy(Exception):
    """Another process holds the lock."""


def _native() -> tuple[Callable[[int], None], Callable[[int], None]] | None:
    """(try_lock, unlock) for a file descriptor with this system's call, or None if it has none."""
    try:
        import fcntl
    except ImportError:
        pass
    else:
        def try_lock(fd: int) -> None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise Busy from None

        return try_lock, lambda fd: fcntl.flock(fd, fcntl.LOCK_UN)
    try:
        import msvcrt
    except ImportError:
        return None

    def try_lock_windows(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)  # the locked byte is counted from the file position
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:  # EACCES / EDEADLOCK: the byte is locked by another process
            raise Busy from None

    def unlock_windows(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    return try_lock_windows, unlock_windows


def acquire(path: Path, timeout: float) -> Callable[[], None]:
    """Take the lock on ``path`` (created if missing) and return the function that releases it.
    Raises ``Busy`` when another process still holds it after ``timeout`` seconds, and OSError
    when the lock file cannot be made."""
    native = _native()
    if native is None:
        pid_file = path.with_name(path.name + ".pid")
        _wait(lambda: _take_pid_file(pid_file), timeout)
        return lambda: pid_file.unlink(missing_ok=True)
    try_lock, unlock = native
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _wait(lambda: try_lock(fd), timeout)
    except BaseException:
        os.close(fd)
        raise

    def release() -> None:
        try:
            unlock(fd)
        finally:
            os.close(fd)

    return release


def _wait(attempt: Callable[[], None], timeout: float) -> None:
    """``attempt()`` until it does not raise ``Busy``, for up to ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return attempt()
        except Busy:
            if time.monotonic() >= deadline:
                raise
        import random  # only when someone else holds the lock

        time.sleep(0.02 + random.random() * 0.04)


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # on Windows os.kill would end the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: someone else's process
        return True
    return True


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def _take_pid_file(path: Path) -> None:
    """The stand-in: the file exists while a process holds the lock and names that process."""
    while True:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            try:
                text = path.read_text(encoding="ascii").strip()
            except (OSError, UnicodeDecodeError):
                text = ""
            # An empty file is a holder between creating and writing it, unless it has been
            # empty for seconds (the holder died in between).
            if (not _alive(int(text))) if text.isdigit() else _age(path) > 5.0:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                continue
            raise Busy from None
        try:
            os.write(fd, str(os.getpid()).encode("ascii"))
        finally:
            os.close(fd)
        return
