"""A plans repository: where it is, what it holds, and the one way to change it.

Reading needs no git process at all (plans are files, parsed through the one cache,
``gktrack.storage.index``); every change goes through ``Repository.change``, which takes the lock,
refuses to touch files with someone's uncommitted edits, writes atomically and makes exactly one
commit of exactly those files.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import re
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from gktrack.domain.model import PLAN_ID_PATTERN, Plan, Task
from gktrack.domain.units import Units
from gktrack.environment import lock_timeout, repo_folder
from gktrack.errors import DirtyError, InputError, LockTimeoutError, NotFoundError, PlanFileError, RepoError
from gktrack.storage import git
from gktrack.storage.files import atomic_write, read_bytes
from gktrack.storage.index import Index
from gktrack.storage.planfile import parse_plan
from gktrack.storage.reader import Problem
from gktrack.storage.registry import REGISTRY_FILE, default_registry, parse_registry
from gktrack.storage.yamldoc import MAX_FILE_BYTES

PLANS_DIR = "plans"
_PLAN_PATH = re.compile(rf"{PLANS_DIR}/([^/]+)\.yaml\Z")  # \Z: "a.yaml\n" is no plan file
# gktrack sync's record of a sync in progress, in .git/gktrack/ (written by
# gktrack.features.collab.sync): its phase says whether git's rebase is under way or paused.
SYNC_STATE = "sync-state.json"
SYNC_BUSY_PHASES = ("rebasing", "continuing", "paused")
# What git leaves in .git while it replays or merges commits: a commit made meanwhile goes onto a
# detached HEAD, and `git rebase --abort` (gktrack sync --abort) throws it away.
_GIT_OPERATIONS = (("rebase-merge", "变基"), ("rebase-apply", "变基"), ("MERGE_HEAD", "合并"),
                   ("CHERRY_PICK_HEAD", "拣选提交"), ("REVERT_HEAD", "还原提交"))


_UNKNOWN = object()


def plan_rel(plan_id: str) -> str:
    """A plan file's path in the repository (``plan_id_of``'s inverse)."""
    return f"{PLANS_DIR}/{plan_id}.yaml"


def plan_id_of(path: str) -> str | None:
    """The plan id of a plan file's path in the repository (``plans/<id>.yaml``); None for any other file."""
    match = _PLAN_PATH.match(path)
    return match.group(1) if match and not match.group(1).startswith(".") else None


def find_repository(explicit: str | None = None) -> "Repository":
    """``--repo``, then $GKTRACK_REPO, then the current directory and its parents (as git does)."""
    given = explicit or repo_folder()
    if given:
        root = Path(given).expanduser()
        if not (root / REGISTRY_FILE).is_file() and not (root / PLANS_DIR).is_dir():
            raise RepoError(f"“{given}”不是 gktrack 计划仓库(没有 {REGISTRY_FILE} 和 {PLANS_DIR}/);可先运行 gktrack init {given}")
        return Repository(root.resolve())
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / REGISTRY_FILE).is_file():
            return Repository(candidate)
    raise RepoError(
        f"当前目录不在 gktrack 计划仓库中(向上未找到 {REGISTRY_FILE});请先运行 gktrack init,或用 --repo 指定仓库"
    )


class Change(NamedTuple):
    """What one mutating command did: the commit, a Chinese summary line, and notes for the person
    (what was assumed, what looks odd) said after it."""

    commit: str | None
    summary: str
    files: list[str]
    task: Task | None = None
    notes: tuple[str, ...] = ()


class Repository:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.plans_dir = self.root / PLANS_DIR
        self.registry_path = self.root / REGISTRY_FILE
        self._units: Units | None = None
        self._identity: git.Identity | None | object = _UNKNOWN

    # --- reading ---

    def rel(self, path: Path) -> str:
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            raise InputError(f"“{path}”不在计划仓库 {self.root} 中") from None

    def check_output(self, path: Path | str, what: str = "输出文件") -> Path:
        """Where a command may write a file it was asked for (``-o``): not a folder, in a folder
        that exists, and not one of the files gktrack keeps in the repository (the plans, the
        registry, .gitattributes, the editor files, anything in .git): an export written over
        units.yaml would silently replace the registry."""
        target = Path(path)
        if target.is_dir():
            raise InputError(f"{what}“{path}”是文件夹;请给出文件夹中的文件名")
        if not target.parent.is_dir():
            raise InputError(f"文件夹“{target.parent}”不存在")
        try:
            rel = target.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return target
        from gktrack.storage.schema import REPO_DIR, VSCODE_SETTINGS

        owned = rel in (REGISTRY_FILE, ".gitattributes", VSCODE_SETTINGS) or rel.split("/")[0] in (
            PLANS_DIR, ".git", REPO_DIR)
        if owned and not (rel.startswith(f"{PLANS_DIR}/") and not rel.endswith((".yaml", ".yml"))):
            raise InputError(f"{what}“{path}”是 gktrack 在仓库中保存的文件({rel}),不能覆盖;请换一个文件名或位置")
        return target

    def plan_path(self, plan_id: str) -> Path:
        return self.plans_dir / f"{plan_id}.yaml"

    def plan_ids(self) -> list[str]:
        if not self.plans_dir.is_dir():
            return []
        return sorted(p.stem for p in self.plans_dir.glob("*.yaml") if not p.name.startswith("."))

    @functools.cached_property
    def index(self) -> Index:
        return Index(git.git_dir(self.root))

    def units(self) -> Units:
        if self._units is None:
            # A missing units.yaml reads as nothing (``read_files`` skips a file it cannot stat).
            found = self.index.read_files([(REGISTRY_FILE, self.registry_path)], "Registry",
                                          lambda rel, data: parse_registry(data, rel))
            if found and isinstance(found[0][1], Exception):
                raise found[0][1]
            self._units = Units(found[0][1] if found else default_registry())
        return self._units

    def load_plan(self, plan_id: str) -> Plan:
        path = self.plan_path(plan_id)
        if not path.is_file():
            known = self.plan_ids()
            close = difflib.get_close_matches(plan_id, known, n=3, cutoff=0.5)
            hint = f"是否指:{'、'.join(close)}?" if close else (f"现有计划:{'、'.join(known)}" if known else "还没有任何计划")
            raise NotFoundError(f"没有计划“{plan_id}”;{hint}")
        plans, problems = self._read_plans([plan_id])
        if problems:
            raise problems[0][1]
        if not plans:
            raise NotFoundError(f"没有计划“{plan_id}”")
        return plans[0]

    def load_plans(self, *, plan: str | None = None,
                   concerns: Callable[[list[str]], bool] | None = None) -> tuple[list[Plan], list[Problem]]:
        """All plans (or one); a broken plan file is reported and the others still load.
        ``concerns(names)``, given the unit names of a plan's tasks and owner, may leave out
        plans that cannot matter to a question without reading them."""
        if plan is not None:
            return [self.load_plan(plan)], []
        plans, problems = self._read_plans(self.plan_ids(), concerns)
        return plans, [Problem(where, str(getattr(exc, "message", exc))) for where, exc in problems]

    def _read_plans(self, ids: list[str], concerns=None) -> tuple[list[Plan], list[tuple[str, Exception]]]:
        def parse(rel: str, data: bytes) -> Plan:
            return parse_plan(data, rel, expected_id=plan_id_of(rel))

        files = [(plan_rel(plan_id), self.plan_path(plan_id)) for plan_id in ids]
        found = self.index.read_files(files, "Plan", parse, names_of=unit_names, keep=concerns)
        plans, problems = [], []
        for rel, value in found:
            if isinstance(value, Exception):
                problems.append((value.where or rel, value))
            else:
                value.path = rel
                plans.append(value)
        return plans, problems

    def deadlines(self, keys) -> dict[tuple, tuple]:
        """The parsed deadlines of each (phrases, plan year) in ``keys``. Parsing a phrase compiles
        the deadline grammar (tens of milliseconds per process), so what was parsed before comes
        from the index, keyed by the parser's code and holiday data (``deadlines.parser_stamp``)."""
        from gktrack.domain import deadlines as dl

        kind = f"deadlines:{dl.parser_stamp()}"
        names = {key: f"{key[1]}\x1f" + "\x1e".join(key[0]) for key in keys}
        stored = self.index.memo(kind, list(names.values()))
        out: dict[tuple, tuple] = {}
        fresh: dict[str, list] = {}
        for key, name in names.items():
            if name in stored:
                out[key] = tuple(dl.Deadline.from_plain(item) for item in stored[name])
            else:
                out[key] = dl.parsed(*key)
                fresh[name] = [d.to_plain() for d in out[key]]
        self.index.remember(kind, fresh)
        return out

    def task_ref(self, ref: str) -> tuple[str, int]:
        """(plan id, task number) of a task as people write it (``parse_task_ref``); a number alone
        is a task of the repository's only plan."""
        plan_id, task_id = parse_task_ref(ref)
        if plan_id is None:
            ids = self.plan_ids()
            if len(ids) != 1:
                known = "、".join(ids[:6]) + ("等" if len(ids) > 6 else "")
                raise InputError(f"任务编号“{ref}”应写成 计划/序号,如 hl2022/3"
                                 + (f"(仓库中有 {len(ids)} 个计划:{known})" if ids else ""))
            plan_id = ids[0]
        return plan_id, task_id

    def find_task(self, ref: str) -> tuple[Plan, Task]:
        plan_id, task_id = self.task_ref(ref)
        plan = self.load_plan(plan_id)
        task = plan.task(task_id)
        if task is None:
            ids = [t.id for t in plan.tasks]
            span = f"现有编号 {_runs(ids)}" if ids else "该计划还没有任务"
            raise NotFoundError(f"计划 {plan_id} 中没有任务 {task_id}({span})")
        return plan, task

    # --- changing ---

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """An exclusive lock on the repository for one change (``gktrack.storage.lock``). Whoever
        takes it first finishes or rolls back a change a killed process left half done
        (``gktrack.storage.journal``), so every change starts from a committed state."""
        from gktrack.storage import journal, lock

        path = journal.state_dir(self.root) / journal.LOCK_FILE
        limit = lock_timeout()
        try:
            release = lock.acquire(path, limit)
        except lock.Busy:
            raise LockTimeoutError(f"另一个 gktrack 命令正在修改此仓库,已等待 {limit:.0f} 秒;请稍后再试") from None
        except OSError as exc:
            raise RepoError(f"无法建立锁文件 {path}:{exc.strerror}") from None
        try:
            if git.git_dir(self.root) is not None:
                journal.recover(self.root, limit)
            yield
        finally:
            release()

    def require_no_unfinished_sync(self) -> None:
        """Refuse a change while a sync (or a git rebase or merge) is paused or interrupted."""
        problem = unfinished_operation(self.root)
        if problem:
            raise RepoError(problem)

    def require_git(self) -> None:
        # A .git folder (or file) at the root is a work tree: no git process needed to know.
        if git.git_dir(self.root) is None and git.toplevel(self.root) is None:
            raise RepoError(f"{self.root} 不是 git 仓库;请运行 gktrack init")

    def git_identity(self) -> git.Identity | None:
        """git's committer identity, asked once per process (``git var``), None when unset."""
        if self._identity is _UNKNOWN:
            self._identity = git.identity(self.root)
        return self._identity

    def known_identity(self) -> git.Identity | None:
        """The identity if this process already asked git for it; None without asking."""
        return None if self._identity is _UNKNOWN else self._identity

    def identity(self, by: str | None) -> tuple[git.Identity, git.Identity]:
        """(author, committer). ``--by`` sets the author; git's identity is the committer."""
        committer = self.git_identity()
        author = committer
        if by:
            parsed = git.parse_identity(by)
            if parsed is None:
                if committer is None:
                    raise InputError(f"--by“{by}”应写成“姓名 <邮箱>”")
                parsed = git.Identity(by.strip(), committer.email)
            author = parsed
            committer = committer or parsed
        if author is None or committer is None:
            raise RepoError(git.IDENTITY_MISSING)
        return author, committer

    def start_check_clean(self, rels: list[str]) -> Callable[[], None]:
        """Start checking that ``rels`` have no uncommitted edits (git runs in the background);
        call the result to wait for the answer (DirtyError when one has)."""
        pending = git.start_dirty_paths(self.root, rels)

        def check() -> None:
            if dirty := pending():
                first = dirty[0]
                raise DirtyError(
                    f"{first} 有未提交的手工修改,为免混入本次提交已停止;"
                    f"请先运行 gktrack commit-edits {first} 单独提交(会先检查格式),或用 git checkout -- {first} 放弃修改"
                )
        return check

    def change(self, rels: list[str], summary: str, trailers: dict[str, str], *, by: str | None = None,
               body: str | None = None, staged: bool = False):
        """Context manager for one change: the block does its writes, then exactly ``rels`` are
        committed; if the block raises, or the commit fails, every file is put back as it was.
        ``staged=True`` promises that the block writes only through ``tx.write``: the new bytes
        are then known before any is written, and one journal entry covers the change."""
        return _ChangeContext(self, rels, summary, trailers, by, body, staged)


class _ChangeContext:
    """One change: lock, journal, the caller's writes, one commit; see ``gktrack.storage.journal``."""

    def __init__(self, repo: Repository, rels: list[str], summary: str, trailers: dict[str, str],
                 by: str | None, body: str | None, staged: bool):
        self.repo = repo
        self.rels = list(dict.fromkeys(rels))
        self.summary = summary
        self.trailers = trailers
        self.by = by
        self.body = body
        self.staged = staged
        self.commit: str | None = None
        self._saved: dict[str, bytes | None] = {}  # each file's bytes before the change
        self._pending: dict[str, bytes] = {}  # staged writes, done once the journal says what comes
        # The journal's phase "write" entry, once it is on disk: files may then be written directly.
        self._entry: dict | None = None
        self._check: Callable[[], None] | None = None  # the clean check, while git runs it

    def _settle(self) -> None:
        """Wait for the clean check (DirtyError if a file has uncommitted edits); before any
        byte is written, and before the block's own outcome counts."""
        check, self._check = self._check, None
        if check is not None:
            check()

    def add_path(self, rel: str) -> None:
        """A file the change turned out to need (e.g. units.yaml for --new-unit)."""
        from gktrack.storage import journal

        if rel not in self.rels:
            self._settle()
            self.repo.start_check_clean([rel])()
            self._save(rel)
            self.rels.append(rel)
            # The caller writes this file itself: from here on, the two-entry protocol.
            self._entry = journal.begin(self.repo.root, self._saved, self.summary,
                                        journal.written_hashes(self._entry) if self._entry else None)

    def write(self, path: Path, data: bytes, plan: Plan | None = None) -> None:
        """Write one of the change's files (staged: kept until the journal says what is coming).
        A file larger than every reader accepts is refused here, before anything is committed.
        ``plan``: what ``data`` parses to, when the writer has read it back; the index keeps it."""
        rel = self.repo.rel(path)
        if rel not in self.rels:
            raise RepoError(f"内部错误:{rel} 不在本次修改的文件中")
        if len(data) > MAX_FILE_BYTES:
            raise PlanFileError(f"修改后的 {rel} 将有 {len(data) / 1048576:.1f} MB,超过计划文件的上限 "
                                f"{MAX_FILE_BYTES // 1048576} MB(读取时会被拒绝),未作任何修改;"
                                "请把内容拆成几个计划(如按章节分别导入)")
        if plan is not None:
            self.repo.index.learn(data, "Plan", plan, unit_names(plan))
        if self._entry is not None:
            self._settle()
            self._write_now(rel, data)
        else:
            self._pending[rel] = data

    def remove(self, path: Path) -> None:
        """Remove one of the change's files (a change that deletes a file writes directly)."""
        from gktrack.storage import journal

        rel = self.repo.rel(path)
        if rel not in self.rels or self._entry is None:
            raise RepoError(f"内部错误:{rel} 不能在本次修改中删除")
        self._settle()
        journal.note_write(self.repo.root, self._entry, rel, None)
        Path(path).unlink(missing_ok=True)

    def _write_now(self, rel: str, data: bytes) -> None:
        """Write a file directly; in phase ``write`` the journal first notes the bytes' hash, so
        a recovery undoes these bytes and never someone else's."""
        from gktrack.storage import journal

        if self._entry is not None:
            journal.note_write(self.repo.root, self._entry, rel, data)
        atomic_write(self.repo.root / rel, data)

    def _write_pending(self, writes: list[tuple[str, bytes]]) -> None:
        for rel, data in writes:
            self._write_now(rel, data)

    def _save(self, rel: str) -> None:
        self._saved[rel] = read_bytes(self.repo.root / rel)

    def __enter__(self) -> "_ChangeContext":
        from gktrack.storage import journal

        self.repo.require_git()
        if self.by or self.repo.known_identity() is not None:
            self.author, self.committer = self.repo.identity(self.by)
        else:
            # Nobody needed the identity so far: git uses its own, and says when it has none
            # (git.commit turns that into the Chinese message) -- one git process fewer.
            self.author = self.committer = None
        self._lock = self.repo.lock()
        self._lock.__enter__()
        try:
            self.repo.require_no_unfinished_sync()
            # Staged, nothing is written before __exit__: git checks while the block prepares the edit.
            self._check = self.repo.start_check_clean(self.rels)
            if not self.staged:
                self._settle()
            for rel in self.rels:
                self._save(rel)
            if not self.staged:
                # Before the first byte is written: a crash from here on is rolled back or finished.
                self._entry = journal.begin(self.repo.root, self._saved, self.summary)
        except BaseException:
            with contextlib.suppress(BaseException):
                self._settle()  # reap git; the first error is the one reported
            self._lock.__exit__(None, None, None)
            raise
        return self

    def _restore(self) -> None:
        for rel, data in self._saved.items():
            path = self.repo.root / rel
            if data is None:
                path.unlink(missing_ok=True)
            elif read_bytes(path) != data:
                atomic_write(path, data)

    def __exit__(self, exc_type, exc, tb) -> bool:
        from gktrack.storage import journal

        root = self.repo.root
        try:
            # A file with uncommitted edits stops the change whatever the block did (as when
            # the check ran first); the block wrote nothing yet.
            self._settle()
            if exc_type is not None:
                if self._entry is not None:
                    self._restore()
                    journal.clear(root)
                return False  # staged: nothing was written, no journal entry was made
            current = {rel: self._pending[rel] if rel in self._pending else read_bytes(root / rel)
                       for rel in self.rels}
            changed = [rel for rel in self.rels if current[rel] != self._saved.get(rel)]
            if not changed:
                if self._entry is not None:
                    journal.clear(root)
                return False
            message = git.format_message(self.summary, self.body, self.trailers)
            writes = [(rel, self._pending[rel]) for rel in changed if rel in self._pending]
            try:
                # Staged, the commit entry comes before the first byte, so a crash leaves each
                # file as it was or as intended -- finished or rolled back by the next command.
                staged = self._entry is None
                if not staged:
                    self._write_pending(writes)
                journal.prepare_commit(root, self._saved, {rel: current[rel] for rel in changed}, message,
                                       self.author, self.committer, journal.now_git_date())
                self._entry = None  # phase "commit": the intended bytes are in the journal
                if staged:
                    self._write_pending(writes)
                # Files that existed before were clean (tracked and unchanged): no `git add` needed.
                tracked = all(self._saved.get(rel) is not None for rel in changed)
                self.commit = journal.commit_with_retry(root, changed, message, author=self.author,
                                                        committer=self.committer, timeout=lock_timeout(),
                                                        tracked=tracked)
            except BaseException:
                self._restore()
                journal.clear(root)
                raise
            journal.clear(root)
            self.rels = changed
            return False
        finally:
            self._lock.__exit__(None, None, None)


def unfinished_operation(root: Path) -> str | None:
    """A sync (or a git rebase or merge) that is paused or was interrupted, in Chinese; None when
    there is none. While there is one, a new commit would be lost: changes are refused."""
    import json

    gdir = git.git_dir(root)
    if gdir is None:
        return None
    try:
        phase = json.loads((gdir / "gktrack" / SYNC_STATE).read_text(encoding="utf-8")).get("phase")
    except (OSError, ValueError, AttributeError):
        phase = None
    if phase in SYNC_BUSY_PHASES:
        what = "停在了合并冲突处" if phase == "paused" else "被中断"
        return (f"上次同步{what},尚未完成;此时记录的修改会在放弃同步时丢失,已拒绝。"
                "请先运行 gktrack sync --continue 完成同步(或 gktrack sync --abort 放弃)")
    for name, label in _GIT_OPERATIONS:
        if (gdir / name).exists():
            return (f"仓库正处于未完成的 git {label}中,此时提交的修改可能丢失,已拒绝;"
                    f"请先完成或放弃它(gktrack sync --continue / --abort,或 git {'rebase' if label == '变基' else 'merge'} --abort)")
    return None


def unit_names(plan: Plan) -> list[str]:
    """The unit names a plan's tasks give, and its owner: enough to tell that a plan cannot
    concern a unit (``load_plans(concerns=...)``) without reading it."""
    names = {ref.name for task in plan.tasks for ref in task.units}
    if plan.owner:
        names.add(plan.owner)
    return sorted(names)


_REF_SEPARATORS = ("/", "\uff0f", "#", "\uff03", ":", "\uff1a", "\\")


def parse_task_ref(ref: str) -> tuple[str | None, int]:
    """A task as people write it: ``hl2022/3`` (also with ／ # : or -, as in ``xj2024-46``), or the
    number alone (``46``: the plan is then the repository's only one, see ``find_task``)."""
    text = (ref or "").strip().translate({0xFF10 + i: 0x30 + i for i in range(10)})
    if text.isdigit() and int(text) >= 1:
        return None, int(text)
    for sep in _REF_SEPARATORS:
        if sep in text:
            plan_id, _, number = text.rpartition(sep)
            break
    else:
        plan_id, _, number = text.replace("\uff0d", "-").rpartition("-")
    if not re.match(PLAN_ID_PATTERN, plan_id) or not number.isdigit() or int(number) < 1:
        raise InputError(f"任务编号“{ref}”应写成 计划/序号,如 hl2022/3")
    return plan_id, int(number)


def _runs(ids: list[int], most: int = 6) -> str:
    """"1–2、4–49": the ids as runs of consecutive numbers (a task deleted by hand leaves a gap)."""
    runs: list[list[int]] = []
    for n in sorted(set(ids)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    said = [f"{a}–{b}" if b > a else str(a) for a, b in runs[:most]]
    return "、".join(said) + ("等" if len(runs) > most else "")
