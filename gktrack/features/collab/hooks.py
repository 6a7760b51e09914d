"""Git hooks: the server-side permission check (pre-receive) and installing hooks.

The pre-receive hook is the one place the rules of ``units.yaml``'s ``people`` section can really
be enforced: the CLI refuses a change the current user may not make, but anyone can edit a file
by hand and commit it. The hook reads every commit a push brings, works out which tasks it
changed (whether gktrack made the commit or a person did) and rejects the push when a commit
changes what its author may not change. The rules in force for a commit are those of the
registry in its parent, so a registry change takes effect from the next commit and must itself
be made by the office.

The person is the commit's **author** e-mail, as the registry maps people. git itself does not
authenticate authors: a plain bare repository over ssh or ``git daemon`` takes the author as
written. Pair the hook with a server that checks who pushes (Gitea/GitLab "verify committer" or
signed commits) where authors cannot be trusted.
"""

from __future__ import annotations

import os
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from gktrack.domain.model import Plan, Registry, Task, to_data
from gktrack.domain.permissions import (
    RULE_ADD_REMOVE, RULE_BROKEN, RULE_OFFICE_FIELDS, RULE_PLAN, RULE_REGISTRY, RULE_UNIT, RULE_UNKNOWN,
    office_people, liaison_change_problems,
)
from gktrack.domain.units import Units
from gktrack.errors import GktrackError, InputError, PermissionDeniedError, RepoError
from gktrack.storage import git
from gktrack.storage.planfile import parse_plan, read_plan
from gktrack.storage.registry import REGISTRY_FILE, parse_registry

ZERO = "0" * 40
HOOK_MARK = "# 由 gktrack hook install 安装"
MAX_REPORTED = 20


@dataclass
class Violation:
    commit: str
    author: str
    summary: str
    task: str | None  # "hl2022/3"; a plan id; or units.yaml
    rule: str
    detail: str

    def describe(self) -> str:
        what = f"任务 {self.task}" if self.task and "/" in self.task else (self.task or "")
        return (f"提交 {self.commit[:8]}({self.author},“{self.summary}”)修改了{what}:{self.detail};"
                f"规则:{self.rule}")

    def to_json(self) -> dict:
        return {"commit": self.commit, "author": self.author, "summary": self.summary, "task": self.task,
                "rule": self.rule, "detail": self.detail}


# --- reading the repository at a commit -------------------------------------------------------


def _show(root: Path, rev: str, rel: str) -> str | None:
    proc = subprocess.run(["git", "-C", str(root), "show", f"{rev}:{rel}"], capture_output=True,
                          env={**os.environ, "LC_ALL": "C.UTF-8"})
    if proc.returncode != 0:
        return None
    return proc.stdout.decode("utf-8", "replace")


def registry_at(root: Path, rev: str | None) -> Registry | None:
    """The registry in commit ``rev``; an empty one if absent; None if it cannot be read."""
    if rev is None:
        return Registry()
    text = _show(root, rev, REGISTRY_FILE)
    if text is None:
        return Registry()
    try:
        return parse_registry(text, REGISTRY_FILE)
    except GktrackError:
        return None


def _plan_at(root: Path, rev: str | None, rel: str) -> Plan | None:
    """The plan in file ``rel`` at ``rev``: None if absent; raises if broken."""
    if rev is None:
        return None
    text = _show(root, rev, rel)
    if text is None:
        return None
    return parse_plan(text, rel)


def _changed_files(root: Path, sha: str, parents: list[str]) -> list[str]:
    if not parents:
        out = git.run(root, "ls-tree", "-r", "--name-only", "-z", sha)
        return [p for p in out.split("\0") if p]
    sets = []
    for parent in parents:
        out = git.run(root, "diff", "--name-only", "--no-renames", "-z", parent, sha)
        sets.append({p for p in out.split("\0") if p})
    # A merge is answerable only for what differs from every parent.
    changed = set.intersection(*sets)
    return sorted(changed)


# --- judging one commit -----------------------------------------------------------------------


@dataclass
class _CommitInfo:
    sha: str
    parents: list[str]
    name: str
    email: str
    summary: str

    @property
    def author(self) -> str:
        return f"{self.name} <{self.email}>"


def _commit_info(root: Path, sha: str) -> _CommitInfo:
    out = git.run(root, "log", "-1", "--format=%P%x00%an%x00%ae%x00%s", sha)
    parents, name, email, summary = out.rstrip("\n").split("\0", 3)
    return _CommitInfo(sha, parents.split(), name, email, summary)


def check_commit(root: Path, sha: str, fallback_rev: str | None = None) -> list[Violation]:
    """The rule violations of one commit, judged by the registry of its first parent."""
    info = _commit_info(root, sha)
    parent = info.parents[0] if info.parents else None
    registry = registry_at(root, parent)
    if registry is None and fallback_rev:
        registry = registry_at(root, fallback_rev)
    if registry is None or not registry.people:
        return []  # no people listed: a single-office repository, everyone may do everything
    units = Units(registry)
    person = units.person(info.email)
    if person is not None and person.role == "office":
        return []
    office = "、".join(office_people(units)) or "政务公开办"
    who = (person.name or person.email) if person else info.email
    out: list[Violation] = []

    def deny(task: str | None, rule: str, detail: str) -> None:
        out.append(Violation(sha, info.author, info.summary, task, rule, detail))

    for rel in _changed_files(root, sha, info.parents):
        if rel == REGISTRY_FILE:
            deny(REGISTRY_FILE, RULE_REGISTRY, f"{who} 不是{office}(office 角色),不能修改单位名册")
            continue
        if not (rel.startswith("plans/") and rel.endswith(".yaml")):
            continue
        plan_id = Path(rel).stem
        if person is None:
            deny(plan_id, RULE_UNKNOWN, f"作者邮箱 {info.email} 不在单位名册的人员(people)中")
            continue
        try:
            before = _plan_at(root, parent, rel)
            after = _plan_at(root, sha, rel)
        except GktrackError as exc:
            deny(plan_id, RULE_BROKEN, f"计划文件无法读取({exc})")
            continue
        others = []
        for other in info.parents[1:]:
            try:
                others.append(_plan_at(root, other, rel))
            except GktrackError:
                others.append(None)
        _judge_plan(units, person, plan_id, before, after, others, deny)
    return out


def _header(plan: Plan) -> dict:
    """What only the office may change: everything but the tasks (the sections included)."""
    return {k: v for k, v in to_data(plan).items() if k != "tasks"}


def _tasks(plan: Plan) -> dict:
    return {task.id: to_data(task) for task in plan.tasks}


def _judge_plan(units: Units, person, plan_id: str, before: Plan | None, after: Plan | None,
                others: list[Plan | None], deny) -> None:
    """What a unit liaison changed in one plan file, against the rules (``deny`` each breach)."""
    who = person.name or person.email
    mine = "、".join(person.units) if person.units else "无单位"
    if before is None or after is None:
        deny(plan_id, RULE_PLAN, "新建或删除了计划文件")
        return
    header_after = _header(after)
    if _header(before) != header_after and not any(o is not None and _header(o) == header_after for o in others):
        deny(plan_id, RULE_PLAN, "修改了计划信息或章节")
    tasks_before, tasks_after = _tasks(before), _tasks(after)
    other_tasks = [_tasks(o) for o in others if o is not None]
    for task_id in sorted(set(tasks_before) | set(tasks_after)):
        old, new = tasks_before.get(task_id), tasks_after.get(task_id)
        if old == new:
            continue
        if any(o.get(task_id) == new for o in other_tasks):
            continue  # the merge took this task as another parent had it
        ref = f"{plan_id}/{task_id}"
        if old is None or new is None:
            deny(ref, RULE_ADD_REMOVE, f"{who} {'新增' if old is None else '删除'}了任务")
            continue
        for rule, detail in liaison_change_problems(units, before, before.task(task_id), after.task(task_id),
                                                    person.units):
            deny(ref, rule, f"{who}({mine}){detail}")


def check_hand_edits(root: Path, email: str | None, rels: list[str]) -> None:
    """``gktrack commit-edits``: the pre-receive rules, applied before the commit is made.

    The working-tree files are judged against HEAD by the registry of HEAD (not the edited one,
    so nobody grants themselves the office role in the same change). Raises PermissionDeniedError.
    """
    registry = registry_at(root, "HEAD") if git.head(root) else Registry()
    if registry is None or not registry.people:
        return
    units = Units(registry)
    person = units.person(email)
    office = "、".join(office_people(units)) or "政务公开办"
    found: list[tuple[str | None, str, str]] = []

    def deny(task: str | None, rule: str, detail: str) -> None:
        found.append((task, rule, detail))

    for rel in rels:
        if rel == REGISTRY_FILE:
            if person is None or person.role != "office":
                deny(REGISTRY_FILE, RULE_REGISTRY, f"不是{office}(office 角色),不能修改单位名册")
            continue
        if person is not None and person.role == "office":
            continue
        plan_id = Path(rel).stem
        if person is None:
            deny(plan_id, RULE_UNKNOWN, f"{email or '当前用户'} 不在单位名册的人员(people)中")
            continue
        before = _plan_at(root, "HEAD", rel)
        path = root / rel
        after = read_plan(path, rel) if path.exists() else None
        _judge_plan(units, person, plan_id, before, after, [], deny)
    if found:
        who = (person.name or person.email) if person else (email or "当前用户")
        shown = ";".join(f"{'任务 ' + t if t and '/' in t else t}:{d}(规则:{r})" for t, r, d in found[:3])
        more = f";……另有 {len(found) - 3} 处" if len(found) > 3 else ""
        raise PermissionDeniedError(f"{who} 不能提交这些手工修改:{shown}{more};请由{office}提交,"
                                    "或用 git checkout -- 文件 放弃修改")


# --- the pre-receive hook ---------------------------------------------------------------------


def check_push(root: Path, updates: list[tuple[str, str, str]]) -> list[Violation]:
    """All violations in the commits that ``updates`` (old, new, ref) would add to the repository."""
    violations: list[Violation] = []
    seen: set[str] = set()
    for old, new, ref in updates:
        if new == ZERO:
            continue  # deletions are governed by receive.denyDeletes (see install)
        out = git.run(root, "rev-list", "--reverse", "--topo-order", new, "--not", "--all")
        for sha in out.split():
            if sha in seen:
                continue
            seen.add(sha)
            violations += check_commit(root, sha, None if old == ZERO else old)
    return violations


def parse_updates(text: str) -> list[tuple[str, str, str]]:
    updates = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3:
            updates.append((parts[0], parts[1], parts[2]))
    return updates


def rejection_lines(violations: list[Violation]) -> list[str]:
    lines = [f"gktrack:推送被拒绝,{len(violations)} 处修改违反了单位名册(units.yaml)中的权限规则:"]
    for violation in violations[:MAX_REPORTED]:
        lines.append("gktrack:" + violation.describe())
    if len(violations) > MAX_REPORTED:
        lines.append(f"gktrack:……另有 {len(violations) - MAX_REPORTED} 处")
    lines.append("gktrack:服务器未接受本次推送的任何提交。请撤销这些提交(如 git reset 到 origin 的版本)后,"
                 "由有权限的人修改,或请政务公开办在单位名册中调整权限")
    return lines


# --- installing hooks -------------------------------------------------------------------------


def hook_script(kind: str) -> str:
    """The hook file: finds gktrack wherever it is now, and refuses loudly when it is gone
    (see ``gktrack.features.collab.launch``)."""
    from gktrack.features.collab.launch import not_found, script_lines

    if kind == "pre-receive":
        args = "hook pre-receive"
        purpose = "按单位名册检查推送的提交"
        missing = not_found(",服务器无法按单位名册检查,拒绝了本次推送",
                            "请在服务器上安装 gktrack 后,对此仓库重新运行 gktrack hook install")
    else:
        args = "validate --staged"
        purpose = "提交前检查暂存的计划文件和单位名册"
        missing = not_found(",无法检查计划文件,本次提交没有完成",
                            "请安装 gktrack 后在此克隆中重新运行 gktrack hook install --pre-commit"
                            "(确需跳过检查时用 git commit --no-verify)")
    body = "\n".join(script_lines(args, [missing]))
    return (f"#!/bin/sh\n{HOOK_MARK}:{purpose}\n"
            "# 依次找 gktrack:安装钩子时的 Python、PATH 中能导入 gktrack 的 python3/python/py、PATH 中的 gktrack\n"
            f"{body}\n")


def install(path: str | Path | None, *, pre_commit: bool = False, pre_receive: bool = False,
            force: bool = False) -> list[str]:
    """Install hooks in the repository at ``path``; returns what was done, in Chinese."""
    start = Path(path or ".").expanduser().resolve()
    if not start.is_dir():
        raise InputError(f"“{start}”不是文件夹")
    try:
        git_dir = Path(git.run(start, "rev-parse", "--absolute-git-dir").strip())
        bare = git.run(start, "rev-parse", "--is-bare-repository").strip() == "true"
        hooks_dir = Path(git.run(start, "rev-parse", "--git-path", "hooks").strip())
    except RepoError:
        raise RepoError(f"“{start}”不是 git 仓库") from None
    if not hooks_dir.is_absolute():
        hooks_dir = (start / hooks_dir).resolve()
    if not pre_commit and not pre_receive:
        pre_receive, pre_commit = bare, not bare
    if pre_commit and bare:
        raise InputError("裸仓库(服务器上的仓库)没有工作区,不能安装 pre-commit 钩子;请在各自的克隆中安装")
    kinds = (["pre-receive"] if pre_receive else []) + (["pre-commit"] if pre_commit else [])
    done = []
    hooks_dir.mkdir(parents=True, exist_ok=True)
    for kind in kinds:
        target = hooks_dir / kind
        if target.exists() and not force:
            current = target.read_text(encoding="utf-8", errors="replace")
            if HOOK_MARK not in current:
                raise RepoError(f"{target} 已有别的钩子,未覆盖;确认不再需要后加 --force")
        target.write_text(hook_script(kind), encoding="utf-8")
        target.chmod(target.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH | stat.S_IRUSR)
        done.append(f"已安装 {kind} 钩子:{target}")
    if pre_receive:
        # The audit trail must only grow: no force-push rewriting it, no deleting branches.
        git.run(git_dir, "config", "receive.denyNonFastForwards", "true")
        git.run(git_dir, "config", "receive.denyDeletes", "true")
        done.append("已设置 receive.denyNonFastForwards 和 receive.denyDeletes:服务器上的历史不能被强推改写或删除")
    return done
