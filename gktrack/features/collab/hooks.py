"""Git hooks: the server-side check (pre-receive), the same check before a local commit, and
installing hooks.

The pre-receive hook is the one place the ``people`` rules of ``units.yaml`` can really be
enforced: anyone can edit a file by hand, commit with any tool and push. So it trusts nothing a
commit says about itself (no trailer, no message) and judges what it records: its tree.

**The rules in force** are those of the registry on the default branch *before* the push, for
every ref pushed (a tag or old branch from before people were listed grants nothing). Nothing
pushed, its registry included, changes the rules it is judged by: a liaison cannot grant themself
the office role and use it in the same push.

**Which commits**: every one the push adds to a ref, even one already on the server under
another ref. **What each commit changed** is the difference between its tree and a reference
already judged: its parent (a root commit: the empty tree); for a merge on the way from the old tip to the new,
the old tip or a parent of this push that descends from it -- never "only where it differs from
every parent", so a merge that brings back an old registry or drops progress shows exactly that;
for a merge off that way, any of its parents. A push that is not a fast-forward (or a new branch
that does not contain the default branch) is judged, besides, as one change from the old tip to
the new. By induction the branch differs from the old tip only in ways its people were allowed.

**Who**: the committer, and the author unless the committer is the office
(``permissions.acting_people``); the pusher too when the server says who pushed
(``GITEA_PUSHER_EMAIL``, or ``GKTRACK_PUSHER_EMAIL`` set by a wrapper). git authenticates neither
author nor committer, so pair the hook with a server that checks who pushes ("verify committer",
signed commits) where people cannot be trusted with their own name.

**For everyone**, the office included: every plan file and the registry a commit changes must read
as every client reads them, with no ``gktrack validate`` error it did not have before (an
unresolved ``conflict:`` among them), stored with LF line endings; the registry may not be
deleted; no symbolic link or submodule anywhere. **A liaison** (``permissions.task_change_problems``)
changes only the allowed fields of their own units' tasks and their own progress entries in plan
files; nothing else in the tree (not ``.gitattributes``, a new file, a plan's header, a file's
mode, a field gktrack does not know).

**Dates**, for everyone: no progress entry or completion date the change adds may be after the
day the hook runs, with a day more for a client east of the server's time zone (a server kept
in UTC is still on yesterday until 08:00 in Beijing): the rule the commands keep
(``dates.future_work``). Dates already in the repository are not judged again.

**Fail closed**: a registry, plan or git object that cannot be read, input that cannot be parsed,
a branch deletion: the push is refused.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from gktrack.domain.dates import future_work, today
from gktrack.domain.model import RECORDS, Plan, Registry, Task, fields_of, to_data
from gktrack.domain.permissions import (
    RULE_ADD_REMOVE, RULE_BROKEN, RULE_OFFICE_FIELDS, RULE_OTHER_FILES, RULE_PLAN, RULE_REGISTRY, RULE_UNKNOWN,
    acting_people, office_name, task_change_problems,
)
from gktrack.domain.text import visible
from gktrack.domain.units import Units
from gktrack.errors import GktrackError, InputError, PermissionDeniedError, PlanFileError, RepoError
from gktrack.features.collab.launch import not_found, script_lines
from gktrack.features.validate import ERROR, WARNING, check_plan, check_registry
from gktrack.storage import git, yamldoc
from gktrack.storage.planfile import PLAN_ID, parse_plan
from gktrack.storage.reader import CONFLICT_KEY
from gktrack.storage.registry import REGISTRY_FILE, parse_registry
from gktrack.storage.repo import plan_id_of, plan_rel

HOOK_MARK = "# 由 gktrack hook install 安装"
MAX_REPORTED = 20

RULE_VALID = "计划文件和单位名册必须是每个克隆都能读取的(UTF-8 编码、LF 换行、大小、格式与 gktrack validate 的检查)"
RULE_LINKS = "仓库中不能有符号链接或子模块(客户端会跟随它读写仓库以外的文件)"
RULE_DELETE = "服务器上的分支不能删除"
RULE_SERVER = "服务器无法读取判断权限所需的内容时,拒绝推送"
RULE_FUTURE = "进展日期和完成日期不能晚于今天(服务器按收到推送那天的日期判断,为时区差另留一天)"
RULE_HISTORY = "推送不是快进(或新分支不包含默认分支)时,按整体修改判断"


@dataclass
class Violation:
    commit: str
    author: str
    summary: str
    task: str | None  # "hl2022/3"; a plan id; a file; or None for the whole commit
    rule: str
    detail: str

    def describe(self) -> str:
        what = target_label(self.task)
        changed = f"修改了 {what}:" if what else ""
        return (f"提交 {self.commit[:8]}({self.author},“{self.summary}”){changed}{self.detail};"
                f"规则:{self.rule}")


# (task or file or None, rule, detail)
Finding = tuple
_TASK_REF = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*/\d+$")


def target_label(target: str | None) -> str:
    """How a finding names what was changed: 任务 p1/3, a plan id, a file."""
    if not target:
        return ""
    return f"任务 {target}" if _TASK_REF.match(target) else target


@dataclass
class FileChange:
    """One path a change touches: git modes ("100644"; None when absent) and bytes (None when
    absent or not a file)."""

    rel: str
    old_mode: str | None
    new_mode: str | None
    before: bytes | None
    after: bytes | None
    _plans: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def plan(self, side: str) -> Plan:
        """The plan ``before`` or ``after`` holds (``side``), as a client reads it: read once for
        all the checks of a change; raises ``GktrackError`` when unreadable."""
        if side not in self._plans:
            try:
                self._plans[side] = parse_plan(getattr(self, side), self.rel, expected_id=plan_id_of(self.rel))
            except GktrackError as exc:
                self._plans[side] = exc
        found = self._plans[side]
        if isinstance(found, GktrackError):
            raise found
        return found


# --- judging a change: validation for everyone, the rules for liaisons -------------------------


def _is_link(mode: str | None) -> bool:
    return mode in ("120000", "160000")


def _crlf(data: bytes | None) -> bool:
    return data is not None and b"\r\n" in data


def _new_errors(check: Callable[[bytes], list], before: bytes | None, after: bytes,
                severity: str = ERROR) -> list[str]:
    """The validate errors (or warnings) of ``after`` that ``before`` did not have (by message:
    places move)."""
    found = [p for p in check(after) if p.severity == severity]
    if not found:
        return []
    old = Counter(p.message for p in check(before) if p.severity == severity) if before is not None else Counter()
    out = []
    for problem in found:
        if old[problem.message]:
            old[problem.message] -= 1
        else:
            out.append(f"{problem.where}: {problem.message}")
    return out


def validation_findings(changes: list[FileChange], registry_after: bytes | None) -> list[Finding]:
    """What no client could read, or ``gktrack validate`` newly finds wrong, in ``changes``."""
    found: list[Finding] = []
    units = _units_of(registry_after)
    for change in changes:
        rel = change.rel
        plan_id = plan_id_of(rel)
        if _is_link(change.new_mode):
            found.append((rel, RULE_LINKS, f"{rel} 是符号链接或子模块"))
            continue
        if (rel == REGISTRY_FILE or plan_id) and _crlf(change.after) and not _crlf(change.before):
            # .gitattributes says `text eol=lf`: such a blob shows as modified in every clone,
            # and gktrack then changes and syncs nothing there
            found.append((rel, RULE_VALID, f"{rel} 用了 CRLF(回车换行)换行,仓库中只能用 LF 换行"))
            continue
        if rel == REGISTRY_FILE and change.after is None:
            found.append((rel, RULE_VALID, "删除了单位名册 units.yaml"))
            continue
        if rel != REGISTRY_FILE and (not plan_id or change.after is None):
            continue
        if plan_id and not PLAN_ID.match(plan_id):
            found.append((rel, RULE_VALID, f"文件名“{plan_id}”不是可用的计划编号"))
            continue
        target = plan_id or rel
        try:
            if plan_id:
                change.plan("after")
            else:
                parse_registry(change.after)
        except GktrackError as exc:
            found.append((target, RULE_VALID, f"{'计划文件' if plan_id else '单位名册'}无法读取:{exc}"))
            continue
        found += [(target, RULE_VALID, line)
                  for line in _new_errors(_checker(rel, plan_id, units), change.before, change.after)]
    return found


def new_warnings(root: Path, changes: list[FileChange]) -> list[str]:
    """The ``gktrack validate`` warnings that a local change (``worktree_changes``) brings: they
    stop nothing, but a hand edit that reads as something else than was meant (a "#" that is no
    comment, two aliases as one) is said when it is committed, not found a year later."""
    units = _units_of(_registry_after(root, changes))
    out: list[str] = []
    for change in changes:
        rel, plan_id = change.rel, plan_id_of(change.rel)
        if change.after is None or (rel != REGISTRY_FILE and not plan_id):
            continue
        out += _new_errors(_checker(rel, plan_id, units), change.before, change.after, WARNING)
    return out


def _units_of(registry: bytes | None) -> Units | None:
    """The units the plans' unit names are checked against; None when the registry is missing or
    unreadable (which is a finding of its own)."""
    with contextlib.suppress(GktrackError):
        return Units(parse_registry(registry)) if registry is not None else None
    return None


def _checker(rel: str, plan_id: str | None, units: Units | None) -> Callable[[bytes], list]:
    """``gktrack validate`` of one file's bytes."""
    if plan_id:
        return lambda data: check_plan(rel, data, units=units, file_id=plan_id)
    return lambda data: check_registry(rel, data)[0]


def future_work_findings(changes: list[FileChange], latest: dt.date) -> list[Finding]:
    """Work dated after ``latest`` that ``changes`` add: new progress entries, changed completion
    dates (``dates.future_work``). What a plan had before was accepted on its day."""
    found: list[Finding] = []
    for change in changes:
        plan_id = plan_id_of(change.rel)
        if not plan_id or change.after is None:
            continue
        try:
            after = change.plan("after")
        except GktrackError:
            continue  # said by validation_findings
        try:
            before = change.plan("before").tasks if change.before is not None else []
        except GktrackError:
            before = []
        old = {task.id: task for task in before}
        for task in after.tasks:
            for what, date in _dates_added(old.get(task.id), task):
                problem = future_work(date, what, latest=latest)
                if problem:
                    found.append((f"{plan_id}/{task.id}", RULE_FUTURE, problem))
    return found


def _dates_added(before: Task | None, after: Task) -> list[tuple[str, dt.date]]:
    """(what, date) for each work date ``after`` has that ``before`` did not: its new progress
    entries, and its and its parts' completion dates where they changed."""
    dates = [("进展日期", entry.date) for entry in after.progress
             if before is None or entry not in before.progress]
    if after.closed is not None and (before is None or before.closed != after.closed):
        dates.append(("完成日期", after.closed))
    old_parts = {part.unit: part.closed for part in before.parts} if before is not None else {}
    dates += [(f"{part.unit}的部分的完成日期", part.closed) for part in after.parts
              if part.closed is not None and old_parts.get(part.unit) != part.closed]
    return [(what, date) for what, date in dates if isinstance(date, dt.date)]


def liaison_findings(units: Units, person, changes: list[FileChange], acting: list) -> list[Finding]:
    """A unit liaison's ``changes`` against the rules (``gktrack.domain.permissions``); ``acting``:
    the listed people making them, ``person`` among them."""
    who = person.name or person.email
    found: list[Finding] = []
    for change in changes:
        rel = change.rel
        plan_id = plan_id_of(rel)
        if rel == REGISTRY_FILE:
            found.append((REGISTRY_FILE, RULE_REGISTRY,
                          f"{who} 不是{office_name(units)}(office 角色),不能修改单位名册"))
            continue
        if not plan_id or _is_link(change.old_mode) or _is_link(change.new_mode):
            found.append((rel, RULE_OTHER_FILES, f"{who} 修改了 {rel}"))
            continue
        if None not in (change.old_mode, change.new_mode) and change.old_mode != change.new_mode:
            found.append((rel, RULE_OTHER_FILES, f"{who} 修改了 {rel} 的文件权限({change.old_mode}→{change.new_mode})"))
        if change.before is None or change.after is None:
            found.append((plan_id, RULE_PLAN, f"{who} {'新建' if change.before is None else '删除'}了计划文件"))
            continue
        try:
            before = change.plan("before")
        except GktrackError as exc:
            found.append((plan_id, RULE_BROKEN, f"修改前的计划文件无法读取({exc})"))
            continue
        try:
            after = change.plan("after")
        except GktrackError:
            continue  # said by validation_findings
        unknown_before, unknown_after = unknown_fields(change.before, rel), unknown_fields(change.after, rel)
        if plan_header(before) != plan_header(after):
            found.append((plan_id, RULE_PLAN, f"{who} 修改了计划信息或章节"))
        elif unknown_before.get(None) != unknown_after.get(None):
            found.append((plan_id, RULE_PLAN, f"{who} 修改了计划信息或章节中 gktrack 不使用的字段"
                                              f"{_field_names(unknown_before.get(None), unknown_after.get(None))}"))
        old = {task.id: task for task in before.tasks}
        new = {task.id: task for task in after.tasks}
        for task_id in sorted(set(old) | set(new)):
            ref = f"{plan_id}/{task_id}"
            if task_id not in old or task_id not in new:
                found.append((ref, RULE_ADD_REMOVE, f"{who} {'新增' if task_id not in old else '删除'}了任务"))
                continue
            found += [(ref, rule, detail)
                      for rule, detail in task_change_problems(units, person, before, old[task_id], new[task_id], acting)]
            if unknown_before.get(task_id) != unknown_after.get(task_id):
                found.append((ref, RULE_OFFICE_FIELDS, f"{who} 修改了 gktrack 不使用的字段"
                                                       f"{_field_names(unknown_before.get(task_id), unknown_after.get(task_id))}"))
    return found


def unknown_fields(data: bytes, rel: str) -> dict[int | None, Counter]:
    """The fields of a plan file gktrack does not know: kept in the file, but absent from the
    model the rules compare, so looked at here. By task id (None: the plan's own and its
    sections'), each as (list it is in, key, value); ``data`` is known to read as a plan."""
    found: dict[int | None, Counter] = {}

    def walk(record: dict, cls: type, task: int | None, where: str) -> None:
        specs = dict(fields_of(cls))
        for key, value in record.items():
            spec = specs.get(key)
            if spec is None and key != CONFLICT_KEY:
                shown = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
                found.setdefault(task, Counter())[(where, str(key), shown)] += 1
            elif spec is not None and spec.kind == "records" and isinstance(value, list):
                item_cls = RECORDS[spec.record]
                for item in value:
                    if isinstance(item, dict):
                        walk(item, item_cls, item.get("id") if item_cls is Task else task, key)

    walk(yamldoc.to_data(yamldoc.compose(yamldoc.decode(data, rel), rel)), Plan, None, "")
    return found


def _field_names(*sides: Counter | None) -> str:
    """“foo”、“bar”: the keys of the unknown fields that differ between two sides."""
    before, after = (side or Counter() for side in sides)
    keys = dict.fromkeys(key for (_where, key, _value) in (before - after) + (after - before))
    return "“" + "”、“".join(keys) + "”" if keys else ""


def plan_header(plan: Plan) -> dict:
    """What only the office may change, as plain data: everything but the tasks (the sections
    included)."""
    return {k: v for k, v in to_data(plan).items() if k != "tasks"}


def judge_changes(registry: Registry, emails: list[str | None], changes: list[FileChange],
                  registry_after: bytes | None, latest: dt.date) -> list[Finding]:
    """Everything wrong with one change made by ``emails`` (``permissions.acting_people``), judged
    by ``registry`` (the rules in force before it); ``registry_after``: units.yaml as the change
    leaves it (unit names in plans are checked against it); ``latest``: the last day work may be
    dated."""
    found = validation_findings(changes, registry_after) + future_work_findings(changes, latest)
    if not registry.people:
        return found
    units = Units(registry)
    acting = [p for p in map(units.person, dict.fromkeys(emails)) if p is not None]
    for email in dict.fromkeys(emails):
        person = units.person(email)
        if person is None:
            found.append((None, RULE_UNKNOWN, f"{email or '(无邮箱)'} 不在单位名册的人员(people)中"))
        elif person.role != "office":
            found += liaison_findings(units, person, changes, acting)
    return found


# --- reading a repository's objects -----------------------------------------------------------


class GitObjects:
    """Commits, trees and blobs of the repository the hook runs in. Any failure is a RepoError:
    what cannot be read cannot be judged, and the push is refused."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._empty: str | None = None

    def _run(self, *args: str, input: bytes | None = None) -> bytes:
        proc = git.call(self.root, args, input=input)
        if proc.returncode != 0:
            detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise RepoError(f"服务器无法读取仓库(git {args[0]}:{detail[-1] if detail else proc.returncode});"
                            f"规则:{RULE_SERVER}")
        return proc.stdout

    def text(self, *args: str) -> str:
        return self._run(*args).decode("utf-8", "replace")

    def empty_tree(self) -> str:
        if self._empty is None:
            # Its input given as empty: git would otherwise read the caller's (a terminal: wait forever).
            self._empty = self._run("hash-object", "-t", "tree", "--stdin", input=b"").decode("ascii").strip()
        return self._empty

    def blob(self, sha: str) -> bytes:
        return self._run("cat-file", "blob", sha)

    def file_at(self, rev: str, rel: str) -> bytes | None:
        """``rel`` in commit ``rev``: None when absent; raises when it is no file."""
        out = self.text("ls-tree", "-z", rev, "--", rel)
        entry = next((e for e in out.split("\0") if e), None)
        if entry is None:
            return None
        meta, _, _path = entry.partition("\t")
        mode, kind, sha = meta.split()
        if kind != "blob" or _is_link(mode):
            raise RepoError(f"{rel} 不是普通文件;规则:{RULE_LINKS}")
        return self.blob(sha)

    def changes(self, ref: str, sha: str) -> list[FileChange]:
        """Every path that differs between two commits (or trees), with modes and bytes."""
        out = self._run("diff-tree", "-r", "-z", "--no-renames", "--raw", "--full-index", ref, sha)
        fields = out.split(b"\0")
        changes = []
        # ":old-mode new-mode old-sha new-sha status", then the path
        for meta, path in zip(fields[::2], fields[1::2]):
            if not meta:
                break
            modes_shas = meta.decode("ascii").lstrip(":").split()
            old_mode, new_mode = (None if _zero(mode) else mode for mode in modes_shas[:2])
            changes.append(FileChange(path.decode("utf-8", "surrogateescape"), old_mode, new_mode,
                                      self._content(old_mode, modes_shas[2]), self._content(new_mode, modes_shas[3])))
        return changes

    def _content(self, mode: str | None, sha: str) -> bytes | None:
        """A blob's bytes when the mode is a regular file's, else None."""
        return self.blob(sha) if mode is not None and mode.startswith("100") else None

    def commit(self, sha: str) -> "_Commit":
        out = self.text("log", "-1", "--format=%P%x00%an%x00%ae%x00%cn%x00%ce%x00%s", sha)
        parents, an, ae, cn, ce, summary = out.rstrip("\n").split("\0", 5)
        return _Commit(sha, parents.split(), an, ae, cn, ce, summary)

    def is_ancestor(self, older: str, newer: str) -> bool:
        proc = git.call(self.root, ("merge-base", "--is-ancestor", older, newer))
        if proc.returncode not in (0, 1):
            raise RepoError(f"服务器无法判断提交的先后(git merge-base);规则:{RULE_SERVER}")
        return proc.returncode == 0


@dataclass
class _Commit:
    sha: str
    parents: list[str]
    author_name: str
    author_email: str
    committer_name: str
    committer_email: str
    summary: str

    @property
    def author(self) -> str:
        if self.committer_email.lower() != self.author_email.lower():
            return (f"作者 {self.author_name} <{self.author_email}>,"
                    f"提交者 {self.committer_name} <{self.committer_email}>")
        return f"{self.author_name} <{self.author_email}>"


def registry_at(objects: GitObjects, rev: str | None) -> Registry:
    """The registry in force at ``rev``: an empty one (no rules) when there is no commit or no
    units.yaml; a RepoError when it cannot be read (the push is refused)."""
    data = objects.file_at(rev, REGISTRY_FILE) if rev is not None else None
    if data is None:
        return Registry()
    try:
        return parse_registry(data)
    except GktrackError as exc:
        raise RepoError(f"服务器上的单位名册无法读取({exc}),无法判断权限;规则:{RULE_SERVER}"
                        "(请在服务器上修复 units.yaml)") from None


def _default_tip(objects: GitObjects) -> str | None:
    """The tip of the default branch (HEAD's, else main, master or the only branch); None in an
    empty repository; a RepoError when branches exist but none of them is the default."""
    branches = objects.text("for-each-ref", "--format=%(refname)", "refs/heads").split()
    if not branches:
        return None
    head = git.run(objects.root, "symbolic-ref", "-q", "HEAD", check=False).strip()
    for candidate in (head, "refs/heads/main", "refs/heads/master", branches[0] if len(branches) == 1 else ""):
        if candidate and candidate in branches:
            return objects.text("rev-parse", f"{candidate}^{{commit}}").strip()
    raise RepoError(f"服务器上找不到默认分支,无法判断推送的权限;规则:{RULE_SERVER}")


# --- the pre-receive hook ---------------------------------------------------------------------


def _zero(sha: str) -> bool:
    return set(sha) == {"0"}


def check_push(root: Path, updates: list[tuple[str, str, str]], pusher: str | None = None) -> list[Violation]:
    """All violations in what ``updates`` (old, new, ref) would make of the repository."""
    objects = GitObjects(root)
    violations: list[Violation] = []
    seen: set[tuple[str, str | None]] = set()
    default = _default_tip(objects)
    # one registry for every ref: an old tag or branch from before people were listed grants nothing
    registry = registry_at(objects, default)
    latest = today() + dt.timedelta(days=1)  # see "Dates" in the module's docstring
    for old, new, ref in updates:
        if _zero(new):
            violations.append(Violation(old, "删除分支", ref, None, RULE_DELETE, f"删除 {ref}"))
            continue
        base = default if _zero(old) else old
        # what is new to this ref, not to the server: a commit another ref let in is judged again here
        new_commits = objects.text("rev-list", "--topo-order", "--reverse", new,
                                   *(("--not", base) if base else ())).split()
        chain = set(objects.text("rev-list", "--ancestry-path", f"{base}..{new}").split() if base else [])

        def judge(commit: _Commit, reference: str) -> list[Finding]:
            emails = acting_people(Units(registry), commit.author_email, commit.committer_email)
            if pusher:
                emails.append(pusher)
            changes = objects.changes(reference, commit.sha)
            changed = next((c for c in changes if c.rel == REGISTRY_FILE), None)
            registry_after = changed.after if changed else objects.file_at(commit.sha, REGISTRY_FILE)
            return judge_changes(registry, emails, changes, registry_after, latest)

        for sha in new_commits:
            if (sha, base) in seen:
                continue
            seen.add((sha, base))
            commit = objects.commit(sha)
            references = _references(commit, base, chain, objects)
            # clean against any of its references is clean; else what the first shows is reported
            findings = judge(commit, references[0])
            if findings and any(not judge(commit, reference) for reference in references[1:]):
                findings = []
            violations += [Violation(sha, commit.author, commit.summary, *f) for f in dict.fromkeys(findings)]
        if base is not None and not objects.is_ancestor(base, new):
            commit = objects.commit(new)
            findings = [(task, f"{rule};{RULE_HISTORY}", detail) for task, rule, detail in judge(commit, base)]
            violations += [Violation(new, commit.author, commit.summary, *f) for f in dict.fromkeys(findings)]
    return violations


def _references(commit: _Commit, base: str | None, chain: set[str], objects: GitObjects) -> list[str]:
    """What a commit's result is judged against (see the module's docstring)."""
    if not commit.parents:
        return [objects.empty_tree()]
    if len(commit.parents) == 1:
        return commit.parents
    if commit.sha in chain:
        on_way = [p for p in commit.parents if p == base or p in chain]
        if base in on_way:
            return [base]
        if on_way:
            return on_way
    return commit.parents


def parse_updates(text: str) -> list[tuple[str, str, str]]:
    """git's pre-receive input, one "old new ref" per line; anything else refuses the push."""
    updates = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 3 or not all(re.fullmatch(r"[0-9a-f]{40}([0-9a-f]{24})?", p) for p in parts[:2]):
            raise InputError(f"无法理解 git 传给钩子的推送内容(“{line[:80]}”),拒绝推送")
        updates.append(tuple(parts))
    return updates


def rejection_lines(violations: list[Violation]) -> list[str]:
    lines = [f"gktrack:推送被拒绝,{len(violations)} 处修改违反了单位名册(units.yaml)中的权限规则或文件格式要求:"]
    for violation in violations[:MAX_REPORTED]:
        # commit summaries and names are the pusher's words: shown escaped on their terminal
        lines.append("gktrack:" + visible(violation.describe(), one_line=True))
    if len(violations) > MAX_REPORTED:
        lines.append(f"gktrack:……另有 {len(violations) - MAX_REPORTED} 处")
    lines.append("gktrack:服务器未接受本次推送的任何提交。请在本克隆中用 gktrack undo 逐个撤回这些尚未推送的提交后,"
                 "由有权限的人修改,或请政务公开办在单位名册中调整权限")
    return lines


# --- the same rules before a local commit -----------------------------------------------------


def worktree_changes(root: Path, rels: list[str]) -> list[FileChange]:
    """``rels`` in the work tree against HEAD, as ``FileChange``s: with LF line endings, as git
    stores plan files and the registry (``text eol=lf``)."""
    objects = GitObjects(root)
    has_head = git.head(root) is not None
    changes = []
    for rel in rels:
        before = objects.file_at("HEAD", rel) if has_head else None
        path = Path(root) / rel
        try:
            link = stat.S_ISLNK(os.lstat(path).st_mode)
        except FileNotFoundError:
            new_mode, after = None, None
        else:
            new_mode, after = ("120000", None) if link else ("100644", path.read_bytes().replace(b"\r\n", b"\n"))
        changes.append(FileChange(rel, "100644" if before is not None else None, new_mode, before, after))
    return changes


def check_change(root: Path, emails: list[str | None], changes: list[FileChange], what: str,
                 way_out: str = "提交,或用 git checkout -- 文件 放弃修改") -> None:
    """The pre-receive rules applied to a local change before it is committed (``commit-edits``,
    ``undo``), by the registry of HEAD (not the changed one: nobody grants themself the office
    role in the same change). Raises PermissionDeniedError (or PlanFileError for a file no client
    could read); ``way_out`` follows "请由政务公开办" in it."""
    registry = registry_at(GitObjects(root), "HEAD" if git.head(root) else None)
    found = judge_changes(registry, emails, changes, _registry_after(root, changes), today())
    if not found:
        return
    units = Units(registry)
    person = units.person(emails[0])
    who = (person.name or person.email) if person else (emails[0] or "当前用户")
    # a plan file's problem already names it, at file:line:column
    shown = ";".join(f"{target_label(t)}:{d}(规则:{r})" if t and not d.startswith(plan_rel(t)) else f"{d}(规则:{r})"
                     for t, r, d in found[:3])
    more = f";……另有 {len(found) - 3} 处" if len(found) > 3 else ""
    if all(rule in (RULE_VALID, RULE_LINKS, RULE_FUTURE) for _t, rule, _d in found):  # the office could not either
        raise PlanFileError(f"不能{what}:{shown}{more}")
    raise PermissionDeniedError(f"{who} 不能{what}:{shown}{more};请由{office_name(units)}{way_out}")


def _registry_after(root: Path, changes: list[FileChange]) -> bytes | None:
    """The registry as a local change leaves it: changed by it, or as the work tree has it."""
    path = Path(root) / REGISTRY_FILE
    return next((c.after for c in changes if c.rel == REGISTRY_FILE),
                path.read_bytes() if path.is_file() and not path.is_symlink() else None)


# --- installing hooks -------------------------------------------------------------------------


def hook_script(kind: str) -> str:
    """The hook file: finds gktrack wherever it is now, and refuses loudly when it is gone
    (see ``gktrack.features.collab.launch``)."""
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
    body = "\n".join(script_lines(args, missing))
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
        git_dir, bare_repo, hooks = git.run(start, "rev-parse", "--absolute-git-dir", "--is-bare-repository",
                                            "--git-path", "hooks").splitlines()
    except RepoError:
        raise RepoError(f"“{start}”不是 git 仓库") from None
    bare, hooks_dir = bare_repo == "true", Path(hooks)
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
        ours = not target.exists() or HOOK_MARK in target.read_text(encoding="utf-8", errors="replace")
        if not ours and not force:
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
