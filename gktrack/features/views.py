"""Read-side queries: which tasks a unit owes, their deadline state, per-unit counts.

Returns plain data; rendering (tables or JSON) is ``gktrack.cli.render``'s job. Whether a task
is late is ``gktrack.domain.deadlines.assess``'s to say, here as in the report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gktrack.domain.deadlines import DEFAULT_WITHIN, Assessment, parsed, standing
from gktrack.domain.model import Plan, Task, UnitRef, to_data
from gktrack.domain.units import Units, normalize_name
from gktrack.storage.repo import LoadProblem, Repository


@dataclass
class TaskRow:
    plan: Plan
    task: Task
    role: str | None = None  # the queried unit's role on the task
    via: str | None = None  # the collective through which the queried unit is reached
    assessment: Assessment | None = None

    @property
    def level(self) -> str | None:
        return self.assessment.level if self.assessment else None


def effective_units(plan: Plan, task: Task) -> list[UnitRef]:
    """The task's units; a task that names none belongs to the plan's issuing body."""
    units = task.units
    if units:
        return units
    if plan.owner:
        return [UnitRef(plan.owner, "responsible")]
    return []


class NameResolver(dict):
    """``units.canonical(name) or normalize_name(name)``, worked out once per name for one scan:
    a city's ten thousand tasks name a few hundred units."""

    def __init__(self, units: Units):
        super().__init__()
        self.units = units

    def __missing__(self, name: str) -> str:
        found = self[name] = self.units.canonical(name) or normalize_name(name)
        return found


def match_unit(units: Units, plan: Plan, task: Task, unit: str, collectives: list[str] | None = None,
               resolve: NameResolver | None = None) -> tuple[str, str | None] | None:
    """(role, via-collective) when ``unit`` owes ``task``; direct roles win over collectives."""
    if collectives is None:
        collectives = units.collectives_of(unit)
    if resolve is None:
        resolve = NameResolver(units)
    via_match = None
    for ref in effective_units(plan, task):
        name = resolve[ref.name]
        if name == unit:
            return ref.role, None
        if name in collectives and via_match is None:
            via_match = (ref.role, name)
    return via_match


def assess_task(plan: Plan, task: Task, as_of: dt.date, within: int | None = None,
                known: dict | None = None) -> Assessment:
    """The task's standing on ``as_of``, by the one rule (``deadlines.assess``). ``known``: the
    parsed deadlines (``Repository.deadlines``) when a scan has them."""
    phrases = tuple(task.deadline)
    found = known.get((phrases, plan.year)) if known is not None else None
    return standing(parsed(phrases, plan.year) if found is None else found, plan.year, task.state, task.closed,
                    tuple([p.date for p in task.progress]), as_of, DEFAULT_WITHIN if within is None else within)


def status_rows(repo: Repository, *, unit: str | None = None, plan: str | None = None,
                year: int | None = None, state: str = "open", as_of: dt.date,
                within: int | None = None, levels: tuple | None = None) -> tuple[list[TaskRow], list[LoadProblem]]:
    """Rows of the tasks asked for; with ``levels``, only those whose assessment has one of them."""
    units = repo.units()
    wanted = units.require(unit, registering=False) if unit else None
    concerns = None
    if wanted:
        # Plans none of whose tasks name the unit or one of its collectives are not read.
        resolve = NameResolver(units)
        targets = {wanted, *units.collectives_of(wanted)}

        def concerns(names: list[str]) -> bool:
            return any(resolve[name] in targets for name in names)

    plans, problems = repo.load_plans(plan=plan, concerns=concerns)
    return rows_of(repo, plans, unit=wanted, year=year, state=state, as_of=as_of, within=within,
                   levels=levels), problems


def rows_of(repo: Repository, plans: list[Plan], *, unit: str | None = None, year: int | None = None,
            state: str = "open", as_of: dt.date, within: int | None = None,
            levels: tuple | None = None) -> list[TaskRow]:
    """``status_rows`` over plans already loaded; ``unit`` is a canonical name."""
    units = repo.units()
    collectives = units.collectives_of(unit) if unit else None
    resolve = NameResolver(units)
    known = repo.deadlines({(tuple(t.deadline), p.year) for p in plans for t in p.tasks})
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
            assessment = assess_task(p, task, as_of, within, known)
            if levels is not None and assessment.level not in levels:
                continue
            rows.append(TaskRow(p, task, role, via, assessment))
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
    for unit in units.registry.all_units:
        summaries[unit.name] = UnitSummary(unit.name, list(unit.aliases), unit.is_collective)
    plans, problems = repo.load_plans()
    resolve = NameResolver(units)
    for plan in plans:
        for task in plan.tasks:
            for ref in effective_units(plan, task):
                name = resolve[ref.name]
                summary = summaries.setdefault(name, UnitSummary(name))
                setattr(summary, ref.role, getattr(summary, ref.role) + 1)
                if task.state == "done":
                    summary.done += 1
                else:
                    summary.open += 1
    ordered = sorted(summaries.values(), key=lambda s: (s.collective, -s.open, s.name))
    return ordered, problems


def task_json(plan: Plan, task: Task, *, row: TaskRow | None = None) -> dict:
    """The task object of every ``--json`` output (a documented contract, see README): the
    task's fields as the plan file has them, with the task's full id, the plan, the section
    headings, the units with their roles, the deadline as text and its first date, and, when
    assessed, the level and days late."""
    assessment = row.assessment if row else None
    due = getattr(assessment, "due", None)
    if due is None:
        due = next((d.due for d in parsed(tuple(task.deadline), plan.year) if d.due is not None), None)
    data = to_data(task)
    data.update({
        "id": task.full_id,
        "plan": plan.id,
        "section": [s.heading for s in plan.section_path(task.section)],
        "units": [u.to_json() for u in task.units],
        "deadline": task.deadline_text,
        "due": due.isoformat() if due else None,
    })
    if assessment is not None:
        data["level"] = assessment.level
        data["days_late"] = assessment.days_late
        data["category"] = assessment.category
    if row is not None and row.role is not None:
        data["role"] = row.role
        data["via"] = row.via
    return data


def overdue_rows(repo: Repository, *, as_of: dt.date, unit: str | None = None, plan: str | None = None,
                 within: int | None = None) -> tuple[list[TaskRow], list[LoadProblem]]:
    """Open tasks that are late (red) or due within ``within`` days (yellow), most urgent first."""
    rows, problems = status_rows(repo, unit=unit, plan=plan, state="open", as_of=as_of, within=within,
                                 levels=("red", "yellow"))
    return sorted(rows, key=urgency), problems


def urgency(row: TaskRow) -> tuple:
    """Red before yellow, then most days late or fewest days left."""
    a = row.assessment
    if a.level == "red":
        return (0, -(a.days_late or 0), row.plan.id, row.task.id)
    return (1, a.days_left if a.days_left is not None else 10**6, row.plan.id, row.task.id)


@dataclass
class UnitOverdue:
    """One unit's late (red) and soon-due (yellow) tasks, most days late first."""

    unit: str
    rows: list[TaskRow] = field(default_factory=list)

    @property
    def red(self) -> int:
        return sum(1 for r in self.rows if r.level == "red")

    @property
    def yellow(self) -> int:
        return sum(1 for r in self.rows if r.level == "yellow")


def group_by_unit(repo: Repository, rows: list[TaskRow], unit: str | None = None) -> list[UnitOverdue]:
    """Each row under each of its units (with ``unit``, all under that one), most urgent first;
    units with most late tasks first."""
    units = repo.units()
    named = NameResolver(units)
    only = (units.canonical(unit) or unit,) if unit else None
    groups: dict[str, list[TaskRow]] = {}
    for row in sorted(rows, key=urgency):
        names = only or tuple(dict.fromkeys(named[r.name] for r in effective_units(row.plan, row.task))) \
            or ("(未分派)",)
        for name in names:
            groups.setdefault(name, []).append(row)
    ordered = [UnitOverdue(name, found) for name, found in groups.items()]
    ordered.sort(key=lambda g: (-g.red, -g.yellow, g.unit))
    return ordered


def overdue_json(row: TaskRow) -> dict:
    data = task_json(row.plan, row.task, row=row)
    a = row.assessment
    data["days_left"] = a.days_left
    data["reason"] = a.reason
    data["phrase"] = a.phrase
    return data
