"""Writing a file so that a crash or power cut leaves the old bytes or the new, never a mix."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from gktrack.errors import RepoError


def atomic_write(path: Path, text: str | bytes) -> None:
    """Write through a temporary file and a rename, each synced to disk before the next step:
    readers, and a power cut, see the old file or the new one, never a mix or nothing."""
    path = Path(path)
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, tmp = _create_temp(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        _replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    sync_dir(path.parent)


def _replace(tmp: str, path: Path) -> None:
    """``os.replace``; on Windows a reader holding the file open (another gktrack, an editor's
    preview) refuses the rename for a moment, so it is tried again for up to two seconds."""
    for wait in (0.01, 0.02, 0.05, 0.1, 0.2, 0.4, 0.5, 0.7, 0):
        try:
            os.replace(tmp, path)
            return
        except PermissionError:
            if os.name != "nt" or not wait:
                raise
            time.sleep(wait)


_temp_serial = 0


def _create_temp(path: Path) -> tuple[int, str]:
    """A new file ``.<name>.<pid>-<n>.tmp`` next to ``path`` (the name the crash journal cleans up
    after a killed writer); the process id keeps writers apart, O_EXCL does the rest."""
    global _temp_serial
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    while True:
        _temp_serial += 1
        tmp = os.path.join(path.parent, f".{path.name}.{os.getpid()}-{_temp_serial}.tmp")
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue  # left by a killed process that had the same id


def sync_dir(folder: Path) -> None:
    """fsync a folder so a rename or unlink in it survives a power cut (POSIX; best effort)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def refuse_link(root: Path, rel: str) -> None:
    """Raise RepoError when ``rel`` under ``root``, or a folder on the way, is a symbolic link:
    writing through it would change a file outside the repository (a link pulled from someone)."""
    path = Path(root)
    for part in Path(rel).parts:
        path = path / part
        if path.is_symlink():
            raise RepoError(f"{path.relative_to(root).as_posix()} 是符号链接,gktrack 不会通过它写入仓库以外的文件;"
                            "请删除该链接(git rm)后重试")


def read_bytes(path: Path) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        return None
