"""The annual report: how a year's 工作要点 was carried out, from the repository's history.

Two steps, kept apart: ``build_report`` reads the repository and returns plain data (a
``Report``); ``render_markdown`` and ``report_json`` turn that data into text. Nothing here
reads the clock, so the same repository and arguments give the same bytes.

Where the numbers come from
---------------------------
* The cut-off is the end of ``as_of`` (default 12-31 of the year) in Beijing time (UTC+8, the
  only legal time in China): the report is made from the last commit on or before it
  (``git rev-list -1 --before``), reachable from ``at`` (default HEAD). Plan files are read as
  that commit holds them, not from the working tree. If nothing had been committed by then (the
  plans were entered later), the files of the newest commit at ``at`` that changed a plan or the
  registry are read instead (a later commit to other files does not change the report), and the
  recorded closing and progress dates decide what was done by the cut-off; the report says so,
  and says when the files record nothing at all.
* The plans of the year, and the tasks of earlier plans (of the same issuer) still owed when the
  year began: open and not 持续推进, or closed after the previous year's cut-off.
* History is one ``git log`` from that commit: who changed what and when. Commits that gktrack
  made say in their trailers which task they changed, and are taken at their word. For every
  other commit (plain ``git commit``, ``commit-edits``, ``undo``, ``import``) one ``git diff-tree
  --stdin`` names the files it changed with their blob ids, and the plan file before and after
  it is read (one ``git cat-file --batch`` process for all of them) and compared task by task,
  so a task closed by a hand edit is still reported as closed, by that commit's author on its
  date.
* Deadlines are read with ``gktrack.domain.deadlines`` against the plan's year. The report's cut-off is
  the end of a day, so an open task whose deadline is that day or earlier has missed it.

Cost and how to measure it
--------------------------
The processes are a fixed handful (rev-parse, rev-list, log, ls-tree, and diff-tree and cat-file
when something is not cached) whatever the size of the history; the Python work is one pass over
the log and one over the tasks. Facts that cannot change are cached under
``.git/gktrack/report-cache/`` (``gktrack.storage.reportcache``): the plan files parsed, by blob id; the
files each commit without trailers changed, by commit id; what each hand edit changed, by the two
blob ids. So a report reads no YAML and runs no diff when it has been made once before at about
the same commits. Measure with ``benchmarks/make_repo.py --plans 200 --tasks 50 --commits 10000``
and ``gktrack report 2024 > /dev/null`` (about 0.8 s of CPU warm, 2.5 s cold, on the project's
2-core machine; 5× the commits and tasks take about 5× as long).
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import datetime as dt
import gc
import re
from dataclasses import dataclass, field
from typing import Any

from gktrack.errors import InputError, NotFoundError, RepoError
from gktrack.domain.model import ROLE_LABELS, STATE_LABELS, Plan, Progress, Task, UnitRef

BEIJING = dt.timezone(dt.timedelta(hours=8))

CATEGORIES = ("on_time", "late", "overdue", "open", "ongoing")
CATEGORY_LABELS = {
    "on_time": "按期完成",
    "late": "逾期完成",
    "overdue": "逾期未完成",
    "open": "未到期",
    "ongoing": "持续推进",
}
DONE = ("on_time", "late")

# gktrack commits that name the one task they changed and cannot change another task's state.
_TASK_ACTIONS = {"add", "assign", "unassign", "progress", "close", "reopen"}
# gktrack commits that cannot change any task.
_NO_TASK_ACTIONS = {"init", "new-plan", "add-section"}
_HAND_ACTIONS = (None, "edit")

SHORT = 8


# ---------------------------------------------------------------------------------------------
# The data


@dataclass(frozen=True)
class CommitRef:
    """The commit behind a fact, as the report cites it."""

    sha: str
    author: str
    email: str
    date: dt.datetime  # author date, Beijing time
    action: str | None
    committed: dt.datetime | None = None  # commit date, Beijing time: what the cut-off goes by

    @property
    def short(self) -> str:
        return self.sha[:SHORT]

    @property
    def hand_edit(self) -> bool:
        return self.action in _HAND_ACTIONS

    def to_json(self) -> dict:
        return {"commit": self.sha, "author": self.author, "email": self.email,
                "date": self.date.isoformat(),
                "committed": self.committed.isoformat() if self.committed else None,
                "action": self.action, "hand_edit": self.hand_edit}


@dataclass(frozen=True)
class StateEvent:
    """A task closed or reopened during the period."""

    ref: str
    kind: str  # "close" | "reopen"
    date: dt.date  # the work date the commit recorded, else its author date
    commit: CommitRef

    def to_json(self) -> dict:
        return {"task": self.ref, "kind": self.kind, "date": self.date.isoformat(), "commit": self.commit.to_json()}


@dataclass(frozen=True)
class MissedPeriod:
    label: str
    start: dt.date
    end: dt.date

    def to_json(self) -> dict:
        return {"period": self.label, "start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass
class TaskReport:
    plan: Plan
    task: Task
    carried_over: bool
    category: str
    deadlines: list  # gktrack.domain.deadlines.Deadline
    units: list[UnitRef]
    due: dt.date | None = None  # the deadline that decided lateness, or the first dated one
    due_phrase: str | None = None
    days_late: int | None = None
    unknown_deadline: bool = False
    missed_periods: list[MissedPeriod] = field(default_factory=list)
    closed: dt.date | None = None
    closing: CommitRef | None = None
    progress: list[Progress] = field(default_factory=list)  # entries dated within the period
    events: list[StateEvent] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return self.task.full_id

    @property
    def done(self) -> bool:
        return self.category in DONE

    @property
    def reopened(self) -> list[StateEvent]:
        return [e for e in self.events if e.kind == "reopen"]


@dataclass
class Counts:
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    open: int = 0
    ongoing: int = 0

    def add(self, category: str) -> None:
        self.__dict__[category] += 1

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.overdue + self.open + self.ongoing

    @property
    def done(self) -> int:
        return self.on_time + self.late

    @property
    def not_done(self) -> int:
        return self.overdue + self.open

    @property
    def missed(self) -> int:
        return self.late + self.overdue

    @property
    def rate(self) -> float | None:
        """Done ÷ tasks that can be done (持续推进 tasks have no finish line)."""
        base = self.total - self.ongoing
        return self.done / base if base else None

    def to_json(self) -> dict:
        return {**{c: getattr(self, c) for c in CATEGORIES}, "total": self.total, "done": self.done,
                "rate": None if self.rate is None else round(self.rate, 4)}


@dataclass
class SectionSummary:
    key: str | None
    heading: str
    counts: Counts = field(default_factory=Counts)


@dataclass
class PlanReport:
    plan: Plan
    carried_over: bool  # an earlier year's plan: only its tasks still open during the period
    tasks: list[TaskReport] = field(default_factory=list)
    sections: list[SectionSummary] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)


@dataclass
class UnitStats:
    name: str
    lead: int = 0
    support: int = 0
    responsible: int = 0
    counts: Counts = field(default_factory=Counts)

    def to_json(self) -> dict:
        return {"unit": self.name, "lead": self.lead, "support": self.support,
                "responsible": self.responsible, "late": self.counts.missed, **self.counts.to_json()}


@dataclass
class HandEdit:
    commit: CommitRef
    files: list[str]
    changes: list[str]  # one Chinese phrase per change, e.g. "p2022/5 状态 未完成→已完成"

    def to_json(self) -> dict:
        return {**self.commit.to_json(), "files": self.files, "changes": self.changes}


@dataclass
class PersonStats:
    name: str
    email: str
    commits: int = 0
    hand: int = 0
    closes: int = 0
    progress: int = 0

    def to_json(self) -> dict:
        return {"name": self.name, "email": self.email, "commits": self.commits,
                "hand_edits": self.hand, "closes": self.closes, "progress": self.progress}


@dataclass
class MonthStats:
    month: str  # YYYY-MM
    commits: int = 0
    hand: int = 0
    closed_on_time: int = 0  # tasks closed that month (by their closing date)
    closed_late: int = 0

    def to_json(self) -> dict:
        return {"month": self.month, "commits": self.commits, "hand_edits": self.hand,
                "closed_on_time": self.closed_on_time, "closed_late": self.closed_late}


@dataclass
class Audit:
    commits: int = 0
    tool: int = 0
    hand_unchecked: int = 0  # plain git commits, no gktrack trailers
    hand_checked: int = 0  # gktrack commit-edits
    months: list[MonthStats] = field(default_factory=list)
    people: list[PersonStats] = field(default_factory=list)
    hand_edits: list[HandEdit] = field(default_factory=list)


@dataclass
class Unreadable:
    path: str
    message: str


@dataclass
class Report:
    year: int
    as_of: dt.date
    start: dt.date
    rev: str
    head: str  # the commit ``rev`` named
    commit: CommitRef | None  # the commit the report is made from
    plan_filter: str | None
    unit_filter: str | None
    plans: list[PlanReport] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    units: list[UnitStats] = field(default_factory=list)
    audit: Audit = field(default_factory=Audit)
    unreadable: list[Unreadable] = field(default_factory=list)
    # The repository's history begins after the cut-off (gktrack was adopted, or the plans
    # imported, later): the state is worked out from the dates recorded in the files at ``commit``.
    reconstructed: bool = False
    # Reconstructed only: reported tasks whose file records neither a closing nor any progress.
    unrecorded: int = 0

    @property
    def tasks(self) -> list[TaskReport]:
        return [t for p in self.plans for t in p.tasks]

    @property
    def cutoff(self) -> dt.datetime:
        return end_of_day(self.as_of)


def end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), BEIJING)


def _beijing(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(BEIJING)


def _commit_ref(commit) -> CommitRef:
    return CommitRef(commit.sha, commit.author, commit.email, _beijing(commit.authored), commit.action,
                     _beijing(commit.committed))


# ---------------------------------------------------------------------------------------------
# Building the data


def build_report(repo, year: int, *, plan: str | None = None, unit: str | None = None,
                 at: str | None = None, as_of: dt.date | None = None, progress=None) -> Report:
    """The report's data for ``year``: plans, tasks, units and the audit trail, from git history.

    ``progress(stage, done, total)``, if given, is called now and then during the slow parts
    (parsing plan files and comparing hand edits that are not cached yet, walking the history).
    """
    # Hundreds of thousands of small objects and no reference cycles: the garbage collector's
    # full passes over them would cost a third of the time and free nothing.
    with _no_gc():
        return _build_report(repo, year, plan=plan, unit=unit, at=at, as_of=as_of,
                             progress=progress or _no_progress)


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


def _build_report(repo, year: int, *, plan: str | None, unit: str | None, at: str | None,
                  as_of: dt.date | None, progress) -> Report:
    from gktrack.storage import history
    from gktrack.storage.reportcache import BlobCache, HistoryCache
    from gktrack.storage.registry import REGISTRY_FILE

    if not 1949 <= year <= 2200:
        raise InputError(f"年份“{year}”不合理")
    start = dt.date(year, 1, 1)
    as_of = as_of or dt.date(year, 12, 31)
    if as_of < start:
        raise InputError(f"截止日期 {as_of.isoformat()} 早于 {year} 年")
    repo.require_git()
    rev = at or "HEAD"
    if rev.startswith("-"):
        raise InputError(f"修订版本“{rev}”不能以 - 开头")
    head = history.resolve_commit(repo, rev)
    if head is None:
        if at is None:
            raise RepoError("仓库还没有任何提交")
        raise NotFoundError(f"找不到修订版本“{rev}”(可用提交号、分支名或标签)")
    cut = history.last_commit_before(repo, head, end_of_day(as_of))
    reconstructed = cut is None
    if reconstructed:
        # Nothing was committed by the cut-off: the plans were put in the repository later.
        # The files at ``rev`` then say when each task was closed and progressed.
        cut = head
    known = HistoryCache(repo)
    log = history.start_log_changes(repo, cut, trust=_trusted_files, known=known)
    cache = BlobCache(repo)
    with history.BlobReader(repo) as reader:
        # While git walks the history: the plans and the registry at the cut-off.
        blobs = history.tree_blobs(repo, cut)
        units, problem = _registry_at(reader, cache, blobs.get(REGISTRY_FILE))
        plans, unreadable = _plans_at(reader, cache, blobs, progress, _read_cache(repo))
        commits = log()
        if reconstructed:
            # The newest commit that changed a plan or the registry, so that a commit to anything
            # else (the project's code, say) does not change the report. Its files are the same
            # as the cut-off's, unless a merge came in between: then the cut-off stays.
            for c in commits:
                if c.files or len(c.parents) > 1:
                    cut = c.sha if c.files else cut
                    break
        cut_commit = next((c for c in commits if c.sha == cut), None) or _single_commit(repo, cut)
        report = Report(year=year, as_of=as_of, start=start, rev=rev, head=head,
                        commit=_commit_ref(cut_commit), plan_filter=plan, unit_filter=None,
                        reconstructed=reconstructed, unreadable=unreadable)
        if problem:
            report.unreadable.insert(0, problem)
        if plan is not None and plan not in {p.id for p in plans}:
            known = "、".join(sorted(p.id for p in plans)) or "无"
            raise NotFoundError(f"提交 {cut[:SHORT]} 中没有计划“{plan}”(现有:{known})")
        report.unit_filter = units.require(unit) if unit else None
        candidates = [p for p in plans if p.year <= year and (plan is None or p.id == plan)]
        walk = _walk_history(reader, commits, candidates, year, start, end_of_day(as_of), known, progress)
    cache.prune()
    known.save()
    _select_tasks(report, candidates, walk, units)
    if not report.plans:
        scope = f"计划 {plan} 中" if plan else ""
        who = f"单位“{report.unit_filter}”在" if report.unit_filter else "仓库"
        raise NotFoundError(f"截至北京时间{_cn_date(as_of)}24时,{who}{scope}没有{year}年度需要报告的任务")
    _count(report, units)
    _audit(report, commits, walk)
    return report


def _single_commit(repo, sha: str):
    """The cut-off commit when it changed neither plans nor the registry (so is not in the log)."""
    from gktrack.storage import git
    from gktrack.storage.history import Commit

    out = git.run(repo.root, "show", "-s", "--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%cI%x1f%B", sha, "--")
    sha_, author, email, authored, committed, message = out.split("\x1f", 5)
    return Commit(sha=sha_, author=author, email=email, authored=dt.datetime.fromisoformat(authored),
                  committed=dt.datetime.fromisoformat(committed), message=message,
                  trailers=git.read_trailers(message))


def _trusted_files(commit) -> list[str] | None:
    """The plan file a gktrack task command changed, as its trailers say; None for other commits."""
    if commit.action in _TASK_ACTIONS and commit.task:
        plan_id = commit.task.rpartition("/")[0]
        if plan_id:
            return [f"plans/{plan_id}.yaml"]
    return None


def _registry_at(reader, cache, blob: str | None):
    from gktrack.errors import GktrackError
    from gktrack.domain.model import Registry, Unit
    from gktrack.domain.units import DEFAULT_COLLECTIVES, Units
    from gktrack.storage.registry import REGISTRY_FILE, registry_from_data

    default = Units(Registry(units=[Unit(name=n, members="all") for n in DEFAULT_COLLECTIVES]))
    if not blob:
        return default, None
    data = cache.get(blob, "registry", REGISTRY_FILE)
    try:
        if data is None:
            from gktrack.storage.yamlfile import decode, safe_load

            raw = reader.read(blob)
            if raw is None:
                return default, None
            data = safe_load(decode(raw, REGISTRY_FILE), REGISTRY_FILE)
            registry = registry_from_data(data, REGISTRY_FILE)  # raises before anything is cached
            cache.put(blob, "registry", REGISTRY_FILE, data)
        else:
            registry = registry_from_data(data, REGISTRY_FILE)
        return Units(registry), None
    except GktrackError as exc:
        return default, Unreadable(exc.where or REGISTRY_FILE, exc.message)


_PLAN_PATH = re.compile(r"^plans/([^/]+)\.yaml$")


def _plan_id(path: str) -> str | None:
    match = _PLAN_PATH.match(path)
    return match.group(1) if match and not match.group(1).startswith(".") else None


def _read_cache(repo):
    """The read commands' cache of the working tree's plans, as ``(plan_id, bytes) -> Plan | None``:
    at a cut-off whose files are still those on disk, a report after ``status`` parses nothing."""
    try:
        from gktrack.storage.plancache import cached_plan
    except ImportError:
        return lambda plan_id, data: None

    def lookup(plan_id: str, data: bytes):
        try:
            return cached_plan(repo, plan_id, data)
        except Exception:  # only a cache: any trouble there means parsing the file
            return None

    return lookup


def _plans_at(reader, cache, blobs: dict[str, str], progress=_no_progress,
              parsed_elsewhere=lambda plan_id, data: None) -> tuple[list[Plan], list[Unreadable]]:
    """The plan files of the cut-off commit: parsed ones from the cache, the rest from git."""
    from gktrack.errors import GktrackError
    from gktrack.storage.planfile import plan_from_data
    from gktrack.storage.plancache import plan_from_json, plan_to_json  # the read cache's row layout

    found: dict[str, Plan | Unreadable] = {}
    missing = []
    for path in sorted(blobs):
        if _plan_id(path) is None:
            continue
        entry = cache.get(blobs[path], "plan", path)
        if entry is None:
            missing.append(path)
        elif "error" in entry:
            found[path] = Unreadable(*entry["error"])
        else:
            found[path] = plan_from_json(entry["plan"], path)
    if missing:
        from gktrack.storage.yamlfile import decode, safe_load

        reader.expect([blobs[path] for path in missing])
        for i, path in enumerate(missing):
            progress("解析计划文件", i, len(missing))
            try:
                data = reader.read(blobs[path]) or b""
                parsed = parsed_elsewhere(_plan_id(path), data) \
                    or plan_from_data(safe_load(decode(data, path), path), path, expected_id=_plan_id(path))
                cache.put(blobs[path], "plan", path, {"plan": plan_to_json(parsed)})
                found[path] = parsed
            except GktrackError as exc:
                found[path] = Unreadable(exc.where or path, exc.message)
                cache.put(blobs[path], "plan", path, {"error": [exc.where or path, exc.message]})
    plans = [found[path] for path in sorted(found) if isinstance(found[path], Plan)]
    problems = [found[path] for path in sorted(found) if isinstance(found[path], Unreadable)]
    return plans, problems


@contextlib.contextmanager
def _no_gc():
    """Building many small objects that form no cycles: the collector would only slow it down.

    On the way out the objects still alive are frozen (left out of later collections) rather
    than handed to the collector's young generation, whose next pass would visit every one of
    them; they are still freed as usual when no longer referenced.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


# --- one pass over the history ---------------------------------------------------------------


@dataclass
class _Walk:
    closing: dict[str, CommitRef] = field(default_factory=dict)  # task -> the commit that last closed it
    events: dict[str, list[StateEvent]] = field(default_factory=dict)  # within the period, oldest first
    touched: dict[str, set[str]] = field(default_factory=dict)  # commit -> tasks it changed (period only)
    hand_edits: list[HandEdit] = field(default_factory=list)  # within the period, oldest first
    history_before: bool = False  # some commit precedes the period (else last year was reconstructed)


def _walk_history(reader, commits, plans: list[Plan], year: int, start: dt.date,
                  cutoff: dt.datetime, diffs, progress=_no_progress) -> _Walk:
    """Newest to oldest: closing commits of done tasks, closes and reopens and hand edits of the period.

    A gktrack commit names its task in a trailer and is taken at its word. Any other commit that
    changed a plan file is checked against the file before and after it, but only where that can
    matter: within the period, or while a done task's closing commit is still being looked for.
    What such a comparison found is kept in ``diffs`` (a ``reportcache.HistoryCache``), keyed by the
    two blob ids, so the next report reads neither version again.
    """
    walk = _Walk()
    begin = dt.datetime.combine(start, dt.time(0, 0), BEIJING)
    relevant = {f"plans/{p.id}.yaml" for p in plans}
    pending: dict[str, set[str]] = {}  # plan file -> done tasks whose closing commit is not yet found
    for p in plans:
        for t in p.tasks:
            if t.state == "done" and (p.year == year or t.closed is None or t.closed >= start):
                pending.setdefault(f"plans/{p.id}.yaml", set()).add(t.full_id)
    waiting = sum(len(v) for v in pending.values())
    versions = _Versions(reader, _versions_needed(commits, relevant, begin, cutoff, diffs))
    compared = 0
    cache: dict[str | None, Any] = {}
    events: list[StateEvent] = []
    hand: list[HandEdit] = []

    def resolved(ref: str, ref_commit: CommitRef) -> None:
        nonlocal waiting
        path = f"plans/{ref.rpartition('/')[0]}.yaml"
        found = pending.get(path)
        if found and ref in found:
            walk.closing[ref] = ref_commit
            found.discard(ref)
            waiting -= 1

    for n, commit in enumerate(commits):
        if not n % 2000:
            progress("读取修改记录", n, len(commits))
        moment = commit.committed
        in_period = begin <= moment <= cutoff
        if moment < begin:
            walk.history_before = True
        if not (commit.trusted or commit.changes) or (not in_period and not waiting):
            continue
        action = commit.action
        touched: set[str] = set()
        if commit.trusted:
            ref = commit.task
            touched.add(ref)
            if action == "close":
                resolved(ref, _commit_ref(commit))
            if in_period and action in ("close", "reopen"):
                events.append(StateEvent(ref, action, _work_date(commit), _commit_ref(commit)))
        elif action not in _NO_TASK_ACTIONS:
            ref_commit = _commit_ref(commit)
            descriptions: list[str] = []
            for change in commit.changes:
                wanted = in_period or (change.path in relevant and pending.get(change.path))
                if not wanted:
                    versions.skip(change)
                    continue
                plan_id = _plan_id(change.path)
                if plan_id is None:
                    descriptions.append(_other_file_change(change))
                    continue
                summary = diffs.get_diff(change)
                if summary is None:
                    compared += 1
                    if not compared % 20:
                        progress("比较手工修改", n, len(commits))
                    summary = _summarize(plan_id, change.path, _plan_diff(versions, change, cache))
                    diffs.put_diff(change, summary)
                descriptions += summary["changes"]
                for task_id, old_state, new_state, closed in summary["tasks"]:
                    ref = f"{plan_id}/{task_id}"
                    touched.add(ref)
                    if new_state == "done" and old_state != "done":
                        resolved(ref, ref_commit)
                        if in_period:
                            closed = dt.date.fromisoformat(closed) if closed else ref_commit.date.date()
                            events.append(StateEvent(ref, "close", closed, ref_commit))
                    elif old_state == "done" and new_state == "open" and in_period:
                        events.append(StateEvent(ref, "reopen", ref_commit.date.date(), ref_commit))
            if in_period and action in _HAND_ACTIONS:
                hand.append(HandEdit(ref_commit, [c.path for c in commit.changes],
                                     descriptions or ["内容无实质变化"]))
        if in_period:
            walk.touched[commit.sha] = touched
    for event in reversed(events):
        walk.events.setdefault(event.ref, []).append(event)
    walk.hand_edits = list(reversed(hand))
    return walk


def _versions_needed(commits, relevant: set[str], begin: dt.datetime, cutoff: dt.datetime, diffs) -> list[str]:
    """The plan-file blobs ``_walk_history`` may compare, in the order it will ask for them."""
    order: list[str] = []
    for commit in commits:
        if commit.trusted or not commit.changes or commit.action in _NO_TASK_ACTIONS:
            continue
        in_period = begin <= commit.committed <= cutoff
        for change in commit.changes:
            if (in_period or change.path in relevant) and _plan_id(change.path) is not None \
                    and not diffs.has_diff(change):
                order += [b for b in (change.old_blob, change.new_blob) if b]
    return order


def _summarize(plan_id: str, path: str, diff: _PlanDiff) -> dict:
    """What the report keeps of a comparison: the phrases for the audit, and each changed task's
    state before and after (None: no such task) with its closing date. Plain JSON, for the cache."""
    def state(task: dict | None) -> str | None:
        if task is None:
            return None
        value = task.get("state", "open")
        return value if isinstance(value, str) else "?"

    tasks = []
    for task_id, old, new in diff.tasks:
        closed = _as_date(new.get("closed")) if new is not None else None
        tasks.append([task_id, state(old), state(new), closed.isoformat() if closed else None])
    return {"changes": _describe_plan_change(plan_id, path, diff), "tasks": tasks}


class _Versions:
    """Plan file versions for comparing: each blob read once, split into tasks once, and kept
    only until its last use (a blob is usually the "after" of one commit and the "before" of the
    next older one that changed the file)."""

    def __init__(self, reader, order: list[str]):
        from collections import Counter

        self.reader = reader
        self.uses = Counter(order)
        self.kept: dict[str, list] = {}
        reader.expect(list(dict.fromkeys(order)))

    def get(self, blob: str, path: str) -> list:
        """[text or None when unreadable, its split (computed on first use) or _UNSPLIT]"""
        from gktrack.errors import GktrackError
        from gktrack.storage.yamlfile import decode

        entry = self.kept.get(blob)
        if entry is None:
            try:
                entry = [decode(self.reader.read(blob) or b"", path), _UNSPLIT]
            except GktrackError:
                entry = [None, None]
        left = self.uses[blob] - 1
        self.uses[blob] = left
        if left > 0:
            self.kept[blob] = entry
        else:
            self.kept.pop(blob, None)
        return entry

    def skip(self, change) -> None:
        """A change that will not be compared: its versions are not kept for it."""
        for blob in (change.old_blob, change.new_blob):
            if blob and self.uses[blob] > 0:
                self.uses[blob] -= 1
                if self.uses[blob] == 0 and self.kept.pop(blob, None) is None:
                    self.reader.forget(blob)

    @staticmethod
    def parts(entry: list):
        if entry[1] is _UNSPLIT:
            entry[1] = _split_tasks(entry[0])
        return entry[1]


_UNSPLIT = object()


def _work_date(commit) -> dt.date:
    from gktrack.storage import git

    recorded = commit.trailers.get(git.TRAILER_DATE)
    if recorded:
        try:
            return dt.date.fromisoformat(recorded)
        except ValueError:
            pass
    return _beijing(commit.authored).date()


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


@dataclass
class _PlanDiff:
    """What one commit changed in one plan file, task by task."""

    created: bool = False
    deleted: bool = False
    unreadable: str | None = None  # "修改前" / "修改后" when that version cannot be parsed
    header: list[str] = field(default_factory=list)  # top-level keys other than tasks that changed
    tasks: list[tuple[int, dict | None, dict | None]] = field(default_factory=list)
    task_count: int = 0  # tasks in a created file


def _plan_diff(versions: _Versions, change, cache: dict) -> _PlanDiff:
    """The tasks a commit changed in a plan file.

    Plan files keep each task in its own block of lines, so the two versions are compared block
    by block as text and only the blocks that differ are parsed: a hand edit of one task in a
    plan with thousands of progress entries costs one task's parsing, not the whole file's.
    Files laid out some other way are parsed whole.
    """
    old = versions.get(change.old_blob, change.path) if change.old_blob else None
    new = versions.get(change.new_blob, change.path) if change.new_blob else None
    if new is None:
        return _PlanDiff(deleted=True)
    if new[0] is None:
        return _PlanDiff(created=old is None, unreadable="修改后")
    if old is None:
        data = _load(new[0], cache)
        if data is _BROKEN:
            return _PlanDiff(created=True, unreadable="修改后")
        tasks = _tasks_by_id(data)
        return _PlanDiff(created=True, task_count=len(tasks),
                         tasks=[(i, None, tasks[i]) for i in sorted(tasks)])
    if old[0] is None:
        return _PlanDiff(unreadable="修改前")
    old_parts, new_parts = _Versions.parts(old), _Versions.parts(new)
    if old_parts and new_parts:
        diff = _diff_parts(old_parts, new_parts, cache)
        if diff is not None:
            return diff
    before, after = _load(old[0], cache), _load(new[0], cache)
    if before is _BROKEN or after is _BROKEN:
        return _PlanDiff(unreadable="修改后" if after is _BROKEN else "修改前")
    if not isinstance(before, dict) or not isinstance(after, dict):
        return _PlanDiff(unreadable="修改前" if isinstance(after, dict) else "修改后")
    header = [k for k in dict.fromkeys([*before, *after]) if k != "tasks" and before.get(k) != after.get(k)]
    return _PlanDiff(header=header, tasks=_changed_tasks(_tasks_by_id(before), _tasks_by_id(after)))


_BROKEN = object()


def _load(text: str, cache: dict) -> Any:
    """Loaded YAML without line bookkeeping, or _BROKEN; cached by text."""
    from gktrack.errors import GktrackError
    from gktrack.storage.yamlfile import safe_load, strip_lines

    if text not in cache:
        try:
            cache[text] = strip_lines(safe_load(text, "plan"))
        except GktrackError:
            cache[text] = _BROKEN
    return cache[text]


_TASKS_KEY = re.compile(r"^tasks[ \t]*:[ \t]*(?:#.*)?$", re.M)
_TOP_LEVEL = re.compile(r"^[^\s#]", re.M)
_FIRST_ITEM = re.compile(r"^( *)- ", re.M)


def _split_tasks(text: str) -> tuple[str, list[str]] | None:
    """(the file without its tasks, the text of each task item), or None if not laid out in blocks.

    Regular expressions over the whole text rather than a loop over lines: this runs on both
    versions of every hand-edited file, which may be large.
    """
    key = _TASKS_KEY.search(text)
    if key is None:
        return None
    body_start = key.end() + 1
    first = _FIRST_ITEM.search(text, body_start)
    if first is None:
        return None
    dash = len(first.group(1))
    if text[body_start:first.start()].strip() and not all(
            line.strip().startswith("#") for line in text[body_start:first.start()].splitlines() if line.strip()):
        return None
    end_match = _TOP_LEVEL.search(text, first.end()) if dash else re.compile(r"^[^\s#-]", re.M).search(text, first.end())
    end = end_match.start() if end_match else len(text)
    region = text[first.start():end]
    items = re.split(rf"(?m)^(?={' ' * dash}- )", region)
    header = text[:key.start()] + text[end:]
    return header, [item.rstrip() + "\n" for item in items if item.strip()]


def _diff_parts(old: tuple[str, list[str]], new: tuple[str, list[str]], cache: dict) -> _PlanDiff | None:
    diff = _PlanDiff()
    if old[0] != new[0]:
        before, after = _load(old[0], cache), _load(new[0], cache)
        if not isinstance(before, dict) or not isinstance(after, dict):
            return None
        diff.header = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
    old_set, new_set = set(old[1]), set(new[1])
    gone = [item for item in old[1] if item not in new_set]
    came = [item for item in new[1] if item not in old_set]
    parsed = []
    for items in (gone, came):
        data = _load("".join(items), cache) if items else []
        if data is _BROKEN or not isinstance(data, list) or len(data) != len(items) \
                or not all(isinstance(t, dict) and isinstance(t.get("id"), int) for t in data):
            return None
        parsed.append({t["id"]: t for t in data})
    diff.tasks = _changed_tasks(*parsed)
    return diff


def _tasks_by_id(data: Any) -> dict[int, dict]:
    if not isinstance(data, dict):
        return {}
    tasks = data.get("tasks") or []
    if not isinstance(tasks, list):
        return {}
    return {t["id"]: t for t in tasks if isinstance(t, dict) and isinstance(t.get("id"), int)}


def _changed_tasks(old: dict[int, dict], new: dict[int, dict]) -> list[tuple[int, dict | None, dict | None]]:
    return [(i, old.get(i), new.get(i)) for i in sorted(set(old) | set(new)) if old.get(i) != new.get(i)]


_FIELD_LABELS = {
    "number": "序号", "section": "章节", "text": "任务内容", "lead": "牵头单位", "support": "配合单位",
    "responsible": "责任单位", "units_text": "单位原文", "deadline": "期限", "state": "状态",
    "closed": "完成日期", "note": "完成情况", "evidence": "佐证材料", "progress": "进展记录",
}
_PLAN_LABELS = {"title": "标题", "year": "年度", "issuer": "发文单位", "doc_number": "文号", "issued": "印发日期",
                "source": "原文地址", "owner": "默认责任单位", "sections": "章节", "id": "计划编号", "schema": "格式版本"}


def _value_text(value: Any, limit: int = 20) -> str:
    if value is None or value == "" or value == []:
        return "(空)"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        value = "、".join(_value_text(v, limit) for v in value)
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[:limit] + "…"


def _describe_task_change(ref: str, old: dict | None, new: dict | None) -> str:
    if old is None:
        state = STATE_LABELS.get(new.get("state", "open"), new.get("state"))
        return f"{ref} 新增任务({state})"
    if new is None:
        return f"{ref} 删除任务"
    parts = []
    keys = list(dict.fromkeys([*old, *new]))
    for key in keys:
        a, b = old.get(key), new.get(key)
        if a == b or key == "id":
            continue
        label = _FIELD_LABELS.get(key, key)
        if key == "state":
            parts.append(f"状态 {STATE_LABELS.get(a or 'open', a)}→{STATE_LABELS.get(b or 'open', b)}")
        elif key == "progress":
            a_list, b_list = a or [], b or []
            if isinstance(a_list, list) and isinstance(b_list, list) and b_list[:len(a_list)] == a_list:
                parts.append(f"新增进展{len(b_list) - len(a_list)}条")
            else:
                parts.append("修改或删除了已有进展记录")
        elif key in ("note", "text", "units_text"):
            parts.append(f"{label}改为“{_value_text(b)}”" if b else f"删除{label}")
        else:
            parts.append(f"{label} {_value_text(a)}→{_value_text(b)}")
    return f"{ref} " + ",".join(parts)


def _describe_plan_change(plan_id: str, path: str, diff: _PlanDiff) -> list[str]:
    if diff.deleted:
        return [f"删除计划文件 {path}"]
    if diff.unreadable:
        return [f"{path} {diff.unreadable}无法解析,未能逐项比较"]
    if diff.created:
        return [f"新建计划文件 {path}({diff.task_count}项任务)"]
    out = []
    if diff.header:
        out.append(f"{plan_id} 计划信息:" + "、".join(_PLAN_LABELS.get(k, k) for k in diff.header))
    for task_id, old, new in diff.tasks:
        out.append(_describe_task_change(f"{plan_id}/{task_id}", old, new))
    return out


def _other_file_change(change) -> str:
    from gktrack.storage.registry import REGISTRY_FILE

    verb = {"A": "新增", "D": "删除"}.get(change.status, "修改")
    if change.path == REGISTRY_FILE:
        return f"{verb}单位名册 {REGISTRY_FILE}"
    return f"{verb}文件 {change.path}"


# --- tasks -----------------------------------------------------------------------------------


def _continuing(deadline) -> bool:
    return deadline.kind == "ongoing" or (deadline.kind == "relative" and deadline.due is None)


def evaluate_task(plan: Plan, task: Task, *, as_of: dt.date, start: dt.date, closed: dt.date | None,
                  carried_over: bool = False, units: list[UnitRef] | None = None) -> TaskReport:
    """A task's standing at the cut-off: on time, late, overdue, not yet due, or 持续推进.

    The cut-off is the end of ``as_of``: an open task due that day or earlier has missed its
    deadline. Done tasks are judged on their closing date. "6月底前" followed by "持续推进" is a
    milestone, met by any progress entry on or before it (as ``gktrack.domain.deadlines.assess`` reads
    it). A task with no deadline is due at the end of its plan's year; a phrase that cannot be
    read is not judged at all.
    """
    parsed, continuing, unknown, dated, dated_checks = _deadline_facts(task.deadline, plan.year)
    done = task.state == "done"
    when = closed if done else as_of
    progress = sorted(p.date for p in task.progress if p.date <= as_of)
    misses: list[tuple[int, dt.date, str | None]] = []
    if when is not None:
        for due, phrase, milestone in dated_checks:
            if milestone and any(p <= due for p in progress):
                continue
            late = (when - due).days
            if (done and late > 0) or (not done and late >= 0):
                misses.append((late, due, phrase))
    limit = when or as_of
    missed_periods = []
    for d in parsed:
        if d.kind != "recurring":
            continue
        for begin, end in _periods(d, plan.year):
            # progress is sorted: the first entry on or after the period's start decides
            i = bisect.bisect_left(progress, begin)
            if end <= limit and not (i < len(progress) and progress[i] <= end):
                missed_periods.append(MissedPeriod(_period_label(d.period, begin), begin, end))
    if done:
        category = "late" if misses else "on_time"
    elif misses:
        category = "overdue"
    else:
        category = "ongoing" if continuing else "open"
    worst = max(misses, key=lambda m: (m[0], m[1])) if misses else None
    if worst:
        due, phrase, days = worst[1], worst[2], worst[0]
    elif dated_checks:
        due, phrase, days = dated_checks[0][0], dated_checks[0][1], None
    else:
        due, phrase, days = None, None, None
    return TaskReport(
        plan=plan, task=task, carried_over=carried_over, category=category, deadlines=parsed,
        units=list(units or []), due=due, due_phrase=phrase, days_late=days,
        unknown_deadline=unknown and not dated and not continuing,
        missed_periods=missed_periods, closed=closed if done else None,
        progress=[p for p in task.progress if start <= p.date <= as_of],
    )


# A city's 10,000 tasks are written with a few hundred deadline phrases: each is read once.
_PARSED: dict[tuple, list] = {}
_PERIODS: dict[tuple, list] = {}


def _deadlines(phrases: list[str], year: int) -> list:
    key = (tuple(phrases), year)
    found = _PARSED.get(key)
    if found is None:
        from gktrack.domain import deadlines as dl

        found = _PARSED[key] = dl.parse_deadlines(phrases, year)  # Deadline is frozen: safe to share
    return found


_FACTS: dict[tuple, tuple] = {}


def _deadline_facts(phrases: list[str], year: int) -> tuple:
    """What ``evaluate_task`` needs to know of a deadline field, worked out once per phrase and year:
    (deadlines, continuing?, unreadable?, any dated?, [(due, phrase, milestone?)] to check)."""
    key = (tuple(phrases), year)
    found = _FACTS.get(key)
    if found is None:
        parsed = _deadlines(phrases, year)
        continuing = any(d.kind == "recurring" or _continuing(d) for d in parsed)
        unknown = any(d.kind == "unknown" for d in parsed)
        dated = [(i, d) for i, d in enumerate(parsed) if d.due is not None and d.kind != "recurring"]
        if not parsed:
            checks = [(dt.date(year, 12, 31), None, False)]
        else:
            checks = [(d.due, d.phrase, any(_continuing(later) for later in parsed[i + 1:])) for i, d in dated]
        found = _FACTS[key] = (parsed, continuing, unknown, bool(dated), checks)
    return found


def _periods(deadline, year: int) -> list:
    key = (deadline, year)
    found = _PERIODS.get(key)
    if found is None:
        from gktrack.domain import deadlines as dl

        found = _PERIODS[key] = dl.recurring_periods(deadline, year)
    return found


_QUARTERS = "一二三四"


def _period_label(period: str | None, begin: dt.date) -> str:
    if period == "monthly":
        return f"{begin.month}月"
    if period == "quarterly":
        return f"第{_QUARTERS[(begin.month - 1) // 3]}季度"
    if period == "half-yearly":
        return "上半年" if begin.month <= 6 else "下半年"
    return f"{begin.year}年度"


def _select_tasks(report: Report, plans: list[Plan], walk: _Walk, units) -> None:
    from gktrack.domain.units import normalize_name
    from gktrack.features.views import effective_units, match_unit

    wanted = report.unit_filter
    unrecorded: set[str] = set()
    names: dict[UnitRef, UnitRef] = {}  # a unit as written -> as the registry names it
    ordered = sorted(plans, key=lambda p: (p.year != report.year, -p.year, p.id))
    # Earlier plans of another issuer are another office's business, not this year's report.
    issuers = {p.issuer for p in plans if p.year == report.year and p.issuer}
    for plan in ordered:
        carried = plan.year < report.year
        if carried and issuers and plan.issuer and plan.issuer not in issuers:
            continue
        plan_report = PlanReport(plan, carried)
        for task in plan.tasks:
            if wanted and match_unit(units, plan, task, wanted) is None:
                continue
            if report.reconstructed and task.state != "done" and not task.progress:
                unrecorded.add(task.full_id)
            if report.reconstructed and task.state == "done" and (task.closed is None or task.closed > report.as_of):
                # Closed after the cut-off (or on no recorded date): still open at the cut-off.
                task = dataclasses.replace(task, state="open", closed=None)
            events = walk.events.get(task.full_id, [])
            closes = [e for e in events if e.kind == "close"]
            closing = walk.closing.get(task.full_id) or (closes[-1].commit if closes else None)
            closed = None
            if task.state == "done":
                closed = task.closed or (closing.date.date() if closing else None)
            refs = []
            for u in effective_units(plan, task):
                ref = names.get(u)
                if ref is None:
                    ref = names[u] = UnitRef(units.canonical(u.name) or normalize_name(u.name), u.role)
                refs.append(ref)
            entry = evaluate_task(plan, task, as_of=report.as_of, start=report.start, closed=closed,
                                  carried_over=carried, units=list(dict.fromkeys(refs)))
            entry.closing = closing if task.state == "done" else None
            entry.events = events
            if carried and not _still_open_during(entry, report.start, walk.history_before):
                continue
            plan_report.tasks.append(entry)
        if plan_report.tasks:
            report.plans.append(plan_report)
    report.unrecorded = sum(1 for p in report.plans for t in p.tasks if t.ref in unrecorded)


def _still_open_during(entry: TaskReport, start: dt.date, history_before: bool) -> bool:
    """An earlier plan's task belongs in this report if it was still owed when the period began.

    A done task was owed if the previous year's report counted it open: by the state of the last
    commit before the period, that is by when its closing commit was made; or, when nothing was
    committed before the period (that report was worked out from recorded dates), by its date.
    """
    if entry.done:
        begin = dt.datetime.combine(start, dt.time(0, 0), BEIJING)
        if history_before and entry.closing is not None and entry.closing.committed is not None:
            return entry.closing.committed >= begin
        return entry.closed is not None and entry.closed >= start
    # 持续推进 and recurring tasks of an earlier plan were that year's work, not this year's.
    return entry.category in ("overdue", "open")


# --- counting --------------------------------------------------------------------------------


def _count(report: Report, units) -> None:
    stats: dict[str, UnitStats] = {}
    wanted = report.unit_filter
    for plan_report in report.plans:
        plan = plan_report.plan
        by_key = plan.section_by_key()
        sections: dict[str | None, SectionSummary] = {}
        for s in plan.sections:
            if "." not in s.key:
                sections[s.key] = SectionSummary(s.key, s.heading)
        for entry in plan_report.tasks:
            report.counts.add(entry.category)
            plan_report.counts.add(entry.category)
            top = entry.task.section.split(".")[0] if entry.task.section else None
            if top not in sections:
                heading = by_key[top].heading if top in by_key else "(未分章节)"
                sections[top] = SectionSummary(top, heading)
            sections[top].counts.add(entry.category)
            roles = _unit_roles(units, plan, entry, wanted)
            for name, role_set in roles.items():
                unit_stats = stats.get(name)
                if unit_stats is None:
                    unit_stats = stats[name] = UnitStats(name)
                for role in role_set:
                    unit_stats.__dict__[role] += 1
                unit_stats.counts.add(entry.category)
        plan_report.sections = [s for s in sections.values() if s.counts.total]
    report.units = sorted(stats.values(), key=lambda u: (-u.counts.missed, -u.counts.total, u.name))


def _unit_roles(units, plan: Plan, entry: TaskReport, wanted: str | None) -> dict[str, list[str]]:
    if wanted:
        from gktrack.features.views import match_unit

        found = match_unit(units, plan, entry.task, wanted)
        return {wanted: [found[0]]} if found else {}
    roles: dict[str, list[str]] = {}
    for ref in entry.units:
        if ref.role not in roles.setdefault(ref.name, []):
            roles[ref.name].append(ref.role)
    if not roles:
        roles["(未分派)"] = []
    return roles


def _months(start: dt.date, end: dt.date) -> list[str]:
    months, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _audit(report: Report, commits, walk: _Walk) -> None:
    audit = report.audit
    months = {m: MonthStats(m) for m in _months(report.start, report.as_of)}
    people: dict[str, PersonStats] = {}
    reported = {t.ref for t in report.tasks}
    plan_files = {f"plans/{p.plan.id}.yaml" for p in report.plans}

    def in_scope(sha: str, files: list[str]) -> bool:
        if report.unit_filter:
            return bool(walk.touched.get(sha, set()) & reported)
        if report.plan_filter:
            return any(f in plan_files for f in files)
        return True

    closers: dict[str, int] = {}
    for events in walk.events.values():
        for event in events:
            if event.kind == "close" and event.ref in reported:
                closers[event.commit.sha] = closers.get(event.commit.sha, 0) + 1
    for commit in reversed(commits):  # oldest first, so the newest name of a person wins
        if commit.sha not in walk.touched or not in_scope(commit.sha, commit.files):
            continue
        audit.commits += 1
        action = commit.action
        if action is None:
            audit.hand_unchecked += 1
        elif action == "edit":
            audit.hand_checked += 1
        else:
            audit.tool += 1
        moment = _beijing(commit.committed)
        month = months.get(f"{moment.year:04d}-{moment.month:02d}")
        if month is not None:
            month.commits += 1
            month.hand += action in _HAND_ACTIONS
        key = commit.email.lower() or commit.author
        person = people.get(key)
        if person is None:
            person = people[key] = PersonStats(commit.author, commit.email)
        person.name = commit.author
        person.commits += 1
        person.hand += action in _HAND_ACTIONS
        person.closes += closers.get(commit.sha, 0)
        person.progress += action == "progress"
    for entry in report.tasks:
        if entry.done and entry.closed and report.start <= entry.closed <= report.as_of:
            month = months.get(f"{entry.closed.year:04d}-{entry.closed.month:02d}")
            if entry.category == "on_time":
                month.closed_on_time += 1
            else:
                month.closed_late += 1
    audit.months = list(months.values())
    audit.people = sorted(people.values(), key=lambda p: (-p.commits, p.name, p.email))
    audit.hand_edits = [h for h in walk.hand_edits if in_scope(h.commit.sha, h.files)]


# ---------------------------------------------------------------------------------------------
# Markdown


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&$])")
_URL = re.compile(r"https?://[^\s<>\"|`]+")


_MD_PLAIN = re.compile(r"[\\`*_\[\]<>|#~&$\s]")  # nothing to escape or fold when absent
_MD_SEEN: dict[str, str] = {}


def _md(text: Any) -> str:
    """Text from a plan file as one line of Markdown that shows exactly as written."""
    text = str(text)
    if _MD_PLAIN.search(text) is None:
        return text
    found = _MD_SEEN.get(text)
    if found is None:
        found = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
        if len(text) < 64:  # names and short phrases come back again and again
            _MD_SEEN[text] = found
    return found


def _link(text: str) -> str:
    text = " ".join(text.split())
    return f"<{text}>" if _URL.fullmatch(text) else _md(text)


def _short_text(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "……"


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _width(text: str) -> int:
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(headers: list[str], rows: list[list[Any]], right: set[int] = frozenset()) -> list[str]:
    """A GitHub-flavoured table, padded so that it also lines up as plain text."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(3, *(_width(row[i]) for row in cells)) for i in range(len(headers))]

    def pad(text: str, i: int) -> str:
        gap = " " * (widths[i] - _width(text))
        return gap + text if i in right else text + gap

    lines = ["| " + " | ".join(pad(c, i) for i, c in enumerate(cells[0])) + " |"]
    lines.append("| " + " | ".join(("-" * (w - 1) + ":") if i in right else "-" * w
                                   for i, w in enumerate(widths)) + " |")
    for row in cells[1:]:
        lines.append("| " + " | ".join(pad(c, i) for i, c in enumerate(row)) + " |")
    return lines


_ROLE_ORDER = {"lead": 0, "support": 1, "responsible": 2}
_ROLES_SEEN: dict[tuple, str] = {}


def _roles_text(refs: list[UnitRef]) -> str:
    """"司法所(牵头)、党政综合办(配合)、各有关单位": a unit that is simply responsible has no label."""
    key = tuple(refs)
    found = _ROLES_SEEN.get(key)
    if found is None:
        parts = [_md(r.name) + (f"({ROLE_LABELS[r.role]})" if r.role != "responsible" else "")
                 for r in sorted(refs, key=lambda r: _ROLE_ORDER.get(r.role, 3))]
        found = _ROLES_SEEN[key] = "、".join(parts) or "未分派"
    return found


_DEADLINES_SEEN: dict[tuple, str] = {}


def _deadline_text(entry: TaskReport) -> str:
    if not entry.task.deadline:
        return f"未写期限(按计划年度年底 {dt.date(entry.plan.year, 12, 31).isoformat()} 计)"
    key = tuple(entry.deadlines)  # Deadline is a frozen dataclass: equal ones read the same
    found = _DEADLINES_SEEN.get(key)
    if found is None:
        found = _DEADLINES_SEEN[key] = _md(";".join(d.display() for d in key))
    return found


def _state_text(entry: TaskReport, as_of: dt.date) -> str:
    label = CATEGORY_LABELS[entry.category]
    if entry.category == "on_time":
        return f"{label}({entry.closed.isoformat()} 完成)" if entry.closed else f"{label}(完成日期不详)"
    if entry.category == "late":
        return f"{label}({entry.closed.isoformat()} 完成,逾期{entry.days_late}天)"
    if entry.category == "overdue":
        due = entry.due.isoformat()
        if entry.days_late:
            return f"{label}(期限 {due},截至 {as_of.isoformat()} 已逾期{entry.days_late}天)"
        return f"{label}(期限 {due} 已届满)"
    if entry.category == "open":
        if entry.unknown_deadline:
            return "未完成(期限无法识别,未判断是否逾期)"
        return f"{label}(期限 {entry.due.isoformat()})" if entry.due else label
    return label


def _commit_text(ref: CommitRef) -> str:
    how = ",手工修改,无 gktrack 记录" if ref.action is None else (
        ",经 gktrack commit-edits 检查的手工修改" if ref.action == "edit" else "")
    return f"提交 `{ref.short}`({_md(ref.author)},{ref.date.date().isoformat()}{how})"


def render_markdown(report: Report) -> str:
    """The report as Markdown: six sections, tables and mermaid charts, one trailing newline."""
    return "".join(iter_markdown(report))


def iter_markdown(report: Report):
    """``render_markdown`` in pieces, one plan's tasks at a time, for writing as it is made:
    at 10,000 tasks the whole text (8 MB) and its lines would be held at once otherwise."""
    with _no_gc():
        out: list[str] = []
        _header(report, out)
        _overview(report, out)
        for _ in _details(report, out):
            if len(out) > 2000:
                yield "\n".join(out) + "\n"
                out.clear()
        _units_section(report, out)
        _problems(report, out)
        _audit_section(report, out)
        _charts(report, out)
        while out and out[-1] == "":
            out.pop()
        yield "\n".join(out) + "\n"  # never empty: the charts come last


def _main_plans(report: Report) -> list[PlanReport]:
    return [p for p in report.plans if not p.carried_over]


def _header(report: Report, out: list[str]) -> None:
    issuers = {p.plan.issuer for p in _main_plans(report)}
    issuer = issuers.pop() if len(issuers) == 1 else None
    out.append(f"# {_md(issuer) if issuer else ''}{report.year}年度政务公开工作要点落实情况")
    out.append("")
    c = report.commit
    when = f"{_md(c.author)},{c.date.strftime('%Y-%m-%d %H:%M')}"
    if report.reconstructed:
        out.append(
            f"> 本报告由 gktrack 根据计划仓库生成,统计截至北京时间{_cn_date(report.as_of)}24时。"
            f"仓库中没有该时点以前的提交(计划是其后才录入的),本报告依据提交 `{c.sha}`({when})中的计划文件,"
            "按其中记录的完成日期和进展日期推算该时点的状态,该时点以后才完成的任务按未完成统计。"
            + _unrecorded_text(report))
    else:
        out.append(
            f"> 本报告由 gktrack 根据计划仓库的 git 历史生成,统计截至北京时间{_cn_date(report.as_of)}24时,"
            f"依据该时点前的最后一次提交 `{c.sha}`({when})。"
            "任务状态以该提交中的计划文件为准;同一仓库以同样参数再次生成,内容逐字节相同。")
    scope = []
    if report.plan_filter:
        scope.append(f"计划 {_md(report.plan_filter)}")
    if report.unit_filter:
        scope.append(f"责任单位 {_md(report.unit_filter)}(含经集体单位分派的任务)")
    if scope:
        out += [">", f"> 报告范围:{';'.join(scope)}。"]
    out.append("")


def _unrecorded_text(report: Report) -> str:
    n = report.unrecorded
    if not n:
        return ""
    if n == report.counts.total:
        return (f"计划文件中的{n}项任务都还没有登记完成情况或工作进展,下文的统计只反映仓库中的这一记录状态,"
                "不代表实际工作情况;请先用 gktrack progress、gktrack close(可加 --date 补记日期)登记落实情况,"
                "再生成本报告。")
    return f"其中{n}项任务在计划文件中既无完成记录也无进展记录,按未完成统计。"


def _overview(report: Report, out: list[str]) -> None:
    n = report.counts
    main = _main_plans(report)
    main_tasks = sum(p.counts.total for p in main)
    carried = n.total - main_tasks
    titles = "、".join(
        f"《{_md(p.plan.title)}》" + (f"({_md(p.plan.doc_number)})" if p.plan.doc_number else "") for p in main)
    out += ["## 一、总体情况", ""]
    if report.unit_filter:
        lead = f"{report.year}年,{_md(report.unit_filter)}承担"
        if main:
            lead += f"{titles}中的任务{main_tasks}项"
        text = lead + (f",另有以前年度计划结转任务{carried}项,合计{n.total}项" if carried else "") + "。"
    else:
        if len(main) == 1:
            text = f"{report.year}年,跟踪落实{titles},分解任务{main_tasks}项"
        elif main:
            text = f"{report.year}年,共跟踪政务公开工作计划{len(main)}份:{titles},分解任务{main_tasks}项"
        else:
            text = f"{report.year}年,没有本年度的工作计划"
        text += f";另有以前年度计划结转任务{carried}项,合计{n.total}项" if carried else ""
        text += "。"
    parts = []
    done_parts = [f"{CATEGORY_LABELS[c]}{getattr(n, c)}项" for c in DONE if getattr(n, c)]
    parts.append(f"已完成{n.done}项" + (f",其中{'、'.join(done_parts)}" if n.done and done_parts else ""))
    if n.ongoing:
        parts.append(f"持续推进{n.ongoing}项")
    if n.not_done:
        sub = [f"{CATEGORY_LABELS[c]}{getattr(n, c)}项" for c in ("overdue", "open") if getattr(n, c)]
        parts.append(f"未完成{n.not_done}项,其中{'、'.join(sub)}")
    text += f"截至{_cn_date(report.as_of)}," + ";".join(parts) + "。"
    if n.rate is not None:
        text += f"任务完成率{_pct(n.rate)}(已完成任务数÷扣除持续推进任务后的任务数)。"
    extra = []
    progress = sum(len(t.progress) for t in report.tasks)
    if progress:
        extra.append(f"年内记录工作进展{progress}条")
    reopened = sum(1 for t in report.tasks if t.reopened)
    if reopened:
        extra.append(f"{reopened}项任务曾重新打开")
    missed = sum(1 for t in report.tasks if t.missed_periods)
    if missed:
        extra.append(f"{missed}项周期性任务存在未按期记录进展的周期")
    hand = len(report.audit.hand_edits)
    if hand:
        extra.append(f"计划文件在 gktrack 之外手工修改{hand}次,均已在审计记录中列明")
    if extra:
        text += ";".join(extra) + "。"
    if report.unrecorded:
        text += f"(注:其中{report.unrecorded}项任务在仓库中没有任何完成或进展记录。)"
    out += [text, ""]
    rows = []
    for p in report.plans:
        label = f"《{_md(p.plan.title)}》" + (f"({p.plan.year}年度结转)" if p.carried_over else "")
        rows.append([f"**{label}**", *_count_cells(p.counts)])
        if len(p.sections) > 1 or (p.sections and p.sections[0].key is not None):
            for s in p.sections:
                rows.append([_md(s.heading), *_count_cells(s.counts)])
    if len(report.plans) > 1:
        rows.append(["**合计**", *_count_cells(n)])
    headers = ["计划及章节", "任务数", *(CATEGORY_LABELS[c] for c in CATEGORIES), "完成率"]
    out += _table(headers, rows, right=set(range(1, len(headers))))
    out += ["", "注:完成率 = 已完成 ÷(任务数 − 持续推进);未到期指截止日尚未到期限或期限无法识别的任务。", ""]


def _count_cells(c: Counts) -> list[Any]:
    return [c.total, *(getattr(c, k) for k in CATEGORIES), _pct(c.rate)]


_HEADING_LEVELS = {1: "####", 2: "#####"}


def _details(report: Report, out: list[str]):
    """Adds each plan's part to ``out`` and yields after it (out is then never empty)."""
    out += ["## 二、逐项落实情况", ""]
    state_label = "年末状态" if report.as_of == dt.date(report.year, 12, 31) else f"截至{report.as_of.isoformat()}状态"
    for p in report.plans:
        plan = p.plan
        title = f"### 《{_md(plan.title)}》"
        if p.carried_over:
            title += f"({plan.year}年度计划结转任务)"
        out += [title, ""]
        meta = [f"计划编号 {_md(plan.id)}"]
        for label, value in (("发文单位", plan.issuer), ("文号", plan.doc_number),
                             ("印发日期", plan.issued.isoformat() if plan.issued else None)):
            if value:
                meta.append(f"{label} {_md(value)}")
        out += [";".join(meta) + "。", ""]
        shown: list[str] = []
        paths: dict[str | None, tuple[list, list[str]]] = {}
        for entry in p.tasks:
            key = entry.task.section
            if key not in paths:
                chain = plan.section_path(key)
                paths[key] = (chain, [s.key for s in chain])
            path, keys = paths[key]
            for depth, section in enumerate(path, start=1):
                if shown[:depth] != keys[:depth]:
                    out += [f"{_HEADING_LEVELS.get(depth, '######')} {_md(section.heading)}", ""]
            shown = keys
            _task_block(report, entry, out, state_label)
        yield


def _task_block(report: Report, entry: TaskReport, out: list[str], state_label: str) -> None:
    task = entry.task
    if task.number:
        out.append(f"**{_md(task.number)}** {_md(task.text)}(任务编号 {_md(entry.ref)})")
    else:
        out.append(f"**{_md(entry.ref)}** {_md(task.text)}")
    out.append("")
    out.append(f"- 责任单位:{_roles_text(entry.units)}")
    out.append(f"- 期限:{_deadline_text(entry)}")
    state = f"- {state_label}:{_state_text(entry, report.as_of)}"
    done = entry.category in DONE
    if done:
        if entry.closing and entry.closed and entry.closing.date.date() != entry.closed:
            state += f",{entry.closing.date.date().isoformat()} 登记"
        out.append(state)
        out.append(f"- 完成情况:{_md(task.note) if task.note else '未填写'}")
        out.append("- 佐证材料:" + ("、".join(_link(e) for e in task.evidence) if task.evidence else "未提供"))
    else:
        out.append(state)
    if entry.missed_periods:
        out.append("- 缺少进展记录的周期:" + "、".join(
            f"{m.label}({m.start.isoformat()}至{m.end.isoformat()})" for m in entry.missed_periods))
    if entry.events:
        for event in entry.reopened:
            out.append(f"- 重新打开:{event.date.isoformat()},{_commit_text(event.commit)}")
    if done:
        out.append("- 审计依据:" + (f"关闭于{_commit_text(entry.closing)}" if entry.closing else "未找到关闭该任务的提交"))
    if entry.progress:
        out.append(f"- 本年度进展({len(entry.progress)}条):")
        for p in entry.progress:
            who = _who(p.unit, p.by)
            out.append(f"  - {p.date.isoformat()}{who}:{_md(p.note)}")
    else:
        out.append("- 本年度进展:无记录")
    out.append("")


_WHO_SEEN: dict[tuple, str] = {}


def _who(unit: str | None, by: str | None) -> str:
    """" 司法所 张三" before a progress note: who recorded it, if known."""
    key = (unit, by)
    found = _WHO_SEEN.get(key)
    if found is None:
        who = " ".join(_md(x) for x in key if x)
        found = _WHO_SEEN[key] = " " + who if who else ""
    return found


def _units_section(report: Report, out: list[str]) -> None:
    out += ["## 三、按责任单位统计", ""]
    rows = []
    for u in report.units:
        c = u.counts
        rows.append([_md(u.name), u.lead, u.support, u.responsible, c.total, c.done, c.missed,
                     c.not_done, c.ongoing, _pct(c.rate)])
    headers = ["责任单位", "牵头", "配合", "负责", "任务数", "已完成", "逾期", "未完成", "持续推进", "完成率"]
    out += _table(headers, rows, right=set(range(1, len(headers))))
    out += ["", "注:有逾期任务的单位排在前面;“逾期”含逾期完成和逾期未完成;一项任务由多个单位承担的,"
            "分别计入各单位;“各有关单位”等集体单位按原文单列。", ""]


def _problem_item(report: Report, entry: TaskReport) -> str:
    plan = f"《{_md(entry.plan.title)}》" if len(report.plans) > 1 else ""
    text = f"{plan}“{_md(_short_text(entry.task.text))}”(任务编号 {_md(entry.ref)}),责任单位:{_roles_text(entry.units)}"
    if entry.task.deadline:
        text += f",期限:{_md(entry.task.deadline_text)}"
    return text


def _problems(report: Report, out: list[str]) -> None:
    out += ["## 四、存在的主要问题及改进情况", ""]
    tasks = report.tasks
    overdue = [t for t in tasks if t.category == "overdue"]
    late = [t for t in tasks if t.category == "late"]
    periods = [t for t in tasks if t.missed_periods]
    unknown = [t for t in tasks if t.unknown_deadline]
    if not (overdue or late or periods or unknown):
        out += [f"截至{_cn_date(report.as_of)},各项任务均已按期完成或正在持续推进,未发现逾期情况。", ""]
        return
    blocks = []
    if overdue:
        items = []
        for t in overdue:
            late_text = f"截至{_cn_date(report.as_of)}尚未完成,已逾期{t.days_late}天" if t.days_late else \
                f"期限已届满,截至{_cn_date(report.as_of)}尚未完成"
            items.append(f"{_problem_item(report, t)}({t.due.isoformat()})。{late_text}。")
        blocks.append((f"逾期未完成任务{len(overdue)}项", items))
    if late:
        items = [f"{_problem_item(report, t)}({t.due.isoformat()})。于{_cn_date(t.closed)}完成,逾期{t.days_late}天。"
                 for t in late]
        blocks.append((f"逾期完成任务{len(late)}项", items))
    if periods:
        items = []
        for t in periods:
            gaps = "、".join(f"{m.label}({m.start.isoformat()}至{m.end.isoformat()})" for m in t.missed_periods)
            items.append(f"{_problem_item(report, t)}。{gaps}无进展记录。")
        blocks.append((f"周期性任务缺少进展记录{len(periods)}项", items))
    if unknown:
        items = [f"{_problem_item(report, t)}。期限无法识别,未能判断是否按期,请在计划文件中改写期限。" for t in unknown]
        blocks.append((f"期限无法识别的任务{len(unknown)}项", items))
    for i, (title, items) in enumerate(blocks):
        out += [f"### ({_CN_NUMBERS[i]}){title}", ""]
        out += [f"{k}. {item}" for k, item in enumerate(items, start=1)]
        out.append("")
    measures = []
    if overdue:
        measures.append(f"对{len(overdue)}项逾期未完成任务,逐项明确完成时限和责任人,纳入下一年度工作要点跟踪督办,办结后及时公开")
    if late:
        measures.append("对逾期完成的任务,督促责任单位分析原因,提前谋划、按节点推进")
    if periods:
        measures.append("对周期性任务,按月、按季度及时记录工作进展,做到有据可查")
    if unknown:
        measures.append("对期限表述不明确的任务,明确具体完成时限")
    out += ["### 改进措施", "", "下一步," + ";".join(measures) + "。(请结合实际修改完善。)", ""]


_CN_NUMBERS = "一二三四五六七八九十"


def _audit_section(report: Report, out: list[str]) -> None:
    a = report.audit
    c = report.commit
    out += ["## 五、审计记录", ""]
    # Which later commit the history was read from is left out: a report made again from a
    # newer HEAD, with the same cut-off commit, must be the same bytes.
    which = ("(仓库中没有截至该时点的提交,状态按计划文件中记录的日期推算)" if report.reconstructed
             else f",即截至北京时间{_cn_date(report.as_of)}24时的最后一次提交,")
    text = (f"本报告依据提交 `{c.sha}`{which}"
            f"由{_md(c.author)}于 {c.date.strftime('%Y-%m-%d %H:%M')} 作出。"
            f"{_cn_date(report.start)}至{_cn_date(report.as_of)},")
    text += "报告范围内的" if report.plan_filter or report.unit_filter else "计划文件和单位名册"
    text += f"共修改{a.commits}次"
    if a.commits:
        parts = [f"通过 gktrack 操作{a.tool}次"]
        if a.hand_unchecked:
            parts.append(f"直接用 git 提交的手工修改{a.hand_unchecked}次")
        if a.hand_checked:
            parts.append(f"经 gktrack commit-edits 检查后提交的手工修改{a.hand_checked}次")
        text += ",其中" + "、".join(parts)
    out += [text + "。每次修改的作者、时间和内容可用 git log 或 gktrack log 查证。", ""]
    out += ["### (一)按月统计", ""]
    single_year = report.start.year == report.as_of.year
    rows = [[_month_label(m.month, single_year), m.commits, m.hand] for m in a.months]
    out += _table(["月份", "修改次数", "其中手工修改"], rows, right={1, 2})
    out += ["", "### (二)按人员统计", ""]
    if a.people:
        names = [p.name for p in a.people]
        rows = [[_md(p.name if names.count(p.name) == 1 else f"{p.name} <{p.email}>"), p.commits, p.progress,
                 p.closes, p.hand] for p in a.people]
        out += _table(["人员", "修改次数", "记录进展", "关闭任务", "手工修改"], rows, right={1, 2, 3, 4})
    else:
        out.append("本期间没有修改。")
    out += ["", "### (三)gktrack 之外的手工修改", ""]
    if a.hand_edits:
        out.append("以下提交没有 gktrack 的操作记录(trailer),其内容由比较提交前后的计划文件得出:")
        out.append("")
        rows = []
        for h in a.hand_edits:
            kind = "直接提交" if h.commit.action is None else "经检查提交"
            rows.append([f"`{h.commit.short}`", h.commit.date.strftime("%Y-%m-%d %H:%M"), _md(h.commit.author), kind,
                         ";".join(_md(x) for x in h.changes)])
        out += _table(["提交", "时间", "作者", "方式", "修改内容"], rows)
    else:
        out.append("本期间没有 gktrack 之外的手工修改。")
    out.append("")
    if report.unreadable:
        out += ["### (四)未能读取的文件", ""]
        out += [f"- {_md(u.path)}:{_md(u.message)}(未纳入本报告)" for u in report.unreadable]
        out.append("")


def _month_label(month: str, single_year: bool) -> str:
    y, m = month.split("-")
    return f"{int(m)}月" if single_year else f"{y}年{int(m)}月"


def _charts(report: Report, out: list[str]) -> None:
    n = report.counts
    out += ["## 六、图表", "", "### (一)任务落实情况", ""]
    slices = [(CATEGORY_LABELS[c], getattr(n, c)) for c in CATEGORIES if getattr(n, c)]
    out += ["```mermaid", "pie showData", f"    title {report.year}年度任务落实情况(共{n.total}项)"]
    out += [f'    "{label}" : {value}' for label, value in slices]
    out += ["```", ""]
    out += _table(["落实情况", "任务数", "占比"],
                  [[label, value, _pct(value / n.total)] for label, value in slices], right={1, 2})
    out += ["", "### (二)各月办结任务数", ""]
    single_year = report.start.year == report.as_of.year
    months = report.audit.months
    labels = [_month_label(m.month, single_year) for m in months]
    values = [m.closed_on_time + m.closed_late for m in months]
    top = max([1, *values])
    out += ["```mermaid", "xychart-beta", f'    title "{report.year}年各月办结任务数"',
            "    x-axis [" + ", ".join(f'"{label}"' for label in labels) + "]",
            f'    y-axis "任务数" 0 --> {top}',
            "    bar [" + ", ".join(str(v) for v in values) + "]", "```", ""]
    rows = [[label, v, m.closed_on_time, m.closed_late] for label, v, m in zip(labels, values, months)]
    out += _table(["月份", "办结任务数", "其中按期", "其中逾期"], rows, right={1, 2, 3})
    out += ["", "注:按任务的完成日期统计;在截止日之后才办结的任务计入下一年度报告。", ""]


# ---------------------------------------------------------------------------------------------
# JSON


def report_json(report: Report) -> dict:
    """The report's data for scripts: the numbers behind every section of the Markdown."""
    c = report.commit
    return {
        "year": report.year,
        "as_of": report.as_of.isoformat(),
        "cutoff": report.cutoff.isoformat(),
        "rev": report.rev,
        "head": report.head,
        "commit": c.to_json() if c else None,
        "scope": {"plan": report.plan_filter, "unit": report.unit_filter},
        "reconstructed": report.reconstructed,
        "unrecorded": report.unrecorded,
        "summary": report.counts.to_json(),
        "plans": [_plan_json(p) for p in report.plans],
        "units": [u.to_json() for u in report.units],
        "audit": {
            "commits": report.audit.commits,
            "gktrack": report.audit.tool,
            "hand_edits_unchecked": report.audit.hand_unchecked,
            "hand_edits_checked": report.audit.hand_checked,
            "by_month": [m.to_json() for m in report.audit.months],
            "by_person": [p.to_json() for p in report.audit.people],
            "hand_edits": [h.to_json() for h in report.audit.hand_edits],
        },
        "unreadable": [{"path": u.path, "message": u.message} for u in report.unreadable],
    }


def _plan_json(p: PlanReport) -> dict:
    plan = p.plan
    return {
        "id": plan.id, "year": plan.year, "title": plan.title, "issuer": plan.issuer,
        "doc_number": plan.doc_number, "carried_over": p.carried_over,
        "summary": p.counts.to_json(),
        "sections": [{"key": s.key, "heading": s.heading, **s.counts.to_json()} for s in p.sections],
        "tasks": [_task_json(t) for t in p.tasks],
    }


def _task_json(t: TaskReport) -> dict:
    task = t.task
    return {
        "id": t.ref, "plan": t.plan.id, "number": task.number, "text": task.text,
        "section": [s.heading for s in t.plan.section_path(task.section)],
        "units": [u.to_json() for u in t.units],
        "deadline": task.deadline_text,
        "deadlines": [d.to_json() for d in t.deadlines],
        "due": t.due.isoformat() if t.due else None,
        "state": task.state,
        "category": t.category,
        "days_late": t.days_late,
        "closed": t.closed.isoformat() if t.closed else None,
        "note": task.note,
        "evidence": list(task.evidence),
        "missed_periods": [m.to_json() for m in t.missed_periods],
        "progress": [p.to_json() for p in t.progress],
        "closing_commit": t.closing.to_json() if t.closing else None,
        "events": [e.to_json() for e in t.events],
        "carried_over": t.carried_over,
    }
