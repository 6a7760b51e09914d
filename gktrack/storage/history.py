"""The audit trail: the repository's history read in one ``git log`` pass.

A commit made by gktrack carries trailers (action, task, unit, date); any other commit that
touches a plan file or the registry is a hand edit and is reported as such.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from gktrack.storage import git
from gktrack.storage.repo import PLANS_DIR, Repository
from gktrack.storage.registry import REGISTRY_FILE

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
    return _parse_records(git.run(repo.root, *args))


def _parse_records(out: str, name_only: bool = True) -> list[Commit]:
    commits = []
    for record in out.split(_RS)[1:]:
        parts = record.split(_FS)
        sha, author, email, authored, committed, message = parts[:6]
        files = [f.strip("\n") for f in _FS.join(parts[6:]).split("\0") if f.strip("\n")] if name_only else []
        commits.append(Commit(
            sha=sha, author=author, email=email, authored=dt.datetime.fromisoformat(authored),
            committed=dt.datetime.fromisoformat(committed), message=message, files=files,
            trailers=git.read_trailers(message),
        ))
    return commits


def task_history(repo: Repository, ref: str) -> list[Commit]:
    """Commits that changed one task, newest first: tool commits by trailer, hand edits by content.

    Read from ``reportcache.TaskIndex``, kept up to HEAD with the report's machinery (one
    ``git log`` of the new commits, trailers taken at their word, hand edits compared once and
    remembered by blob ids), then one ``git log --no-walk`` for the few commits found. So a
    warm ``show`` costs neither a walk of the whole history nor a parse of old file versions.
    """
    from gktrack.storage.repo import parse_task_ref
    from gktrack.storage.reportcache import TaskIndex

    plan_id, task_id = parse_task_ref(ref)
    rel = f"{PLANS_DIR}/{plan_id}.yaml"
    head = git.head_after_commit(repo.root) or git.head(repo.root)
    if head is None:
        return []
    index = TaskIndex(repo)
    if index.head != head:
        _update_index(repo, index, head)
        index.save()
    entries = index.entries(f"{plan_id}/{task_id}", rel)
    if not entries:
        return []
    commits = _read_commits(repo, [sha for _, sha, _ in entries], rel)
    return [c for c, (_, sha, check) in zip(commits, entries)
            if not check or _still_changed(repo, c.sha, rel, task_id)]


def _update_index(repo: Repository, index, head: str) -> None:
    """Bring ``index`` up to ``head``: only the new commits when it is a descendant, else all."""
    from gktrack.storage.reportcache import HistoryCache

    rev = head
    if index.head and git.run_full(repo.root, "merge-base", "--is-ancestor", index.head, head).returncode == 0:
        rev = f"{index.head}..{head}"
    else:
        index.reset()
    known = HistoryCache(repo)
    from gktrack.features.report import _trusted_files

    commits = start_log_changes(repo, rev, trust=_trusted_files, known=known)()
    base = index.seq
    compare: list[tuple[int, ChangeCommit]] = []
    for i, commit in enumerate(commits):
        seq = base + len(commits) - i
        if len(commit.parents) > 1:
            index.merges.insert(0, [seq, commit.sha])
            continue
        if commit.task and (commit.trusted or f"{PLANS_DIR}/{commit.task.rpartition('/')[0]}.yaml" in commit.files):
            index.add(commit.task, seq, commit.sha)
        if not commit.trusted and commit.action in _COMPARED and commit.changes:
            compare.append((seq, commit))
    if compare:
        _index_hand_edits(repo, index, compare, known)
        known.save()
    index.head, index.seq, index.changed = head, base + len(commits), True


_COMPARED = (None, "edit", "import", "new-plan")  # actions whose commits are compared with the file


def _index_hand_edits(repo: Repository, index, compare: list, diffs) -> None:
    """Which tasks each hand edit changed, through the report's comparison (cached by blob ids)."""
    from gktrack.features.report import _plan_diff, _plan_id, _summarize, _Versions

    changes = [(seq, commit, change) for seq, commit in compare for change in commit.changes
               if _plan_id(change.path) is not None]
    order = [b for _, _, change in changes if not diffs.has_diff(change)
             for b in (change.old_blob, change.new_blob) if b]
    cache: dict = {}
    with BlobReader(repo) as reader:
        versions = _Versions(reader, order)
        for seq, commit, change in changes:
            plan_id = _plan_id(change.path)
            summary = diffs.get_diff(change)
            if summary is None:
                summary = _summarize(plan_id, change.path, _plan_diff(versions, change, cache))
                diffs.put_diff(change, summary)
            for task_id, *_ in summary["tasks"]:
                index.add(f"{plan_id}/{task_id}", seq, commit.sha)
            if not summary["tasks"] and (change.new_blob is None or change.old_blob is None
                                         or any("无法解析" in d for d in summary["changes"])):
                # a deleted or unparsable version: which tasks changed is decided when shown
                index.add(change.path, seq, commit.sha, index.check)


def _read_commits(repo: Repository, shas: list[str], rel: str) -> list[Commit]:
    """``shas`` in that order, as ``read_log`` lists them for the file ``rel``."""
    out = git.run(repo.root, "log", "--no-walk=unsorted", f"--format={_FORMAT}", *shas, "--")
    commits = _parse_records(out, name_only=False)
    for commit in commits:
        commit.files = [rel]
    return commits


def _still_changed(repo: Repository, sha: str, rel: str, task_id: int) -> bool:
    """For a commit the index could not decide: as ``git log -- rel`` and the file comparison would."""
    def blob(rev: str) -> str | None:
        return git.run(repo.root, "rev-parse", "--verify", "-q", f"{rev}:{rel}", check=False).strip() or None

    mine = blob(sha)
    parents = git.run(repo.root, "rev-parse", f"{sha}^@").split()
    if len(parents) > 1 and any(blob(p) == mine for p in parents):
        return False  # a merge that kept one side's file: git log -- rel does not list it
    return _task_changed(repo, sha, rel, task_id)


def _task_data_at(repo: Repository, rev: str, rel: str, task_id: int):
    from gktrack.errors import GktrackError
    from gktrack.storage.yamlfile import safe_load, strip_lines

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
    # Vouched for by its trailers (see ``read_log_changes``): ``files`` is known, ``changes`` not read.
    trusted: bool = False


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


def read_log_changes(repo: Repository, sha: str, paths: list[str] | None = None, *,
                     trust: Callable[[Commit], list[str] | None] | None = None) -> list[ChangeCommit]:
    """The commits reachable from ``sha``, children first, with what they changed under ``paths``.

    One ``git log`` lists the commits. ``trust`` may vouch for a commit by naming the files it
    changed (a gktrack commit whose trailers say which task it changed): such a commit is taken
    at its word and gets no ``changes``. The changes of all other commits, with the blob ids
    before and after, come from one ``git diff-tree --stdin`` limited to ``paths``: for 10,000
    commits that is a few percent of them, where ``git log --raw`` would diff every one (and
    ``git log -- paths``, which diffs every commit to leave some out, holds ~120 MB of trees).
    So with ``trust`` every commit is listed, and those that changed nothing under ``paths``
    have no changes and no files. Without it, only the commits that touched ``paths`` are listed.

    Merge commits are listed without changes: what they bring in is listed on the commits that
    made it.
    """
    return start_log_changes(repo, sha, paths, trust=trust)()


def start_log_changes(repo: Repository, sha: str, paths: list[str] | None = None, *,
                      trust: Callable[[Commit], list[str] | None] | None = None,
                      known=None) -> Callable[[], list[ChangeCommit]]:
    """``read_log_changes`` in two steps: git starts now, the call returns the commits.

    git walks the history on the other core while the caller does other work (a thread
    drains its output, so it never waits on a full pipe). ``known`` (a
    ``reportcache.HistoryCache``) remembers the changes of the commits ``trust`` did not vouch
    for: a commit never changes, so diff-tree need not be asked again.
    """
    import subprocess
    import threading

    scope = paths or [PLANS_DIR, REGISTRY_FILE]
    # --topo-order: a child always before its parents, even when clocks were wrong or dates were
    # set by hand, so "the last commit that closed a task" is the first one met.
    args = ["git", "-c", "core.quotepath=off", "-C", str(repo.root), "log", f"--format={_RAW_FORMAT}",
            "--topo-order", sha, "--", *(() if trust is not None else scope)]
    try:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=git._env())
    except FileNotFoundError as exc:
        from gktrack.errors import RepoError

        raise RepoError("找不到 git 命令:请先安装 git") from exc
    result: dict[str, bytes] = {}

    def drain() -> None:
        result["out"], result["err"] = proc.communicate()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()

    def finish() -> list[ChangeCommit]:
        reader.join()
        if proc.returncode != 0:
            from gktrack.errors import RepoError

            detail = result["err"].decode("utf-8", "replace").strip().splitlines()
            raise RepoError(f"git log 失败:{detail[-1] if detail else proc.returncode}")
        return _parse_log(repo, result["out"].decode("utf-8", "replace"), scope, trust, known)

    return finish


def _parse_log(repo: Repository, out: str, scope: list[str],
               trust: Callable[[Commit], list[str] | None] | None, known=None) -> list[ChangeCommit]:
    commits: list[ChangeCommit] = []
    unknown: dict[str, ChangeCommit] = {}
    fromiso = dt.datetime.fromisoformat
    read_trailers = git.read_trailers
    for record in out.split(_RS)[1:]:
        sha_, parents, author, email, authored, committed, message, _ = record.split(_FS, 7)
        commit = ChangeCommit(
            sha=sha_, author=author, email=email, authored=fromiso(authored), committed=fromiso(committed),
            message=message, trailers=read_trailers(message), parents=parents.split(),
        )
        commits.append(commit)
        if len(commit.parents) > 1:
            continue
        files = trust(commit) if trust is not None else None
        if files is not None:
            commit.files = files
            commit.trusted = True
            continue
        remembered = known.get_changes(sha_, scope) if known is not None else None
        if remembered is None:
            unknown[sha_] = commit
            continue
        for path, status, old, new in remembered:
            commit.changes.append(FileChange(path, status, old, new))
            commit.files.append(path)
    if unknown:
        _read_changes(repo, unknown, scope)
        if known is not None:
            for sha_, commit in unknown.items():
                known.put_changes(sha_, scope, [[c.path, c.status, c.old_blob, c.new_blob] for c in commit.changes])
    return commits


def _read_changes(repo: Repository, commits: dict[str, ChangeCommit], scope: list[str]) -> None:
    """Fill in ``changes`` and ``files`` of ``commits`` (none of them a merge) from one diff-tree."""
    out = git.run(repo.root, "diff-tree", "--stdin", "-r", "--raw", "--no-abbrev", "--no-renames", "-z",
                  "--root", "--always", "--", *scope, input="".join(f"{sha}\n" for sha in commits))
    tokens = out.split("\0")
    current: ChangeCommit | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        if token.startswith(":") and i + 1 < len(tokens):
            # ":100644 100644 <old> <new> M" then the path
            fields = token[1:].split()
            old, new, status = fields[2], fields[3], fields[4][:1]
            if current is not None:
                current.changes.append(FileChange(
                    path=tokens[i + 1], status=status,
                    old_blob=None if old == _NULL_SHA else old,
                    new_blob=None if new == _NULL_SHA else new,
                ))
                current.files.append(tokens[i + 1])
            i += 2
            continue
        if token:
            current = commits.get(token)
        i += 1


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
    """File contents by blob id, from one ``git cat-file --batch`` process.

    ``expect`` queues the ids that will be asked for, in that order; a thread writes them to git
    while ``read`` takes the answers as they come, so there is no round trip per blob and no
    pipe can fill up and stall. An id that was not queued is asked for on its own. Each answer
    is handed out once and then forgotten, so memory holds only what is being compared.
    """

    def __init__(self, repo: Repository):
        from collections import Counter, deque

        self._root = repo.root
        self._proc = None  # started on the first request: a warm cache may need none
        self._order: deque[str] = deque()  # ids asked for, answers not yet read
        self._queued: Counter[str] = Counter()  # the same, counted, for a quick "was it asked for?"
        self._ready: dict[str, bytes | None] = {}  # answers read ahead of their turn
        self._unwanted: Counter[str] = Counter()  # answers to drop when they come
        self._writer = None

    def _start(self):
        import subprocess

        if self._proc is None:
            try:
                self._proc = subprocess.Popen(
                    # A small delta cache: reading a few hundred versions of the same files gains
                    # little from git's default 96 MB, which would double the report's peak memory.
                    ["git", "-c", "core.deltaBaseCacheLimit=16m", "-C", str(self._root), "cat-file", "--batch"],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                    env=git._env(),
                )
            except FileNotFoundError as exc:
                from gktrack.errors import RepoError

                raise RepoError("找不到 git 命令:请先安装 git") from exc
        return self._proc

    def expect(self, blobs: list[str]) -> None:
        """Ask git for ``blobs`` now, to be taken with ``read`` (in any order; in this one is cheapest)."""
        import threading

        if not blobs:
            return
        self._join_writer()
        self._order.extend(blobs)
        self._queued.update(blobs)
        payload = "".join(f"{b}\n" for b in blobs).encode("ascii")
        stdin = self._start().stdin

        def write() -> None:
            try:
                stdin.write(payload)
                stdin.flush()
            except (OSError, ValueError):
                pass  # git was stopped: the rest was not needed

        self._writer = threading.Thread(target=write, daemon=True)
        self._writer.start()

    def forget(self, blob: str) -> None:
        """An expected blob that will not be read after all: drop its answer."""
        if blob in self._ready:
            del self._ready[blob]
        elif self._queued[blob] > self._unwanted[blob]:
            self._unwanted[blob] += 1

    def _join_writer(self) -> None:
        if self._writer is not None:
            self._writer.join()
            self._writer = None

    def _answer(self) -> bytes | None:
        out = self._proc.stdout
        header = out.readline().split()
        if len(header) == 3:
            data = out.read(int(header[2]))
            out.read(1)  # the newline after the contents
            return data
        if len(header) == 2 and header[1] == b"missing":
            return None
        from gktrack.errors import RepoError

        raise RepoError("git cat-file 意外结束")

    def read(self, blob: str) -> bytes | None:
        """The bytes of ``blob`` (a 40-hex id), or None when the repository has no such object."""
        if blob in self._ready:
            return self._ready.pop(blob)
        if self._queued[blob] <= self._unwanted[blob]:
            self.expect([blob])
        while self._order:
            name = self._order.popleft()
            self._queued[name] -= 1
            data = self._answer()
            if self._unwanted[name]:
                self._unwanted[name] -= 1
                continue
            if name == blob:
                return data
            self._ready[name] = data
        return None

    def close(self) -> None:
        proc = self._proc
        if proc is None:
            return
        if self._order:
            proc.kill()  # answers nobody will read: stop git rather than drain them
        self._join_writer()
        for pipe in (proc.stdin, proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        proc.wait()

    def __enter__(self) -> "BlobReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
