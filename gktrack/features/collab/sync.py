"""``gktrack sync``: fetch, integrate, push, and say in Chinese what happened.

Integration is a **rebase** of the local, not yet pushed commits onto the server's, never a merge
commit: the history is the audit trail. Every commit keeps its author, date, trailers and its own
diff, so ``log``, ``git blame`` and the server's hook attribute each change to who made it (a
merge commit would show the other office's work as the syncing person's hand edit). Only commits
nobody else has seen are rewritten, and pushes are fast-forwards. During a rebase the merge
driver's incoming side is the local commit, so a task both sides added under one id is renumbered
on the unpublished side, and its commits are re-described with the new id and a
``Gktrack-Renumbered`` trailer.

A push someone beat us to is retried after integrating their work (``MAX_ATTEMPTS``). A real
conflict stops the rebase with the file still valid YAML (see ``mergedriver``); ``--continue``
finishes it, ``--abort`` undoes it.

No recorded work is lost, whatever happens to the process:

* the state file says which phase a sync is in, and before git replays anything the local tip is
  kept under ``BACKUP_REF`` (git moves the branch only when its rebase ends);
* a sync killed while git rebased is never resumed with ``git rebase --continue`` (git's state may
  be cut short, and continuing can "succeed" without the commits not yet replayed): the next
  command waits for an orphaned git, undoes the rebase (by hand when git cannot), puts the branch
  back on the kept tip unless every local commit is there, removes the driver's ``.merge_file_*``
  leftovers, and starts over;
* every finished rebase is checked: as many commits above the server's tip as local commits not
  already there (``git cherry``), or the branch goes back to the kept tip and nothing is pushed;
* while a sync is paused or interrupted every gktrack change is refused
  (``Repository.require_no_unfinished_sync``), and ``--abort`` refuses to drop commits made by
  hand meanwhile;
* ``--continue`` refuses while a touched file still has conflict markers or ``conflict:``
  records, and before a push the commits are checked as the server's hook checks files.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Callable, Iterator

from gktrack.domain.model import Task
from gktrack.domain.text import clip
from gktrack.environment import lock_timeout, sync_timeout
from gktrack.errors import DirtyError, GktrackError, InputError, PlanFileError, RepoError, SyncUnavailableError
from gktrack.features.collab import mergedriver
from gktrack.features.collab.hooks import GitObjects, plan_header, validation_findings
from gktrack.storage import git, journal, yamldoc
from gktrack.storage.files import atomic_write
from gktrack.storage.history import read_log
from gktrack.storage.plandiff import describe_task_change
from gktrack.storage.planfile import parse_plan
from gktrack.storage.reader import CONFLICT_KEY
from gktrack.storage.registry import REGISTRY_FILE
from gktrack.storage.repo import PLANS_DIR, SYNC_STATE, Repository

MAX_ATTEMPTS = 5
TRAILER_RENUMBERED = "Gktrack-Renumbered"
BACKUP_REF = "refs/gktrack/sync-backup"
MERGE_LEFTOVER = ".merge_file_"
# A task's change is one line under its commit: a closing note or a long text is cut there.
_CHANGE_LINE = 60


Step = Callable[[str], None]  # told each step's Chinese name as it starts


def _quiet(text: str) -> None:
    """The default ``Step``: nothing shown."""


# --- results ----------------------------------------------------------------------------------


@dataclass
class ChangeLine:
    """One line of sync's "涉及:" (``plandiff.TaskChange`` is the change itself)."""

    ref: str  # "hl2022/3", or a plan id / units.yaml for changes outside tasks
    what: str  # Chinese, as the audit trail says it (plandiff): 新增进展1条 / 状态 未完成→已完成,…

    def to_json(self) -> dict:
        return {"ref": self.ref, "change": self.what}


@dataclass
class SyncResult:
    remote: str
    branch: str
    url: str
    status: str = "ok"  # ok | up-to-date | conflict | rejected
    incoming: list = field(default_factory=list)  # history.Commit, newest first
    outgoing: list = field(default_factory=list)
    incoming_tasks: list[ChangeLine] = field(default_factory=list)
    outgoing_tasks: list[ChangeLine] = field(default_factory=list)
    renumbered: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    conflict_files: list[str] = field(default_factory=list)
    attempts: int = 1
    setup: list[str] = field(default_factory=list)
    remote_messages: list[str] = field(default_factory=list)
    first_push: bool = False

    @property
    def target(self) -> str:
        return f"{self.remote}/{self.branch}"

    def to_json(self) -> dict:
        data = {"status": self.status, **{f.name: getattr(self, f.name) for f in fields(self)}}
        del data["first_push"]  # said in the text only
        for name in ("incoming", "outgoing", "incoming_tasks", "outgoing_tasks"):
            data[name] = [item.to_json() for item in data[name]]
        return data


# --- git plumbing -----------------------------------------------------------------------------


def _git(root: Path, *args: str, input: str | None = None, env: dict | None = None,
         timeout: float | None = None) -> subprocess.CompletedProcess:
    """git with its exit status and both outputs (sync needs git's own words on failure)."""
    # never hang on a password prompt (unless the user asked for prompts)
    prompt = {} if "GIT_TERMINAL_PROMPT" in os.environ else {"GIT_TERMINAL_PROMPT": "0"}
    return git.call(root, args, input=input, env={**prompt, **(env or {})}, timeout=timeout, text=True,
                    encoding="utf-8", errors="replace")


def _last_line(proc: subprocess.CompletedProcess) -> str:
    lines = [line.strip() for line in (proc.stderr or proc.stdout or "").splitlines() if line.strip()]
    useful = [line for line in lines if line.startswith(("fatal:", "error:"))]
    return (useful or lines or [f"退出码 {proc.returncode}"])[-1]


def _rev(root: Path, ref: str) -> str | None:
    out = git.run(root, "rev-parse", "--verify", "-q", f"{ref}^{{commit}}", check=False).strip()
    return out or None


def _is_ancestor(root: Path, older: str, newer: str) -> bool:
    return _git(root, "merge-base", "--is-ancestor", older, newer).returncode == 0


def _git_dir(root: Path) -> Path:
    found = git.git_dir(root, ask_git=True)
    if found is None:
        raise RepoError(f"{root} 不是 git 仓库")
    return found


def _state_path(root: Path) -> Path:
    return _git_dir(root) / "gktrack" / SYNC_STATE


def _save_state(root: Path, state: dict) -> None:
    path = _state_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(state, ensure_ascii=False))


def _load_state(root: Path) -> dict | None:
    try:
        return json.loads(_state_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _clear_state(root: Path) -> None:
    with contextlib.suppress(OSError):
        _state_path(root).unlink()


def rebase_in_progress(root: Path) -> bool:
    return mergedriver.rebase_folder(_git_dir(root)) is not None


# --- a sync that did not finish ----------------------------------------------------------------


def _phase(root: Path, state: dict | None) -> str | None:
    """What an unfinished sync left: "paused" (on a conflict, waiting for the person),
    "interrupted" (killed while git rebased), "foreign" (a rebase gktrack did not start), "stale"
    (killed outside the rebase: nothing to undo), or None."""
    rebasing = rebase_in_progress(root)
    phase = (state or {}).get("phase")
    if rebasing:
        if state is None:
            return "foreign"
        if phase == "paused" or (phase is None and _unmerged(root)):
            return "paused"
        return "interrupted"
    if state is None:
        return None
    return "interrupted" if phase in ("rebasing", "continuing") else "stale"


def _remove_merge_leftovers(root: Path) -> None:
    """The merge driver's temporary files that git (killed meanwhile) left in the work tree."""
    for path in root.iterdir():
        if path.name.startswith(MERGE_LEFTOVER) and path.is_file():
            tracked = git.run(root, "ls-files", "--", path.name, check=False).strip()
            if not tracked:
                path.unlink(missing_ok=True)


def _kept_all(root: Path, orig: str | None, onto: str | None, tip: str | None, emptied: int = 0) -> bool:
    """Whether ``tip`` (the branch after a rebase of ``orig`` onto ``onto``) still holds every
    local commit; ``emptied``: commits the person's conflict resolutions left with no change
    (git drops those, on purpose)."""
    if not orig or not tip or tip == orig:
        return tip == orig
    if not onto or not _is_ancestor(root, onto, tip):
        return False
    above = int(git.run(root, "rev-list", "--count", "--no-merges", f"{onto}..{tip}").strip() or 0)
    # the local commits not already on the server, by content ("git cherry" marks those with "+")
    local = git.run(root, "cherry", onto, orig, check=False).splitlines()
    return above + emptied >= sum(1 for line in local if line.startswith("+"))


def _restore_branch(root: Path, branch: str, orig: str) -> None:
    git.run(root, "symbolic-ref", "HEAD", f"refs/heads/{branch}")
    git.run(root, "update-ref", "-m", "gktrack sync: 恢复同步前的本地提交", f"refs/heads/{branch}", orig)
    git.run(root, "reset", "-q", "--hard", "HEAD")


def _verify_rebase(root: Path, state: dict) -> None:
    """After git ended a rebase: every local commit must be above the server's tip, or the
    branch goes back to the kept tip and nothing is pushed."""
    orig, onto = state.get("orig_head"), state.get("rebase_onto")
    if _kept_all(root, orig, onto, git.head(root), state.get("emptied", 0)):
        return
    _restore_branch(root, state["branch"], orig)
    _finish_cleanup(root)
    raise RepoError("把本地提交接到服务器的提交之后时,有本地提交没有接上;已恢复为同步前的本地提交,未推送任何内容,"
                    "请再运行 gktrack sync")


def _recover(repo: Repository, state: dict) -> str:
    """Undo a sync killed while git rebased (see the module's docstring); what was done."""
    root = repo.root
    journal.wait_for_git(root, lock_timeout())  # a rebase whose parent was killed may still run
    journal.settle_git_locks(root, lock_timeout(), refs=True)
    branch = state.get("branch") or _current_branch(root)
    orig = state.get("orig_head") or _rev(root, BACKUP_REF)
    by_hand = False
    if rebase_in_progress(root):
        proc = _git(root, "rebase", "--abort")
        if proc.returncode != 0 or rebase_in_progress(root):
            folder = _git_dir(root)
            for name in mergedriver.REBASE_FOLDERS:
                shutil.rmtree(folder / name, ignore_errors=True)
            by_hand = True
    tip = _rev(root, f"refs/heads/{branch}")
    if orig and not _kept_all(root, orig, state.get("rebase_onto"), tip):
        _restore_branch(root, branch, orig)
    elif by_hand or git.run(root, "symbolic-ref", "-q", "HEAD", check=False).strip() != f"refs/heads/{branch}":
        git.run(root, "symbolic-ref", "HEAD", f"refs/heads/{branch}")
        git.run(root, "reset", "-q", "--hard", "HEAD")
    _finish_cleanup(root)
    was = "继续同步(sync --continue)" if state.get("phase") == "continuing" else "同步"
    again = ",已处理的冲突需要重新处理" if state.get("phase") == "continuing" else ""
    return f"上次{was}在把本地提交接到服务器提交之后时被中断;已恢复为同步前的本地提交(一个不少){again},重新同步"


def _finish_cleanup(root: Path) -> None:
    _remove_merge_leftovers(root)
    git.run(root, "update-ref", "-d", BACKUP_REF, check=False)
    _clear_state(root)
    mergedriver.clear_notes(_git_dir(root))


def _made_while_paused(root: Path, state: dict) -> list[str]:
    """Commits on the paused rebase's HEAD that are not replays of the local commits: made by
    hand while the sync waited (``--abort`` would throw them away)."""
    onto, orig = state.get("rebase_onto"), state.get("orig_head")
    if not onto or not orig:
        return []
    fmt = "--format=%H%x00%an%x00%ae%x00%ad%x00%B%x01"

    def commits(span: str) -> list[tuple[str, tuple]]:
        out = git.run(root, "log", "--date=raw", fmt, span, check=False)
        records = [record.strip("\n").split("\0") for record in out.split("\x01")]
        return [(parts[0], tuple(parts[1:])) for parts in records if len(parts) == 5]

    mine = Counter(key for _sha, key in commits(f"{onto}..{orig}"))
    extra = []
    for sha, key in reversed(commits(f"{onto}..HEAD")):
        if mine[key]:
            mine[key] -= 1
        else:
            extra.append(sha)
    return extra


# --- where to sync with -----------------------------------------------------------------------


@dataclass
class _Target:
    remote: str
    branch: str  # the local branch
    remote_branch: str
    url: str
    configured: bool  # the branch already tracks it

    @property
    def tracking(self) -> str:
        return f"refs/remotes/{self.remote}/{self.remote_branch}"


def _current_branch(root: Path) -> str:
    out = git.run(root, "symbolic-ref", "-q", "--short", "HEAD", check=False).strip()
    if not out:
        raise RepoError("当前不在任何分支上(HEAD 处于分离状态),无法同步;请先 git checkout main")
    return out


def _target(root: Path, branch: str, remote: str | None) -> _Target:
    remotes = git.run(root, "remote").split()
    if not remotes:
        raise RepoError(
            "本仓库没有设置远程仓库,无需也无法同步,未做任何改动;"
            "如各单位共用服务器上的计划仓库,请先运行 git remote add origin <仓库地址>"
        )
    if remote is not None and remote not in remotes:
        raise InputError(f"没有名为“{remote}”的远程仓库;现有:{'、'.join(remotes)}")
    tracked = git.run(root, "config", "--get", f"branch.{branch}.remote", check=False).strip()
    merge = git.run(root, "config", "--get", f"branch.{branch}.merge", check=False).strip()
    configured = tracked in remotes and merge.startswith("refs/heads/") and remote in (None, tracked)
    if configured:
        remote = tracked
    elif remote is None:
        if "origin" not in remotes and len(remotes) > 1:
            raise InputError(f"有多个远程仓库({'、'.join(remotes)}),请用 --remote 指定与哪一个同步")
        remote = "origin" if "origin" in remotes else remotes[0]
    remote_branch = merge.removeprefix("refs/heads/") if configured else branch
    url = git.run(root, "remote", "get-url", remote, check=False).strip()
    return _Target(remote, branch, remote_branch, url, configured)


def _check_no_plain_merge(root: Path) -> None:
    """A ``git pull`` (or ``git merge``) left unfinished: its conflict markers are not gktrack's
    to resolve, and committing them would break the plan. Undoing the merge loses nothing."""
    if (_git_dir(root) / "MERGE_HEAD").exists():
        raise RepoError("仓库中有一次未完成的 git 合并(如 git pull 停在了冲突处),计划文件里留有冲突标记;"
                        "请先运行 git merge --abort 放弃这次合并(本地的提交都还在),再运行 gktrack sync:"
                        "gktrack 会先登记按任务合并的驱动,再合并别人的修改")


def _check_clean(root: Path) -> None:
    dirty = git.dirty_paths(root, [], untracked=False)
    if dirty:
        first = dirty[0]
        raise DirtyError(
            f"{first} 有未提交的修改,同步前需先提交或放弃,未做任何改动;"
            f"可运行 gktrack commit-edits {first} 提交(会先检查格式),或 git checkout -- {first} 放弃"
        )
    # A file an editor only saved with CRLF is no change, but git's index still holds its old size
    # and the rebase would refuse it: staged again, it records the same content.
    git.run(root, "add", "-u")


# --- the steps --------------------------------------------------------------------------------


def _over_network(root: Path, target: _Target, args: tuple, doing: str,
                  then: str) -> subprocess.CompletedProcess:
    """git talking to the remote; given up after ``sync_timeout()``, saying what it was ``doing``
    and what is ``then`` true."""
    try:
        return _git(root, *args, timeout=sync_timeout())
    except subprocess.TimeoutExpired:
        raise SyncUnavailableError(
            f"{doing} {target.remote}({target.url})超过 {sync_timeout():.0f} 秒无响应{then}") from None


def _fetch(root: Path, target: _Target) -> bool:
    """Fetch the remote branch into its tracking ref; False when the remote has no such branch."""
    refspec = f"+refs/heads/{target.remote_branch}:{target.tracking}"
    proc = _over_network(root, target, ("fetch", "-q", "--no-tags", target.remote, refspec),
                         "连接远程仓库", ",本地未做任何改动;请稍后再试")
    if proc.returncode == 0:
        return True
    text = proc.stderr or ""
    if "couldn't find remote ref" in text or "could not find remote ref" in text.lower():
        return False
    raise SyncUnavailableError(
        f"无法从远程仓库 {target.remote}({target.url})取回:{_last_line(proc)};本地未做任何改动,请检查网络后再试"
    )


def _integrate(repo: Repository, upstream: str | None, state: dict) -> bool:
    """Bring the upstream's commits under ours (fast-forward or rebase); True when the rebase
    stopped on a conflict."""
    root = repo.root
    head = git.head(root)
    if upstream is None or head == upstream or (head and _is_ancestor(root, upstream, head)):
        return False
    if head is None or _is_ancestor(root, head, upstream):
        proc = _git(root, "merge", "--ff-only", "-q", upstream)
        if proc.returncode != 0:
            raise RepoError(f"快进到远程版本失败:{_last_line(proc)}")
        return False
    state["rebase_id"] = f"{head}:{upstream}"
    state["rebase_onto"] = upstream
    state["orig_head"] = head
    state["phase"] = "rebasing"
    # Kept before git moves anything: a kill from here on is undone from these (``_recover``).
    git.run(root, "update-ref", BACKUP_REF, head)
    _save_state(root, state)
    proc = _git(root, "-c", "rebase.autoStash=false", "-c", "rebase.updateRefs=false", "rebase", "-q",
                "--empty=keep", upstream, env={"GIT_EDITOR": "true", "GIT_SEQUENCE_EDITOR": "true"})
    _remove_merge_leftovers(root)
    if proc.returncode == 0 and not rebase_in_progress(root):
        _verify_rebase(root, state)
        _fix_renumbered_messages(repo, upstream, state["rebase_id"])
        state["phase"] = "rebased"
        _save_state(root, state)
        return False
    if rebase_in_progress(root) and _unmerged(root):
        return True
    detail = _last_line(proc)
    if rebase_in_progress(root):
        _git(root, "rebase", "--abort")
    if git.head(root) != head:
        _restore_branch(root, state["branch"], head)
    _finish_cleanup(root)
    raise RepoError(f"把本地提交接到远程提交之后时失败:{detail};已恢复到同步前的状态")


def _diff_names(root: Path, *args: str, check: bool = False) -> list[str]:
    """The paths ``git diff --name-only args…`` lists."""
    out = git.run(root, "diff", "--name-only", "-z", *args, check=check)
    return [p for p in out.split("\0") if p]


def _unmerged(root: Path) -> list[str]:
    return _diff_names(root, "--diff-filter=U")


def _push(root: Path, target: _Target) -> tuple[str, list[str]]:
    """("ok" | "stale" | "rejected", the server's messages)."""
    refspec = f"HEAD:refs/heads/{target.remote_branch}"
    proc = _over_network(root, target, ("push", "--porcelain", target.remote, refspec), "推送到",
                         ";本地已合入远程的修改但尚未推送,请稍后再运行 gktrack sync")
    output = (proc.stdout or "") + "\n" + (proc.stderr or "")
    remote_lines = [line[len("remote: "):].rstrip() for line in output.splitlines() if line.startswith("remote: ")]
    remote_lines = [line for line in remote_lines if line.strip()]
    if proc.returncode == 0:
        return "ok", remote_lines
    if "hook declined" in output or "pre-receive" in output:
        return "rejected", remote_lines
    # Someone pushed between our fetch and our push, or at the same moment as our push.
    if any(sign in output for sign in ("[rejected]", "non-fast-forward", "fetch first", "stale info",
                                       "failed to update ref", "cannot lock ref", "incorrect old value")):
        return "stale", remote_lines
    if "[remote rejected]" in output:
        return "rejected", remote_lines or [_last_line(proc)]
    raise SyncUnavailableError(
        f"推送到 {target.remote}({target.url})失败:{_last_line(proc)};"
        "本地已合入远程的修改但尚未推送,请检查网络后再运行 gktrack sync"
    )


# --- the renumbered tasks' commit messages ----------------------------------------------------


def _fix_renumbered_messages(repo: Repository, upstream: str, rebase: str) -> None:
    """Re-describe the rebased commits of a renumbered task with its new id (same trees)."""
    root = repo.root
    notes = [n for n in _notes(root, "renumber") if n.get("what") == "task" and n.get("rebase") == rebase]
    if not notes:
        return
    commits = git.run(root, "rev-list", "--reverse", f"{upstream}..HEAD").split()
    parent = upstream
    rewritten = False
    fmt = "--format=%an%x00%ae%x00%ad%x00%cn%x00%ce%x00%cd%x00%B"
    for sha in commits:
        info = git.run(root, "log", "-1", "--date=raw", fmt, sha)
        an, ae, ad, cn, ce, cd, message = info.split("\0", 6)
        new_message = _renumber_message(message, notes)
        if not rewritten and new_message == message:
            parent = sha
            continue
        rewritten = True
        env = {"GIT_AUTHOR_NAME": an, "GIT_AUTHOR_EMAIL": ae, "GIT_AUTHOR_DATE": ad,
               "GIT_COMMITTER_NAME": cn, "GIT_COMMITTER_EMAIL": ce, "GIT_COMMITTER_DATE": cd}
        proc = _git(root, "commit-tree", f"{sha}^{{tree}}", "-p", parent, "-F", "-", input=new_message, env=env)
        if proc.returncode != 0:
            raise RepoError(f"更正任务编号时写提交失败:{_last_line(proc)}")
        parent = proc.stdout.strip()
    if rewritten:
        git.run(root, "update-ref", "-m", "gktrack sync: 更正重新编号任务的提交说明", "HEAD", parent, commits[-1])


def _renumber_message(message: str, notes: list[dict]) -> str:
    text = message
    applied = []
    for note in notes:
        pattern = re.compile(rf"(?<![\w-]){re.escape(note['plan'])}/{note['old']}(?!\d)")
        new_ref = f"{note['plan']}/{note['new']}"
        text, found = pattern.subn(new_ref, text)
        if found:
            applied.append(f"{TRAILER_RENUMBERED}: {note['plan']}/{note['old']} -> {new_ref}")
    if not applied:
        return message
    body = text.rstrip("\n")
    separator = "\n" if git.read_trailers(body) else "\n\n"
    return body + separator + "\n".join(applied) + "\n"


# --- what changed -----------------------------------------------------------------------------


def _tasks_at(root: Path, rev: str, rel: str) -> tuple[dict | None, dict[int, Task]]:
    """(header data, {task id: task}) of one plan file at ``rev``; (None, {}) if absent/unreadable.

    Read leniently (problems collected, not raised): a commit with a hand-made slip in one task
    still says what changed in the others."""
    proc = _git(root, "show", f"{rev}:{rel}")
    if proc.returncode != 0:
        return None, {}
    try:
        plan = parse_plan(proc.stdout, rel, problems=[])
    except GktrackError:
        return None, {}
    return plan_header(plan), {task.id: task for task in plan.tasks}


def task_changes(root: Path, old: str | None, new: str | None) -> list[ChangeLine]:
    """Which tasks (and plans, and the registry) differ between two commits."""
    if not old or not new or old == new:
        return []
    changes = []
    for rel in _diff_names(root, "--no-renames", old, new, "--", PLANS_DIR, REGISTRY_FILE, check=True):
        if rel == REGISTRY_FILE:
            changes.append(ChangeLine(REGISTRY_FILE, "单位名册有修改"))
            continue
        if not rel.endswith(".yaml"):
            continue
        plan_id = Path(rel).stem
        header_before, before = _tasks_at(root, old, rel)
        header_after, after = _tasks_at(root, new, rel)
        if header_before is None and header_after is not None:
            changes.append(ChangeLine(plan_id, f"新增计划({len(after)} 项任务)"))
            continue
        if header_after is None:
            changes.append(ChangeLine(plan_id, "计划文件被删除或无法读取"))
            continue
        if header_before != header_after:
            changes.append(ChangeLine(plan_id, "修改计划信息或章节"))
        for task_id in sorted(set(before) | set(after)):
            if before.get(task_id) != after.get(task_id):
                what = describe_task_change(before.get(task_id), after.get(task_id))
                changes.append(ChangeLine(f"{plan_id}/{task_id}", clip(what, _CHANGE_LINE)))
    return changes


def _commits(repo: Repository, old: str | None, new: str | None) -> list:
    if not new or old == new:
        return []
    # every commit, also one that changes nothing: it is pushed all the same
    return read_log(repo, rev=f"{old}..{new}" if old else new, paths=[])


# --- the command ------------------------------------------------------------------------------


@contextlib.contextmanager
def _locked(repo: Repository, step: Step = _quiet) -> Iterator[tuple[dict | None, str | None]]:
    """The repository locked for a sync command: (the state a sync left, if any; its ``_phase``)."""
    repo.require_git()
    step("等待仓库锁")
    with repo.lock():
        state = _load_state(repo.root)
        yield state, _phase(repo.root, state)


def sync(repo: Repository, *, remote: str | None = None, step: Step = _quiet) -> SyncResult:
    """Fetch, rebase local commits onto the remote's, push; retry a push someone beat us to.
    ``step`` is told the name of each step as it starts (the command shows it)."""
    with _locked(repo, step) as (state, phase):
        if phase == "paused":
            raise RepoError("上次同步停在了合并冲突处:处理好冲突后运行 gktrack sync --continue,或用 gktrack sync --abort 放弃")
        recovered = _start_over(repo, state, phase)
        return _sync_locked(repo, remote, step, recovered)


def _start_over(repo: Repository, state: dict | None, phase: str | None) -> list[str]:
    """Clear what an unfinished sync left so a new one can start; what was done, in Chinese."""
    if phase == "foreign":
        raise RepoError("仓库中有一个不是 gktrack sync 开始的变基尚未完成:请先用 git rebase --continue 或 "
                        "git rebase --abort 处理,再运行 gktrack sync")
    if phase == "interrupted":
        return [_recover(repo, state)]
    if phase == "stale":
        _finish_cleanup(repo.root)
    return []


def _sync_locked(repo: Repository, remote: str | None, step: Step, notes: list[str]) -> SyncResult:
    root = repo.root
    branch = _current_branch(root)
    target = _target(root, branch, remote)
    _check_no_plain_merge(root)
    _check_clean(root)
    step(f"从 {target.remote} 取回别人的修改")
    exists = _fetch(root, target)
    # A fresh clone has the attribute but not the driver (git config is never cloned).
    setup = notes + mergedriver.install(root) + git.keep_history_fast(root)
    mergedriver.clear_notes(_git_dir(root))
    state = {**asdict(target), "start": git.head(root), "attempts": 1, "setup": setup, "phase": "fetch"}
    _save_state(root, state)
    return _finish(repo, target, state, exists, step)


def continue_sync(repo: Repository, *, step: Step = _quiet) -> SyncResult:
    """After the conflicts are resolved by hand: finish the rebase, push, report. A sync that was
    killed is not continued but undone and started over (see the module's docstring)."""
    root = repo.root
    with _locked(repo, step) as (state, phase):
        if phase in ("interrupted", "foreign") or (phase == "stale" and state.get("phase") != "rebased"):
            recovered = _start_over(repo, state, phase)
            return _sync_locked(repo, state.get("remote") if state else None, step, recovered)
        if state is None:
            raise InputError("没有进行中的同步,无需 --continue;直接运行 gktrack sync")
        target = _Target(*(state[f.name] for f in fields(_Target)))
        if rebase_in_progress(root):
            # Locks a git killed earlier left (index.lock from a killed `git add`, CHERRY_PICK_HEAD.lock…)
            # would fail this --continue and every one after it.
            journal.settle_git_locks(root, lock_timeout(), refs=True)
            files = _unmerged(root)
            # the unmerged files and what differs from the server's tip (``git add`` by hand hides none)
            onto = state.get("rebase_onto")
            touched = files + (_diff_names(root, "--no-renames", onto, "--", PLANS_DIR, REGISTRY_FILE)
                               if onto else [])
            problems = [problem for rel in dict.fromkeys(touched) for problem in _unresolved(root / rel, rel)]
            if problems:
                raise PlanFileError(f"冲突尚未处理完:{problems[0]}" + (f"(另有 {len(problems) - 1} 处)" if len(problems) > 1 else ""))
            if files:
                git.run(root, "add", "--", *files)
            if (_git_dir(root) / "REBASE_HEAD").exists() and _git(root, "diff", "--cached", "--quiet", "HEAD").returncode == 0:
                # The resolution keeps nothing of this local commit: git drops it, as the person chose.
                state["emptied"] = state.get("emptied", 0) + 1
            step("继续把本地提交接在服务器的提交之后")
            state["phase"] = "continuing"
            _save_state(root, state)
            proc = _git(root, "rebase", "--continue", env={"GIT_EDITOR": "true"})
            _remove_merge_leftovers(root)
            if rebase_in_progress(root):
                if proc.returncode != 0 and _unmerged(root):
                    return _conflict_result(repo, target, state)
                state["phase"] = "paused"
                _save_state(root, state)
                why = _last_line(proc) if proc.returncode != 0 else "变基仍未完成"
                raise RepoError(f"继续同步失败:{why};可用 gktrack sync --abort 放弃本次同步")
            _verify_rebase(root, state)
            if state.get("rebase_onto"):
                _fix_renumbered_messages(repo, state["rebase_onto"], state["rebase_id"])
            state["phase"] = "rebased"
            _save_state(root, state)
        return _finish(repo, target, state, None, step)


def abort_sync(repo: Repository) -> str:
    root = repo.root
    with _locked(repo) as (state, phase):
        if phase is None:
            raise InputError("没有进行中的同步,无需 --abort")
        if phase == "foreign":
            raise RepoError("未完成的变基不是 gktrack sync 开始的,gktrack 不会放弃它;请用 git rebase --abort")
        if phase == "interrupted":
            _recover(repo, state)
            return "上次同步被中断,已恢复为同步前的本地提交(一个不少),没有推送任何内容"
        if phase == "paused":
            extra = _made_while_paused(root, state)
            if extra:
                shown = "、".join(sha[:8] for sha in extra[:5])
                raise RepoError(f"同步暂停期间又有 {len(extra)} 个提交({shown}),放弃同步会丢掉它们,已拒绝;"
                                "请先处理好冲突后运行 gktrack sync --continue")
            _recover(repo, state)  # undoes the rebase as it undoes an interrupted one
        _finish_cleanup(root)
    return "已放弃本次同步:本地提交恢复为同步前的样子,没有推送任何内容"


def _finish(repo: Repository, target: _Target, state: dict, exists: bool | None, step: Step) -> SyncResult:
    """Integrate and push, retrying when the server moved on; then describe what happened.
    ``exists``: the first round's fetch found the remote branch (None: not fetched yet)."""
    root = repo.root
    while True:
        if exists is None:
            step(f"从 {target.remote} 取回别人的修改" + (f"(第 {state['attempts']} 次尝试)" if state["attempts"] > 1 else ""))
            exists = _fetch(root, target)
        upstream = _rev(root, target.tracking) if exists else None
        state["upstream"] = upstream
        step("把本地提交接在服务器的提交之后(变基)")
        if _integrate(repo, upstream, state):
            return _conflict_result(repo, target, state)
        state.pop("rebase_onto", None)
        head = git.head(root)
        if head is None or head == upstream:
            break
        _check_before_push(root, upstream, head)
        step(f"推送到 {target.remote}")
        status, messages = _push(root, target)
        if status == "ok":
            git.run(root, "update-ref", target.tracking, head)
            if not target.configured:
                git.run(root, "branch", f"--set-upstream-to={target.remote}/{target.remote_branch}", check=False)
            state["pushed_from"] = upstream
            state["pushed_to"] = head
            break
        if status == "rejected":
            result = _result(repo, target, state, upstream)
            result.status = "rejected"
            result.remote_messages = messages
            result.outgoing = _commits(repo, upstream, head)
            _finish_cleanup(root)
            return result
        if state["attempts"] >= MAX_ATTEMPTS:
            _finish_cleanup(root)
            raise RepoError(f"已重试 {MAX_ATTEMPTS} 次,推送仍被更新的远程提交抢先;本地已合入最新修改,请稍后再运行 gktrack sync")
        state["attempts"] += 1
        _save_state(root, state)
        exists = None
    step("整理收到和推送的修改")
    result = _result(repo, target, state, state.get("upstream"))
    if state.get("pushed_to"):
        result.outgoing = _commits(repo, state.get("pushed_from"), state["pushed_to"])
        result.outgoing_tasks = task_changes(root, state.get("pushed_from"), state["pushed_to"])
        result.first_push = state.get("pushed_from") is None
    if not result.incoming and not result.outgoing:
        result.status = "up-to-date"
    _finish_cleanup(root)
    return result


def _check_before_push(root: Path, upstream: str | None, head: str) -> None:
    """What the server's hook would refuse for the files' sake (``hooks.validation_findings``),
    refused here before anything is pushed: a plan no client could read, an unresolved
    ``conflict:``, conflict markers. Judged commit by commit, as the hook judges: a later commit
    that mends a broken one does not make the broken one pass. The local commits stay."""
    objects = GitObjects(root)
    # A first push may carry a whole history (a city's ten thousand commits): judged as one change.
    shas = objects.text("rev-list", "--reverse", "--topo-order", head, "--not", upstream).split() if upstream else [head]
    for sha in shas:
        commit = objects.commit(sha)
        base = (commit.parents[0] if commit.parents else objects.empty_tree()) if upstream else objects.empty_tree()
        found = validation_findings(objects.changes(base, sha), objects.file_at(sha, REGISTRY_FILE))
        if not found:
            continue
        _finish_cleanup(root)
        _target_, _rule, detail = found[0]
        more = f"(另有 {len(found) - 1} 处)" if len(found) > 1 else ""
        which = f"本地提交 {sha[:8]}“{commit.summary}”中 " if upstream else ""
        raise PlanFileError(f"推送前检查发现问题,未推送:{which}{detail}{more};"
                            "服务器逐个检查提交,其后的修正不能抵消它,整次推送会被拒绝:请用 gktrack undo 逐个撤回"
                            "尚未推送的提交,直到撤回它为止,改正后再运行 gktrack sync")


def _result(repo: Repository, target: _Target, state: dict, upstream: str | None) -> SyncResult:
    root = repo.root
    result = SyncResult(target.remote, target.remote_branch, target.url, attempts=state.get("attempts", 1),
                        setup=list(state.get("setup") or []))
    start = state.get("start")
    if upstream and start:
        base = git.run(root, "merge-base", start, upstream, check=False).strip() or None
        result.incoming = _commits(repo, start, upstream)
        result.incoming_tasks = task_changes(root, base, upstream)
    elif upstream:
        result.incoming = _commits(repo, None, upstream)
    result.renumbered = [{"plan": n["plan"], "kind": n["what"], "old": n["old"], "new": n["new"]}
                         for n in _notes(root, "renumber")]
    return result


def _notes(root: Path, kind: str) -> list[dict]:
    """The merge driver's notes of one kind ("renumber", "conflict"), of this sync's rebases."""
    return [note for note in mergedriver.read_notes(_git_dir(root)) if note.get("kind") == kind]


def _conflict_result(repo: Repository, target: _Target, state: dict) -> SyncResult:
    root = repo.root
    state["phase"] = "paused"
    _save_state(root, state)
    result = _result(repo, target, state, _rev(root, target.tracking))
    result.status = "conflict"
    rebase = state.get("rebase_id")
    result.conflicts = [{k: n.get(k) for k in ("file", "plan", "task", "field")}
                        for n in _notes(root, "conflict") if n.get("rebase") == rebase]
    result.conflict_files = _unmerged(root)
    return result


# --- checking a resolved file -----------------------------------------------------------------


def _unresolved(path: Path, rel: str) -> list[str]:
    """What still marks ``path`` as conflicted: markers or ``conflict`` keys, as Chinese places."""
    if not path.exists():
        return []
    try:
        root = yamldoc.compose(yamldoc.decode(path.read_bytes(), rel), rel)
    except GktrackError as exc:
        return [str(exc)]
    if (rel != REGISTRY_FILE and not rel.startswith(f"{PLANS_DIR}/")) or not yamldoc.is_map(root):
        return []
    top = yamldoc.entries(root)
    problems = []
    if CONFLICT_KEY in top:
        problems.append(f"{rel}: 计划信息或章节仍有 {CONFLICT_KEY}: 记录")
    tasks = top.get("tasks", (None, None))[1]
    for task in tasks.value if yamldoc.is_seq(tasks) else []:
        found = yamldoc.entries(task) if yamldoc.is_map(task) else {}
        if CONFLICT_KEY in found:
            task_id = found["id"][1].value if "id" in found else "?"
            problems.append(f"{rel}:{yamldoc.line_of(task)}: 任务 {task_id} 仍有 {CONFLICT_KEY}: 记录")
    return problems
