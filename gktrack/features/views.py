"""Read-side queries: which tasks a unit owes, their deadline state, per-unit counts.

Returns plain data; rendering (tables or JSON) is ``gktrack.cli.render``'s job. Whether a task
is late is ``gktrack.domain.deadlines.assess``'s to say, here as in the report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gktrack.domain.deadlines import Assessment, parsed, urgency_of
from gktrack.domain.model import Plan, Task, UnitRef, to_data
from gktrack.domain.parts import (PartRow, as_recorded_by, assess_parts, is_done, owed_parts, role_of,
                                  task_assessment)
from gktrack.domain.parts import standing as part_standing
from gktrack.storage.reader import Problem
from gktrack.storage.repo import Repository


@dataclass
class TaskRow:
    plan: Plan
    task: Task
    role: str | None = None  # the queried unit's role on the task
    via: str | None = None  # the collective through which the queried unit is reached
    assessment: Assessment | None = None  # the queried unit's part's, or the task's as a whole
    parts: list[PartRow] = field(default_factory=list)
    mine: PartRow | None = None  # the queried unit's own part

    @property
    def level(self) -> str | None:
        return self.assessment.level if self.assessment else None

    @property
    def done(self) -> bool:
        return self.assessment is not None and self.assessment.level is None

    @property
    def last_progress(self) -> dt.date | None:
        """The latest progress entry: of a unit's row, the latest that counts for its own part (its
        own, and for a lead its supporting units'), not another unit's."""
        return self.mine.last_progress if self.mine is not None else self.task.last_progress

    @property
    def supporting(self) -> bool:
        """A unit's row of a task it only supports: no part of its own, so its state is the task's
        as a whole, and it is not the unit's to count or to be chased for."""
        return self.role == "support"

    @property
    def done_parts(self) -> tuple[int, int]:
        return sum(1 for p in self.parts if p.standing.state == "done"), len(self.parts)


def effective_units(plan: Plan, task: Task) -> list[UnitRef]:
    """The task's units; a task that names none belongs to the plan's issuing body."""
    return task.units or ([UnitRef(plan.owner, "responsible")] if plan.owner else [])


def task_row(repo: Repository, plan: Plan, task: Task, as_of: dt.date) -> TaskRow:
    """One task as a whole on ``as_of`` (``show``), with its parts."""
    known = repo.deadlines({(tuple(task.deadline), plan.year)})
    task = as_recorded_by(task, as_of)
    parts = assess_parts(plan, task, repo.units(), as_of, known=known)
    return TaskRow(plan, task, assessment=task_assessment(parts), parts=parts)


def status_rows(repo: Repository, *, unit: str | None = None, plan: str | None = None,
                year: int | None = None, state: str = "open", as_of: dt.date,
                within: int | None = None,
                levels: tuple | None = None) -> tuple[list[TaskRow], list[Problem]]:
    """Rows of the tasks asked for. With ``unit``, each row is that unit's part of the task (its
    state, its deadline standing); ``state`` and ``levels`` then select by that part."""
    units = repo.units()
    wanted = units.require(unit, registering=False) if unit else None
    # With a unit, plans none of whose tasks name it or one of its collectives are not read.
    targets = {wanted, *units.collectives_of(wanted)} if wanted else set()

    def concerns(names: list[str]) -> bool:
        return any(units.resolve(name) in targets for name in names)

    plans, problems = repo.load_plans(plan=plan, concerns=concerns if wanted else None)
    return rows_of(repo, plans, unit=wanted, year=year, state=state, as_of=as_of, within=within,
                   levels=levels), problems


def rows_of(repo: Repository, plans: list[Plan], *, unit: str | None = None, year: int | None = None,
            state: str = "open", as_of: dt.date, within: int | None = None,
            levels: tuple | None = None) -> list[TaskRow]:
    """``status_rows`` over plans already loaded; ``unit`` is a canonical name."""
    units = repo.units()
    known = repo.deadlines({(tuple(t.deadline), p.year) for p in plans for t in p.tasks})
    rows: list[TaskRow] = []
    # The names through which a task can concern ``unit``: its own, and its collectives'.
    targets = {unit, *units.collectives_of(unit)} if unit else set()
    resolve = units.resolve
    for p in plans:
        if year is not None and p.year != year:
            continue
        for task in p.tasks:
            role = via = mine = None
            if unit:
                names = (task.lead + task.support + task.responsible) or ([p.owner] if p.owner else [])
                if not any(resolve(name) in targets for name in names):
                    continue
                found = role_of(p, task, units, unit)
                if found is None:
                    continue
                role, via, owed = found
            task = as_recorded_by(task, as_of)  # after the unit filter above, which reads only the units
            owed_all = owed_parts(p, task, units)
            if state == "open" and (part_standing(task, owed.unit, units).state == "done" if unit and owed is not None
                                    else is_done(p, task, units, owed_all)):
                continue  # a done part or task is judged done without assessing it
            parts = assess_parts(p, task, units, as_of, within, known, owed_all)
            if unit and owed is not None:
                mine = next(r for r in parts if r.part == owed)
                assessment = mine.assessment
            else:
                assessment = task_assessment(parts)
            done = assessment.level is None
            if state != "all" and (state == "done") != done:
                continue
            if levels is not None and assessment.level not in levels:
                continue
            rows.append(TaskRow(p, task, role, via, assessment, parts, mine))
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


def unit_summaries(repo: Repository) -> tuple[list[UnitSummary], list[Problem]]:
    """Every unit of the registry (and any unit named in a plan but missing from it): the parts it
    owes, open and done (its own, and a listed collective's member parts), and its roles."""
    units = repo.units()
    summaries = {unit.name: UnitSummary(unit.name, list(unit.aliases), unit.is_collective)
                 for unit in units.registry.all_units}
    plans, problems = repo.load_plans()
    resolve = units.resolve
    for plan in plans:
        for task in plan.tasks:
            for part in owed_parts(plan, task, units):
                summary = summaries.setdefault(part.unit, UnitSummary(part.unit))
                setattr(summary, part.role, getattr(summary, part.role) + 1)
                if part_standing(task, part.unit, units).state == "done":
                    summary.done += 1
                else:
                    summary.open += 1
            for name in task.support:
                summary = summaries.setdefault(resolve(name), UnitSummary(resolve(name)))
                summary.support += 1
    ordered = sorted(summaries.values(), key=lambda s: (s.collective, -s.open, s.name))
    return ordered, problems


def task_json(row: TaskRow, headings: dict | None = None) -> dict:
    """The task object of every ``--json`` output (a documented contract, see README): the
    task's fields as the plan file has them, with the task's full id, the plan, the section
    headings, the units with their roles, the deadline as text and its first date, the level and
    days late. ``headings``: a dict kept across calls, so that each section's headings are worked
    out once."""
    plan, task, assessment = row.plan, row.task, row.assessment
    due = assessment.due
    if due is None:
        due = next((d.due for d in parsed(tuple(task.deadline), plan.year) if d.due is not None), None)
    data = to_data(task)
    data.update({
        "id": task.full_id,
        "plan": plan.id,
        "section": _headings(plan, task.section, {} if headings is None else headings),
        "units": [u.to_json() for u in task.units],
        "deadline": task.deadline_text,
        "due": due.isoformat() if due else None,
    })
    if row.parts:
        data.update(state="done" if row.done else "open",
                    parts=[part_json(p) for p in row.parts if p.part is not None], parts_done=row.done_parts[0])
    last = row.last_progress
    data.update(level=assessment.level, days_late=assessment.days_late, days_left=assessment.days_left,
                category=assessment.category, last_progress=last.isoformat() if last else None)
    if row.role is not None:
        data.update(role=row.role, via=row.via)
    if row.mine is not None:
        # a unit's row: its part's state, so its date, note and evidence go with it
        mine = row.mine.standing
        data.update(state=mine.state, closed=mine.closed.isoformat() if mine.closed else None, note=mine.note,
                    evidence=list(mine.evidence))
    return data


def _headings(plan: Plan, section: str | None, known: dict) -> list[str]:
    found = known.get((plan.id, section))
    if found is None:
        found = known[(plan.id, section)] = [s.heading for s in plan.section_path(section)]
    return list(found)


def part_json(row: PartRow) -> dict:
    s, a = row.standing, row.assessment
    return {"unit": row.part.unit, "role": row.part.role, "via": row.part.via, "shared": row.part.shared,
            "state": s.state, "closed": s.closed.isoformat() if s.closed else None, "note": s.note,
            "evidence": list(s.evidence), "level": a.level, "category": a.category, "days_late": a.days_late,
            "days_left": a.days_left, "reason": a.reason,
            "last_progress": row.last_progress.isoformat() if row.last_progress else None}


def overdue_rows(repo: Repository, *, as_of: dt.date, unit: str | None = None, plan: str | None = None,
                 within: int | None = None) -> tuple[list[TaskRow], list[Problem]]:
    """Open tasks that are late (red) or due within ``within`` days (yellow), most urgent first.
    With ``unit``, the parts it owes: a task it only supports is its lead's to answer for."""
    rows, problems = status_rows(repo, unit=unit, plan=plan, state="open", as_of=as_of, within=within,
                                 levels=("red", "yellow"))
    return sorted((r for r in rows if not r.supporting), key=urgency), problems


def urgency(row: TaskRow) -> tuple:
    return (*urgency_of(row.assessment), row.plan.id, row.task.id)


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
    """Each late or soon-due part under its unit (with ``unit``, that unit's rows), most urgent
    first; units with most late parts first. A task's row is listed under each unit whose part
    is late or due, with that part's standing."""
    if unit:
        unit = repo.units().canonical(unit) or unit
    groups: dict[str, list[TaskRow]] = {}
    for row in rows:  # any order: each group is sorted below, and the groups by their counts and name
        if unit or not row.parts or row.parts[0].part is None:
            groups.setdefault(unit or "(未分派)", []).append(row)
            continue
        for part in row.parts:
            if part.standing.state != "done" and part.assessment.level in ("red", "yellow"):
                groups.setdefault(part.unit, []).append(_for_part(row, part))
    ordered = [UnitOverdue(name, sorted(found, key=urgency)) for name, found in groups.items()]
    return sorted(ordered, key=lambda g: (-g.red, -g.yellow, g.unit))


def _for_part(row: TaskRow, part: PartRow) -> TaskRow:
    return TaskRow(row.plan, row.task, part.part.role, part.part.via, part.assessment, row.parts, part)


def overdue_json(row: TaskRow) -> dict:
    a = row.assessment
    return {**task_json(row), "reason": a.reason, "phrase": a.phrase}
