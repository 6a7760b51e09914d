"""The audit trail: the repository's history read in one ``git log`` pass.

A commit made by gktrack carries trailers (action, task, unit, date); any other commit that
touches a plan file or the registry is a hand edit and is reported as such.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gktrack import git
from gktrack.repo import PLANS_DIR, Repository
from gktrack.units import REGISTRY_FILE

_RS, _FS = "\x1e", "\x1f"
_FORMAT = f"{_RS}%H{_FS}%an{_FS}%ae{_FS}%aI{_FS}%cI{_FS}%B{_FS}"

ACTION_LABELS = {
    "init": "初始化", "new-plan": "新建计划", "import": "导入计划", "add-section": "新增章节",
    "add": "新增任务", "assign": "分派", "unassign": "取消分派", "progress": "记录进展",
    "close": "关闭", "reopen": "重新打开", "undo": "撤销", "edit": "手工修改(已检查)",
    None: "手工修改",
}


@dataclass
class Commit:
    sha: str
    author: str
    email: str
    authored: dt.datetime
    committed: dt.datetime
    message: str
    files: list[str] = field(default_factory=list)
    trailers: dict[str, str] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        return self.message.strip().splitlines()[0] if self.message.strip() else ""

    @property
    def action(self) -> str | None:
        return self.trailers.get(git.TRAILER_ACTION)

    @property
    def task(self) -> str | None:
        return self.trailers.get(git.TRAILER_TASK)

    @property
    def is_hand_edit(self) -> bool:
        return self.action is None or self.action == "edit"

    def to_json(self) -> dict:
        return {
            "commit": self.sha, "author": self.author, "email": self.email,
            "date": self.authored.isoformat(), "committed": self.committed.isoformat(),
            "summary": self.summary, "action": self.action, "task": self.task,
            "units": [u for u in self.trailers.get(git.TRAILER_UNIT, "").split(",") if u],
            "recorded_date": self.trailers.get(git.TRAILER_DATE),
            "files": self.files, "hand_edit": self.is_hand_edit,
        }


def read_log(repo: Repository, *, rev: str = "HEAD", paths: list[str] | None = None,
             since: str | None = None, until: str | None = None) -> list[Commit]:
    """Commits touching plans/ or units.yaml (newest first), one git process for all of them."""
    if git.head(repo.root) is None:
        return []
    args = ["log", f"--format={_FORMAT}", "--name-only", "--no-renames", "-z"]
    if since:
        args.append(f"--since={since}")
    if until:
        args.append(f"--until={until}")
    args += [rev, "--", *(paths or [PLANS_DIR, REGISTRY_FILE])]
    out = git.run(repo.root, *args)
    commits = []
    for record in out.split(_RS)[1:]:
        parts = record.split(_FS)
        sha, author, email, authored, committed, message = parts[:6]
        files = [f.strip("\n") for f in _FS.join(parts[6:]).split("\0") if f.strip("\n")]
        commits.append(Commit(
            sha=sha, author=author, email=email, authored=dt.datetime.fromisoformat(authored),
            committed=dt.datetime.fromisoformat(committed), message=message, files=files,
            trailers=git.read_trailers(message),
        ))
    return commits


def task_history(repo: Repository, ref: str) -> list[Commit]:
    """Commits that changed one task: tool commits by trailer, hand edits by content."""
    from gktrack.repo import parse_task_ref

    plan_id, task_id = parse_task_ref(ref)
    rel = f"{PLANS_DIR}/{plan_id}.yaml"
    found = []
    for commit in read_log(repo, paths=[rel]):
        if commit.task == f"{plan_id}/{task_id}":
            found.append(commit)
        elif commit.action in (None, "edit", "import", "new-plan") and _task_changed(repo, commit.sha, rel, task_id):
            found.append(commit)
    return found


def _task_data_at(repo: Repository, rev: str, rel: str, task_id: int):
    from gktrack.errors import GktrackError
    from gktrack.yamlfile import safe_load, strip_lines

    try:
        text = git.run(repo.root, "show", f"{rev}:{rel}")
        data = safe_load(text, rel)
    except GktrackError:
        return None
    for task in (data or {}).get("tasks") or []:
        if isinstance(task, dict) and task.get("id") == task_id:
            return strip_lines(task)
    return None


def _task_changed(repo: Repository, sha: str, rel: str, task_id: int) -> bool:
    return _task_data_at(repo, f"{sha}^", rel, task_id) != _task_data_at(repo, sha, rel, task_id)


# --- the report's reading of history ---------------------------------------------------------
# One `git log` for every commit, with the blob ids of each file it changed, and one
# `git cat-file --batch` process for the few file contents that must be read: the cost grows
# with the number of commits, never with commits times files or processes per commit.

_RAW_FORMAT = f"{_RS}%H{_FS}%P{_FS}%an{_FS}%ae{_FS}%aI{_FS}%cI{_FS}%B{_FS}"
_NULL_SHA = "0" * 40


@dataclass(frozen=True)
class FileChange:
    """One file a commit changed: A(dded), M(odified), D(eleted) or T(ype change)."""

    path: str
    status: str
    old_blob: str | None  # None when the file was added
    new_blob: str | None  # None when the file was deleted


@dataclass
class ChangeCommit(Commit):
    """A commit with its parents and the blobs before and after each file it changed."""

    parents: list[str] = field(default_factory=list)
    changes: list[FileChange] = field(default_factory=list)


def resolve_commit(repo: Repository, rev: str) -> str | None:
    """The full hash of ``rev`` (a hash, branch, tag, HEAD~2…), or None if there is no such commit."""
    if not rev or rev.startswith("-"):
        return None
    out = git.run(repo.root, "rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}", check=False)
    return out.strip() or None


def last_commit_before(repo: Repository, sha: str, when: dt.datetime) -> str | None:
    """The last commit reachable from ``sha`` whose commit date is on or before ``when``."""
    stamp = int(when.timestamp())
    out = git.run(repo.root, "rev-list", "-1", f"--before=@{stamp}", sha, "--")
    return out.strip() or None


def read_log_changes(repo: Repository, sha: str, paths: list[str] | None = None) -> list[ChangeCommit]:
    """Every commit reachable from ``sha`` that touched ``paths``, children first; one git process.

    Merge commits are listed without changes: what they bring in is listed on the commits that
    made it.
    """
    # --topo-order: a child always before its parents, even when clocks were wrong or dates were
    # set by hand, so "the last commit that closed a task" is the first one met.
    args = ["log", f"--format={_RAW_FORMAT}", "--topo-order", "--raw", "--no-abbrev", "--no-renames", "-z", sha,
            "--", *(paths or [PLANS_DIR, REGISTRY_FILE])]
    out = git.run(repo.root, *args)
    commits: list[ChangeCommit] = []
    for record in out.split(_RS)[1:]:
        parts = record.split(_FS)
        sha_, parents, author, email, authored, committed, message = parts[:7]
        tokens = _FS.join(parts[7:]).split("\0")
        changes: list[FileChange] = []
        i = 0
        while i < len(tokens):
            meta = tokens[i].lstrip("\n")
            if meta.startswith(":") and i + 1 < len(tokens):
                # ":100644 100644 <old> <new> M" then the path
                fields = meta[1:].split()
                old, new, status = fields[2], fields[3], fields[4][:1]
                changes.append(FileChange(
                    path=tokens[i + 1], status=status,
                    old_blob=None if old == _NULL_SHA else old,
                    new_blob=None if new == _NULL_SHA else new,
                ))
                i += 2
            else:
                i += 1
        commits.append(ChangeCommit(
            sha=sha_, author=author, email=email, authored=dt.datetime.fromisoformat(authored),
            committed=dt.datetime.fromisoformat(committed), message=message,
            files=[c.path for c in changes], trailers=git.read_trailers(message),
            parents=parents.split(), changes=changes,
        ))
    return commits


def tree_blobs(repo: Repository, sha: str, paths: list[str] | None = None) -> dict[str, str]:
    """Path -> blob id of the files under ``paths`` in commit ``sha``."""
    out = git.run(repo.root, "ls-tree", "-r", "-z", "--full-tree", sha, "--",
                  *(paths or [PLANS_DIR, REGISTRY_FILE]))
    blobs: dict[str, str] = {}
    for entry in out.split("\0"):
        meta, tab, path = entry.partition("\t")
        if tab and meta.split()[1:2] == ["blob"]:
            blobs[path] = meta.split()[2]
    return blobs


class BlobReader:
    """File contents by blob id, from one ``git cat-file --batch`` process asked one at a time.

    Asking and reading in turn keeps both pipes short, so no buffer can fill up and stall.
    """

    def __init__(self, repo: Repository):
        import subprocess

        self._cache: dict[str, bytes | None] = {}
        try:
            self._proc = subprocess.Popen(
                ["git", "-C", str(repo.root), "cat-file", "--batch"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                env=git._env(),
            )
        except FileNotFoundError as exc:
            from gktrack.errors import RepoError

            raise RepoError("找不到 git 命令:请先安装 git") from exc

    def read(self, blob: str) -> bytes | None:
        """The bytes of ``blob`` (a 40-hex id), or None when the repository has no such object."""
        if blob in self._cache:
            return self._cache[blob]
        proc = self._proc
        proc.stdin.write(blob.encode("ascii") + b"\n")
        proc.stdin.flush()
        header = proc.stdout.readline().decode("ascii", "replace").split()
        data: bytes | None = None
        if len(header) == 3 and header[1] != "missing":
            size = int(header[2])
            data = proc.stdout.read(size)
            proc.stdout.read(1)  # the newline after the contents
        self._cache[blob] = data
        return data

    def close(self) -> None:
        if self._proc.stdin and not self._proc.stdin.closed:
            self._proc.stdin.close()
        self._proc.wait()
        if self._proc.stdout:
            self._proc.stdout.close()

    def __enter__(self) -> "BlobReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
