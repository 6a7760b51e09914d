"""The audit trail: what each commit changed, read from git.

A commit's trailers (action, task, unit, date) are text anyone can copy: a commit is taken as the
action its trailer names only when its content is such a change (``check_claims``, by
``gktrack.storage.claims``). Any other commit that touches a plan file or the registry (a hand
edit, an import, an undo) is compared with the file before it, task by task
(``gktrack.storage.plandiff``). File versions, comparisons and verdicts are kept in the one cache
(``Repository.index``) by git blob or commit id, so none is worked out twice.

``read_log`` and ``task_history`` serve ``gktrack log`` and ``show``; ``state_at``,
``start_log_changes``, ``tree_blobs``, ``file_version`` and ``plan_diffs`` the annual report.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, NamedTuple

from gktrack.domain import actions as kinds
from gktrack.domain.actions import ACTIONS
from gktrack.domain.model import Plan, Registry
from gktrack.errors import GktrackError, RepoError
from gktrack.storage import claims, git, plandiff, planfile
from gktrack.storage.registry import REGISTRY_FILE, parse_registry
from gktrack.storage.repo import PLANS_DIR, Repository, parse_task_ref, plan_id_of, plan_rel

_RS, _FS = "\x1e", "\x1f"
_FORMAT = f"{_RS}%H{_FS}%P{_FS}%an{_FS}%ae{_FS}%cn{_FS}%ce{_FS}%aI{_FS}%cI{_FS}%B{_FS}"
_NULL_SHA = "0" * 40


@dataclass(slots=True)
class Commit:
    sha: str
    author: str  # in whose name the change was made (``--by``)
    email: str
    authored: dt.datetime
    committed: dt.datetime
    message: str
    files: list[str] = field(default_factory=list)
    trailers: dict[str, str] = field(default_factory=dict)
    committer: str = ""  # who made the commit (ran git)
    committer_email: str = ""
    parents: list[str] = field(default_factory=list)
    # Its content is the change its trailer claims (``check_claims``); until checked, it is not.
    genuine: bool = False

    @property
    def summary(self) -> str:
        return self.message.strip().splitlines()[0] if self.message.strip() else ""

    @property
    def claimed(self) -> str | None:
        """The action its ``Gktrack-Action`` trailer names, true or not."""
        action = self.trailers.get(git.TRAILER_ACTION)
        # A unit's progress form was imported as "import" (naming its unit) before it had an
        # action of its own; a plan's import names no unit.
        if action == "import" and git.TRAILER_UNIT in self.trailers:
            return "import-progress"
        return action

    @property
    def action(self) -> str | None:
        """What the commit is: its trailer's action when its content is that change, else None
        (a hand edit, however it is described)."""
        return self.claimed if self.genuine else None

    @property
    def units(self) -> list[str]:
        """The units the change concerns, as its trailer names them (none for most hand edits)."""
        return git.trailer_units(self.trailers)

    @property
    def unit(self) -> str | None:
        """The unit the change concerns (the one whose progress or part it records; for an
        add or assign, the units it names), as one text; None when it names none."""
        return "、".join(self.units) or None

    @property
    def task(self) -> str | None:
        return self.trailers.get(git.TRAILER_TASK)

    def to_json(self) -> dict:
        return {
            "commit": self.sha, "author": self.author, "email": self.email,
            "committer": self.committer, "committer_email": self.committer_email,
            "date": self.authored.isoformat(), "committed": self.committed.isoformat(),
            "summary": self.summary, "action": self.action, "claimed_action": self.claimed,
            "task": self.task, "unit": self.unit, "units": self.units,
            "recorded_date": self.trailers.get(git.TRAILER_DATE),
            "files": self.files, "hand_edit": self.action in HAND_ACTIONS,
        }


def read_log(repo: Repository, *, rev: str = "HEAD", paths: list[str] | None = None,
             limit: int | None = None) -> list[Commit]:
    """Commits touching plans/ or units.yaml (``paths``; ``[]``: every commit, one that changes no
    file included) (newest first; the ``limit`` newest), one git process for all of them, each
    checked against its trailers (``check_claims``)."""
    if git.head(repo.root) is None:
        return []
    args = ["log", f"--format={_FORMAT}", "--name-only", "--no-renames", "-z"]
    if limit:
        args.append(f"--max-count={limit}")
    args += [rev, "--", *(paths if paths is not None else [PLANS_DIR, REGISTRY_FILE])]
    commits = []
    for commit, files in _records(git.run(repo.root, *args)):
        commit.files = [f.strip("\n") for f in files.split("\0") if f.strip("\n")]
        commits.append(commit)
    check_claims(repo, commits)
    return commits


def _records(out: str | bytes, cls: type = Commit) -> Iterator[tuple[Any, str]]:
    """(the commit, what follows its message) for each record of ``_FORMAT`` output.

    The report holds every commit at once, so bytes are decoded a record at a time, and equal
    names, addresses, trailers and dates are one object each."""
    fromiso = dt.datetime.fromisoformat
    read_trailers = git.read_trailers
    texts: dict[str, str] = {}
    share = texts.setdefault
    records = iter(out.split(_RS)) if isinstance(out, str) else _decoded_records(out)
    next(records, None)  # what comes before the first record
    for record in records:
        sha, parents, author, email, committer, committer_email, authored, committed, message, rest = \
            record.split(_FS, 9)
        trailers = read_trailers(message, texts)
        if cls is ChangeCommit:  # the report shows no message: a whole history's are not kept
            message = ""
        when = fromiso(authored)
        yield cls(sha=sha, author=share(author, author), email=share(email, email), authored=when,
                  committed=when if committed == authored else fromiso(committed), message=message,
                  trailers=trailers, committer=share(committer, committer),
                  committer_email=share(committer_email, committer_email), parents=parents.split()), rest


def _decoded_records(out: bytes) -> Iterator[str]:
    """``out.split(_RS)``, each piece decoded, made one at a time: the pieces are not all held
    beside ``out``."""
    separator = _RS.encode()
    start = 0
    while True:
        end = out.find(separator, start)
        yield out[start:None if end < 0 else end].decode("utf-8", "replace")
        if end < 0:
            return
        start = end + len(separator)


# --- gktrack's own commits ---------------------------------------------------------------------

# gktrack commits that name the one task they changed and cannot change another task's state.
TASK_ACTIONS = frozenset(name for name, a in ACTIONS.items() if a.scope in (kinds.NEW_TASK, kinds.TASK))
# gktrack commits that cannot change any task.
NO_TASK_ACTIONS = frozenset(name for name, a in ACTIONS.items()
                            if a.scope in (kinds.SETUP, kinds.EMPTY_PLAN, kinds.SECTIONS))
# Commits that are hand edits: plain git commits (no trailers, or trailers that do not fit the
# content), and gktrack commit-edits.
HAND_ACTIONS = (None, "edit")


def trusted_files(commit: Commit) -> list[str] | None:
    """The plan file a gktrack task command changed, as its trailers say (once ``check_claims``
    found its content to be that change); None for other commits."""
    if commit.action in TASK_ACTIONS and commit.task:
        plan_id = commit.task.rpartition("/")[0]
        if plan_id:
            return [plan_rel(plan_id)]
    return None


# --- what a commit changed ------------------------------------------------------------------


@dataclass(frozen=True)
class FileChange:
    """One file a commit changed: A(dded), M(odified), D(eleted) or T(ype change)."""

    path: str
    status: str
    old_blob: str | None  # None when the file was added
    new_blob: str | None  # None when the file was deleted


@dataclass(slots=True)
class ChangeCommit(Commit):
    """A commit with the blobs before and after each file it changed in plans/ and units.yaml
    (the report's: its trailers are kept, its message is not)."""

    changes: list[FileChange] = field(default_factory=list)
    # A task command whose content was checked (``trusted_files``): ``files`` is known,
    # ``changes`` not read.
    trusted: bool = False


# --- file versions through the index -----------------------------------------------------------


def file_version(repo: Repository, path: str, blob: str,
                 read: Callable[[], bytes | None]) -> Plan | Registry:
    """The plan file or ``units.yaml`` at ``path`` as one commit holds it (blob ``blob``), through
    the index; ``read()`` gives its bytes when the index has not seen them. Raises
    ``GktrackError`` when unreadable."""
    def parse() -> Plan | Registry:
        data = _contents(read(), path, blob)
        if path == REGISTRY_FILE:
            return parse_registry(data)
        return planfile.parse_plan(data, path, expected_id=plan_id_of(path))

    return repo.index.parsed_blob(blob, "Registry" if path == REGISTRY_FILE else "Plan", parse)


def _contents(data: bytes | None, path: str, blob: str) -> bytes:
    if data is None:
        raise RepoError(f"git 仓库中缺少 {path} 的这一版本(对象 {blob[:8]})")
    return data


_DIFF_KIND = "plandiff.4"  # what is remembered (the phrases' wording, each change's fields): a new form, a new kind


def plan_diffs(repo: Repository, changes: list[FileChange],
               progress: Callable[[int, int], None] | None = None) -> dict[FileChange, plandiff.FileDiff]:
    """What each change did to its plan file, task by task (``plandiff.compare``), remembered in
    the index by path and the two blob ids; the versions not yet compared are read by one ``git
    cat-file`` process. ``progress(done, total)`` is called now and then while comparing."""
    keys = {change: f"{change.path}\0{change.old_blob or ''}\0{change.new_blob or ''}" for change in changes}
    known = repo.index.memo(_DIFF_KIND, sorted(set(keys.values())))
    missing = [change for change in dict.fromkeys(changes) if keys[change] not in known]
    if missing:
        fresh: dict[str, Any] = {}
        with BlobReader(repo) as reader:
            reader.expect([blob for change in missing for blob in (change.old_blob, change.new_blob) if blob])
            for n, change in enumerate(missing):
                if progress is not None and n and not n % 20:
                    progress(n, len(missing))
                path = change.path
                # Read in the order asked for; a version missing from the repository reads as empty.
                old, new = ((blob, reader.read(blob) or b"") if blob else None
                            for blob in (change.old_blob, change.new_blob))
                diff = plandiff.compare(
                    path, plan_id_of(path) or path, old, new,
                    whole=lambda blob, data, path=path: file_version(repo, path, blob, lambda: data))
                fresh[keys[change]] = diff.to_data()
        repo.index.remember(_DIFF_KIND, fresh)
        known.update(fresh)
    return {change: plandiff.FileDiff.from_data(known[keys[change]]) for change in changes}


# --- is each commit what its trailers say? ----------------------------------------------------

_CLAIMS_KIND = "claims.2"  # the rules (domain.actions, storage.claims) are part of the answer: new rules, new kind
# Commits judged at a time: a batch's files and comparisons are let go before the next is read,
# so a fresh clone's tens of thousands of commits are never all held at once.
_CLAIMS_BATCH = 2000


def check_claims(repo: Repository, commits: list[Commit]) -> dict[str, list[FileChange]]:
    """Set ``genuine`` on each commit: whether its content is the change its ``Gktrack-Action``
    trailer claims (``claims.holds``; a merge is never a gktrack change), judged once and then
    remembered in the index by commit id. Returns the changes it read of the commits not taken
    at their word (``trusted_files``), by commit, for the caller to reuse.
    """
    claiming = [c for c in commits if c.claimed is not None and len(c.parents) < 2]
    if not claiming:
        return {}
    known = repo.index.memo(_CLAIMS_KIND, list(dict.fromkeys(c.sha for c in claiming)))
    for commit in claiming:
        commit.genuine = known.get(commit.sha, False)
    missing = [c for c in claiming if c.sha not in known]
    read: dict[str, list[FileChange]] = {}
    for start in range(0, len(missing), _CLAIMS_BATCH):
        read.update(_judge(repo, missing[start:start + _CLAIMS_BATCH]))
    return read


def _judge(repo: Repository, commits: list[Commit]) -> dict[str, list[FileChange]]:
    """``check_claims`` for ``commits``, none of them judged yet: what they (and an undo's reverted
    commit) changed, from one ``git diff-tree``, their plan files compared by ``plan_diffs``."""
    reverts = {c.sha: c.trailers.get(git.TRAILER_REVERTS, "") for c in commits if c.claimed == "undo"}
    changes = _diff_tree(repo, [*(c.sha for c in commits), *(r for r in reverts.values() if git.is_hash(r))])
    own = [change for c in commits for change in changes.get(c.sha, [])]
    undone = [change for r in reverts.values() for change in changes.get(r, [])]
    diffs = plan_diffs(repo, [change for change in [*own, *undone] if plan_id_of(change.path)])
    growing = [change for c in commits for change in changes.get(c.sha, [])
               if change.path == REGISTRY_FILE and getattr(ACTIONS.get(c.claimed), "registers", False)]
    grew = _units_added(repo, growing)
    verdicts: dict[str, bool] = {}
    for commit in commits:
        files = changes.get(commit.sha, [])
        reverted = changes.get(reverts.get(commit.sha, "")) if commit.sha in reverts else None
        seen = claims.Seen({c.path: (c.old_blob, c.new_blob) for c in files},
                           {c.path: diffs[c] for c in files if plan_id_of(c.path)},
                           units_added=any(grew.get(c, False) for c in files),
                           reverted=None if reverted is None else {c.path: (c.old_blob, c.new_blob) for c in reverted},
                           reverted_diffs=None if reverted is None else
                           {c.path: diffs[c] for c in reverted if plan_id_of(c.path)})
        commit.genuine = verdicts[commit.sha] = claims.holds(commit.claimed, commit.trailers, seen)
    repo.index.remember(_CLAIMS_KIND, verdicts)
    # A task command taken at its word needs no changes (``_parse_log``): only the others are kept.
    return {c.sha: changes[c.sha] for c in commits if c.sha in changes and trusted_files(c) is None}


def _units_added(repo: Repository, changes: list[FileChange]) -> dict[FileChange, bool]:
    """For each change of units.yaml: whether it only added units (``claims.only_units_added``)."""
    out: dict[FileChange, bool] = {}
    with BlobReader(repo) as reader:  # git starts only if a version is not in the index
        for change in changes:
            out[change] = False
            if change.old_blob is not None and change.new_blob is not None:
                with contextlib.suppress(GktrackError):
                    before, after = (file_version(repo, REGISTRY_FILE, blob,
                                                  lambda blob=blob: reader.read(blob))
                                     for blob in (change.old_blob, change.new_blob))
                    out[change] = claims.only_units_added(before, after)
    return out


def _diff_tree(repo: Repository, shas: list[str], paths: tuple[str, ...] = ()) -> dict[str, list[FileChange]]:
    """The files each of ``shas`` (none of them a merge) changed (under ``paths``, or all), from
    one ``git diff-tree --stdin``."""
    wanted = list(dict.fromkeys(shas))
    if not wanted:
        return {}
    out = git.run(repo.root, "diff-tree", "--stdin", "-r", "--raw", "--no-abbrev",
                  "--no-renames", "-z", "--root", "--always", *(("--", *paths) if paths else ()),
                  input="".join(f"{sha}\n" for sha in wanted))
    # Each commit's id, then its raw lines; no path is a commit id.
    ids = set(wanted)
    groups: dict[str, list[str]] = {}
    current: list[str] | None = None
    for token in out.split("\0"):
        token = token.lstrip("\n")
        if token in ids:
            current = groups.setdefault(token, [])
        elif current is not None:
            current.append(token)
    return {sha: _raw_changes(tokens) for sha, tokens in groups.items()}


# --- one task's history (show, log TASK) --------------------------------------------------------


def task_history(repo: Repository, ref: str) -> list[Commit]:
    """Commits that changed one task, newest first: from one ``git log`` of its plan file with
    the blob ids before and after each commit. A gktrack task command whose content fits its
    trailers (``check_claims``) is taken at its word; any other commit is compared with the file
    before it (``plan_diffs``)."""
    plan_id, task_id = parse_task_ref(ref)
    ref = f"{plan_id}/{task_id}"
    rel = plan_rel(plan_id)
    proc = git.run_full(repo.root, "log", "--topo-order",
                        f"--format={_FORMAT}", "--raw", "-c", "--no-abbrev", "--no-renames", "-z",
                        "HEAD", "--", rel)
    if proc.returncode != 0:
        if git.head(repo.root) is None:
            return []
        raise git.failed("log", proc.stderr, proc.returncode)
    listed: list[tuple[Commit, FileChange | None]] = []
    for commit, raw in _records(proc.stdout):
        commit.files = [rel]
        listed.append((commit, next(iter(_raw_changes(raw.split("\0"))), None)))
    check_claims(repo, [commit for commit, _ in listed])
    found: list[tuple[Commit, FileChange | None]] = []
    for commit, change in listed:
        if trusted_files(commit) is not None:
            if commit.task == ref:
                found.append((commit, None))
        elif change is not None:
            found.append((commit, change))
    diffs = plan_diffs(repo, [change for _, change in found if change is not None])
    return [commit for commit, change in found if change is None or diffs[change].touches(task_id)]


def _raw_changes(tokens: list[str]) -> list[FileChange]:
    """The files in one commit's ``--raw -z`` output (``:<modes> <blobs> <status>`` then the
    path); for a merge (``--raw -c``: one colon per parent) the change from its first parent."""
    out = []
    for i, token in enumerate(tokens):
        token = token.lstrip("\n")
        if token.startswith(":") and i + 1 < len(tokens):
            parents = len(token) - len(token.lstrip(":"))
            fields = token.lstrip(":").split()
            blobs = fields[parents + 1:2 * parents + 2]
            old, new = blobs[0], blobs[-1]
            status = fields[-1][:1] if parents == 1 else "M"
            out.append(FileChange(tokens[i + 1], status, None if old == _NULL_SHA else old,
                                  None if new == _NULL_SHA else new))
    return out


# --- the report's reading of history ---------------------------------------------------------
# One `git log` for every commit, with the blob ids of each file it changed, and one
# `git cat-file --batch` process for the few file contents that must be read: the cost grows
# with the number of commits, never with commits times files or processes per commit.


def resolve_commit(repo: Repository, rev: str) -> str | None:
    """The full hash of ``rev`` (a hash, branch, tag, HEAD~2…), or None if there is no such commit."""
    if not rev or rev.startswith("-"):
        return None
    out = git.run(repo.root, "rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}", check=False)
    return out.strip() or None


class Dated(NamedTuple):
    """A commit of the first-parent history, with its commit date."""

    sha: str
    author: str
    committed: dt.datetime


@dataclass
class StateAt:
    """Which commit holds the state at a moment (``state_at``)."""

    sha: str | None  # None: the history's first commit was already made after the moment
    later: Dated | None = None  # the first commit made after the moment, in history order
    # Commits after ``later`` dated on or before the moment: their dates went backwards (a wrong
    # clock), and they are not part of the state at the moment.
    misdated: list[Dated] = field(default_factory=list)


def state_at(repo: Repository, sha: str, when: dt.datetime) -> StateAt:
    """The commit whose files are the state at ``when``: along the first-parent history of
    ``sha``, the last commit before the first one dated after ``when``. In history order, not by
    the greatest date before ``when``: one commit made on a PC whose clock was a year behind, on
    top of later work, must not make that later work count as done by ``when``."""
    out = git.run(repo.root, "log", "--first-parent", "--format=%H%x1f%an%x1f%cI", sha, "--")
    chain = []
    for line in reversed(out.splitlines()):
        commit, author, committed = line.split(_FS, 2)
        chain.append(Dated(commit, author, dt.datetime.fromisoformat(committed)))
    for i, commit in enumerate(chain):
        if commit.committed > when:
            return StateAt(chain[i - 1].sha if i else None, commit,
                           [c for c in chain[i + 1:] if c.committed <= when])
    return StateAt(chain[-1].sha if chain else None)


_CHANGES_KIND = "commit-changes.1"


def start_log_changes(repo: Repository, sha: str) -> Callable[[], list[ChangeCommit]]:
    """The commits reachable from ``sha``, children first, with what each changed in plans/
    and units.yaml; git starts now (walking the history on the other core while the caller
    works), calling the result returns the commits.

    A gktrack task command whose content is what its trailers say is taken at its word
    (``trusted_files``) and gets no ``changes``; the other commits' changes come from the index
    or else from one ``git diff-tree --stdin`` (a few percent of the commits, where ``git log
    --raw`` would diff every one). Merges get none: what they bring in is on the commits that
    made it.
    """
    # --topo-order: a child always before its parents, even when clocks were wrong or dates were
    # set by hand, so "the last commit that closed a task" is the first one met.
    proc = git.call(repo.root, ["log", f"--format={_FORMAT}", "--topo-order", sha, "--"], wait=False)
    result: dict[str, Any] = {}

    def drain() -> None:
        result["out"], result["err"] = proc.communicate()
        result["code"] = proc.returncode

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()

    # ``finish`` does not refer to ``proc``: a Popen keeps the pieces ``communicate`` read, as
    # much as the whole output again, for as long as it lives; it dies with the thread.
    def finish() -> list[ChangeCommit]:
        reader.join()
        if result["code"] != 0:
            raise git.failed("log", result["err"], result["code"])
        return _parse_log(repo, result.pop("out"))

    return finish


def _parse_log(repo: Repository, out: bytes) -> list[ChangeCommit]:
    commits = [commit for commit, _ in _records(out, ChangeCommit)]
    del out  # git's output, a few megabytes, is not needed beside the commits made of it
    read = check_claims(repo, commits)
    unknown: dict[str, ChangeCommit] = {}
    new: dict[str, list[FileChange]] = {}  # changes not yet in the index
    for commit in commits:
        if len(commit.parents) > 1:
            continue
        files = trusted_files(commit)
        if files is not None:
            commit.files = files
            commit.trusted = True
            continue
        unknown[commit.sha] = commit
        if commit.sha in read:  # read whole to check its trailers: keep what the report looks at
            new[commit.sha] = [c for c in read[commit.sha]
                               if c.path == REGISTRY_FILE or c.path.startswith(f"{PLANS_DIR}/")]
    missing = [sha for sha in unknown if sha not in new]
    found = {sha: [FileChange(*change) for change in changes]
             for sha, changes in repo.index.memo(_CHANGES_KIND, missing).items()}
    new.update(_diff_tree(repo, [sha for sha in missing if sha not in found], (PLANS_DIR, REGISTRY_FILE)))
    found.update(new)
    for sha, commit in unknown.items():
        commit.changes = found.get(sha, [])
        commit.files = [change.path for change in commit.changes]
    repo.index.remember(_CHANGES_KIND, {sha: [(c.path, c.status, c.old_blob, c.new_blob) for c in changes]
                                        for sha, changes in new.items()})
    return commits


def tree_blobs(repo: Repository, sha: str) -> dict[str, str]:
    """Path -> blob id of the plan files and the registry in commit ``sha``."""
    out = git.run(repo.root, "ls-tree", "-r", "-z", "--full-tree", sha, "--", PLANS_DIR, REGISTRY_FILE)
    blobs: dict[str, str] = {}
    for entry in out.split("\0"):
        meta, tab, path = entry.partition("\t")
        if tab and meta.split()[1:2] == ["blob"]:
            blobs[path] = meta.split()[2]
    return blobs


class BlobReader:
    """File contents by blob id, from one ``git cat-file --batch`` process.

    ``expect`` queues the ids that will be read, in the order they will be; a thread writes them
    to git while ``read`` takes the answers as they come, so there is no round trip per blob and
    no pipe can fill up and stall. An id read when none is queued is asked for on its own.
    """

    def __init__(self, repo: Repository):
        self._root = repo.root
        self._proc = None  # started on the first request: a warm cache may need none
        self._order: deque[str] = deque()  # ids asked for, answers not yet read
        self._writer = None

    def expect(self, blobs: list[str]) -> None:
        """Ask git for ``blobs`` now, to be taken with ``read`` in this order."""
        if not blobs:
            return
        self._join_writer()
        self._order.extend(blobs)
        payload = "".join(f"{b}\n" for b in blobs).encode("ascii")
        if self._proc is None:
            self._proc = git.call(self._root, ["cat-file", "--batch"], wait=False, stdin=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL)
        stdin = self._proc.stdin

        def write() -> None:
            try:
                stdin.write(payload)
                stdin.flush()
            except (OSError, ValueError):
                pass  # git was stopped: the rest was not needed

        self._writer = threading.Thread(target=write, daemon=True)
        self._writer.start()

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
        raise RepoError("git cat-file 意外结束")

    def read(self, blob: str) -> bytes | None:
        """The bytes of ``blob`` (the next one queued, if any), or None when the repository has
        no such object."""
        if not self._order:
            self.expect([blob])
        if self._order.popleft() != blob:
            raise RepoError(f"内部错误:读取 git 对象 {blob[:8]} 的顺序与请求的不同")
        return self._answer()

    def close(self) -> None:
        proc = self._proc
        if proc is None:
            return
        if self._order:
            proc.kill()  # answers nobody will read: stop git rather than drain them
        self._join_writer()
        for pipe in (proc.stdin, proc.stdout):
            with contextlib.suppress(OSError):
                pipe.close()
        proc.wait()

    def __enter__(self) -> "BlobReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
