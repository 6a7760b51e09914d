"""The report's figures: tasks by category per plan, section and unit, and the audit's counts of
commits by month and by person. Counts only what ``build`` selected; judges nothing itself.
"""

from __future__ import annotations

from collections import Counter

from gktrack.domain.actions import committer_differs
from gktrack.domain.units import Units
from gktrack.features.report.data import (
    MonthStats, PersonStats, Report, SectionSummary, TaskReport, UnitStats,
)
from gktrack.storage.history import HAND_ACTIONS
from gktrack.storage.repo import plan_rel


def count(report: Report, units: Units) -> None:
    """Fill in the counts of the report, its plans and their top-level sections, and its units
    (most tasks late first)."""
    stats: dict[str, UnitStats] = {}
    for plan_report in report.plans:
        plan = plan_report.plan
        by_key = plan.section_by_key()
        sections = {s.key: SectionSummary(s.key, s.heading) for s in plan.sections if "." not in s.key}
        for entry in plan_report.tasks:
            if entry.supporting:
                # a unit's report: a task it only supports is not one of its own to count
                _count_units(stats, units, entry, report.unit_filter)
                continue
            report.counts.add(entry.category)
            plan_report.counts.add(entry.category)
            top = entry.task.section.split(".")[0] if entry.task.section else None
            if top not in sections:
                sections[top] = SectionSummary(top, by_key[top].heading if top in by_key else "(未分章节)")
            sections[top].counts.add(entry.category)
            _count_units(stats, units, entry, report.unit_filter)
        plan_report.sections = [s for s in sections.values() if s.counts.total]
    # ranked by their own completion: the rate of their parts, then the fewest late
    report.units = sorted(stats.values(), key=lambda u: (-(u.counts.rate if u.counts.rate is not None else -1),
                                                         u.counts.missed, -u.counts.total, u.name))


def _count_units(stats: dict[str, UnitStats], units: Units, entry: TaskReport, wanted: str | None) -> None:
    """Each part under its unit, with the part's own category; supporting units count the task as
    supported (no part of their own); each unit's entries in the period."""
    def of(name: str) -> UnitStats:
        if name not in stats:
            stats[name] = UnitStats(name)
        return stats[name]

    for part in entry.parts:
        name = part.unit or "(未分派)"
        if wanted and name != wanted:
            continue
        unit_stats = of(name)
        if part.part is not None:
            setattr(unit_stats, part.part.role, getattr(unit_stats, part.part.role) + 1)
        unit_stats.counts.add(part.assessment.category)
    for ref in entry.units:
        if ref.role == "support" and (not wanted or ref.name == wanted):
            of(ref.name).support += 1
    for item in entry.progress:
        name = units.canonical(item.unit) or item.unit if item.unit else None
        if name and (not wanted or name == wanted):
            of(name).progress += 1


def _concerns(entry: TaskReport, names: tuple[str, ...], own: set[str], units: Units) -> bool:
    """Whether a change of ``entry``'s task concerns the reported unit's part: it names the unit
    (or a collective it belongs to, as an add or assign does), or names none, changing the task
    as a whole, which is the unit's part too unless it only supports the task."""
    if not names:
        return not entry.supporting
    return any(units.resolve(name) in own for name in names)


def _month(day) -> str:
    """The month a date or time falls in, as the audit names it (YYYY-MM)."""
    return f"{day.year:04d}-{day.month:02d}"


def _months(report: Report) -> list[str]:
    """Every month of the period, in order."""
    first, last = (d.year * 12 + d.month - 1 for d in (report.start, report.as_of))
    return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(first, last + 1)]


def fill_audit(report: Report, walk, units: Units) -> None:
    """The audit's counts from the period's commits (``walk.commits``): by month (author date, as
    the walk chose them), by person (newest name for an e-mail; another committer apart), and
    the hand edits (a commit whose trailers do not fit its content is one), within the report's
    scope: a unit's report counts the changes that concern its own part (``_concerns``)."""
    audit = report.audit
    months = {m: MonthStats(m) for m in _months(report)}
    people: dict[str, PersonStats] = {}
    reported = {t.ref: t for t in report.tasks}
    plan_files = {plan_rel(p.plan.id) for p in report.plans}
    wanted = report.unit_filter
    own = {wanted, *units.collectives_of(wanted)} if wanted else set()

    def in_scope(tasks: dict[str, tuple[str, ...]], files: list[str]) -> bool:
        if wanted:
            return any(ref in reported and _concerns(reported[ref], names, own, units)
                       for ref, names in tasks.items())
        if report.plan_filter:
            return any(f in plan_files for f in files)
        return True

    closers = Counter(event.commit.sha for events in walk.events.values() for event in events
                      if event.kind == "close" and event.ref in reported)
    listed: set[str] = set()  # the hand edits counted, to be listed
    for commit in walk.commits:  # oldest first, so the newest name of a person wins
        if not in_scope(commit.tasks, commit.files):
            continue
        audit.commits += 1
        action = commit.action
        if action in HAND_ACTIONS:
            listed.add(commit.sha)
        if action is None:
            audit.hand_unchecked += 1
            audit.hand_mismatched += commit.claimed is not None
        elif action == "edit":
            audit.hand_checked += 1
        else:
            audit.tool += 1
        month = months.get(_month(commit.authored))
        if month is not None:
            month.commits += 1
            month.hand_edits += action in HAND_ACTIONS
        # By author, and apart by committer where someone else ran git: a liaison committing in
        # the office's name is not counted as the office.
        other = committer_differs(commit.author, commit.email, commit.committer, commit.committer_email)
        key = (commit.email.lower() or commit.author, (commit.committer_email.lower() or commit.committer) if other else None)
        person = people.setdefault(key, PersonStats(commit.author, commit.email))
        person.name = commit.author
        if other:
            person.committer, person.committer_email = commit.committer, commit.committer_email
        person.commits += 1
        person.hand_edits += action in HAND_ACTIONS
        person.closes += closers[commit.sha]
        person.progress += action == "progress"
    for entry in report.tasks:
        if entry.done and entry.closed and not entry.supporting and entry.closed < report.start:
            audit.closed_before += 1
        elif entry.done and entry.closed and not entry.supporting and report.start <= entry.closed <= report.as_of:
            month = months[_month(entry.closed)]
            if entry.category == "on_time":
                month.closed_on_time += 1
            else:
                month.closed_late += 1
    audit.months = list(months.values())
    audit.people = sorted(people.values(), key=lambda p: (-p.commits, p.name, p.email, p.committer_email or ""))
    audit.hand_edits = [h for h in walk.hand_edits if h.commit.sha in listed]
