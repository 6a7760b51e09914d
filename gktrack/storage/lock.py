"""An exclusive lock between processes, with each system's own call.

* POSIX (Linux, 统信UOS, 麒麟, macOS): ``fcntl.flock`` on the lock file.
* Windows: ``msvcrt.locking`` on the first byte of the lock file.

Both locks belong to the kernel: they are released when the holder exits, however it exits
(kill -9, a crash, a power cut), so a lock is never left behind. Where neither call exists
(a Python built without ``fcntl``), a lock file created with O_EXCL that records its holder's
process id stands in; a file whose holder no longer runs is taken over.

Not the ``filelock`` package: it does the same with the same calls, but importing it costs as much
as everything else a ``gktrack close`` does (benchmarks/RESULTS.md); this module costs nothing.
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


def _pause() -> None:
    import random  # only when someone else holds the lock

    time.sleep(0.02 + random.random() * 0.04)


class FileLock:
    """The lock on ``path`` (created if missing): ``acquire``, then ``release``."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._release: Callable[[], None] | None = None

    def acquire(self, timeout: float) -> None:
        """Raises ``Busy`` when another process still holds the lock after ``timeout`` seconds,
        and OSError when the lock file cannot be made."""
        native = _native()
        if native is None:
            self._release = _take_pid_file(self.path.with_name(self.path.name + ".pid"), timeout)
            return
        try_lock, unlock = native
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    try_lock(fd)
                    break
                except Busy:
                    if time.monotonic() >= deadline:
                        raise
                    _pause()
        except BaseException:
            os.close(fd)
            raise

        def release() -> None:
            try:
                unlock(fd)
            finally:
                os.close(fd)

        self._release = release

    def release(self) -> None:
        release, self._release = self._release, None
        if release is not None:
            release()


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


def _take_pid_file(path: Path, timeout: float) -> Callable[[], None]:
    """The stand-in: the file exists while a process holds the lock and names that process.
    Returns the function that releases it."""
    deadline = time.monotonic() + timeout
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
            if time.monotonic() >= deadline:
                raise Busy from None
            _pause()
            continue
        try:
            os.write(fd, str(os.getpid()).encode("ascii"))
        finally:
            os.close(fd)
        break

    def release() -> None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()

    return release
