"""Crash safety for changes: a journal of the change in flight, and git's own lock files.

``Repository.change`` writes files and then commits them. A process killed in between would
leave written-but-uncommitted files that the next command takes for a hand edit and refuses.
So a change keeps a journal, ``.git/gktrack/journal.json``:

* phase ``write``, on disk before the first byte of any file: the files the change may touch,
  their original bytes, and (``note_write``, before each write) the hash of the bytes written;
* phase ``commit``, once every write is done and checked: the hash of each file's intended
  bytes, the commit message, author, committer and author date;
* removed after the commit.

A change whose block writes only through ``tx.write`` (``staged=True``) knows its new bytes
before writing any: it skips the first entry, writing the ``commit`` one before the first byte.

The next process to take the repository lock calls ``recover`` first. Phase ``write``: each file
that holds bytes the change wrote goes back to its original bytes; a file holding other bytes
(a ``git pull`` after the crash, a hand edit) is left as it is, and the person is told. Phase
``commit``: if the files hold the intended bytes the commit is made now with the recorded
message, identities and date (or the journal is dropped when git made it already). We roll
forward, not back: the user's work is complete and checked, only the bookkeeping is missing. A
staged change whose files hold their original or intended bytes, but not all the intended, was
cut short between its writes: the written ones go back. Files changed since are left to the
dirty check, as the hand edit they are. Every step is idempotent.

Git's own locks: a killed ``git`` leaves ``.git/index.lock`` (or a ref lock) behind, and every
later git command refuses to run. ``settle_git_locks`` removes such a lock only when no live
process holds it (on Linux it looks through /proc for an open handle; elsewhere it waits until
the lock is a minute old, far longer than any git command we run takes).
"""

from __future__ import annotations

import binascii
import contextlib
import datetime as dt
import json
import os
import time
from pathlib import Path
from typing import Any

from gktrack.digest import sha256_hex
from gktrack.errors import RepoError
from gktrack.storage import git
from gktrack.storage.files import atomic_write, read_bytes

JOURNAL = "journal.json"
# gktrack's own lock, in the git folder beside git's *.lock files; unlike theirs, it is a kernel
# lock that a dead process never holds, so it is never stale and never removed.
LOCK_FILE = "gktrack.lock"
# A lock file nobody holds may still be a git process between close() and rename(); that takes
# microseconds, so a second of age is a wide margin.
STALE_AFTER = 1.0
STALE_AFTER_BLIND = 60.0  # without /proc we cannot see holders: only age tells


def _warn(line: str) -> None:
    """A notice on stderr through the "gktrack" logger (imported only when there is one)."""
    import logging

    logging.getLogger("gktrack").warning(line)


def state_dir(root: Path) -> Path:
    """Where gktrack keeps its lock and journal: inside the git folder, never in the work tree."""
    found = git.git_dir(root)
    return found if found is not None else Path(root)


def journal_path(root: Path) -> Path:
    return state_dir(root) / "gktrack" / JOURNAL


def sha256(data: bytes | None) -> str | None:
    return None if data is None else sha256_hex(data)


# --- the journal ---------------------------------------------------------------------------


def write(root: Path, entry: dict[str, Any]) -> None:
    path = journal_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(entry, ensure_ascii=False))


def begin(root: Path, originals: dict[str, bytes | None], summary: str,
          written: dict[str, list] | None = None) -> dict[str, Any]:
    """The phase ``write`` entry (returned, for ``note_write``); ``written``: the hashes noted so
    far, kept when the entry is begun again for one more file."""
    entry = {
        "version": 1,
        "phase": "write",
        "pid": os.getpid(),
        "summary": summary,
        "files": {rel: {"original": _b64(data), "written": list((written or {}).get(rel, []))}
                  for rel, data in originals.items()},
    }
    write(root, entry)
    return entry


def note_write(root: Path, entry: dict[str, Any], rel: str, data: bytes | None) -> None:
    """Before ``rel`` is written with ``data`` (None: removed) in phase ``write``: its hash, so
    recovery undoes these bytes and no others."""
    info = entry["files"].setdefault(rel, {"original": None, "written": []})
    digest = sha256(data)
    if digest not in info.setdefault("written", []):
        info["written"].append(digest)
        write(root, entry)


def written_hashes(entry: dict[str, Any]) -> dict[str, list]:
    """The hashes of the bytes a phase ``write`` entry noted, per file."""
    return {rel: list((info or {}).get("written") or []) for rel, info in _files(entry).items()}


def _files(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry's files (none, in an entry that is not what ``begin`` or ``prepare_commit`` wrote)."""
    files = entry.get("files")
    return files if isinstance(files, dict) else {}


def prepare_commit(root: Path, originals: dict[str, bytes | None], intended: dict[str, bytes | None],
                   message: str, author: Any, committer: Any, author_date: str) -> None:
    write(root, {
        "version": 1,
        "phase": "commit",
        "pid": os.getpid(),
        "summary": message.splitlines()[0] if message else "",
        "files": {rel: {"original": _b64(originals.get(rel)), "intended": sha256(intended[rel])}
                  for rel in intended},
        "message": message,
        "author": [author.name, author.email] if author else None,
        "committer": [committer.name, committer.email] if committer else None,
        "author_date": author_date,
    })


def clear(root: Path) -> None:
    journal_path(root).unlink(missing_ok=True)


def pending(root: Path) -> dict[str, Any] | None:
    """The journal left by an interrupted change, if any (unreadable counts as none)."""
    path = journal_path(root)
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        entry = None
    return entry if isinstance(entry, dict) else {"phase": "broken", "files": {}}


# binascii, what the base64 module calls, without importing base64 on every write.
def _b64(data: bytes | None) -> str | None:
    return None if data is None else binascii.b2a_base64(data, newline=False).decode("ascii")


def _unb64(text: str | None) -> bytes | None:
    return None if text is None else binascii.a2b_base64(text)


def now_git_date() -> str:
    """The author date a commit made now would get (GIT_AUTHOR_DATE wins, as in git)."""
    return os.environ.get("GIT_AUTHOR_DATE") or dt.datetime.now().astimezone().isoformat(timespec="seconds")


# --- recovery ------------------------------------------------------------------------------


def recover(root: Path, timeout: float) -> None:
    """Finish or undo an interrupted change (caller holds the repository lock); what was done is
    said in warnings, one Chinese line each."""
    entry = pending(root)
    if entry is None:
        _remove_temp_files([journal_path(root)])
        return
    # A killed writer's `git add`/`git commit` may still be running: let it finish first.
    settle_git_locks(root, timeout, refs=True)
    files = _files(entry)
    summary = entry.get("summary") or "上次修改"
    if entry.get("phase") == "commit":
        done = _roll_forward(root, entry, files, summary)
    elif entry.get("phase") == "write":
        done = _roll_back(root, files, summary, written_hashes(entry))
    else:
        done = [f"gktrack: 提示:中断记录 {journal_path(root)} 无法读取,已删除"]
    _remove_temp_files([journal_path(root), *(Path(root) / rel for rel in files)])
    clear(root)
    for line in done:
        _warn(line)


def _roll_back(root: Path, files: dict[str, Any], summary: str, ours: dict[str, list | None]) -> list[str]:
    """Put back the original bytes of each file that holds bytes the change wrote (``ours``: the
    hashes of what it wrote, per file); leave any other bytes alone and say so."""
    restored, kept = [], []
    for rel, info in files.items():
        path = Path(root) / rel
        original = _unb64((info or {}).get("original"))
        current = read_bytes(path)
        if current == original:
            continue
        if sha256(current) not in (ours.get(rel) or []):
            kept.append(rel)  # not our bytes: a pull or a person changed it after the crash
            continue
        if original is None:
            path.unlink()
        else:
            atomic_write(path, original)
        restored.append(rel)
    done = []
    if restored:
        done.append(f"gktrack: 提示:上次修改“{summary}”在写入时被中断,已把 {'、'.join(restored)} 还原为修改前的内容")
    if kept:
        done.append(f"gktrack: 提示:上次修改“{summary}”被中断后,{'、'.join(kept)} 已被别的操作(如 git pull 或手工编辑)"
                    "改动,保留了现在的内容,未还原;上次的修改没有生效,如仍需要请重新操作")
    return done


def _roll_forward(root: Path, entry: dict[str, Any], files: dict[str, Any], summary: str) -> list[str]:
    rels = list(files)
    current = {rel: sha256(read_bytes(Path(root) / rel)) for rel in rels}
    intended = {rel: (files[rel] or {}).get("intended") for rel in rels}
    if current != intended:
        originals = {rel: sha256(_unb64((files[rel] or {}).get("original"))) for rel in rels}
        if current == originals:
            return []  # killed before its first write (a staged change writes after this entry)
        if all(current[rel] in (originals[rel], intended[rel]) for rel in rels):
            # Killed between the writes of a staged change: some files new, the rest untouched.
            return _roll_back(root, files, summary, {rel: [intended[rel]] for rel in rels})
        return [f"gktrack: 提示:上次修改“{summary}”在提交前被中断,之后文件又被改动;"
                f"未自动处理,{'、'.join(rels)} 将按手工修改对待"]
    if not git.dirty_paths(root, rels):
        return []  # git finished the commit after its parent died
    author = git.Identity(*entry["author"]) if entry.get("author") else None
    committer = git.Identity(*entry["committer"]) if entry.get("committer") else None
    try:
        commit = commit_with_retry(root, rels, entry.get("message") or summary + "\n", author=author,
                                   committer=committer, date=entry.get("author_date"))
    except RepoError:
        if git.dirty_paths(root, rels):
            raise
        return []  # the killed writer's own `git commit` got there first
    return [f"gktrack: 提示:上次修改“{summary}”在提交前被中断,已补做提交 {commit[:8]}"]


def commit_with_retry(root: Path, rels: list[str], message: str, *, author: Any, committer: Any,
                      date: str | None = None, timeout: float = 30.0, tracked: bool = False) -> str:
    """``git.commit``, waiting out (or clearing stale) git locks and trying again if one was in
    the way: a `git status` run by a person holds ``index.lock`` for a few milliseconds."""
    settle_git_locks(root, timeout)
    attempts = 4
    for attempt in range(attempts):
        try:
            return git.commit(root, rels, message, author=author, committer=committer, date=date,
                              tracked=tracked)
        except RepoError as exc:
            if attempt == attempts - 1 or not _lock_trouble(root, str(exc)):
                raise
            settle_git_locks(root, timeout, refs=True)


def _lock_trouble(root: Path, message: str) -> bool:
    words = (".lock", "remove the file manually", "cannot lock ref", "Unable to create",
             "another git process")
    return any(w in message for w in words) or bool(_lock_files(root, refs=True))


def _remove_temp_files(paths: list[Path]) -> None:
    """Temporary files of atomic writes (``files.atomic_write``) that a killed process left behind."""
    for path in paths:
        try:
            names = os.listdir(path.parent)
        except OSError:
            continue
        for name in names:
            if name.startswith(f".{path.name}.") and name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    (path.parent / name).unlink()


# --- git's lock files ----------------------------------------------------------------------


def _lock_files(root: Path, *, refs: bool = False) -> list[Path]:
    gdir = git.git_dir(root)
    if gdir is None:
        return []
    names = [gdir / "index.lock", gdir / "HEAD.lock", gdir / "packed-refs.lock"]
    try:
        head = (gdir / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        head = ""
    if head.startswith("ref: "):
        names.append(gdir / (head[5:] + ".lock"))
    found = [p for p in names if p.exists()]
    if refs:
        refs_dir = gdir / "refs"
        if refs_dir.is_dir():
            found += [p for p in refs_dir.rglob("*.lock") if p not in found]
        # Pseudo-refs (CHERRY_PICK_HEAD, ORIG_HEAD, REBASE_HEAD…) are locked beside HEAD, and a
        # rebase locks its to-do list: a rebase killed there refuses every --continue after it.
        for folder in (gdir, gdir / "rebase-merge", gdir / "rebase-apply", gdir / "sequencer"):
            found += [p for p in folder.glob("*.lock") if p not in found and p.name != LOCK_FILE]
    return found


def _holders(root: Path, paths: list[Path]) -> set[Path] | None:
    """Those of ``paths`` a live process may be holding (it has them open, or it is a git working
    in this repository: ``git commit`` closes index.lock but keeps it while the editor is open);
    None when that cannot be known."""
    proc = Path("/proc")
    if not (proc / "self" / "fd").is_dir():
        return None
    wanted = {os.path.realpath(p): p for p in paths}
    top = os.path.realpath(root)
    held: set[Path] = set()
    me = str(os.getpid())
    for entry in os.scandir(proc):
        if not entry.name.isdigit() or entry.name == me:
            continue
        base = f"/proc/{entry.name}"
        try:
            comm = Path(f"{base}/comm").read_text().strip()
        except OSError:
            continue
        is_git = comm.startswith("git")
        try:
            if is_git:
                cwd = os.readlink(f"{base}/cwd")
                if cwd == top or cwd.startswith(top + os.sep):
                    return set(paths)
            fds = os.listdir(f"{base}/fd")
        except FileNotFoundError:
            continue
        except PermissionError:
            if is_git:  # someone else's git: assume the worst
                return set(paths)
            continue
        for fd in fds:
            try:
                target = os.readlink(f"{base}/fd/{fd}")
            except OSError:
                continue
            if target in wanted:
                held.add(wanted[target])
    return held


def wait_for_git(root: Path, timeout: float) -> None:
    """Wait while a git process works in this repository: the orphan of a command killed while
    its git ran (a rebase goes on after its parent dies). Where that cannot be seen (no /proc),
    there is nothing to wait for."""
    gdir = git.git_dir(root)
    if gdir is None:
        return
    deadline = time.monotonic() + timeout
    probe = [gdir / "index.lock"]
    while _holders(root, probe) and time.monotonic() < deadline:
        time.sleep(0.05)


def settle_git_locks(root: Path, timeout: float, *, refs: bool = False) -> None:
    """Wait until no git lock file is in the way, removing the ones no process holds; a RepoError
    when a live git keeps one past ``timeout``."""
    deadline = time.monotonic() + timeout
    while locks := _lock_files(root, refs=refs):
        held = _holders(root, locks)
        now = time.time()
        for lock in locks:
            try:
                age = now - lock.stat().st_mtime
            except FileNotFoundError:
                continue
            stale = (lock not in held and age >= STALE_AFTER) if held is not None else age >= STALE_AFTER_BLIND
            if stale:
                try:
                    lock.unlink()
                except (FileNotFoundError, PermissionError):  # gone; or (Windows) held open by a process
                    continue
                _warn(f"gktrack: 提示:已删除被中断的 git 进程留下的锁文件 {lock.name}")
        if time.monotonic() >= deadline:
            left = _lock_files(root, refs=refs)
            if left:
                raise RepoError(
                    f"git 正在使用此仓库({left[0].name} 存在),已等待 {timeout:.0f} 秒;"
                    f"如确认没有 git 在运行,可删除 {left[0]}"
                )
            return
        time.sleep(0.05)
