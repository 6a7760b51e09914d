"""A task's standing at the report's cut-off, by the one rule (``gktrack.domain.deadlines.assess``).

The cut-off is the end of the ``as_of`` day, Beijing time. ``assess`` judges a day at its start
(a deadline day itself is not late yet), so the report asks it about the day after the cut-off,
with only what was recorded by then: the progress entries dated on or before ``as_of``, and the
closing date. So ``report --as-of D`` and ``overdue --as-of D+1`` say the same of every task:
the same category, level and deadline. The one figure counted differently is an open task's
days late, which the report counts to the cut-off day itself ("截至 12-31 已逾期 31 天" for a
task due 11-30), one day fewer than ``assess`` counts on the morning after.
"""

from __future__ import annotations

import datetime as dt
import functools

from gktrack.domain.deadlines import Assessment, assess, parsed
from gktrack.domain.model import Plan, Task

ONE_DAY = dt.timedelta(days=1)


def standing(plan: Plan, task: Task, as_of: dt.date, closed: dt.date | None) -> Assessment:
    """``task`` at the end of ``as_of``; ``closed``: its closing date when it was done by then."""
    progress = tuple(sorted({p.date for p in task.progress if p.date <= as_of}))
    return _assess(parsed(tuple(task.deadline), plan.year), task.state, closed, progress, as_of + ONE_DAY, plan.year)


# A city's ten thousand tasks are a few hundred deadline phrases, mostly without progress yet:
# many tasks ask the very same question.
@functools.lru_cache(maxsize=None)
def _assess(deadlines: tuple, state: str, closed: dt.date | None, progress: tuple, as_of: dt.date,
            year: int) -> Assessment:
    return assess(deadlines, state=state, closed=closed, progress_dates=progress, as_of=as_of, year=year)


def days_late(assessment: Assessment, as_of: dt.date) -> int | None:
    """Days late: a done task's to its closing date, an open late task's to the cut-off day."""
    if assessment.category == "late":
        return assessment.days_late
    if assessment.category == "overdue" and assessment.due is not None:
        return (as_of - assessment.due).days
    return None
