"""Read-side queries: which tasks a unit owes, their deadline state, per-unit counts.

Returns plain data; rendering (tables or JSON) is ``gktrack.cli.render``'s job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import islice
from operator import attrgetter, lt
from typing import NamedTuple

from gktrack.domain.model import Plan, Task, UnitRef
from gktrack.storage.repo import LoadProblem, Repository
from gktrack.domain.units import Units, normalize_name


@dataclass(init=False)
class TaskRow:
    plan: Plan
    task: Task
    role: str | None = None  # the queried unit's role on the task
    via: str | None = None  # the collective through which the queried unit is reached
    assessment: object | None = None  # gktrack.domain.deadlines.Assessment
    level: str | None = None  # the assessment's, read thousands of times

    # Written out, not generated with a __post_init__ for ``level``: a city's status makes ten
    # thousand rows, and the second call per row was a tenth of the loop that makes them.
    def __init__(self, plan: Plan, task: Task, role: str | None = None, via: str | None = None,
                 assessment: object | None = None) -> None:
        self.plan = plan
        self.task = task
        self.role = role
        self.via = via
        self.assessment = assessment
        self.level = getattr(assessment, "level", None)


def effective_units(plan: Plan, task: Task) -> list[UnitRef]:
    """The task's units; a task that names none belongs to the plan's issuing body."""
    if task.units:
        return task.units
    if plan.owner:
        return [UnitRef(plan.owner, "responsible")]
    return []


class NameResolver(dict):
    """``units.canonical(name) or normalize_name(name)``, worked out once per distinct name:
    ``resolve(name)`` or ``resolve[name]`` (a dict lookup once known).

    A city's ten thousand tasks name a few hundred units; a scan over them asks the same
    question tens of thousands of times.
    """

    def __init__(self, units: Units):
        super().__init__()
        self.units = units

    def __missing__(self, name: str) -> str:
        found = self[name] = self.units.canonical(name) or normalize_name(name)
        return found

    __call__ = dict.__getitem__


def match_unit(units: Units, plan: Plan, task: Task, unit: str,
               collectives: list[str] | None = None,
               resolve: NameResolver | None = None) -> tuple[str, str | None] | None:
    """(role, via-collective) when ``unit`` owes ``task``; direct roles win over collectives.

    ``collectives`` (``units.collectives_of(unit)``) and ``resolve`` may be given once for a
    scan of many tasks.
    """
    if collectives is None:
        collectives = units.collectives_of(unit)
    if resolve is None:
        resolve = NameResolver(units)
    via_match = None
    for ref in effective_units(plan, task):
        name = resolve(ref.name)
        if name == unit:
            return ref.role, None
        if name in collectives and via_match is None:
            via_match = (ref.role, name)
    return via_match


# Deadline phrases repeat across thousands of tasks ("6月底前", "年底前"); parsing is the cost of
# a status over a city's plans, and the parsed Deadline objects are frozen, so share them.
_PARSED: dict[tuple, tuple] = {}


def _parse_deadlines(phrases: list[str], year: int) -> list:
    key = (tuple(phrases), year)
    parsed = _PARSED.get(key)
    if parsed is None:
        from gktrack.domain import deadlines

        parsed = _PARSED[key] = tuple(deadlines.parse_deadlines(phrases, year))
    return list(parsed)


def _progress_view(parsed: tuple, year: int) -> tuple:
    """What ``deadlines.assess`` reads of an open task's progress dates for these deadlines:
    for a recurring deadline, in which of its periods there is an entry; for a milestone (a
    dated deadline followed by an ongoing or undated relative one), whether there is one on or
    before its date. The other deadlines depend on the day alone. Empty: progress is not read.
    Dates as day numbers (``date.toordinal``)."""
    from gktrack.domain.deadlines import recurring_periods

    view: list = []
    for i, d in enumerate(parsed):
        if d.kind == "recurring":
            view.append(tuple((start.toordinal(), end.toordinal()) for start, end in recurring_periods(d, year)))
        elif d.due is not None and any(later.kind == "ongoing" or (later.kind == "relative" and later.due is None)
                                       for later in parsed[i + 1:]):
            view.append(d.due.toordinal())
    return tuple(view)


def _progress_key(view: tuple, days, as_of: int) -> tuple:
    """The progress dates (day numbers) as ``deadlines.assess`` sees them through ``view``
    (entries after ``as_of`` do not count there either)."""
    days = [p for p in days if p <= as_of]
    return tuple(tuple([any([start <= p <= end for p in days]) for start, end in item])
                 if item.__class__ is tuple else any([p <= item for p in days])
                 for item in view)


_PROGRESS_VIEW: dict[tuple, tuple] = {}


def _progress_view_of(phrases: tuple, year: int) -> tuple:
    view = _PROGRESS_VIEW.get((phrases, year))
    if view is None:
        view = _PROGRESS_VIEW[phrases, year] = _progress_view(tuple(_parse_deadlines(list(phrases), year)), year)
    return view

# Assessments are frozen too, and depend only on these inputs; most tasks of a city share them
# (same phrase, same year), so ``overdue`` assesses a few dozen cases, not 10,000. Progress
# dates are part of the key only where the deadlines make them matter, and then only what
# the assessment reads of them (``_progress_key``): which periods of a recurring deadline have
# an entry, not the dates themselves, which differ from task to task.
_ASSESSED: dict[tuple, object] = {}


def assess_task(plan: Plan, task: Task, as_of: dt.date, within: int | None = None):
    phrases = tuple(task.deadline)
    # progress dates only where the assessment reads them (most deadlines do not)
    days = [e.date.toordinal() for e in task.progress] \
        if task.progress and task.state != "done" and _progress_view_of(phrases, plan.year) else ()
    return assess_days(phrases, plan.year, task.state, days, as_of, within)


def assess_days(phrases: tuple, year: int, state: str, days, as_of: dt.date, within: int | None = None):
    """``deadlines.assess`` of a task by its deadline phrases, plan year, state and progress
    dates (day numbers, ``date.toordinal``), shared between all tasks it would say the same of."""
    seen: tuple = ()
    if days and state != "done":
        view = _progress_view_of(phrases, year)
        if view:
            seen = _progress_key(view, days, as_of.toordinal())
    key = (phrases, year, state, seen, as_of, within)
    found = _ASSESSED.get(key)
    if found is None:
        from gktrack.domain import deadlines

        if len(_ASSESSED) > 100_000:  # a long-lived process (tests, scripts) must not grow forever
            _ASSESSED.clear()
            _PROGRESS_VIEW.clear()
        parsed = _parse_deadlines(list(phrases), year)
        kwargs = {} if within is None else {"within": within}
        # this task's dates stand for every task with the same key: the assessment reads no more
        dates = [dt.date.fromordinal(day) for day in days] if seen else []
        found = _ASSESSED[key] = deadlines.assess(
            parsed, state=state, progress_dates=dates, as_of=as_of, year=year, **kwargs,
        )
    return found


def resolve_unit_query(repo: Repository, unit: str) -> str:
    return repo.units().require(unit)


def status_rows(repo: Repository, *, unit: str | None = None, plan: str | None = None,
                year: int | None = None, state: str = "open", as_of: dt.date,
                within: int | None = None, levels: tuple | None = None) -> tuple[list[TaskRow], list[LoadProblem]]:
    """Rows of the tasks asked for; with ``levels``, only those whose assessment has one of them."""
    units = repo.units()
    wanted = resolve_unit_query(repo, unit) if unit else None
    if wanted and plan is None:
        from gktrack.storage.plancache import load_plans_cached

        # Plans none of whose tasks name the unit or one of its collectives are not decoded.
        resolve = NameResolver(units)
        targets = {wanted, *units.collectives_of(wanted)}

        def concerns(names: list[str]) -> bool:
            return any(resolve(name) in targets for name in names)

        plans, problems = load_plans_cached(repo, repo.plan_ids(), concerns=concerns,
                                            state=None if state == "all" else state)
    elif plan is None and state != "all":
        from gktrack.storage.plancache import load_plans_cached

        # done tasks are not shown: no objects for them
        plans, problems = load_plans_cached(repo, repo.plan_ids(), state=state)
    else:
        plans, problems = repo.load_plans(plan=plan)
    rows = rows_of(repo, plans, unit=wanted, year=year, state=state, as_of=as_of, within=within, levels=levels)
    return rows, problems


def rows_of(repo: Repository, plans: list[Plan], *, unit: str | None = None, year: int | None = None,
            state: str = "open", as_of: dt.date, within: int | None = None,
            levels: tuple | None = None) -> list[TaskRow]:
    """``status_rows`` over plans already loaded; ``unit`` is a canonical name."""
    units = repo.units()
    collectives = units.collectives_of(unit) if unit else None
    resolve = NameResolver(units)
    from gktrack.storage.plancache import DeadlineStore

    stored = DeadlineStore(repo)  # parsed phrases from earlier runs: no grammar to compile
    stored.load(_PARSED)
    rows: list[TaskRow] = []
    for p in plans:
        if year is not None and p.year != year:
            continue
        for task in p.tasks:
            if state != "all" and task.state != state:
                continue
            role = via = None
            if unit:
                found = match_unit(units, p, task, unit, collectives, resolve)
                if found is None:
                    continue
                role, via = found
            assessment = assess_task(p, task, as_of, within)
            if levels is not None and getattr(assessment, "level", None) not in levels:
                continue
            rows.append(TaskRow(p, task, role, via, assessment))
    stored.save(_PARSED)
    return rows


@dataclass
class UnitSummary:
    name: str
    aliases: list[str] = field(default_factory=list)
    collective: bool = False
    open: int = 0
    done: int = 0
    lead: int = 0
    support: int = 0
    responsible: int = 0

    def to_json(self) -> dict:
        return {
            "name": self.name, "aliases": self.aliases, "collective": self.collective,
            "open": self.open, "done": self.done,
            "roles": {"lead": self.lead, "support": self.support, "responsible": self.responsible},
        }


def unit_summaries(repo: Repository) -> tuple[list[UnitSummary], list[LoadProblem]]:
    """Every unit of the registry (and any unit named in a plan but missing from it)."""
    units = repo.units()
    summaries: dict[str, UnitSummary] = {}
    for unit in units.registry.units:
        summaries[unit.name] = UnitSummary(unit.name, list(unit.aliases), unit.is_collective)
    plans, problems = repo.load_plans()
    resolve = NameResolver(units)
    for plan in plans:
        for task in plan.tasks:
            for ref in effective_units(plan, task):
                name = resolve(ref.name)
                summary = summaries.setdefault(name, UnitSummary(name))
                setattr(summary, ref.role, getattr(summary, ref.role) + 1)
                if task.state == "done":
                    summary.done += 1
                else:
                    summary.open += 1
    ordered = sorted(summaries.values(), key=lambda s: (s.collective, -s.open, s.name))
    return ordered, problems


def task_json(plan: Plan, task: Task, *, row: TaskRow | None = None, headings: dict | None = None) -> dict:
    """The task object of every ``--json`` output (a documented contract, see README).

    ``headings``, a dict kept for one output, shares the section headings between its tasks.
    """
    assessment = row.assessment if row else None
    due = getattr(assessment, "due", None)
    if due is None:
        for deadline in _parse_deadlines(task.deadline, plan.year):
            if deadline.due is not None:
                due = deadline.due
                break
    data = {
        "id": task.full_id,
        "plan": plan.id,
        "number": task.number,
        "text": task.text,
        "section": _section_headings(plan, task, headings),
        "units": [u.to_json() for u in task.units],
        "deadline": task.deadline_text,
        "due": due.isoformat() if due else None,
        "state": task.state,
        "closed": task.closed.isoformat() if task.closed else None,
        "note": task.note,
        "evidence": list(task.evidence),
        "progress": [p.to_json() for p in task.progress],
    }
    if assessment is not None:
        data["level"] = assessment.level if task.state != "done" else None
        data["days_late"] = assessment.days_late
    if row is not None and row.role is not None:
        data["role"] = row.role
        data["via"] = row.via
    return data


def _section_headings(plan: Plan, task: Task, memo: dict | None) -> list[str]:
    if memo is None:
        return [s.heading for s in plan.section_path(task.section)]
    key = (id(plan), task.section)  # the plans outlive the output
    found = memo.get(key)
    if found is None:
        found = memo[key] = [s.heading for s in plan.section_path(task.section)]
    return list(found)


class OverdueLine(NamedTuple):
    """One task in ``overdue``'s tables, as plain data.

    ``key`` orders the lines, most urgent first: (0 for red, 1 for yellow; days late, negated,
    or days left; plan id; task id). ``units`` are the groups the task is listed under (units'
    canonical names), ``cells`` what its line prints (``gktrack.cli.render.overdue_cells``).
    """

    key: tuple
    level: str
    units: tuple
    cells: tuple

    @property
    def plan_id(self) -> str:
        return self.key[2]

    @property
    def task_id(self) -> int:
        return self.key[3]


class OverdueCandidate(NamedTuple):
    """An open task as ``overdue`` reads it on any day: what its assessment depends on, and what
    its line prints besides the assessment. Tuples, strings and numbers only: kept between runs
    by ``gktrack.features.rowcache``."""

    plan_id: str
    task_id: int
    year: int
    phrases: tuple  # the deadline phrases
    days: tuple  # the progress dates, as day numbers (date.toordinal)
    units: tuple  # the groups it is listed under (see overdue_lines)
    full_id: str
    text: str  # one line (render.shorten)
    deadline_text: str | None


def _urgency(row: TaskRow) -> tuple:
    return _urgency_key(row.level, row.assessment, row.plan.id, row.task.id)


def _urgency_key(level: str, a, plan_id: str, task_id: int) -> tuple:
    """``OverdueLine.key``: red before yellow, then most days late or fewest days left."""
    if level == "red":
        return (0, -(a.days_late or 0), plan_id, task_id)
    return (1, a.days_left if a.days_left is not None else 10**6, plan_id, task_id)


def overdue_rows(repo: Repository, *, as_of: dt.date, unit: str | None = None, plan: str | None = None,
                 within: int | None = None) -> tuple[list[TaskRow], list[LoadProblem]]:
    """Open tasks that are late (red) or due within ``within`` days (yellow)."""
    rows, problems = status_rows(repo, unit=unit, plan=plan, state="open", as_of=as_of, within=within,
                                 levels=("red", "yellow"))
    return sorted(rows, key=_urgency), problems


def _groups(named: NameResolver, plan: Plan, task: Task) -> tuple:
    """The groups a task is listed under in ``overdue``: each of its units (two names of one unit:
    once), else the plan's owner (effective_units), else "(未分派)"."""
    refs = task.units
    if len(refs) == 1:
        return (named[refs[0].name],)
    if refs:
        return tuple(dict.fromkeys(map(named.__getitem__, map(_NAME, refs))))
    if plan.owner:
        return (named[plan.owner],)
    return ("(未分派)",)


def overdue_lines(repo: Repository, rows: list[TaskRow], unit: str | None = None) -> list[OverdueLine]:
    """The rows as ``overdue`` prints them; with ``unit``, every row under that unit."""
    from gktrack.cli.render import overdue_cells, shorten

    units = repo.units()
    only = (units.canonical(unit) or unit,) if unit else None
    named = NameResolver(units)
    tails: dict = {}
    return [OverdueLine(_urgency(row), row.level, only or _groups(named, row.plan, row.task),
                        overdue_cells(row.task.full_id, shorten(row.task.text), row.task.deadline_text,
                                      row.assessment, tails))
            for row in rows]


def overdue_candidates(repo: Repository, plans: list[Plan]) -> list[OverdueCandidate]:
    """The open tasks of ``plans``, as ``overdue_from_candidates`` reads them."""
    from gktrack.cli.render import shorten

    named = NameResolver(repo.units())
    found = []
    for plan in plans:
        for task in plan.tasks:
            if task.state != "open":
                continue
            days = tuple([e.date.toordinal() for e in task.progress])
            found.append(OverdueCandidate(plan.id, task.id, plan.year, tuple(task.deadline), days,
                                          _groups(named, plan, task), task.full_id, shorten(task.text),
                                          task.deadline_text))
    return found


def overdue_from_candidates(repo: Repository, candidates: list[tuple], as_of: dt.date,
                            within: int | None = None) -> list[OverdueLine]:
    """The lines of the candidates (``OverdueCandidate``, or plain tuples of its fields) that are
    late or due soon on ``as_of``, most urgent first: what ``overdue_lines(overdue_rows(...))``
    gives for the same tasks."""
    from gktrack.storage.plancache import DeadlineStore
    from gktrack.cli.render import overdue_cells

    stored = DeadlineStore(repo)  # parsed phrases from earlier runs: no grammar to compile
    stored.load(_PARSED)
    tails: dict = {}
    # A city's ten thousand open tasks, once per run: most tasks' assessment reads only their
    # phrases and year (no progress, or deadlines that do not read it: an empty
    # ``_progress_view``), so theirs is looked up here by (phrases, year) alone.
    plain: dict = {}
    lines = []
    for plan_id, task_id, year, phrases, days, units, full_id, text, deadline_text in candidates:
        pair = (phrases, year)
        found = plain.get(pair)
        if found is None:
            found = plain[pair] = (assess_days(phrases, year, "open", (), as_of, within),
                                   bool(_progress_view_of(phrases, year)))
        a, reads_progress = found
        if days and reads_progress:
            a = assess_days(phrases, year, "open", days, as_of, within)
        level = a.level
        if level != "red" and level != "yellow":
            continue
        lines.append(OverdueLine(_urgency_key(level, a, plan_id, task_id), level, units,
                                 overdue_cells(full_id, text, deadline_text, a, tails)))
    stored.save(_PARSED)
    lines.sort(key=LINE_ORDER)
    return lines


@dataclass
class UnitOverdue:
    """One unit's late (red) and soon-due (yellow) tasks, most days late first."""

    unit: str
    rows: list[OverdueLine] = field(default_factory=list)

    @property
    def red(self) -> int:
        return sum(1 for r in self.rows if r.level == "red")

    @property
    def yellow(self) -> int:
        return sum(1 for r in self.rows if r.level == "yellow")


def group_by_unit(lines: list[OverdueLine]) -> list[UnitOverdue]:
    """Each line under each of its units, most urgent first; units with most late tasks first."""
    keys = list(map(LINE_ORDER, lines))
    if not all(map(lt, keys, islice(keys, 1, None))):
        lines = sorted(lines, key=LINE_ORDER)
    groups: dict[str, list] = {}
    for line in lines:
        for name in line.units:
            found = groups.get(name)
            if found is None:
                groups[name] = [line]
            else:
                found.append(line)
    ordered = []
    for name, rows in groups.items():
        red = list(map(_LEVEL, rows)).count("red")
        ordered.append(((-red, -(len(rows) - red), name), UnitOverdue(name, rows)))
    ordered.sort(key=lambda pair: pair[0])
    return [group for _, group in ordered]


_NAME = attrgetter("name")
_LEVEL = attrgetter("level")
LINE_ORDER = attrgetter("key")  # most urgent first (OverdueLine.key)


def overdue_json(row: TaskRow, headings: dict | None = None) -> dict:
    data = task_json(row.plan, row.task, row=row, headings=headings)
    a = row.assessment
    data["days_left"] = a.days_left
    data["reason"] = a.reason
    data["phrase"] = a.phrase
    return data
