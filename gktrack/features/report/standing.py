"""A task's standing at the report's cut-off, by the one rule (``gktrack.domain.deadlines.assess``).

The cut-off is the end of the ``as_of`` day, Beijing time. ``assess`` judges a day at its start
(a deadline day itself is not late yet), so the report asks it about the day after the cut-off,
with only what was recorded by then (``domain.parts.as_recorded_by``, which ``overdue --as-of``
uses too). So ``report --as-of D`` and ``overdue --as-of D+1`` say the same of every task that
records nothing on D+1 itself: the same category, level and deadline. The one figure counted
differently is an open task's days late, which the report counts to the cut-off day itself
("截至 12-31 已逾期 31 天" for a task due 11-30), one day fewer than ``assess`` counts on the
morning after.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from gktrack.domain.deadlines import Assessment
from gktrack.domain.model import Plan, Task
from gktrack.domain.parts import PartRow, as_recorded_by, assess_parts, task_assessment
from gktrack.domain.units import Units

ONE_DAY = dt.timedelta(days=1)


def standing(plan: Plan, task: Task, units: Units, as_of: dt.date,
             closed: dt.date | None) -> tuple[Assessment, list[PartRow]]:
    """``task`` at the end of ``as_of`` — as a whole, and part by part — with only what was
    recorded by then (``parts.as_recorded_by``, as ``status``/``overdue --as-of`` see it):
    ``closed``, the task's closing date when it was done by then."""
    closed = closed if task.state == "done" else None
    seen = as_recorded_by(task if closed == task.closed else dataclasses.replace(task, closed=closed), as_of)
    parts = assess_parts(plan, seen, units, as_of + ONE_DAY)
    return task_assessment(parts), parts


def days_late(assessment: Assessment, as_of: dt.date) -> int | None:
    """Days late: a done task's to its closing date, an open late task's to the cut-off day."""
    if assessment.category == "late":
        return assessment.days_late
    if assessment.category == "overdue" and assessment.due is not None:
        return (as_of - assessment.due).days
    return None
