"""Plan files as the report reads them from history, parsed once: ``.git/gktrack/report-cache/``.

The report reads the plan files of a past commit, not the working tree, so the read commands'
cache (``plancache``, one entry per plan for the file on disk) does not fit: here an entry is
keyed by the git blob id of the file's contents, which names those bytes exactly and is known
from ``git ls-tree`` without reading the file. A changed file is a new blob, so nothing is read
stale. Entries not used by the latest report are deleted once there are many more of them than
the report needs. The folder can be deleted at any time; ``GKTRACK_NO_CACHE=1`` turns it off,
and a read-only ``.git`` only costs speed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


VERSION = 1
FOLDER = "report-cache"
# Kept beyond what one report uses: several years' cut-off commits of a city's 200 plans.
SPARE = 2000


class BlobCache:
    """Parsed data by blob id; every method swallows OS errors (a cache only saves time)."""

    def __init__(self, repo) -> None:
        git_dir = repo.root / ".git"
        self.folder: Path | None = None
        if not os.environ.get("GKTRACK_NO_CACHE") and git_dir.is_dir():
            self.folder = git_dir / "gktrack" / FOLDER
        self.used: set[str] = set()
        self.stored = 0

    def get(self, blob: str, kind: str, path: str) -> Any:
        """The payload stored for ``blob`` read as ``kind`` from ``path``, or None."""
        self.used.add(blob)
        if self.folder is None:
            return None
        try:
            with open(self.folder / f"{blob}.json", encoding="utf-8") as handle:
                entry = json.load(handle)
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("v") != VERSION or entry.get("kind") != kind \
                or entry.get("path") != path:
            return None
        return entry.get("data")

    def put(self, blob: str, kind: str, path: str, data: Any) -> None:
        self.used.add(blob)
        if self.folder is None:
            return
        try:
            text = json.dumps({"v": VERSION, "kind": kind, "path": path, "data": data},
                              ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError):
            return  # not plain JSON (a date in the registry, say): parsed again next time
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            entry = self.folder / f"{blob}.json"
            tmp = entry.with_name(f"{blob}.{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, entry)
            self.stored += 1
        except OSError:
            self.folder = None  # read-only: stop trying

    def prune(self) -> None:
        """After storing: drop the entries this report did not use, oldest first, beyond the spare."""
        if self.folder is None or not self.stored:
            return
        try:
            # Only blob entries ("<40 or 64 hex>.json", or a .tmp left by a killed run).
            entries = [e for e in os.scandir(self.folder)
                       if len(e.name.split(".")[0]) in (40, 64) and e.name.endswith((".json", ".tmp"))]
            unused = [e for e in entries if e.name.split(".")[0] not in self.used]
            if len(unused) <= SPARE:
                return
            unused.sort(key=lambda e: e.stat().st_mtime)
            for e in unused[:len(unused) - SPARE]:
                os.unlink(e.path)
        except OSError:
            pass


class HistoryCache:
    """Facts about commits that cannot change, in one small file (``history.json``):

    * what comparing two versions of a plan file found, keyed by path and the two blob ids (a
      report compares the versions around each hand edit, and the same pairs every time);
    * which files a commit without gktrack trailers changed, keyed by the commit id (the one
      ``git diff-tree`` a report would otherwise run for those commits).
    """

    LIMIT = 50_000  # entries; beyond it, those the latest report did not use are dropped

    def __init__(self, repo) -> None:
        self.entries: dict[str, Any] = {}
        self.used: set[str] = set()
        self.changed = False
        self.path: Path | None = None
        if not os.environ.get("GKTRACK_NO_CACHE") and (repo.root / ".git").is_dir():
            self.path = repo.root / ".git" / "gktrack" / FOLDER / "history.json"
            try:
                with open(self.path, encoding="utf-8") as handle:
                    stored = json.load(handle)
                if isinstance(stored, dict) and stored.get("v") == VERSION and isinstance(stored.get("entries"), dict):
                    self.entries = stored["entries"]
            except (OSError, ValueError):
                pass

    def _get(self, key: str) -> Any:
        found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def _put(self, key: str, data: Any) -> None:
        self.entries[key] = data
        self.used.add(key)
        self.changed = True

    @staticmethod
    def diff_key(change) -> str:
        return f"diff:{change.path}:{change.old_blob or ''}:{change.new_blob or ''}"

    def has_diff(self, change) -> bool:
        return self.diff_key(change) in self.entries

    def get_diff(self, change) -> Any:
        return self._get(self.diff_key(change))

    def put_diff(self, change, data: Any) -> None:
        self._put(self.diff_key(change), data)

    def get_changes(self, sha: str, scope: list[str]) -> list | None:
        """[[path, status, old blob, new blob], …] of commit ``sha`` under ``scope``, if known."""
        found = self._get(f"changes:{sha}:{':'.join(scope)}")
        return found if isinstance(found, list) else None

    def put_changes(self, sha: str, scope: list[str], changes: list) -> None:
        self._put(f"changes:{sha}:{':'.join(scope)}", changes)

    def save(self) -> None:
        if self.path is None or not self.changed:
            return
        entries = self.entries
        if len(entries) > self.LIMIT:
            entries = {k: v for k, v in entries.items() if k in self.used}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"history.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"v": VERSION, "entries": entries}, ensure_ascii=False,
                                      separators=(",", ":")), encoding="utf-8")
            os.replace(tmp, self.path)
        except (OSError, TypeError, ValueError):
            pass


class TaskIndex:
    """Which commits changed each task, up to one commit (``tasks.json``), for ``show`` and ``log TASK``.

    Built from the report's reading of history (trailers taken at their word, trailer-less
    commits compared through ``HistoryCache``) and extended with only the new commits when HEAD
    moves forward; rebuilt when HEAD is not a descendant of the indexed commit (a rebase).
    Each entry is ``[seq, sha]``, ``seq`` growing from the oldest commit, so entries from
    several lists merge back into history order. ``check`` holds, per plan file, hand edits
    whose effect on single tasks is not known (a deleted or unparsable version), and ``merges``
    every merge commit: both are checked against the file when a task is shown.
    """

    def __init__(self, repo) -> None:
        self.head: str | None = None
        self.seq = 0
        self.tasks: dict[str, list] = {}
        self.check: dict[str, list] = {}
        self.merges: list = []
        self.changed = False
        self.path: Path | None = None
        if not os.environ.get("GKTRACK_NO_CACHE") and (repo.root / ".git").is_dir():
            self.path = repo.root / ".git" / "gktrack" / FOLDER / "tasks.json"
            try:
                with open(self.path, encoding="utf-8") as handle:
                    stored = json.load(handle)
                if isinstance(stored, dict) and stored.get("v") == VERSION:
                    self.head, self.seq = stored["head"], stored["seq"]
                    self.tasks, self.check, self.merges = stored["tasks"], stored["check"], stored["merges"]
            except (OSError, ValueError, KeyError, TypeError):
                self.reset()

    def reset(self) -> None:
        self.head, self.seq, self.tasks, self.check, self.merges = None, 0, {}, {}, []
        self.changed = True

    def add(self, key: str, seq: int, sha: str, table: dict | None = None) -> None:
        entries = (self.tasks if table is None else table).setdefault(key, [])
        if not entries or entries[-1][1] != sha:
            entries.append([seq, sha])
        self.changed = True

    def entries(self, ref: str, path: str) -> list:
        """[seq, sha, needs checking] of the commits that may have changed ``ref``, newest first."""
        found = [[s, h, False] for s, h in self.tasks.get(ref, [])]
        found += [[s, h, True] for s, h in self.check.get(path, []) + self.merges]
        found.sort(key=lambda e: -e[0])
        return found

    def save(self) -> None:
        if self.path is None or not self.changed:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"tasks.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"v": VERSION, "head": self.head, "seq": self.seq, "tasks": self.tasks,
                                       "check": self.check, "merges": self.merges},
                                      ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            os.replace(tmp, self.path)
        except (OSError, TypeError, ValueError):
            pass
