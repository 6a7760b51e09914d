"""A task as a division of labour (分工), the way 督查督办 treats it.

Every unit named on a task as lead (牵头) or responsible (负责) owes a part of it, reports on that
part and closes it (销号) itself; supporting units (配合) report to the lead and have no part of
their own. A collective whose members the registry lists ("各乡(镇)": 望城镇, 石岗镇, …) gives each
member its own part; a collective whose membership is open ("各有关单位") is one part, which its
members report on and the office closes. A task is done when all its parts are, or when the
office closed it as a whole; a task that names no unit is its plan owner's.

The plan file records a part (``Task.parts``) only once something happened to it; until then a
part is open, or done when the task was closed as a whole (``Task.state``). So plan files written
before parts existed read as they always did: the task's one state is every part's.

Pure rules over the model and the registry's names: no I/O.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from gktrack.domain.deadlines import DEFAULT_WITHIN, Assessment, parsed, urgency_of
from gktrack.domain.deadlines import standing as standing_of
from gktrack.domain.model import Part, Plan, Task
from gktrack.domain.units import Units


@dataclass(frozen=True)
class Owed:
    """A part of a task: the unit that owes it, its role, and the collective it came through."""

    unit: str                 # a unit's canonical name, or an open collective's
    role: str                 # lead or responsible
    via: str | None = None    # the listed collective that gave this member its part
    shared: bool = False      # an open collective's part: its members report, the office closes


@dataclass(frozen=True)
class Standing:
    """Where a part stands: its state and, when done, when and how (from its record, or from the
    task closed as a whole)."""

    state: str
    closed: dt.date | None = None
    note: str | None = None
    evidence: tuple[str, ...] = ()


def owed_parts(plan: Plan, task: Task, units: Units) -> list[Owed]:
    """The parts of ``task``, in the order its units are named; a unit named directly keeps its
    own role over the one a collective gives it."""
    has_units = bool(task.lead or task.support or task.responsible)
    return list(_owed(units, tuple(task.lead), tuple(task.responsible),
                      None if has_units else plan.owner))


@lru_cache(maxsize=4096)
def _owed(units: Units, lead: tuple, responsible: tuple, owner: str | None) -> tuple[Owed, ...]:
    # Tasks name the same few combinations of units over and over: worked out once per combination.
    refs = [(name, "lead") for name in lead] + [(name, "responsible") for name in responsible]
    if owner:
        refs = [(owner, "responsible")]
    parts: dict[str, Owed] = {}
    direct = {units.resolve(name) for name, _ in refs}
    for name, role in refs:
        canonical = units.resolve(name)
        collective = units.get(canonical)
        listed = collective is not None and collective.is_collective and collective.members != "all" \
            and bool(collective.members)
        if listed:
            for member in collective.members:
                member_name = units.resolve(member)
                if member_name not in parts and member_name not in direct:
                    parts[member_name] = Owed(member_name, role, via=canonical)
        elif collective is not None and collective.is_collective:
            parts.setdefault(canonical, Owed(canonical, role, shared=True))
        else:
            parts[canonical] = Owed(canonical, role)
    return tuple(parts.values())


def record_of(task: Task, unit: str, units: Units) -> Part | None:
    """The record of ``unit``'s part (``unit`` canonical), if any: under its name, or under a name
    the registry now gives as its alias (a unit renamed after the record was written)."""
    record = task.part(unit)
    if record is None and task.parts:
        record = next((p for p in task.parts if units.resolve(p.unit) == unit), None)
    return record


def standing(task: Task, unit: str, units: Units) -> Standing:
    """The state of ``unit``'s part: its record if there is one, else the task's as a whole. A task
    closed as a whole is done for every unit (``is_done``): an open record left from before (a
    one-unit task is closed as a whole) does not reopen it."""
    record = record_of(task, unit, units)
    if record is not None and (record.state == "done" or task.state != "done"):
        return Standing(record.state, record.closed, record.note, tuple(record.evidence))
    if task.state == "done":
        return Standing("done", task.closed, task.note, tuple(task.evidence))
    return Standing("open")


def as_recorded_by(task: Task, day: dt.date) -> Task:
    """``task`` as its records stood at the end of ``day``: a closing (of the task or of a part)
    dated later was not made yet, so that part is open, without its close note and evidence; a
    progress entry dated later is left out. A closing with no date counts as made. Most tasks
    record nothing later and come back as they are (checked first: every read asks)."""
    if not _recorded_after(task, day):
        return task
    reopened = {"state": "open", "closed": None, "note": None, "evidence": []}
    return dataclasses.replace(
        task, **(reopened if task.state == "done" and _after(task.closed, day) else {}),
        progress=[p for p in task.progress if p.date <= day],
        parts=[dataclasses.replace(p, **reopened) if p.state == "done" and _after(p.closed, day) else p
               for p in task.parts])


def _after(closed: dt.date | None, day: dt.date) -> bool:
    return closed is not None and closed > day


def _recorded_after(task: Task, day: dt.date) -> bool:
    return (_after(task.closed, day) or any(entry.date > day for entry in task.progress)
            or any(_after(part.closed, day) for part in task.parts))


def is_done(plan: Plan, task: Task, units: Units, parts: list[Owed] | None = None) -> bool:
    """The task closed as a whole, or every part done (``parts``: its ``owed_parts``, if known)."""
    if task.state == "done":
        return True
    if not task.parts:
        return False
    parts = owed_parts(plan, task, units) if parts is None else parts
    return bool(parts) and all(standing(task, p.unit, units).state == "done" for p in parts)


def parts_done_on(plan: Plan, task: Task, units: Units) -> dt.date | None:
    """The day a task left open as a whole was done part by part: the last of its parts' closing
    dates; None while a part is open, or when a part's date is not recorded."""
    if task.state == "done" or not task.parts:
        return None
    standings = [standing(task, p.unit, units) for p in owed_parts(plan, task, units)]
    days = [s.closed for s in standings if s.state == "done"]
    if not standings or len(days) < len(standings) or None in days:
        return None
    return max(days)


def progress_dates(part: Owed, parts: list[Owed], task: Task, units: Units) -> tuple[dt.date, ...]:
    """The dates of the task's progress entries that count for ``part``."""
    entries = task.progress
    if not entries:
        return ()
    counted = {part.unit}
    if part.role == "lead":
        counted.update(units.resolve(n) for n in task.support)
    owners = {p.unit for p in parts} if part.shared else None
    resolve = units.resolve
    return tuple(e.date for e in entries if e.unit is None or (unit := resolve(e.unit)) in counted
                 or (owners is not None and unit not in owners))


def role_of(plan: Plan, task: Task, units: Units, unit: str) -> tuple[str, str | None, Owed | None] | None:
    """How ``unit`` (canonical) is on the task: (role, via collective, its part or None), or None.

    Its own part first (direct, or as a listed collective's member); then supporting (no part);
    then as a member of an open collective that has the part."""
    parts = owed_parts(plan, task, units)
    for part in parts:
        if part.unit == unit:  # its own part, or the collective's own (the office acting for it)
            return part.role, part.via, part
    if unit in {units.resolve(n) for n in task.support}:
        return "support", None, None
    mine = set(units.collectives_of(unit))
    for part in parts:
        if part.shared and part.unit in mine:
            return part.role, part.unit, part
    for name in task.support:
        if units.resolve(name) in mine:
            return "support", units.resolve(name), None
    return None


@dataclass(frozen=True)
class Edit:
    """What closing or reopening writes: the task's own fields, and part records by unit."""

    task: dict
    parts: dict


def whole_or_part(plan: Plan, task: Task, units: Units, unit: str | None) -> Owed | None:
    """The part a close or reopen for ``unit`` acts on; None for the task as a whole (no unit
    given, or a task with one part only, whose part is the task)."""
    if unit is None:
        return None
    parts = owed_parts(plan, task, units)
    found = role_of(plan, task, units, unit)
    if found is None or found[2] is None:
        return None if found is None else Owed(unit, "support")
    return None if len(parts) <= 1 else found[2]


def close_edit(task: Task, units: Units, part: Owed | None, when: dt.date, note: str | None,
               links: list[str]) -> Edit:
    """Closing ``part`` (None: the whole task): its record, or the task's own fields."""
    fields = {"state": "done", "closed": when}
    if note:
        fields["note"] = note
    if links:
        fields["evidence"] = _evidence(task, units, part, links)
    return _edit(task, units, part, fields)


def reopen_edit(plan: Plan, task: Task, units: Units, part: Owed | None) -> Edit:
    """Reopening ``part`` (None: the whole task). The part's close note and evidence leave it (the
    history keeps them). A task closed as a whole keeps its other parts done: their records
    take over its closing date, note and evidence."""
    cleared = {"state": "open", "closed": None, "note": None, "evidence": []}
    if part is None:
        return Edit(cleared if task.state == "done" else {},
                    {p.unit: cleared for p in task.parts if p.state == "done"})
    records: dict[str, dict] = {_key(task, units, part): cleared}
    fields: dict = {}
    if task.state == "done":
        fields = cleared
        for other in owed_parts(plan, task, units):
            if other.unit != part.unit and record_of(task, other.unit, units) is None:
                records[other.unit] = {"state": "done", "closed": task.closed, "note": task.note,
                                       "evidence": list(task.evidence)}
    return Edit(fields, records)


def add_evidence(task: Task, units: Units, part: Owed | None, links: list[str]) -> Edit:
    """Evidence given with a progress report: on the part's record, or on the task's own."""
    return _edit(task, units, part, {"evidence": _evidence(task, units, part, links)})


def _evidence(task: Task, units: Units, part: Owed | None, links: list[str]) -> list[str]:
    """The evidence of ``part``'s record (None: of the task) with ``links`` added, each once."""
    record = task if part is None else record_of(task, part.unit, units)
    return list(dict.fromkeys([*(record.evidence if record else []), *links]))


def _key(task: Task, units: Units, part: Owed) -> str:
    """The unit under which ``part``'s record is (or will be) written: an existing record keeps the
    name it was written under, so a renamed unit's record is changed, not doubled."""
    record = record_of(task, part.unit, units)
    return record.unit if record is not None else part.unit


def _edit(task: Task, units: Units, part: Owed | None, fields: dict) -> Edit:
    """``fields`` written on ``part``'s record, or on the task's own (None)."""
    return Edit(fields, {}) if part is None else Edit({}, {_key(task, units, part): fields})


# --- judging the parts: the one rule (``deadlines.assess``), part by part -----------------------


@dataclass(frozen=True)
class PartRow:
    """One part of a task (``domain.parts``) as it stands on a day."""

    part: Owed | None          # None: a task that names no unit at all
    standing: Standing
    assessment: Assessment
    dates: tuple = ()  # the dates of the progress entries that count for this part

    @property
    def last_progress(self) -> dt.date | None:
        return max(self.dates) if self.dates else None

    @property
    def unit(self) -> str | None:
        return self.part.unit if self.part else None


def _deadlines(plan: Plan, task: Task, known: dict | None) -> tuple:
    phrases = tuple(task.deadline)
    found = known.get((phrases, plan.year)) if known is not None else None
    return parsed(phrases, plan.year) if found is None else found


def assess_parts(plan: Plan, task: Task, units: Units, as_of: dt.date, within: int | None = None,
                 known: dict | None = None, parts: list[Owed] | None = None) -> list[PartRow]:
    """Each part of the task on ``as_of``, by the one rule (``deadlines.assess``): the part's own
    state and the progress that counts for it (``domain.parts``). ``parts``: the task's
    ``owed_parts``, when the caller has them already."""
    deadlines = _deadlines(plan, task, known)
    window = DEFAULT_WITHIN if within is None else within
    if parts is None:
        parts = owed_parts(plan, task, units)

    def row(part: Owed | None, where: Standing, dates: tuple) -> PartRow:
        return PartRow(part, where, standing_of(deadlines, plan.year, where.state, where.closed, dates, as_of, window,
                                                  plan.issued), dates)

    if not parts:
        return [row(None, Standing(task.state, task.closed, task.note, tuple(task.evidence)),
                    tuple(p.date for p in task.progress))]
    return [row(part, standing(task, part.unit, units), progress_dates(part, parts, task, units)) for part in parts]


def task_assessment(parts: list[PartRow]) -> Assessment:
    """The task as a whole: done when every part is (judged by the last part to close); else as
    its most urgent open part."""
    open_parts = [p.assessment for p in parts if p.standing.state != "done"]
    if not open_parts:
        return max((p.assessment for p in parts), key=lambda a: (a.category == "late", a.days_late or 0))
    return min(open_parts, key=urgency_of)

