"""The report's data from the repository: the cut-off commit, its plans, each task's standing.

* The cut-off is the end of ``as_of`` (default 12-31 of the year) in Beijing time: the report
  is made from the commit that held the state then (``history.state_at``): along the first-parent
  history of ``at`` (default HEAD), the last commit before the first one made after the cut-off.
  Commits dated before the cut-off that come after that one (a wrong clock) are named. Plan
  files are read as that commit holds them, not from the working tree. If nothing had been
  committed by then (the plans were entered later), the files of the newest commit at ``at``
  that changed a plan or the registry are read instead, and the recorded closing and progress
  dates decide what was done by the cut-off.
* The plans of the year, and the tasks of earlier plans (of the same issuer) still owed when the
  year began: open with a finish line, or closed after the previous year's cut-off.
* Each task's standing is ``standing.standing``: the one rule, at the cut-off.
* History (``walk``): who closed what and when, and the hand edits, from one ``git log``.

Plan versions are parsed through the index by blob id, so a report after ``status`` (or after
another report at about the same commits) parses nothing and compares no hand edit again.
Nothing here reads the clock: the same repository and arguments give the same data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Callable

from gktrack.domain.deadlines import parsed
from gktrack.domain.model import YEARS, Plan
from gktrack.domain.parts import parts_done_on, record_of, role_of
from gktrack.domain.units import Units
from gktrack.errors import GktrackError, InputError, NotFoundError, RepoError
from gktrack.features.report.count import count, fill_audit
from gktrack.features.report.data import (
    BEIJING, SHORT, CommitRef, EarlyDate, Misdated, PlanReport, Report, TaskReport, cn_date,
    end_of_day, start_of_day,
)
from gktrack.features.report.standing import days_late, standing
from gktrack.features.report.walk import Walk, walk_history
from gktrack.features.views import effective_units
from gktrack.storage import history
from gktrack.storage.reader import Problem
from gktrack.storage.registry import REGISTRY_FILE, default_registry
from gktrack.storage.repo import plan_id_of


def build_report(repo, year: int, *, plan: str | None = None, unit: str | None = None,
                 at: str | None = None, as_of: dt.date | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> Report:
    """The report's data for ``year``: plans, tasks, units and the audit trail, from git history.

    ``progress(stage, done, total)``, if given, is called now and then during the slow parts
    (parsing plan files and comparing hand edits that the index does not hold yet, walking the
    history).
    """
    progress = progress or (lambda stage, done, total: None)
    if year not in YEARS:
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
    state = history.state_at(repo, head, end_of_day(as_of))
    cut = state.sha
    reconstructed = cut is None
    if reconstructed:
        # Nothing was committed by the cut-off: the plans were put in the repository later.
        # The files at ``rev`` then say when each task was closed and progressed.
        cut = head
    log = history.start_log_changes(repo, cut)
    with history.BlobReader(repo) as reader:
        # While git walks the history: the plans and the registry at the cut-off.
        blobs = history.tree_blobs(repo, cut)
        units, problem = _registry_at(repo, reader, blobs.get(REGISTRY_FILE))
        plans, unreadable = _plans_at(repo, reader, blobs, progress)
    commits = log()
    if reconstructed:
        # The newest commit that changed a plan or the registry, so that a commit to anything
        # else (the project's code, say) does not change the report. Its files are the same
        # as the cut-off's, unless a merge came in between: then the cut-off stays.
        for c in commits:
            if c.files or len(c.parents) > 1:
                cut = c.sha if c.files else cut
                break
    if plan is not None and plan not in {p.id for p in plans}:
        known = "、".join(sorted(p.id for p in plans)) or "无"
        raise NotFoundError(f"提交 {cut[:SHORT]} 中没有计划“{plan}”(现有:{known})")
    report = Report(year=year, as_of=as_of, start=start, rev=rev, head=head,
                    commit=CommitRef.of(next(c for c in commits if c.sha == cut)), plan_filter=plan,
                    unit_filter=units.require(unit, registering=False) if unit else None, reconstructed=reconstructed,
                    unreadable=([problem] if problem else []) + unreadable,
                    misdated=[Misdated(m.sha, m.author, m.committed.astimezone(BEIJING), state.later.sha,
                                       state.later.committed.astimezone(BEIJING)) for m in state.misdated])
    candidates = [p for p in plans if p.year <= year and (plan is None or p.id == plan)]
    walk = walk_history(repo, commits, candidates, year, start, end_of_day(as_of), progress)
    # What the report needs of the history is in ``walk`` now: the commits' records go before
    # the task rows are made, not held beside them.
    del commits
    _select_tasks(report, candidates, walk, units)
    if not report.plans:
        scope = f"计划 {plan} 中" if plan else ""
        who = f"单位“{report.unit_filter}”在" if report.unit_filter else "仓库"
        raise NotFoundError(f"截至北京时间{cn_date(as_of)}24时,{who}{scope}没有{year}年度需要报告的任务")
    count(report, units)
    fill_audit(report, walk, units)
    return report


def _registry_at(repo, reader, blob: str | None) -> tuple[Units, Problem | None]:
    if not blob:
        return Units(default_registry()), None
    try:
        return Units(history.file_version(repo, REGISTRY_FILE, blob, lambda: reader.read(blob))), None
    except GktrackError as exc:
        return Units(default_registry()), Problem(exc.where or REGISTRY_FILE, exc.message)


def _plans_at(repo, reader, blobs: dict[str, str], progress) -> tuple[list[Plan], list[Problem]]:
    """The plan files of the cut-off commit, through the index; the unreadable ones named."""
    paths = [path for path in sorted(blobs) if plan_id_of(path)]
    plans, problems = [], []
    for i, path in enumerate(paths):
        def read(i=i, path=path) -> bytes | None:
            progress("解析计划文件", i, len(paths))
            return reader.read(blobs[path])
        try:
            plans.append(history.file_version(repo, path, blobs[path], read))
        except GktrackError as exc:
            problems.append(Problem(exc.where or path, exc.message))
    return plans, problems


def _select_tasks(report: Report, plans: list[Plan], walk: Walk, units: Units) -> None:
    wanted = report.unit_filter
    unrecorded: set[str] = set()
    resolve = units.resolve
    ordered = sorted(plans, key=lambda p: (p.year != report.year, -p.year, p.id))
    # Earlier plans of another issuer are another office's business, not this year's report.
    issuers = {p.issuer for p in plans if p.year == report.year and p.issuer}
    for plan in ordered:
        carried = plan.year < report.year
        if carried and issuers and plan.issuer and plan.issuer not in issuers:
            continue
        plan_report = PlanReport(plan, carried)
        for task in plan.tasks:
            found = role_of(plan, task, units, wanted) if wanted else None
            if wanted and found is None:
                continue
            if report.reconstructed and task.state != "done" and not task.progress:
                unrecorded.add(task.full_id)
            events = walk.events.get(task.full_id, [])
            # the closes that set a state: an undo's only brings back an earlier one
            closes = [e for e in events if e.kind == "close" and e.commit.action != "undo"]
            closing = walk.closing.get(task.full_id) or (closes[-1].commit if closes else None)
            closed = None
            if task.state == "done":
                closed = task.closed or (closing.date.date() if closing and not report.reconstructed else None)
                if (closed is None and report.reconstructed) or (closed is not None and closed > report.as_of):
                    # Closed after the cut-off (or, reconstructed, on no recorded date): open then.
                    task, closed = dataclasses.replace(task, state="open", closed=None), None
            elif (day := parts_done_on(plan, task, units)) is not None and day <= report.as_of:
                # done part by part: on the day, and by the close, of its last part
                closed = day
                last = [e.commit for e in closes if e.commit.unit and task.part(e.commit.unit) is not None
                        and task.part(e.commit.unit).closed == day]
                closing = last[-1] if last else (closes[-1].commit if closes else None)
            assessment, parts = standing(plan, task, units, report.as_of, closed)
            progress = [p for p in task.progress if report.start <= p.date <= report.as_of]
            supporting = False
            told = parts  # the parts whose dates the report checks: a unit's report, its own only
            if wanted:
                # the unit's own part (or its collective's, as status shows it), and its own entries
                owed = found[2]
                mine = next((p for p in parts if owed is not None and p.part == owed), None)
                if mine is None:
                    # supporting only: no part of its own, so the task's lateness is not its own
                    supporting = True
                else:
                    assessment, told = mine.assessment, [mine]
                    task, closed, closing = _part_as_task(task, mine, closes, closing, units)
                progress = [p for p in progress if p.unit and resolve(p.unit) == wanted]
            # Reconstructed, every task was added after the dates it records: nothing to flag.
            added = None if report.reconstructed else walk.added.get(task.full_id)
            entry = TaskReport(
                plan=plan, task=task, carried_over=carried, assessment=assessment,
                deadlines=parsed(tuple(task.deadline), plan.year), units=_units(plan, task, resolve),
                days_late=days_late(assessment, report.as_of), closed=closed,
                closing=closing if task.state == "done" or closed is not None else None, events=events,
                progress=progress, parts=parts, added=added, supporting=supporting,
                early=_dated_before(added.date.date(), closed, told, progress) if added else [])
            if carried and not _still_owed(entry, report.start, walk.history_before):
                continue
            plan_report.tasks.append(entry)
        if plan_report.tasks:
            report.plans.append(plan_report)
    report.unrecorded = sum(1 for p in report.plans for t in p.tasks if t.ref in unrecorded)


def _part_as_task(task, row, closes: list, closing, units: Units):
    """A unit's report tells of its own part: the task with the part's state, date, note and
    evidence, and the commit that closed that part (the whole task's, when it was closed as a
    whole). Returns (task, closed, closing commit)."""
    s = row.standing
    if s.state != "done":
        return dataclasses.replace(task, state="open", closed=None, note=None, evidence=[]), None, None
    if record_of(task, row.unit, units) is not None:
        own = [e.commit for e in closes if e.commit.unit and units.resolve(e.commit.unit) == row.unit]
        closing = own[-1] if own else None
    task = dataclasses.replace(task, state="done", closed=s.closed, note=s.note, evidence=list(s.evidence))
    return task, s.closed, closing


def _dated_before(day: dt.date, closed: dt.date | None, parts: list, progress: list) -> list[EarlyDate]:
    """The closing and progress dates (as reported) before ``day``, the day the task was added:
    work recorded as done before the task existed is flagged, not silently counted on time."""
    early = [EarlyDate("closed", closed)] if closed is not None and closed < day else []
    early += [EarlyDate("closed", row.standing.closed, row.unit) for row in parts
              if row.unit and row.standing.closed is not None and row.standing.closed < day
              and row.standing.closed != closed]
    early += [EarlyDate("progress", p.date, p.unit) for p in progress if p.date < day]
    return early


def _units(plan: Plan, task, resolve) -> list:
    """The task's units by their registry names, each once."""
    return list(dict.fromkeys(u._replace(name=resolve(u.name)) for u in effective_units(plan, task)))


def _still_owed(entry: TaskReport, start: dt.date, history_before: bool) -> bool:
    """An earlier plan's task belongs in this report if it was still owed when the period began.

    A done task was owed if the previous year's report counted it open: by the state of the last
    commit before the period, that is by when its closing commit was made; or, when nothing was
    committed before the period (that report was worked out from recorded dates), by its date.
    An open one is owed if it has a finish line: 持续推进 and periodic work was that year's work.
    """
    if entry.done:
        if history_before and entry.closing is not None:
            return entry.closing.committed >= start_of_day(start)
        return entry.closed is not None and entry.closed >= start
    finish_line = not entry.deadlines or any(d.kind != "recurring" and d.due is not None for d in entry.deadlines)
    return entry.category == "open" or (entry.category == "overdue" and finish_line)
